"""Keeping words taken out of the journal out of its full-text index too.

FTS5 keeps a deleted or changed row's tokens in its index segments until they are merged,
whatever `secure_delete` says. Measured on a journal of 100,000 reflections (1,039,728
answers, an 18.7 MB index): FTS5's own `secure-delete` option (SQLite 3.42+) took 5 to 19 ms
a delete; without it, merging the whole index ('optimize') took 1.37 s the first time and
0.56 s after (one segment), and 'rebuild' 4.13 s. So: `secure-delete` where the SQLite in
use has it and the file is encrypted (always opened by SQLCipher's SQLite, 3.53 here), and
an 'optimize' in the same transaction otherwise. A plain journal is opened by Python's own
SQLite (3.40.1 here), which cannot read an index written with `secure-delete` ("invalid
fts5 file format (found 5, expected 4)"), so it never gets the option (see cipher.plain_index).

Which writes take words out is told by SQLite itself: a temporary trigger on each table an
FTS5 index reads, calling back into Python, so a new way of deleting cannot forget this.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rbp_journal.store.connection import Connection

SECURE_DELETE_SINCE = (3, 42, 0)
_CONTENT = re.compile(r"content\s*=\s*[\[\"'`]?(\w+)", re.IGNORECASE)


class SearchIndex:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.took_out = False
        self._tables: list[str] | None = None
        self._secure = False

    def watch(self) -> None:
        """Inside a write transaction: make sure taking words out is noticed (and, where
        possible, that FTS5 overwrites them itself)."""
        if self._tables is None:
            self._install()
        if self._tables and self.secure_possible() and not self._secure:
            self._turn_on_secure_delete()

    def settle(self) -> None:
        """Before the commit: merge the index if words were taken out and FTS5 did not
        overwrite them itself."""
        if self.took_out and not self._secure:
            self.merge()

    def merge(self) -> None:
        for table in self._tables or []:
            self.connection.conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")

    def forget_watch(self) -> None:
        self.took_out = False

    def secure_possible(self) -> bool:
        return self.connection.key is not None and sqlite_version(self.connection) >= (
            SECURE_DELETE_SINCE
        )

    def _took_out(self) -> None:
        self.took_out = True

    def _install(self) -> None:
        conn = self.connection.conn
        found = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE "
            "'CREATE VIRTUAL TABLE%USING FTS5%'"
        ).fetchall()
        if not found:
            return  # a journal not yet migrated: look again at the next write
        conn.create_function("rbp_took_out", 0, self._took_out)
        tables = []
        for name, sql in found:
            content = _CONTENT.search(sql)
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({name})")]
            tables.append(name)
            if content is None or not columns:
                continue
            source = content.group(1)
            changed = " OR ".join(f"old.[{c}] IS NOT new.[{c}]" for c in columns)
            conn.execute(
                f"CREATE TEMP TRIGGER IF NOT EXISTS rbp_out_{name}_d AFTER DELETE ON "
                f"main.[{source}] BEGIN SELECT rbp_took_out(); END"
            )
            conn.execute(
                f"CREATE TEMP TRIGGER IF NOT EXISTS rbp_out_{name}_u AFTER UPDATE ON "
                f"main.[{source}] WHEN {changed} BEGIN SELECT rbp_took_out(); END"
            )
        self._tables = tables

    def _turn_on_secure_delete(self) -> None:
        conn = self.connection.conn
        for table in self._tables or []:
            row = conn.execute(f"SELECT v FROM {table}_config WHERE k = 'secure-delete'").fetchone()
            if row is None or not row[0]:
                conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('secure-delete', 1)")
                # what earlier deletes left in old segments goes now
                conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        self._secure = True


def refill(conn: Any, index: str) -> None:
    """The search index `index` (answers_fts, followups_fts) made again from its table's rows,
    in place of FTS5's 'rebuild', which would take in the rows without text too: those the
    triggers never index nor take out (m008). `conn` is sqlite3's or SQLCipher's."""
    conn.execute(f"INSERT INTO {index} ({index}) VALUES ('delete-all')")
    fill(conn, index)


def fill(conn: Any, index: str, first: int = 1) -> None:
    """The rows with text of `index`'s table from id `first` on taken into the index (none of
    them in it yet)."""
    table = index.removesuffix("_fts")
    conn.execute(
        f"INSERT INTO {index} (rowid, text) SELECT id, text FROM {table} "
        "WHERE id >= ? AND text IS NOT NULL",
        [first],
    )


def sqlite_version(connection: Connection) -> tuple[int, ...]:
    text = connection.conn.execute("SELECT sqlite_version()").fetchone()[0]
    return tuple(int(part) for part in str(text).split("."))
