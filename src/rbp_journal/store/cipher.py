"""Encryption at rest, at the file level: converting a journal to and from SQLCipher, and
changing the key in place."""

from __future__ import annotations

from pathlib import Path

from rbp_journal import encryption
from rbp_journal.store.connection import Connection
from rbp_journal.store.search_index import refill
from rbp_journal.store.sqlite import create_private_file

JOURNAL_TABLES = ("reflections", "answers", "tags", "reflection_tags", "followups")


def convert(
    source: Path, target: Path, source_secret: str | None, target_secret: str | None
) -> None:
    """Copy the journal at `source` into a new file `target` through SQLCipher's
    sqlcipher_export: encrypting (a target secret), decrypting (a source secret) or both."""
    driver = encryption.driver(source)
    conn = driver.connect(source, isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if source_secret is not None:
            conn.execute(f"PRAGMA key = {encryption.quote(source_secret)}")
        create_private_file(target)
        conn.execute(
            f"ATTACH DATABASE ? AS converted KEY {encryption.quote(target_secret or '')}",
            [str(target)],
        )
        conn.execute("SELECT sqlcipher_export('converted')")
        conn.execute("DETACH DATABASE converted")
    finally:
        conn.close()


def table_counts(connection: Connection) -> dict[str, int]:
    return {
        table: int(connection.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        for table in JOURNAL_TABLES
    }


def rekey(connection: Connection, secret: str) -> None:
    """Change an encrypted journal's passphrase in place (SQLCipher re-encrypts every page)."""
    connection.conn.execute(f"PRAGMA rekey = {encryption.quote(secret)}")


def checkpoint(connection: Connection) -> None:
    """Fold the WAL back into the file, before the file is copied or replaced whole."""
    connection.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def plain_index(path: Path) -> None:
    """A decrypted copy's search index in the format every SQLite reads: an index written with
    FTS5's `secure-delete` (format 5) cannot be read by SQLite before 3.42 (Python's own here),
    so the option is turned off and the index rebuilt (format 4), by SQLCipher's SQLite."""
    conn = encryption.driver(path).connect(path, isolation_level=None)
    try:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE "
            "'CREATE VIRTUAL TABLE%USING FTS5%'")]  # fmt: skip
        conn.execute("BEGIN IMMEDIATE")
        for table in tables:
            row = conn.execute(f"SELECT v FROM {table}_config WHERE k = 'version'").fetchone()
            if row is not None and int(row[0]) > 4:
                conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('secure-delete', 0)")
                refill(conn, table)  # not 'rebuild': it would index answers without text
        conn.execute("COMMIT")
    finally:
        conn.close()
