"""The only module that speaks SQL.

It opens the journal (refusing files that are not rbp journals without writing a byte),
brings the schema up to date through migrations.py, and turns rows into models. Reads go
straight through the standard library's sqlite3 connection, which is what sqlite-utils wraps,
so a read command never pays for importing sqlite-utils. Every write starts with
BEGIN IMMEDIATE: a deferred BEGIN that reads before it writes fails at once with
SQLITE_BUSY_SNAPSHOT when another process writes, and the busy timeout cannot help it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rbp_journal import encryption, migrations, paths
from rbp_journal.encryption import Marker
from rbp_journal.errors import (
    JournalDamaged,
    JournalLocked,
    NewerJournal,
    NotAJournal,
    SearchSyntax,
    StorageFailed,
    is_database_error,
)
from rbp_journal.models import (
    Answer,
    ClientSeen,
    Counts,
    Excerpt,
    Followup,
    FollowupIn,
    FollowupStatus,
    Reflection,
    ReflectionFilter,
    ReflectionHeader,
    ReflectionRecord,
    ReflectionSummary,
    SearchHit,
    StandOut,
    Status,
    ThemeFigures,
)

if TYPE_CHECKING:  # the CPD models load only for CPD work, not on every start
    from rbp_journal.cpd import CpdInput, CpdRecord, Evidence, Peer
    from rbp_journal.privacy import Caseload

SQLITE_HEADER = b"SQLite format 3\x00"
# snippet() wraps each matched term in these; they cannot occur in typed text
MARK_START, MARK_END = "\x02", "\x03"
BUSY_TIMEOUT_MS = 10_000


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


PassphrasePrompt = Callable[
    [str], str
]  # asks for a passphrase; the argument is a note to show first


def open_store(
    path: Path, passphrase: PassphrasePrompt | None = None, secret: str | None = None
) -> Store:
    """Open (creating owner-only if absent) the journal at `path`, up to date.

    An encrypted journal is unlocked with `secret` when rbp itself knows it (a copy it just
    made), else as encryption.find_passphrase finds it, asking `passphrase` last.
    """
    fresh = not path.exists()
    key: Key | None = None
    if fresh:
        _create_private_file(path)
    else:
        header = _check_header(path)
        if header is None:
            key = _unlock(path, passphrase, secret)
    conn = _connect(path, key)
    try:
        applied = _applied_migrations(conn, path, fresh, key)
        unknown = [name for name in applied if name not in migrations.NAMES]
        if unknown:
            raise NewerJournal(path, unknown)
        store = Store(conn, path, key)
        pending = len(applied) < len(migrations.NAMES)
        if pending and applied:
            store.check_before_upgrade()  # before configure(), which may write the header
        store.configure()
        if pending:
            store.migrate(applied)
    except BaseException:
        conn.close()
        raise
    return store


def _create_private_file(path: Path) -> None:
    paths.make_private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    path.chmod(0o600)


class Key:
    """How an encrypted journal was unlocked: its marker and the passphrase that opened it."""

    def __init__(self, marker: Marker, secret: str) -> None:
        self.marker = marker
        self.secret = secret


def _check_header(path: Path) -> bytes | None:
    """The plain SQLite header, or None for a file with an encryption marker beside it."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError as error:
        raise StorageFailed(path, error.strerror or "it cannot be read") from None
    if header[: len(SQLITE_HEADER)] != SQLITE_HEADER:
        if header and encryption.marker_path(path).exists():
            return None
        raise NotAJournal(path, "is empty" if not header else "is not an SQLite database")
    if len(header) < 100 or size < _expected_size(header):
        raise JournalDamaged(path, "is shorter than its own header says: it was cut off")
    return header


def _unlock(path: Path, passphrase: PassphrasePrompt | None, secret: str | None) -> Key:
    marker = encryption.read_marker(path)
    assert marker is not None
    encryption.driver(path)  # say how to install it before asking for anything
    if secret is None:
        secret = encryption.find_passphrase(path, marker, passphrase)
    return Key(marker, secret)


def _connect(path: Path, key: Key | None) -> Any:
    if key is None:
        return sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    return encryption.connect(path, key.secret, timeout=BUSY_TIMEOUT_MS / 1000)


