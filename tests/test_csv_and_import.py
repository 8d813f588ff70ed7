"""CSV as spreadsheets read it, and imports that take what other tools write: a BOM, an empty
export, jrnl's entries known by date and time, counts that are always true."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from rbp_journal.journal import Journal
from rbp_journal.models.reflection import AnswersPayload

from conftest import CORE_ANSWERS

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A2)",
            "\tTabbed", "\rReturned"]  # fmt: skip


@pytest.fixture
def formulas(journal: Journal) -> Journal:
    data: dict[str, Any] = json.loads(json.dumps(CORE_ANSWERS))
    data["answers"]["what_happened"] = FORMULAS[0]
    data["answers"]["differently"] = FORMULAS[1]
    data["tags"] = ["a;b", 'quote"d', "plain"]
    data["followups"] = [{"text": text} for text in FORMULAS[2:]]
    journal.recording.record(AnswersPayload.model_validate(data))
    return journal


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_formula_cells_are_neutralised_by_default(rbp, formulas: Journal) -> None:
    table = rows(rbp("export --format csv").stdout)
    texts = [row["text"] for row in table if row["text"]]
    # a CR is stored as a newline (text.clean), which no spreadsheet reads as a formula
    stored = [f.replace("\r", "\n") for f in FORMULAS]
    assert set(texts) >= {f if f.startswith("\n") else "'" + f for f in stored}
    for row in table:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())


def test_raw_cells_keeps_them(rbp, formulas: Journal) -> None:
    texts = {row["text"] for row in rows(rbp("export --format csv --raw-cells").stdout)}
    assert {f.replace("\r", "\n") for f in FORMULAS} <= texts


def test_tags_are_a_json_array_in_one_cell(rbp, formulas: Journal) -> None:
    (first, *_) = rows(rbp("export --format csv").stdout)
    assert json.loads(first["tags"]) == ["a;b", "plain", 'quote"d']


def test_bom_and_excel(rbp, formulas: Journal) -> None:
    plain = rbp("export --format csv").stdout_bytes
    assert plain.startswith(b"reflection_id,") and b"\r\n" not in plain.replace(b'\r"', b"")
    bom = rbp("export --format csv --bom").stdout_bytes
    assert bom.startswith(b"\xef\xbb\xbfreflection_id,")
    excel = rbp("export --format csv --excel").stdout_bytes
    assert excel.startswith(b"\xef\xbb\xbfreflection_id,") and excel.count(b"\r\n") >= 4
    as_excel_reads = rows(excel.decode("utf-8-sig"))
    assert as_excel_reads[0]["client"] == "C-014"
    assert rbp("export --format json --bom").exit_code == 2


def test_cpd_csv_is_neutralised(rbp, answers_file) -> None:
    record = {"type": "reflective practice", "title": "=1+1", "relevance": "@me",
              "date": "2026-10-12", "learnt": "-x", "impact_practice": "+y",
              "impact_people": "z", "standards": ["4.6"]}  # fmt: skip
    assert rbp(["cpd", "add", "--answers", str(answers_file(record))]).exit_code == 0
    (row,) = rows(rbp("cpd export --format csv --year 2026").stdout)
    assert row["Description of the activity"] == "'=1+1"
    assert row["Why it is relevant to me"] == "'@me" and row["What I learnt"] == "'-x"


# --- import ----------------------------------------------------------------------------------


def test_a_bom_is_accepted(rbp, journal: Journal, tmp_path: Path) -> None:
    journal.recording.record(AnswersPayload.model_validate(CORE_ANSWERS))
    exported = rbp("export --format json").stdout
    for fmt, text in (("json", exported), ("jsonl", rbp("export --format jsonl").stdout)):
        path = tmp_path / f"bom.{fmt}"
        path.write_bytes(b"\xef\xbb\xbf" + text.encode())
        result = rbp(["--db", str(tmp_path / f"{fmt}.db"), "import", str(path)])
        assert result.exit_code == 0, result.stderr
        assert result.stderr.endswith("1 added, 0 updated, 0 already there.\n")
    jrnl = tmp_path / "jrnl.json"
    jrnl.write_bytes(b"\xef\xbb\xbf" + json.dumps(JRNL).encode())
    assert rbp(["import", "--from", "jrnl", str(jrnl)]).exit_code == 0


@pytest.mark.parametrize("source", ["rbp", "jrnl"])
@pytest.mark.parametrize("content", ["", "\n", "\ufeff", '{"tags": {}, "entries": []}'])
def test_an_empty_export_adds_nothing(rbp, source: str, content: str) -> None:
    if source == "rbp" and content.startswith("{"):
        content = '{"format": "rbp-export", "version": 2, "reflections": [], "followups": []}'
    result = rbp(["import", "--from", source, "-"], input=content)
    assert (result.exit_code, result.stderr) == (
        0,
        "Imported from stdin: 0 added, 0 updated, 0 already there.\n",
    )


JRNL: dict[str, Any] = {
    "tags": {"@work": 1},
    "entries": [
        {"title": "Hard day.", "body": "The core group ran late.", "date": "2026-11-02",
         "time": "18:30", "tags": ["@work"], "starred": False},
        {"title": "Same words.", "body": "", "date": "2026-11-03", "time": "09:00", "tags": [],
         "starred": False},
        {"title": "Same words.", "body": "", "date": "2026-11-03", "time": "09:00", "tags": [],
         "starred": False},
    ],
}  # fmt: skip


def jrnl_import(rbp, document: dict[str, Any]) -> str:
    result = rbp(["import", "--from", "jrnl", "-"], input=json.dumps(document))
    assert result.exit_code == 0, result.stderr
    return str(result.stderr)


def test_identical_jrnl_entries_both_arrive(rbp) -> None:
    assert jrnl_import(rbp, JRNL).endswith("3 added, 0 updated, 0 already there.\n")
    assert len(json.loads(rbp("list --json").stdout)) == 3
    assert jrnl_import(rbp, JRNL).endswith("0 added, 0 updated, 3 already there.\n")


def test_an_edited_jrnl_entry_updates_and_a_star_arrives(rbp) -> None:
    jrnl_import(rbp, JRNL)
    edited = json.loads(json.dumps(JRNL))
    edited["entries"][0]["body"] = "The core group ran late; I said so."
    edited["entries"][1]["starred"] = True
    assert jrnl_import(rbp, edited).endswith("0 added, 2 updated, 1 already there.\n")
    listed = {r["id"]: r for r in json.loads(rbp("list --json").stdout)}
    assert len(listed) == 3
    first = json.loads(rbp("show 1 --json").stdout)
    assert first["answers"][0]["text"] == "Hard day.\n\nThe core group ran late; I said so."
    assert json.loads(rbp("show 2 --json").stdout)["tags"] == ["starred"]


def test_entries_imported_by_words_are_updated_not_doubled(rbp, journal: Journal) -> None:
    """A journal that imported jrnl before entries were known by date and time."""
    import uuid

    jrnl_import(rbp, JRNL)
    with journal.store.write():
        for rid in (1, 2, 3):
            entry = JRNL["entries"][rid - 1]
            text = f"{entry['title']}\n\n{entry['body']}".strip()
            old = uuid.uuid5(uuid.NAMESPACE_URL, f"jrnl:{entry['date']}T{entry['time']}:{text}")
            journal.store.reflections.set_uid(rid, f"{old}" if rid != 3 else "other")
    result = jrnl_import(rbp, JRNL)
    # the third had the same words as the second: under the old scheme it never arrived
    assert result.endswith("1 added, 0 updated, 2 already there.\n")
    assert len(json.loads(rbp("list --json").stdout)) == 4
