"""`rbp review`, `rbp trends` and `rbp followups`: getting ready for supervision."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from rbp_journal.cli import common

if TYPE_CHECKING:
    from rich.console import Console

OUTPUT = typer.Option(
    "--output", "-o", metavar="FILE", help="Write here, whole or not at all (default stdout)."
)

REVIEW_EXAMPLES = """
Examples:

  rbp review --week

  rbp review --month --format markdown > supervision.md

  rbp review --since 2026-10-01 --until 2026-10-31 --format json

  rbp review --month --format html --output pack.html
"""
TRENDS_EXAMPLES = """
Examples:

  rbp trends

  rbp trends --weeks 52 --theme emotional-load

  rbp trends --format csv > trends.csv
"""
FOLLOWUPS_EXAMPLES = """
Examples:

  rbp followups

  rbp followups --all --json

  rbp followups done 4 --note "referral sent"

  rbp followups add "Ring the school" --due friday --from 12
"""

followups_app = typer.Typer(
    help="What I promised and have not done yet, overdue first.",
    invoke_without_command=True,
    rich_markup_mode=None,
    epilog=FOLLOWUPS_EXAMPLES,
)


def register(app: typer.Typer) -> None:
    app.command("review", epilog=REVIEW_EXAMPLES)(review)
    app.command("trends", epilog=TRENDS_EXAMPLES)(trends)
    app.add_typer(followups_app, name="followups")


def review(
    week: Annotated[
        bool, typer.Option("--week", help="The 7 days ending today (default).")
    ] = False,
    month: Annotated[bool, typer.Option("--month", help="The 30 days ending today.")] = False,
    since: Annotated[str | None, typer.Option(help="Start of the period.")] = None,
    until: Annotated[str | None, typer.Option(help="End of the period (default today).")] = None,
    client: Annotated[str | None, typer.Option(help="Only this client code.")] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="rich, markdown, json or html (a printable pack).")
    ] = "rich",
    output: Annotated[str | None, OUTPUT] = None,
) -> None:
    """Review a period for supervision: agenda, what held up, themes, promises."""
    from rbp_journal import review as domain

    _check_format(fmt, ("rich", "markdown", "json", "html"))
    today = dt.date.today()
    period = domain.choose_period(week, month, since, until, today)
    report = common.journal().review(period, client=client, today=today)
    with common.output(output) as out:
        if fmt == "json":
            out.write(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2))
            out.write("\n")
        elif fmt == "markdown":
            from rbp_journal.review_markdown import review_markdown

            out.write(review_markdown(report))
        elif fmt == "html":
            from rbp_journal.review_html import review_html

            out.write(review_html(report))
        else:
            from rbp_journal import render_review, review_text

            _console(out).print(render_review.review_view(review_text.briefing(report)))


def trends(
    weeks: Annotated[int, typer.Option(min=1, max=520, help="How many weeks back.")] = 12,
    theme: Annotated[str | None, typer.Option(help="One theme, week by week.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="rich, csv or json.")] = "rich",
    output: Annotated[str | None, OUTPUT] = None,
) -> None:
    """Show theme ratings week by week, with sparklines."""
    from rbp_journal.errors import UsageError
    from rbp_journal.models import THEMES

    _check_format(fmt, ("rich", "csv", "json"))
    if theme is not None and theme not in THEMES:
        raise UsageError(f"--theme {theme!r} is not one of {', '.join(THEMES)}.")
    result = common.journal().trends(weeks, theme)
    with common.output(output) as out:
        if fmt == "json":
            out.write(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
            out.write("\n")
        elif fmt == "csv":
            from rbp_journal.review_markdown import trends_csv

            out.write(trends_csv(result))
        else:
            from rbp_journal import render_review

            console = _console(out)
            view = (
                render_review.theme_weeks_view(result)
                if theme
                else render_review.trends_view(result, console.width)
            )
            console.print(view)


def _console(out: TextIO) -> Console:
    """The screen's console, or one as wide writing plain text into the --output file."""
    if out is sys.stdout:
        return common.out()
    from rich.console import Console

    return Console(
        file=out, width=common.out().width, no_color=True, highlight=False, soft_wrap=False
    )


@followups_app.callback()
def followups(
    ctx: typer.Context,
    show_all: Annotated[bool, typer.Option("--all", help="Include done and dropped.")] = False,
    client: Annotated[str | None, typer.Option(help="Only promises to this client.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
) -> None:
    """List open promises, overdue first."""
    if ctx.invoked_subcommand is not None:
        return
    rows = common.journal().followups(client=client, include_closed=show_all)
    if as_json:
        common.print_json([row.model_dump(mode="json") for row in rows])
        return
    from rbp_journal import render_review

    if not rows:
        common.say("No open promises.")
    else:  # one print: a line-by-line print costs a write and a wrap pass per promise
        from rich.text import Text

        today = dt.date.today()
        lines = [render_review.followup_line(row, today) for row in rows]
        common.out().print(Text("\n").join(lines))


@followups_app.command("done", epilog='Example:\n\n  rbp followups done 4 --note "sent on Tuesday"')
def followup_done(
    fid: Annotated[int, typer.Argument(metavar="ID", help="The promise's id.")],
    note: Annotated[str | None, typer.Option(help="A short note on how it went.")] = None,
) -> None:
    """Mark a promise as done."""
    followup = common.journal().close_followup(fid, "done", note)
    common.say(f"Done: #{followup.id} {followup.text}", style="green")


@followups_app.command("drop", epilog="Example:\n\n  rbp followups drop 4")
def followup_drop(
    fid: Annotated[int, typer.Argument(metavar="ID", help="The promise's id.")],
) -> None:
    """Drop a promise that no longer applies."""
    followup = common.journal().close_followup(fid, "dropped")
    common.say(f"Dropped: #{followup.id} {followup.text}")


@followups_app.command(
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
    from rbp_journal import dates
    from rbp_journal.models import FollowupIn

    promise = FollowupIn(text=text, due=dates.parse_due(due) if due else None)
    fid = common.journal().add_followup(from_id, promise)
    sys.stdout.write(f"{fid}\n")


def _check_format(fmt: str, allowed: tuple[str, ...]) -> None:
    from rbp_journal.errors import UsageError

    if fmt not in allowed:
        raise UsageError(f"--format {fmt!r} is not one of {', '.join(allowed)}.")
