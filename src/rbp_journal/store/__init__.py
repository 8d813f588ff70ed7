"""The only package that speaks SQL: it opens the journal and hands back models.

A Store is one open journal composed of one object a family of tables, in sqlite-utils'
`db[table]` habit: `store.reflections`, `store.records` (whole, for export), `store.imports` (written back),
`store.followups`, `store.search`, `store.cpd`,
`store.retention`, `store.caseload` (names, keyed), `store.weeks` (ratings by week), and
`store.aggregates(client)` for the review's sums; `store.connection` is the open file
(opening.py: opening it; connection.py: pragmas, migrations, write transactions; sqlite.py: the
file itself and the failure sentences; lock.py: rbp's lock beside it; search_index.py: keeping
words taken out out of the index). Files beside the journal (backups, kept words) are in
files.py, overwriting them in overwrite.py, replacing them whole in swaps.py; SQLCipher
conversion in cipher.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rbp_journal.store.connection import Connection, PassphrasePrompt
from rbp_journal.store.lock import JournalLock, Tell
from rbp_journal.store.opening import open_connection
from rbp_journal.store.sqlite import Key

if TYPE_CHECKING:
    from rbp_journal.store.aggregates import Aggregates
    from rbp_journal.store.caseload import CaseloadTable
    from rbp_journal.store.cpd import CpdRecords
    from rbp_journal.store.followups import Followups
    from rbp_journal.store.imports import Imports
    from rbp_journal.store.records import Records
    from rbp_journal.store.reflections import Reflections
    from rbp_journal.store.retention import Retention
    from rbp_journal.store.search import Search
    from rbp_journal.store.weeks import Weeks

__all__ = ["JournalLock", "Key", "PassphrasePrompt", "Store", "Tell", "open_store"]


class Store:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # Each family is imported when first used: a read command loads its own queries, not the
    # CPD tables' or the review's (and not the models those bring).

    @cached_property
    def followups(self) -> Followups:
        from rbp_journal.store.followups import Followups  # on first use: see above

        return Followups(self.connection)

    @cached_property
    def reflections(self) -> Reflections:
        from rbp_journal.store.reflections import Reflections  # on first use: see above

        return Reflections(self.connection, self.followups)

    @cached_property
    def records(self) -> Records:
        from rbp_journal.store.records import Records  # on first use: see above

        return Records(self.connection)

    @cached_property
    def imports(self) -> Imports:
        from rbp_journal.store.imports import Imports  # on first use: see above

        return Imports(self.connection)

    @cached_property
    def search(self) -> Search:
        from rbp_journal.store.search import Search  # on first use: see above

        return Search(self.connection)

    @cached_property
    def cpd(self) -> CpdRecords:
        from rbp_journal.store.cpd import CpdRecords  # on first use: see above

        return CpdRecords(self.connection)

    @cached_property
    def retention(self) -> Retention:
        from rbp_journal.store.retention import Retention  # on first use: see above

        return Retention(self.connection)

    @cached_property
    def weeks(self) -> Weeks:
        from rbp_journal.store.weeks import Weeks  # on first use: see above

        return Weeks(self.connection)

    @cached_property
    def caseload(self) -> CaseloadTable:
        from rbp_journal.store.caseload import CaseloadTable  # on first use: see above

        return CaseloadTable(self.connection)

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
        from rbp_journal.store.aggregates import Aggregates  # on first use: see above

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
