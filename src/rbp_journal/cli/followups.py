"""`rbp followups`: what I promised, and marking it done, dropped, or added."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from rbp_journal import dates
from rbp_journal.cli import ask, common, guard
from rbp_journal.cli.keyboard import at_terminal
from rbp_journal.errors import UsageError
from rbp_journal.models.reflection import FollowupIn
from rbp_journal.text import clean

FOLLOWUPS_EXAMPLES = """
Examples:

  rbp followups

  rbp followups --all --json

  rbp followups --format ics --output promises.ics

  rbp followups done 4 --note "referral sent"

  rbp followups add --due friday --from 12

  echo "Ring the school" | rbp followups add --due "monday week"
"""

if TYPE_CHECKING:
    from rbp_journal.privacy import Caseload


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
        with common.output(output) as out:
            out.write(followups_ics(events, dt.datetime.now(dt.UTC)))
        return
    rows = common.journal().supervision.followups(client=client, include_closed=show_all)
    if as_json or fmt == ListFormat.json:
        common.print_json([row.model_dump(mode="json") for row in rows])
        return
    if not rows:
        common.say("No open promises.")
        return
    from rbp_journal.render import review as render  # Rich: for a person only

    common.out().print(render.followup_lines(rows, dt.date.today()))


@app.command("done", epilog='Example:\n\n  rbp followups done 4 --note "sent on Tuesday"')
def followup_done(
    fid: Annotated[int, typer.Argument(metavar="ID", help="The promise's id.")],
    note: Annotated[str | None, typer.Option(help="A short note on how it went.")] = None,
) -> None:
    """Mark a promise as done."""
    followup = common.journal().supervision.close_followup(fid, "done", note)
    common.say(f"Done: #{followup.id} {followup.text}", style="green")


@app.command("drop", epilog="Example:\n\n  rbp followups drop 4")
def followup_drop(
    fid: Annotated[int, typer.Argument(metavar="ID", help="The promise's id.")],
) -> None:
    """Drop a promise that no longer applies."""
    followup = common.journal().supervision.close_followup(fid, "dropped")
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
    today = dt.date.today()
    j = common.journal(create=True)
    if at_terminal():
        promise = _typed(j.reading.earlier_promises(), due, today, j.guard.caseload())
    else:
        promise = _piped(due, today, mask, strict, j.guard.caseload())
    fid = j.supervision.add_followup(from_id, promise)
    sys.stdout.write(f"{fid}\n")


def _typed(history: list[str], due: str | None, today: dt.date, caseload: Caseload) -> FollowupIn:
    try:
        while True:
            text = ask.line("What did you promise? ", history=history)
            if not text:
                common.say("Nothing was added.")
                raise typer.Exit(1)
            checked = guard.check(text, caseload)
            if checked is not None:
                break
        day: dt.date | None = None
        if due:
            day = ask.settle(due, today, ahead=True)
        else:
            day = ask.date("Due by (friday, 27/11, in 2 weeks; Enter for none): ", today, True)
    except (ask.Stopped, ask.Back):
        common.say("\nNothing was added.")
        raise typer.Exit(130) from None
    return FollowupIn(text=checked, due=day)


def _piped(
    due: str | None, today: dt.date, mask: bool, strict: bool, caseload: Caseload
) -> FollowupIn:
    from rbp_journal.models.reflection import AnswersPayload

    text = " ".join(clean(sys.stdin.read()).text.split())
    if not text:
        raise UsageError("Type what you promised, or pipe it in: nothing came on stdin.")
    promise = FollowupIn(text=text, due=dates.parse_due(due, today) if due else None)
    checked = guard.guarded(AnswersPayload(followups=[promise]), mask, strict, caseload)
    return checked.followups[0]
