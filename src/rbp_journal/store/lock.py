"""rbp's own lock beside the journal, over SQLite's: held shared by every rbp that has the
journal open, and exclusively while one replaces the whole file (encrypt, decrypt, a new
passphrase, restore, the VACUUM of a purge).

SQLite's locks cover one transaction; replacing the file is not a transaction, and writes
another process committed into the old file meanwhile were lost (15 of 584 in a measurement).
So every rbp takes this lock before it reads or accepts a word and keeps it until it closes the
journal: a process about to replace the file waits for the others to close it, and a process
that starts meanwhile waits (saying why) until the new file is in place.

The lock is `flock` on `<journal>.lock`, one open file a process (opening the same journal
twice in one process shares it), so a crash releases it. In a folder where the lock file
cannot be made (read-only), nothing can replace the journal either, and no lock is needed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rbp_journal.errors import JournalBusy

if sys.platform != "win32":  # Windows has no flock: there the lock is not taken (README)
    import fcntl

Tell = Callable[[str], None]  # a message for the person while rbp waits

LOCK_SUFFIX = ".lock"
SHARED_WAIT = 600.0  # for another rbp to finish replacing the file (a large encrypt)
EXCLUSIVE_WAIT = 15.0  # for other rbp processes to close the journal
POLL = 0.05


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + LOCK_SUFFIX)


class _Held:
    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.users = 0
        self.exclusive = False


_held: dict[tuple[int, int], _Held] = {}


class JournalLock:
    """This process's hold on the lock of one journal (None fd: no lock file possible)."""

    def __init__(self, db: Path, tell: Tell | None = None) -> None:
        self.db = db
        self.tell = tell
        self._held: _Held | None = None
        self._key: tuple[int, int] | None = None
        fd = _open(lock_path(db))
        if fd is None:
            return
        stat = os.fstat(fd)
        key = (stat.st_dev, stat.st_ino)
        held = _held.get(key)
        if held is None:
            held = _held[key] = _Held(fd)
            try:
                self._wait(fd, fcntl.LOCK_SH, SHARED_WAIT, self._busy_note)
            except BaseException:
                del _held[key]
                os.close(fd)
                raise
        else:
            os.close(fd)
        held.users += 1
        self._held, self._key = held, key

    def again(self) -> JournalLock:
        """A second hold on the same lock (for a connection that reopens the journal while
        this one closes), so the lock is never let go in between."""
        other = JournalLock.__new__(JournalLock)
        other.db, other.tell, other._held, other._key = self.db, self.tell, self._held, self._key
        if self._held is not None:
            self._held.users += 1
        return other

    def release(self) -> None:
        held, self._held = self._held, None
        if held is None or self._key is None:
            return
        held.users -= 1
        if held.users == 0:
            del _held[self._key]
            os.close(held.fd)  # closing releases the flock

    @contextmanager
    def exclusive(self, doing: str) -> Iterator[None]:
        """Hold the journal alone while `doing` ("encrypting") replaces it; other rbp
        processes are waited for (up to EXCLUSIVE_WAIT), and wait for this one."""
        held = self._held
        if held is None or held.exclusive:
            yield
            return
        self._wait(held.fd, fcntl.LOCK_EX, EXCLUSIVE_WAIT, self._others_note)
        held.exclusive = True
        _describe(held.fd, f"{doing} (process {os.getpid()})")
        try:
            yield
        finally:
            held.exclusive = False
            if held.users > 0:  # else every hold was let go, and the lock with its file
                _describe(held.fd, "")
                fcntl.flock(held.fd, fcntl.LOCK_SH)

    def _wait(self, fd: int, mode: int, limit: float, note: Callable[[int], str]) -> None:
        deadline = time.monotonic() + limit
        told = False
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                pass
            if mode == fcntl.LOCK_EX:
                # a refused conversion drops the shared lock (flock(2)): take it back at once
                with contextlib.suppress(BlockingIOError):
                    fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            if time.monotonic() > deadline:
                if mode == fcntl.LOCK_EX:
                    self._wait(fd, fcntl.LOCK_SH, SHARED_WAIT, self._busy_note)
                raise JournalBusy(self.db, _doing(fd) or "", exclusive=mode == fcntl.LOCK_EX)
            if not told and self.tell is not None:
                self.tell(note(fd))
                told = True
            time.sleep(POLL)

    def _busy_note(self, fd: int) -> str:
        doing = _doing(fd) or "replacing"
        return f"Waiting: another rbp is {doing} {self.db}…"

    def _others_note(self, fd: int) -> str:
        return f"Waiting for the other rbp using {self.db} to finish (Ctrl-C stops)…"


def _open(path: Path) -> int | None:
    if sys.platform == "win32":
        return None
    for flags in (os.O_RDWR | os.O_CREAT, os.O_RDONLY):
        try:
            fd = os.open(path, flags | os.O_CLOEXEC, 0o600)
        except OSError as error:
            if error.errno in {errno.EACCES, errno.EROFS, errno.EPERM}:
                continue
            if error.errno == errno.ENOENT:  # no folder: the caller says so
                return None
            raise
        return fd
    return None


def _describe(fd: int, text: str) -> None:
    """Say in the lock file what the exclusive holder is doing, for those who wait."""
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, text.encode(), 0)
    except OSError:
        pass  # a lock file opened read-only: waiting without the reason is fine


def _doing(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode(errors="replace")
    except OSError:
        return ""
    return text.split(" (process")[0].strip()
