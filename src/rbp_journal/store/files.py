"""Whole files beside the journal: backups (daily, before an upgrade, on request), putting a
backup back, words kept when a write is refused, and overwriting what must not linger.

Every file made here is owner-only; a copy of an encrypted journal is encrypted with the same
passphrase and gets its marker.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rbp_journal import encryption, paths
from rbp_journal.store.sqlite import connect, create_private_file

if TYPE_CHECKING:
    from rbp_journal.store.connection import Connection

KEEP_DAILY = 7
UNSAVED_FOLDER = "unsaved"


def backup_folder(db: Path) -> Path:
    return db.parent / "backups"


def backups(db: Path) -> list[Path]:
    """rbp's own copies of the journal at `db` in backups/, newest first."""
    folder = backup_folder(db)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db.stem}-*.db"), reverse=True)


def backup(connection: Connection, target: Path) -> None:
    """A consistent copy through SQLite's online backup API, owner-only; a copy of an
    encrypted journal is encrypted with the same passphrase, and has its marker."""
    if target.exists():
        target.unlink()
    create_private_file(target)
    copy = connect(target, connection.key)
    try:
        connection.conn.backup(copy)
    finally:
        copy.close()
    if connection.key is not None:
        encryption.write_marker(target, connection.key.marker)


def copy_aside(connection: Connection, why: str) -> Path:
    """A copy in backups/ named for the moment and the reason (before an upgrade, a purge)."""
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    folder = backup_folder(connection.path)
    paths.make_private_dir(folder)
    target = folder / f"{connection.path.stem}-{stamp}-{why}.db"
    backup(connection, target)
    return target


def daily_backup(connection: Connection, keep: int = KEEP_DAILY) -> Path | None:
    """Before the first write of each day, copy the journal to backups/ (keeping `keep`)."""
    if connection.backed_up or connection.conn.in_transaction:
        return None
    connection.backed_up = True
    db = connection.path
    target = backup_folder(db) / f"{db.stem}-{dt.date.today().isoformat()}.db"
    has_data = connection.conn.execute("SELECT 1 FROM reflections LIMIT 1").fetchone()
    if target.exists() or not has_data:
        return None
    paths.make_private_dir(target.parent)
    # several rbp may make the first write of the day at once: each copies to a file of its
    # own and links it into place, so none writes into a copy another is making
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        backup(connection, temp)
        os.link(temp, target)
    except FileExistsError:
        return None  # another rbp made today's copy meanwhile
    finally:
        temp.unlink(missing_ok=True)
        encryption.marker_path(temp).unlink(missing_ok=True)
    if connection.key is not None:
        encryption.write_marker(target, connection.key.marker)
    for old in backups(db)[keep:]:
        old.unlink()
        encryption.marker_path(old).unlink(missing_ok=True)
    return target


def put_back(backup_file: Path, db: Path, marker: encryption.Marker | None) -> Path:
    """Put a checked backup in place of the (closed) journal at `db`, keeping the current
    file aside; returns where it went."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db.with_name(f"{db.name}.replaced-{stamp}")
    db.rename(aside)
    for side in ("-wal", "-shm"):
        db.with_name(db.name + side).unlink(missing_ok=True)
    shutil.copyfile(backup_file, db)
    db.chmod(0o600)
    if marker is not None:
        encryption.write_marker(db, marker)
    else:
        encryption.marker_path(db).unlink(missing_ok=True)
    return aside


# --- words that could not be stored -----------------------------------------------------


def unsaved_folder(db: Path) -> Path:
    return db.parent / UNSAVED_FOLDER


def keep_words(db: Path, key: Any, words: dict[str, Any]) -> Path:
    """Keep words a person typed that could not be stored, in one owner-only file in the
    journal's own folder; encrypted with the journal's passphrase when the journal is."""
    folder = unsaved_folder(db)
    paths.make_private_dir(folder)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    text = json.dumps(words, ensure_ascii=False, indent=2)
    if key is None:
        target = folder / f"{stamp}.json"
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        return target
    target = folder / f"{stamp}.db"
    create_private_file(target)
    conn = connect(target, key)
    try:
        conn.execute("CREATE TABLE words (json TEXT NOT NULL)")
        conn.execute("INSERT INTO words VALUES (?)", [text])
    finally:
        conn.close()
    encryption.write_marker(target, key.marker)
    return target


def kept_words(db: Path) -> list[Path]:
    """The kept files of words not yet stored, oldest first (markers left out)."""
    folder = unsaved_folder(db)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in {".json", ".db"})


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
        _zero(fd)
    finally:
        os.close(fd)
    for side in ("-wal", "-shm"):  # gone when the last connection closed; shred any left
        leftover = old.with_name(old.name + side)
        if leftover.exists():
            shred(leftover)


def shred(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        _zero(fd)
    finally:
        os.close(fd)
    path.unlink()


def _zero(fd: int) -> None:
    size = os.fstat(fd).st_size
    os.lseek(fd, 0, os.SEEK_SET)
    block = b"\0" * 65536
    for start in range(0, size, len(block)):
        os.write(fd, block[: min(len(block), size - start)])
    os.fsync(fd)
