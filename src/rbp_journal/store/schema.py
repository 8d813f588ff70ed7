"""A new journal's schema in one step: what running every migration of store.migrations through
sqlite-utils leaves in sqlite_master, as SQLite states it, so that a first `rbp import` or
`rbp reflect` need not import sqlite-utils (0.1 s of click, pluggy and dateutil) to make it.

The migrations stay the one source of truth: this file is written from them by
`python -m rbp_journal.store.schema`, it is used only while NAMES are every migration's names
(a new migration without a new file here falls back to sqlite-utils), and
tests/test_schema_made.py proves a journal made from it equal to one the migrations make:
the same sqlite_master and the same rows, but for the caseload secret and the times.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

# the migrations whose result this is
NAMES = (
    "m001_initial",
    "m002_cpd",
    "m003_caseload",
    "m004_client_codes",
    "m005_followups_search",
    "m006_cpd_relevance",
    "m007_review_indexes",
    "m008_search_skips_empty",
)
# sqlite_master's statements in the order they were made, FTS5's own tables left out (each
# virtual table makes them)
STATEMENTS: tuple[str, ...] = (
    'CREATE TABLE "_sqlite_migrations" (\n   "id" INTEGER PRIMARY KEY,\n   "migration_set" TEXT,\n   "name" TEXT,\n   "applied_at" TEXT\n)',
    'CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"\n    ON "_sqlite_migrations" ("migration_set", "name")',
    'CREATE TABLE "reflections" (\n   "id" INTEGER PRIMARY KEY,\n   "uid" TEXT NOT NULL,\n   "session_date" TEXT NOT NULL,\n   "created" TEXT NOT NULL,\n   "updated" TEXT NOT NULL,\n   "client" TEXT,\n   "setting" TEXT,\n   "set_id" TEXT NOT NULL,\n   "set_version" TEXT NOT NULL,\n   "status" TEXT NOT NULL\n)',
    'CREATE TABLE "answers" (\n   "id" INTEGER PRIMARY KEY,\n   "reflection_id" INTEGER NOT NULL REFERENCES "reflections"("id"),\n   "position" INTEGER NOT NULL,\n   "prompt_id" TEXT NOT NULL,\n   "theme" TEXT NOT NULL,\n   "kind" TEXT NOT NULL,\n   "question" TEXT NOT NULL,\n   "text" TEXT,\n   "rating" INTEGER,\n   "label" TEXT,\n   "polarity" TEXT\n)',
    'CREATE TABLE "tags" (\n   "id" INTEGER PRIMARY KEY,\n   "name" TEXT NOT NULL\n)',
    'CREATE TABLE "reflection_tags" (\n   "reflection_id" INTEGER REFERENCES "reflections"("id"),\n   "tag_id" INTEGER REFERENCES "tags"("id"),\n   PRIMARY KEY ("reflection_id", "tag_id")\n)',
    'CREATE TABLE "followups" (\n   "id" INTEGER PRIMARY KEY,\n   "reflection_id" INTEGER REFERENCES "reflections"("id"),\n   "text" TEXT NOT NULL,\n   "due" TEXT,\n   "status" TEXT NOT NULL,\n   "created" TEXT NOT NULL,\n   "closed" TEXT,\n   "note" TEXT\n)',
    'CREATE UNIQUE INDEX "idx_reflections_uid"\n    ON "reflections" ("uid")',
    'CREATE INDEX "idx_reflections_status_session_date_id"\n    ON "reflections" ("status", "session_date", "id")',
    'CREATE INDEX "idx_reflections_client_session_date"\n    ON "reflections" ("client", "session_date")',
    'CREATE INDEX "idx_reflections_set_id_session_date"\n    ON "reflections" ("set_id", "session_date")',
    'CREATE UNIQUE INDEX "idx_answers_reflection_id_prompt_id"\n    ON "answers" ("reflection_id", "prompt_id")',
    'CREATE INDEX "idx_answers_theme_reflection_id"\n    ON "answers" ("theme", "reflection_id")',
    'CREATE UNIQUE INDEX "idx_tags_name"\n    ON "tags" ("name")',
    'CREATE INDEX "idx_reflection_tags_tag_id_reflection_id"\n    ON "reflection_tags" ("tag_id", "reflection_id")',
    'CREATE INDEX "idx_followups_status_due"\n    ON "followups" ("status", "due")',
    'CREATE INDEX "idx_followups_reflection_id"\n    ON "followups" ("reflection_id")',
    'CREATE VIRTUAL TABLE "answers_fts" USING FTS5 (\n    "text",\n    tokenize=\'unicode61 remove_diacritics 2\',\n    content="answers"\n)',
    'CREATE TABLE "cpd_records" (\n   "id" INTEGER PRIMARY KEY,\n   "uid" TEXT NOT NULL,\n   "created" TEXT NOT NULL,\n   "updated" TEXT NOT NULL,\n   "activity_type" TEXT NOT NULL,\n   "title" TEXT NOT NULL,\n   "happened_on" TEXT NOT NULL,\n   "learnt" TEXT,\n   "impact_practice" TEXT,\n   "impact_people" TEXT,\n   "peer_role" TEXT,\n   "peer_date" TEXT,\n   "peer_outcome" TEXT,\n   "peer_name" TEXT\n, "relevance" TEXT NOT NULL DEFAULT \'\')',
    'CREATE TABLE "cpd_claims" (\n   "record_id" INTEGER REFERENCES "cpd_records"("id"),\n   "framework" TEXT,\n   "item" TEXT,\n   PRIMARY KEY ("record_id", "framework", "item")\n)',
    'CREATE TABLE "cpd_sources" (\n   "record_id" INTEGER REFERENCES "cpd_records"("id"),\n   "reflection_uid" TEXT,\n   "session_date" TEXT,\n   PRIMARY KEY ("record_id", "reflection_uid")\n)',
    'CREATE UNIQUE INDEX "idx_cpd_records_uid"\n    ON "cpd_records" ("uid")',
    'CREATE INDEX "idx_cpd_records_happened_on"\n    ON "cpd_records" ("happened_on")',
    'CREATE INDEX "idx_cpd_sources_reflection_uid"\n    ON "cpd_sources" ("reflection_uid")',
    'CREATE TABLE "caseload" (\n   "digest" TEXT PRIMARY KEY\n)',
    'CREATE TABLE "caseload_key" (\n   "id" INTEGER PRIMARY KEY,\n   "secret" BLOB NOT NULL\n)',
    'CREATE VIRTUAL TABLE "followups_fts" USING FTS5 (\n    "text",\n    tokenize=\'unicode61 remove_diacritics 2\',\n    content="followups"\n)',
    'CREATE TRIGGER "followups_ai" AFTER INSERT ON "followups" BEGIN\n  INSERT INTO "followups_fts" (rowid, "text") VALUES (new.rowid, new."text");\nEND',
    'CREATE TRIGGER "followups_ad" AFTER DELETE ON "followups" BEGIN\n  INSERT INTO "followups_fts" ("followups_fts", rowid, "text") VALUES(\'delete\', old.rowid, old."text");\nEND',
    'CREATE TRIGGER "followups_au" AFTER UPDATE ON "followups" BEGIN\n  INSERT INTO "followups_fts" ("followups_fts", rowid, "text") VALUES(\'delete\', old.rowid, old."text");\n  INSERT INTO "followups_fts" (rowid, "text") VALUES (new.rowid, new."text");\nEND',
    "CREATE INDEX idx_answers_ratings ON answers (reflection_id, theme, rating, polarity) WHERE rating IS NOT NULL",
    'CREATE INDEX "idx_followups_status_closed"\n    ON "followups" ("status", "closed")',
    'CREATE TRIGGER "answers_ai" AFTER INSERT ON "answers" WHEN new."text" IS NOT NULL BEGIN\n  INSERT INTO "answers_fts" (rowid, "text") VALUES (new.rowid, new."text");\nEND',
    'CREATE TRIGGER "answers_ad" AFTER DELETE ON "answers" WHEN old."text" IS NOT NULL BEGIN\n  INSERT INTO "answers_fts" ("answers_fts", rowid, "text") VALUES(\'delete\', old.rowid, old."text");\nEND',
    'CREATE TRIGGER "answers_au" AFTER UPDATE ON "answers" BEGIN\n  INSERT INTO "answers_fts" ("answers_fts", rowid, "text")\n    SELECT \'delete\', old.rowid, old."text" WHERE old."text" IS NOT NULL;\n  INSERT INTO "answers_fts" (rowid, "text") SELECT new.rowid, new."text" WHERE new."text" IS NOT NULL;\nEND',
)


def make(conn: Any, migration_set: str) -> None:
    """Inside the caller's transaction, on an empty file: the schema, the caseload's secret
    (m003: random, this journal's own) and the record of every migration applied."""
    for sql in STATEMENTS:
        conn.execute(sql)
    conn.execute("INSERT INTO caseload_key (id, secret) VALUES (1, ?)", [secrets.token_bytes(32)])
    applied = str(dt.datetime.now(dt.UTC))  # as sqlite-utils writes it
    conn.executemany(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        [(migration_set, name, applied) for name in NAMES],
    )


def statements(conn: Any) -> list[str]:
    """A migrated journal's schema as STATEMENTS holds it."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    virtual = [name for name, sql in rows if sql.startswith("CREATE VIRTUAL TABLE")]
    shadows = {f"{v}_{part}" for v in virtual for part in ("data", "idx", "docsize", "config")}
    return [sql for name, sql in rows if name not in shadows]


def _write() -> None:  # pragma: no cover - run by hand after adding a migration
    import sqlite3
    from pathlib import Path

    from rbp_journal.store import migrations

    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("BEGIN")
    migrations.apply(conn, snapshot=False)
    made = "\n".join(f"    {sql!r}," for sql in statements(conn))
    names = "\n".join(f"    {name!r}," for name in migrations.NAMES)
    path = Path(__file__)
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("NAMES = (\n")
    _, _, rest = rest.partition(")\n")
    text = f"{head}NAMES = (\n{names}\n){rest}"
    head, _, rest = text.partition("STATEMENTS: tuple[str, ...] = (")
    _, _, rest = rest.partition(")\n")
    path.write_text(f"{head}STATEMENTS: tuple[str, ...] = (\n{made}\n){rest}", encoding="utf-8")


if __name__ == "__main__":
    _write()
