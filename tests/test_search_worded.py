"""The search index holds the answers with words, never those without (ratings): the triggers
(m008), an import's fill at the end and a whole refill agree, so FTS5's own checks pass after
every way an answer's text comes, changes, goes or becomes NULL and back."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from rbp_journal.journal import Journal, open_journal
from rbp_journal.models.reflection import ReflectionFilter
from rbp_journal.store import migrations
from test_import_bulk import copies, export_document, found, index_agrees, rbp_json

from conftest import add_reflection

INDEXES = ("answers_fts", "followups_fts")


def sound(conn: Any) -> None:
    """FTS5's integrity check of each index against its table (it raises where it fails), the
    rows it holds those with text, and SQLite's own check (which, from 3.44, checks FTS5 too)."""
    for index in INDEXES:
        conn.execute(f"INSERT INTO {index} ({index}) VALUES ('integrity-check')")
        table = index.removesuffix("_fts")
        held = conn.execute(f"SELECT count(*) FROM {index}_docsize").fetchone()[0]
        worded = conn.execute(f"SELECT count(*) FROM {table} WHERE text IS NOT NULL")
        assert held == worded.fetchone()[0]
    assert [row[0] for row in conn.execute("PRAGMA integrity_check")] == ["ok"]


def test_ratings_are_not_indexed_and_words_are_found(journal: Journal, rbp: Any) -> None:
    rid = add_reflection(journal, {"what_happened": "We met by the canal."})
    conn = journal.store.connection.conn
    ratings = conn.execute("SELECT count(*) FROM answers WHERE text IS NULL").fetchone()[0]
    assert ratings > 0, "the factory's reflection has ratings"
    sound(conn)
    assert found(rbp, journal.store.path, "canal") == [rid]


def test_text_to_null_and_back_keeps_the_index_sound(journal: Journal, rbp: Any) -> None:
    rid = add_reflection(journal, {"what_happened": "We met by the canal."})
    conn = journal.store.connection.conn
    rated = conn.execute(
        "SELECT prompt_id FROM answers WHERE reflection_id = ? AND text IS NULL LIMIT 1", [rid]
    ).fetchone()[0]
    steps = [
        ("what_happened", None),  # words → NULL
        ("what_happened", "Back at the lock gates."),  # NULL → words
        (rated, "A rating given words"),  # NULL → words, on a row indexed by no trigger
        (rated, "Other words"),  # words → words
        (rated, None),
    ]
    for prompt_id, text in steps:
        with journal.store.write():
            conn.execute(
                "UPDATE answers SET text = ? WHERE reflection_id = ? AND prompt_id = ?",
                [text, rid, prompt_id],
            )
        sound(conn)
    with journal.store.write():  # a rating's id changed: its row moves, and is still not held
        conn.execute("UPDATE answers SET id = id + 1000 WHERE prompt_id = ?", [rated])
    sound(conn)
    assert found(rbp, journal.store.path, "lock") == [rid]
    assert found(rbp, journal.store.path, "canal") == []
    journal.recording.delete(rid)
    sound(conn)
    assert found(rbp, journal.store.path, "lock") == []


def test_edit_mask_and_delete_keep_the_index_sound(journal: Journal, rbp: Any) -> None:
    from conftest import payload

    journal.guard.add_names(["Tiegan"])
    first = add_reflection(journal, {"what_happened": "Saw Tiegan by the canal."})
    second = add_reflection(journal, {"what_happened": "A quiet visit at the library."})
    journal.recording.update(second, payload({"what_happened": "A loud visit at the library."}))
    sound(journal.store.connection.conn)
    assert journal.guard.mask_stored(ReflectionFilter()) == 1
    conn = journal.store.connection.conn
    sound(conn)
    db = journal.store.path
    assert found(rbp, db, "canal") == [first]
    assert found(rbp, db, "tiegan") == []
    assert found(rbp, db, "loud") == [second]
    assert found(rbp, db, "quiet") == []
    journal.recording.delete(first)
    sound(conn)
    assert found(rbp, db, "library") == [second]


def test_an_import_into_a_journal_with_ratings_keeps_the_index_sound(
    journal: Journal, rbp: Any
) -> None:
    add_reflection(journal, {"what_happened": "We met by the river."})
    record = export_document(journal, rbp)["reflections"][0]
    newer = {**record, "updated": "2030-01-01T00:00:00Z"}
    newer["answers"] = [
        {**a, "text": "Now by the weir."} if a["prompt_id"] == "what_happened" else a
        for a in record["answers"]
    ]
    db = journal.store.path
    result = rbp(["--db", str(db), "import", "-"], input=rbp_json([newer, *copies(record, 3)]))
    assert result.stderr.endswith("3 added, 1 updated, 0 already there.\n"), result.stderr
    index_agrees(db)
    sound(journal.store.connection.conn)
    assert len(found(rbp, db, "river")) == 3
    assert len(found(rbp, db, "weir")) == 1


def test_an_old_journal_is_reindexed_without_its_ratings(tmp_path: Path, rbp: Any) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    old = Migrations(migrations.MIGRATION_SET)
    for migration in migrations.MIGRATIONS[:7]:
        old()(migration)
    old.apply(Database(conn))
    assert "m008_search_skips_empty" not in migrations.NAMES[:7]
    conn.execute(
        "INSERT INTO reflections VALUES (1, 'u1', '2026-01-05', '2026-01-05T09:00:00+00:00', "
        "'2026-01-05T09:00:00+00:00', NULL, NULL, 'core', '1', 'done')"
    )
    for position, text in enumerate(["By the canal.", None, None, "At the weir."], start=1):
        conn.execute(
            "INSERT INTO answers (reflection_id, position, prompt_id, theme, kind, question, "
            "text, rating) VALUES (1, ?, ?, 't', 'text', 'q', ?, ?)",
            [position, f"p{position}", text, None if text else 3],
        )
    held = conn.execute("SELECT count(*) FROM answers_fts_docsize").fetchone()[0]
    assert held == 4  # the old triggers indexed the ratings too
    conn.close()
    journal = open_journal(db)
    try:
        sound(journal.store.connection.conn)
        assert found(rbp, db, "weir") == [1]
        with journal.store.write():
            journal.store.connection.conn.execute("DELETE FROM answers WHERE text IS NULL")
        sound(journal.store.connection.conn)
    finally:
        journal.close()


@pytest.mark.parametrize("words", ["canal", "river"])
def test_an_encrypted_journal_checks_its_index_against_its_rows(
    journal: Journal, rbp: Any, words: str
) -> None:
    """SQLCipher's SQLite (3.44+) checks FTS5 inside PRAGMA integrity_check too."""
    rid = add_reflection(journal, {"what_happened": f"We met by the {words}."})
    journal.cipher.encrypt("correct horse battery")
    conn = journal.store.connection.conn
    with journal.store.write():
        conn.execute("UPDATE answers SET text = NULL WHERE prompt_id = 'what_happened'")
    with journal.store.write():
        conn.execute("UPDATE answers SET text = 'Back again.' WHERE prompt_id = 'what_happened'")
    sound(conn)
    journal.recording.delete(rid)
    sound(conn)
