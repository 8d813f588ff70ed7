"""Theme trends as Rich renderables: a sparkline a theme, or one theme week by week."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from rbp_journal.models.views import Trends
from rbp_journal.trends import newest_weeks, sparkline


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


# the trends table around its sparkline: theme, latest and ratings, two spaces between columns
_LATEST, _RATINGS, _GAPS = len("latest"), len("ratings"), 3 * 2


def trends_view(trends: Trends, width: int) -> RenderableType:
    """Each theme's sparkline, as many of the newest weeks as the width holds."""
    if not trends.themes:
        return Text("No ratings in these weeks.", style="dim")
    name = max(len(t.theme) for t in trends.themes)
    fitted, dropped = newest_weeks(trends, width - name - _LATEST - _RATINGS - _GAPS)
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("theme", no_wrap=True)
    table.add_column(f"from {fitted.weeks[0]}", no_wrap=True, overflow="crop")
    table.add_column("latest", justify="right", no_wrap=True)
    table.add_column("ratings", justify="right", no_wrap=True)
    for theme in fitted.themes:
        table.add_row(
            theme.theme,
            Text(sparkline(theme.weekly), style="cyan"),
            _number(theme.latest),
            str(sum(theme.ratings)),
        )
    if not dropped:
        return table
    weeks = "week" if dropped == 1 else "weeks"
    note = Text(
        f"{dropped} older {weeks} left out to fit; --format csv has them all.",
        style="dim",
    )
    return Group(table, note)


def theme_weeks_view(trends: Trends) -> RenderableType:
    theme = trends.themes[0] if trends.themes else None
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("week of")
    table.add_column("mean", justify="right")
    table.add_column("ratings", justify="right")
    table.add_column("")
    for index, start in enumerate(trends.weeks):
        mean = theme.weekly[index] if theme else None
        bar = "█" * round(mean * 4) if mean is not None else ""
        table.add_row(
            str(start),
            _number(mean),
            str(theme.ratings[index] if theme else 0),
            Text(bar, style="cyan"),
        )
    return table
