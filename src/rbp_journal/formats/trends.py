"""`rbp trends` as CSV for spreadsheets, and as plain aligned text for a pipe (the columns of
the Rich table, every week, no colour)."""

from __future__ import annotations

import csv
import io

from rbp_journal.formats.plain import columns
from rbp_journal.models.views import Trends
from rbp_journal.trends import sparkline


def trends_csv(trends: Trends) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["week_start", "theme", "mean", "ratings"])
    for theme in trends.themes:
        for start, mean, count in zip(trends.weeks, theme.weekly, theme.ratings, strict=True):
            writer.writerow(
                [start.isoformat(), theme.theme, "" if mean is None else f"{mean:.2f}", count]
            )
    return buffer.getvalue()


def trends_text(trends: Trends) -> str:
    """Each theme's sparkline over every week, as the terminal shows the newest that fit."""
    if not trends.themes:
        return "No ratings in these weeks.\n"
    rows = [
        [t.theme, sparkline(t.weekly), _number(t.latest), str(sum(t.ratings))]
        for t in trends.themes
    ]
    header = ["theme", f"from {trends.weeks[0]}", "latest", "ratings"]
    return columns(header, rows, right={2, 3})


def theme_weeks_text(trends: Trends) -> str:
    """One theme week by week: mean, ratings and a bar."""
    theme = trends.themes[0] if trends.themes else None
    rows = []
    for index, start in enumerate(trends.weeks):
        mean = theme.weekly[index] if theme else None
        bar = "█" * round(mean * 4) if mean is not None else ""
        rows.append([str(start), _number(mean), str(theme.ratings[index] if theme else 0), bar])
    return columns(["week of", "mean", "ratings", ""], rows, right={1, 2})


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"
