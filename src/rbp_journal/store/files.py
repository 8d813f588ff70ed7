"""Whole files beside the journal: backups (daily, before an upgrade, on request), replacing a
file whole (restore, encrypt, decrypt, a new passphrase), words kept when a write is refused,
every rbp file there is, and overwriting what must not linger.

Every file made here is owner-only from its first byte; a copy of an encrypted journal is
encrypted with the same passphrase and gets its marker. A copy is written under a temporary
name and renamed into place only when whole, so a full disk or a crash never leaves a 0-byte
"backup" where a real one belongs.

A whole-file replacement is two steps: the new files are written and checked beside the old
ones (`<file>.converting`, `.rekeyed`, `.restoring`), then a small plan (`<journal>.swap.json`)
is written and carried out, marker first, then file. A crash before the plan leaves the old
files, and the half-made new ones are removed at the next start; a crash after it is finished
at the next start (finish_swaps), so a journal, its backups and their markers change together.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rbp_journal import encryption, paths
from rbp_journal.errors import StorageFailed, is_database_error
from rbp_journal.store.sqlite import connect, create_private_file, wal_size

if TYPE_CHECKING:
    from rbp_journal.store.connection import Connection

KEEP_DAILY = 7
UNSAVED_FOLDER = "unsaved"
STAGES = (".converting", ".rekeyed", ".restoring")
PARTIAL = ".partial"
SWAP_SUFFIX = ".swap.json"
SCAN_COPY_SUFFIX = ".before-scan.bak"
MIN_COPY = 4096  # one page: no journal is smaller


def backup_folder(db: Path) -> Path:
    return db.parent / "backups"


def backups(db: Path) -> list[Path]:
    """rbp's own copies of the journal at `db` in backups/, newest first."""
    folder = backup_folder(db)
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.glob(f"{db.stem}-*.db") if not p.name.startswith(".")), reverse=True
    )


def backup(connection: Connection, target: Path) -> None:
    """A consistent copy through SQLite's online backup API, owner-only, written whole under a
    temporary name first; a copy of an encrypted journal is encrypted with the same
    passphrase, and has its marker."""
    copy_from(connection.conn, connection, target)


def copy_from(source: Any, connection: Connection, target: Path) -> None:
    partial = target.with_name(f".{target.name}{PARTIAL}-{os.getpid()}")
    _remove(partial)
    create_private_file(partial)
    try:
        copy = connect(partial, connection.key)
        try:
            source.backup(copy)
        finally:
            copy.close()
        _fsync(partial)
        if partial.stat().st_size == 0:
            raise StorageFailed(target, "the copy came out empty")
        if connection.key is not None:
            encryption.write_marker(target, connection.key.marker)
        os.replace(partial, target)
        _fsync_folder(target.parent)
    except BaseException:
        _remove(partial)
        raise


def copy_aside(connection: Connection, why: str) -> Path:
    """A copy in backups/ named for the moment and the reason (before an upgrade, a purge)."""
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    folder = backup_folder(connection.path)
    paths.make_private_dir(folder)
    target = folder / f"{connection.path.stem}-{stamp}-{why}.db"
    backup(connection, target)
    return target


def daily_target(db: Path) -> Path:
    return backup_folder(db) / f"{db.stem}-{dt.date.today().isoformat()}.db"


def needs_daily_backup(db: Path) -> bool:
    """No good copy of today yet: a 0-byte or cut-off file from a full disk is no copy."""
    try:
        return daily_target(db).stat().st_size < MIN_COPY
    except OSError:
        return True


def daily_backup(connection: Connection, reader: Any, keep: int = KEEP_DAILY) -> Path:
    """Today's copy of the journal in backups/ (keeping `keep`), read through `reader` (a
    second connection: the caller holds the write lock, so nothing changes meanwhile)."""
    db = connection.path
    target = daily_target(db)
    paths.make_private_dir(target.parent)
    copy_from(reader, connection, target)
    for old in backups(db)[keep:]:
        old.unlink()
        encryption.marker_path(old).unlink(missing_ok=True)
    return target


# --- replacing files whole ----------------------------------------------------------------


@dataclass(frozen=True)
class Swap:
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
    text = json.dumps({"swaps": [asdict(s) for s in swaps]}, indent=2)
    _write_whole(plan, text)
    finish_swaps(db)


def finish_swaps(db: Path) -> bool:
    """Finish a plan a crash interrupted, or clear half-made files of one never begun;
    returns whether there was anything to do. The caller holds the journal alone."""
    plan = swap_plan(db)
    if not plan.exists():
        left = list(leftovers(db))
        for path in left:
            _remove(path)
        return bool(left)
    for item in json.loads(plan.read_text(encoding="utf-8"))["swaps"]:
        _apply(db.parent, Swap(**item))
    _fsync_folder(db.parent)
    plan.unlink()
    _fsync_folder(db.parent)
    return True


def interrupted(db: Path) -> bool:
    return swap_plan(db).exists() or any(True for _ in leftovers(db))


def leftovers(db: Path) -> Iterator[Path]:
    """Half-made files of a replacement that never began, and copies a crash cut short."""
    for folder in (db.parent, backup_folder(db)):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            name = _base_name(path.name)
            if name.endswith(STAGES) or (name.startswith(".") and _dead_partial(name)):
                yield path


def _base_name(name: str) -> str:
    """A file's name without what SQLite or rbp add beside it (its journal, marker…)."""
    for suffix in ("-journal", "-wal", "-shm", ".tmp", encryption.MARKER_SUFFIX):
        name = name.removesuffix(suffix)
    return name.removesuffix(encryption.MARKER_SUFFIX)


