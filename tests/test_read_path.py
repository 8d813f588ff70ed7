"""The read path: plain text for a pipe with the Rich views' columns, JSON as pydantic wrote it,
promises a page at a time, and reads that load neither pydantic nor (piped) Rich."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from rbp_journal.formats import plain
from rbp_journal.formats import trends as trends_text
from rbp_journal.journal import Journal
from rbp_journal.models.reflection import (
    Followup,
    FollowupIn,
    Reflection,
    ReflectionHeader,
    ReflectionRecord,
)
from rbp_journal.models.views import ReflectionFilter
from rbp_journal.render import followups as followup_views
from rbp_journal.render import reflections as reflection_views
from rbp_journal.render import trends as trend_views

from conftest import add_reflection


def rich_lines(renderable: object, width: int) -> list[str]:
    console = Console(record=True, width=width, no_color=True, highlight=False)
    console.print(renderable)
    return [line.rstrip() for line in console.export_text().splitlines()]


def plain_lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


@pytest.fixture
def filled(journal: Journal) -> Journal:
    add_reflection(journal)
    add_reflection(
        journal,
        {"what_happened": "A phone call about the court hearing,   with long gaps."},
        client="C-105",
        setting="phone",
        tags=["court", "safeguarding"],
        date="2026-11-22",
    )
    add_reflection(journal, client=None, setting=None, tags=[], date="2026-11-23")
    return journal


@pytest.mark.parametrize("width", [80, 120, 200])
def test_piped_list_has_the_columns_of_the_table(filled: Journal, width: int) -> None:
    rows = filled.reading.reflections(ReflectionFilter(limit=20))
    assert plain_lines(plain.reflection_list(rows, width)) == rich_lines(
        reflection_views.reflection_table(rows), width
    )


def test_piped_list_cuts_nothing_without_a_width(filled: Journal) -> None:
    rows = filled.reading.reflections(ReflectionFilter(limit=20))
    lines = plain_lines(plain.reflection_list(rows))
    assert lines[0].split() == [
        "id",
        "date",
        "client",
        "setting",
        "set",
        "tags",
        "what",
        "happened",
    ]
    assert lines[2].endswith("A phone call about the court hearing, with long gaps.")
    starts = {line.index("2026-11-") for line in lines[1:]}
    assert starts == {lines[0].index("date")}  # every date under its header


def test_piped_search_reads_as_the_screen(filled: Journal) -> None:
    hits = filled.reading.search("court", ReflectionFilter(limit=20)).hits
    assert hits
    assert plain_lines(plain.search_text(hits)) == rich_lines(
        reflection_views.search_results(hits), 200
    )


def test_piped_trends_have_the_columns_of_the_table(filled: Journal) -> None:
    result = filled.themes.trends(12, today=dt.date(2026, 11, 24))
    assert plain_lines(trends_text.trends_text(result)) == rich_lines(
        trend_views.trends_view(result, 200), 200
    )
    one = filled.themes.trends(4, "listening", today=dt.date(2026, 11, 24))
    assert plain_lines(trends_text.theme_weeks_text(one)) == rich_lines(
        trend_views.theme_weeks_view(one), 200
    )


def test_piped_promises_read_as_the_screen(filled: Journal) -> None:
    page = filled.promises.page(2)
    today = dt.date(2026, 12, 1)
    assert page.total == 3 and page.more == 1
    shown = plain.followups_text(page.rows, today, page.more, page.total)
    assert plain_lines(shown) == rich_lines(
        followup_views.followup_lines(page.rows, today, page.more, page.total), 200
    )
    assert plain_lines(shown)[-1] == "… and 1 more promise: `rbp followups -n 3` shows them all."


def test_piped_show_is_plain_text(filled: Journal, rbp) -> None:
    result = rbp("show 2")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "#2 · 2026-11-22 · C-105 · phone · core"
    assert "How fully did I listen?  listening" in lines
    assert "●●●●○ 4/5 — mostly" in lines
    assert "  [open] #2 Send the housing referral (due 2026-11-27)" in lines
    assert "tags: court, safeguarding" in lines
    assert lines[-1] == "Depth: went past describing what happened"
    assert "╭" not in result.stdout


def test_promises_come_a_screenful_at_a_time(journal: Journal, rbp, monkeypatch) -> None:
    monkeypatch.setenv("LINES", "24")
    rid = add_reflection(journal)
    for n in range(24):
        journal.supervision.add_followup(rid, FollowupIn(text=f"Promise {n}"))
    lines = rbp("followups").stdout.splitlines()
    assert len(lines) == 21  # a 24-line screen: 20 promises, the note, room for the prompt
    assert lines[-1] == "… and 5 more promises: `rbp followups -n 25` shows them all."
    lines = rbp("followups -n 3").stdout.splitlines()
    assert [line.split()[0] for line in lines[:3]] == ["#1", "#2", "#3"]  # overdue first
    assert lines[3] == "… and 22 more promises: `rbp followups -n 25` shows them all."
    assert len(json.loads(rbp("followups --json").stdout)) == 25
    assert len(json.loads(rbp("followups --json -n 4").stdout)) == 4
    assert rbp("followups -n 25").stdout.count("\n") == 25


def test_json_reads_as_pydantic_wrote_it(filled: Journal, rbp) -> None:
    shown = json.loads(rbp("show 2 --json").stdout)
    assert shown.pop("depth") == "past description"
    assert Reflection.model_validate(shown).model_dump(mode="json") == shown
    assert shown["created"].endswith("Z")
    promises = json.loads(rbp("followups --json --all").stdout)
    assert [Followup.model_validate(p).model_dump(mode="json") for p in promises] == promises
    listed = json.loads(rbp("list --json").stdout)
    assert [row["id"] for row in listed] == [3, 2, 1]
    assert listed[1]["tags"] == ["court", "safeguarding"]
    assert listed[1]["session_date"] == "2026-11-22"
    for line in rbp("export --format jsonl").stdout.splitlines()[1:]:
        assert ReflectionRecord.model_validate_json(line).model_dump_json() == line


READS = [
    ["list"],
    ["list", "--json"],
    ["show", "1"],
    ["show", "1", "--json"],
    ["show", "1", "--format", "markdown"],
    ["search", "school"],
    ["search", "school", "--json"],
    ["followups"],
    ["followups", "--json"],
    ["trends", "--weeks", "52"],
    ["trends", "--format", "json"],
    ["export", "--format", "markdown"],
]
LOADED = """
import atexit, sys
def report(path):
    heavy = sorted({m.split(".")[0] for m in sys.modules} & {"pydantic", "rich", "sqlite_utils"})
    with open(path, "w") as out:
        out.write(" ".join(heavy))
