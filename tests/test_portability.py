"""search, edit, export and import: words in and out, with nothing lost."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from rbp_journal.journal import Journal
from rbp_journal.models.reflection import FollowupIn

from conftest import CORE_ANSWERS, add_reflection

AWKWARD = [
    "Ünïcödé café — naïve",
    "نص عربي من اليمين إلى اليسار",
    "😊🏠 emoji and a # hash at the start",
    "# not a heading\n---\n> not a quote\n1. not a list",
    "A long answer. " * 400,
    "quotes \"double\" and 'single' and [brackets] and *stars*",
]


def add(journal: Journal, **changes: Any) -> int:
    return add_reflection(journal, None, **changes)


@pytest.fixture
def varied(journal: Journal) -> Journal:
    for index, text in enumerate(AWKWARD):
        answers = dict(CORE_ANSWERS["answers"], what_happened=text, culture=None)
        if index % 2:
            answers["assumptions_note"] = text[:50]
        add(journal, answers=answers, date=f"2026-10-{index + 1:02d}", client=f"C-{index:03d}",
            tags=["ünï", f"t{index}"])  # fmt: skip
    rid = add(journal, date="2026-10-20", tags=[])
    for status in ("done", "dropped"):
        fid = journal.supervision.add_followup(rid, FollowupIn(text=f"A promise now {status}"))
        journal.supervision.close_followup(fid, status, note=f"{status} note")  # type: ignore[arg-type]
    journal.supervision.add_followup(None, FollowupIn(text="A promise of no reflection"))
    add(journal, set="journal", answers={"entry": "Free writing only."}, date="2026-10-21",
        client=None, setting=None, tags=[], followups=[])  # fmt: skip
    return journal


def test_json_round_trip_is_exact_and_idempotent(rbp, varied: Journal, tmp_path: Path) -> None:
    first = rbp("export --format json")
    assert first.exit_code == 0, first.stderr
    assert first.stderr == "Exported 8 reflections and 1 promise without a reflection.\n"
    assert json.loads(first.stdout)["followups"][0]["text"] == "A promise of no reflection"
    (tmp_path / "e.json").write_text(first.stdout, encoding="utf-8")
    other = tmp_path / "other.db"
    imported = rbp(["--db", str(other), "import", str(tmp_path / "e.json")])
    assert imported.stderr.endswith(
        "8 added, 0 updated, 0 already there; "
        "promises without a reflection: 1 added, 0 updated, 0 already there.\n"
    )
    again = rbp(["--db", str(other), "export", "--format", "json"])
    assert again.stdout == first.stdout
    repeat = rbp(["--db", str(other), "import", "-"], input=first.stdout)
    assert repeat.stderr.endswith(
        "0 added, 0 updated, 8 already there; "
        "promises without a reflection: 0 added, 0 updated, 1 already there.\n"
    )
    jsonl = rbp("export --format jsonl").stdout
    third = tmp_path / "third.db"
    assert rbp(["--db", str(third), "import", "-"], input=jsonl).exit_code == 0
    assert rbp(["--db", str(third), "export", "--format", "json"]).stdout == first.stdout


def test_import_updates_a_changed_reflection(rbp, varied: Journal, tmp_path: Path) -> None:
    document = json.loads(rbp("export --format json").stdout)
    other = tmp_path / "other.db"
    rbp(["--db", str(other), "import", "-"], input=json.dumps(document))
    changed = document["reflections"][0]
    changed["answers"][0]["text"] = "Rewritten later."
    changed["updated"] = "2030-01-01T00:00:00Z"
    result = rbp(["--db", str(other), "import", "-"], input=json.dumps(document))
    assert result.stderr.endswith(
        "0 added, 1 updated, 7 already there; promises without a "
        "reflection: 0 added, 0 updated, 1 already there.\n"
    )
    shown = json.loads(rbp(["--db", str(other), "show", str(changed["id"]), "--json"]).stdout)
    assert shown["answers"][0]["text"] == "Rewritten later."
    assert len(json.loads(rbp(["--db", str(other), "list", "--json"]).stdout)) == 8


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "is not an rbp export"),
        ('{"format": "rbp-export", "version": 9, "reflections": []}', "format version 2"),
        (
            '{"format": "rbp-export", "version": 1, "reflections": [{"uid": "x"}]}',
            "reflection 1: session_date: is missing",
        ),
    ],
)
def test_invalid_imports_store_nothing(rbp, journal: Journal, content: str, message: str) -> None:
    result = rbp("import -", input=content)
    assert result.exit_code == 1
    assert message in result.stderr
    assert rbp("list --json").stdout == "[]\n"


def test_markdown_has_one_heading_per_reflection(rbp, varied: Journal) -> None:
    markdown = rbp("export --format markdown").stdout
    tokens = MarkdownIt("commonmark").parse(markdown)
    levels = [t.tag for t in tokens if t.type == "heading_open"]
    assert levels.count("h1") == 1
    assert levels.count("h2") == 9  # and the promises without a reflection
    assert "- [ ] A promise of no reflection — made " in markdown
    assert "4/5 — mostly" in markdown
    assert "- [x] A promise now done" in markdown
    assert "- [ ] A promise now dropped (due" not in markdown
    assert "A promise now dropped — dropped" in markdown


def test_split_writes_one_file_per_reflection(rbp, varied: Journal, tmp_path: Path) -> None:
    folder = tmp_path / "portfolio"
    result = rbp(["export", "--split", str(folder), "--since", "2026-10-05"])
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["2026-10-05-000005.md", "2026-10-06-000006.md", "2026-10-20-000007.md",
                     "2026-10-21-000008.md", "promises-without-a-reflection.md"]  # fmt: skip
    text = (folder / names[0]).read_text(encoding="utf-8")
    head = yaml.safe_load(text.split("---\n")[1])
    assert head["client"] == "C-004" and head["tags"] == ["t4", "ünï"] and head["set"] == "core"
    assert stat.S_IMODE((folder / names[0]).stat().st_mode) == 0o600
    assert rbp(["export", "--split", str(folder), "--format", "json"]).exit_code == 2


def test_output_file_is_written_whole(rbp, varied: Journal, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    assert rbp(["export", "--format", "csv", "--output", str(target)]).exit_code == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("reflection_id,uid,session_date,client")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not list(tmp_path.glob(".out.csv.*"))
    missing = rbp(["export", "--output", str(tmp_path / "no" / "such" / "dir.md")])
    assert missing.exit_code == 1
    assert missing.stderr.startswith("Error: No such file or directory")


@pytest.mark.parametrize(
    "query",
    ['"', "'", "-", "*", "AND", "OR NOT", "C-014", "mum-and-dad", "((", "نص", "😊", "a:b", "NEAR(",
     "^", "a AND", '"unterminated'],
)  # fmt: skip
def test_awkward_queries_never_raise(rbp, varied: Journal, query: str) -> None:
    result = rbp(["search", query, "--json"])
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)


def test_search_best_first_with_filters(rbp, varied: Journal) -> None:
    hits = json.loads(rbp(["search", "عربي", "--json"]).stdout)
    assert [h["reflection_id"] for h in hits] == [2, 2]
    assert hits[0]["snippet"][hits[0]["highlights"][0][0] : hits[0]["highlights"][0][1]] == "عربي"
    assert json.loads(rbp(["search", "cafe", "--json"]).stdout)[0]["reflection_id"] == 1
    assert json.loads(rbp(["search", "naïve", "--json", "--client", "C-999"]).stdout) == []
    rich = rbp(["search", "emoji"]).stdout
    assert "#3 · 2026-10-03 · C-002" in rich
    assert rbp(["search", "  "]).exit_code == 2


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=30))
def test_any_query_is_safe(journal: Journal, query: str) -> None:
    from rbp_journal.errors import UsageError
    from rbp_journal.models.reflection import ReflectionFilter

    add(journal) if journal.store.reflections.counts()["reflections"] == 0 else None
    try:
        journal.reading.search(query, ReflectionFilter(limit=5))
    except UsageError:
        assert not query.strip()


def editor(tmp_path: Path, body: str) -> str:
    script = tmp_path / "editor.py"
    script.write_text("import sys\npath = sys.argv[1]\ntext = open(path, encoding='utf-8').read()\n"
                      + body + "\nopen(path, 'w', encoding='utf-8').write(text)\n", encoding="utf-8")  # fmt: skip
    return f"{sys.executable} {script}"


def test_edit_writes_back_what_changed(rbp, journal: Journal, tmp_path: Path, monkeypatch) -> None:
    add(journal)
    before = json.loads(rbp("show 1 --json").stdout)
    monkeypatch.setenv("EDITOR", editor(tmp_path, "\n".join([
        "text = text.replace('client: C-014', 'client: C-015')",
        "text = text.replace('tags: first-visit', 'tags: first-visit, court')",
        "text = text.replace('Ask the young person first', 'Ask the child first')",
        "text = text.replace('\\n4\\n', '\\n5\\n', 1)",
        "text = text.replace('- [open] Send the housing referral (due 2026-11-27)',"
        " '- [done] Send the housing referral (due 2026-11-27)\\n- Book an interpreter (due 2026-12-01)')",
    ])))  # fmt: skip
    result = rbp("edit 1")
    assert result.exit_code == 0, result.output
    after = json.loads(rbp("show 1 --json").stdout)
    assert after["client"] == "C-015"
    assert after["tags"] == ["court", "first-visit"]
    assert after["answers"][-1]["text"] == "Ask the child first, before the parents."
    assert after["answers"][1]["rating"] == 5
    assert [(f["text"], f["status"]) for f in after["followups"]] == [
        ("Send the housing referral", "done"),
        ("Book an interpreter", "open"),
    ]
    assert after["updated"] >= before["updated"]
    assert after["uid"] == before["uid"]


def test_edit_with_a_broken_template_keeps_the_text(
    rbp, journal: Journal, tmp_path: Path, monkeypatch
) -> None:
    add(journal)
    before = rbp("show 1 --json").stdout
    monkeypatch.setenv(
        "EDITOR",
        editor(tmp_path, "text = text.replace('\\n4\\n', '\\nfour\\n', 1) + 'My new words'"),
    )
    result = rbp("edit 1")
    assert result.exit_code == 1
    assert "a rating is one number from 1 to 5, not 'four'" in result.stderr
    kept = list((tmp_path / "unsaved").glob("*.json"))
    assert len(kept) == 1 and "My new words" in json.loads(kept[0].read_text())["template"]
    assert rbp("show 1 --json").stdout == before


def test_edit_without_changes(rbp, journal: Journal, tmp_path: Path, monkeypatch) -> None:
    add(journal)
    monkeypatch.setenv("EDITOR", editor(tmp_path, ""))
    result = rbp("edit 1")
    assert (result.exit_code, result.stderr) == (0, "No changes.\n")


JRNL = {
    "tags": {"@work": 2},
    "entries": [
        {"title": "Hard day.", "body": "The core group ran late.", "date": "2026-11-02", "time": "18:30",
         "tags": ["@work"], "starred": True},
        {"title": "Quiet one", "body": "", "date": "2026-11-03", "time": "09:00", "tags": [], "starred": False},
    ],
}  # fmt: skip


def test_jrnl_import(rbp, tmp_path: Path) -> None:
    path = tmp_path / "jrnl.json"
    path.write_text(json.dumps(JRNL), encoding="utf-8")
    result = rbp(["import", "--from", "jrnl", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith("2 added, 0 updated, 0 already there.\n")
    first = json.loads(rbp("show 1 --json").stdout)
    assert first["set_id"] == "journal"
    assert first["answers"][0]["text"] == "Hard day.\n\nThe core group ran late."
    assert first["tags"] == ["starred", "work"]
    assert first["session_date"] == "2026-11-02"
    again = rbp(["import", "--from", "jrnl", str(path)])
    assert again.stderr.endswith("0 added, 0 updated, 2 already there.\n")
    assert rbp(["import", "--from", "jrnl", "-"], input="{}").exit_code == 1
    assert rbp(["import", "--from", "dayone", str(path)]).exit_code == 2
