-- The journal's schema as rbp's first migration (m001_initial) made it: the fixture the
-- upgrade test builds a version-1 journal from (tests/test_reliability.py). Never edit.

CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);

CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");

CREATE TABLE "reflections" (
   "id" INTEGER PRIMARY KEY,
   "uid" TEXT NOT NULL,
   "session_date" TEXT NOT NULL,
   "created" TEXT NOT NULL,
   "updated" TEXT NOT NULL,
   "client" TEXT,
   "setting" TEXT,
   "set_id" TEXT NOT NULL,
   "set_version" TEXT NOT NULL,
   "status" TEXT NOT NULL
);

CREATE TABLE "answers" (
   "id" INTEGER PRIMARY KEY,
   "reflection_id" INTEGER NOT NULL REFERENCES "reflections"("id"),
   "position" INTEGER NOT NULL,
   "prompt_id" TEXT NOT NULL,
   "theme" TEXT NOT NULL,
   "kind" TEXT NOT NULL,
   "question" TEXT NOT NULL,
   "text" TEXT,
   "rating" INTEGER,
   "label" TEXT,
   "polarity" TEXT
);

CREATE TABLE "tags" (
   "id" INTEGER PRIMARY KEY,
   "name" TEXT NOT NULL
);

CREATE TABLE "reflection_tags" (
   "reflection_id" INTEGER REFERENCES "reflections"("id"),
   "tag_id" INTEGER REFERENCES "tags"("id"),
   PRIMARY KEY ("reflection_id", "tag_id")
);

CREATE TABLE "followups" (
   "id" INTEGER PRIMARY KEY,
   "reflection_id" INTEGER REFERENCES "reflections"("id"),
   "text" TEXT NOT NULL,
   "due" TEXT,
   "status" TEXT NOT NULL,
   "created" TEXT NOT NULL,
   "closed" TEXT,
   "note" TEXT
);

CREATE UNIQUE INDEX "idx_reflections_uid"
    ON "reflections" ("uid");

CREATE INDEX "idx_reflections_status_session_date_id"
    ON "reflections" ("status", "session_date", "id");

CREATE INDEX "idx_reflections_client_session_date"
    ON "reflections" ("client", "session_date");

CREATE INDEX "idx_reflections_set_id_session_date"
    ON "reflections" ("set_id", "session_date");

CREATE UNIQUE INDEX "idx_answers_reflection_id_prompt_id"
    ON "answers" ("reflection_id", "prompt_id");

CREATE INDEX "idx_answers_theme_reflection_id"
    ON "answers" ("theme", "reflection_id");

CREATE UNIQUE INDEX "idx_tags_name"
    ON "tags" ("name");

CREATE INDEX "idx_reflection_tags_tag_id_reflection_id"
    ON "reflection_tags" ("tag_id", "reflection_id");

CREATE INDEX "idx_followups_status_due"
    ON "followups" ("status", "due");

CREATE INDEX "idx_followups_reflection_id"
    ON "followups" ("reflection_id");

CREATE VIRTUAL TABLE "answers_fts" USING FTS5 (
    "text",
    tokenize='unicode61 remove_diacritics 2',
    content="answers"
);

CREATE TRIGGER "answers_ai" AFTER INSERT ON "answers" BEGIN
  INSERT INTO "answers_fts" (rowid, "text") VALUES (new.rowid, new."text");
END;

CREATE TRIGGER "answers_ad" AFTER DELETE ON "answers" BEGIN
  INSERT INTO "answers_fts" ("answers_fts", rowid, "text") VALUES('delete', old.rowid, old."text");
END;

CREATE TRIGGER "answers_au" AFTER UPDATE ON "answers" BEGIN
  INSERT INTO "answers_fts" ("answers_fts", rowid, "text") VALUES('delete', old.rowid, old."text");
  INSERT INTO "answers_fts" (rowid, "text") VALUES (new.rowid, new."text");
END;

INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('rbp', 'm001_initial', '2026-01-05 09:00:00');
