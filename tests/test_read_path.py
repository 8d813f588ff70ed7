"""The read path: the same columns painted for a terminal and plain for a pipe, JSON as
pydantic wrote it, promises a page at a time, and reads that load neither pydantic nor Rich."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

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

from conftest import add_reflection, payload

PAINT = plain.painter()
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def unpaint(text: str) -> str:
    return ANSI.sub("", text)


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


@pytest.mark.parametrize("width", [None, 60, 80, 200])
def test_the_terminal_paints_the_columns_a_pipe_gets(filled: Journal, width: int | None) -> None:
    rows = filled.reading.reflections(ReflectionFilter(limit=20))
    painted = plain.reflection_list(rows, width, PAINT)
    assert unpaint(painted) == plain.reflection_list(rows, width)
    lines = painted.splitlines()
    header = "id  date        client  setting     set   tags                 what happened"
    if width is None or width == 200:
        assert lines[0] == f"\x1b[1m{header}\x1b[0m"
    elif width == 60:  # the fixed columns alone are too wide: each line cut to the width
        assert unpaint(lines[0]) == header[:42] + "tags          wha…"  # tags gave what they could
    else:  # the tags column gives way so that "what happened" keeps some words
        assert unpaint(lines[0]).endswith("tags          what happened")
    if width is None or width >= len(header):
        assert lines[1].startswith("\x1b[36m3\x1b[0m   2026-11-23  -")
    if width:
        assert all(len(line) <= width for line in unpaint(painted).splitlines())


def test_piped_list_cuts_nothing_without_a_width(filled: Journal) -> None:
    rows = filled.reading.reflections(ReflectionFilter(limit=20))
    lines = plain.reflection_list(rows).splitlines()
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
    cut = plain.reflection_list(rows, 80).splitlines()
    assert cut[2].endswith("  court, safe…  A phone call about the …")  # tags give way first
    assert plain.cells(cut[2]) == 80


def test_wide_characters_keep_the_columns(journal: Journal) -> None:
    add_reflection(journal, {"what_happened": "家族と話した"}, tags=["面談"])
    add_reflection(journal, {"what_happened": "Plain"}, tags=["court"], date="2026-11-21")
    rows = journal.reading.reflections(ReflectionFilter(limit=20))
    lines = plain.reflection_list(rows, 58).splitlines()
    where = [
        plain.cells(line[: line.index(word)])
        for line, word in zip(lines, ["what", "Plain", "家族"], strict=True)
    ]
    assert len(set(where)) == 1  # the last column starts in the same screen column
    assert lines[2].endswith("家族と話…")  # cut to the width in screen columns
    assert plain.cells(lines[2]) <= 58


def test_long_tags_give_way_to_what_happened_at_80_columns(journal: Journal) -> None:
    tags = ["mental-health", "substance-use", "safeguarding"]
    add_reflection(journal, {"what_happened": "A long visit " * 8}, tags=tags)
    rows = journal.reading.reflections(ReflectionFilter(limit=20))
    lines = plain.reflection_list(rows, 80).splitlines()
    assert all(plain.cells(line) <= 80 for line in lines)
    assert lines[1].endswith("  mental-heal…  A long visit A long vis…")  # tags cut first
    assert lines[0].index("what") == lines[1].index("A long")
    whole = plain.reflection_list(rows, 200).splitlines()[1]
    assert ", ".join(sorted(tags)) in whole  # cut only when the width asks


def test_a_persons_control_characters_never_reach_the_terminal(journal: Journal) -> None:
    journal.recording.record(payload({"what_happened": "Plain words to be overwritten."}))
    hostile = "Bell\x07 and \x1b[2J escape and \x9b C1"
    journal.store.connection.conn.execute(
        "UPDATE answers SET text = ? WHERE kind = 'text'", [hostile]
    )
    rows = journal.reading.reflections(ReflectionFilter(limit=20))
    shown = plain.reflection_list(rows, None, PAINT)
    assert "\x07" not in shown and "\x9b" not in shown
    assert "\x1b[2J" not in shown and "␛[2J escape" in shown
    view = journal.reading.view(rows[0].id)
    assert "\x1b[2J" not in plain.reflection_text(view, None, PAINT)


def test_no_color_keeps_bold_and_drops_colours() -> None:
    dull = plain.painter(colour=False)
    assert dull("id", "bold") == "\x1b[1mid\x1b[0m"
    assert dull("7", "cyan") == "7"
    assert dull("word", "bold yellow") == "\x1b[1mword\x1b[0m"
    assert PAINT("word", "bold yellow") == "\x1b[1;33mword\x1b[0m"


def test_search_marks_the_words_it_found(filled: Journal) -> None:
    hits = filled.reading.search("court", ReflectionFilter(limit=20)).hits
    assert hits
    painted = plain.search_text(hits, PAINT)
    assert unpaint(painted) == plain.search_text(hits)
    assert "\x1b[1;33mcourt\x1b[0m" in painted
    assert "\x1b[36m#2 · 2026-11-22 · C-105\x1b[0m" in painted


def test_trends_in_a_terminal_are_the_columns_a_pipe_gets(filled: Journal) -> None:
    result = filled.themes.trends(12, today=dt.date(2026, 11, 24))
    assert unpaint(trends_text.trends_text(result, 200, PAINT)) == trends_text.trends_text(result)
    one = filled.themes.trends(4, "listening", today=dt.date(2026, 11, 24))
    shown = trends_text.theme_weeks_text(one, PAINT)
    assert unpaint(shown) == trends_text.theme_weeks_text(one)
    assert unpaint(shown).splitlines()[0].split() == ["week", "of", "mean", "ratings"]


def test_promises_in_a_terminal_are_the_lines_a_pipe_gets(filled: Journal) -> None:
    page = filled.promises.page(2)
    today = dt.date(2026, 12, 1)
    assert page.total == 3 and page.more == 1
    shown = plain.followups_text(page, today)
    assert unpaint(plain.followups_text(page, today, PAINT)) == shown
    assert shown.splitlines()[-1] == "… and 1 more promise: `rbp followups -n 3` shows them all."


def test_long_hits_and_promises_hang_under_their_indent_in_a_terminal(filled: Journal) -> None:
    long = "The housing officer and I went over the tenancy, the arrears and the repairs " * 2
    add_reflection(filled, {"what_happened": long}, followups=[{"text": long.strip()}])
    hits = filled.reading.search("tenancy", ReflectionFilter(limit=20)).hits
    page, today = filled.promises.page(None), dt.date(2026, 12, 1)
    for folded, whole in [
        (plain.search_text(hits, PAINT, 60), plain.search_text(hits, PAINT)),
        (plain.followups_text(page, today, PAINT, 60), plain.followups_text(page, today, PAINT)),
    ]:
        lines = unpaint(folded).splitlines()
        assert all(plain.cells(line) <= 60 for line in lines)
        assert len(lines) > len(whole.splitlines())  # a pipe: one line each
        assert unpaint(folded).split() == unpaint(whole).split()  # folded, never cut
    hit = unpaint(plain.search_text(hits, PAINT, 60)).splitlines()
    assert [line[:6] for line in hit[:2]] == ["#4 · 2", "    br"]  # heading, question
    assert all(line.startswith(("#", "  ")) for line in hit)  # a wrapped line never at column 0
    promise = unpaint(plain.followups_text(page, today, PAINT, 60)).splitlines()
    assert all(line.startswith("  ") for line in promise)


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


@pytest.mark.parametrize("argv", [["list"], ["show", "2"], ["search", "court"], ["followups"],
                                  ["trends", "--weeks", "52"]], ids=" ".join)  # fmt: skip
def test_a_terminal_read_loads_neither_rich_nor_pydantic(
    filled: Journal, tmp_path: Path, argv: list[str]
) -> None:
    loaded = tmp_path / "loaded.txt"
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-c", LOADED, str(loaded), *argv], os.environ)
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
    assert b"\x1b[" in shown  # painted
    assert loaded.read_text() == ""


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
