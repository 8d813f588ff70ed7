"""Whole reflections written back by uid, as `rbp import` brings them: a batch at a time, a
statement a table, with the search indexes brought up to date once at the end rather than by
a trigger a row, and (into an empty journal) the indexes only lookups need built at the end.

Everything here runs inside the one write transaction of an import (journal.importing), so a
bad record anywhere in a file still stores nothing, the dropped triggers and indexes included.
Measured on the 10,000 export into a new journal (103,943 answers): the answers a row at a
time, with their triggers and every index, took 1.0 s; fifty a statement, with the search
triggers off and the reading indexes dropped, 0.3-0.5 s; building those indexes after, 0.1 s,
and the search index from the rows with text, 0.14 s (0.32 s when the 78,000 answers without
text were indexed too, before m008). secure_delete stays on though it costs 0.16 s of those
inserts: off, the copies a page split leaves behind would outlive a later delete.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain, repeat
from operator import itemgetter
from typing import TYPE_CHECKING

from rbp_journal.store.connection import Connection
from rbp_journal.store.search_index import fill

if TYPE_CHECKING:  # the models: pydantic loads only where they are validated
    from rbp_journal.models.reflection import ReflectionRecord

MAX_ROWID = 2**63 - 1
SEARCHED = ("answers", "followups")  # each with an FTS5 index, <table>_fts, over its text
BULK_CACHE_KIB = 8192  # SQLite's page cache during an import (its default is 2 MiB)
# indexes an import's own lookups need, kept while the others are built after
LOOKUPS = ("idx_followups_reflection_id",)

ROWS_A_STATEMENT = 50  # rows a statement (VALUES (…), (…) …): executemany costs by statement

INSERT_REFLECTION = """
    INSERT INTO reflections (id, uid, session_date, created, updated, client, setting, set_id,
                             set_version, status)
    VALUES {rows}"""
UPSERT_ANSWER = """
    INSERT INTO answers (id, reflection_id, position, prompt_id, theme, kind, question, text,
                         rating, label, polarity)
    VALUES {rows}
    ON CONFLICT (reflection_id, prompt_id) DO UPDATE SET
      position = excluded.position, theme = excluded.theme, kind = excluded.kind,
      question = excluded.question, text = excluded.text, rating = excluded.rating,
      label = excluded.label, polarity = excluded.polarity"""
INSERT_FOLLOWUP = """
    INSERT INTO followups (id, reflection_id, text, due, status, created, closed, note)
    VALUES {rows}"""
# an answer's fields read from its __dict__ (a C call for them all, not nine attribute lookups)
_ANSWER = itemgetter(
    "position", "prompt_id", "theme", "kind", "question", "text", "rating", "label", "polarity"
)


class Imports:
    def __init__(self, connection: Connection) -> None:
        self.conn = connection.conn
        # while the search indexes wait: each searched table's first id written meanwhile,
        # and its next (ids are given, so none is reused after a delete)
        self._first: dict[str, int] = {}
        self._next: dict[str, int] = {}

    def known(self, uids: Sequence[str]) -> dict[str, tuple[int, str]]:
        """Of these uids, those the journal holds: uid → (id, when it was last updated)."""
        marks = ", ".join("?" for _ in uids)
        rows = self.conn.execute(
            f"SELECT uid, id, updated FROM reflections WHERE uid IN ({marks})", list(uids)
        )
        return {uid: (int(rid), str(updated)) for uid, rid, updated in rows}

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Inside a write transaction: the search indexes' triggers dropped, rows written
        meanwhile given ids above every earlier one, and at the end those indexed in one
        statement a table and the triggers made again. Into an empty journal, the indexes
        that only serve reading are dropped too and built at the end, from sorted rows. On an
        error the transaction's rollback puts back everything dropped."""
        conn = self.conn
        empty = conn.execute("SELECT 1 FROM reflections LIMIT 1").fetchone() is None
        marks = ", ".join("?" for _ in SEARCHED)
        triggers = conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",
            SEARCHED,
        ).fetchall()
        indexes = self._reading_indexes() if empty else []
        for name, _ in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        cache = int(conn.execute("PRAGMA cache_size").fetchone()[0])
        try:
            conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            for table in SEARCHED:
                row = conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()
                self._first[table] = self._next[table] = int(row[0])
            yield
            for _, sql in indexes:
                conn.execute(sql)
            for table, first in self._first.items():
                fill(conn, f"{table}_fts", first)  # the rows with text, as the triggers do
            for _, sql in triggers:
                conn.execute(sql)
        finally:
            self._first, self._next = {}, {}
            conn.execute(f"PRAGMA cache_size = {cache}")

    def _reading_indexes(self) -> list[tuple[str, str]]:
        """The indexes of the imported tables that no lookup during an import needs (not
        unique, not one the import reads by), as (name, the statement that makes it)."""
        rows = self.conn.execute(
            """SELECT name, sql FROM sqlite_master
               WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
                 AND tbl_name IN ('reflections', 'answers', 'reflection_tags', 'followups')"""
        ).fetchall()
        return [(name, sql) for name, sql in rows if name not in LOOKUPS]

    def add(self, records: Sequence[ReflectionRecord]) -> None:
        """New reflections (no uid of theirs is here yet), each keeping its id when that id is
        free, so "reflection 12" in old notes still means the same one in a new journal; the
        others numbered after every id here, all in one statement."""
        wanted = [r.id for r in records if r.id is not None and 0 < r.id <= MAX_ROWID]
        marks = ", ".join("?" for _ in wanted)
        taken = {
            row[0]
            for row in self.conn.execute(
                f"SELECT id FROM reflections WHERE id IN ({marks})", wanted
            )
        }
        kept: list[int | None] = []
        for record in records:
            free = record.id is not None and 0 < record.id <= MAX_ROWID and record.id not in taken
            kept.append(record.id if free else None)
            if free and record.id is not None:
                taken.add(record.id)
        top = int(self.conn.execute("SELECT coalesce(max(id), 0) FROM reflections").fetchone()[0])
        top = max(top, *(rid for rid in kept if rid is not None), 0)
        placed, later = [], []
        for record, rid in zip(records, kept, strict=True):
            if rid is None and top < MAX_ROWID:
                top += 1
                rid = top
            if rid is None:  # no id above the highest: SQLite finds a free one
                later.append(record)
            else:
                placed.append((rid, record))
        self._insert(INSERT_REFLECTION, [_reflection_row(*p) for p in placed])
        placed += [(self._insert_reflection(None, record), record) for record in later]
        self._write_parts(placed)

    def replace(self, rid: int, record: ReflectionRecord) -> None:
        """A reflection here rewritten whole from a newer copy, under the same id."""
        for table in self._first:  # no trigger to take the old words out of the index
            self.conn.execute(
                f"""INSERT INTO {table}_fts ({table}_fts, rowid, text)
                    SELECT 'delete', id, text FROM {table}
                    WHERE reflection_id = ? AND id < ? AND text IS NOT NULL""",
                [rid, self._first[table]],
            )
        for table in ("answers", "followups", "reflection_tags"):
            self.conn.execute(f"DELETE FROM {table} WHERE reflection_id = ?", [rid])
        self.conn.execute("DELETE FROM reflections WHERE id = ?", [rid])
        self._write_parts([(self._insert_reflection(rid, record), record)])

    def _insert_reflection(self, rid: int | None, record: ReflectionRecord) -> int:
        row = _reflection_row(rid, record)
        cursor = self.conn.execute(INSERT_REFLECTION.format(rows=_marks(len(row), 1)), row)
        return int(cursor.lastrowid or 0)

    def _insert(self, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
        """Rows by statements of ROWS_A_STATEMENT rows each: the 10,000 export's answers took
        0.52 s a row at a time by executemany, 0.30 s fifty at a time (in memory)."""
        if not rows:
            return
        width, step = len(rows[0]), ROWS_A_STATEMENT
        whole = len(rows) - len(rows) % step
        if whole:
            self.conn.executemany(
                sql.format(rows=_marks(width, step)),
                (tuple(chain.from_iterable(rows[at : at + step])) for at in range(0, whole, step)),
            )
        if whole < len(rows):
            rest = rows[whole:]
            self.conn.execute(
                sql.format(rows=_marks(width, len(rest))), tuple(chain.from_iterable(rest))
            )

    def _ids(self, table: str, count: int) -> Iterable[int | None]:
        """Ids for `count` new rows of a searched table: given while its index waits (above
        every id it had, so the index takes them at the end), else SQLite's."""
        first = self._next.get(table)
        if first is None:
            return repeat(None, count)
        self._next[table] = first + count
        return range(first, first + count)

    def _tag_ids(self, names: list[str]) -> dict[str, int]:
        """Each tag's id, made where it is new."""
        self._insert("INSERT OR IGNORE INTO tags (name) VALUES {rows}", [(n,) for n in names])
        found: dict[str, int] = {}
        for at in range(0, len(names), 500):  # SQLite takes at most 32,766 parameters
            part = names[at : at + 500]
            marks = ", ".join("?" for _ in part)
            rows = self.conn.execute(f"SELECT name, id FROM tags WHERE name IN ({marks})", part)
            found.update((str(name), int(tid)) for name, tid in rows)
        return found

    def _write_parts(self, placed: list[tuple[int, ReflectionRecord]]) -> None:
        """The tags, answers and promises of reflections just inserted, a statement each."""
        tags = [(rid, tag) for rid, record in placed for tag in dict.fromkeys(record.tags)]
        ids = self._tag_ids(list(dict.fromkeys(tag for _, tag in tags)))
        self._insert(
            "INSERT OR IGNORE INTO reflection_tags (reflection_id, tag_id) VALUES {rows}",
            [(rid, ids[tag]) for rid, tag in tags],
        )
        answers = [(rid, a) for rid, record in placed for a in record.answers]
        self._insert(
            UPSERT_ANSWER,
            [
                (aid, rid, *_ANSWER(a.__dict__))
                for aid, (rid, a) in zip(self._ids("answers", len(answers)), answers, strict=True)
            ],
        )
        promises = [(rid, f) for rid, record in placed for f in record.followups]
        self._insert(
            INSERT_FOLLOWUP,
            [
                (fid, rid, f.text, f.due.isoformat() if f.due else None, f.status,
                 f.created.isoformat(), f.closed.isoformat() if f.closed else None, f.note)
                for fid, (rid, f) in zip(self._ids("followups", len(promises)), promises, strict=True)
            ],
        )  # fmt: skip


def _reflection_row(rid: int | None, record: ReflectionRecord) -> tuple[object, ...]:
    return (
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
    )


def _marks(width: int, count: int) -> str:
    """`count` rows of `width` parameters, as VALUES takes them."""
    row = "(" + ", ".join("?" * width) + ")"
    return ", ".join([row] * count)
