"""The journal's schema, as ordered, named migrations (sqlite-utils' `Migrations`).

A schema change is a new function appended to MIGRATIONS, never an edit to an old one.
sqlite-utils is imported only when a migration is pending in a journal that exists, so opening
an up-to-date journal costs nothing but a query for the applied names (see store.open_store),
and a new journal is made from the migrations' result (store.schema) without it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from rbp_journal.text import normal_code

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "rbp"


def m001_initial(db: Database) -> None:
    db.table("reflections").create(
        {
            "id": int,
            "uid": str,
            "session_date": str,
            "created": str,
            "updated": str,
            "client": str,
            "setting": str,
            "set_id": str,
            "set_version": str,
            "status": str,
        },
        pk="id",
        not_null={"uid", "session_date", "created", "updated", "set_id", "set_version", "status"},
    )
    db.table("answers").create(
        {
            "id": int,
            "reflection_id": int,
            "position": int,
            "prompt_id": str,
            "theme": str,
            "kind": str,
            "question": str,
            "text": str,
            "rating": int,
            "label": str,
            "polarity": str,
        },
        pk="id",
        foreign_keys=[("reflection_id", "reflections", "id")],
        not_null={"reflection_id", "position", "prompt_id", "theme", "kind", "question"},
    )
    db.table("tags").create({"id": int, "name": str}, pk="id", not_null={"name"})
    db.table("reflection_tags").create(
        {"reflection_id": int, "tag_id": int},
        pk=("reflection_id", "tag_id"),
        foreign_keys=[("reflection_id", "reflections", "id"), ("tag_id", "tags", "id")],
    )
    db.table("followups").create(
        {
            "id": int,
            "reflection_id": int,
            "text": str,
            "due": str,
            "status": str,
            "created": str,
            "closed": str,
            "note": str,
        },
        pk="id",
        foreign_keys=[("reflection_id", "reflections", "id")],
        not_null={"text", "status", "created"},
    )
    db.table("reflections").create_index(["uid"], unique=True)
    db.table("reflections").create_index(["status", "session_date", "id"])
    db.table("reflections").create_index(["client", "session_date"])
    db.table("reflections").create_index(["set_id", "session_date"])
    db.table("answers").create_index(["reflection_id", "prompt_id"], unique=True)
    db.table("answers").create_index(["theme", "reflection_id"])
    db.table("tags").create_index(["name"], unique=True)
    db.table("reflection_tags").create_index(["tag_id", "reflection_id"])
    db.table("followups").create_index(["status", "due"])
    db.table("followups").create_index(["reflection_id"])
    # triggers keep answers_fts in step with answers.text on insert, update and delete
    db.table("answers").enable_fts(
        ["text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )


def m002_cpd(db: Database) -> None:
    """CPD records built from reflections, the standard parts and domains they claim, and
    where they came from (kept by uid and date, so a record outlives a purged reflection)."""
    db.table("cpd_records").create(
        {
            "id": int,
            "uid": str,
            "created": str,
            "updated": str,
            "activity_type": str,
            "title": str,
            "happened_on": str,
            "learnt": str,
            "impact_practice": str,
            "impact_people": str,
            "peer_role": str,
            "peer_date": str,
            "peer_outcome": str,
            "peer_name": str,
        },
        pk="id",
        not_null={"uid", "created", "updated", "activity_type", "title", "happened_on"},
    )
    db.table("cpd_claims").create(
        {"record_id": int, "framework": str, "item": str},
        pk=("record_id", "framework", "item"),
        foreign_keys=[("record_id", "cpd_records", "id")],
    )
    db.table("cpd_sources").create(
        {"record_id": int, "reflection_uid": str, "session_date": str},
        pk=("record_id", "reflection_uid"),
        foreign_keys=[("record_id", "cpd_records", "id")],
    )
    db.table("cpd_records").create_index(["uid"], unique=True)
    db.table("cpd_records").create_index(["happened_on"])
    db.table("cpd_sources").create_index(["reflection_uid"])


def m003_caseload(db: Database) -> None:
    """The practitioner's caseload for the privacy guard (issue 18): one row for each word of
    a name, kept only as its HMAC-SHA256 under this journal's own random secret, so a name can
    be matched in text but not read back (see privacy/caseload.py and the README)."""
    import secrets

    db.table("caseload").create({"digest": str}, pk="digest")
    db.table("caseload_key").create({"id": int, "secret": bytes}, pk="id", not_null={"secret"})
    db.table("caseload_key").insert({"id": 1, "secret": secrets.token_bytes(32)})


def m004_client_codes(db: Database) -> None:
    """Client codes are one person whatever the case they were typed in: `c-014` and `C-014`
    become `C-014` (text.normal_code, so Unicode letters are upper-cased as Python does)."""
    codes = [row[0] for row in db.execute("SELECT DISTINCT client FROM reflections")]
    for code in codes:
        if code is not None and code != normal_code(code):
            db.execute(
                "UPDATE reflections SET client = ? WHERE client = ?", [normal_code(code), code]
            )


def m005_followups_search(db: Database) -> None:
    """Promises are searchable like answers: an FTS5 index over followups.text, filled from the
    promises already made and kept in step by triggers (followups_ai/ad/au)."""
    db.table("followups").enable_fts(
        ["text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )


def m006_cpd_relevance(db: Database) -> None:
    """Social Work England's form asks why an activity is relevant to the practitioner: a field
    of its own, empty for records made before it was asked."""
    db.table("cpd_records").add_column("relevance", str, not_null_default="")


def m007_review_indexes(db: Database) -> None:
    """Trends and reviews average ratings over months of sessions: a covering index of the
    rated answers alone lets SQLite read them without the pages that hold what was written
    (a year of trends at 100,000 reflections: 70 ms → 25 ms; the file grows by about 8%). A
    review counts the promises kept in its period by the day they were closed."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_answers_ratings ON answers "
        "(reflection_id, theme, rating, polarity) WHERE rating IS NOT NULL"
    )
    db.table("followups").create_index(["status", "closed"], if_not_exists=True)