def _expected_size(header: bytes) -> int:
    """The file size the SQLite header promises, when its page count is trustworthy."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # the count is valid only when the change counter matches "version-valid-for"
    return pages * page_size if header[24:28] == header[92:96] else 0


def _applied_migrations(conn: Any, path: Path, fresh: bool, key: Key | None) -> list[str]:
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "_sqlite_migrations" not in tables:
            if tables and not fresh:
                raise NotAJournal(path, "is an SQLite database but not an rbp journal")
            return []
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
            [migrations.MIGRATION_SET],
        )
        return [row[0] for row in rows]
    except Exception as error:
        if not is_database_error(error):
            raise
        if key is not None and not key.marker.verifies(key.secret):
            raise encryption.WrongPassphrase(path) from None
        raise JournalDamaged(path, f"cannot be read ({error})") from None


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path, key: Key | None = None) -> None:
        self.conn = conn
        self.path = path
        self.key = key
        self._backed_up = False
        # sqlite3, or sqlcipher3's copy of it for an encrypted journal: its own Row and errors
        self.driver = sys.modules[type(conn).__module__]
        conn.row_factory = self.driver.Row

    def close(self) -> None:
        self.conn.close()

    def configure(self) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA synchronous = FULL")
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.conn.execute("PRAGMA journal_mode = WAL")

    def check_before_upgrade(self) -> None:
        """SQLite's full integrity check: a damaged journal is never migrated."""
        problems = [line for line in self.integrity_check() if line != "ok"]
        if problems:
            raise JournalDamaged(self.path, f"fails its integrity check ({problems[0]})")

    def migrate(self, applied: list[str]) -> None:
        """Apply pending migrations; an existing journal is copied to backups/ first."""
        self._backed_up = True  # the copy below (or an empty new journal) is today's backup
        if applied:
            stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
            step = next(name for name in migrations.NAMES if name not in applied)
            paths.make_private_dir(self.backup_folder)
            copy = f"{self.path.stem}-{stamp}-before-upgrade-to-{step}.db"
            self.backup(self.backup_folder / copy)
        with self.write():
            migrations.apply(self.conn)

    @contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction, taken with BEGIN IMMEDIATE (see the module docstring)."""
        self.daily_backup()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except self.driver.OperationalError as error:
            raise self._failure(error) from None
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException as error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(error, self.driver.OperationalError):
                raise self._failure(error) from None
            raise

    def _failure(self, error: Exception) -> Exception:
        """SQLite's write failures, as the sentence a person needs."""
        text = str(error).lower()
        if "locked" in text or "busy" in text:
            return JournalLocked(self.path)
        if "full" in text:
            return StorageFailed(self.path, "the disk is full")
        if "readonly" in text or "read-only" in text:
            return StorageFailed(self.path, "the journal or its folder is read-only")
        if "disk i/o" in text:
            return StorageFailed(self.path, "the disk refused the write (full, or a size limit)")
        return error

    def daily_backup(self, keep: int = 7) -> Path | None:
        """Before the first write of each day, copy the journal to backups/ (keeping `keep`)."""
        if self._backed_up or self.conn.in_transaction:
            return None
        self._backed_up = True
        target = self.backup_folder / f"{self.path.stem}-{dt.date.today().isoformat()}.db"
        has_data = self.conn.execute("SELECT 1 FROM reflections LIMIT 1").fetchone()
        if target.exists() or not has_data:
            return None
        paths.make_private_dir(self.backup_folder)
        self.backup(target)
        for old in self.backups()[keep:]:
            old.unlink()
            encryption.marker_path(old).unlink(missing_ok=True)
        return target

    @property
    def backup_folder(self) -> Path:
        return self.path.parent / "backups"

    def backups(self) -> list[Path]:
        """rbp's own copies of this journal in backups/, newest first."""
        folder = self.backup_folder
        if not folder.is_dir():
            return []
        return sorted(folder.glob(f"{self.path.stem}-*.db"), reverse=True)

    def backup(self, target: Path) -> None:
        """A consistent copy through SQLite's online backup API, owner-only; a copy of an
        encrypted journal is encrypted with the same passphrase, and has its marker."""
        if target.exists():
            target.unlink()
        _create_private_file(target)
        copy = _connect(target, self.key)
        try:
            self.conn.backup(copy)
        finally:
            copy.close()
        if self.key is not None:
            encryption.write_marker(target, self.key.marker)

    # --- schema facts -------------------------------------------------------------------

    def schema_version(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
            [migrations.MIGRATION_SET],
        )
        return [row[0] for row in rows]

    def integrity_check(self) -> list[str]:
        """SQLite's full check ("ok" when sound); for an encrypted journal, every page's HMAC too."""
        try:
            found = [row[0] for row in self.conn.execute("PRAGMA integrity_check")]
            if self.key is not None:  # lists the pages whose HMAC fails; nothing when all pass
                found += [row[0] for row in self.conn.execute("PRAGMA cipher_integrity_check")]
        except Exception as error:
            if not is_database_error(error):
                raise
            return [f"{error}"]
        return found

    def counts(self) -> dict[str, int]:
        row = self.conn.execute(
            """SELECT
                 (SELECT count(*) FROM reflections WHERE status = 'done') AS reflections,
                 (SELECT count(*) FROM reflections WHERE status = 'draft') AS drafts,
                 (SELECT count(*) FROM answers) AS answers,
                 (SELECT count(*) FROM followups WHERE status = 'open') AS open_followups,
                 (SELECT count(*) FROM tags) AS tags,
                 (SELECT count(DISTINCT client) FROM reflections) AS clients"""
        ).fetchone()
        return dict(row)

    # --- reflections: writes ------------------------------------------------------------

    def insert_reflection(self, header: ReflectionHeader, uid: str, status: Status) -> int:
        stamp = now()
        cursor = self.conn.execute(
            """INSERT INTO reflections (uid, session_date, created, updated, client, setting,
                                        set_id, set_version, status)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                uid,
                header.session_date.isoformat(),
                stamp,
                stamp,
                header.client,
                header.setting,
                header.set_id,
                header.set_version,
                status,
            ],
        )
        rid = int(cursor.lastrowid or 0)
        self.set_tags(rid, header.tags)
        return rid

    def set_status(self, rid: int, status: Status) -> None:
        self.conn.execute(
            "UPDATE reflections SET status = ?, updated = ? WHERE id = ?", [status, now(), rid]
        )

    def put_answer(self, rid: int, answer: Answer) -> None:
        """Insert or replace the answer to one prompt of a reflection."""
        self.conn.execute(
            """INSERT INTO answers (reflection_id, position, prompt_id, theme, kind, question,
                                    text, rating, label, polarity)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (reflection_id, prompt_id) DO UPDATE SET
                 position = excluded.position, theme = excluded.theme, kind = excluded.kind,
                 question = excluded.question, text = excluded.text, rating = excluded.rating,
                 label = excluded.label, polarity = excluded.polarity""",
            [
                rid,
                answer.position,
                answer.prompt_id,
                answer.theme,
                answer.kind,
                answer.question,
                answer.text,
                answer.rating,
                answer.label,
                answer.polarity,
            ],
        )

    def update_header(self, rid: int, header: ReflectionHeader) -> None:
        self.conn.execute(
            """UPDATE reflections SET session_date = ?, client = ?, setting = ?, updated = ?
               WHERE id = ?""",
            [header.session_date.isoformat(), header.client, header.setting, now(), rid],
        )
        self.set_tags(rid, header.tags)

    def delete_answers(self, rid: int, keep: Sequence[str]) -> None:
        """Remove the answers of a reflection whose prompt ids are not in `keep`."""
        marks = ", ".join("?" for _ in keep) or "NULL"
        self.conn.execute(
            f"DELETE FROM answers WHERE reflection_id = ? AND prompt_id NOT IN ({marks})",
            [rid, *keep],
        )

    def put_reflection(self, reflection: ReflectionRecord) -> int:
        """Insert or replace a whole reflection by uid, keeping its times (used by import).

        It keeps its id too when that id is free here, so "reflection 12" in old notes still
        means the same reflection after a move to a new journal."""
        existing = self.id_for_uid(reflection.uid)
        if existing is None and reflection.id is not None:
            taken = self.conn.execute("SELECT 1 FROM reflections WHERE id = ?", [reflection.id])
            existing_id = None if taken.fetchone() else reflection.id
        else:
            existing_id = existing
        if existing is not None:
            self.conn.execute("PRAGMA secure_delete = ON")
            for table in ("answers", "followups", "reflection_tags"):
                self.conn.execute(f"DELETE FROM {table} WHERE reflection_id = ?", [existing])
            self.conn.execute("DELETE FROM reflections WHERE id = ?", [existing])
        cursor = self.conn.execute(
            """INSERT INTO reflections (id, uid, session_date, created, updated, client, setting,
                                        set_id, set_version, status)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                existing_id,
                reflection.uid,
                reflection.session_date.isoformat(),
                reflection.created.isoformat(),
                reflection.updated.isoformat(),
                reflection.client,
                reflection.setting,
                reflection.set_id,
                reflection.set_version,
                reflection.status,
            ],
        )
        rid = int(cursor.lastrowid or 0)
        self.set_tags(rid, reflection.tags)
        for answer in reflection.answers:
            self.put_answer(rid, answer)
        for followup in reflection.followups:
            self.conn.execute(
                """INSERT INTO followups (reflection_id, text, due, status, created, closed, note)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [
                    rid,
                    followup.text,
                    followup.due.isoformat() if followup.due else None,
                    followup.status,
                    followup.created.isoformat(),
                    followup.closed.isoformat() if followup.closed else None,
                    followup.note,
                ],
            )
        return rid

    def set_tags(self, rid: int, tags: Sequence[str]) -> None:
        self.conn.execute("DELETE FROM reflection_tags WHERE reflection_id = ?", [rid])
        for tag in dict.fromkeys(tags):
            self.conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", [tag])
            self.conn.execute(
                """INSERT OR IGNORE INTO reflection_tags (reflection_id, tag_id)
                   SELECT ?, id FROM tags WHERE name = ?""",
                [rid, tag],
            )

    def add_followup(self, rid: int | None, followup: FollowupIn) -> int:
        cursor = self.conn.execute(
            "INSERT INTO followups (reflection_id, text, due, status, created, closed) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                rid,
                followup.text,
                followup.due.isoformat() if followup.due else None,
                followup.status,
                now(),
                None if followup.status == "open" else now(),
            ],
        )
        return int(cursor.lastrowid or 0)

    def set_followup_due(self, fid: int, due: dt.date | None) -> None:
        self.conn.execute(
            "UPDATE followups SET due = ? WHERE id = ?", [due.isoformat() if due else None, fid]
        )

    def set_answer_text(self, rid: int, prompt_id: str, text: str) -> None:
        self.conn.execute(
            "UPDATE answers SET text = ? WHERE reflection_id = ? AND prompt_id = ?",
            [text, rid, prompt_id],
        )

    def set_followup_text(self, fid: int, text: str) -> None:
        self.conn.execute("UPDATE followups SET text = ? WHERE id = ?", [text, fid])

    def clients(self) -> list[ClientSeen]:
        rows = self.conn.execute(
            """SELECT client, count(*) AS reflections, max(session_date) AS last_seen
               FROM reflections WHERE client IS NOT NULL AND status = 'done'
               GROUP BY client ORDER BY last_seen DESC, client"""
        )
        return [ClientSeen.model_validate(dict(row)) for row in rows]

    def distinct(self, kind: str) -> list[str]:
        """Client codes or tag names in use, for shell completion."""
        sql = {
            "clients": "SELECT DISTINCT client FROM reflections WHERE client IS NOT NULL",
            "tags": "SELECT name FROM tags",
        }[kind]
        return sorted(row[0] for row in self.conn.execute(sql))

    def close_followup(self, fid: int, status: FollowupStatus, note: str | None) -> bool:
        cursor = self.conn.execute(
            "UPDATE followups SET status = ?, closed = ?, note = coalesce(?, note) WHERE id = ?",
            [status, None if status == "open" else now(), note, fid],
        )
        return cursor.rowcount > 0

    def delete_reflection(self, rid: int) -> bool:
        # secure_delete overwrites freed pages, so removed words do not linger in the file
        self.conn.execute("PRAGMA secure_delete = ON")
        for table in ("answers", "reflection_tags", "followups"):
            self.conn.execute(f"DELETE FROM {table} WHERE reflection_id = ?", [rid])
        cursor = self.conn.execute("DELETE FROM reflections WHERE id = ?", [rid])
        self.conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM reflection_tags)")
        return cursor.rowcount > 0

    # --- reflections: reads -------------------------------------------------------------

    def reflection(self, rid: int) -> Reflection | None:
        row = self.conn.execute(
            f"SELECT r.*, {_TAGS_OF_R} AS tags FROM reflections r WHERE r.id = ?", [rid]
        ).fetchone()
        if row is None:
            return None
        answers = self.conn.execute(
            """SELECT position, prompt_id, theme, kind, question, text, rating, label, polarity
               FROM answers WHERE reflection_id = ? ORDER BY position""",
            [rid],
        )
        data = dict(row)
        data["tags"] = _tags(data["tags"])
        data["answers"] = [Answer.model_validate(dict(a)) for a in answers]
        data["followups"] = self.followups(reflection_id=rid, include_closed=True)
        return Reflection.model_validate(data)

    def reflections(self, query: ReflectionFilter) -> list[ReflectionSummary]:
        where, params = _where(query)
        rows = self.conn.execute(
            f"""SELECT r.id, r.session_date, r.client, r.setting, r.set_id, r.status,
                       {_TAGS_OF_R} AS tags,
                       (SELECT substr(a.text, 1, 200) FROM answers a
                         WHERE a.reflection_id = r.id AND a.text IS NOT NULL
                         ORDER BY a.position LIMIT 1) AS excerpt
                FROM reflections r WHERE {where}
                ORDER BY r.session_date DESC, r.id DESC LIMIT ?""",
            [*params, query.limit if query.limit is not None else -1],
        )
        return [
            ReflectionSummary.model_validate({**row, "tags": _tags(row["tags"])}) for row in rows
        ]

    def iter_reflections(self, query: ReflectionFilter, batch: int = 500) -> Iterator[Reflection]:
        """Every matching reflection in full, oldest first, read a batch at a time."""
        for data in self._iter_full(query, batch):
            yield Reflection.model_validate(data)

    def iter_records(self, query: ReflectionFilter, batch: int = 500) -> Iterator[ReflectionRecord]:
        """Every matching reflection as exported, oldest first, read a batch at a time."""
        for data in self._iter_full(query, batch):
            data["followups"] = [
                {key: f[key] for key in ("text", "due", "status", "created", "closed", "note")}
                for f in data["followups"]
            ]
            yield ReflectionRecord.model_validate(data)

    def _iter_full(self, query: ReflectionFilter, batch: int) -> Iterator[dict[str, Any]]:
        where, params = _where(query)
        ids = self.conn.execute(
            f"SELECT r.id FROM reflections r WHERE {where} ORDER BY r.session_date, r.id", params
        )
        while chunk := [row[0] for row in ids.fetchmany(batch)]:
            yield from self._full_by_id(chunk)

    def _full_by_id(self, ids: list[int]) -> list[dict[str, Any]]:
        """Reflections with their tags, answers and follow-ups, as plain rows, in `ids` order."""
        marks = ", ".join("?" for _ in ids)
        rows = self.conn.execute(
            f"""SELECT r.id, r.uid, r.session_date, r.created, r.updated, r.client, r.setting,
                       r.set_id, r.set_version, r.status, {_TAGS_OF_R} AS tags
                FROM reflections r WHERE r.id IN ({marks})""",
            ids,
        ).fetchall()
        # plain rows: one validation per reflection (nested, in pydantic's core) is several
        # times faster than one per answer, which an export of 100,000 feels
        answers: dict[int, list[dict[str, Any]]] = {rid: [] for rid in ids}
        for row in self.conn.execute(
            f"""SELECT reflection_id, position, prompt_id, theme, kind, question, text, rating,
                       label, polarity
                FROM answers WHERE reflection_id IN ({marks}) ORDER BY reflection_id, position""",
            ids,
        ):
            answers[row[0]].append(dict(row))
        followups: dict[int, list[dict[str, Any]]] = {rid: [] for rid in ids}
        for row in self.conn.execute(
            f"""SELECT f.*, r.client, r.session_date FROM followups f
                JOIN reflections r ON r.id = f.reflection_id
                WHERE f.reflection_id IN ({marks}) ORDER BY f.id""",
            ids,
        ):
            followups[row["reflection_id"]].append(dict(row))
        by_id = {
            row["id"]: {
                **dict(row),
                "tags": _tags(row["tags"]),
                "answers": answers[row["id"]],
                "followups": followups[row["id"]],
            }
            for row in rows
        }
        return [by_id[rid] for rid in ids if rid in by_id]

    def id_for_uid(self, uid: str) -> int | None:
        row = self.conn.execute("SELECT id FROM reflections WHERE uid = ?", [uid]).fetchone()
        return None if row is None else int(row[0])

    def search(self, match: str, query: ReflectionFilter) -> list[SearchHit]:
        """Answers matching an FTS5 expression, best first (bm25), with marked snippets."""
        where, params = _where(query)
        try:
            rows = self._search(match, where, params, query.limit)
        except self.driver.OperationalError as error:
            # the schema is known, so a failing MATCH is the query's own syntax
            if "locked" in str(error) or "busy" in str(error):
                raise
            raise SearchSyntax(str(error)) from None
        return [SearchHit.model_validate(dict(row)) for row in rows]

    def _search(
        self, match: str, where: str, params: list[Any], limit: int | None
    ) -> list[sqlite3.Row]:
        if limit is None:
            return self.conn.execute(
                f"""SELECT r.id AS reflection_id, r.session_date, r.client, a.question,
                           a.prompt_id, snippet(answers_fts, 0, ?, ?, '…', 16) AS snippet,
                           bm25(answers_fts) AS rank
                    FROM answers_fts
                    JOIN answers a ON a.id = answers_fts.rowid
                    JOIN reflections r ON r.id = a.reflection_id
                    WHERE answers_fts MATCH ? AND {where}
                    ORDER BY rank""",
                [MARK_START, MARK_END, match, *params],
            ).fetchall()
        # Rank every match, but make snippets only for the best `limit` (CROSS JOIN keeps
        # `best` the outer loop): for a word in 80,000 answers, snippets were most of the time.
        return self.conn.execute(
            f"""WITH best AS (
                    SELECT a.id, bm25(answers_fts) AS rank
                    FROM answers_fts
                    JOIN answers a ON a.id = answers_fts.rowid
                    JOIN reflections r ON r.id = a.reflection_id
                    WHERE answers_fts MATCH ? AND {where}
                    ORDER BY rank LIMIT ?)
                SELECT r.id AS reflection_id, r.session_date, r.client, a.question, a.prompt_id,
                       snippet(answers_fts, 0, ?, ?, '…', 16) AS snippet, best.rank
                FROM best
                CROSS JOIN answers_fts ON answers_fts.rowid = best.id
                JOIN answers a ON a.id = best.id
                JOIN reflections r ON r.id = a.reflection_id
                WHERE answers_fts MATCH ?
                ORDER BY best.rank""",
            [match, *params, limit, MARK_START, MARK_END, match],
        ).fetchall()

    def latest_reflection_id(self, client: str) -> int | None:
        row = self.conn.execute(
            """SELECT id FROM reflections WHERE client = ? AND status = 'done'
               ORDER BY session_date DESC, id DESC LIMIT 1""",
            [client],
        ).fetchone()
        return None if row is None else int(row[0])

    def aggregates(self, client: str | None = None) -> Aggregates:
        return Aggregates(self.conn, client)

    # --- follow-ups ---------------------------------------------------------------------

    def followups(
        self,
        *,
        reflection_id: int | None = None,
        client: str | None = None,
        include_closed: bool = False,
    ) -> list[Followup]:
        clauses: list[str] = []
        params: list[Any] = []
        if reflection_id is not None:
            clauses.append("f.reflection_id = ?")
            params.append(reflection_id)
        else:
            clauses.append("(r.id IS NULL OR r.status = 'done')")
        if client is not None:
            clauses.append("r.client = ?")
            params.append(client)
        if not include_closed:
            clauses.append("f.status = 'open'")
        where = " AND ".join(clauses) or "1"
        # one reflection's promises in the order made; a to-do list overdue first
        order = (
            "f.id"
            if reflection_id is not None
            else "f.status != 'open', f.due IS NULL, f.due, f.id"
        )
        rows = self.conn.execute(
            f"""SELECT f.*, r.client, r.session_date FROM followups f
                LEFT JOIN reflections r ON r.id = f.reflection_id
                WHERE {where} ORDER BY {order}""",
            params,
        )
        return [Followup.model_validate(dict(row)) for row in rows]

    def followup(self, fid: int) -> Followup | None:
        row = self.conn.execute(
            """SELECT f.*, r.client, r.session_date FROM followups f
               LEFT JOIN reflections r ON r.id = f.reflection_id WHERE f.id = ?""",
            [fid],
        ).fetchone()
        return None if row is None else Followup.model_validate(dict(row))

    # --- CPD ----------------------------------------------------------------------------

    def insert_cpd(self, record: CpdInput, uid: str, sources: Sequence[Reflection]) -> int:
        stamp = now()
        peer = record.peer
        cursor = self.conn.execute(
            """INSERT INTO cpd_records (uid, created, updated, activity_type, title, happened_on,
                   learnt, impact_practice, impact_people, peer_role, peer_date, peer_outcome,
                   peer_name)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [uid, stamp, stamp, record.type, record.title, record.date.isoformat(),
             record.learnt, record.impact_practice, record.impact_people,
             peer.role if peer else None, peer.date.isoformat() if peer else None,
             peer.outcome if peer else None, peer.name if peer else None],
        )  # fmt: skip
        cid = int(cursor.lastrowid or 0)
        claims = [("swe-cpd", s) for s in record.standards] + [("pcf", d) for d in record.domains]
        self.conn.executemany(
            "INSERT INTO cpd_claims (record_id, framework, item) VALUES (?, ?, ?)",
            [(cid, frame, item) for frame, item in claims],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO cpd_sources (record_id, reflection_uid, session_date) VALUES (?, ?, ?)",
            [(cid, r.uid, r.session_date.isoformat()) for r in sources],
        )
        return cid

    def set_cpd_peer(self, cid: int, peer: Peer) -> bool:
        cursor = self.conn.execute(
            """UPDATE cpd_records SET peer_role = ?, peer_date = ?, peer_outcome = ?,
                   peer_name = ?, updated = ? WHERE id = ?""",
            [peer.role, peer.date.isoformat(), peer.outcome, peer.name, now(), cid],
        )
        return cursor.rowcount > 0

    def cpd_records(
        self, start: dt.date | None = None, end: dt.date | None = None, cid: int | None = None
    ) -> list[CpdRecord]:
        clauses: list[str] = ["1"]
        params: list[Any] = []
        if start is not None:
            clauses.append("c.happened_on >= ?")
            params.append(start.isoformat())
        if end is not None:
            clauses.append("c.happened_on <= ?")
            params.append(end.isoformat())
        if cid is not None:
            clauses.append("c.id = ?")
            params.append(cid)
        rows = self.conn.execute(
            f"""SELECT c.*,
                   (SELECT json_group_array(item) FROM cpd_claims
                     WHERE record_id = c.id AND framework = 'swe-cpd') AS standards,
                   (SELECT json_group_array(item) FROM cpd_claims
                     WHERE record_id = c.id AND framework = 'pcf') AS domains,
                   (SELECT json_group_array(json_object('reflection_uid', s.reflection_uid,
                           'session_date', s.session_date, 'reflection_id', r.id))
                      FROM cpd_sources s LEFT JOIN reflections r ON r.uid = s.reflection_uid
                     WHERE s.record_id = c.id) AS sources
                FROM cpd_records c WHERE {" AND ".join(clauses)}
                ORDER BY c.happened_on, c.id""",
            params,
        ).fetchall()
        return [_cpd_record(row) for row in rows]

    def year_evidence(self, start: dt.date, end: dt.date) -> list[Evidence]:
        """Each finished reflection of the period with the themes it answered."""
        from rbp_journal import cpd

        rows = self.conn.execute(
            """SELECT r.id, r.session_date, r.client, r.setting,
                      json_group_array(DISTINCT a.theme) AS themes
               FROM reflections r JOIN answers a ON a.reflection_id = r.id
               WHERE r.status = 'done' AND r.session_date BETWEEN ? AND ?
                 AND (a.rating IS NOT NULL OR (a.text IS NOT NULL AND a.text != ''))
               GROUP BY r.id""",
            [start.isoformat(), end.isoformat()],
        ).fetchall()
        return [
            cpd.Evidence(row[0], dt.date.fromisoformat(row[1]), row[2], row[3],
                     frozenset(json.loads(row[4])))
            for row in rows
        ]  # fmt: skip

    def text_words(
        self, start: dt.date, end: dt.date, client: str | None = None
    ) -> dict[int, tuple[str, dict[str, int]]]:
        """For each finished reflection of the period: its set, and the words written to each
        text prompt (counted in SQL: the spaces between words, plus one)."""
        where = "r.status = 'done' AND r.session_date BETWEEN ? AND ?"
        params: list[Any] = [start.isoformat(), end.isoformat()]
        if client is not None:
            where += " AND r.client = ?"
            params.append(client)
        found: dict[int, tuple[str, dict[str, int]]] = {}
        for rid, set_id, prompt_id, words in self.conn.execute(
            f"""SELECT r.id, r.set_id, a.prompt_id,
                       length(trim(a.text)) - length(replace(trim(a.text), ' ', '')) + 1
                FROM reflections r
                LEFT JOIN answers a ON a.reflection_id = r.id
                     AND a.kind = 'text' AND a.text IS NOT NULL AND trim(a.text) != ''
                WHERE {where}""",
            params,
        ):
            entry = found.setdefault(rid, (set_id, {}))
            if prompt_id is not None:
                entry[1][prompt_id] = int(words)
        return found

    def purge_before(self, day: dt.date, keep_cpd: bool) -> tuple[int, int]:
        """Delete finished reflections before `day` (and, unless `keep_cpd`, the CPD records
        built only from them); returns (reflections, records) deleted. Run inside write()."""
        self.conn.execute("PRAGMA secure_delete = ON")
        old = "SELECT id FROM reflections WHERE status = 'done' AND session_date < ?"
        records = 0
        if not keep_cpd:
            doomed = [row[0] for row in self.conn.execute(
                """SELECT record_id FROM cpd_sources GROUP BY record_id
                   HAVING max(session_date) < ?""", [day.isoformat()])]  # fmt: skip
            for table, column in (("cpd_claims", "record_id"), ("cpd_sources", "record_id"),
                                  ("cpd_records", "id")):  # fmt: skip
                self.conn.executemany(
                    f"DELETE FROM {table} WHERE {column} = ?", [(c,) for c in doomed]
                )
            records = len(doomed)
        for table in ("answers", "reflection_tags", "followups"):
            self.conn.execute(
                f"DELETE FROM {table} WHERE reflection_id IN ({old})", [day.isoformat()]
            )
        cursor = self.conn.execute(
            f"DELETE FROM reflections WHERE id IN ({old})", [day.isoformat()]
        )
        self.conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM reflection_tags)")
        return cursor.rowcount, records

    def compact(self) -> None:
        """After a purge: merge the search index (dropping what it held of deleted answers),
        rebuild the file without free pages, and fold the WAL back in."""
        self.conn.execute("INSERT INTO answers_fts (answers_fts) VALUES ('optimize')")
        self.conn.execute("VACUUM")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def count_before(self, day: dt.date) -> int:
        row = self.conn.execute(
            "SELECT count(*) FROM reflections WHERE status = 'done' AND session_date < ?",
            [day.isoformat()],
        ).fetchone()
        return int(row[0])

    # --- caseload (issue 18): keyed name digests for the privacy guard, see m003 -----------

    def caseload(self) -> Caseload:
        """The journal's secret and the digests it holds (never the names: it has none)."""
        from rbp_journal.privacy import Caseload  # the privacy package costs ~60 ms to import

        row = self.conn.execute("SELECT secret FROM caseload_key WHERE id = 1").fetchone()
        digests = frozenset(r[0] for r in self.conn.execute("SELECT digest FROM caseload"))
        return Caseload(bytes(row[0]), digests)

    def add_caseload(self, digests: Iterable[str]) -> int:
        """Add digests not held yet; returns how many were new."""
        before = self.caseload_size()
        self.conn.executemany(
            "INSERT OR IGNORE INTO caseload (digest) VALUES (?)", [[d] for d in digests]
        )
        return self.caseload_size() - before

    def remove_caseload(self, digests: Iterable[str]) -> int:
        """Forget digests; returns how many were held."""
        before = self.caseload_size()
        self.conn.executemany("DELETE FROM caseload WHERE digest = ?", [[d] for d in digests])
        return before - self.caseload_size()

    def caseload_size(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM caseload").fetchone()[0])

    def forget_unused_tags(self) -> None:
        """Delete tags no reflection uses: a masked tag must not linger under its old name."""
        self.conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM reflection_tags)")


