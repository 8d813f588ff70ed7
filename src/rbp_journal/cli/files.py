"""Where --output writes: stdout, a regular file replaced whole, or anything else written
straight through (a FIFO, /dev/stdout, a process substitution), never the journal's own files."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from rbp_journal import paths
from rbp_journal.cli import state
from rbp_journal.errors import OutputIsJournal


@contextmanager
def output(path: str | None) -> Iterator[TextIO]:
    """Where --output writes: stdout for none or "-"; a regular file (symlinks followed to the
    real one) written whole or not at all, through a temp file beside it renamed into place,
    keeping the file's mode (owner-only when new); anything else — a FIFO, /dev/stdout, a
    process substitution, a file with other hard links — written straight through, never
    replaced. The journal and its own files are refused."""
    if path is None or path == "-":
        yield sys.stdout
        return
    if paths.belongs_to_journal(Path(path), paths.journal_path(state["db"])):
        raise OutputIsJournal(path)
    try:
        found: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        found = None
    if found is not None and (not stat.S_ISREG(found.st_mode) or found.st_nlink > 1):
        with open(path, "w", encoding="utf-8", newline="") as handle:
            yield handle
        return
    with _replacing(Path(os.path.realpath(path)), found) as handle:
        yield handle


@contextmanager
def _replacing(target: Path, found: os.stat_result | None) -> Iterator[TextIO]:
    import tempfile  # with `random`, 3 ms every command would pay: only --output writes files

    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        if found is not None:
            os.fchmod(fd, stat.S_IMODE(found.st_mode))
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
