"""Nothing lost: crashes, concurrent writers, full disks, damaged files, backups, limits.

These use real processes; the slow ones run under RBP_RUN_SLOW=1 (as .ci/run does).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pty
import random
import resource
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rbp_journal.errors import JournalDamaged, StorageFailed
from rbp_journal.journal import Journal, open_journal
from rbp_journal.models import views
from rbp_journal.models.exported import record_data
from rbp_journal.models.reflection import AnswersPayload, ReflectionFilter
from rbp_journal.store import migrations, swaps
from rbp_journal.text import clean

from conftest import CORE_ANSWERS, installed_rbp
from faults import FULL


def export_done(db: Path) -> str:
    """Every finished reflection as exported (read in-process: the rounds below kill a real
    rbp; reading back needs no second process)."""
    journal = open_journal(db)
    try:
        records = [record_data(r) for r in journal.reading.export(ReflectionFilter())]
        return json.dumps({"reflections": records})
    finally:
        journal.close()


def list_drafts(db: Path) -> list[dict[str, Any]]:
    journal = open_journal(db)
    try:
        return [views.data(d) for d in journal.recording.drafts()]
    finally:
        journal.close()


def shown(db: Path, rid: int) -> dict[str, Any]:
    journal = open_journal(db)
    try:
        return journal.reading.reflection(rid).model_dump(mode="json")
    finally:
        journal.close()


def integrity(db: Path) -> list[str]:

    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


class Terminal:
    """`rbp reflect` in a pseudo-terminal, as a person would run it."""

    def __init__(self, db: Path) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child becomes rbp
            command = installed_rbp()
            os.execvpe(command[0], [*command, "--db", str(db), "reflect"], os.environ)
        self.seen = b""

    def wait_for(self, marker: bytes, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while marker not in self.seen:
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {marker!r}: {self.seen[-300:]!r}")
            if select.select([self.fd], [], [], 0.2)[0]:
                self.seen += os.read(self.fd, 4096)

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


CORE_RATINGS = {1, 2, 3, 4, 5, 7, 9}  # positions (0-based) of the required ratings in core


@pytest.mark.slow
def test_sigkill_at_random_points_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    rng = random.Random(20261122)
    rounds, recovered = 30 if FULL else 10, 0
    for round_number in range(rounds):
        # a committed reflection before each round: it must survive every later kill
        committed = open_journal(db)
        committed.recording.record(AnswersPayload.model_validate(CORE_ANSWERS))
        committed.close()
        before = export_done(db)
        known_drafts = {d["id"] for d in list_drafts(db)}
        terminal = Terminal(db)
        confirmed: list[str] = []
        answers_to_give = rng.randint(0, 6)
        for position in range(answers_to_give):
            terminal.wait_for(f"{position + 1} of 12".encode())
            if position in CORE_RATINGS:
                terminal.type(f"{rng.randint(1, 5)}\r")
                confirmed.append("rating")
            else:
                text = f"round {round_number} answer {position}"
                terminal.type(f"{text}\r\r")
                confirmed.append(text)
        if answers_to_give:
            terminal.wait_for(f"{answers_to_give + 1} of 12".encode())
        terminal.type("half an answer being typ")  # the kill lands mid-sentence
        time.sleep(rng.random() * 0.05)
        terminal.kill()
        assert integrity(db) == ["ok"]
        assert export_done(db) == before
        new_drafts = [d for d in list_drafts(db) if d["id"] not in known_drafts]
        if not new_drafts:  # killed before the draft was begun: only possible with nothing given
            assert not confirmed
            continue
        (draft,) = new_drafts
        answers = shown(db, draft["id"])["answers"]
        stored = [a["text"] if a["text"] is not None else "rating" for a in answers]
        assert stored == confirmed
        recovered += len(confirmed)
    print(
        f"\ncrash rounds: {rounds}, reflections lost: 0, answers recovered from drafts: {recovered}"
    )


WRITER = """
import sys
from rbp_journal.journal import open_journal
from rbp_journal.models.reflection import AnswersPayload
import hashlib
import json
payload = AnswersPayload.model_validate(json.loads(sys.argv[2]))
for _ in range(50):
    journal = open_journal(sys.argv[1])
    journal.recording.record(payload)
    journal.close()
