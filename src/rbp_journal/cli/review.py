"""`rbp review`: getting ready for supervision (`rbp trends` is in trends.py)."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from typing import Annotated

import typer

from rbp_journal import periods, review_text
from rbp_journal.cli import common, files
from rbp_journal.models import views
from rbp_journal.models.briefing import SCREEN
from rbp_journal.review import LISTED

app = typer.Typer(rich_markup_mode=None)

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


class ReviewFormat(StrEnum):
    rich = "rich"
    markdown = "markdown"
    json = "json"
    html = "html"


@app.command("review", epilog=REVIEW_EXAMPLES)
def review(
    week: Annotated[
        bool, typer.Option("--week", help="The 7 days ending today (default).")
    ] = False,
    month: Annotated[bool, typer.Option("--month", help="The 30 days ending today.")] = False,
    since: Annotated[str | None, typer.Option(help="Start of the period.")] = None,
    until: Annotated[str | None, typer.Option(help="End of the period (default today).")] = None,
    client: Annotated[str | None, typer.Option(help="Only this client code.")] = None,
    fmt: Annotated[
        ReviewFormat, typer.Option("--format", help="How to show it; html is a printable pack.")
    ] = ReviewFormat.rich,
    output: Annotated[str | None, OUTPUT] = None,
) -> None:
    """Review a period for supervision: agenda, what held up, themes, promises."""
    today = dt.date.today()
    period = periods.choose_period(week, month, since, until, today)
    # the screen shows three promises, excerpts and sessions (and says how many more): only
    # those are masked
    shows = max(SCREEN.promises, SCREEN.differently, SCREEN.stand_out)
    listed = shows if fmt == ReviewFormat.rich else LISTED
    report = common.journal().supervision.review(period, client, today, listed)
    with files.output(output) as out:
        if fmt == ReviewFormat.json:
            out.write(json.dumps(views.data(report), ensure_ascii=False, indent=2))
            out.write("\n")
        elif fmt == ReviewFormat.markdown:
            from rbp_journal.formats.review import review_markdown

            out.write(review_markdown(report))
        elif fmt == ReviewFormat.html:
            from rbp_journal.formats.html import review_html

            out.write(review_html(report))
        else:
            from rbp_journal.formats.review_screen import review_text as text

            out.write(text(review_text.briefing(report), _width(), common.paint(out)))


def _width() -> int:
    """The terminal's width, which an --output file is written at too (as on screen); 80 for
    a pipe unless $COLUMNS says otherwise."""
    return common.width() or 80
