"""The file under the journal: creating it owner-only, telling an SQLite file from anything
else before a byte is written, and connecting (plain, encrypted, or read-only).

A read-only connection is opened `immutable`, so that checking a backup never writes to it,
nor creates -wal or -shm files beside it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from rbp_journal import encryption, paths
from rbp_journal.encryption import Marker
from rbp_journal.errors import JournalDamaged, NotAJournal, StorageFailed

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
RECHECK_SECONDS = 0.05


class Key:
    """How an encrypted journal was unlocked: its marker and the passphrase that opened it."""

    def __init__(self, marker: Marker, secret: str) -> None:
        self.marker = marker
        self.secret = secret


def create_private_file(path: Path) -> None:
    paths.make_private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    path.chmod(0o600)


def check_header(path: Path) -> bytes | None:
    """The plain SQLite header, or None for a file with an encryption marker beside it."""
    header, size = _read_header(path)
    if header[: len(SQLITE_HEADER)] != SQLITE_HEADER:
        if header and encryption.marker_path(path).exists():
            return None
        raise NotAJournal(path, "is empty" if not header else "is not an SQLite database")
    if not _whole(header, size):
        # another rbp may be checkpointing: page 1 (the new size) is written before the pages
        # after it, and the -wal holds them all until the checkpoint ends; look once more
        time.sleep(RECHECK_SECONDS)
        header, size = _read_header(path)
        if not _whole(header, size) and not _wal_size(path):
            raise JournalDamaged(path, "is shorter than its own header says: it was cut off")
    return header


def _read_header(path: Path) -> tuple[bytes, int]:
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
            size = os.fstat(handle.fileno()).st_size
    except OSError as error:
        raise StorageFailed(path, error.strerror or "it cannot be read") from None
    return header, size


def _whole(header: bytes, size: int) -> bool:
    return len(header) == 100 and size >= _expected_size(header)


def _wal_size(path: Path) -> int:
    try:
        return path.with_name(path.name + "-wal").stat().st_size
    except OSError:
        return 0


def connect(path: Path, key: Key | None, read_only: bool = False) -> Any:
    timeout = BUSY_TIMEOUT_MS / 1000
    if key is not None:
        return encryption.connect(path, key.secret, timeout=timeout, read_only=read_only)
    if read_only:  # a URI, so that SQLite itself refuses to write to what it checks
        uri = f"{path.absolute().as_uri()}?mode=ro&immutable=1"
        return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout)
    return sqlite3.connect(path, isolation_level=None, timeout=timeout)


def _expected_size(header: bytes) -> int:
    """The file size the SQLite header promises, when its page count is trustworthy."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # the count is valid only when the change counter matches "version-valid-for"
    return pages * page_size if header[24:28] == header[92:96] else 0
