"""`rbp followups`: what I promised, and marking it done, dropped, or added."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from typing import Annotated

import typer

from rbp_journal import dates
from rbp_journal.cli import common
from rbp_journal.models.reflection import FollowupIn

FOLLOWUPS_EXAMPLES = """
Examples:

  rbp followups

  rbp followups --all --json

  rbp followups --format ics --output promises.ics

  rbp followups done 4 --note "referral sent"

  rbp followups add "Ring the school" --due friday --from 12
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


@app.command(
    "add", epilog='Example:\n\n  rbp followups add "Ring the school" --due friday --from 12'
)
def followup_add(
    text: Annotated[str, typer.Argument(help="What you promised, briefly and without names.")],
    due: Annotated[
        str | None, typer.Option(help="When by: friday, in 2 weeks, 2026-11-27.")
    ] = None,
    from_id: Annotated[
        int | None, typer.Option("--from", help="The reflection it came from.")
    ] = None,
) -> None:
    """Add a promise made outside a reflection."""
    promise = FollowupIn(text=text, due=dates.parse_due(due) if due else None)
    fid = common.journal().supervision.add_followup(from_id, promise)
    sys.stdout.write(f"{fid}\n")
