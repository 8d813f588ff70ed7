"""Asking one prompt at a time in the terminal.

Questions go to stderr so stdout stays for the new reflection's id. Reading uses input()
(with line editing where the terminal has it). End of input is treated like Ctrl-C: the
draft so far is kept.
"""

from __future__ import annotations

import datetime as dt

import typer

from rbp_journal import dates
from rbp_journal.cli.common import err, say
from rbp_journal.errors import BadDate
from rbp_journal.models.prompts import Prompt
from rbp_journal.models.reflection import FollowupIn


def line(prompt: str = "") -> str:
    if prompt:
        err().print(prompt, end="", markup=False, style="bold")
    try:
        return input()
    except EOFError:
        raise KeyboardInterrupt from None


def text(prompt: Prompt) -> str | None:
    say("Write as many lines as you need; an empty line ends the answer.", style="dim")
    while True:
        lines: list[str] = []
        while True:
            typed = line("> ")
            if not typed.strip():
                break
            lines.append(typed)
        if lines or not prompt.required:
            return "\n".join(lines) or None
        say("This one is needed; a sentence is enough.", style="yellow")


def rating(prompt: Prompt) -> int | None:
    assert prompt.labels is not None
    for number, label in enumerate(prompt.labels, start=1):
        say(f"  {number}  {label}")
    skip = "" if prompt.required else ", Enter to skip"
    while True:
        typed = line(f"1-5{skip}: ").strip()
        if not typed and not prompt.required:
            return None
        if typed in {"1", "2", "3", "4", "5"}:
            return int(typed)
        say("Type one number from 1 to 5.", style="yellow")


def choice(prompt: Prompt) -> str | None:
    assert prompt.choices is not None
    for number, option in enumerate(prompt.choices, start=1):
        say(f"  {number}  {option}")
    while True:
        typed = line("Number" + ("" if prompt.required else ", Enter to skip") + ": ").strip()
        if not typed and not prompt.required:
            return None
        if typed.isdigit() and 1 <= int(typed) <= len(prompt.choices):
            return prompt.choices[int(typed) - 1]
        say(f"Type a number from 1 to {len(prompt.choices)}.", style="yellow")


def promise(today: dt.date) -> FollowupIn | None:
    """One promise and its due date, or None when the person is done."""
    what = line("Promise (Enter when done): ").strip()
    if not what:
        return None
    while True:
        when = line("Due by (e.g. friday, in 2 weeks, 2026-11-27; Enter for none): ").strip()
        if not when:
            return FollowupIn(text=what)
        try:
            return FollowupIn(text=what, due=dates.parse_due(when, today))
        except BadDate as error:
            say(str(error), style="yellow")


def yes(question: str) -> bool:
    return line(f"{question} [y/N] ").strip().lower() in {"y", "yes"}


def confirm(question: str) -> None:
    """Go on only on a yes; anything else ends the command with nothing changed (exit 1)."""
    if not yes(question):
        say("Nothing was changed.")
        raise typer.Exit(1)
