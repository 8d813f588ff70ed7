"""Promises made without a reflection (`rbp followups add`) travel like reflections: in every
export, back through import, found by search and by scan."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rbp_journal.journal import Journal, open_journal
from rbp_journal.models.reflection import AnswersPayload, FollowupIn, ReflectionFilter
from test_reliability import make_v1_journal

from conftest import CORE_ANSWERS


def promised(journal: Journal) -> int:
    journal.recording.record(AnswersPayload.model_validate(CORE_ANSWERS))
    journal.supervision.add_followup(None, FollowupIn(text="Chase the interpreter booking"))
    return journal.supervision.add_followup(
        None, FollowupIn(text="Ring 07700 900123 about the panel")
    )


def test_a_promise_alone_is_in_every_export(rbp, journal: Journal) -> None:
    promised(journal)
    document = json.loads(rbp("export --format json").stdout)
    assert [f["text"] for f in document["followups"]] == [
        "Chase the interpreter booking",
        "Ring 07700 900123 about the panel",
    ]
    lines = rbp("export --format jsonl").stdout.splitlines()
    assert json.loads(lines[-1]) == {"followup": document["followups"][1]}
    assert "## Promises without a reflection" in rbp("export --format markdown").stdout
    rows = list(csv.DictReader(io.StringIO(rbp("export --format csv").stdout)))
    alone = [row for row in rows if row["kind"] == "promise" and not row["reflection_id"]]
    assert [row["text"] for row in alone] == [f["text"] for f in document["followups"]]
    tied = [row for row in rows if row["kind"] == "promise" and row["reflection_id"] == "1"]
    assert [(r["text"], r["due"], r["promise_status"]) for r in tied] == [
        ("Send the housing referral", "2026-11-27", "open")
    ]


def test_filters_by_client_or_tag_leave_promises_alone_out(rbp, journal: Journal) -> None:
    promised(journal)
    assert json.loads(rbp("export --format json --client C-014").stdout)["followups"] == []
    assert json.loads(rbp("export --format json --tag first-visit").stdout)["followups"] == []
    assert len(json.loads(rbp("export --format json --since 2000-01-01").stdout)["followups"]) == 2
    assert json.loads(rbp("export --format json --until 2000-01-01").stdout)["followups"] == []


def test_redact_masks_a_promise_alone(rbp, journal: Journal) -> None:
    promised(journal)
    document = json.loads(rbp("export --format json --redact").stdout)
    assert document["followups"][1]["text"] == "Ring [phone] about the panel"


def test_round_trip_through_jsonl_is_byte_identical(rbp, journal: Journal, tmp_path: Path) -> None:
    fid = promised(journal)
    journal.supervision.close_followup(fid, "done", note="rang")
    first = rbp("export --format json").stdout
    other = ["--db", str(tmp_path / "other.db")]
    moved = rbp([*other, "import", "-"], input=rbp("export --format jsonl").stdout)
    assert moved.stderr.endswith(
        "promises without a reflection: 2 added, 0 updated, 0 already there.\n"
    )
    assert rbp([*other, "export", "--format", "json"]).stdout == first
    again = rbp([*other, "import", "-"], input=first)
    assert again.stderr.endswith(
        "promises without a reflection: 0 added, 0 updated, 2 already there.\n"
    )


def test_a_promise_done_elsewhere_is_updated(rbp, journal: Journal, tmp_path: Path) -> None:
    fid = promised(journal)
    other = ["--db", str(tmp_path / "other.db")]
    rbp([*other, "import", "-"], input=rbp("export --format json").stdout)
    journal.supervision.close_followup(fid, "done", note="rang")
    result = rbp([*other, "import", "-"], input=rbp("export --format json").stdout)
    assert result.stderr.endswith(
        "promises without a reflection: 0 added, 1 updated, 1 already there.\n"
    )
    rows = json.loads(rbp([*other, "followups", "--all", "--json"]).stdout)
    assert {(r["text"], r["status"], r["note"]) for r in rows if r["reflection_id"] is None} == {
        ("Chase the interpreter booking", "open", None),
        ("Ring 07700 900123 about the panel", "done", "rang"),
    }


def test_version_one_exports_still_import(rbp, journal: Journal, tmp_path: Path) -> None:
    promised(journal)
    document = json.loads(rbp("export --format json").stdout)
    old = {"format": "rbp-export", "version": 1, "reflections": document["reflections"]}
    other = rbp(["--db", str(tmp_path / "v1.db"), "import", "-"], input=json.dumps(old))
    assert other.exit_code == 0 and other.stderr.endswith("1 added, 0 updated, 0 already there.\n")


def test_search_finds_promises(rbp, journal: Journal) -> None:
    promised(journal)
    hits = json.loads(rbp("search interpreter --json").stdout)
    assert [(h["followup_id"], h["reflection_id"], h["question"]) for h in hits] == [
        (2, None, "Promise")
    ]
    assert hits[0]["snippet"] == "Chase the interpreter booking"
    tied = json.loads(rbp("search housing --json").stdout)
    assert [(h["reflection_id"], h["client"], h["prompt_id"]) for h in tied] == [
        (1, "C-014", "promise")
    ]
    assert json.loads(rbp("search interpreter --json --client C-014").stdout) == []
    shown = rbp("search interpreter").stdout
    assert "promise #2 · made without a reflection  Promise" in shown


def test_search_index_follows_changes(journal: Journal) -> None:
    fid = promised(journal)
    with journal.store.write():
        journal.store.followups.set_text(fid, "Ring the panel")
    assert journal.reading.search("07700", ReflectionFilter()) == []
    assert len(journal.reading.search("panel", ReflectionFilter())) == 1


def test_promises_made_before_the_index_are_found(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    make_v1_journal(db)
    journal = open_journal(db)
    hits = journal.reading.search("school", ReflectionFilter())
    assert sorted(h.reflection_id for h in hits if h.followup_id) == [1, 2, 3]
    journal.close()


def test_scan_finds_and_masks_a_promise_alone(rbp, journal: Journal) -> None:
    fid = promised(journal)
    hits = json.loads(rbp("scan --json").stdout)
    assert [(h["reflection_id"], h["where"], h["mask"]) for h in hits] == [
        (None, f"promise #{fid}", "[phone]")
    ]
    table = rbp("scan").stdout
    assert "[phone]" in table and f"promise #{fid}" in table
    assert rbp("scan --mask --yes").exit_code == 0
    assert journal.store.followups.get(fid).text == "Ring [phone] about the panel"  # type: ignore[union-attr]


def test_a_closing_note_is_redacted_scanned_and_masked(rbp, journal: Journal) -> None:
    fid = promised(journal)
    journal.supervision.close_followup(1, "done", note="rang 07700 900456 at four")
    journal.supervision.close_followup(fid, "done", note="emailed jo.bloggs@example.org")
    document = json.loads(rbp("export --format json --redact").stdout)
    notes = [document["reflections"][0]["followups"][0]["note"], document["followups"][1]["note"]]
    assert notes == ["rang [phone] at four", "emailed [email]"]
    hits = json.loads(rbp("scan --json").stdout)
    assert {(h["reflection_id"], h["where"], h["mask"]) for h in hits} >= {
        (1, "note on promise #1", "[phone]"),
        (None, f"note on promise #{fid}", "[email]"),
    }
    assert rbp("scan --mask --yes").exit_code == 0
    notes = [journal.store.followups.get(n).note for n in (1, fid)]  # type: ignore[union-attr]
    assert notes == ["rang [phone] at four", "emailed [email]"]
