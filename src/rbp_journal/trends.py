"""Theme ratings week by week, pure: 7-day buckets ending on a day, sparklines, and the newest
weeks that fit a width."""

from __future__ import annotations

import datetime as dt

from rbp_journal.models.base import THEMES, Polarity
from rbp_journal.models.review import ThemeTrend, Trends


def week_starts(end: dt.date, weeks: int) -> list[dt.date]:
    return [end - dt.timedelta(days=7 * back + 6) for back in reversed(range(weeks))]


WeekRow = tuple[str, int, float, int, int]  # theme, weeks back, mean, ratings, sessions
Series = dict[str, tuple[list[float | None], list[int]]]


def series(rows: list[WeekRow], weeks: int, count: int = 4) -> Series:
    """Rows of (theme, weeks back, mean, ratings, sessions) -> per theme, oldest week first,
    the means (gaps None) and one count: the sessions (`count=4`) or the ratings (3)."""
    out: Series = {}
    for row in rows:
        theme, back, mean = row[0], row[1], row[2]
        means, counts = out.setdefault(theme, ([None] * weeks, [0] * weeks))
        means[weeks - 1 - back] = round(mean, 2)
        counts[weeks - 1 - back] = int(row[count])
    return out


def trends(
    rows: list[WeekRow], end: dt.date, weeks: int, polarities: dict[str, Polarity]
) -> Trends:
    by_theme = series(rows, weeks, count=3)
    themes = []
    for theme in THEMES:
        if theme not in by_theme:
            continue
        means, counts = by_theme[theme]
        latest = next((m for m in reversed(means) if m is not None), None)
        themes.append(
            ThemeTrend(
                theme=theme,
                polarity=polarities.get(
                    theme, "heavier" if theme == "emotional-load" else "better"
                ),
                weekly=means,
                ratings=counts,
                latest=latest,
            )
        )
    return Trends(weeks=week_starts(end, weeks), themes=themes)


def newest_weeks(trends: Trends, room: int) -> tuple[Trends, int]:
    """The newest weeks that fit in `room` columns of sparkline, and how many older ones
    were left out: the present is what a person looks for, so the past goes first."""
    keep = max(1, min(room, len(trends.weeks)))
    dropped = len(trends.weeks) - keep
    if not dropped:
        return trends, 0
    themes = [
        t.model_copy(update={"weekly": t.weekly[dropped:], "ratings": t.ratings[dropped:]})
        for t in trends.themes
    ]
    return Trends(format=trends.format, weeks=trends.weeks[dropped:], themes=themes), dropped


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float | None]) -> str:
    """One character a week on the fixed 1-5 scale; a week without ratings is a gap."""
    marks = []
    for value in values:
        if value is None:
            marks.append(" ")
        else:
            index = round((min(max(value, 1.0), 5.0) - 1) / 4 * (len(SPARKS) - 1))
            marks.append(SPARKS[index])
    return "".join(marks)
