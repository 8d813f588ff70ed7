"""The journal file: schema, permissions, refusals, search index, deletion."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
import sqlite_utils

from rbp_journal.errors import NewerJournal, NotAJournal
from rbp_journal.journal import Journal, open_journal
from rbp_journal.models.reflection import AnswersPayload
from rbp_journal.store import open_store

from conftest import CORE_ANSWERS

S, N = str, int
SCHEMA = {
    "_sqlite_migrations": {"id": N, "migration_set": S, "name": S, "applied_at": S},
    "reflections": {
        "id": N,
        "uid": S,
        "session_date": S,
        "created": S,
        "updated": S,
        "client": S,
        "setting": S,
        "set_id": S,
        "set_version": S,
        "status": S,
    },
    "answers": {
        "id": N,
        "reflection_id": N,
        "position": N,
        "prompt_id": S,
        "theme": S,
        "kind": S,
        "question": S,
        "text": S,
        "rating": N,
        "label": S,
        "polarity": S,
    },
    "tags": {"id": N, "name": S},
    "reflection_tags": {"reflection_id": N, "tag_id": N},
    "followups": {
        "id": N,
        "reflection_id": N,
        "text": S,
        "due": S,
        "status": S,
        "created": S,
        "closed": S,
        "note": S,
    },
    "cpd_records": {
        "id": N,
        "uid": S,
        "created": S,
        "updated": S,
        "activity_type": S,
        "title": S,
        "happened_on": S,
        "learnt": S,
        "impact_practice": S,
        "impact_people": S,
        "peer_role": S,
        "peer_date": S,
        "peer_outcome": S,
        "peer_name": S,
        "relevance": S,
    },
    "cpd_claims": {"record_id": N, "framework": S, "item": S},
    "cpd_sources": {"record_id": N, "reflection_uid": S, "session_date": S},
    "caseload": {"digest": S},
    "caseload_key": {"id": N, "secret": bytes},
}


def test_schema_is_pinned(journal: Journal, db_path: Path) -> None:
    db = sqlite_utils.Database(db_path)
    indexes = ("answers_fts", "followups_fts")
    tables = {t: db[t].columns_dict for t in db.table_names() if not t.startswith(indexes)}
    assert tables == SCHEMA
    assert {t.name for t in db.triggers} == {
        f"{table}_{when}" for table in ("answers", "followups") for when in ("ai", "ad", "au")
    }
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_journal_and_folder_are_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "deep" / "er" / "journal.db"
        j = open_journal(path)
        j.recording.record(AnswersPayload.model_validate(CORE_ANSWERS))
        j.close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700
    for side in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + side)
        if sidecar.exists():
            assert stat.S_IMODE(sidecar.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"Dear diary, today I met C-014.\n" * 50, "is not an SQLite database"),
        (b"SQLite format 3\x00" + b"\xff" * 200, "so rbp will not write to it"),
    ],
)
def test_files_that_are_not_journals_are_never_written(
    rbp, db_path: Path, content: bytes, message: str
) -> None:
    db_path.write_bytes(content)
    for command in ("list", "doctor", "reflect --answers -"):
        result = rbp(command, input="{}")
        assert result.exit_code == 1, command
        assert message in result.stderr
        assert result.stderr.count("\n") == 1
        assert db_path.read_bytes() == content
    assert not db_path.with_name("journal.db-wal").exists()


def test_another_sqlite_database_is_refused(rbp, db_path: Path) -> None:
    other = sqlite3.connect(db_path)
    other.execute("CREATE TABLE recipes (name TEXT)")
    other.commit()
    other.close()
    before = db_path.read_bytes()
    result = rbp("list")
    assert result.exit_code == 1
    assert "is an SQLite database but not an rbp journal" in result.stderr
    assert db_path.read_bytes() == before


def test_journal_from_a_newer_rbp_is_refused(journal: Journal, db_path: Path) -> None:
    journal.close()
    db = sqlite_utils.Database(db_path)
    db["_sqlite_migrations"].insert(
        {"migration_set": "rbp", "name": "m999_future", "applied_at": "2031-01-01"}
    )
    db.close()
    before = db_path.read_bytes()
    with pytest.raises(NewerJournal, match="m999_future"):
        open_store(db_path)
    assert db_path.read_bytes() == before


def test_search_index_follows_answers(journal: Journal) -> None:
    rid = journal.recording.record(AnswersPayload.model_validate(CORE_ANSWERS))
    conn = journal.store.connection.conn
    query = "SELECT count(*) FROM answers_fts WHERE answers_fts MATCH ?"
    assert conn.execute(query, ["mornings"]).fetchone()[0] == 1
    journal.recording.delete(rid)
    assert conn.execute(query, ["mornings"]).fetchone()[0] == 0


def test_delete_removes_everything(rbp, answers_file, db_path: Path) -> None:
    rbp(["reflect", "--answers", str(answers_file(CORE_ANSWERS))])
    result = rbp("delete 1", input="n\n")
    assert result.exit_code == 1
    assert "Kept; nothing was deleted." in result.stderr
    assert rbp("delete 1 --yes").exit_code == 0
    db = sqlite_utils.Database(db_path)
    assert [
        db[t].count for t in ("reflections", "answers", "followups", "reflection_tags", "tags")
    ] == [0] * 5
    assert (
        rbp("delete 1 --yes").stderr
        == "Error: No reflection with id 1. `rbp list` shows the ids.\n"
    )


def test_not_a_journal_error_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(NotAJournal, match=str(path)):
        open_store(path)
