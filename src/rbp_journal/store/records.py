"""Reflections in full, as export moves them (and the guard's scan reads them): streamed,
oldest first. Import writes them back in imports.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rbp_journal.models import views
from rbp_journal.models.views import AnswerView, FollowupView, ReflectionFilter, ReflectionView
from rbp_journal.store import filters
from rbp_journal.store.connection import Connection
from rbp_journal.store.filters import TAGS_OF_R
from rbp_journal.store.followups import COLUMNS as FOLLOWUP_COLUMNS
from rbp_journal.store.followups import view_of
from rbp_journal.store.reflections import ANSWER_COLUMNS

if TYPE_CHECKING:  # the models: pydantic loads only where they are validated
    from rbp_journal.models.reflection import Reflection, ReflectionRecord


class Records:
    def __init__(self, connection: Connection) -> None:
        self.conn = connection.conn

    def iter_views(self, query: ReflectionFilter) -> Iterator[ReflectionView]:
        """Every matching reflection in full, oldest first, as stored (what an export writes:
        validated when it was written, so not again).

        Four queries walk the reflections, their tags, answers and promises in the same order
        (session date, id) and are merged as they stream, in plain tuples: memory stays flat at
        any size, and an export of 100,000 costs little more than reading the rows (tags as
        rows, not a JSON array a reflection: parsing those was a tenth of an export).
        """
        where, params = filters.where(query)
        order = "ORDER BY r.session_date, r.id"
        reflections = self._tuples(
            f"""SELECT r.id, r.uid, r.session_date, r.created, r.updated, r.client, r.setting,
                       r.set_id, r.set_version, r.status
                FROM reflections r WHERE {where} {order}""",
            params,
        )
        tags = self._tuples(
            f"""SELECT rt.reflection_id, t.name
                FROM reflections r JOIN reflection_tags rt ON rt.reflection_id = r.id
                JOIN tags t ON t.id = rt.tag_id
                WHERE {where} {order}, t.name""",
            params,
        )
        answers = self._tuples(
            f"""SELECT a.reflection_id, {ANSWER_COLUMNS}
                FROM reflections r JOIN answers a ON a.reflection_id = r.id
                WHERE {where} {order}, a.position""",
            params,
        )
        promises = self._tuples(
            f"""SELECT {FOLLOWUP_COLUMNS}
                FROM reflections r JOIN followups f ON f.reflection_id = r.id
                WHERE {where} {order}, f.id""",
            params,
        )
        date, stamp, new = views.date, views.stamp, tuple.__new__
        tag, answer, promise = next(tags, None), next(answers, None), next(promises, None)
        for (
            rid,
            uid,
            day,
            created,
            updated,
            client,
            setting,
            set_id,
            version,
            status,
        ) in reflections:
            names: list[str] = []
            while tag is not None and tag[0] == rid:
                names.append(tag[1])
                tag = next(tags, None)
            mine: list[AnswerView] = []
            while answer is not None and answer[0] == rid:
                mine.append(new(AnswerView, answer[1:]))  # AnswerView._make, unchecked
                answer = next(answers, None)
            kept: list[FollowupView] = []
            while promise is not None and promise[1] == rid:
                kept.append(view_of(promise))
                promise = next(promises, None)
            yield ReflectionView(
                set_id, version, date(day), client, setting, names, rid, uid, stamp(created),
                stamp(updated), status, mine, kept,
            )  # fmt: skip

    def _tuples(self, sql: str, params: list[Any]) -> Iterator[tuple[Any, ...]]:
        """Rows as plain tuples (sqlite3.Row costs more a row than a whole answer view)."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        return iter(cursor.execute(sql, params))

    def iter_reflections(self, query: ReflectionFilter, batch: int = 500) -> Iterator[Reflection]:
        """Every matching reflection in full as a model, oldest first (for the guard's scan)."""
        from rbp_journal.models.reflection import Reflection  # pydantic: only what changes them

        for data in self._iter_full(query, batch):
            data["answers"] = [_answer(a) for a in data["answers"]]
            data["followups"] = [dict(f) for f in data["followups"]]
            yield Reflection.model_validate(data)

    def iter_records(self, query: ReflectionFilter, batch: int = 500) -> Iterator[ReflectionRecord]:
        """Every matching reflection as exported, as a model, oldest first (what
        `export --redact` masks)."""
        from rbp_journal.models.reflection import ReflectionRecord  # pydantic: see above

        for data in self._iter_full(query, batch):
            data["answers"] = [_answer(a) for a in data["answers"]]
            data["followups"] = [
                {key: f[key] for key in ("text", "due", "status", "created", "closed", "note")}
                for f in data["followups"]
            ]
            yield ReflectionRecord.model_validate(data)

    def _iter_full(self, query: ReflectionFilter, batch: int) -> Iterator[dict[str, Any]]:
        where, params = filters.where(query)
        ids = self.conn.execute(
            f"SELECT r.id FROM reflections r WHERE {where} ORDER BY r.session_date, r.id", params
        )
        while chunk := [row[0] for row in ids.fetchmany(batch)]:
            yield from self._full_by_id(chunk)

    def _full_by_id(self, ids: list[int]) -> list[dict[str, Any]]:
        """Reflections with their tags, answers and follow-ups, as plain rows, in `ids` order."""
        marks = ", ".join("?" for _ in ids)
        rows = self.conn.execute(
            f"""SELECT r.id, r.uid, r.session_date, r.created, r.updated, r.client, r.setting,
                       r.set_id, r.set_version, r.status, {TAGS_OF_R} AS tags
                FROM reflections r WHERE r.id IN ({marks})""",
            ids,
        ).fetchall()
        # plain rows: one validation per reflection (nested, in pydantic's core) is several
        # times faster than one per answer, which an export of 100,000 feels
        answers: dict[int, list[tuple[Any, ...]]] = {rid: [] for rid in ids}
        for row in self.conn.execute(
            f"""SELECT reflection_id, position, prompt_id, theme, kind, question, text, rating,
                       label, polarity
                FROM answers WHERE reflection_id IN ({marks}) ORDER BY reflection_id, position""",
            ids,
        ):
            answers[row[0]].append(tuple(row))
        followups: dict[int, list[Any]] = {rid: [] for rid in ids}
        for row in self.conn.execute(
            f"""SELECT {FOLLOWUP_COLUMNS} FROM followups f
                JOIN reflections r ON r.id = f.reflection_id
                WHERE f.reflection_id IN ({marks}) ORDER BY f.id""",
            ids,
        ):
            followups[row["reflection_id"]].append(row)
        by_id = {
            row["id"]: {
                **dict(row),
                "tags": filters.tags(row["tags"]),
                "answers": answers[row["id"]],
                "followups": followups[row["id"]],
            }
            for row in rows
        }
        return [by_id[rid] for rid in ids if rid in by_id]


ANSWER_FIELDS = (
    "position", "prompt_id", "theme", "kind", "question", "text", "rating", "label", "polarity",
)  # fmt: skip


def _answer(row: tuple[Any, ...]) -> dict[str, Any]:
    """An answer row (reflection id first) as the fields a model validates."""
    return dict(zip(ANSWER_FIELDS, row[1:], strict=True))
