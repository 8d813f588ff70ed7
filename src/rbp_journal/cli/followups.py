"""`rbp followups`: what I promised, and marking it done, dropped, or added."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from typing import Annotated

import typer

from rbp_journal import dates
from rbp_journal.cli import common
from rbp_journal.formats import plain
from rbp_journal.models import views

FOLLOWUPS_EXAMPLES = """
Examples:

  rbp followups

  rbp followups -n 100 --client C-014

  rbp followups --all --json

  rbp followups done 4 --note "referral sent"

  rbp followups add "Ring the school" --due friday --from 12
"""

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
) -> None:
    """List open promises, overdue first."""
    if ctx.invoked_subcommand is not None:
        return
    limit = number if number is not None or as_json else screenful()
    page = common.journal().promises.page(limit, client, include_closed=show_all)
    if as_json:
        common.print_json(views.data(page.rows))
    elif not page.rows:
        common.say(plain.NO_PROMISES)
    else:
        today = dt.date.today()
        common.write(plain.followups_text(page.rows, today, page.more, page.total, common.paint()))


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
    from rbp_journal.models.reflection import FollowupIn  # pydantic: only what writes

    promise = FollowupIn(text=text, due=dates.parse_due(due) if due else None)
    fid = common.journal().promises.add(from_id, promise)
    sys.stdout.write(f"{fid}\n")
