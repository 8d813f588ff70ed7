"""Full-text search over answers (FTS5), best first, with marked snippets."""

from __future__ import annotations

import sqlite3
from typing import Any

from rbp_journal.errors import SearchSyntax
from rbp_journal.models.reflection import MARK_END, MARK_START, ReflectionFilter, SearchHit
from rbp_journal.store import filters
from rbp_journal.store.connection import Connection


class Search:
    def __init__(self, connection: Connection) -> None:
        self.conn = connection.conn
        self.driver = connection.driver

    def matches(self, match: str, query: ReflectionFilter) -> list[SearchHit]:
        """Answers matching an FTS5 expression, best first (bm25), with marked snippets."""
        where, params = filters.where(query)
        try:
            rows = self._search(match, where, params, query.limit)
        except self.driver.OperationalError as error:
            # the schema is known, so a failing MATCH is the query's own syntax
            if "locked" in str(error) or "busy" in str(error):
                raise
            raise SearchSyntax(str(error)) from None
        return [SearchHit.model_validate(dict(row)) for row in rows]

    def _search(
        self, match: str, where: str, params: list[Any], limit: int | None
    ) -> list[sqlite3.Row]:
        if limit is None:
            return self.conn.execute(
                f"""SELECT r.id AS reflection_id, r.session_date, r.client, a.question,
                           a.prompt_id, snippet(answers_fts, 0, ?, ?, '…', 16) AS snippet,
                           bm25(answers_fts) AS rank
                    FROM answers_fts
                    JOIN answers a ON a.id = answers_fts.rowid
                    JOIN reflections r ON r.id = a.reflection_id
                    WHERE answers_fts MATCH ? AND {where}
                    ORDER BY rank""",
                [MARK_START, MARK_END, match, *params],
            ).fetchall()
        # Rank every match, but make snippets only for the best `limit` (CROSS JOIN keeps
        # `best` the outer loop): for a word in 80,000 answers, snippets were most of the time.
        return self.conn.execute(
            f"""WITH best AS (
                    SELECT a.id, bm25(answers_fts) AS rank
                    FROM answers_fts
                    JOIN answers a ON a.id = answers_fts.rowid
                    JOIN reflections r ON r.id = a.reflection_id
                    WHERE answers_fts MATCH ? AND {where}
                    ORDER BY rank LIMIT ?)
                SELECT r.id AS reflection_id, r.session_date, r.client, a.question, a.prompt_id,
                       snippet(answers_fts, 0, ?, ?, '…', 16) AS snippet, best.rank
                FROM best
                CROSS JOIN answers_fts ON answers_fts.rowid = best.id
                JOIN answers a ON a.id = best.id
                JOIN reflections r ON r.id = a.reflection_id
                WHERE answers_fts MATCH ?
                ORDER BY best.rank""",
            [match, *params, filters.row_limit(limit), MARK_START, MARK_END, match],
        ).fetchall()