class Aggregates:
    """Figures for `rbp review` and `rbp trends`, each family one query, summed in SQL."""

    def __init__(self, conn: sqlite3.Connection, client: str | None) -> None:
        self.conn = conn
        self.client = client

    def _scope(self, start: dt.date, end: dt.date) -> tuple[str, list[Any]]:
        where = "r.status = 'done' AND r.session_date BETWEEN ? AND ?"
        params: list[Any] = [start.isoformat(), end.isoformat()]
        if self.client is not None:
            where += " AND r.client = ?"
            params.append(self.client)
        return where, params

    def counts(self, start: dt.date, end: dt.date) -> Counts:
        where, params = self._scope(start, end)
        rows = self.conn.execute(
            f"""SELECT coalesce(r.setting, 'unspecified') AS setting, count(*) AS n,
                       count(DISTINCT r.client) AS clients
                FROM reflections r WHERE {where} GROUP BY 1 ORDER BY n DESC, setting""",
            params,
        ).fetchall()
        total = self.conn.execute(
            f"SELECT count(*), count(DISTINCT r.client) FROM reflections r WHERE {where}", params
        ).fetchone()
        return Counts(
            reflections=total[0],
            clients=total[1],
            settings={row["setting"]: row["n"] for row in rows},
        )

    def theme_means(self, start: dt.date, end: dt.date) -> dict[str, ThemeFigures]:
        where, params = self._scope(start, end)
        rows = self.conn.execute(
            f"""SELECT a.theme, avg(a.rating) AS mean, count(*) AS ratings,
                       count(DISTINCT a.reflection_id) AS sessions,
                       max(coalesce(a.polarity, 'better')) AS polarity
                FROM reflections r JOIN answers a ON a.reflection_id = r.id
                WHERE {where} AND a.rating IS NOT NULL GROUP BY a.theme""",
            params,
        )
        return {row["theme"]: ThemeFigures.model_validate(dict(row)) for row in rows}

    def weekly_means(
        self, end: dt.date, weeks: int, theme: str | None = None
    ) -> list[tuple[str, int, float, int]]:
        """(theme, weeks back from `end`, mean, ratings) for 7-day buckets ending at `end`."""
        start = end - dt.timedelta(days=7 * weeks - 1)
        where, params = self._scope(start, end)
        if theme is not None:
            where += " AND a.theme = ?"
            params.append(theme)
        rows = self.conn.execute(
            f"""SELECT a.theme,
                       CAST((julianday(?) - julianday(r.session_date)) / 7 AS INTEGER) AS back,
                       avg(a.rating) AS mean, count(*) AS ratings
                FROM reflections r JOIN answers a ON a.reflection_id = r.id
                WHERE {where} AND a.rating IS NOT NULL GROUP BY 1, 2""",
            [end.isoformat(), *params],
        )
        return [(row[0], int(row[1]), float(row[2]), int(row[3])) for row in rows]

    def stand_out(self, start: dt.date, end: dt.date, limit: int = 3) -> list[StandOut]:
        where, params = self._scope(start, end)
        heaviest = self.conn.execute(
            f"""SELECT r.id AS reflection_id, r.session_date, r.client, max(a.rating) AS value
                FROM reflections r JOIN answers a ON a.reflection_id = r.id
                WHERE {where} AND a.polarity = 'heavier' AND a.rating >= 4
                GROUP BY r.id ORDER BY value DESC, r.session_date DESC LIMIT ?""",
            [*params, limit],
        ).fetchall()
        lowest = self.conn.execute(
            f"""SELECT r.id AS reflection_id, r.session_date, r.client, avg(a.rating) AS value
                FROM reflections r JOIN answers a ON a.reflection_id = r.id
                WHERE {where} AND a.polarity = 'better'
                GROUP BY r.id HAVING value <= 3
                ORDER BY value, r.session_date DESC LIMIT ?""",
            [*params, limit],
        ).fetchall()
        return [
            *(
                StandOut(**row, why=f"Emotional load {row['value']}/5")
                for row in map(dict, heaviest)
            ),
            *(
                StandOut(**row, why=f"Ratings averaged {row['value']:.1f}")
                for row in map(dict, lowest)
            ),
        ]

    def excerpts(
        self, start: dt.date, end: dt.date, prompt_ids: Sequence[str], limit: int = 5
    ) -> list[Excerpt]:
        where, params = self._scope(start, end)
        marks = ", ".join("?" for _ in prompt_ids)
        rows = self.conn.execute(
            f"""SELECT r.id AS reflection_id, r.session_date, r.client, a.text
                FROM reflections r JOIN answers a ON a.reflection_id = r.id
                WHERE {where} AND a.prompt_id IN ({marks}) AND a.text IS NOT NULL
                ORDER BY r.session_date DESC, r.id DESC LIMIT ?""",
            [*params, *prompt_ids, limit],
        )
        return [Excerpt.model_validate(dict(row)) for row in rows]


