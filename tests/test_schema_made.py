"""A new journal is made from store.schema, the migrations' result, not through sqlite-utils:
proved the same as running every migration (sqlite_master and every row, but the caseload's
random secret and the times), and current (a migration added without writing the file again
fails here, and falls back to sqlite-utils meanwhile)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rbp_journal.journal import open_journal
from rbp_journal.models.reflection import ReflectionFilter
from rbp_journal.store import migrations, schema

from conftest import add_reflection


def made(path: Path, snapshot: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    migrations.apply(conn, snapshot=snapshot)
    conn.execute("COMMIT")
    return conn


def contents(conn: sqlite3.Connection) -> dict[str, Any]:
    """Everything in the file but the secret and the times (checked for their shape)."""
    master = sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    tables = [row[1] for row in master if row[0] == "table" and "VIRTUAL" not in (row[3] or "")]
    rows = {t: sorted(conn.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}
    ((key_id, secret),) = rows.pop("caseload_key")
    assert key_id == 1 and isinstance(secret, bytes) and len(secret) == 32
    applied = rows.pop("_sqlite_migrations")
    for _, _, _, when in applied:
        assert dt.datetime.fromisoformat(when).tzinfo is not None
    return {
        "master": master,
        "rows": rows,
        "applied": [(rid, group, name) for rid, group, name, _ in applied],
        "pragmas": [conn.execute(f"PRAGMA {p}").fetchone() for p in ("user_version",)],
    }


def test_the_schema_file_is_the_migrations_result(tmp_path: Path) -> None:
    assert schema.NAMES == migrations.NAMES, "run: python -m rbp_journal.store.schema"
    by_migrations = made(tmp_path / "migrated.db", snapshot=False)
    by_schema = made(tmp_path / "made.db", snapshot=True)
    assert contents(by_schema) == contents(by_migrations)
    assert schema.statements(by_schema) == list(schema.STATEMENTS)
    query = "SELECT secret FROM caseload_key"
    assert by_schema.execute(query).fetchone() != by_migrations.execute(query).fetchone()


def test_a_new_migration_falls_back_to_sqlite_utils(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema, "NAMES", schema.NAMES[:-1])
    by_migrations = made(tmp_path / "migrated.db", snapshot=False)
    fallen_back = made(tmp_path / "made.db", snapshot=True)
    assert contents(fallen_back) == contents(by_migrations)


def test_a_journal_made_from_the_schema_works_and_migrates_on(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    journal = open_journal(path)
    try:
        add_reflection(journal, {"what_happened": "We met by the canal."})
        assert journal.store.connection.schema_version() == list(migrations.NAMES)
        assert journal.upkeep.health().integrity == ["ok"]
        assert len(journal.reading.search("canal", ReflectionFilter())) == 1
    finally:
        journal.close()


def test_a_new_journal_does_not_import_sqlite_utils(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from rbp_journal.journal import open_journal;"
        f"open_journal(Path({str(tmp_path / 'new.db')!r})).close();"
        "print('sqlite_utils' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
