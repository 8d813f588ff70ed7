"""CPD records, the standard parts and domains they claim, and the reflections behind them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from rbp_journal.models.cpd import CpdInput, CpdRecord, Evidence, Peer, Source
from rbp_journal.models.reflection import Reflection
from rbp_journal.store import filters
from rbp_journal.store.connection import Connection, now


class CpdRecords:
    def __init__(self, connection: Connection) -> None:
        self.conn = connection.conn

    def insert(self, record: CpdInput, uid: str, sources: Sequence[Reflection]) -> int:
        stamp = now()
        peer = record.peer
        cursor = self.conn.execute(
            """INSERT INTO cpd_records (uid, created, updated, activity_type, title, happened_on,
                   learnt, relevance, impact_practice, impact_people, peer_role, peer_date,
                   peer_outcome, peer_name)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [uid, stamp, stamp, record.type, record.title, record.date.isoformat(),
             record.learnt, record.relevance, record.impact_practice, record.impact_people,
             peer.role if peer else None, peer.date.isoformat() if peer else None,
             peer.outcome if peer else None, peer.name if peer else None],
        )  # fmt: skip
        cid = int(cursor.lastrowid or 0)
        claims = [("swe-cpd", s) for s in record.standards] + [("pcf", d) for d in record.domains]
        self.conn.executemany(
            "INSERT INTO cpd_claims (record_id, framework, item) VALUES (?, ?, ?)",
            [(cid, frame, item) for frame, item in claims],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO cpd_sources (record_id, reflection_uid, session_date) VALUES (?, ?, ?)",
            [(cid, r.uid, r.session_date.isoformat()) for r in sources],
        )
        return cid

    def set_peer(self, cid: int, peer: Peer) -> bool:
        if not filters.storable(cid):
            return False
        cursor = self.conn.execute(
            """UPDATE cpd_records SET peer_role = ?, peer_date = ?, peer_outcome = ?,
                   peer_name = ?, updated = ? WHERE id = ?""",
            [peer.role, peer.date.isoformat(), peer.outcome, peer.name, now(), cid],
        )
        return cursor.rowcount > 0

    def records(
        self, start: dt.date | None = None, end: dt.date | None = None, cid: int | None = None
    ) -> list[CpdRecord]:
        clauses: list[str] = ["1"]
        params: list[Any] = []
        if start is not None:
            clauses.append("c.happened_on >= ?")
            params.append(start.isoformat())
        if end is not None:
            clauses.append("c.happened_on <= ?")
            params.append(end.isoformat())
        if cid is not None:
            if not filters.storable(cid):
                return []
            clauses.append("c.id = ?")
            params.append(cid)
        rows = self.conn.execute(
            f"""SELECT c.*,
                   (SELECT json_group_array(item) FROM cpd_claims
                     WHERE record_id = c.id AND framework = 'swe-cpd') AS standards,
                   (SELECT json_group_array(item) FROM cpd_claims
                     WHERE record_id = c.id AND framework = 'pcf') AS domains,
                   (SELECT json_group_array(json_object('reflection_uid', s.reflection_uid,
                           'session_date', s.session_date, 'reflection_id', r.id))
                      FROM cpd_sources s LEFT JOIN reflections r ON r.uid = s.reflection_uid
                     WHERE s.record_id = c.id) AS sources
                FROM cpd_records c WHERE {" AND ".join(clauses)}
                ORDER BY c.happened_on, c.id""",
            params,
        ).fetchall()
        return [_cpd_record(row) for row in rows]

    def evidence(self, start: dt.date, end: dt.date) -> list[Evidence]:
        """Each finished reflection of the period with the themes it answered."""
        rows = self.conn.execute(
            """SELECT r.id, r.session_date, r.client, r.setting,
                      json_group_array(DISTINCT a.theme) AS themes
               FROM reflections r JOIN answers a ON a.reflection_id = r.id
               WHERE r.status = 'done' AND r.session_date BETWEEN ? AND ?
                 AND (a.rating IS NOT NULL OR (a.text IS NOT NULL AND a.text != ''))
               GROUP BY r.id""",
            [start.isoformat(), end.isoformat()],
        ).fetchall()
        return [
            Evidence(row[0], dt.date.fromisoformat(row[1]), row[2], row[3],
                     frozenset(json.loads(row[4])))
            for row in rows
        ]  # fmt: skip


def _cpd_record(row: Any) -> CpdRecord:
    data = dict(row)
    peer = None
    if data["peer_role"]:
        peer = Peer(role=data["peer_role"], date=data["peer_date"], outcome=data["peer_outcome"],
                    name=data["peer_name"])  # fmt: skip
    return CpdRecord(
        id=data["id"], uid=data["uid"], created=data["created"], updated=data["updated"],
        type=data["activity_type"], title=data["title"], date=data["happened_on"],
        learnt=data["learnt"], relevance=data["relevance"],
        impact_practice=data["impact_practice"],
        impact_people=data["impact_people"], standards=json.loads(data["standards"]),
        domains=json.loads(data["domains"]),
        sources=[Source.model_validate(s) for s in json.loads(data["sources"])], peer=peer,
    )  # fmt: skip
