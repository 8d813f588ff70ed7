"""The practitioner's caseload for the privacy guard: one row a word of a name, kept only as
its HMAC-SHA256 under this journal's own random secret (m003_caseload), so a name can be
matched in text but not read back. See privacy/caseload.py and the README."""

from __future__ import annotations

from collections.abc import Iterable

from rbp_journal.store.connection import Connection


class CaseloadTable:
    def __init__(self, connection: Connection) -> None:
        self.conn = connection.conn

    def read(self) -> tuple[bytes, frozenset[str]]:
        """The journal's secret and the digests it holds (never the names: it has none)."""
        row = self.conn.execute("SELECT secret FROM caseload_key WHERE id = 1").fetchone()
        digests = frozenset(r[0] for r in self.conn.execute("SELECT digest FROM caseload"))
        return bytes(row[0]), digests

    def add(self, digests: Iterable[str]) -> int:
        """Add digests not held yet; returns how many were new. Run inside write()."""
        before = self.size()
        self.conn.executemany(
            "INSERT OR IGNORE INTO caseload (digest) VALUES (?)", [[d] for d in digests]
        )
        return self.size() - before

    def remove(self, digests: Iterable[str]) -> int:
        """Forget digests; returns how many were held. Run inside write()."""
        before = self.size()
        self.conn.executemany("DELETE FROM caseload WHERE digest = ?", [[d] for d in digests])
        return before - self.size()

    def size(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM caseload").fetchone()[0])
