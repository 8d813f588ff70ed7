"""Full-text search over answers and promises (FTS5, answers_fts and followups_fts), best
first, with marked snippets."""

from __future__ import annotations

import sqlite3
from typing import Any

from rbp_journal.errors import SearchSyntax
from rbp_journal.models import views
from rbp_journal.models.views import (
    MARK_END,
    MARK_START,
    ReflectionFilter,
    SearchHit,
    SearchResults,
)
from rbp_journal.store import filters
from rbp_journal.store.connection import Connection

# A word in most answers ("family") has nothing to rank them by but length, and ranking 80,000
# matches took 0.2 s: at most the newest RANKED matches are ranked (the person is told).
RANKED = 2_000


class Search:
    def __init__(self, connection: Connection) -> None:
        self.conn = connection.conn
        self.driver = connection.driver

    def matches(self, match: str, query: ReflectionFilter) -> SearchResults:
        """Answers matching an FTS5 expression, best first (bm25), with marked snippets; with
        a limit, the best of the newest RANKED matches (said in `newest` when there were more)."""
        where, params = filters.where(query)
        try:
            rows = self._search(match, where, params, query.limit)
            promised = self._promises(match, query)
        except self.driver.OperationalError as error:
            # the schema is known, so a failing MATCH is the query's own syntax
            if "locked" in str(error) or "busy" in str(error):
                raise
            raise SearchSyntax(str(error)) from None
        answers = [
            SearchHit(rid, views.date(day), client, question, prompt_id, snippet, float(rank))
            for rid, day, client, question, prompt_id, snippet, rank, _ in rows
        ]
        promises = [
            SearchHit(rid, views.optional_date(day), client, question, prompt_id, snippet,
                      float(rank), fid)
            for fid, rid, day, client, question, prompt_id, snippet, rank, _ in promised
        ]  # fmt: skip
        hits = sorted(answers + promises, key=lambda hit: hit.rank)
        full = any(row[-1] > RANKED for row in [*rows, *promised])
        limited = hits[: query.limit] if query.limit is not None else hits
        return SearchResults(limited, RANKED if full else None)

    def _promises(self, match: str, query: ReflectionFilter) -> list[sqlite3.Row]:
        """Promises matching, of the reflections the filter keeps and those made alone: with a
        limit, the best of the newest RANKED (as answers)."""
        where, params = filters.where(query)
        alone = filters.standalone_where(query)
        alone_where, alone_params = alone if alone is not None else ("0", [])
        keep = f"(CASE WHEN r.id IS NULL THEN ({alone_where}) ELSE ({where}) END)"
        newest = (
            "" if query.limit is None else f"ORDER BY followups_fts.rowid DESC LIMIT {RANKED + 1}"
        )
        return self.conn.execute(
            f"""WITH newest AS MATERIALIZED (
                    SELECT f.id, bm25(followups_fts) AS rank
                    FROM followups_fts
                    JOIN followups f ON f.id = followups_fts.rowid
                    LEFT JOIN reflections r ON r.id = f.reflection_id
                    WHERE followups_fts MATCH ? AND {keep} {newest}),
                span AS (SELECT count(*) AS seen, min(id) AS oldest FROM newest),
                best AS (
                    SELECT id, rank, seen FROM newest, span
                    WHERE seen <= {RANKED} OR id != oldest OR {int(query.limit is None)}
                    ORDER BY rank LIMIT ?)
                SELECT f.id AS followup_id, r.id AS reflection_id, r.session_date, r.client,
                       'Promise' AS question, 'promise' AS prompt_id,
                       snippet(followups_fts, 0, ?, ?, '…', 16) AS snippet, best.rank,
                       CASE WHEN {int(query.limit is None)} THEN 0 ELSE best.seen END AS seen
                FROM best
                CROSS JOIN followups_fts ON followups_fts.rowid = best.id
                JOIN followups f ON f.id = best.id
                LEFT JOIN reflections r ON r.id = f.reflection_id
                WHERE followups_fts MATCH ?
                ORDER BY best.rank""",
            [match, *alone_params, *params, query.limit or -1, MARK_START, MARK_END, match],
        ).fetchall()

    def _search(
        self, match: str, where: str, params: list[Any], limit: int | None
    ) -> list[sqlite3.Row]:
        if limit is None:
            return self.conn.execute(
                f"""SELECT r.id AS reflection_id, r.session_date, r.client, a.question,
                           a.prompt_id, snippet(answers_fts, 0, ?, ?, '…', 16) AS snippet,
                           bm25(answers_fts) AS rank, 0 AS seen
                    FROM answers_fts
                    JOIN answers a ON a.id = answers_fts.rowid
                    JOIN reflections r ON r.id = a.reflection_id
                    WHERE answers_fts MATCH ? AND {where}
                    ORDER BY rank""",
                [MARK_START, MARK_END, match, *params],
            ).fetchall()
        # Rank the newest RANKED matches (reading one more, to know if there were more: FTS5
        # reads them newest first and stops), and make snippets only for the best `limit` (CROSS
        # JOIN keeps `best` the outer loop): for a word in 80,000 answers, snippets were most
        # of the time.
        return self.conn.execute(
            f"""WITH newest AS MATERIALIZED (
                    SELECT a.id, bm25(answers_fts) AS rank
                    FROM answers_fts
                    JOIN answers a ON a.id = answers_fts.rowid
                    JOIN reflections r ON r.id = a.reflection_id
                    WHERE answers_fts MATCH ? AND {where}
                    ORDER BY answers_fts.rowid DESC LIMIT {RANKED + 1}),
                span AS (SELECT count(*) AS seen, min(id) AS oldest FROM newest),
                best AS (
                    SELECT id, rank, seen FROM newest, span
                    WHERE seen <= {RANKED} OR id != oldest
                    ORDER BY rank LIMIT ?)
                SELECT r.id AS reflection_id, r.session_date, r.client, a.question, a.prompt_id,
                       snippet(answers_fts, 0, ?, ?, '…', 16) AS snippet, best.rank, best.seen
                FROM best
                CROSS JOIN answers_fts ON answers_fts.rowid = best.id
                JOIN answers a ON a.id = best.id
                JOIN reflections r ON r.id = a.reflection_id
                WHERE answers_fts MATCH ?
                ORDER BY best.rank""",
            [match, *params, limit, MARK_START, MARK_END, match],
        ).fetchall()