"""


@pytest.mark.slow
def test_four_writers_at_once(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    open_journal(db).close()
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WRITER,
                str(db),
                json.dumps({**CORE_ANSWERS, "client": f"C-{n}"}),
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    errors = [w.communicate(timeout=300)[1] for w in writers]
    assert [w.returncode for w in writers] == [0, 0, 0, 0], errors
    journal = open_journal(db)
    assert journal.store.reflections.counts()["reflections"] == 200
    assert integrity(db) == ["ok"]
    print("\nconcurrent writers: 4 x 50, stored 200, errors 0")


def test_full_disk_keeps_committed_rows(journal: Journal) -> None:
    journal.recording.record(AnswersPayload.model_validate(CORE_ANSWERS))
    pages = journal.store.connection.conn.execute("PRAGMA page_count").fetchone()[0]
    journal.store.connection.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    big = json.loads(json.dumps(CORE_ANSWERS))
    big["answers"]["what_happened"] = "x" * 200_000
    with pytest.raises(StorageFailed, match="the disk is full"):
        journal.recording.record(AnswersPayload.model_validate(big))
    assert journal.store.reflections.counts()["reflections"] == 1
    assert not journal.store.connection.conn.in_transaction


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_refused_write_keeps_the_words_in_a_file(tmp_path: Path, db_path: Path) -> None:
    subprocess.run([*installed_rbp(), "reflect", "--answers", "-"], input=json.dumps(CORE_ANSWERS),
                   text=True, check=True, capture_output=True)  # fmt: skip
    before = export_done(db_path)
    big = json.loads(json.dumps(CORE_ANSWERS))
    big["answers"]["what_happened"] = "A long careful answer. " * 15_000

    result = subprocess.run([*installed_rbp(), "reflect", "--answers", "-"], input=json.dumps(big),
                            text=True, capture_output=True, preexec_fn=_limit_file_size)  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Error: Could not write to {db_path}")
    kept = Path(result.stderr.split("Your words are kept in ")[1].strip().rstrip("."))
    assert json.loads(kept.read_text(encoding="utf-8"))["answers"]["what_happened"].startswith(
        "A long"
    )
    assert oct(kept.stat().st_mode & 0o777) == "0o600"
    assert export_done(db_path) == before


def damaged_copies(good: bytes, page: int, root: int) -> dict[str, bytes]:
    flipped = bytearray(good)
    flipped[page * (root - 1)] ^= 0xFF  # the type byte of the reflections table's root page
    rng = random.Random(7)
    copies = {
        "random bytes": bytes(rng.getrandbits(8) for _ in range(8192)),
        "flipped byte": bytes(flipped),
    }
    for offset in (50, 100, page, len(good) // 2, len(good) - 1):
        copies[f"truncated at {offset}"] = good[:offset]
    return copies


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_damaged_files_are_reported_and_never_written(
    tmp_path: Path, rbp, run_rbp, db_path: Path
) -> None:
    for day in ("2026-11-01", "2026-11-02", "2026-11-03"):
        rbp(["reflect", "--answers", "-"], input=json.dumps({**CORE_ANSWERS, "date": day}))
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'reflections'").fetchone()[
        0
    ]
    conn.close()
    good = db_path.read_bytes()
    tried = changed = 0
    for name, content in damaged_copies(good, page, root).items():
        target = tmp_path / f"{name.replace(' ', '-')}.db"
        target.write_bytes(content)
        # `list` in a real process; writing and searching in-process, to keep the suite quick
        for args in (["list"], ["reflect", "--answers", "-"], ["search", "mornings"]):
            argv, given = ["--db", str(target), *args], json.dumps(CORE_ANSWERS)
            if args == ["list"]:
                result = run_rbp(*argv, input=given)
                assert result.returncode == 1, (name, args, result.stdout)
            else:
                result = rbp(argv, input=given)
                assert result.exit_code == 1, (name, args, result.stdout)
            tried += 1
            assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, (
                name,
                result.stderr,
            )
            changed += target.read_bytes() != content
    assert changed == 0
    print(f"\ndamaged-file cases tried: {tried}, files changed: {changed}")


def test_journal_from_a_newer_rbp_is_left_alone(run_rbp, db_path: Path) -> None:
    run_rbp("reflect", "--answers", "-", input=json.dumps(CORE_ANSWERS))
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('rbp', 'm042_future', 'x')"
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = db_path.read_bytes()
    result = run_rbp("reflect", "--answers", "-", input=json.dumps(CORE_ANSWERS))
    assert result.returncode == 1
    assert "was written by a newer rbp (schema step m042_future is unknown here)" in result.stderr
    assert db_path.read_bytes() == before


def test_backup_restore_and_daily_copies(rbp, db_path: Path, tmp_path: Path) -> None:
    rbp("reflect --answers -", input=json.dumps(CORE_ANSWERS))
    assert list((db_path.parent / "backups").glob("*.db")) == []  # nothing to back up yet
    rbp("reflect --answers -", input=json.dumps(CORE_ANSWERS))
    daily = list((db_path.parent / "backups").glob("journal-*.db"))
    assert len(daily) == 1 and oct(daily[0].stat().st_mode & 0o777) == "0o600"
    copy = tmp_path / "copy.db"
    assert rbp(["backup", str(copy)]).exit_code == 0
    assert rbp(["backup", str(copy)]).exit_code == 1
    rbp("reflect --answers -", input=json.dumps(CORE_ANSWERS))
    assert len(json.loads(rbp("list --json").stdout)) == 3
    report = json.loads(rbp("doctor --json").stdout)
    assert report["backups"] == [str(daily[0])]
    restored = rbp(["restore", str(copy), "--yes"])
    assert restored.exit_code == 0, restored.stderr
    assert len(json.loads(rbp("list --json").stdout)) == 2
    aside = list(db_path.parent.glob("journal.db.replaced-*"))
    assert len(aside) == 1 and integrity(aside[0]) == ["ok"]
    bad = tmp_path / "bad.db"
    bad.write_text("not a journal", encoding="utf-8")
    assert rbp(["restore", str(bad), "--yes"]).exit_code == 1
    missing = rbp(["restore", str(tmp_path / "no-such.db"), "--yes"])
    assert missing.exit_code == 1 and "is not a file" in missing.stderr
    assert not (tmp_path / "no-such.db").exists()
    assert len(json.loads(rbp("list --json").stdout)) == 2


def test_old_daily_backups_are_rotated(journal: Journal, db_path: Path) -> None:
    journal.recording.record(AnswersPayload.model_validate(CORE_ANSWERS))
    folder = db_path.parent / "backups"
    folder.mkdir()
    for day in range(1, 10):
        shutil.copyfile(db_path, folder / f"journal-2020-01-0{day}.db")
    again = open_journal(db_path)  # a new command: its first write takes today's copy
    again.recording.record(AnswersPayload.model_validate(CORE_ANSWERS))
    again.close()
    assert len(list(folder.glob("journal-*.db"))) == 7
    assert not (folder / "journal-2020-01-01.db").exists()


def test_limits(rbp, journal: Journal) -> None:
    data: dict[str, Any] = json.loads(json.dumps(CORE_ANSWERS))
    data["answers"]["what_happened"] = "é" * 1_000_000
    data["tags"] = [f"tag-{n}" for n in range(200)]
    data["followups"] = [{"text": f"promise {n}"} for n in range(10_000)]
    rid = journal.recording.record(AnswersPayload.model_validate(data))
    stored = journal.reading.reflection(rid)
    assert stored.answers[0].text == "é" * 1_000_000
    assert len(stored.tags) == 200 and len(stored.followups) == 10_000
    too_many = rbp(
        "reflect --answers -",
        input=json.dumps({**CORE_ANSWERS, "tags": [str(n) for n in range(201)]}),
    )
    assert too_many.exit_code == 1 and "tags: List should have at most 200 items" in too_many.stderr
    for code in ("C 014", "C-😊"):
        refused = rbp(
            ["reflect", "--answers", "-", "--client", code], input=json.dumps(CORE_ANSWERS)
        )
        assert refused.exit_code == 2 and "a client code is one word" in refused.stderr


# control characters are left out (text.clean): what is stored is the text without them
texts = st.text(min_size=1, max_size=200).filter(lambda t: clean(t).text.strip() != "")
# a tag is one line of printable text (text.check_tag); anything else is refused, not stored
CONTROLS = {*map(chr, range(0x20)), *map(chr, range(0x7F, 0xA0)), "\u2028", "\u2029"}
tags = texts.filter(lambda t: t == t.strip() and not CONTROLS & set(t))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(what=texts, differently=texts, tag=tags, promise=texts)
@example(what="0", differently="0", tag="0", promise="0\r")  # a CR alone: made a newline
def test_any_unicode_round_trips(
    tmp_path: Path, what: str, differently: str, tag: str, promise: str
) -> None:
    journal = open_journal(tmp_path / "unicode.db")
    data = json.loads(json.dumps(CORE_ANSWERS))
    data["answers"].update(what_happened=what, differently=differently)
    data["tags"] = [tag]
    data["followups"] = [{"text": promise}]
    rid = journal.recording.record(AnswersPayload.model_validate(data))
    stored = journal.reading.reflection(rid)
    assert stored.answers[0].text == clean(what).text
    assert stored.answer("differently").text == clean(differently).text  # type: ignore[union-attr]
    assert stored.tags == [clean(tag).text.strip()]

    assert stored.followups[-1].text == clean(promise).text
    journal.close()


# --- migrations ---------------------------------------------------------------------------

V1_SCHEMA = Path(__file__).parent / "data" / "schema_v1.sql"


def make_v1_journal(path: Path, reflections: int = 3) -> None:
    """A journal as rbp's first schema made it, built from that schema's DDL, filled by SQL."""
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA.read_text(encoding="utf-8"))
    conn.execute("INSERT INTO tags (id, name) VALUES (1, 'court')")
    for rid in range(1, reflections + 1):
        conn.execute(
            "INSERT INTO reflections VALUES (?, ?, ?, ?, ?, ?, 'home-visit', 'core', '1', 'done')",
            [rid, f"00000000-0000-4000-8000-{rid:012d}", f"2025-0{rid}-10", "2025-01-10T10:00:00+00:00",
             "2025-01-10T10:00:00+00:00", f"C-{rid:03d}"],
        )  # fmt: skip
        conn.execute(
            "INSERT INTO answers (reflection_id, position, prompt_id, theme, kind, question, text)"
            " VALUES (?, 0, 'what_happened', 'context', 'text', 'What happened?', ?)",
            [rid, f"Version one words, visit {rid}: a tricky café conversation."],
        )
        conn.execute(
            "INSERT INTO answers (reflection_id, position, prompt_id, theme, kind, question, rating,"
            " label, polarity) VALUES (?, 1, 'listened', 'listening', 'rating', 'Did I listen?',"
            " 4, 'mostly', 'better')",
            [rid],
        )
        conn.execute("INSERT INTO reflection_tags VALUES (?, 1)", [rid])
        conn.execute(
            "INSERT INTO followups (reflection_id, text, due, status, created) VALUES (?, ?, ?, 'open', ?)",
            [rid, f"Ring the school ({rid})", "2025-02-01", "2025-01-10T10:00:00+00:00"],
        )
    conn.commit()
    conn.close()


def test_a_first_version_journal_opens_with_every_reflection_intact(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    make_v1_journal(db)
    exported = json.loads(export_done(db))
    assert [r["uid"][-1] for r in exported["reflections"]] == ["1", "2", "3"]
    assert [r["answers"][0]["text"] for r in exported["reflections"]] == [
        f"Version one words, visit {n}: a tricky café conversation." for n in (1, 2, 3)
    ]
    assert all(r["tags"] == ["court"] and len(r["followups"]) == 1 for r in exported["reflections"])
    journal = open_journal(db)
    assert journal.store.connection.schema_version() == list(migrations.NAMES)
    assert journal.store.connection.integrity_check() == ["ok"]
    assert len(migrations.NAMES) > 1  # m002_cpd at least: a real upgrade ran
    (copy,) = (tmp_path / "backups").glob("v1-*-before-upgrade-to-m002_cpd.db")
    assert [
        row[0] for row in sqlite3.connect(copy).execute("SELECT name FROM _sqlite_migrations")
    ] == ["m001_initial"]
    assert len(journal.reading.search("tricky", ReflectionFilter()).hits) == 3
    journal.close()


def upgrade_step(db: Any) -> None:
    db.execute("ALTER TABLE reflections ADD COLUMN mood TEXT")


def test_an_upgrade_checks_and_copies_the_journal_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "v1.db"
    make_v1_journal(db)
    journal = open_journal(db)  # brings it up to this rbp's schema
    before = list(journal.reading.export(ReflectionFilter()))
    journal.close()
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, upgrade_step))
    monkeypatch.setattr(migrations, "NAMES", (*migrations.NAMES, "upgrade_step"))
    journal = open_journal(db)
    assert journal.store.connection.schema_version()[-1] == "upgrade_step"
    assert list(journal.reading.export(ReflectionFilter())) == before
    journal.close()
    (copy,) = (tmp_path / "backups").glob("v1-*-before-upgrade-to-upgrade_step.db")
    assert oct(copy.stat().st_mode & 0o777) == "0o600" and integrity(copy) == ["ok"]
    assert "upgrade_step" not in [
        row[0] for row in sqlite3.connect(copy).execute("SELECT name FROM _sqlite_migrations")
    ]


def test_a_damaged_journal_is_not_upgraded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "v1.db"
    make_v1_journal(db, reflections=400)
    conn = sqlite3.connect(db)
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'reflection_tags'"
    ).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    damaged = bytearray(db.read_bytes())
    damaged[(root - 1) * page_size + 8 : (root - 1) * page_size + 40] = (
        b"\xff" * 32
    )  # cell pointers
    db.write_bytes(bytes(damaged))
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, upgrade_step))
    monkeypatch.setattr(migrations, "NAMES", (*migrations.NAMES, "upgrade_step"))
    with pytest.raises(JournalDamaged):
        open_journal(db)
    assert db.read_bytes() == bytes(damaged)


def test_restore_reads_an_older_backup_without_touching_it(rbp, db_path: Path, tmp_path) -> None:
    rbp("reflect --answers -", input=json.dumps(CORE_ANSWERS))
    folder = tmp_path / "old"
    folder.mkdir()
    backup = folder / "v1-backup.db"
    make_v1_journal(backup)
    before = hashlib.sha256(backup.read_bytes()).hexdigest()
    restored = rbp(["restore", str(backup), "--yes"])
    assert restored.exit_code == 0, restored.stderr
    assert hashlib.sha256(backup.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in folder.iterdir()) == ["v1-backup.db"]  # no -wal, no backups/
    assert len(json.loads(rbp("list --json").stdout)) == 3  # the live copy is upgraded instead


def test_a_second_name_is_never_taken_twice_in_one_second(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A restore rerun in the second a crash cut the first one short (after it linked the
    journal aside) found its second name taken: "File exists". The same file keeps the name
    it was given; another file in that second gets a number."""

    class Frozen:
        class datetime:
            @staticmethod
            def now() -> Any:
                return dt.datetime(2026, 11, 27, 4, 0, 0)

    monkeypatch.setattr(swaps, "dt", Frozen)
    db = tmp_path / "journal.db"
    db.write_bytes(b"first")
    aside = swaps.keep_aside(db)
    assert aside.name == "journal.db.replaced-20261127-040000"
    assert swaps.keep_aside(db) == aside  # the interrupted restore's name, kept
    db.unlink()
    db.write_bytes(b"second")  # a restore since put another file in place
    other = swaps.keep_aside(db)
    assert other.name == "journal.db.replaced-20261127-040000-2"
    assert (aside.read_bytes(), other.read_bytes()) == (b"first", b"second")
