"""Whole reflections written back by uid, as `rbp import` brings them: a batch at a time, with
the search index brought up to date once at the end rather than by a trigger a row.

Everything here runs inside the one write transaction of an import (journal.recording), so a
bad record anywhere in a file still stores nothing, the dropped triggers included. Measured on
the 10,000 export: a statement an answer with its FTS trigger was most of a 6 s import; the
same rows by executemany, and the index filled by one INSERT … SELECT, take under a second.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rbp_journal.store.connection import Connection

if TYPE_CHECKING:  # the models: pydantic loads only where they are validated
    from rbp_journal.models.reflection import ReflectionRecord

UPSERT_ANSWER = """
    INSERT INTO answers (id, reflection_id, position, prompt_id, theme, kind, question, text,
                         rating, label, polarity)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (reflection_id, prompt_id) DO UPDATE SET
      position = excluded.position, theme = excluded.theme, kind = excluded.kind,
      question = excluded.question, text = excluded.text, rating = excluded.rating,
      label = excluded.label, polarity = excluded.polarity"""


class Imports:
    def __init__(self, connection: Connection) -> None:
        self.conn = connection.conn
        self._next_answer: int | None = None  # while the index is deferred: the next answer id

    def known(self, uids: Sequence[str]) -> dict[str, tuple[int, str]]:
        """Of these uids, those the journal holds: uid → (id, when it was last updated)."""
        marks = ", ".join("?" for _ in uids)
        rows = self.conn.execute(
            f"SELECT uid, id, updated FROM reflections WHERE uid IN ({marks})", list(uids)
        )
        return {uid: (int(rid), str(updated)) for uid, rid, updated in rows}

    @contextmanager
    def index_deferred(self) -> Iterator[None]:
        """Inside a write transaction: the answers' FTS triggers are dropped, answers written
        meanwhile take ids above every earlier one, and at the end those are indexed in one
        statement and the triggers made again. On an error the transaction's rollback puts
        the triggers back with everything else."""
        triggers = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'answers'"
        ).fetchall()
        for name, _ in triggers:
            self.conn.execute(f'DROP TRIGGER "{name}"')
        first = int(self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM answers").fetchone()[0])
        self._next_answer = first
        try:
            yield
            self.conn.execute(
                "INSERT INTO answers_fts (rowid, text) SELECT id, text FROM answers WHERE id >= ?",
                [first],
            )
            for _, sql in triggers:
                self.conn.execute(sql)
        finally:
            self._next_answer = None

    def add(self, records: Sequence[ReflectionRecord]) -> None:
        """New reflections (no uid of theirs is here yet), each keeping its id when that id is
        free, so "reflection 12" in old notes still means the same one in a new journal."""
        wanted = [r.id for r in records if r.id is not None]
        marks = ", ".join("?" for _ in wanted)
        taken = {
            row[0]
            for row in self.conn.execute(
                f"SELECT id FROM reflections WHERE id IN ({marks})", wanted
            )
        }
        placed = []
        for record in records:
            rid = None if record.id in taken else record.id
            rid = self._insert_reflection(rid, record)
            taken.add(rid)
            placed.append((rid, record))
        self._write_parts(placed)

    def replace(self, rid: int, record: ReflectionRecord) -> None:
        """A reflection here rewritten whole from a newer copy, under the same id."""
        if self._next_answer is not None:  # no trigger to take the old words out of the index
            self.conn.execute(
                """INSERT INTO answers_fts (answers_fts, rowid, text)
                   SELECT 'delete', id, text FROM answers WHERE reflection_id = ?""",
                [rid],
            )
        for table in ("answers", "followups", "reflection_tags"):
            self.conn.execute(f"DELETE FROM {table} WHERE reflection_id = ?", [rid])
        self.conn.execute("DELETE FROM reflections WHERE id = ?", [rid])
        self._write_parts([(self._insert_reflection(rid, record), record)])

    def _insert_reflection(self, rid: int | None, record: ReflectionRecord) -> int:
        cursor = self.conn.execute(
            """INSERT INTO reflections (id, uid, session_date, created, updated, client, setting,
                                        set_id, set_version, status)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                rid,
                record.uid,
                record.session_date.isoformat(),
                record.created.isoformat(),
                record.updated.isoformat(),
                record.client,
                record.setting,
                record.set_id,
                record.set_version,
                record.status,
            ],
        )
        return int(cursor.lastrowid or 0)

    def _write_parts(self, placed: list[tuple[int, ReflectionRecord]]) -> None:
        """The tags, answers and promises of reflections just inserted, a statement each."""
        tags = [(rid, tag) for rid, record in placed for tag in dict.fromkeys(record.tags)]
        self.conn.executemany(
            "INSERT OR IGNORE INTO tags (name) VALUES (?)", [(t,) for _, t in tags]
        )
        self.conn.executemany(
            """INSERT OR IGNORE INTO reflection_tags (reflection_id, tag_id)
               SELECT ?, id FROM tags WHERE name = ?""",
            tags,
        )
        answers = [(rid, a) for rid, record in placed for a in record.answers]
        first = self._next_answer
        if first is not None:  # while the index is deferred: ids above every earlier one
            self._next_answer = first + len(answers)
        self.conn.executemany(
            UPSERT_ANSWER,
            [
                (None if first is None else first + n, rid, a.position, a.prompt_id, a.theme,
                 a.kind, a.question, a.text, a.rating, a.label, a.polarity)
                for n, (rid, a) in enumerate(answers)
            ],
        )  # fmt: skip
        self.conn.executemany(
            """INSERT INTO followups (reflection_id, text, due, status, created, closed, note)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [
                (rid, f.text, f.due.isoformat() if f.due else None, f.status,
                 f.created.isoformat(), f.closed.isoformat() if f.closed else None, f.note)
                for rid, record in placed
                for f in record.followups
            ],
        )  # fmt: skip
