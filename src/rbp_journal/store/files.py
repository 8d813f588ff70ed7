"""Whole files beside the journal: backups (daily, before an upgrade, on request), words kept
when a write is refused, and every rbp file there is (and which still hold plain text).
Overwriting what must not linger is store.overwrite; replacing a file whole, store.swaps.

Every file made here is owner-only from its first byte; a copy of an encrypted journal is
encrypted with the same passphrase and gets its marker. A copy is written under a temporary
name and renamed into place only when whole, so a full disk or a crash never leaves a 0-byte
"backup" where a real one belongs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rbp_journal import encryption, paths
from rbp_journal.errors import StorageFailed, is_database_error
from rbp_journal.store.overwrite import fsync_path, remove_half, shred
from rbp_journal.store.sqlite import connect, create_private_file

if TYPE_CHECKING:
    from rbp_journal.store.connection import Connection

KEEP_DAILY = 7
UNSAVED_FOLDER = "unsaved"
STAGES = (".converting", ".rekeyed", ".restoring")
PARTIAL = ".partial"
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
    remove_half(partial)
    create_private_file(partial)
    try:
        copy = connect(partial, connection.key)
        try:
            source.backup(copy)
        finally:
            copy.close()
        fsync_path(partial)
        if partial.stat().st_size == 0:
            raise StorageFailed(target, "the copy came out empty")
        if connection.key is not None:
            encryption.write_marker(target, connection.key.marker)
        os.replace(partial, target)
        fsync_path(target.parent)
    except BaseException:
        remove_half(partial)
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
            remove_half(target)
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
        remove_half(target)
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
