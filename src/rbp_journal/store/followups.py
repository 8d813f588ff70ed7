"""Follow-ups: what a practitioner promised, with or without a reflection behind it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rbp_journal.models import views
from rbp_journal.models.views import FollowupView, Page, ReflectionFilter
from rbp_journal.models.vocabulary import FollowupStatus
from rbp_journal.store import filters
from rbp_journal.store.connection import Connection, now

if TYPE_CHECKING:  # the write side's models: pydantic loads with what writes
    from rbp_journal.models.reflection import Followup, FollowupIn, FollowupRecord

COLUMNS = """f.id, f.reflection_id, f.text, f.due, f.status, f.created, f.closed, f.note,
             r.client, r.session_date"""


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
        limit: int | None = None,
    ) -> list[FollowupView]:
        where, params = _where(reflection_id, client, include_closed)
        # one reflection's promises in the order made; a to-do list overdue first
        order = (
            "f.id"
            if reflection_id is not None
            else "f.status != 'open', f.due IS NULL, f.due, f.id"
        )
        rows = self.conn.execute(
            f"""SELECT {COLUMNS} FROM followups f
                LEFT JOIN reflections r ON r.id = f.reflection_id
                WHERE {where} ORDER BY {order} LIMIT ?""",
            [*params, -1 if limit is None else limit],
        )
        return [view_of(row) for row in rows]

    def count(self, *, client: str | None = None, include_closed: bool = False) -> int:
        where, params = _where(None, client, include_closed)
        row = self.conn.execute(
            f"""SELECT count(*) FROM followups f
                LEFT JOIN reflections r ON r.id = f.reflection_id WHERE {where}""",
            params,
        ).fetchone()
        return int(row[0])

    def page(
        self, limit: int | None, *, client: str | None = None, include_closed: bool = False
    ) -> Page:
        """The first `limit` promises of the to-do list (all of them for None), and how many
        there are. Open promises are read in the order of the (status, due) index, dated ones
        then undated, and stop at `limit`; they are counted from the index, not read: at
        100,000 reflections, sorting and counting 1,750 open promises took 14 ms, this 0.2."""
        if limit is None or include_closed:
            rows = self.find(client=client, include_closed=include_closed, limit=limit)
            if limit is None or len(rows) < limit:
                return Page(rows, len(rows))
            return Page(rows, self.count(client=client, include_closed=include_closed))
        where, params = _where(None, client, False)
        rows = self._open(f"{where} AND f.due IS NOT NULL", params, "f.due, f.id", limit)
        if len(rows) < limit:
            rows += self._open(f"{where} AND f.due IS NULL", params, "f.id", limit - len(rows))
        return Page(rows, len(rows) if len(rows) < limit else self._count_open(client))

    def _open(self, where: str, params: list[Any], order: str, limit: int) -> list[FollowupView]:
        rows = self.conn.execute(
            f"""SELECT {COLUMNS} FROM followups f
                LEFT JOIN reflections r ON r.id = f.reflection_id
                WHERE {where} ORDER BY {order} LIMIT ?""",
            [*params, limit],
        )
        return [view_of(row) for row in rows]

    def _count_open(self, client: str | None) -> int:
        """Open promises on the list: from the reflections of a client, or all of them but
        those of drafts (CROSS JOIN: from the few drafts' side)."""
        if client is not None:
            sql = """SELECT count(*) FROM reflections r CROSS JOIN followups f
                     ON f.reflection_id = r.id
                     WHERE r.client = ? AND r.status = 'done' AND f.status = 'open'"""
            return int(self.conn.execute(sql, [client]).fetchone()[0])
        row = self.conn.execute(
            """SELECT (SELECT count(*) FROM followups WHERE status = 'open')
                    - (SELECT count(*) FROM reflections r CROSS JOIN followups f
                       ON f.reflection_id = r.id
                       WHERE r.status = 'draft' AND f.status = 'open')"""
        ).fetchone()
        return int(row[0])

    def get(self, fid: int) -> FollowupView | None:
        if not filters.storable(fid):
            return None
        row = self.conn.execute(
            f"""SELECT {COLUMNS} FROM followups f
                LEFT JOIN reflections r ON r.id = f.reflection_id WHERE f.id = ?""",
            [fid],
        ).fetchone()
        return None if row is None else view_of(row)

    def of_reflection(self, rid: int) -> list[FollowupView]:
        return self.find(reflection_id=rid, include_closed=True)

    def rows_of(self, rid: int) -> list[dict[str, Any]]:
        """One reflection's promises as plain rows, for the model the write side validates."""
        rows = self.conn.execute(
            f"""SELECT {COLUMNS} FROM followups f
                LEFT JOIN reflections r ON r.id = f.reflection_id
                WHERE f.reflection_id = ? ORDER BY f.id""",
            [rid],
        )
        return [dict(row) for row in rows]

    def standalone(self, query: ReflectionFilter) -> list[Followup]:
        """Promises made without a reflection that the filter keeps, in the order made (as
        models: an export writes them, an import compares them)."""
        found = filters.standalone_where(query)
        if found is None:
            return []
        where, params = found
        rows = self.conn.execute(
            f"SELECT f.* FROM followups f WHERE {where} ORDER BY f.created, f.id", params
        ).fetchall()
        if not rows:
            return []
        from rbp_journal.models.reflection import Followup  # pydantic: only when there are some

        return [Followup.model_validate(dict(row)) for row in rows]

    def standalone_made(self, text: str, created: dt.datetime) -> Followup | None:
        """The promise without a reflection made at `created` with these words, if any."""
        from rbp_journal.models.reflection import Followup  # pydantic: see standalone()

        rows = self.conn.execute(
            "SELECT f.* FROM followups f WHERE f.reflection_id IS NULL AND f.text = ?", [text]
        )
        same = (Followup.model_validate(dict(row)) for row in rows)
        return next((f for f in same if f.created == created), None)


def _where(
    reflection_id: int | None, client: str | None, include_closed: bool
) -> tuple[str, list[Any]]:
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
    return " AND ".join(clauses), params


def view_of(row: Any) -> FollowupView:
    """A promise row (COLUMNS, in order) as a view."""
    fid, rid, text, due, status, created, closed, note, client, day = row
    return FollowupView(
        fid,
        rid,
        text,
        views.optional_date(due),
        status,
        views.stamp(created),
        views.optional_stamp(closed),
        note,
        client,
        views.optional_date(day),
    )
