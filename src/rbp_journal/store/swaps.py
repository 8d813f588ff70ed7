"""Replacing files whole (restore, encrypt, decrypt, a new passphrase) so that a crash at
any step leaves every journal file whole and openable.

The new files are written and checked beside the old ones (`<file>.converting`, `.rekeyed`,
`.restoring`), then a small plan (`<journal>.swap.json`) is written and carried out, marker
first, then file. A crash before the plan leaves the old files, and the half-made new ones are
cleared at the next start (files.leftovers); a crash after it is finished at the next start
(finish_swaps, under rbp's lock held alone), so a journal, its backups and their markers change
together. The -wal of a file being replaced is never deleted by name: a replacement waits
until SQLite itself has folded and removed it (the last connection closing).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from rbp_journal import encryption
from rbp_journal.errors import StorageFailed
from rbp_journal.store import files, overwrite
from rbp_journal.store.sqlite import create_private_file, wal_size

STAGES = files.STAGES
SWAP_SUFFIX = ".swap.json"


class Swap(NamedTuple):
    """Put `new` in place of `target`, with `marker` (None: not encrypted) beside it;
    `shred` overwrites the replaced file's bytes (it was plain text)."""

    new: str
    target: str
    marker: dict[str, Any] | None
    shred: bool


def staged(target: Path, stage: str) -> Path:
    return target.with_name(target.name + stage)


def swap_plan(db: Path) -> Path:
    return db.with_name(db.name + SWAP_SUFFIX)


def swap(db: Path, swaps: Iterable[Swap]) -> None:
    """Carry out replacements that must happen together, so that a crash part way is finished
    by the next rbp to open the journal (see the module docstring)."""
    plan = swap_plan(db)
    text = json.dumps({"swaps": [s._asdict() for s in swaps]}, indent=2)
    overwrite.write_whole(plan, text)
    finish_swaps(db)


def finish_swaps(db: Path) -> bool:
    """Finish a plan a crash interrupted, or clear half-made files of one never begun;
    returns whether there was anything to do. The caller holds the journal alone."""
    plan = swap_plan(db)
    if not plan.exists():
        left = list(files.leftovers(db))
        for path in left:
            overwrite.discard(path)
        return bool(left)
    for item in json.loads(plan.read_text(encoding="utf-8"))["swaps"]:
        _apply(db.parent, Swap(**item))
    overwrite.fsync_path(db.parent)
    plan.unlink()
    overwrite.fsync_path(db.parent)
    return True


def _apply(folder: Path, item: Swap) -> None:
    new, target = folder / item.new, folder / item.target
    if not new.exists():
        return  # done before the crash
    if wal_size(target) > 0:
        raise StorageFailed(
            target, "another program still has it open (its -wal is not empty); close it first"
        )
    if item.marker is not None:
        encryption.write_marker(target, encryption.Marker(**item.marker))
    else:
        encryption.marker_path(target).unlink(missing_ok=True)
    encryption.marker_path(new).unlink(missing_ok=True)
    if item.shred and target.exists():
        overwrite.replace_shredding(new, target)
    else:
        os.replace(new, target)


def keep_aside(db: Path) -> Path:
    """A second name for the journal file as it is now, with its marker (for restore). A name
    taken in the same second by another file gets a number; one a restore cut short in that
    second already gave this very file is kept."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    marker = encryption.read_marker(db)
    aside, number = db.with_name(f"{db.name}.replaced-{stamp}"), 1
    while aside.exists() and not aside.samefile(db):
        number += 1
        aside = db.with_name(f"{db.name}.replaced-{stamp}-{number}")
    if marker is not None:  # first, so the second name is never without it
        encryption.write_marker(aside, marker)
    if not aside.exists():
        os.link(db, aside)
    overwrite.fsync_path(db.parent)
    return aside


def stage_copy(source: Path, target: Path, stage: str) -> Path:
    """A byte copy of `source` beside `target`, owner-only from its first byte."""
    copy = staged(target, stage)
    overwrite.discard(copy)
    create_private_file(copy)
    with source.open("rb") as reading, copy.open("r+b") as writing:
        shutil.copyfileobj(reading, writing, 1 << 20)
        writing.flush()
        os.fsync(writing.fileno())
    return copy


def interrupted(db: Path) -> bool:
    return swap_plan(db).exists() or any(True for _ in files.leftovers(db))
