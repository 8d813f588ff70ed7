"""`rbp review`: getting ready for supervision (`rbp trends` is in trends.py)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from rbp_journal import periods, review_text
from rbp_journal.cli import common, files

if TYPE_CHECKING:
    from rich.console import Console

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
    report = common.journal().supervision.review(period, client=client, today=today)
    with files.output(output) as out:
        if fmt == ReviewFormat.json:
            out.write(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2))
            out.write("\n")
        elif fmt == ReviewFormat.markdown:
            from rbp_journal.formats.review import review_markdown

            out.write(review_markdown(report))
        elif fmt == ReviewFormat.html:
            from rbp_journal.formats.html import review_html

            out.write(review_html(report))
        else:
            from rbp_journal.render import review as render  # Rich: for a person only

            _console(out).print(render.review_view(review_text.briefing(report)))


def _console(out: TextIO) -> Console:
    """The screen's console, or one as wide writing plain text into the --output file."""
    if out is sys.stdout:
        return common.out()
    from rich.console import Console  # Rich: for a person only

    return Console(
        file=out, width=common.out().width, no_color=True, highlight=False, soft_wrap=False
    )
