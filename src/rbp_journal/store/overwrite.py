"""Overwriting what must not linger: a replaced journal's blocks, half-made files, kept
words once stored; and writing a small file whole (temporary name, fsync, rename)."""

from __future__ import annotations

import os
from pathlib import Path

from rbp_journal import encryption


def replace_shredding(new: Path, old: Path) -> None:
    """Rename `new` over `old`, then overwrite the replaced file's bytes with zeros.

    The old file is held open across the rename, so its blocks can still be overwritten
    after its name is gone. (On SSDs and copy-on-write file systems the drive may keep old
    blocks elsewhere; full-disk encryption is the answer there.)
    """
    fd = os.open(old, os.O_WRONLY)
    try:
        os.replace(new, old)
        fsync_path(old.parent)
        if os.fstat(fd).st_nlink == 0:  # no other name (a restore's aside copy) still wants it
            _zero(fd)
    finally:
        os.close(fd)


def shred(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        if os.fstat(fd).st_nlink == 1:
            _zero(fd)
    finally:
        os.close(fd)
    path.unlink()


def discard(path: Path) -> None:
    """Remove a half-made file, its marker, and what SQLite left beside it."""
    for side in ("", "-journal", "-wal", "-shm"):
        remove_half(path.with_name(path.name + side))
    encryption.marker_path(path).unlink(missing_ok=True)


def remove_half(path: Path) -> None:
    """Remove a half-made file: plain ones are overwritten first."""
    if not path.exists():
        return
    if path.is_file() and not path.name.endswith(encryption.MARKER_SUFFIX):
        shred(path)
    else:
        path.unlink()


def _zero(fd: int) -> None:
    size = os.fstat(fd).st_size
    os.lseek(fd, 0, os.SEEK_SET)
    block = b"\0" * 65536
    for start in range(0, size, len(block)):
        os.write(fd, block[: min(len(block), size - start)])
    os.fsync(fd)


def write_whole(path: Path, text: str) -> None:
    temp = path.with_name(path.name + ".tmp")
    fd = os.open(temp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    fsync_path(path.parent)


def fsync_path(path: Path) -> None:
    """Make what was written to a file, or a folder's names, reach the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
