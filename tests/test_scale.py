"""Scale: every filter of list, review, trends, export and followups is served by an index.

Each command's SQL is captured as it runs (sqlite3's trace callback gives it with the values
bound) and put to `EXPLAIN QUERY PLAN`: no step may scan a whole table. Timings live in
benchmarks/, not here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from rbp_journal.journal import Journal
from rbp_journal.models.reflection import AnswersPayload, ReflectionFilter
from rbp_journal.periods import month_period

from conftest import CORE_ANSWERS

TODAY = dt.date(2026, 11, 25)
# a step that reads a whole table of the journal, by name or alias, with no index after it
FULL_SCAN = re.compile(r"\bSCAN (reflections|answers|followups|tags|reflection_tags|r|a|f|t|rt)$")


@contextmanager
def captured(journal: Journal) -> Iterator[list[str]]:
    statements: list[str] = []
    journal.store.connection.conn.set_trace_callback(statements.append)
    try:
        yield statements
    finally:
        journal.store.connection.conn.set_trace_callback(None)


def full_scans(journal: Journal, statements: list[str]) -> list[str]:
    found = []
    for sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        plan = [
            row[3] for row in journal.store.connection.conn.execute(f"EXPLAIN QUERY PLAN {sql}")
        ]
        found += [
            f"{step}  ←  {' '.join(sql.split())[:160]}" for step in plan if FULL_SCAN.search(step)
        ]
    return found


@pytest.fixture
def filled(journal: Journal) -> Journal:
    for day in range(40):
        data = {**CORE_ANSWERS, "date": (TODAY - dt.timedelta(days=day * 3)).isoformat()}
        data["client"] = f"C-{day % 5:03d}"
        data["tags"] = ["court"] if day % 2 else ["housing"]
        journal.recording.record(AnswersPayload.model_validate(data))
    return journal


FILTERS = {
    "none": ReflectionFilter(limit=20),
    "since": ReflectionFilter(since=TODAY - dt.timedelta(days=30)),
    "until": ReflectionFilter(until=TODAY - dt.timedelta(days=30), limit=20),
    "client": ReflectionFilter(client="C-001"),
    "tag": ReflectionFilter(tag="court"),
    "set": ReflectionFilter(set_id="core"),
    "drafts": ReflectionFilter(drafts=True),
    "client and dates": ReflectionFilter(client="C-001", since=TODAY - dt.timedelta(days=60)),
}

USES: dict[str, Callable[[Journal, ReflectionFilter], object]] = {
    "list": lambda j, q: j.reading.reflections(q),
    "export": lambda j, q: list(j.reading.export(q)),
    "search": lambda j, q: j.reading.search("family", q),
}


@pytest.mark.parametrize("use", USES)
@pytest.mark.parametrize("name", FILTERS)
def test_filters_use_an_index(filled: Journal, use: str, name: str) -> None:
    with captured(filled) as statements:
        USES[use](filled, FILTERS[name])
    assert statements
    assert full_scans(filled, statements) == []


@pytest.mark.parametrize("client", [None, "C-001"])
def test_review_trends_and_followups_use_indexes(filled: Journal, client: str | None) -> None:
    with captured(filled) as statements:
        filled.supervision.review(month_period(TODAY), client=client, today=TODAY)
        filled.supervision.trends(52, today=TODAY)
        filled.supervision.trends(52, theme="listening", today=TODAY)
        filled.supervision.followups(client=client)
    assert full_scans(filled, statements) == []
