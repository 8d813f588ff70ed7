"""`rbp trends` as CSV for spreadsheets, and as text: a sparkline a theme (the newest weeks
that fit the terminal, a note saying how many older ones were left out), or one theme week by
week; painted for a terminal, plain for a pipe (formats/plain.py says why not Rich)."""

from __future__ import annotations

import csv
import io

from rbp_journal.formats.plain import Paint, columns, text, unpainted
from rbp_journal.models.views import Trends
from rbp_journal.trends import newest_weeks, sparkline

# around the sparkline: the theme, latest and ratings columns, two spaces between them
_LATEST, _RATINGS, _GAPS = len("latest"), len("ratings"), 3 * 2


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


def trends_text(trends: Trends, width: int | None = None, paint: Paint = unpainted) -> str:
    """Each theme's sparkline: every week, or the newest that fit in `width` columns."""
    if not trends.themes:
        return paint("No ratings in these weeks.", "dim") + "\n"
    dropped = 0
    if width is not None:
        name = max(len(t.theme) for t in trends.themes)
        trends, dropped = newest_weeks(trends, width - name - _LATEST - _RATINGS - _GAPS)
    rows = [
        [t.theme, sparkline(t.weekly), _number(t.latest), str(sum(t.ratings))]
        for t in trends.themes
    ]
    header = ["theme", f"from {trends.weeks[0]}", "latest", "ratings"]
    lines = columns(header, rows, right={2, 3}, paint=paint, styles={1: "cyan"})
    if dropped:
        weeks = "week" if dropped == 1 else "weeks"
        note = f"{dropped} older {weeks} left out to fit; --format csv has them all."
        lines.append(paint(note, "dim"))
    return text(lines)


def theme_weeks_text(trends: Trends, paint: Paint = unpainted) -> str:
    """One theme week by week: mean, ratings and a bar."""
    theme = trends.themes[0] if trends.themes else None
    rows = []
    for index, start in enumerate(trends.weeks):
        mean = theme.weekly[index] if theme else None
        bar = "█" * round(mean * 4) if mean is not None else ""
        rows.append([str(start), _number(mean), str(theme.ratings[index] if theme else 0), bar])
    header = ["week of", "mean", "ratings", ""]
    return text(columns(header, rows, right={1, 2}, paint=paint, styles={3: "cyan"}))


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"