_TAGS_OF_R = """(SELECT json_group_array(t.name) FROM reflection_tags rt
                 JOIN tags t ON t.id = rt.tag_id WHERE rt.reflection_id = r.id)"""


def _tags(raw: str | None) -> list[str]:
    return sorted(json.loads(raw)) if raw else []


def _cpd_record(row: Any) -> CpdRecord:
    from rbp_journal.cpd import CpdRecord, Peer, Source

    data = dict(row)
    peer = None
    if data["peer_role"]:
        peer = Peer(role=data["peer_role"], date=data["peer_date"], outcome=data["peer_outcome"],
                    name=data["peer_name"])  # fmt: skip
    return CpdRecord(
        id=data["id"], uid=data["uid"], created=data["created"], updated=data["updated"],
        type=data["activity_type"], title=data["title"], date=data["happened_on"],
        learnt=data["learnt"], impact_practice=data["impact_practice"],
        impact_people=data["impact_people"], standards=json.loads(data["standards"]),
        domains=json.loads(data["domains"]),
        sources=[Source.model_validate(s) for s in json.loads(data["sources"])], peer=peer,
    )  # fmt: skip


def _where(query: ReflectionFilter) -> tuple[str, list[Any]]:
    clauses = ["r.status = 'draft'" if query.drafts else "r.status = 'done'"]
    params: list[Any] = []
    if query.since is not None:
        clauses.append("r.session_date >= ?")
        params.append(query.since.isoformat())
    if query.until is not None:
        clauses.append("r.session_date <= ?")
        params.append(query.until.isoformat())
    if query.client is not None:
        clauses.append("r.client = ?")
        params.append(query.client)
    if query.set_id is not None:
        clauses.append("r.set_id = ?")
        params.append(query.set_id)
    if query.tag is not None:
        clauses.append(
            """EXISTS (SELECT 1 FROM reflection_tags rt JOIN tags t ON t.id = rt.tag_id
                       WHERE rt.reflection_id = r.id AND t.name = ?)"""
        )
        params.append(query.tag)
    return " AND ".join(clauses), params


