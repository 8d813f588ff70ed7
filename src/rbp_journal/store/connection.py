"""Opening the journal file: refusing what is not an rbp journal without writing a byte,
unlocking an encrypted one, the pragmas, migrations, and one write transaction at a time.

Reads go straight through the standard library's sqlite3 connection (what sqlite-utils
wraps), so a read command never pays for importing sqlite-utils. Every write starts with
BEGIN IMMEDIATE: a deferred BEGIN that reads before it writes fails at once with
SQLITE_BUSY_SNAPSHOT when another process writes, and the busy timeout cannot help it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rbp_journal import encryption
from rbp_journal.errors import (
    JournalDamaged,
    JournalLocked,
    NewerJournal,
    NotAJournal,
    StorageFailed,
    is_database_error,
)
from rbp_journal.store import files, migrations
from rbp_journal.store.sqlite import (
    BUSY_TIMEOUT_MS,
    Key,
    check_header,
    connect,
    create_private_file,
)

PassphrasePrompt = Callable[[str], str]  # asks for a passphrase; the argument is a note


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def open_connection(
    path: Path,
    passphrase: PassphrasePrompt | None = None,
    secret: str | None = None,
    read_only: bool = False,
) -> Connection:
    """Open (creating owner-only if absent) the journal at `path`, up to date.

    An encrypted journal is unlocked with `secret` when rbp itself knows it (a copy it just
    made), else as encryption.find_passphrase finds it, asking `passphrase` last. A read-only
    connection (a backup being checked) is never created, configured or migrated.
    """
    fresh = not path.exists()
    key: Key | None = None
    if fresh:
        if read_only:
            raise StorageFailed(path, "there is no such file")
        create_private_file(path)
    elif check_header(path) is None:
        key = _unlock(path, passphrase, secret)
    conn = connect(path, key, read_only)
    try:
        applied = _applied_migrations(conn, path, fresh, key)
        unknown = [name for name in applied if name not in migrations.NAMES]
        if unknown:
            raise NewerJournal(path, unknown)
        connection = Connection(conn, path, key, applied)
        if read_only:
            return connection
        pending = len(applied) < len(migrations.NAMES)
        if pending and applied:
            connection.check_integrity()  # before configure(), which may write the header
        connection.configure()
        if pending:
            connection.migrate(applied)
    except BaseException:
        conn.close()
        raise
    return connection


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
        raise JournalDamaged(path, f"cannot be read ({error})") from None


class Connection:
    """An open journal: its SQLite connection, where it is, and how it was unlocked."""

    def __init__(
        self, conn: sqlite3.Connection, path: Path, key: Key | None, applied: list[str]
    ) -> None:
        self.conn = conn
        self.path = path
        self.key = key
        self.applied = applied
        self.backed_up = False  # a copy was taken today by this process (or nothing to copy)
        # sqlite3, or sqlcipher3's copy of it for an encrypted journal: its own Row and errors
        self.driver = sys.modules[type(conn).__module__]
        conn.row_factory = self.driver.Row

    def close(self) -> None:
        self.conn.close()

    def configure(self) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA synchronous = FULL")
        # deleted and overwritten words are zeroed in the file, not left in free pages
        self.conn.execute("PRAGMA secure_delete = ON")
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.conn.execute("PRAGMA journal_mode = WAL")

    def check_integrity(self) -> None:
        """SQLite's full integrity check: a damaged journal is never migrated."""
        problems = [line for line in self.integrity_check() if line != "ok"]
        if problems:
            raise JournalDamaged(self.path, f"fails its integrity check ({problems[0]})")

    def migrate(self, applied: list[str]) -> None:
        """Apply pending migrations; an existing journal is copied to backups/ first."""
        self.backed_up = True  # the copy below (or an empty new journal) is today's backup
        if applied:
            step = next(name for name in migrations.NAMES if name not in applied)
            files.copy_aside(self, f"before-upgrade-to-{step}")
        with self.write(backup=False):
            migrations.apply(self.conn)
        self.applied = list(migrations.NAMES)

    @contextmanager
    def write(self, backup: bool = True) -> Iterator[None]:
        """One write transaction, taken with BEGIN IMMEDIATE (see the module docstring)."""
        if backup:
            files.daily_backup(self)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except self.driver.OperationalError as error:
            raise self.failure(error) from None
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException as error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(error, self.driver.OperationalError):
                raise self.failure(error) from None
            raise

    def failure(self, error: Exception) -> Exception:
        """SQLite's write failures, as the sentence a person needs."""
        text = str(error).lower()
        if "locked" in text or "busy" in text:
            return JournalLocked(self.path)
        if "full" in text:
            return StorageFailed(self.path, "the disk is full")
        if "readonly" in text or "read-only" in text:
            return StorageFailed(self.path, "the journal or its folder is read-only")
        if "disk i/o" in text:
            return StorageFailed(self.path, "the disk refused the write (full, or a size limit)")
        return error

    def schema_version(self) -> list[str]:
        return list(self.applied)

    def integrity_check(self) -> list[str]:
        """SQLite's full check ("ok" when sound); for an encrypted journal, every page's HMAC too."""
        try:
            found = [row[0] for row in self.conn.execute("PRAGMA integrity_check")]
            if self.key is not None:  # lists the pages whose HMAC fails; nothing when all pass
                found += [row[0] for row in self.conn.execute("PRAGMA cipher_integrity_check")]
        except Exception as error:
            if not is_database_error(error):
                raise
            return [f"{error}"]
        return found
