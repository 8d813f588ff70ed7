"""`rbp followups`: what I promised, and marking it done, dropped, or added."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from enum import StrEnum
from typing import Annotated

import typer

from rbp_journal import dates
from rbp_journal.cli import common, files
from rbp_journal.cli.keyboard import at_terminal
from rbp_journal.errors import UsageError
from rbp_journal.formats import plain
from rbp_journal.models import views

FOLLOWUPS_EXAMPLES = """
Examples:

  rbp followups

  rbp followups -n 100 --client C-014

  rbp followups --all --json

  rbp followups --format ics --output promises.ics

  rbp followups done 4 --note "referral sent"

  rbp followups add --due friday --from 12

  echo "Ring the school" | rbp followups add --due "monday week"
"""


class ListFormat(StrEnum):
    rich = "rich"
    json = "json"
    ics = "ics"


app = typer.Typer(
    help="What I promised and have not done yet, overdue first.",
    invoke_without_command=True,
    rich_markup_mode=None,
    epilog=FOLLOWUPS_EXAMPLES,
)


@app.callback()
def followups(
    ctx: typer.Context,
    show_all: Annotated[bool, typer.Option("--all", help="Include done and dropped.")] = False,
    client: Annotated[str | None, typer.Option(help="Only promises to this client.")] = None,
    number: Annotated[
        int | None,
        typer.Option(
            "-n",
            "--number",
            min=1,
            help="How many to show (default: a screenful; --json: all).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
    fmt: Annotated[
        ListFormat,
        typer.Option("--format", help="ics: open promises with a due date, for a calendar."),
    ] = ListFormat.rich,
    output: Annotated[
        str | None, typer.Option("--output", "-o", metavar="FILE", help="Write here.")
    ] = None,
) -> None:
    """List open promises, overdue first."""
    if ctx.invoked_subcommand is not None:
        return
    if fmt == ListFormat.ics:
        from rbp_journal.formats.ics import followups_ics

        events = common.journal().supervision.calendar(client=client)
        with files.output(output) as out:
            out.write(followups_ics(events, dt.datetime.now(dt.UTC)))
        return
    limit = number if number is not None or as_json or fmt == ListFormat.json else screenful()
    page = common.journal().promises.page(limit, client, include_closed=show_all)
    if as_json or fmt == ListFormat.json:
        common.print_json(views.data(page.rows))
    elif not page.rows:
        common.say(plain.NO_PROMISES)
    else:
        today = dt.date.today()
        width = common.width() if common.for_person() else None  # a pipe: one line a promise
        common.write(plain.followups_text(page, today, common.paint(), width))


def screenful() -> int:
    """Promises that fit the terminal with the prompt and the "and N more" line (20 on a
    24-line screen, and when there is no terminal)."""
    return max(5, shutil.get_terminal_size().lines - 4)


@app.command("done", epilog='Example:\n\n  rbp followups done 4 --note "sent on Tuesday"')
def followup_done(
    fid: Annotated[int, typer.Argument(metavar="ID", help="The promise's id.")],
    note: Annotated[str | None, typer.Option(help="A short note on how it went.")] = None,
) -> None:
    """Mark a promise as done."""
    followup = common.journal().promises.close(fid, "done", note)
    common.say(f"Done: #{followup.id} {followup.text}", style="green")


@app.command("drop", epilog="Example:\n\n  rbp followups drop 4")
def followup_drop(
    fid: Annotated[int, typer.Argument(metavar="ID", help="The promise's id.")],
) -> None:
    """Drop a promise that no longer applies."""
    followup = common.journal().promises.close(fid, "dropped")
    common.say(f"Dropped: #{followup.id} {followup.text}")


ADD_EXAMPLES = (
    """
Examples:

  rbp followups add --due friday --from 12      (then type what you promised)

  echo "Ring the school" | rbp followups add --due "monday week"

What you promised is never taken on the command line, where it would stay in your shell
history. Due dates: """
    + dates.DUE_HELP
    + "."
)


@app.command("add", epilog=ADD_EXAMPLES)
def followup_add(
    words: Annotated[list[str] | None, typer.Argument(hidden=True)] = None,
    due: Annotated[
        str | None,
        typer.Option(help="When by: friday, next friday (of next week), 27/11, in 2 weeks."),
    ] = None,
    from_id: Annotated[
        int | None, typer.Option("--from", help="The reflection it came from.")
    ] = None,
    mask: Annotated[
        bool, typer.Option("--mask", help="From stdin: store identifying details masked.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="From stdin: store nothing if any are found.")
    ] = False,
) -> None:
    """Add a promise made outside a reflection: typed when asked, or read from stdin."""
    if words:
        raise UsageError(
            "What you promised is not taken on the command line, where it would stay in your "
            "shell history: run `rbp followups add` and type it, or pipe it in."
        )
    # the guard (privacy's word lists) and pydantic: adding a promise loads them, the list not
    from rbp_journal.cli import new_promise

    today = dt.date.today()
    j = common.journal(create=True)
    if at_terminal():
        promise = new_promise.typed(j.reading.earlier_promises(), due, today, j.guard.caseload())
    else:
        promise = new_promise.piped(due, today, mask, strict, j.guard.caseload())
    fid = j.promises.add(from_id, promise)
    sys.stdout.write(f"{fid}\n")
