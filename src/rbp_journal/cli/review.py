"""`rbp review` and `rbp trends`: getting ready for supervision."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from typing import Annotated

import typer

from rbp_journal import dates
from rbp_journal import review as domain
from rbp_journal.cli import common
from rbp_journal.cli.common import Format
from rbp_journal.errors import UsageError
from rbp_journal.formats.review import review_markdown, trends_csv
from rbp_journal.models.base import THEMES

app = typer.Typer(rich_markup_mode=None)
REVIEW_EXAMPLES = """
Examples:

  rbp review --week

  rbp review --month --format markdown > supervision.md

  rbp review --since 2026-10-01 --until 2026-10-31 --format json
"""
TRENDS_EXAMPLES = """
Examples:

  rbp trends

  rbp trends --weeks 52 --theme emotional-load

  rbp trends --format csv > trends.csv
"""


class TrendsFormat(StrEnum):
    rich = "rich"
    csv = "csv"
    json = "json"


@app.command("review", epilog=REVIEW_EXAMPLES)
def review(
    week: Annotated[
        bool, typer.Option("--week", help="The 7 days ending today (default).")
    ] = False,
    month: Annotated[bool, typer.Option("--month", help="The 30 days ending today.")] = False,
    since: Annotated[str | None, typer.Option(help="Start of the period.")] = None,
    until: Annotated[str | None, typer.Option(help="End of the period (default today).")] = None,
    client: Annotated[str | None, typer.Option(help="Only this client code.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="How to show it.")] = Format.rich,
) -> None:
    """Review a period for supervision: themes, flags, promises and an agenda."""
    today = dt.date.today()
    if sum([week, month, since is not None]) > 1:
        raise UsageError("Choose one of --week, --month or --since.")
    if since is not None:
        period = domain.Period(
            start=dates.parse(since, today), end=dates.parse(until or "today", today)
        )
        if period.start > period.end:
            raise UsageError(f"--since {since} is after --until {until or 'today'}.")
    elif month:
        period = domain.month_period(dates.parse(until or "today", today))
    else:
        period = domain.week_period(dates.parse(until or "today", today))
    report = common.journal().supervision.review(period, client=client, today=today)
    if fmt == Format.json:
        common.print_json(report.model_dump(mode="json"))
    elif fmt == Format.markdown:
        sys.stdout.write(review_markdown(report, today))
    else:
        from rbp_journal.render import review as render  # Rich: for a person only

        common.out().print(render.review_view(report, today))


@app.command("trends", epilog=TRENDS_EXAMPLES)
def trends(
    weeks: Annotated[int, typer.Option(min=1, max=520, help="How many weeks back.")] = 12,
    theme: Annotated[str | None, typer.Option(help="One theme, week by week.")] = None,
    fmt: Annotated[
        TrendsFormat, typer.Option("--format", help="How to show it.")
    ] = TrendsFormat.rich,
) -> None:
    """Show theme ratings week by week, with sparklines."""
    if theme is not None and theme not in THEMES:
        raise UsageError(f"--theme {theme!r} is not one of {', '.join(THEMES)}.")
    result = common.journal().supervision.trends(weeks, theme)
    if fmt == TrendsFormat.json:
        common.print_json(result.model_dump(mode="json"))
    elif fmt == TrendsFormat.csv:
        sys.stdout.write(trends_csv(result))
    else:
        from rbp_journal.render import review as render  # Rich: for a person only

        common.out().print(render.theme_weeks_view(result) if theme else render.trends_view(result))
