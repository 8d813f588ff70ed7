"""The journal's health and its copies: checking it, backing up and putting a backup back,
finding words left outside it, and purging old reflections for good."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from rbp_journal import encryption
from rbp_journal.errors import RbpError
from rbp_journal.models.health import Health
from rbp_journal.store import cipher, files, open_store

if TYPE_CHECKING:
    from rbp_journal.journal import Journal


class BackupExists(RbpError):
    def __init__(self, target: Path) -> None:
        super().__init__(f"{target} already exists; choose a new name or move it first.")


class BackupUnusable(RbpError):
    def __init__(self, backup: Path, why: str) -> None:
        super().__init__(f"{backup} {why}; `rbp doctor` lists the backups.")


class Upkeep:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def health(self) -> Health:
        store = self.j.store
        path = store.path
        integrity = store.connection.integrity_check()
        return Health(
            path=str(path),
            mode=oct(path.stat().st_mode & 0o777),
            size=path.stat().st_size,
            schema_steps=store.connection.schema_version(),
            integrity=integrity,
            counts=store.reflections.counts()
            if integrity == ["ok"]
            else {},  # damage may stop counts
            backups=[str(backup) for backup in files.backups(path)],
            encryption=store.key.marker.cipher if store.key else None,
            leftovers=[str(p) for p in [*self.kept_words(), *self.plain_texts_left()]],
        )

    def backup(self, target: Path) -> None:
        if target.exists():
            raise BackupExists(target)
        files.backup(self.j.store.connection, target)

    def restore(self, backup: Path) -> Path:
        """Put a backup in place of the journal, keeping the current file aside first;
        returns where the current file went. The backup is only read: checked through a
        read-only connection, never migrated or written."""
        if not backup.is_file():
            raise BackupUnusable(backup, "is not a file")
        marker = self._check_backup(backup)
        store = self.j.store
        path = store.path
        cipher.checkpoint(store.connection)
        store.close()
        return files.put_back(backup, path, marker)

    def _check_backup(self, backup: Path) -> encryption.Marker | None:
        """Refuse anything that is not a healthy rbp journal (or a wrong passphrase); an
        encrypted backup is tried with the journal's own passphrase first."""
        own = self.j.store.key.secret if self.j.store.key else None
        try:
            checked = open_store(backup, self.j.passphrase, secret=own, read_only=True)
        except encryption.WrongPassphrase:
            checked = open_store(backup, self.j.passphrase, read_only=True)
        try:
            problems = [line for line in checked.connection.integrity_check() if line != "ok"]
        finally:
            checked.close()
        if problems:
            raise BackupUnusable(backup, f"fails its integrity check ({problems[0]})")
        return encryption.read_marker(backup) if checked.key else None

    def plain_texts_left(self) -> list[Path]:
        """Editor texts rbp wrote beside the journal that are still there (after a crash):
        plain text, even when the journal is not."""
        return sorted(self.j.store.path.parent.glob("rbp-*.md"))

    def kept_words(self) -> list[Path]:
        """Files of words that could not be stored, in the journal's folder."""
        return files.kept_words(self.j.store.path)

    def purge_count(self, before: dt.date) -> int:
        """How many finished reflections a purge before `before` would delete."""
        return self.j.store.retention.count_before(before)

    def purge(self, before: dt.date, keep_cpd: bool, backup: bool) -> tuple[int, int, Path | None]:
        """Delete finished reflections from before `before` (secure_delete, then VACUUM so the
        words are gone from the file); a backup first unless told not to."""
        store = self.j.store
        copy = files.copy_aside(store.connection, "before-purge") if backup else None
        with store.write():
            reflections, records = store.retention.purge_before(before, keep_cpd)
        store.retention.compact()
        return reflections, records, copy
