"""Asking one thing at a time in the terminal, the same way everywhere.

Questions go to stderr so stdout stays for the new reflection's id. Reading is keyboard.py's:
line editing in a terminal, plain lines from a pipe. The rules a person learns once:

- a written answer ends with Enter on an empty line (Ctrl-D also ends it); a paste is one
  piece, blank lines and all; Esc Enter types a blank line inside an answer;
- `back`, typed alone, returns to the previous question with its answer filled in;
- Ctrl-C stops (Stopped carries what was typed of the answer, for the draft);
- every date is said back (`friday → Fri 27 Nov`); one that is ambiguous, or on the wrong
  side of today, is asked about before it is used.

What was typed passes text.clean: control characters are left out, with a note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import typer

from rbp_journal import dates
from rbp_journal.cli.common import say
from rbp_journal.cli.keyboard import Stopped, at_terminal, keyboard
from rbp_journal.errors import BadDate
from rbp_journal.models.prompts import Prompt
from rbp_journal.models.reflection import FollowupIn
from rbp_journal.text import check_client_code, clean, near_codes, plural, undecoded

__all__ = ["BACK", "Back", "Stopped"]

BACK = "back"
WRITTEN_HINT = "Enter on an empty line ends it · Esc Enter for a blank line · back to go back"


class Back(Exception):
    """The person typed `back`: the previous question, please."""


def line(prompt: str = "", default: str = "", history: Sequence[str] = ()) -> str:
    """One line, cleaned of control characters (with a note if any were left out)."""
    return _cleaned(keyboard().line(prompt, default, history)).strip()


def _cleaned(typed: str) -> str:
    odd = undecoded(typed)
    if odd:  # a byte the terminal sent that is not UTF-8 (a Latin-1 key): clean() reads it
        are = "is" if odd == 1 else "are"
        say(f"{plural(odd, 'byte')} that {are} not UTF-8 read as Latin-1 (é, ÿ).", "dim")
    cleaned = clean(typed)
    if cleaned.dropped:
        what = "control character" if cleaned.dropped == 1 else "control characters"
        say(f"Left out {cleaned.dropped} {what} (a key this terminal sent as a code).", "dim")
    return cleaned.text


def _back(typed: str) -> bool:
    return typed.strip().lower() == BACK


def text(prompt: Prompt, current: str | None = None, history: Sequence[str] = ()) -> str | None:
    """A written answer of any length; None for a skipped optional one."""
    say(WRITTEN_HINT, style="dim")
    while True:
        typed = _cleaned(keyboard().text("> ", current or "", history, words=(BACK,)))
        if _back(typed):
            raise Back()
        written = typed.strip("\n").rstrip()
        if written.strip() or not prompt.required:
            return written if written.strip() else None
        say("This one is needed; a sentence is enough.", style="yellow")


def rating(prompt: Prompt, current: int | None = None) -> int | None:
    assert prompt.labels is not None
    for number, label in enumerate(prompt.labels, start=1):
        say(f"  {number}  {label}")
    skip = "" if prompt.required else ", Enter to skip"
    while True:
        typed = line(f"1-5{skip}, back: ", str(current or ""))
        if _back(typed):
            raise Back()
        if not typed and not prompt.required:
            return None
        if typed in {"1", "2", "3", "4", "5"}:
            return int(typed)
        say("Type one number from 1 to 5.", style="yellow")


def choice(prompt: Prompt, current: str | None = None) -> str | None:
    assert prompt.choices is not None
    for number, option in enumerate(prompt.choices, start=1):
        say(f"  {number}  {option}")
    now = str(prompt.choices.index(current) + 1) if current in prompt.choices else ""
    skip = "" if prompt.required else ", Enter to skip"
    while True:
        typed = line(f"Number{skip}, back: ", now)
        if _back(typed):
            raise Back()
        if not typed and not prompt.required:
            return None
        if typed.isdigit() and 1 <= int(typed) <= len(prompt.choices):
            return prompt.choices[int(typed) - 1]
        say(f"Type a number from 1 to {len(prompt.choices)}.", style="yellow")


def date(
    prompt: str, today: dt.date, ahead: bool, current: dt.date | None = None
) -> dt.date | None:
    """A date as people say it, said back (see `settle`); None when left empty."""
    typed = line(prompt, current.isoformat() if current else "")
    while True:
        if _back(typed):
            raise Back()
        if not typed:
            return None
        try:
            return settle(typed, today, ahead)
        except BadDate as error:
            say(str(error), style="yellow")
            typed = line(prompt)


def settle(typed: str, today: dt.date, ahead: bool) -> dt.date:
    """The day `typed` means, said back (`friday → Fri 27 Nov`); asked about when ambiguous,
    or a due date in the past, or a session in the future. BadDate if it cannot be read."""
    while True:
        reading = dates.read(typed, today, ahead)
        said = dates.echo(typed, reading.day, today)
        worry = dates.concern(reading, today, ahead)
        if worry is None:
            say(f"  {said}", style="dim")
            return reading.day
        say(f"  {said}: {worry}.", style="yellow")
        again = line("Enter keeps it, or type the date again: ")
        if not again:
            return reading.day
        typed = again


def promise(
    today: dt.date, current: FollowupIn | None = None, history: Sequence[str] = ()
) -> FollowupIn | None:
    """One promise and its due date; None when the person is done (or cleared one)."""
    what = current.text if current else ""
    while True:
        what = line("Promise (Enter when done, back): ", what, history)
        if _back(what):
            raise Back()
        if not what:
            return None
        try:
            due = date(
                "Due by (friday, 27/11, in 2 weeks; Enter for none): ",
                today,
                ahead=True,
                current=current.due if current else None,
            )
        except Back:
            continue
        return FollowupIn(text=what, due=due)


def client_code(code: str, known: Sequence[str], confirm: bool = True) -> str:
    """A code as typed when it is in use. A new one is named, with near ones; at a terminal it
    is confirmed (or retyped), from a file or pipe (or `confirm=False`) the note is all."""
    if code not in known and not (confirm and at_terminal()):
        near = near_codes(code, list(known))
        hint = f" (near: {', '.join(near)})" if near else ""
        say(f"Note: {code} is a new client code{hint}.", style="yellow")
        return code
    while code not in known:
        near = near_codes(code, list(known))
        hint = f" Near: {', '.join(near)}." if near else ""
        say(f"{code} is a new client code: no reflection uses it yet.{hint}", style="yellow")
        typed = line(f"Enter uses {code}, or type the code you meant: ")
        if not typed:
            break
        try:
            code = check_client_code(typed) or code
        except ValueError as error:
            say(f"{typed!r}: {error}.", style="yellow")
    return code


def yes(question: str, default: bool = False) -> bool:
    typed = line(f"{question} {'[Y/n]' if default else '[y/N]'} ").lower()
    return default if not typed else typed in {"y", "yes"}


def confirm(question: str) -> None:
    """Go on only on a yes; anything else ends the command with nothing changed (exit 1)."""
    try:
        agreed = yes(question)
    except Stopped:
        agreed = False
    if not agreed:
        say("Nothing was changed.")
        raise typer.Exit(1)
