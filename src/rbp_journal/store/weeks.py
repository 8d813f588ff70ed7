"""Theme ratings in 7-day buckets, summed in SQL: what `rbp trends` draws and the review's
sparklines come from. Plain tuples, no models: trends load no pydantic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rbp_journal.store.connection import Connection

# theme, weeks back from the end, mean, ratings, sessions, polarity
WeekRow = tuple[str, int, float, int, int, str]


class Weeks:
    def __init__(self, connection: Connection) -> None:
        self.conn = connection.conn

    def means(
        self, end: dt.date, weeks: int, theme: str | None = None, client: str | None = None
    ) -> list[WeekRow]:
        """One row a theme and week that has ratings, for the `weeks` 7-day buckets ending
        at `end`; the polarity is the theme's (a heavier theme is flagged when it rises)."""
        start = end - dt.timedelta(days=7 * weeks - 1)
        where = "r.status = 'done' AND r.session_date BETWEEN ? AND ?"
        params: list[Any] = [start.isoformat(), end.isoformat()]
        if client is not None:
            where += " AND r.client = ?"
            params.append(client)
        if theme is not None:
            where += " AND a.theme = ?"
            params.append(theme)
        rows = self.conn.execute(
            f"""SELECT a.theme,
                       CAST((julianday(?) - julianday(r.session_date)) / 7 AS INTEGER) AS back,
                       avg(a.rating) AS mean, count(*) AS ratings,
                       count(DISTINCT a.reflection_id) AS sessions,
                       max(coalesce(a.polarity, 'better')) AS polarity
                FROM reflections r JOIN answers a ON a.reflection_id = r.id
                WHERE {where} AND a.rating IS NOT NULL GROUP BY 1, 2""",
            [end.isoformat(), *params],
        )
        return [
            (theme, int(back), float(mean), int(ratings), int(sessions), str(polarity))
            for theme, back, mean, ratings, sessions, polarity in rows
        ]