atexit.register(report, sys.argv[1])
sys.argv = ["rbp", *sys.argv[2:]]
from rbp_journal.launch import main
main()
"""


@pytest.mark.parametrize("argv", READS, ids=" ".join)
def test_piped_reads_load_neither_pydantic_nor_rich(
    filled: Journal, tmp_path: Path, argv: list[str]
) -> None:
    loaded = tmp_path / "loaded.txt"
    done = subprocess.run(
        [sys.executable, "-c", LOADED, str(loaded), *argv],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert loaded.read_text() == ""


def test_a_terminal_list_loads_rich_but_not_pydantic(filled: Journal, tmp_path: Path) -> None:
    loaded = tmp_path / "loaded.txt"
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-c", LOADED, str(loaded), "list"], os.environ)
    shown = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, shown
    assert b"C-105" in shown
    assert loaded.read_text() == "rich"


def test_a_word_in_most_answers_ranks_the_newest(journal: Journal, rbp, monkeypatch) -> None:
    monkeypatch.setattr("rbp_journal.store.search.RANKED", 2)
    for day in ("2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"):
        add_reflection(journal, date=day)
    found = journal.reading.search("school", ReflectionFilter(limit=20))
    assert found.newest == 2
    assert sorted(hit.reflection_id for hit in found.hits) == [3, 4]
    result = rbp("search school")
    assert result.stderr == (
        "More than 2 answers match: these are the best of the newest 2. "
        "Add a word, or --until, to reach further back.\n"
    )
    assert sorted(
        hit["reflection_id"] for hit in json.loads(rbp("search school --json").stdout)
    ) == [3, 4]
    older = journal.reading.search("school", ReflectionFilter(limit=20, until=dt.date(2026, 11, 2)))
    assert older.newest is None
    assert sorted(hit.reflection_id for hit in older.hits) == [1, 2]
    monkeypatch.setattr("rbp_journal.store.search.RANKED", 4)
    assert journal.reading.search("school", ReflectionFilter(limit=20)).newest is None


def test_a_page_of_promises_is_the_head_of_the_list(journal: Journal) -> None:
    first = add_reflection(journal, followups=[{"text": "Dated", "due": "2026-11-25"}])
    add_reflection(
        journal,
        client="C-105",
        followups=[{"text": "Undated"}, {"text": "Due", "due": "2026-11-21"}],
    )
    journal.promises.add(None, FollowupIn(text="On its own", due=dt.date(2026, 11, 22)))
    journal.promises.add(None, FollowupIn(text="On its own, undated"))
    journal.promises.add(first, FollowupIn(text="Later", due=dt.date(2026, 12, 2)))
    closed = journal.promises.add(first, FollowupIn(text="Kept", due=dt.date(2026, 11, 20)))
    journal.promises.close(closed, "done")
    header = ReflectionHeader(set_id="core", set_version="1", session_date=dt.date(2026, 11, 19))
    draft = journal.recording.start_draft(header)
    journal.promises.add(draft, FollowupIn(text="Of a draft", due=dt.date(2026, 11, 19)))
    for client in (None, "C-014", "C-105"):
        whole = journal.promises.all(client)
        assert "Of a draft" not in [f.text for f in whole]
        for limit in range(1, len(whole) + 2):
            page = journal.promises.page(limit, client)
            assert (page.rows, page.total) == (whole[:limit], len(whole))
