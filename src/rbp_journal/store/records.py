"""Reflections in full, as export and import move them: read a batch at a time, oldest first,
and written back whole by uid."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rbp_journal.models.reflection import Reflection, ReflectionFilter, ReflectionRecord
from rbp_journal.store import filters
from rbp_journal.store.connection import Connection
from rbp_journal.store.filters import TAGS_OF_R
from rbp_journal.store.reflections import Reflections


class Records:
    def __init__(self, connection: Connection, reflections: Reflections) -> None:
        self.conn = connection.conn
        self._reflections = reflections

    def iter_reflections(self, query: ReflectionFilter, batch: int = 500) -> Iterator[Reflection]:
        """Every matching reflection in full, oldest first, read a batch at a time."""
        for data in self._iter_full(query, batch):
            yield Reflection.model_validate(data)

    def iter_records(self, query: ReflectionFilter, batch: int = 500) -> Iterator[ReflectionRecord]:
        """Every matching reflection as exported, oldest first, read a batch at a time."""
        for data in self._iter_full(query, batch):
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
        answers: dict[int, list[dict[str, Any]]] = {rid: [] for rid in ids}
        for row in self.conn.execute(
            f"""SELECT reflection_id, position, prompt_id, theme, kind, question, text, rating,
                       label, polarity
                FROM answers WHERE reflection_id IN ({marks}) ORDER BY reflection_id, position""",
            ids,
        ):
            answers[row[0]].append(dict(row))
        followups: dict[int, list[dict[str, Any]]] = {rid: [] for rid in ids}
        for row in self.conn.execute(
            f"""SELECT f.*, r.client, r.session_date FROM followups f
                JOIN reflections r ON r.id = f.reflection_id
                WHERE f.reflection_id IN ({marks}) ORDER BY f.id""",
            ids,
        ):
            followups[row["reflection_id"]].append(dict(row))
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

    def put(self, reflection: ReflectionRecord) -> int:
        """Insert or replace a whole reflection by uid, keeping its times (used by import).

        It keeps its id too when that id is free here, so "reflection 12" in old notes still
        means the same reflection after a move to a new journal."""
        existing = self._reflections.id_for_uid(reflection.uid)
        if existing is None and reflection.id is not None:
            taken = self.conn.execute("SELECT 1 FROM reflections WHERE id = ?", [reflection.id])
            existing_id = None if taken.fetchone() else reflection.id
        else:
            existing_id = existing
        if existing is not None:
            for table in ("answers", "followups", "reflection_tags"):
                self.conn.execute(f"DELETE FROM {table} WHERE reflection_id = ?", [existing])
            self.conn.execute("DELETE FROM reflections WHERE id = ?", [existing])
        cursor = self.conn.execute(
            """INSERT INTO reflections (id, uid, session_date, created, updated, client, setting,
                                        set_id, set_version, status)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                existing_id,
                reflection.uid,
                reflection.session_date.isoformat(),
                reflection.created.isoformat(),
                reflection.updated.isoformat(),
                reflection.client,
                reflection.setting,
                reflection.set_id,
                reflection.set_version,
                reflection.status,
            ],
        )
        rid = int(cursor.lastrowid or 0)
        self._reflections.set_tags(rid, reflection.tags)
        for answer in reflection.answers:
            self._reflections.put_answer(rid, answer)
        for followup in reflection.followups:
            self._reflections.followups.put(rid, followup)
        return rid
