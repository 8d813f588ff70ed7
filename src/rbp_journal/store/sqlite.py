"""The file under the journal: creating it owner-only, telling an SQLite file from anything
else before a byte is written, connecting (plain, encrypted, or read-only), and saying truly
why SQLite refused something.

A read-only connection is opened `immutable`, so that checking a backup never writes to it,
nor creates -wal or -shm files beside it. A journal in a folder rbp cannot write to is read the
same way: SQLite cannot make the -shm file it needs there (SQLITE_READONLY_DIRECTORY), and
nothing can change the file meanwhile without that folder.

SQLite is trusted to call a file damaged (SQLITE_CORRUPT, SQLITE_NOTADB); every other failure
is told by what it is: busy, full, read-only, not permitted, no such folder.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import time
from pathlib import Path
from typing import Any, NamedTuple

from rbp_journal import encryption, paths
from rbp_journal.encryption import Marker
from rbp_journal.errors import JournalDamaged, JournalLocked, NotAJournal, StorageFailed

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


class FileCheck(NamedTuple):
    """What the first bytes say: the plain header (None when encrypted), and whether the file
    is shorter than that header promises with the rest waiting in its -wal."""

    header: bytes | None
    short: bool = False


def check_header(path: Path) -> FileCheck:
    """Look at the file before SQLite does: a regular file, and a plain SQLite header (or an
    encryption marker beside it); a file cut short is refused unless its -wal holds the rest."""
    header, size = _read_header(path)
    if header[: len(SQLITE_HEADER)] != SQLITE_HEADER:
        if header and encryption.marker_path(path).exists():
            return FileCheck(None)
        raise NotAJournal(path, "is empty" if not header else "is not an SQLite database")
    if not _whole(header, size):
        # another rbp may be checkpointing: page 1 (the new size) is written before the pages
        # after it, and the -wal holds them all until the checkpoint ends; look once more
        time.sleep(RECHECK_SECONDS)
        header, size = _read_header(path)
        if not _whole(header, size):
            if wal_size(path) > 0:  # a checkpoint stopped part way (a full disk): SQLite reads it
                return FileCheck(header, short=True)
            raise JournalDamaged(path, "is shorter than its own header says: it was cut off")
    return FileCheck(header)


def _read_header(path: Path) -> tuple[bytes, int]:
    try:
        found = path.stat()
        if not stat.S_ISREG(found.st_mode):  # a FIFO would block the read below for ever
            raise NotAJournal(path, "is not a regular file")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            header = os.read(fd, 100)
            size = os.fstat(fd).st_size
        finally:
            os.close(fd)
    except OSError as error:
        raise StorageFailed(path, file_problem(path, error)) from None
    return header, size


def _whole(header: bytes, size: int) -> bool:
    return len(header) == 100 and size >= _expected_size(header)


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def wal_size(path: Path) -> int:
    try:
        return wal_path(path).stat().st_size
    except OSError:
        return 0


def folder_writable(path: Path) -> bool:
    folder = path.absolute().parent
    return os.access(folder, os.W_OK) and not _read_only_mount(folder)


def connect(path: Path, key: Key | None, read_only: bool = False) -> Any:
    timeout = BUSY_TIMEOUT_MS / 1000
    if key is not None:
        return encryption.connect(path, key.secret, timeout=timeout, read_only=read_only)
    if read_only:  # a URI, so that SQLite itself refuses to write to what it checks
        uri = f"{path.absolute().as_uri()}?mode=ro&immutable=1"
        return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout)
    return sqlite3.connect(path, isolation_level=None, timeout=timeout)


# --- saying why -------------------------------------------------------------------------

SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN = 10, 11, 13, 14
SQLITE_NOTADB, SQLITE_AUTH = 26, 23


def diagnose(path: Path, error: Exception) -> Exception:
    """An SQLite failure as the sentence that is true of it; `error` itself when it is not one
    rbp can name (a bug, which the boundary reports as such)."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(error).lower()
    if primary in {SQLITE_BUSY, SQLITE_LOCKED} or (primary is None and "locked" in text):
        return JournalLocked(path)
    if primary == SQLITE_FULL or (primary is None and "full" in text):
        return StorageFailed(path, "the disk is full; free some space and try again")
    if primary == SQLITE_READONLY or (primary is None and "readonly" in text):
        return StorageFailed(path, read_only_reason(path))
    if primary in {SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH}:
        return StorageFailed(path, file_problem(path, None))
    if primary == SQLITE_IOERR or (primary is None and "disk i/o" in text):
        return StorageFailed(path, _io_reason(path))
    if primary in {SQLITE_CORRUPT, SQLITE_NOTADB}:
        return JournalDamaged(path, f"cannot be read ({error})")
    return error


def read_only_reason(path: Path) -> str:
    folder = path.absolute().parent
    if _read_only_mount(folder):
        return f"its disk is mounted read-only ({folder})"
    if not os.access(folder, os.W_OK):
        return f"its folder {folder} is read-only for you"
    if path.exists() and not os.access(path, os.W_OK):
        return "the journal file is read-only for you (`chmod u+w` makes it writable)"
    return "SQLite was refused the write (the file or its folder is read-only)"


def file_problem(path: Path, error: OSError | None) -> str:
    """Why a file could not be opened, from the file system itself."""
    folder = path.absolute().parent
    if not folder.exists():
        return f"its folder {folder} does not exist"
    number = error.errno if error is not None else None
    if number == errno.ENOSPC:
        return "the disk is full; free some space and try again"
    if number == errno.EROFS:
        return read_only_reason(path)
    if not os.access(folder, os.X_OK) or (path.exists() and not os.access(path, os.R_OK)):
        return "permission denied: it belongs to another user, or its mode shuts you out"
    if error is not None:
        return error.strerror or str(error)
    if not folder_writable(path):
        return read_only_reason(path)
    return "SQLite could not open it"


def _io_reason(path: Path) -> str:
    try:
        free = os.statvfs(path.absolute().parent)
    except OSError:
        return "the disk refused the write"
    if free.f_bavail * free.f_frsize < 1 << 20:
        return "the disk is full; free some space and try again"
    return "the disk refused the write (a file-size limit, or a failing disk)"


def _read_only_mount(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _expected_size(header: bytes) -> int:
    """The file size the SQLite header promises, when its page count is trustworthy."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # the count is valid only when the change counter matches "version-valid-for"
    return pages * page_size if header[24:28] == header[92:96] else 0
