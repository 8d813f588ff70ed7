"""The use cases: what rbp can do, callable from Python without Typer.

A Journal is one open journal with its prompt library, composed of one object a job, as the
store is of one a table family: `journal.recording`, `journal.reading`, `journal.guard`,
`journal.supervision`, `journal.cpd`, `journal.upkeep` and `journal.cipher`. Each takes plain
values and returns models; nothing here prints or asks, and nothing here writes SQL.
"""

from __future__ import annotations

from pathlib import Path

from rbp_journal import paths, prompt_library
from rbp_journal.journal.cipher import Cipher
from rbp_journal.journal.cpd import Cpd
from rbp_journal.journal.guard import Guard
from rbp_journal.journal.reading import Reading
from rbp_journal.journal.recording import Recording
from rbp_journal.journal.supervision import Supervision
from rbp_journal.journal.upkeep import Upkeep
from rbp_journal.store import PassphrasePrompt, Store, Tell, open_store

__all__ = ["Journal", "open_journal"]


class Journal:
    def __init__(
        self,
        store: Store,
        library: prompt_library.Library | None = None,
        passphrase: PassphrasePrompt | None = None,
        tell: Tell | None = None,
    ) -> None:
        self.store = store  # replaced whole when the file is encrypted or decrypted
        self.passphrase = passphrase
        self.tell = tell
        self._library = library
        self.recording = Recording(self)
        self.reading = Reading(self)
        self.guard = Guard(self)
        self.supervision = Supervision(self)
        self.cpd = Cpd(self)
        self.upkeep = Upkeep(self)
        self.cipher = Cipher(self)

    @property
    def library(self) -> prompt_library.Library:
        if self._library is None:
            self._library = prompt_library.load()
        return self._library

    @property
    def path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.store.close()


def open_journal(
    db: str | Path | None = None,
    passphrase: PassphrasePrompt | None = None,
    create: bool = True,
    tell: Tell | None = None,
) -> Journal:
    """The journal at `db` (see paths.journal_path); `create=False` refuses to make one (what
    every command does but those that store new words); `tell` gets messages for the person
    (waiting for another rbp, a recovery, a new journal, a backup that could not be made)."""
    store = open_store(paths.journal_path(db), passphrase, create=create, tell=tell)
    return Journal(store, passphrase=passphrase, tell=tell)
