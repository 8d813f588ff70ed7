"""`rbp import` in bulk: ids given in Python, the search indexes filled once at the end, and
(into an empty journal) the reading indexes built after; afterwards the journal is what rbp's
own writing path would have made, and its search indexes agree with its rows."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from rbp_journal.journal import Journal, open_journal
from rbp_journal.json_input import may_hold_controls
from test_import_stream import copies, export_document, rbp_json

from conftest import add_reflection, installed_rbp

SEARCHED = ("answers_fts", "followups_fts")


def schema(db: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        return [tuple(row) for row in rows]
    finally:
        conn.close()


def index_agrees(db: Path, passphrase: str | None = None) -> list[int]:
    """Each search index's own check passes (it raises where it does not), and the rows it
    counts are the rows of its table with text (an answer without words is never indexed)."""
    journal = open_journal(db, passphrase=(lambda note: passphrase) if passphrase else None)
    conn = journal.store.connection.conn
    try:
        counts = []
        for table in SEARCHED:
            conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
            source = table.removesuffix("_fts")
            indexed = conn.execute(f"SELECT count(*) FROM {table}_docsize").fetchone()[0]
            query = f"SELECT count(*) FROM {source} WHERE text IS NOT NULL"
            assert indexed == conn.execute(query).fetchone()[0]
            counts.append(indexed)
        return counts
    finally:
        journal.close()


def worded(record: dict[str, Any]) -> int:
    """How many of a record's answers have text (and so are in the search index)."""
    return sum(answer.get("text") is not None for answer in record["answers"])


def ids(rbp: Any, db: Path) -> list[int]:
    rows = json.loads(rbp(["--db", str(db), "list", "--json"]).stdout)
    return sorted(row["id"] for row in rows)


def river_copy(record: dict[str, Any]) -> dict[str, Any]:
    """A later copy of `record` whose first answer and promise say "river" instead."""
    newer = json.loads(json.dumps(record))
    newer["answers"][0]["text"] = "We met by the river instead."
    newer["followups"][0]["text"] = "Send the river leaflet"
    newer["updated"] = "2030-01-01T00:00:00Z"
    return newer


def found(rbp: Any, db: Path, word: str) -> list[int]:
    hits = json.loads(rbp(["--db", str(db), "search", word, "-n", "5000", "--json"]).stdout)
    return sorted({hit["reflection_id"] for hit in hits})


@pytest.fixture
def one(journal: Journal, rbp: Any) -> dict[str, Any]:
    add_reflection(
        journal,
        {"what_happened": "We met by the canal.", "differently": "Bring the map."},
        followups=[{"text": "Send the canal leaflet", "due": "2026-12-01"}],
    )
    record: dict[str, Any] = export_document(journal, rbp)["reflections"][0]
    assert record["followups"], "the factory makes a promise"
    return record


def test_an_empty_journal_gets_the_schema_rbp_makes(
    rbp: Any, one: dict[str, Any], tmp_path: Path
) -> None:
    fresh, other = tmp_path / "fresh.db", tmp_path / "other.db"
    open_journal(fresh).close()
    result = rbp(["--db", str(other), "import", "-"], input=rbp_json(copies(one, 1_201)))
    assert result.stderr.endswith("1201 added, 0 updated, 0 already there.\n")
    assert schema(other) == schema(fresh)  # every index and trigger made again, as it was
    assert index_agrees(other)[1] == 1_201
    assert len(found(rbp, other, "canal")) == 1_201
    again = rbp(["--db", str(other), "import", "-"], input=rbp_json(copies(one, 1_201)))
    assert again.stderr.endswith("0 added, 0 updated, 1201 already there.\n")


def test_a_bad_record_leaves_the_schema_as_it_was(
    rbp: Any, one: dict[str, Any], tmp_path: Path
) -> None:
    fresh, other = tmp_path / "fresh.db", tmp_path / "other.db"
    open_journal(fresh).close()
    records = copies(one, 700)
    records[-1] = {**records[-1], "created": "yesterday"}
    result = rbp(["--db", str(other), "import", "-"], input=rbp_json(records))
    assert result.stderr.startswith("Error: stdin, reflection 700: created:")
    assert schema(other) == schema(fresh)
    assert index_agrees(other) == [0, 0]