# --- encryption at rest -----------------------------------------------------------------

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
        _create_private_file(target)
        conn.execute(
            f"ATTACH DATABASE ? AS converted KEY {encryption.quote(target_secret or '')}",
            [str(target)],
        )
        conn.execute("SELECT sqlcipher_export('converted')")
        conn.execute("DETACH DATABASE converted")
    finally:
        conn.close()


def table_counts(store: Store) -> dict[str, int]:
    return {
        table: int(store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        for table in JOURNAL_TABLES
    }


def rekey(store: Store, secret: str) -> None:
    """Change an encrypted journal's passphrase in place (SQLCipher re-encrypts every page)."""
    store.conn.execute(f"PRAGMA rekey = {encryption.quote(secret)}")


def replace_shredding(new: Path, old: Path) -> None:
    """Rename `new` over `old`, then overwrite the replaced file's bytes with zeros.

    The old file is held open across the rename, so its blocks can still be overwritten
    after its name is gone. (On SSDs and copy-on-write file systems the drive may keep old
    blocks elsewhere; full-disk encryption is the answer there.)
    """
    fd = os.open(old, os.O_WRONLY)
    try:
        os.replace(new, old)
        _zero(fd)
    finally:
        os.close(fd)
    for side in ("-wal", "-shm"):  # gone when the last connection closed; shred any left
        leftover = old.with_name(old.name + side)
        if leftover.exists():
            shred(leftover)


def shred(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        _zero(fd)
    finally:
        os.close(fd)
    path.unlink()


def _zero(fd: int) -> None:
    size = os.fstat(fd).st_size
    os.lseek(fd, 0, os.SEEK_SET)
    block = b"\0" * 65536
    for start in range(0, size, len(block)):
        os.write(fd, block[: min(len(block), size - start)])
    os.fsync(fd)
