"""The pieces of SQL the tables share: the filters of list/search/export as a WHERE clause,
and a reflection's tags as one JSON array."""

from __future__ import annotations

import json
from typing import Any

from rbp_journal.models.views import ReflectionFilter

TAGS_OF_R = """(SELECT json_group_array(t.name) FROM reflection_tags rt
                JOIN tags t ON t.id = rt.tag_id WHERE rt.reflection_id = r.id)"""


SQLITE_MAX = 2**63 - 1  # SQLite's integers are 64-bit: an id beyond names no row


def storable(number: int) -> bool:
    """Whether SQLite can hold `number` (binding a larger one raises OverflowError)."""
    return -SQLITE_MAX - 1 <= number <= SQLITE_MAX


def row_limit(limit: int | None) -> int:
    """A LIMIT SQLite takes: none (-1), or at most its largest integer."""
    return -1 if limit is None else min(limit, SQLITE_MAX)


def tags(raw: str | None) -> list[str]:
    return sorted(json.loads(raw)) if raw else []


def where(query: ReflectionFilter) -> tuple[str, list[Any]]:
    clauses = ["r.status = 'draft'" if query.drafts else "r.status = 'done'"]
    params: list[Any] = []
    if query.since is not None:
        clauses.append("r.session_date >= ?")
        params.append(query.since.isoformat())
    if query.until is not None:
        clauses.append("r.session_date <= ?")
        params.append(query.until.isoformat())
    if query.client is not None:
        clauses.append("r.client = ?")
        params.append(query.client)
    if query.set_id is not None:
        clauses.append("r.set_id = ?")
        params.append(query.set_id)
    if query.tag is not None:
        clauses.append(
            """EXISTS (SELECT 1 FROM reflection_tags rt JOIN tags t ON t.id = rt.tag_id
                       WHERE rt.reflection_id = r.id AND t.name = ?)"""
        )
        params.append(query.tag)
    return " AND ".join(clauses), params


def standalone_where(query: ReflectionFilter) -> tuple[str, list[Any]] | None:
    """The promises made without a reflection that a filter keeps (on `f`), or None when it
    keeps none: they have no client, tag or set and are never drafts, so only --since and
    --until (on the day each was made) apply to them."""
    if query.drafts or query.client is not None or query.tag is not None or query.set_id:
        return None
    clauses, params = ["f.reflection_id IS NULL"], []
    if query.since is not None:
        clauses.append("substr(f.created, 1, 10) >= ?")
        params.append(query.since.isoformat())
    if query.until is not None:
        clauses.append("substr(f.created, 1, 10) <= ?")
        params.append(query.until.isoformat())
    return " AND ".join(clauses), params
