"""What every command shares: the chosen journal, the two consoles, JSON output, the filters
of list/search/export, and shell completion.

Two third-party seams are crossed only when needed: the domain (which brings pydantic and
SQLite) when a command first asks for the journal, and Rich when a console is first used, so
`--help`, `--version` and `--json` output never pay for what they do not use.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from rbp_journal import dates, paths
from rbp_journal.errors import OutputIsJournal, UnreadableFile
from rbp_journal.text import check_client_code, check_tag, visible

if TYPE_CHECKING:
    from rich.console import Console

    from rbp_journal.journal import Journal
    from rbp_journal.models.reflection import ReflectionFilter

state: dict[str, str | None] = {"db": None}
opened: list[Journal] = []  # closed by the root when the command ends (cli/__init__.py)


def journal(ask: bool = True, create: bool = False) -> Journal:
    """The journal of --db / RBP_DB; an encrypted one asks for its passphrase in a terminal.
    Only a command that stores new words passes `create`: the others never make a journal."""
    from rbp_journal.journal import open_journal  # the domain: pydantic and SQLite

    in_terminal = sys.stdin.isatty() or sys.stderr.isatty()
    j = open_journal(
        state["db"],
        passphrase=ask_passphrase if ask and in_terminal else None,
        create=create,
        tell=tell if ask else None,
    )
    opened.append(j)
    if j.store.key is not None:
        for left in j.upkeep.plain_texts_left():
            say(
                f"Unencrypted text left beside the journal: {left} (`rbp encrypt` encrypts it).",
                style="yellow",
            )
    return j


def close_journals() -> None:
    """Close what this command opened, so rbp's lock on the journal is let go (see
    store.lock) even when the process lives on (tests, completion)."""
    while opened:
        with suppress(Exception):  # the command's own outcome is what the person needs
            opened.pop().close()


def tell(message: str) -> None:
    """What the journal has to say while it works (waiting, recovering, a new journal)."""
    say(message, style="yellow")


def ask_passphrase(note: str = "") -> str:
    """Read the journal's passphrase without echo (from the terminal, as getpass does)."""
    if note:
        say(note, style="yellow")
    return read_secret("Passphrase for the journal: ")


def read_secret(prompt: str) -> str:
    import getpass  # pulls in termios and pwd; only a passphrase needs it

    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise KeyboardInterrupt from None


@cache
def out() -> Console:
    """Data for the person on stdout."""
    from rich.console import Console  # Rich: only output for a person pays for it

    class Screen(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError  # the root stops quietly, as for any other closed stdout

    return Screen(highlight=False, soft_wrap=False, emoji=False)


@cache
def err() -> Console:
    """Messages for the person on stderr."""
    from rich.console import Console  # Rich: only output for a person pays for it

    return Console(stderr=True, highlight=False, emoji=False)


def say(message: str, style: str = "", wrap: bool = False) -> None:
    """A message for the person on stderr; `wrap=True` folds long prose at word boundaries
    (questions), while the default leaves paths and commands whole for the terminal. Never
    markup, and control characters shown as pictures: messages quote what people typed."""
    err().print(visible(message), style=style or None, markup=False, soft_wrap=not wrap)


def show(line: str, style: str = "", wrap: bool = False) -> None:
    """A line of data for the person on stdout, made safe as `say` makes messages."""
    out().print(visible(line), style=style or None, markup=False, soft_wrap=not wrap)


def read_text(source: str, what: str = "") -> str:
    """The text of a file, or of stdin for "-"."""
    if source == "-":  # bytes, read strictly: stdin's own decoding would let Latin-1 through
        try:
            return sys.stdin.buffer.read().decode("utf-8")
        except UnicodeDecodeError:
            raise UnreadableFile(f"{what} stdin".strip(), "not UTF-8 text") from None
    try:
        return Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise UnreadableFile(f"{what} {source}".strip(), reason) from None


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@contextmanager
def output(path: str | None) -> Iterator[TextIO]:
    """Where --output writes: stdout for none or "-"; a regular file (symlinks followed to the
    real one) written whole or not at all, through a temp file beside it renamed into place,
    keeping the file's mode (owner-only when new); anything else — a FIFO, /dev/stdout, a
    process substitution, a file with other hard links — written straight through, never
    replaced. The journal and its own files are refused."""
    if path is None or path == "-":
        yield sys.stdout
        return
    if paths.belongs_to_journal(Path(path), paths.journal_path(state["db"])):
        raise OutputIsJournal(path)
    try:
        found: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        found = None
    if found is not None and (not stat.S_ISREG(found.st_mode) or found.st_nlink > 1):
        with open(path, "w", encoding="utf-8", newline="") as handle:
            yield handle
        return
    with _replacing(Path(os.path.realpath(path)), found) as handle:
        yield handle


@contextmanager
def _replacing(target: Path, found: os.stat_result | None) -> Iterator[TextIO]:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        if found is not None:
            os.fchmod(fd, stat.S_IMODE(found.st_mode))
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


# --- the filters shared by list, search and export -----------------------------------

Since = Annotated[str | None, typer.Option(help="From this day (2026-11-01, monday…).")]
Until = Annotated[str | None, typer.Option(help="Up to and including this day.")]
Client = Annotated[
    str | None,
    typer.Option(help="Only this client code.", autocompletion=lambda: complete("clients")),
]
Tag = Annotated[
    str | None,
    typer.Option(help="Only reflections with this tag.", autocompletion=lambda: complete("tags")),
]
SetId = Annotated[
    str | None,
    typer.Option("--set", help="Only this prompt set.", autocompletion=lambda: complete("sets")),
]


def make_filter(
    since: str | None, until: str | None, client: str | None, tag: str | None,
    set_id: str | None, limit: int | None, drafts: bool = False,
) -> ReflectionFilter:  # fmt: skip
    from rbp_journal.models.reflection import ReflectionFilter  # pydantic: see journal()

    return ReflectionFilter(
        since=dates.parse_optional(since),
        until=dates.parse_optional(until),
        client=client,
        tag=tag,
        set_id=set_id,
        limit=limit,
        drafts=drafts,
    )


class Setting(StrEnum):
    """Where a session happened (models.base.SETTINGS, as a choice Typer can check)."""

    home_visit = "home-visit"
    office = "office"
    phone = "phone"
    video = "video"
    crisis = "crisis"
    meeting = "meeting"
    court = "court"
    other = "other"


def checked_tags(values: list[str] | None) -> list[str]:
    """--tag values checked where they are typed: a usage error names the flag. Always a list
    (older Typer cannot take None back from a callback of a repeatable option)."""
    for value in values or []:
        try:
            check_tag(value)
        except ValueError as error:
            raise typer.BadParameter(f"{value!r}: {error}.") from None
    return list(values or [])


def client_code(value: str | None) -> str | None:
    """A --client value checked where it is typed: a usage error names the flag. It is kept
    as typed (the domain stores it upper-case), so a name-like code can still be noticed."""
    if value is None:
        return None
    try:
        check_client_code(value)
    except ValueError as error:
        raise typer.BadParameter(f"{value!r}: {error}.") from None
    return value.strip()


class Format(StrEnum):
    """How `show` and `review` present: Rich for a person, markdown or JSON for files."""

    rich = "rich"
    markdown = "markdown"
    json = "json"


def complete(kind: str) -> list[str]:
    """Values for shell completion (client codes, tags, set ids), read without opening the
    journal for writing: one that cannot be read completes nothing, and none is created."""
    from rbp_journal import completion

    return completion.values(kind, state["db"])