def m008_search_skips_empty(db: Database) -> None:
    """An answer without words (a rating) is no longer in the search index: of the 10,000
    export's 103,943 answers 77,939 are ratings, and indexing them was half the index's fill
    on import. The triggers take in, and take out, only rows with text (an FTS5 'delete' of
    a row never indexed would corrupt it), and the index is filled again without the others
    (search_index.refill: the one way rbp fills an index whole)."""
    from rbp_journal.store.search_index import refill

    for name in ("answers_ai", "answers_ad", "answers_au"):
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    for sql in ANSWERS_TRIGGERS:
        db.execute(sql)
    refill(db.conn, "answers_fts")


# the search index's triggers on answers since m008: rows without text are never indexed
ANSWERS_TRIGGERS = (
    """CREATE TRIGGER "answers_ai" AFTER INSERT ON "answers" WHEN new."text" IS NOT NULL BEGIN
  INSERT INTO "answers_fts" (rowid, "text") VALUES (new.rowid, new."text");
END""",
    """CREATE TRIGGER "answers_ad" AFTER DELETE ON "answers" WHEN old."text" IS NOT NULL BEGIN
  INSERT INTO "answers_fts" ("answers_fts", rowid, "text") VALUES('delete', old.rowid, old."text");
END""",
    """CREATE TRIGGER "answers_au" AFTER UPDATE ON "answers" BEGIN
  INSERT INTO "answers_fts" ("answers_fts", rowid, "text")
    SELECT 'delete', old.rowid, old."text" WHERE old."text" IS NOT NULL;
  INSERT INTO "answers_fts" (rowid, "text") SELECT new.rowid, new."text" WHERE new."text" IS NOT NULL;
END""",
)


MIGRATIONS: tuple[Callable[[Database], None], ...] = (
    m001_initial,
    m002_cpd,
    m003_caseload,
    m004_client_codes,
    m005_followups_search,
    m006_cpd_relevance,
    m007_review_indexes,
    m008_search_skips_empty,
)
NAMES: tuple[str, ...] = tuple(m.__name__ for m in MIGRATIONS)


def apply(conn: sqlite3.Connection, snapshot: bool = True) -> None:
    """Apply every pending migration inside the caller's open transaction: into an empty file,
    all of them at once from their result (store.schema) while it is theirs, not through
    sqlite-utils."""
    from rbp_journal.store import schema

    if snapshot and schema.NAMES == NAMES and _empty(conn):
        schema.make(conn, MIGRATION_SET)
        return
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for migration in MIGRATIONS:
        migrations()(migration)
    migrations.apply(Database(conn, execute_plugins=False))


def _empty(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is None
