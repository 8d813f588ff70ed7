"""The journal's health and its copies: checking it, backing up and putting a backup back,
finding words left outside it, and purging old reflections for good."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from rbp_journal import encryption
from rbp_journal.errors import RbpError
from rbp_journal.models.health import Health
from rbp_journal.store import cipher, files, open_store, overwrite, swaps
from rbp_journal.store.sqlite import wal_size

if TYPE_CHECKING:
    from rbp_journal.journal import Journal


class BackupExists(RbpError):
    def __init__(self, target: Path) -> None:
        super().__init__(f"{target} already exists; choose a new name or move it first.")


class BackupUnusable(RbpError):
    def __init__(self, backup: Path, why: str) -> None:
        super().__init__(f"{backup} {why}; `rbp doctor` lists the backups.")


class JournalBusyElsewhere(RbpError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Another program has {path} open (its -wal is not empty); close it, then try "
            "again. Nothing was changed."
        )


def _reason(error: RbpError, copy: Path, backup: Path) -> str:
    """An error about the checked copy, told of the backup the person named."""
    text = str(error).replace(str(copy), str(backup))
    return "cannot be used: " + text[0].lower() + text[1:].rstrip(".")


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
            leftovers=[str(p) for p in [*self.kept_words(), *files.editor_texts(path)]],
            plain_files=[str(p) for p in self.plain_texts_left()],
        )

    def backup(self, target: Path) -> None:
        if target.exists():
            raise BackupExists(target)
        files.backup(self.j.store.connection, target)

    def restore(self, backup: Path) -> Path | None:
        """Put a backup in place of the journal, keeping the current file aside under a second
        name; returns that name (None when the journal was only just started). The backup is
        only read; its copy is checked, then swapped in whole (store.files), with the other
        rbp processes held off meanwhile (store.lock)."""
        if not backup.is_file():
            raise BackupUnusable(backup, "is not a file")
        store = self.j.store
        path = store.path
        if os.path.samefile(backup, path):
            raise BackupUnusable(backup, "is the journal itself; choose a copy from backups/")
        with store.connection.alone("restoring") as lock:
            copy = swaps.stage_copy(backup, path, ".restoring")
            try:
                marker = encryption.read_marker(backup)
                if marker is not None:
                    encryption.write_marker(copy, marker)
                secret = self._check_backup(copy, backup)
                cipher.checkpoint(store.connection)
                created = store.connection.created
                store.close()
                if wal_size(path) > 0:
                    raise JournalBusyElsewhere(path)
                aside = None if created else swaps.keep_aside(path)
            except BaseException:
                overwrite.discard(copy)
                lock.release()
                raise
            plan = swaps.Swap(copy.name, path.name, marker._asdict() if marker else None, False)
            try:
                swaps.swap(path, [plan])
            finally:
                self.j.store = open_store(path, self.j.passphrase, secret=secret, lock=lock,
                                          tell=self.j.tell)  # fmt: skip
        return aside

    def _check_backup(self, copy: Path, backup: Path) -> str | None:
        """Refuse anything that is not a healthy rbp journal (or a wrong passphrase); an
        encrypted backup is tried with the journal's own passphrase first. Returns the
        passphrase that opened it."""
        own = self.j.store.key.secret if self.j.store.key else None
        try:
            try:
                checked = open_store(copy, self.j.passphrase, secret=own, read_only=True)
            except encryption.WrongPassphrase:
                checked = open_store(copy, self.j.passphrase, read_only=True)
        except RbpError as error:
            raise BackupUnusable(backup, _reason(error, copy, backup)) from None
        try:
            problems = [line for line in checked.connection.integrity_check() if line != "ok"]
            secret = checked.key.secret if checked.key else None
        finally:
            checked.close()
        if problems:
            raise BackupUnusable(backup, f"fails its integrity check ({problems[0]})")
        return secret

    def plain_texts_left(self) -> list[Path]:
        """rbp files holding words in plain text beside an encrypted journal (copies made
        before it was encrypted, kept words, editor texts left by a crash): none should be."""
        if self.j.store.key is None:
            return []
        return files.plain_files(self.j.store.path)

    def kept_words(self) -> list[Path]:
        """Files of words that could not be stored, in the journal's folder."""
        return files.kept_words(self.j.store.path)

    def purge_count(self, before: dt.date) -> int:
        """How many finished reflections a purge before `before` would delete."""
        return self.j.store.retention.count_before(before)

    def purge(self, before: dt.date, keep_cpd: bool, backup: bool) -> tuple[int, int, Path | None]:
        """Delete finished reflections from before `before` (secure_delete and the search
        index merged, then VACUUM with every other rbp held off, so the words are gone from
        the file); a copy first unless told not to — and then no copy at all, the day's
        first backup included."""
        store = self.j.store
        copy = files.copy_aside(store.connection, "before-purge") if backup else None
        store.connection.backed_up = True  # that copy, or none as asked, is today's
        with store.write():
            reflections, records = store.retention.purge_before(before, keep_cpd)
        with store.connection.alone("compacting"):
            store.retention.compact()
        return reflections, records, copy
