"""What every command shares: the chosen journal, the two consoles, JSON output, the filters
of list/search/export, and shell completion.

Two third-party seams are crossed only when needed: the domain (SQLite, and pydantic for what
writes) when a command first asks for the journal, and Rich when a console is first used (only
for a terminal: a pipe gets plain text), so `--help`, `--version`, `--json` and piped output
never pay for what they do not use.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from rbp_journal import dates
from rbp_journal.cli import state
from rbp_journal.errors import UnreadableFile
from rbp_journal.formats.plain import Paint, painter, unpainted
from rbp_journal.models.views import ReflectionFilter
from rbp_journal.text import check_client_code, check_tag, normal_code, visible

if TYPE_CHECKING:
    from rich.console import Console

    from rbp_journal.journal import Journal


opened: list[Journal] = []  # closed by the root when the command ends (cli/__init__.py)


def journal(ask: bool = True, create: bool = False) -> Journal:
    """The journal of --db / RBP_DB; an encrypted one asks for its passphrase in a terminal.
    Only a command that stores new words passes `create`: the others never make a journal."""
    from rbp_journal.journal import open_journal  # the domain: SQLite, and what it loads

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


def for_person() -> bool:
    """Whether stdout is a terminal (text painted to fit it) rather than a pipe."""
    return sys.stdout.isatty()


def width() -> int | None:
    """The terminal's width; for a pipe the one $COLUMNS gives (as Rich honours it), or None:
    nothing to fit."""
    if for_person():
        return shutil.get_terminal_size().columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


def paint(out: TextIO | None = None) -> Paint:
    """ANSI styles for a terminal (bold and dim only under NO_COLOR; none for TERM=dumb), or
    none for a pipe or for `out` when it is not stdout (an --output file)."""
    if out not in (None, sys.stdout) or not for_person() or os.environ.get("TERM") == "dumb":
        return unpainted
    return painter(colour=not os.environ.get("NO_COLOR"))


def write(text: str) -> None:
    """Text for the person on stdout (formats/plain.py), painted or not."""
    sys.stdout.write(text)


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
    if not wrap and not sys.stderr.isatty():
        sys.stderr.write(visible(message) + "\n")  # nothing to style or fold: no Rich
        return
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


@contextmanager
def open_text(source: str, what: str = "") -> Iterator[TextIO]:
    """A file, or stdin for "-", to read as it is used (not held whole, as read_text does)."""
    if source == "-":  # decoded strictly, as read_text does: stdin's own lets Latin-1 through
        strict = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="strict")
        try:
            yield strict
        finally:
            strict.detach()  # let go of stdin without closing it
        return
    try:
        # not `with`: an OSError while the caller reads is theirs, not "cannot read"
        handle = Path(source).open(encoding="utf-8")  # noqa: SIM115
    except OSError as error:
        raise UnreadableFile(f"{what} {source}".strip(), error.strerror or str(error)) from None
    with handle:
        yield handle


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


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
ReflectionId = Annotated[
    int, typer.Argument(metavar="ID", help="The reflection's id (`rbp list`).")
]


def make_filter(
    since: str | None, until: str | None, client: str | None, tag: str | None,
    set_id: str | None, limit: int | None, drafts: bool = False,
) -> ReflectionFilter:  # fmt: skip
    return ReflectionFilter(
        since=dates.parse_optional(since),
        until=dates.parse_optional(until),
        client=normal_code(client) if client else None,  # one person whatever the case typed
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
