"""Figures for `rbp review` and `rbp trends`, each family one query, summed in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from rbp_journal.models.review import Counts, Excerpt, StandOut, ThemeFigures
from rbp_journal.models.views import FollowupView, date
from rbp_journal.store.connection import Connection
from rbp_journal.store.followups import COLUMNS, view_of
from rbp_journal.store.weeks import Weeks


class Aggregates:
    """Figures for `rbp review` and `rbp trends`, each family one query, summed in SQL."""

    def __init__(self, connection: Connection, client: str | None) -> None:
        self.connection = connection
        self.conn = connection.conn
        self.client = client

    def _scope(self, start: dt.date, end: dt.date) -> tuple[str, list[Any]]:
        where = "r.status = 'done' AND r.session_date BETWEEN ? AND ?"
        params: list[Any] = [start.isoformat(), end.isoformat()]
        if self.client is not None:
            where += " AND r.client = ?"
            params.append(self.client)
        return where, params

    def counts(self, start: dt.date, end: dt.date) -> Counts:
        where, params = self._scope(start, end)
        rows = self.conn.execute(
            f"""SELECT coalesce(r.setting, 'unspecified') AS setting, count(*) AS n,
                       count(DISTINCT r.client) AS clients
                FROM reflections r WHERE {where} GROUP BY 1 ORDER BY n DESC, setting""",
            params,
        ).fetchall()
        total = self.conn.execute(
            f"SELECT count(*), count(DISTINCT r.client) FROM reflections r WHERE {where}", params
        ).fetchone()
        return Counts(
            reflections=total[0],
            clients=total[1],
            settings={row["setting"]: row["n"] for row in rows},
        )

    def theme_means(self, start: dt.date, end: dt.date) -> dict[str, ThemeFigures]:
        where, params = self._scope(start, end)
        rows = self.conn.execute(
            f"""SELECT a.theme, avg(a.rating) AS mean, count(*) AS ratings,
                       count(DISTINCT a.reflection_id) AS sessions,
                       max(coalesce(a.polarity, 'better')) AS polarity
                FROM reflections r JOIN answers a ON a.reflection_id = r.id
                WHERE {where} AND a.rating IS NOT NULL GROUP BY a.theme""",
            params,
        )
        return {
            row["theme"]: ThemeFigures(
                float(row["mean"]), row["ratings"], row["sessions"], row["polarity"]
            )
            for row in rows
        }

    def weekly_means(
        self, end: dt.date, weeks: int, theme: str | None = None
    ) -> list[tuple[str, int, float, int, int]]:
        """(theme, weeks back from `end`, mean, ratings, sessions) for 7-day buckets ending
        at `end` (the query is weeks.py's, which trends use without the review's models)."""
        rows = Weeks(self.connection).means(end, weeks, theme, self.client)
        return [
            (theme, back, mean, ratings, sessions)
            for theme, back, mean, ratings, sessions, _ in rows
        ]

    def has_client(self) -> bool:
        """Whether any finished reflection carries the client code this scope is for."""
        row = self.conn.execute(
            "SELECT 1 FROM reflections r WHERE r.client = ? AND r.status = 'done' LIMIT 1",
            [self.client],
        ).fetchone()
        return row is not None

    def stand_out(self, start: dt.date, end: dt.date, limit: int = 6) -> list[StandOut]:
        where, params = self._scope(start, end)
        heaviest = self.conn.execute(
            f"""SELECT r.id AS reflection_id, r.session_date, r.client, max(a.rating) AS value
                FROM reflections r JOIN answers a ON a.reflection_id = r.id
                WHERE {where} AND a.polarity = 'heavier' AND a.rating >= 4
                GROUP BY r.id ORDER BY value DESC, r.session_date DESC LIMIT ?""",
            [*params, limit],
        ).fetchall()
        lowest = self.conn.execute(
            f"""SELECT r.id AS reflection_id, r.session_date, r.client, avg(a.rating) AS value
                FROM reflections r JOIN answers a ON a.reflection_id = r.id
                WHERE {where} AND a.polarity = 'better'
                GROUP BY r.id HAVING value <= 3
                ORDER BY value, r.session_date DESC LIMIT ?""",
            [*params, limit],
        ).fetchall()
        return [
            *(_stand_out(row, f"Emotional load {row['value']}/5") for row in heaviest),
            *(_stand_out(row, f"Ratings averaged {row['value']:.1f}") for row in lowest),
        ]

    def first_words(self, ids: Sequence[int]) -> dict[int, str]:
        """Each reflection's first written answer (what happened, in most sets)."""
        marks = ", ".join("?" for _ in ids)
        rows = self.conn.execute(
            f"""SELECT reflection_id, text FROM answers
                WHERE reflection_id IN ({marks}) AND text IS NOT NULL AND trim(text) != ''
                ORDER BY reflection_id, position""",
            list(ids),
        )
        found: dict[int, str] = {}
        for rid, text in rows:
            found.setdefault(int(rid), str(text))
        return found

    def promises_of(self, start: dt.date, end: dt.date) -> list[FollowupView]:
        """Open promises made in the period (in one of its reflections, or added on one of
        its days) or due in it, overdue first."""
        scope = "(r.id IS NULL OR r.status = 'done')"
        params: list[Any] = []
        if self.client is not None:
            scope += " AND r.client = ?"
            params.append(self.client)
        first, after = start.isoformat(), (end + dt.timedelta(days=1)).isoformat()
        # three indexed lookups joined by UNION: an OR across them would read every promise
        rows = self.conn.execute(
            f"""SELECT {COLUMNS} FROM followups f
                LEFT JOIN reflections r ON r.id = f.reflection_id
                WHERE f.id IN (
                    SELECT id FROM followups WHERE status = 'open' AND due BETWEEN ? AND ?
                    UNION
                    SELECT fm.id FROM reflections rm JOIN followups fm ON fm.reflection_id = rm.id
                    WHERE rm.status = 'done' AND rm.session_date BETWEEN ? AND ?
                          AND fm.status = 'open'
                    UNION
                    SELECT id FROM followups
                    WHERE reflection_id IS NULL AND status = 'open' AND created >= ? AND created < ?
                ) AND {scope}
                ORDER BY f.due IS NULL, f.due, f.id""",
            [first, end.isoformat(), first, end.isoformat(), first, after, *params],
        )
        return [view_of(row) for row in rows]

    def kept(self, start: dt.date, end: dt.date) -> list[int]:
        """Ids of promises marked done during the period."""
        where, params = self._kept(start, end)
        cursor = self.conn.cursor()
        cursor.row_factory = None  # ids alone, as plain tuples: a year of them is thousands
        rows = cursor.execute(f"SELECT f.id {where} ORDER BY f.closed, f.id", params)
        return [rid for (rid,) in rows]

    def kept_count(self, start: dt.date, end: dt.date) -> int:
        """How many promises were marked done during the period (read from the index alone)."""
        where, params = self._kept(start, end)
        return int(self.conn.execute(f"SELECT count(*) {where}", params).fetchone()[0])

    def _kept(self, start: dt.date, end: dt.date) -> tuple[str, list[Any]]:
        """FROM and WHERE of the promises marked done in the period (their reflections joined
        only to ask whose they are)."""
        params: list[Any] = [start.isoformat(), (end + dt.timedelta(days=1)).isoformat()]
        whose = ""
        if self.client is not None:
            whose = "JOIN reflections r ON r.id = f.reflection_id AND r.client = ?"
            params.insert(0, self.client)
        return (
            f"FROM followups f {whose} WHERE f.status = 'done' AND f.closed >= ? AND f.closed < ?",
            params,
        )

    def open_promises(self, today: dt.date) -> tuple[int, int, dt.date | None]:
        """Every open promise in scope: how many, how many overdue, the oldest due day."""
        where = "f.status = 'open' AND (r.id IS NULL OR r.status = 'done')"
        params: list[Any] = [today.isoformat(), today.isoformat()]
        if self.client is not None:
            where += " AND r.client = ?"
            params.append(self.client)
        row = self.conn.execute(
            f"""SELECT count(*), count(CASE WHEN f.due < ? THEN 1 END),
                       min(CASE WHEN f.due < ? THEN f.due END)
                FROM followups f LEFT JOIN reflections r ON r.id = f.reflection_id
                WHERE {where}""",
            params,
        ).fetchone()
        oldest = dt.date.fromisoformat(row[2]) if row[2] else None
        return int(row[0]), int(row[1]), oldest

    def excerpts(
        self, start: dt.date, end: dt.date, prompt_ids: Sequence[str], limit: int = 200
    ) -> list[Excerpt]:
        where, params = self._scope(start, end)
        marks = ", ".join("?" for _ in prompt_ids)
        rows = self.conn.execute(
            f"""SELECT r.id AS reflection_id, r.session_date, r.client, a.text
                FROM reflections r JOIN answers a ON a.reflection_id = r.id
                WHERE {where} AND a.prompt_id IN ({marks}) AND a.text IS NOT NULL
                ORDER BY r.session_date DESC, r.id DESC LIMIT ?""",
            [*params, *prompt_ids, limit],
        )
        return [Excerpt(rid, date(day), client, text) for rid, day, client, text in rows]

    def text_words(
        self, start: dt.date, end: dt.date, client: str | None = None
    ) -> dict[int, tuple[str, dict[str, int]]]:
        """For each finished reflection of the period: its set, and the words written to each
        text prompt (counted in SQL: the spaces between words, plus one)."""
        where = "r.status = 'done' AND r.session_date BETWEEN ? AND ?"
        params: list[Any] = [start.isoformat(), end.isoformat()]
        if client is not None:
            where += " AND r.client = ?"
            params.append(client)
        found: dict[int, tuple[str, dict[str, int]]] = {}
        for rid, set_id, prompt_id, words in self.conn.execute(
            f"""SELECT r.id, r.set_id, a.prompt_id,
                       length(trim(a.text)) - length(replace(trim(a.text), ' ', '')) + 1
                FROM reflections r
                LEFT JOIN answers a ON a.reflection_id = r.id
                     AND a.kind = 'text' AND a.text IS NOT NULL AND trim(a.text) != ''
                WHERE {where}""",
            params,
        ):
            entry = found.setdefault(rid, (set_id, {}))
            if prompt_id is not None:
                entry[1][prompt_id] = int(words)
        return found


def _stand_out(row: Any, why: str) -> StandOut:
    return StandOut(
        row["reflection_id"], date(row["session_date"]), row["client"], why, float(row["value"])
    )
