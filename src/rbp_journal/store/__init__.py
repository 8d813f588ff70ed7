"""The only package that speaks SQL: it opens the journal and hands back models.

A Store is one open journal composed of one object a family of tables, in sqlite-utils'
`db[table]` habit: `store.reflections`, `store.records` (whole, for export and import),
`store.followups`, `store.search`, `store.cpd`,
`store.retention`, `store.caseload` (names, keyed), and `store.aggregates(client)` for the
review's sums; `store.connection` is the open file (opening.py: opening it; connection.py:
pragmas, migrations, write transactions; sqlite.py: the file itself and the failure
sentences; lock.py: rbp's lock beside it; search_index.py: keeping words taken out out of the
index). Files beside the journal (backups, kept words) are in files.py, overwriting them in
overwrite.py, replacing them whole in swaps.py; SQLCipher conversion in cipher.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rbp_journal.store.aggregates import Aggregates
from rbp_journal.store.caseload import CaseloadTable
from rbp_journal.store.connection import Connection, PassphrasePrompt
from rbp_journal.store.cpd import CpdRecords
from rbp_journal.store.followups import Followups
from rbp_journal.store.lock import JournalLock, Tell
from rbp_journal.store.opening import open_connection
from rbp_journal.store.records import Records
from rbp_journal.store.reflections import Reflections
from rbp_journal.store.retention import Retention
from rbp_journal.store.search import Search
from rbp_journal.store.sqlite import Key

__all__ = ["JournalLock", "Key", "PassphrasePrompt", "Store", "Tell", "open_store"]


class Store:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.followups = Followups(connection)
        self.reflections = Reflections(connection, self.followups)
        self.records = Records(connection, self.reflections)
        self.search = Search(connection)
        self.cpd = CpdRecords(connection)
        self.retention = Retention(connection)
        self.caseload = CaseloadTable(connection)

    @property
    def path(self) -> Path:
        return self.connection.path

    @property
    def key(self) -> Key | None:
        return self.connection.key

    @key.setter
    def key(self, key: Key | None) -> None:
        self.connection.key = key

    def aggregates(self, client: str | None = None) -> Aggregates:
        return Aggregates(self.connection, client)

    @contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction (BEGIN IMMEDIATE), after today's backup if not yet taken."""
        with self.connection.write():
            yield

    def close(self) -> None:
        self.connection.close()


def open_store(
    path: Path,
    passphrase: PassphrasePrompt | None = None,
    secret: str | None = None,
    read_only: bool = False,
    create: bool = False,
    tell: Tell | None = None,
    lock: JournalLock | None = None,
) -> Store:
    """Open the journal at `path` (see connection.open_connection)."""
    return Store(open_connection(path, passphrase, secret, read_only, create, tell, lock))
