"""Follow-ups: what a practitioner promised, with or without a reflection behind it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rbp_journal.models.base import FollowupStatus
from rbp_journal.models.reflection import Followup, FollowupIn, FollowupRecord, ReflectionFilter
from rbp_journal.store import filters
from rbp_journal.store.connection import Connection, now


class Followups:
    def __init__(self, connection: Connection) -> None:
        self.conn = connection.conn

    def add(self, rid: int | None, followup: FollowupIn) -> int:
        cursor = self.conn.execute(
            "INSERT INTO followups (reflection_id, text, due, status, created, closed) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                rid,
                followup.text,
                followup.due.isoformat() if followup.due else None,
                followup.status,
                now(),
                None if followup.status == "open" else now(),
            ],
        )
        return int(cursor.lastrowid or 0)

    def put(self, rid: int | None, record: FollowupRecord, fid: int | None = None) -> int:
        """Write a promise whole as exported (a new one, or over promise `fid`): import."""
        values = [
            record.text,
            record.due.isoformat() if record.due else None,
            record.status,
            record.created.isoformat(),
            record.closed.isoformat() if record.closed else None,
            record.note,
        ]
        if fid is not None:
            self.conn.execute(
                """UPDATE followups SET text = ?, due = ?, status = ?, created = ?, closed = ?,
                   note = ? WHERE id = ?""",
                [*values, fid],
            )
            return fid
        cursor = self.conn.execute(
            """INSERT INTO followups (reflection_id, text, due, status, created, closed, note)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [rid, *values],
        )
        return int(cursor.lastrowid or 0)

    def set_due(self, fid: int, due: dt.date | None) -> None:
        self.conn.execute(
            "UPDATE followups SET due = ? WHERE id = ?", [due.isoformat() if due else None, fid]
        )

    def set_text(self, fid: int, text: str, note: str | None = None) -> None:
        """A promise's words, and its closing note when one is given (masking both)."""
        self.conn.execute(
            "UPDATE followups SET text = ?, note = coalesce(?, note) WHERE id = ?",
            [text, note, fid],
        )

    def delete(self, fid: int) -> None:
        self.conn.execute("DELETE FROM followups WHERE id = ?", [fid])

    def earlier_texts(self, limit: int) -> list[str]:
        """The latest different promises, newest first (the promise question's history)."""
        rows = self.conn.execute("SELECT text FROM followups ORDER BY id DESC LIMIT ?", [limit * 4])
        return list(dict.fromkeys(row[0] for row in rows))[:limit]

    def close(self, fid: int, status: FollowupStatus, note: str | None) -> bool:
        if not filters.storable(fid):
            return False
        cursor = self.conn.execute(
            "UPDATE followups SET status = ?, closed = ?, note = coalesce(?, note) WHERE id = ?",
            [status, None if status == "open" else now(), note, fid],
        )
        return cursor.rowcount > 0

    def find(
        self,
        *,
        reflection_id: int | None = None,
        client: str | None = None,
        include_closed: bool = False,
    ) -> list[Followup]:
        clauses: list[str] = []
        params: list[Any] = []
        if reflection_id is not None:
            clauses.append("f.reflection_id = ?")
            params.append(reflection_id)
        else:
            clauses.append("(r.id IS NULL OR r.status = 'done')")
        if client is not None:
            clauses.append("r.client = ?")
            params.append(client)
        if not include_closed:
            clauses.append("f.status = 'open'")
        where = " AND ".join(clauses) or "1"
        # one reflection's promises in the order made; a to-do list overdue first
        order = (
            "f.id"
            if reflection_id is not None
            else "f.status != 'open', f.due IS NULL, f.due, f.id"
        )
        rows = self.conn.execute(
            f"""SELECT f.*, r.client, r.session_date FROM followups f
                LEFT JOIN reflections r ON r.id = f.reflection_id
                WHERE {where} ORDER BY {order}""",
            params,
        )
        return [Followup.model_validate(dict(row)) for row in rows]

    def get(self, fid: int) -> Followup | None:
        if not filters.storable(fid):
            return None
        row = self.conn.execute(
            """SELECT f.*, r.client, r.session_date FROM followups f
               LEFT JOIN reflections r ON r.id = f.reflection_id WHERE f.id = ?""",
            [fid],
        ).fetchone()
        return None if row is None else Followup.model_validate(dict(row))

    def of_reflection(self, rid: int) -> list[Followup]:
        return self.find(reflection_id=rid, include_closed=True)

    def standalone(self, query: ReflectionFilter) -> list[Followup]:
        """Promises made without a reflection that the filter keeps, in the order made."""
        found = filters.standalone_where(query)
        if found is None:
            return []
        where, params = found
        rows = self.conn.execute(
            f"SELECT f.* FROM followups f WHERE {where} ORDER BY f.created, f.id", params
        )
        return [Followup.model_validate(dict(row)) for row in rows]

    def standalone_made(self, text: str, created: dt.datetime) -> Followup | None:
        """The promise without a reflection made at `created` with these words, if any."""
        rows = self.conn.execute(
            "SELECT f.* FROM followups f WHERE f.reflection_id IS NULL AND f.text = ?", [text]
        )
        same = (Followup.model_validate(dict(row)) for row in rows)
        return next((f for f in same if f.created == created), None)
