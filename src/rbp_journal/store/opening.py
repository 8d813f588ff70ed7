"""Opening the journal file: refusing what is not an rbp journal without writing a byte
(store.sqlite), taking rbp's lock (store.lock) and finishing a whole-file change a crash
interrupted (store.swaps), unlocking an encrypted journal, reading it where rbp may not write,
recovering a file a full disk cut short, and bringing an older journal up to date.

Only the commands that store new words pass `create`: a missing journal is otherwise an error
that names the path, so a mistyped RBP_DB never becomes a new empty journal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rbp_journal import encryption
from rbp_journal.errors import (
    NewerJournal,
    NoJournal,
    NotAJournal,
    StorageFailed,
    is_database_error,
)
from rbp_journal.store import migrations, swaps
from rbp_journal.store.connection import Connection, PassphrasePrompt
from rbp_journal.store.lock import JournalLock, Tell
from rbp_journal.store.sqlite import (
    FileCheck,
    Key,
    check_header,
    connect,
    create_private_file,
    diagnose,
    file_problem,
    folder_writable,
    read_only_reason,
    wal_size,
)


def open_connection(
    path: Path,
    passphrase: PassphrasePrompt | None = None,
    secret: str | None = None,
    read_only: bool = False,
    create: bool = False,
    tell: Tell | None = None,
    lock: JournalLock | None = None,
) -> Connection:
    """Open the journal at `path`, up to date; with `create`, make it (owner-only) if absent.

    An encrypted journal is unlocked with `secret` when rbp itself knows it (a copy it just
    made), else as encryption.find_passphrase finds it, asking `passphrase` last. A read-only
    connection (a backup being checked) is never created, locked, configured or migrated.
    `tell` gets messages for the person (waiting for another rbp, a recovery, a new journal).
    """
    if read_only:
        return _open_checked(path, passphrase, secret)
    if not path.exists() and not create:
        raise NoJournal(path)
    if path.exists() and lock is None:
        check_header(path)  # not a journal: refused before a lock file is made beside it
    if create and not path.parent.exists():
        _make_folder(path)
    lock = lock or JournalLock(path, tell)
    try:
        if swaps.interrupted(path):
            with lock.exclusive("finishing an interrupted change of"):
                swaps.finish_swaps(path)
        return _open_locked(path, passphrase, secret, create, tell, lock)
    except BaseException:
        lock.release()
        raise


def _make_folder(path: Path) -> None:
    try:
        from rbp_journal import paths

        paths.make_private_dir(path.parent)
    except OSError as error:
        raise StorageFailed(path, f"its folder cannot be made ({error.strerror})") from None


def _open_locked(
    path: Path,
    passphrase: PassphrasePrompt | None,
    secret: str | None,
    create: bool,
    tell: Tell | None,
    lock: JournalLock,
) -> Connection:
    fresh = not path.exists()
    if fresh:
        if not create:
            raise NoJournal(path)
        try:
            create_private_file(path)
        except FileExistsError:
            fresh = False  # another rbp made it a moment ago
        except OSError as error:
            raise StorageFailed(path, file_problem(path, error)) from None
    checked = FileCheck(b"") if fresh else check_header(path)
    key = _unlock(path, passphrase, secret) if checked.header is None else None
    writable = folder_writable(path)
    if not writable and wal_size(path) == 0:  # SQLite cannot make its -shm there
        conn = connect(path, key, read_only=True)
    else:
        try:
            conn = connect(path, key)
        except Exception as error:
            if not is_database_error(error):
                raise
            raise diagnose(path, error) from None
    try:
        applied = _applied_migrations(conn, path, fresh, key)
        unknown = [name for name in applied if name not in migrations.NAMES]
        if unknown:
            raise NewerJournal(path, unknown)
        connection = Connection(conn, path, key, applied, lock, tell)
        connection.created = fresh
        connection.writable = writable
        if checked.short:
            connection.recover()
        if not writable:
            if len(applied) < len(migrations.NAMES):
                raise StorageFailed(path, f"it needs an upgrade, and {read_only_reason(path)}")
            return connection
        pending = len(applied) < len(migrations.NAMES)
        if pending and applied:
            connection.check_integrity()  # before configure(), which may write the header
        connection.configure()
        if pending:
            connection.migrate(applied)
        connection.announce = fresh
    except BaseException:
        conn.close()
        raise
    return connection


def _open_checked(
    path: Path, passphrase: PassphrasePrompt | None, secret: str | None
) -> Connection:
    """A backup being checked: read through an immutable connection, never changed."""
    if not path.exists():
        raise StorageFailed(path, "there is no such file")
    key = _unlock(path, passphrase, secret) if check_header(path).header is None else None
    conn = connect(path, key, read_only=True)
    try:
        applied = _applied_migrations(conn, path, False, key)
        unknown = [name for name in applied if name not in migrations.NAMES]
        if unknown:
            raise NewerJournal(path, unknown)
    except BaseException:
        conn.close()
        raise
    return Connection(conn, path, key, applied, None, None)


def _unlock(path: Path, passphrase: PassphrasePrompt | None, secret: str | None) -> Key:
    marker = encryption.read_marker(path)
    assert marker is not None
    encryption.driver(path)  # say how to install it before asking for anything
    if secret is None:
        secret = encryption.find_passphrase(path, marker, passphrase)
    return Key(marker, secret)


def _applied_migrations(conn: Any, path: Path, fresh: bool, key: Key | None) -> list[str]:
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "_sqlite_migrations" not in tables:
            if tables and not fresh:
                raise NotAJournal(path, "is an SQLite database but not an rbp journal")
            return []
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
            [migrations.MIGRATION_SET],
        )
        return [row[0] for row in rows]
    except Exception as error:
        if not is_database_error(error):
            raise
        if key is not None and not key.marker.verifies(key.secret):
            raise encryption.WrongPassphrase(path) from None
        raise diagnose(path, error) from None
