"""Retention: deleting old reflections for good, and compacting the file afterwards."""

from __future__ import annotations

import datetime as dt

from rbp_journal.store.connection import Connection


class Retention:
    def __init__(self, connection: Connection) -> None:
        self.conn = connection.conn

    def purge_before(self, day: dt.date, keep_cpd: bool) -> tuple[int, int]:
        """Delete finished reflections before `day` (and, unless `keep_cpd`, the CPD records
        built only from them); returns (reflections, records) deleted. Run inside write()."""
        old = "SELECT id FROM reflections WHERE status = 'done' AND session_date < ?"
        records = 0
        if not keep_cpd:
            doomed = [row[0] for row in self.conn.execute(
                """SELECT record_id FROM cpd_sources GROUP BY record_id
                   HAVING max(session_date) < ?""", [day.isoformat()])]  # fmt: skip
            for table, column in (("cpd_claims", "record_id"), ("cpd_sources", "record_id"),
                                  ("cpd_records", "id")):  # fmt: skip
                self.conn.executemany(
                    f"DELETE FROM {table} WHERE {column} = ?", [(c,) for c in doomed]
                )
            records = len(doomed)
        for table in ("answers", "reflection_tags", "followups"):
            self.conn.execute(
                f"DELETE FROM {table} WHERE reflection_id IN ({old})", [day.isoformat()]
            )
        cursor = self.conn.execute(
            f"DELETE FROM reflections WHERE id IN ({old})", [day.isoformat()]
        )
        self.conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM reflection_tags)")
        return cursor.rowcount, records

    def compact(self) -> None:
        """After a purge: merge the search index (dropping what it held of deleted answers),
        rebuild the file without free pages, and fold the WAL back in."""
        for index in ("answers_fts", "followups_fts"):
            self.conn.execute(f"INSERT INTO {index} ({index}) VALUES ('optimize')")
        self.conn.execute("VACUUM")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def count_before(self, day: dt.date) -> int:
        row = self.conn.execute(
            "SELECT count(*) FROM reflections WHERE status = 'done' AND session_date < ?",
            [day.isoformat()],
        ).fetchone()
        return int(row[0])
