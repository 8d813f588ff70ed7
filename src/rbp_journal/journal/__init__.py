"""The use cases: what rbp can do, callable from Python without Typer.

A Journal is one open journal with its prompt library, composed of one object a job, as the
store is of one a table family: `journal.recording`, `journal.importing`, `journal.reading`,
`journal.guard`, `journal.supervision`, `journal.promises`, `journal.themes`, `journal.cpd`,
`journal.upkeep` and `journal.cipher`. Each takes plain values and returns models; nothing
here prints or asks, and nothing here writes SQL.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rbp_journal import paths
from rbp_journal.store import PassphrasePrompt, Store, Tell, open_store

if TYPE_CHECKING:
    from rbp_journal.journal.cipher import Cipher
    from rbp_journal.journal.cpd import Cpd
    from rbp_journal.journal.guard import Guard
    from rbp_journal.journal.importing import Importing
    from rbp_journal.journal.promises import Promises
    from rbp_journal.journal.reading import Reading
    from rbp_journal.journal.recording import Recording
    from rbp_journal.journal.supervision import Supervision
    from rbp_journal.journal.themes import Themes
    from rbp_journal.journal.upkeep import Upkeep
    from rbp_journal.prompt_library import Library

__all__ = ["Journal", "open_journal"]


class Journal:
    def __init__(
        self,
        store: Store,
        library: Library | None = None,
        passphrase: PassphrasePrompt | None = None,
        tell: Tell | None = None,
    ) -> None:
        self.store = store  # replaced whole when the file is encrypted or decrypted
        self.passphrase = passphrase
        self.tell = tell
        self._library = library

    # Each use case is imported when a command first asks for it: `rbp list` needs reading
    # alone, and the others bring pydantic, the privacy guard or the CPD frameworks with them.

    @cached_property
    def recording(self) -> Recording:
        from rbp_journal.journal.recording import Recording  # on first use: see above

        return Recording(self)

    @cached_property
    def importing(self) -> Importing:
        from rbp_journal.journal.importing import Importing  # on first use: see above

        return Importing(self)

    @cached_property
    def reading(self) -> Reading:
        from rbp_journal.journal.reading import Reading  # on first use: see above

        return Reading(self)

    @cached_property
    def guard(self) -> Guard:
        from rbp_journal.journal.guard import Guard  # on first use: see above

        return Guard(self)

    @cached_property
    def supervision(self) -> Supervision:
        from rbp_journal.journal.supervision import Supervision  # on first use: see above

        return Supervision(self)

    @cached_property
    def promises(self) -> Promises:
        from rbp_journal.journal.promises import Promises  # on first use: see above

        return Promises(self)

    @cached_property
    def themes(self) -> Themes:
        from rbp_journal.journal.themes import Themes  # on first use: see above

        return Themes(self)

    @cached_property
    def cpd(self) -> Cpd:
        from rbp_journal.journal.cpd import Cpd  # on first use: see above

        return Cpd(self)

    @cached_property
    def upkeep(self) -> Upkeep:
        from rbp_journal.journal.upkeep import Upkeep  # on first use: see above

        return Upkeep(self)

    @cached_property
    def cipher(self) -> Cipher:
        from rbp_journal.journal.cipher import Cipher  # on first use: see above

        return Cipher(self)

    @property
    def library(self) -> Library:
        if self._library is None:
            from rbp_journal import prompt_library  # pydantic: only what uses prompt sets

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