def _dead_partial(name: str) -> bool:
    """A partial copy whose writer is gone (a live one is being written under the lock)."""
    _, found, pid = name.rpartition(f"{PARTIAL}-")
    if not found or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return int(pid) == os.getpid()


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
        replace_shredding(new, target)
    else:
        os.replace(new, target)


def keep_aside(db: Path) -> Path:
    """A second name for the journal file as it is now, with its marker (for restore)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db.with_name(f"{db.name}.replaced-{stamp}")
    marker = encryption.read_marker(db)
    if marker is not None:  # first, so the second name is never without it
        encryption.write_marker(aside, marker)
    os.link(db, aside)
    _fsync_folder(db.parent)
    return aside


def stage_copy(source: Path, target: Path, stage: str) -> Path:
    """A byte copy of `source` beside `target`, owner-only from its first byte."""
    copy = staged(target, stage)
    _remove(copy)
    create_private_file(copy)
    with source.open("rb") as reading, copy.open("r+b") as writing:
        shutil.copyfileobj(reading, writing, 1 << 20)
        writing.flush()
        os.fsync(writing.fileno())
    return copy


# --- every rbp file beside the journal ----------------------------------------------------


def journal_copies(db: Path) -> list[Path]:
    """Whole copies of the journal rbp made: daily and named backups, the file a restore
    replaced, the copy taken before `scan --mask`."""
    beside = [
        p for p in db.parent.glob(f"{db.name}.replaced-*") if encryption.MARKER_SUFFIX not in p.name
    ]
    scan_copy = db.with_name(db.name + SCAN_COPY_SUFFIX)
    return [*backups(db), *sorted(beside), *([scan_copy] if scan_copy.exists() else [])]


def editor_texts(db: Path) -> list[Path]:
    return sorted(db.parent.glob("rbp-*.md"))


def plain_files(db: Path) -> list[Path]:
    """rbp files beside the journal that hold words in plain text: copies without a marker,
    kept words in JSON, editor texts left by a crash, half-made files."""
    copies = [p for p in journal_copies(db) if not encryption.marker_path(p).exists()]
    words = [p for p in kept_words(db) if p.suffix == ".json"]
    half = [
        p
        for p in leftovers(db)
        if not p.name.endswith(encryption.MARKER_SUFFIX) and not encryption.marker_path(p).exists()
    ]
    return [*copies, *words, *editor_texts(db), *half]


# --- words that could not be stored -----------------------------------------------------


def unsaved_folder(db: Path) -> Path:
    return db.parent / UNSAVED_FOLDER


def keep_words(db: Path, key: Any, words: dict[str, Any]) -> Path:
    """Keep words a person typed that could not be stored, in one owner-only file in the
    journal's own folder; encrypted with the journal's passphrase when the journal is. When
    that folder refuses too (read-only, full), rbp's folder in the user data directory."""
    try:
        text = json.dumps(words, ensure_ascii=False, indent=2)
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: kept exactly, as a JSON escape
        text = json.dumps(words, indent=2)
    folders = [unsaved_folder(db), paths.journal_path_default().parent / UNSAVED_FOLDER]
    failure: Exception | None = None
    for folder in dict.fromkeys(folders):
        try:
            return _keep_in(folder, key, text)
        except Exception as error:  # the disk's refusal, through the OS or through SQLCipher
            if not isinstance(error, OSError) and not is_database_error(error):
                raise
            failure = failure or error
    raise StorageFailed(
        db, f"the words could not be kept either ({getattr(failure, 'strerror', None) or failure})"
    ) from None


def _keep_in(folder: Path, key: Any, text: str) -> Path:
    paths.make_private_dir(folder)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    if key is None:
        target = folder / f"{stamp}.json"
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            _remove(target)
            raise
        return target
    target = folder / f"{stamp}.db"
    create_private_file(target)
    try:
        conn = connect(target, key)
        try:
            conn.execute("CREATE TABLE words (json TEXT NOT NULL)")
            conn.execute("INSERT INTO words VALUES (?)", [text])
        finally:
            conn.close()
        encryption.write_marker(target, key.marker)
    except Exception:
        _remove(target)
        raise
    return target


def kept_words(db: Path) -> list[Path]:
    """The kept files of words not yet stored, oldest first (markers left out)."""
    folder = unsaved_folder(db)
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in {".json", ".db"} and not p.name.endswith(encryption.MARKER_SUFFIX)
    )


def read_kept(path: Path, key: Any) -> dict[str, Any]:
    """What keep_words wrote."""
    if path.suffix == ".json":
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    conn = connect(path, key)
    try:
        row = conn.execute("SELECT json FROM words").fetchone()
    finally:
        conn.close()
    kept: dict[str, Any] = json.loads(row[0])
    return kept


def forget_kept(path: Path) -> None:
    """Overwrite and remove a kept file once its words are stored."""
    shred(path)
    encryption.marker_path(path).unlink(missing_ok=True)


# --- overwriting ------------------------------------------------------------------------


def replace_shredding(new: Path, old: Path) -> None:
    """Rename `new` over `old`, then overwrite the replaced file's bytes with zeros.

    The old file is held open across the rename, so its blocks can still be overwritten
    after its name is gone. (On SSDs and copy-on-write file systems the drive may keep old
    blocks elsewhere; full-disk encryption is the answer there.)
    """
    fd = os.open(old, os.O_WRONLY)
    try:
        os.replace(new, old)
        _fsync_folder(old.parent)
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
        _remove(path.with_name(path.name + side))
    encryption.marker_path(path).unlink(missing_ok=True)


def _remove(path: Path) -> None:
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


def _write_whole(path: Path, text: str) -> None:
    temp = path.with_name(path.name + ".tmp")
    fd = os.open(temp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    _fsync_folder(path.parent)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
