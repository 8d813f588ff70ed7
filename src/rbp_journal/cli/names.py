"""`rbp names`: the people on the practitioner's caseload, for the privacy guard (issue 18).

Names are read from the terminal or stdin, one a line, never from the command line (it would
keep them in shell history). The journal keeps them keyed and cannot show them back: these
commands only ever print counts.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from rbp_journal.cli import common

AsJson = Annotated[bool, typer.Option("--json", help="JSON for scripts.")]

app = typer.Typer(
    help="The names of the people you work with, so the privacy guard always catches them.",
    invoke_without_command=True,
    rich_markup_mode=None,
    epilog=(
        "Example:\n\n  rbp names            (how many are held)\n\n  rbp names add\n\n"
        "  rbp names remove\n\nNames are typed or piped in, never given on the command line, "
        "and are kept keyed: rbp can match them but cannot show them back."
    ),
)


@app.callback()
def held(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Say how many names the privacy guard holds (it cannot list them)."""
    if ctx.invoked_subcommand is not None:
        return
    count = common.journal().guard.names_held()
    if as_json:
        common.print_json({"held": count})
        return
    common.say(
        f"{count} name word{'s' if count != 1 else ''} held, keyed: rbp can match them in what "
        "you write but cannot show them. `rbp names add` adds more."
    )


@app.command(
    "add",
    epilog=(
        "Example:\n\n  rbp names add          (then type one name a line, an empty line to end)\n\n"
        "  rbp names add < names.txt"
    ),
)
def add(as_json: AsJson = False) -> None:
    """Add names (first names, surnames, nicknames), one a line from the terminal or stdin."""
    lines = _read_names("Names to add")
    j = common.journal(create=True)
    added = j.guard.add_names(lines)
    held_now = j.guard.names_held()
    if as_json:
        common.print_json({"added": added, "held": held_now})
        return
    common.say(
        f"Added {added} new name word{'s' if added != 1 else ''}; {held_now} held. "
        "They are caught in any case or possessive from now on.",
        style="green",
    )


@app.command(
    "remove",
    epilog="Example:\n\n  rbp names remove       (then type the name to forget)",
)
def remove(as_json: AsJson = False) -> None:
    """Forget names, typed one a line in the terminal or piped on stdin."""
    lines = _read_names("Names to forget")
    j = common.journal()
    removed = j.guard.remove_names(lines)
    if as_json:
        common.print_json({"removed": removed, "held": j.guard.names_held()})
        return
    if removed:
        common.say(f"Forgot {removed} name word{'s' if removed != 1 else ''}.", style="green")
    else:
        common.say("None of those was held.", style="yellow")


def _read_names(what: str) -> list[str]:
    if not sys.stdin.isatty():
        lines = [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]
    else:
        from rbp_journal.cli import ask

        common.say(f"{what}, one a line; an empty line ends.", style="bold")
        lines = []
        while typed := ask.line("> ").strip():
            lines.append(typed)
    if not lines:
        from rbp_journal.errors import UsageError

        raise UsageError("No names given: type them one a line, or pipe them in.")
    return lines