def test_a_newer_copy_later_in_the_file_replaces_the_first_in_the_index_too(
    rbp: Any, one: dict[str, Any], tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    first = copies(one, 600)  # the newer copy arrives in another batch
    newer = river_copy(first[3])
    result = rbp(["--db", str(other), "import", "-"], input=rbp_json([*first, newer]))
    assert result.stderr.endswith("600 added, 1 updated, 0 already there.\n")
    assert index_agrees(other) == [worded(one) * 600, 600]
    assert found(rbp, other, "river") == [4]
    assert 4 not in found(rbp, other, "canal")
    assert rbp(["--db", str(other), "delete", "4", "--yes"]).exit_code == 0
    assert found(rbp, other, "river") == []
    index_agrees(other)


def test_into_a_journal_with_reflections_of_its_own(
    rbp: Any, journal: Journal, one: dict[str, Any], db_path: Path
) -> None:
    add_reflection(journal, {"what_happened": "A home visit by the allotments."})
    before = schema(db_path)
    records = copies(one, 3)
    records[0]["id"] = 2  # taken here: numbered after every id
    records[1]["id"] = 9  # free: kept
    result = rbp("import -", input=rbp_json(records))
    assert result.stderr.endswith("3 added, 0 updated, 0 already there.\n")
    assert ids(rbp, db_path) == [1, 2, 9, 10, 11]
    assert found(rbp, db_path, "canal") == [1, 9, 10, 11]
    assert found(rbp, db_path, "allotments") == [2]
    assert schema(db_path) == before
    index_agrees(db_path)


@pytest.mark.parametrize(
    ("wanted", "kept"),
    [(2**63 - 1, True), (2**63, False), (0, False), (-5, False)],
    ids=["largest", "too-large", "zero", "negative"],
)
def test_an_id_sqlite_cannot_keep_is_given_another(
    rbp: Any, one: dict[str, Any], tmp_path: Path, wanted: int, kept: bool
) -> None:
    other = tmp_path / "other.db"
    records = copies(one, 2)
    records[0]["id"] = wanted
    result = rbp(["--db", str(other), "import", "-"], input=rbp_json(records))
    assert result.exit_code == 0, result.stderr
    numbers = ids(rbp, other)
    assert len(numbers) == 2 and (wanted in numbers) == kept
    assert all(0 < n < 2**63 for n in numbers)
    index_agrees(other)


def test_an_encrypted_journal_imports_in_bulk(
    rbp: Any, one: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("sqlcipher3")
    other = tmp_path / "secret.db"
    journal = open_journal(other)
    journal.cipher.encrypt("correct horse battery")
    journal.close()
    key = tmp_path / "key"
    key.write_text("correct horse battery\n", encoding="utf-8")
    key.chmod(0o600)
    monkeypatch.setenv("RBP_PASSPHRASE_FILE", str(key))
    records = copies(one, 30)
    newer = river_copy(records[2])
    result = rbp(["--db", str(other), "import", "-"], input=rbp_json([*records, newer]))
    assert result.stderr.endswith("30 added, 1 updated, 0 already there.\n")
    assert len(found(rbp, other, "canal")) == 29
    assert found(rbp, other, "river") == [3]
    assert b"canal" not in other.read_bytes()
    assert index_agrees(other, "correct horse battery") == [worded(one) * 30, 30]


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        (r'{"t": "a\u0000"}', True),
        (r'{"t": "a\u001B[2J"}', True),
        (r'{"t": "a\u007f"}', True),
        (r'{"t": "a\u009b"}', True),
        (r'{"t": "a\b"}', True),
        (r'{"t": "a\f"}', True),
        (r'{"t": "a\r\nb"}', True),  # a CR, which text.clean makes part of one newline
        ('{"t": "a\x7f"}', True),
        ('{"t": "a\x85"}', True),
        ('{"t": "a\x9b \u2019"}', True),
        (r'{"t": "a\\b"}', True),  # a backslash typed before a b: scrubbed for nothing
        (r'{"t": "tab\tnewline\n"}', False),
        ('{"t": "caf\u00e9 \u2019 \u00a0"}', False),
        ('{"t": "plain"}', False),
    ],
)
def test_control_characters_are_seen_in_the_json_text(text: str, holds: bool) -> None:
    assert may_hold_controls(text) == holds


def test_a_tag_that_is_not_one_line_is_named(rbp: Any, one: dict[str, Any], tmp_path: Path) -> None:
    records = copies(one, 2)
    records[1]["tags"] = ["fine", "two\nlines"]
    other = tmp_path / "other.db"
    result = rbp(["--db", str(other), "import", "-"], input=rbp_json(records))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: stdin, reflection 2: tags.1: a tag is one line of printable text"
    )
    assert result.stderr.endswith("Nothing was saved.\n")


@pytest.mark.slow  # a real import of 8,000 reflections, killed while it writes
def test_an_import_killed_while_it_writes_leaves_the_journal_as_it_was(
    rbp: Any, one: dict[str, Any], tmp_path: Path
) -> None:
    fresh, other, data = tmp_path / "fresh.db", tmp_path / "other.db", tmp_path / "big.json"
    open_journal(fresh).close()
    open_journal(other).close()
    data.write_text(rbp_json(copies(one, 8_000)), encoding="utf-8")
    wal = Path(f"{other}-wal")
    process = subprocess.Popen([*installed_rbp(), "--db", str(other), "import", str(data)])
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 2_000_000:  # pages spilled: mid-transaction
            os.kill(process.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    assert process.wait() == -signal.SIGKILL, "the import ended before it could be killed"
    assert schema(other) == schema(fresh)  # triggers and indexes as they were
    assert ids(rbp, other) == []
    assert index_agrees(other) == [0, 0]
