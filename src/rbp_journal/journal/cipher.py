"""Encryption at rest, as use cases: encrypting the journal (and rbp's plain backups of it),
decrypting it, and changing the passphrase of the journal and its encrypted backups."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from rbp_journal import encryption
from rbp_journal.errors import RbpError
from rbp_journal.store import Key, cipher, files, open_store

if TYPE_CHECKING:
    from rbp_journal.journal import Journal


class AlreadyEncrypted(RbpError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is already encrypted; `rbp passphrase` changes the passphrase.")


class NotEncrypted(RbpError):
    def __init__(self, path: Path, advice: str = "") -> None:
        super().__init__(f"{path} is not encrypted{advice}.")


class ConversionFailed(RbpError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"The converted copy of {path} did not check out; {path} is unchanged.")


class Cipher:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def encrypt(self, secret: str, remember: bool = False) -> list[Path]:
        """Encrypt the journal, and rbp's plain backups of it, in place; returns the backups."""
        path = self.j.store.path
        if self.j.store.key is not None:
            raise AlreadyEncrypted(path)
        marker = encryption.make_marker(secret, keyring=remember)
        plain_backups = [b for b in files.backups(path) if not encryption.marker_path(b).exists()]
        self._convert(None, secret, marker)
        for backup in plain_backups:
            convert_file(backup, None, secret, marker, expected=None)
        if remember:
            encryption.keyring_set(path, secret)
        return plain_backups

    def decrypt(self) -> None:
        """Store the journal unencrypted again (its backups stay encrypted)."""
        if self.j.store.key is None:
            raise NotEncrypted(self.j.store.path)
        self._convert(self.j.store.key.secret, None, None)

    def change_passphrase(self, secret: str, remember: bool = False) -> list[Path]:
        """Re-encrypt the journal and its encrypted backups under a new passphrase."""
        store = self.j.store
        key = store.key
        if key is None:
            raise NotEncrypted(store.path, "; `rbp encrypt` does that")
        marker = encryption.make_marker(secret, keyring=remember or key.marker.keyring)
        changed = []
        for backup in files.backups(store.path):
            if encryption.marker_path(backup).exists():
                copy = open_store(backup, secret=key.secret)
                cipher.rekey(copy.connection, secret)
                copy.close()
                encryption.write_marker(backup, marker)
                changed.append(backup)
        cipher.rekey(store.connection, secret)
        encryption.write_marker(store.path, marker)
        store.key = Key(marker, secret)
        if remember:
            encryption.keyring_set(store.path, secret)
        return changed

    def _convert(self, old: str | None, new: str | None, marker: encryption.Marker | None) -> None:
        path = self.j.store.path
        expected = cipher.table_counts(self.j.store.connection)
        cipher.checkpoint(self.j.store.connection)
        self.j.store.close()
        convert_file(path, old, new, marker, expected)
        self.j.store = open_store(path, secret=new)


def convert_file(
    path: Path,
    old: str | None,
    new: str | None,
    marker: encryption.Marker | None,
    expected: dict[str, int] | None,
) -> None:
    """Encrypt or decrypt one journal file: converted into a new file, checked (integrity and
    the same rows), then renamed over the old one, whose bytes are overwritten."""
    temp = path.with_name(path.name + ".converting")
    for leftover in (temp, encryption.marker_path(temp)):
        leftover.unlink(missing_ok=True)
    cipher.convert(path, temp, old, new)
    if marker is not None:
        encryption.write_marker(temp, marker)
    check = open_store(temp, secret=new)
    try:
        problems = [line for line in check.connection.integrity_check() if line != "ok"]
        counts = cipher.table_counts(check.connection)
    finally:
        check.close()
    if problems or (expected is not None and counts != expected):
        files.shred(temp)
        encryption.marker_path(temp).unlink(missing_ok=True)
        raise ConversionFailed(path)
    if marker is not None:
        os.replace(encryption.marker_path(temp), encryption.marker_path(path))
    files.replace_shredding(temp, path)
    if marker is None:
        encryption.marker_path(path).unlink(missing_ok=True)
