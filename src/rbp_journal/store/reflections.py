"""Reflections with their answers and tags: writing them, and reading them back as models."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rbp_journal.models import views
from rbp_journal.models.views import (
    AnswerView,
    ReflectionFilter,
    ReflectionSummary,
    ReflectionView,
)
from rbp_journal.store import filters
from rbp_journal.store.connection import Connection, now
from rbp_journal.store.filters import TAGS_OF_R
from rbp_journal.store.followups import Followups

if TYPE_CHECKING:  # the write side's models: pydantic loads with what writes
    from rbp_journal.models.base import Status
    from rbp_journal.models.reflection import Answer, ClientSeen, Reflection, ReflectionHeader

ANSWER_COLUMNS = "position, prompt_id, theme, kind, question, text, rating, label, polarity"


class Reflections:
    def __init__(self, connection: Connection, followups: Followups) -> None:
        self.conn = connection.conn
        self.followups = followups

    # --- writes ---------------------------------------------------------------------------

    def insert(self, header: ReflectionHeader, uid: str, status: Status) -> int:
        stamp = now()
        cursor = self.conn.execute(
            """INSERT INTO reflections (uid, session_date, created, updated, client, setting,
                                        set_id, set_version, status)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                uid,
                header.session_date.isoformat(),
                stamp,
                stamp,
                header.client,
                header.setting,
                header.set_id,
                header.set_version,
                status,
            ],
        )
        rid = int(cursor.lastrowid or 0)
        self.set_tags(rid, header.tags)
        return rid

    def set_status(self, rid: int, status: Status) -> None:
        self.conn.execute(
            "UPDATE reflections SET status = ?, updated = ? WHERE id = ?", [status, now(), rid]
        )

    def put_answer(self, rid: int, answer: Answer) -> None:
        """Insert or replace the answer to one prompt of a reflection."""
        self.conn.execute(
            """INSERT INTO answers (reflection_id, position, prompt_id, theme, kind, question,
                                    text, rating, label, polarity)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (reflection_id, prompt_id) DO UPDATE SET
                 position = excluded.position, theme = excluded.theme, kind = excluded.kind,
                 question = excluded.question, text = excluded.text, rating = excluded.rating,
                 label = excluded.label, polarity = excluded.polarity""",
            [
                rid,
                answer.position,
                answer.prompt_id,
                answer.theme,
                answer.kind,
                answer.question,
                answer.text,
                answer.rating,
                answer.label,
                answer.polarity,
            ],
        )

    def update_header(self, rid: int, header: ReflectionHeader) -> None:
        self.conn.execute(
            """UPDATE reflections SET session_date = ?, client = ?, setting = ?, updated = ?
               WHERE id = ?""",
            [header.session_date.isoformat(), header.client, header.setting, now(), rid],
        )
        self.set_tags(rid, header.tags)

    def delete_answer(self, rid: int, prompt_id: str) -> None:
        self.conn.execute(
            "DELETE FROM answers WHERE reflection_id = ? AND prompt_id = ?", [rid, prompt_id]
        )

    def delete_answers(self, rid: int, keep: Sequence[str]) -> None:
        """Remove the answers of a reflection whose prompt ids are not in `keep`."""
        marks = ", ".join("?" for _ in keep) or "NULL"
        self.conn.execute(
            f"DELETE FROM answers WHERE reflection_id = ? AND prompt_id NOT IN ({marks})",
            [rid, *keep],
        )

    def set_tags(self, rid: int, tags: Sequence[str]) -> None:
        self.conn.execute("DELETE FROM reflection_tags WHERE reflection_id = ?", [rid])
        for tag in dict.fromkeys(tags):
            self.conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", [tag])
            self.conn.execute(
                """INSERT OR IGNORE INTO reflection_tags (reflection_id, tag_id)
                   SELECT ?, id FROM tags WHERE name = ?""",
                [rid, tag],
            )

    def forget_unused_tags(self) -> None:
        """Delete tags no reflection uses: a masked tag must not linger under its old name."""
        self.conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM reflection_tags)")

    def set_answer_text(self, rid: int, prompt_id: str, text: str) -> None:
        self.conn.execute(
            "UPDATE answers SET text = ? WHERE reflection_id = ? AND prompt_id = ?",
            [text, rid, prompt_id],
        )

    def delete(self, rid: int) -> bool:
        if not filters.storable(rid):
            return False
        for table in ("answers", "reflection_tags", "followups"):
            self.conn.execute(f"DELETE FROM {table} WHERE reflection_id = ?", [rid])
        cursor = self.conn.execute("DELETE FROM reflections WHERE id = ?", [rid])
        self.conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM reflection_tags)")
        return cursor.rowcount > 0

    # --- reads ----------------------------------------------------------------------------

    def get(self, rid: int) -> Reflection | None:
        """One reflection as a model, for the use cases that change it."""
        from rbp_journal.models.reflection import Reflection  # pydantic: only what writes

        data = self._full(rid)
        if data is None:
            return None
        data["followups"] = self.followups.rows_of(rid)
        return Reflection.model_validate(data)

    def view(self, rid: int) -> ReflectionView | None:
        """One reflection to show, read as stored (checked when it was written)."""
        data = self._full(rid)
        if data is None:
            return None
        return ReflectionView(
            set_id=data["set_id"],
            set_version=data["set_version"],
            session_date=views.date(data["session_date"]),
            client=data["client"],
            setting=data["setting"],
            tags=data["tags"],
            id=data["id"],
            uid=data["uid"],
            created=views.stamp(data["created"]),
            updated=views.stamp(data["updated"]),
            status=data["status"],
            answers=[AnswerView(**answer) for answer in data["answers"]],
            followups=self.followups.of_reflection(rid),
        )

    def _full(self, rid: int) -> dict[str, Any] | None:
        if not filters.storable(rid):
            return None
        row = self.conn.execute(
            f"""SELECT r.id, r.uid, r.session_date, r.created, r.updated, r.client, r.setting,
                       r.set_id, r.set_version, r.status, {TAGS_OF_R} AS tags
                FROM reflections r WHERE r.id = ?""",
            [rid],
        ).fetchone()
        if row is None:
            return None
        answers = self.conn.execute(
            f"SELECT {ANSWER_COLUMNS} FROM answers WHERE reflection_id = ? ORDER BY position",
            [rid],
        )
        data = dict(row)
        data["tags"] = filters.tags(data["tags"])
        data["answers"] = [dict(a) for a in answers]
        return data

    def summaries(self, query: ReflectionFilter) -> list[ReflectionSummary]:
        where, params = filters.where(query)
        rows = self.conn.execute(
            f"""SELECT r.id, r.session_date, r.client, r.setting, r.set_id, r.status,
                       {TAGS_OF_R} AS tags,
                       (SELECT substr(a.text, 1, 200) FROM answers a
                         WHERE a.reflection_id = r.id AND a.text IS NOT NULL
                         ORDER BY a.position LIMIT 1) AS excerpt
                FROM reflections r WHERE {where}
                ORDER BY r.session_date DESC, r.id DESC LIMIT ?""",
            [*params, filters.row_limit(query.limit)],
        )
        return [
            ReflectionSummary(
                rid, views.date(day), client, setting, set_id, status, filters.tags(tags), excerpt
            )
            for rid, day, client, setting, set_id, status, tags, excerpt in rows
        ]

    def exists(self, rid: int) -> bool:
        sql = "SELECT 1 FROM reflections WHERE id = ?"
        return filters.storable(rid) and self.conn.execute(sql, [rid]).fetchone() is not None

    def set_uid(self, rid: int, uid: str) -> None:
        """Give a reflection a new uid, carrying the CPD records built on it along."""
        row = self.conn.execute("SELECT uid FROM reflections WHERE id = ?", [rid]).fetchone()
        self.conn.execute("UPDATE reflections SET uid = ? WHERE id = ?", [uid, rid])
        if row is not None:
            self.conn.execute(
                "UPDATE cpd_sources SET reflection_uid = ? WHERE reflection_uid = ?", [uid, row[0]]
            )

    def id_for_uid(self, uid: str) -> int | None:
        row = self.conn.execute("SELECT id FROM reflections WHERE uid = ?", [uid]).fetchone()
        return None if row is None else int(row[0])

    def latest_reflection_id(self, client: str) -> int | None:
        row = self.conn.execute(
            """SELECT id FROM reflections WHERE client = ? AND status = 'done'
               ORDER BY session_date DESC, id DESC LIMIT 1""",
            [client],
        ).fetchone()
        return None if row is None else int(row[0])

    def clients(self) -> list[ClientSeen]:
        from rbp_journal.models.reflection import ClientSeen  # pydantic: `rbp clients` only

        rows = self.conn.execute(
            """SELECT client, count(*) AS reflections, max(session_date) AS last_seen
               FROM reflections WHERE client IS NOT NULL AND status = 'done'
               GROUP BY client ORDER BY last_seen DESC, client"""
        )
        return [ClientSeen.model_validate(dict(row)) for row in rows]

    def earlier_texts(self, prompt_id: str, limit: int) -> list[str]:
        """The latest different answers to one prompt, newest first (a question's history)."""
        # newest rowids first, stopping at `limit` matches: no index on prompt_id alone needed
        rows = self.conn.execute(
            """SELECT text FROM answers WHERE prompt_id = ? AND text IS NOT NULL
               ORDER BY id DESC LIMIT ?""",
            [prompt_id, limit * 4],
        )
        return list(dict.fromkeys(row[0] for row in rows))[:limit]

    def distinct(self, kind: str) -> list[str]:
        """Client codes or tag names in use, for shell completion."""
        sql = {
            "clients": "SELECT DISTINCT client FROM reflections WHERE client IS NOT NULL",
            "tags": "SELECT name FROM tags",
        }[kind]
        return sorted(row[0] for row in self.conn.execute(sql))

    def counts(self) -> dict[str, int]:
        row = self.conn.execute(
            """SELECT
                 (SELECT count(*) FROM reflections WHERE status = 'done') AS reflections,
                 (SELECT count(*) FROM reflections WHERE status = 'draft') AS drafts,
                 (SELECT count(*) FROM answers) AS answers,
                 (SELECT count(*) FROM followups WHERE status = 'open') AS open_followups,
                 (SELECT count(*) FROM tags) AS tags,
                 (SELECT count(DISTINCT client) FROM reflections) AS clients"""
        ).fetchone()
        return dict(row)
