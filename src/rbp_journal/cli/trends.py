"""`rbp trends`: theme ratings week by week. Apart from the review, whose sentences, privacy
guard and models it does not need."""

from __future__ import annotations

import json
import shutil
import sys
from enum import StrEnum
from typing import Annotated, TextIO

import typer

from rbp_journal.cli import common, files
from rbp_journal.errors import UsageError
from rbp_journal.formats import trends as formats
from rbp_journal.models import views
from rbp_journal.models.vocabulary import THEMES

app = typer.Typer(rich_markup_mode=None)

OUTPUT = typer.Option(
    "--output", "-o", metavar="FILE", help="Write here, whole or not at all (default stdout)."
)
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


@app.command("trends", epilog=TRENDS_EXAMPLES)
def trends(
    weeks: Annotated[int, typer.Option(min=1, max=520, help="How many weeks back.")] = 12,
    theme: Annotated[str | None, typer.Option(help="One theme, week by week.")] = None,
    fmt: Annotated[
        TrendsFormat, typer.Option("--format", help="How to show it.")
    ] = TrendsFormat.rich,
    output: Annotated[str | None, OUTPUT] = None,
) -> None:
    """Show theme ratings week by week, with sparklines."""
    if theme is not None and theme not in THEMES:
        raise UsageError(f"--theme {theme!r} is not one of {', '.join(THEMES)}.")
    result = common.journal().themes.trends(weeks, theme)
    with files.output(output) as out:
        if fmt == TrendsFormat.json:
            out.write(json.dumps(views.data(result), ensure_ascii=False, indent=2))
            out.write("\n")
        elif fmt == TrendsFormat.csv:
            out.write(formats.trends_csv(result))
        elif theme:
            out.write(formats.theme_weeks_text(result, common.paint(out)))
        else:
            out.write(formats.trends_text(result, _width(out), common.paint(out)))


def _width(out: TextIO) -> int | None:
    """The terminal's width, which an --output file is written at too (as on screen)."""
    return common.width() if out is sys.stdout else shutil.get_terminal_size().columns
