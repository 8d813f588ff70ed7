"""Opening the journal file: refusing what is not an rbp journal without writing a byte,
unlocking an encrypted one, the pragmas, migrations, and one write transaction at a time.

Reads go straight through the standard library's sqlite3 connection (what sqlite-utils
wraps), so a read command never pays for importing sqlite-utils. Every write starts with
BEGIN IMMEDIATE: a deferred BEGIN that reads before it writes fails at once with
SQLITE_BUSY_SNAPSHOT when another process writes, and the busy timeout cannot help it.

Inside that lock, the first write of a command checks the file (`quick_check`) and the first
write of a day copies it to backups/: a damaged journal is neither written nor copied over a
good backup, and two first writers of a day cannot race on one copy. Words taken out (a
delete, an edit, a mask, a purge) leave the file's pages (secure_delete), its search index
(FTS5 secure-delete where this SQLite has it, else a merge of the index in the same
transaction) and its -wal (a TRUNCATE checkpoint after the commit).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from rbp_journal.errors import (
    InvalidAnswers,
    JournalChanged,
    JournalDamaged,
    StorageFailed,
    is_database_error,
)
from rbp_journal.store import files, migrations
from rbp_journal.store.lock import JournalLock, Tell
from rbp_journal.store.search_index import SearchIndex
from rbp_journal.store.sqlite import (
    BUSY_TIMEOUT_MS,
    Key,
    connect,
    diagnose,
    read_only_reason,
)

PassphrasePrompt = Callable[[str], str]  # asks for a passphrase; the argument is a note


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Connection:
    """An open journal: its SQLite connection, where it is, how it was unlocked, and rbp's
    lock on it (None for a backup opened only to be checked)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        key: Key | None,
        applied: list[str],
        lock: JournalLock | None,
        tell: Tell | None,
    ) -> None:
        self.conn = conn
        self.path = path
        self.key = key
        self.applied = applied
        self.lock = lock
        self.tell = tell
        self.created = False
        self.announce = False  # say where a new journal is, once it holds something
        self.writable = True
        self.backed_up = False  # today's copy is taken, or this process need not take it
        self.checked = False  # quick_check passed in this process
        self.identity = _identity(path)
        # sqlite3, or sqlcipher3's copy of it for an encrypted journal: its own Row and errors
        self.driver = sys.modules[type(conn).__module__]
        conn.row_factory = self.driver.Row
        self.index = SearchIndex(self)

    def close(self) -> None:
        self.conn.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def configure(self) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA synchronous = FULL")
        # deleted and overwritten words are zeroed in the file, not left in free pages
        self.conn.execute("PRAGMA secure_delete = ON")
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.conn.execute("PRAGMA journal_mode = WAL")

    def recover(self) -> None:
        """A file shorter than its header with the rest in its -wal (a checkpoint the disk
        cut short): if SQLite finds it sound, finish the checkpoint, and say so."""
        problems = [line for line in self.quick_check() if line != "ok"]
        if problems:
            raise JournalDamaged(self.path, f"fails its check ({first_line(problems)})")
        self.checked = True
        if not self.writable:
            return
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except Exception as error:
            if not is_database_error(error):
                raise
            raise diagnose(self.path, error) from None
        if self.tell is not None:
            self.tell(
                f"Recovered {self.path}: an interrupted write had left part of it in "
                f"{self.path.name}-wal; it is whole again."
            )

    def check_integrity(self) -> None:
        """SQLite's full integrity check: a damaged journal is never migrated."""
        problems = [line for line in self.integrity_check() if line != "ok"]
        if problems:
            raise JournalDamaged(self.path, f"fails its integrity check ({first_line(problems)})")

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
        """One write transaction, taken with BEGIN IMMEDIATE (see the module docstring): the
        file checked first in each command and copied first each day, words taken out
        taken out of the search index and the -wal too."""
        if not self.writable:
            raise StorageFailed(self.path, read_only_reason(self.path))
        if _identity(self.path) != self.identity:
            raise JournalChanged(self.path)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except self.driver.OperationalError as error:
            raise diagnose(self.path, error) from None
        try:
            self._before_first_write(backup)
            self.index.watch()
            changes = self.conn.total_changes
            yield
            self.index.settle()
            self.conn.execute("COMMIT")
        except BaseException as error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self.index.forget_watch()
            if isinstance(error, self.driver.Error) and is_database_error(error):
                raise diagnose(self.path, error) from None
            if isinstance(error, UnicodeEncodeError):  # a lone surrogate: not text SQLite holds
                raise InvalidAnswers(
                    f"The text holds {error.object[error.start : error.end]!a}, which is not "
                    "a character; it cannot be stored"
                ) from None
            raise
        if self.index.took_out:
            self.fold_wal()
        self.index.forget_watch()
        if self.announce and backup and self.conn.total_changes > changes:
            self.announce = False
            if self.tell is not None:
                self.tell(f"Started a new journal at {self.path}.")

    def _before_first_write(self, backup: bool) -> None:
        if not self.checked:
            problems = [line for line in self.quick_check() if line != "ok"]
            if problems:
                raise JournalDamaged(self.path, f"fails its check ({first_line(problems)})")
            self.checked = True
        if backup and not self.backed_up:
            self.backed_up = True
            self._daily_backup()

    def _daily_backup(self) -> None:
        """Today's copy, under the write lock this transaction holds; a copy that cannot be
        written is said and skipped, never left half in a backup's place."""
        if not files.needs_daily_backup(self.path):
            return
        if not self.conn.execute("SELECT 1 FROM reflections LIMIT 1").fetchone():
            return
        reader = connect(self.path, self.key)  # the backup API cannot read a writing connection
        try:
            files.daily_backup(self, reader)
        except (OSError, StorageFailed) as error:
            self._say_no_backup(getattr(error, "strerror", None) or str(error))
        except Exception as error:
            if not is_database_error(error):
                raise
            self._say_no_backup(str(diagnose(files.daily_target(self.path), error)))
        finally:
            reader.close()

    def _say_no_backup(self, why: str) -> None:
        if self.tell is not None:
            self.tell(f"Today's backup could not be written ({why}); your words are saved.")

    def fold_wal(self) -> None:
        """Fold the -wal into the file and empty it, so no page of earlier writes stays
        there; another rbp still reading keeps it from finishing, and the last to close
        finishes it."""
        with suppress(Exception):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()

    @contextmanager
    def alone(self, doing: str) -> Iterator[JournalLock]:
        """Hold the journal alone (see store.lock) while `doing` replaces the whole file;
        yields a second hold on the lock for the connection that reopens it."""
        if self.lock is None:
            raise StorageFailed(self.path, read_only_reason(self.path))
        with self.lock.exclusive(doing):
            if _identity(self.path) != self.identity:
                raise JournalChanged(self.path)
            yield self.lock.again()

    def failure(self, error: Exception) -> Exception:
        """SQLite's write failures, as the sentence a person needs."""
        return diagnose(self.path, error)

    def schema_version(self) -> list[str]:
        return list(self.applied)

    def quick_check(self) -> list[str]:
        """SQLite's quick check (every page read, so an encrypted page's HMAC too)."""
        return self._check("quick_check", hmac=False)

    def integrity_check(self) -> list[str]:
        """SQLite's full check ("ok" when sound); for an encrypted journal, every page's HMAC too."""
        return self._check("integrity_check", hmac=True)

    def _check(self, pragma: str, hmac: bool) -> list[str]:
        try:
            found = [row[0] for row in self.conn.execute(f"PRAGMA {pragma}")]
            if hmac and self.key is not None:  # the pages whose HMAC fails; nothing when all pass
                found += [row[0] for row in self.conn.execute("PRAGMA cipher_integrity_check")]
        except Exception as error:
            if not is_database_error(error):
                raise
            return [f"{error}"]
        return found


def first_line(problems: list[str]) -> str:
    """SQLite's first complaint, on one line ("*** in database main ***" is only a heading)."""
    lines = [line for p in problems for line in p.splitlines() if not line.startswith("***")]
    return lines[0] if lines else problems[0]


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)
