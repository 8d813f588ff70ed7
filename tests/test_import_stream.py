"""`rbp import` a record at a time: flat memory, one transaction, the search index kept right."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from rbp_journal.formats.importers import read_export
from rbp_journal.journal import Journal, open_journal

from conftest import add_reflection


def export_document(journal: Journal, rbp: Any) -> dict[str, Any]:
    result = rbp("export --format json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def copies(record: dict[str, Any], n: int) -> list[dict[str, Any]]:
    """`n` reflections like `record`, each with its own uid and no id."""
    return [{**record, "id": None, "uid": str(uuid.UUID(int=i + 1))} for i in range(n)]


def rbp_json(records: list[dict[str, Any]]) -> str:
    """As `rbp export --format json` writes a document: a reflection a line."""
    lines = ",\n  ".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records)
    return f'{{"format": "rbp-export", "version": 2, "reflections": [\n  {lines}\n], "followups": []}}\n'


TRIGGERS = [
    "answers_ad",
    "answers_ai",
    "answers_au",
    "followups_ad",
    "followups_ai",
    "followups_au",
]


def triggers(db: Path) -> list[str]:
    journal = open_journal(db)
    try:
        rows = journal.store.connection.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        )
        return [row[0] for row in rows]
    finally:
        journal.close()


@pytest.fixture
def one(journal: Journal, rbp: Any) -> dict[str, Any]:
    add_reflection(journal, {"what_happened": "We met by the canal."})
    record: dict[str, Any] = export_document(journal, rbp)["reflections"][0]
    return record


def test_a_bad_record_after_many_batches_stores_nothing(
    rbp: Any, one: dict[str, Any], tmp_path: Path
) -> None:
    records = copies(one, 1_201)
    records[-1] = {**records[-1], "session_date": "not a date"}
    other = tmp_path / "other.db"
    result = rbp(["--db", str(other), "import", "-"], input=rbp_json(records))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: stdin, reflection 1201: session_date:")
    assert result.stderr.endswith("Nothing was saved.\n")
    assert rbp(["--db", str(other), "list", "--json"]).stdout == "[]\n"
    assert triggers(other) == TRIGGERS


def test_what_is_imported_is_found_and_what_is_replaced_is_not(
    rbp: Any, one: dict[str, Any], tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    records = copies(one, 3)
    assert rbp(["--db", str(other), "import", "-"], input=rbp_json(records)).exit_code == 0
    assert triggers(other) == TRIGGERS
    found = json.loads(rbp(["--db", str(other), "search", "canal", "--json"]).stdout)
    assert sorted(hit["reflection_id"] for hit in found) == [1, 2, 3]
    changed = json.loads(json.dumps(records[1]))
    changed["answers"][0]["text"] = "We met by the river instead."
    changed["updated"] = "2030-01-01T00:00:00Z"
    again = rbp(["--db", str(other), "import", "-"], input=rbp_json([records[0], changed]))
    assert again.stderr.endswith("0 added, 1 updated, 1 already there.\n")
    canal = json.loads(rbp(["--db", str(other), "search", "canal", "--json"]).stdout)
    assert sorted(hit["reflection_id"] for hit in canal) == [1, 3]
    river = json.loads(rbp(["--db", str(other), "search", "river", "--json"]).stdout)
    assert [hit["reflection_id"] for hit in river] == [2]
    assert rbp(["--db", str(other), "delete", "2", "--yes"]).exit_code == 0  # triggers at work
    assert json.loads(rbp(["--db", str(other), "search", "river", "--json"]).stdout) == []


class Counting(io.StringIO):
    """A stream that remembers how much of it has been read."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.taken = 0

    def read(self, size: int | None = -1) -> str:
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk


@pytest.mark.parametrize("lines", [False, True], ids=["json", "jsonl"])
def test_records_come_as_they_are_read(one: dict[str, Any], lines: bool) -> None:
    records = copies(one, 400)
    if lines:
        text = '{"format": "rbp-export", "version": 1}\n' + "".join(
            json.dumps(r) + "\n" for r in records
        )
    else:
        text = rbp_json(records)
    stream = Counting(text)
    reading = read_export(stream, "big.json").reflections
    assert next(reading).uid == records[0]["uid"]
    assert stream.taken < len(text) / 4
    assert len(list(reading)) == 399


def test_any_shape_of_document_reads_the_same(one: dict[str, Any]) -> None:
    records = copies(one, 3)
    shapes = [
        rbp_json(records),
        json.dumps({"format": "rbp-export", "version": 1, "reflections": records}, indent=2),
        json.dumps({"reflections": records, "version": 1, "format": "rbp-export"}),
        json.dumps({"format": "rbp-export", "version": 1, "reflections": records}),
    ]
    for text in shapes:
        found = read_export(io.StringIO(text), "x").reflections
        assert [r.uid for r in found] == [r["uid"] for r in records]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format": "rbp-export", "version": 1}\n\n{"uid": \n', "(bad JSON at line 3)"),
        ('{"format": "rbp-export", "version": 1, "reflections": []} extra', "bad JSON at line 1"),
        (
            '{"format": "rbp-export", "version": 1, "reflections": [\n  {"uid": ',
            "bad JSON at line 2",
        ),
        ('{"format": "rbp-export", "reflections": [], "version": 9}', "format version 2"),
        ('{"format": "rbp-export", "version": 1, "reflections": {}}', "no list of reflections"),
    ],
)
def test_what_is_not_an_export_is_named(rbp: Any, text: str, message: str) -> None:
    result = rbp("import -", input=text)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.endswith("Nothing was saved.\n")


def test_the_same_reflection_twice_in_a_file_is_added_once(
    rbp: Any, one: dict[str, Any], tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    result = rbp(["--db", str(other), "import", "-"], input=rbp_json([one, one]))
    assert result.stderr.endswith("1 added, 0 updated, 1 already there.\n")
    assert len(json.loads(rbp(["--db", str(other), "list", "--json"]).stdout)) == 1


def test_an_import_file_that_is_not_utf8_is_named(rbp: Any, tmp_path: Path) -> None:
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"format": "rbp-export", "version": 1}\n{"text": "caf\xe9"}\n')
    result = rbp(["import", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: Cannot read {path} (not UTF-8 text).\n"


@pytest.mark.parametrize(
    "control", ["\x00", "\x08", "\x0c", "\x1b[2J", "\x1f", "\x7f", "\x85", "\x9b"]
)
def test_every_control_character_is_noticed_on_import(
    rbp: Any, one: dict[str, Any], tmp_path: Path, control: str
) -> None:
    record = {**one, "uid": "with-a-control", "id": None}
    record["answers"] = [{**record["answers"][0], "text": f"By the canal.{control}"}]
    other = tmp_path / "other.db"
    result = rbp(["--db", str(other), "import", "-"], input=rbp_json([record]))
    assert result.exit_code == 0, result.stderr
    assert "Note: reflection 1, answers.0.text: 1 control character" in result.stderr
    shown = json.loads(rbp(["--db", str(other), "export", "--format", "json"]).stdout)
    assert shown["reflections"][0]["answers"][0]["text"] == "By the canal."
