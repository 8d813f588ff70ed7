"""Full-text search over answers and promises (FTS5, answers_fts and followups_fts), best
first, with marked snippets.

The snippet is cut here from FTS5's highlight() of the whole text, not by FTS5's snippet():
that one scores a window at every match against every other match, so one word written
40,000 times in an answer took 18 s; highlight() and the window below are linear in the
answer's length (0.3 s for the same answer).
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
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
            SearchHit(rid, views.date(day), client, question, prompt_id, snippet(marked or ""),
                      float(rank))
            for rid, day, client, question, prompt_id, marked, rank, _ in rows
        ]  # fmt: skip
        promises = [
            SearchHit(rid, views.optional_date(day), client, question, prompt_id,
                      snippet(marked or ""), float(rank), fid)
            for fid, rid, day, client, question, prompt_id, marked, rank, _ in promised
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
                       highlight(followups_fts, 0, ?, ?) AS snippet, best.rank,
                       CASE WHEN {int(query.limit is None)} THEN 0 ELSE best.seen END AS seen
                FROM best
                CROSS JOIN followups_fts ON followups_fts.rowid = best.id
                JOIN followups f ON f.id = best.id
                LEFT JOIN reflections r ON r.id = f.reflection_id
                WHERE followups_fts MATCH ?
                ORDER BY best.rank""",
            [
                match,
                *alone_params,
                *params,
                filters.row_limit(query.limit),
                MARK_START,
                MARK_END,
                match,
            ],
        ).fetchall()

    def _search(
        self, match: str, where: str, params: list[Any], limit: int | None
    ) -> list[sqlite3.Row]:
        if limit is None:
            return self.conn.execute(
                f"""SELECT r.id AS reflection_id, r.session_date, r.client, a.question,
                           a.prompt_id, highlight(answers_fts, 0, ?, ?) AS snippet,
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
                       highlight(answers_fts, 0, ?, ?) AS snippet, best.rank, best.seen
                FROM best
                CROSS JOIN answers_fts ON answers_fts.rowid = best.id
                JOIN answers a ON a.id = best.id
                JOIN reflections r ON r.id = a.reflection_id
                WHERE answers_fts MATCH ?
                ORDER BY best.rank""",
            [match, *params, filters.row_limit(limit), MARK_START, MARK_END, match],
        ).fetchall()


SNIPPET_WORDS = 16
_WORD = re.compile(r"\w+")


def snippet(marked: str, width: int = SNIPPET_WORDS) -> str:
    """The `width` words of a highlighted answer that hold the most different matched words
    (then the most matches), the matches centred, with '…' where text is left out."""
    text, spans = _unmark(marked)
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    if len(words) <= width:
        return marked
    hits = _hit_words(text, words, spans)
    first = _best_window(hits, width)
    inside = [i for i in range(first, first + width) if hits[i] is not None]
    if inside:  # centre the matches, as FTS5's own snippet does
        first = inside[0] - (width - (inside[-1] - inside[0] + 1)) // 2
        first = max(0, min(first, len(words) - width))
    last = first + width - 1
    start, end = words[first][0], words[last][1]
    body = _remark(text, spans, start, end)
    return ("…" if first > 0 else "") + body + ("…" if last < len(words) - 1 else "")


def _unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The plain text, and where the marks were in it."""
    plain: list[str] = []
    spans = []
    at = length = 0
    while True:
        opening = marked.find(MARK_START, at)
        if opening < 0:
            plain.append(marked[at:])
            break
        closing = marked.find(MARK_END, opening)
        if closing < 0:
            closing = len(marked)
        plain.append(marked[at:opening])
        length += opening - at
        inner = marked[opening + 1 : closing]
        plain.append(inner)
        spans.append((length, length + len(inner)))
        length += len(inner)
        at = closing + 1
        if at > len(marked):
            break
    return "".join(plain), spans


def _hit_words(
    text: str, words: list[tuple[int, int]], spans: list[tuple[int, int]]
) -> list[str | None]:
    hits: list[str | None] = []
    at = 0
    for start, end in words:
        while at < len(spans) and spans[at][1] <= start:
            at += 1
        inside = at < len(spans) and spans[at][0] < end
        hits.append(text[start:end].lower() if inside else None)
    return hits


def _best_window(hits: list[str | None], width: int) -> int:
    """The first word of the best window, in one pass."""
    seen: Counter[str] = Counter()
    total = 0
    best, best_score = 0, (-1, -1)
    for index, hit in enumerate(hits):
        if hit is not None:
            seen[hit] += 1
            total += 1
        leaving = index - width
        if leaving >= 0 and hits[leaving] is not None:
            gone = hits[leaving]
            assert gone is not None
            seen[gone] -= 1
            if not seen[gone]:
                del seen[gone]
            total -= 1
        if index >= width - 1 and (len(seen), total) > best_score:
            best, best_score = index - width + 1, (len(seen), total)
    return best


def _remark(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    pieces = []
    at = start
    for left, right in spans:
        if right <= start or left >= end:
            continue
        left, right = max(left, start), min(right, end)
        pieces += [text[at:left], MARK_START, text[left:right], MARK_END]
        at = right
    pieces.append(text[at:end])
    return "".join(pieces)
