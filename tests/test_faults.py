"""Nothing lost, nothing lingers, and the true sentence, under faults placed where they hurt:
a file cut short by a full disk, a damaged page, another rbp replacing the file, a read-only
folder, a crash at each step of a whole-file change (the slow ones: RBP_RUN_SLOW=1).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rbp_journal import encryption
from rbp_journal.errors import JournalLocked
from rbp_journal.journal import open_journal

import faults
from conftest import add_reflection
from faults import (
    PLANTED,
    SENTENCE,
    file_size_limit,
    holding,
    mode,
    rbp,
    reflection,
    small_disk,
    unmount,
)

READS = (["list"], ["show", "1"], ["search", "family"], ["review", "--week"], ["trends"],
         ["followups"], ["export"], ["clients"], ["scan"], ["doctor"], ["cpd", "list"],
         ["cpd", "status"], ["delete", "1", "--yes"], ["backup", "COPY"])  # fmt: skip


# --- read commands never create a journal ----------------------------------------------------


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a))
def test_a_command_that_only_reads_never_creates_a_journal(tmp_path: Path, args) -> None:
    args = [str(tmp_path / "copy.db") if arg == "COPY" else arg for arg in args]
    for db in (tmp_path / "mistyped.db", tmp_path / "no-such-folder" / "journal.db"):
        result = rbp(db, *args)
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith(f"Error: There is no journal at {db}")
        assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


def test_a_new_journal_is_started_by_reflect_and_said(tmp_path: Path) -> None:
    db = tmp_path / "new" / "journal.db"
    first = rbp(db, "reflect", "--answers", "-", input=reflection())
    assert first.returncode == 0, first.stderr
    assert f"Started a new journal at {db}." in first.stderr
    again = rbp(db, "reflect", "--answers", "-", input=reflection())
    assert "Started a new journal" not in again.stderr


def test_completion_never_creates_a_journal(tmp_path: Path, monkeypatch) -> None:
    from rbp_journal.cli import common

    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    for db in (tmp_path / "nothing.db", fifo):
        monkeypatch.setitem(common.state, "db", str(db))
        assert common.complete("clients") == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo.db", "home"]


# --- deleted means gone ------------------------------------------------------------------------


def index_holds(db: Path, word: str, secret: str | None = None) -> bool:
    """Whether the search index's own pages (answers_fts_data) still hold `word`, read through
    SQLite (the only way into an encrypted file)."""
    j = open_journal(db, passphrase=(lambda note: secret or ""))
    try:
        blocks = j.store.connection.conn.execute("SELECT block FROM answers_fts_data")
        return any(word.lower().encode() in bytes(row[0] or b"") for row in blocks)
    finally:
        j.close()


def editor_replacing(tmp_path: Path, old: str, new: str) -> dict[str, str]:
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
        f"p.write_text(p.read_text().replace({old!r}, {new!r}))\n",
        encoding="utf-8",
    )
    return {"EDITOR": f"{sys.executable} {script}"}


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
@pytest.mark.parametrize("how", ["delete", "edit", "mask"])
def test_words_taken_out_leave_no_trace_in_the_folder(tmp_path: Path, how: str) -> None:
    folder = tmp_path / "plain"
    db = folder / "journal.db"
    said = f"{SENTENCE}; write to zorblatt@quixmail.example"
    assert rbp(db, "reflect", "--answers", "-", input=reflection(said)).returncode == 0
    assert rbp(db, "reflect", "--answers", "-", input=reflection("Another visit.")).returncode == 0
    assert holding(folder) == ["backups/journal-" + time.strftime("%Y-%m-%d") + ".db", "journal.db"]
    shutil.rmtree(folder / "backups")  # a backup keeps what it held (restore); see the purge test
    if how == "delete":
        done = rbp(db, "delete", "1", "--yes")
        words = [*PLANTED, "zorblatt", "quixmail"]
    elif how == "edit":
        done = rbp(db, "edit", "1", env=editor_replacing(tmp_path, said, "Nothing to say."))
        words = [*PLANTED, "zorblatt", "quixmail"]
    else:
        done = rbp(db, "scan", "--mask", "--yes")
        words = ["zorblatt", "quixmail"]
        (folder / "journal.db.before-scan.bak").unlink()  # the copy it says it made first
    assert done.returncode == 0, done.stderr
    shutil.rmtree(folder / "backups")  # today's copy, taken before: the one place it may be
    assert holding(folder, words) == []  # journal, -wal, -shm, the lock, anything else
    assert not any(index_holds(db, word) for word in words)
    assert rbp(db, "doctor").returncode == 0


def test_encrypted_delete_takes_words_out_of_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("sqlcipher3")
    db = tmp_path / "journal.db"
    j = open_journal(db)
    add_reflection(j, {"what_happened": SENTENCE})
    add_reflection(j)
    j.cipher.encrypt("correct horse battery")
    j.recording.delete(1)  # with an older rbp's words in the index, and new deletes
    j.close()
    assert not any(index_holds(db, word, "correct horse battery") for word in PLANTED)
    j = open_journal(db, passphrase=lambda note: "correct horse battery")
    add_reflection(j, {"what_happened": SENTENCE})
    j.recording.delete(3)
    j.close()
    assert not any(index_holds(db, word, "correct horse battery") for word in PLANTED)
    assert holding(tmp_path, PLANTED) == []


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_purge_without_a_backup_makes_no_copy_at_all(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    old = reflection(SENTENCE, date="2019-03-04")
    assert rbp(db, "reflect", "--answers", "-", input=old).returncode == 0
    assert rbp(db, "reflect", "--answers", "-", input=reflection("Recent.")).returncode == 0
    shutil.rmtree(tmp_path / "backups")  # as if yesterday's: today's first write is the purge
    done = rbp(db, "purge", "--before", "2020-01-01", "--no-backup", "--yes")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "backups").exists()
    assert holding(tmp_path) == []


# --- backups -----------------------------------------------------------------------------------


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_a_zero_byte_backup_does_not_take_the_days_slot(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    today = tmp_path / "backups" / f"journal-{time.strftime('%Y-%m-%d')}.db"
    today.parent.mkdir()
    today.write_bytes(b"")  # what a full disk left
    assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    assert today.stat().st_size > 4096 and mode(today) == "0o600"
    assert sqlite3.connect(today).execute("SELECT count(*) FROM reflections").fetchone() == (1,)


@pytest.mark.slow  # several encrypted or whole-file rbp runs: 5-8 s on a busy 2-core machine
def test_a_backup_the_disk_refuses_is_said_and_the_words_stored(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    for _ in range(3):
        assert rbp(db, "reflect", "--answers", "-", input=reflection("x" * 40_000)).returncode == 0
    shutil.rmtree(tmp_path / "backups")
    if not small_disk(tmp_path / "backups", "64k"):
        pytest.skip("no tmpfs mounts on this machine")
    try:
        result = rbp(db, "reflect", "--answers", "-", input=reflection())
        assert result.returncode == 0, result.stderr
        assert "Today's backup could not be written" in result.stderr
        assert list((tmp_path / "backups").iterdir()) == []  # no 0-byte or partial copy
        stored = json.loads(rbp(db, "list", "--json").stdout)
        assert len(stored) == 4
    finally:
        unmount(tmp_path / "backups")
    assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    assert len(list((tmp_path / "backups").glob("journal-*.db"))) == 1


def damage_a_page(db: Path) -> None:
    """Overwrite an index page of the answers table with noise, keeping the header."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'answers_reflection_id_prompt_id'"
        " OR (tbl_name = 'answers' AND type = 'index') ORDER BY name LIMIT 1"
    ).fetchone()[0]
    conn.close()
    data = bytearray(db.read_bytes())
    data[(root - 1) * page + 8 : (root - 1) * page + 64] = b"\xee" * 56
    db.write_bytes(bytes(data))


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_a_damaged_journal_is_neither_written_nor_copied_into_backups(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    for _ in range(3):
        assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    shutil.rmtree(tmp_path / "backups")  # the day's first write is still to come
    damage_a_page(db)
    damaged = db.read_bytes()
    result = rbp(db, "reflect", "--answers", "-", input=reflection("Another visit."))
    assert result.returncode == 1
    assert "fails its check" in result.stderr and result.stderr.count("\n") == 1
    assert db.read_bytes() == damaged
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())


# --- restore -----------------------------------------------------------------------------------


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_restoring_the_journal_onto_itself_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    os.link(db, tmp_path / "same.db")
    for source in (db, tmp_path / "same.db"):
        result = rbp(db, "restore", str(source), "--yes")
        assert result.returncode == 1 and "is the journal itself" in result.stderr
    assert len(json.loads(rbp(db, "list", "--json").stdout)) == 1


@pytest.mark.slow  # several encrypted or whole-file rbp runs: 5-8 s on a busy 2-core machine
def test_an_encrypted_restore_keeps_the_replaced_file_openable(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    db = tmp_path / "journal.db"
    key = tmp_path / "key"
    key.write_text("correct horse battery\n")
    key.chmod(0o600)
    env = {"RBP_PASSPHRASE_FILE": str(key), "RBP_NEW_PASSPHRASE_FILE": str(key)}
    assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    assert rbp(db, "encrypt", env=env).returncode == 0
    assert rbp(db, "backup", str(tmp_path / "copy.db"), env=env).returncode == 0
    assert rbp(db, "reflect", "--answers", "-", input=reflection(), env=env).returncode == 0
    restored = rbp(db, "restore", str(tmp_path / "copy.db"), "--yes", env=env)
    assert restored.returncode == 0, restored.stderr
    (aside,) = [p for p in tmp_path.glob("journal.db.replaced-*") if p.suffix != ".json"]
    assert encryption.marker_path(aside).exists()
    assert len(json.loads(rbp(aside, "list", "--json", env=env).stdout)) == 2
    assert len(json.loads(rbp(db, "list", "--json", env=env).stdout)) == 1
    assert mode(db) == "0o600" and mode(aside) == "0o600"


# --- files the disk cut short --------------------------------------------------------------


HOLD_OPEN = """
import sys, time
from rbp_journal.journal import open_journal
from rbp_journal.models.reflection import AnswersPayload
j = open_journal(sys.argv[1])
j.store.connection.conn.execute("PRAGMA wal_autocheckpoint = 0")
for n in range(40):
    j.recording.record(AnswersPayload.model_validate_json(sys.argv[2]))
print("committed", flush=True)
time.sleep(60)
"""


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_a_checkpoint_cut_short_by_a_full_disk_is_recovered(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    shutil.copy(db, tmp_path / "small.db")  # checkpointed: the file is small, the rest to come
    writer = subprocess.Popen([sys.executable, "-c", HOLD_OPEN, str(db), reflection("y" * 3000)],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert writer.stdout is not None and writer.stdout.readline() == "committed\n"
    writer.kill()  # 41 reflections: one in the file, forty only in the -wal
    writer.wait()
    size = db.stat().st_size
    fold = "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA wal_checkpoint')"
    subprocess.run([sys.executable, "-c", fold, str(db)], preexec_fn=file_size_limit(size + 40_000),
                   capture_output=True, check=False)  # fmt: skip
    header = db.read_bytes()[:100]
    assert db.stat().st_size < int.from_bytes(header[28:32], "big") * 4096  # cut short
    listed = rbp(db, "list", "--json", "-n", "100")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 41
    assert "Recovered" in listed.stderr
    assert rbp(db, "doctor").returncode == 0


# --- whole-file changes wait for, and hold off, other rbp processes ------------------------------

ALONE = """
import sys
from rbp_journal.journal import open_journal
j = open_journal(sys.argv[1])
with j.store.connection.alone("encrypting"):
    print("alone", flush=True)
    sys.stdin.readline()  # held until the test has seen the other rbp wait
j.close()
"""


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_a_command_waits_while_another_rbp_replaces_the_file(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    holder = holding_until_seen(ALONE, db, "alone\n")
    first, _ = waited_for(holder, db, "reflect", "--answers", "-")
    assert first.startswith(f"Waiting: another rbp is encrypting {db}"), first
    assert len(json.loads(rbp(db, "list", "--json").stdout)) == 2  # written once it let go


HOLD_SHARED = """
import sys
from rbp_journal.journal import open_journal
j = open_journal(sys.argv[1])
print("open", flush=True)
sys.stdin.readline()  # held until the test has seen the other rbp wait
j.close()
"""


def holding_until_seen(script: str, db: Path, said: str) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", script, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline() == said
    return holder


def waited_for(holder: subprocess.Popen[str], db: Path, *args: str, **env: str) -> tuple[str, str]:
    """rbp `args` started while `holder` holds the journal; `holder` lets go once rbp says it
    waits. The first line rbp wrote on stderr, and all of it."""
    other = subprocess.Popen([*faults.installed_rbp(), "--db", str(db), *args],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env={**os.environ, **env})  # fmt: skip
    assert other.stdin is not None and other.stderr is not None and holder.stdin is not None
    if args[0] == "reflect":
        other.stdin.write(reflection())
    other.stdin.close()
    first = other.stderr.readline()
    holder.stdin.write("\n")
    holder.stdin.close()
    holder.wait(timeout=60)
    rest = other.stderr.read()
    assert other.wait(timeout=120) == 0, first + rest
    return first, first + rest


def test_a_whole_file_change_waits_for_other_rbp_processes(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    db = tmp_path / "journal.db"
    key = tmp_path / "key"
    key.write_text("correct horse battery\n")
    key.chmod(0o600)
    assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    holder = holding_until_seen(HOLD_SHARED, db, "open\n")
    first, _ = waited_for(holder, db, "encrypt", RBP_NEW_PASSPHRASE_FILE=str(key))
    assert first.startswith(f"Waiting for the other rbp using {db} to finish"), first
    assert encryption.marker_path(db).exists()


# --- the true sentence ---------------------------------------------------------------------------


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_a_healthy_journal_in_a_read_only_folder_is_read_not_called_damaged(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    db = folder / "journal.db"
    assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    folder.chmod(0o500)
    try:
        for args in (["list", "--json"], ["search", "zebraquill"], ["export"], ["doctor"]):
            result = rbp(db, *args, ordinary=True)
            assert result.returncode == 0, (args, result.stderr)
        refused = rbp(db, "reflect", "--answers", "-", input=reflection(), ordinary=True)
        assert refused.returncode == 1
        assert f"its folder {folder} is read-only for you" in refused.stderr
        assert "damaged" not in refused.stderr and "restore" not in refused.stderr
    finally:
        folder.chmod(0o700)


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_each_storage_failure_has_its_own_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "j"
    db = folder / "journal.db"
    assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    db.chmod(0o400)
    read_only_file = rbp(db, "reflect", "--answers", "-", input=reflection(), ordinary=True)
    assert "the journal file is read-only for you" in read_only_file.stderr
    db.chmod(0o000)
    denied = rbp(db, "list", ordinary=True)
    assert denied.returncode == 1 and "permission denied" in denied.stderr
    db.chmod(0o600)
    big = reflection("A long careful answer. " * 9_000)  # 207 KB: the journal cannot grow so
    limit = file_size_limit(db.stat().st_size + 100_000)
    full = rbp(db, "reflect", "--answers", "-", input=big, preexec=limit)
    assert full.returncode == 1 and "damaged" not in full.stderr
    assert "Your words are kept in" in full.stderr


def test_a_journal_another_program_keeps_locked_is_called_busy_not_damaged(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    j = open_journal(db)
    add_reflection(j)
    j.store.connection.conn.execute("PRAGMA busy_timeout = 0")  # not rbp's 10 s, for the test
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # e.g. a DB browser left mid-transaction
    try:
        with pytest.raises(JournalLocked) as raised:
            add_reflection(j)
        assert str(raised.value) == (
            f"{db} stayed locked by another program (another rbp, or a database tool left "
            "mid-change) for too long; close it, or try again in a moment. Nothing was changed."
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    add_reflection(j)
    j.close()


def test_a_passphrase_file_others_can_read_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    db = tmp_path / "journal.db"
    key = tmp_path / "key"
    key.write_text("correct horse battery\n")
    key.chmod(0o644)
    assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    result = rbp(db, "encrypt", env={"RBP_NEW_PASSPHRASE_FILE": str(key)})
    assert result.returncode == 1
    assert "is readable by others" in result.stderr and "chmod 600" in result.stderr
    assert not encryption.marker_path(db).exists()


# --- a crash at each step of a whole-file change (slow) -----------------------------------------

FIRST, SECOND = "correct horse battery", "a new and longer passphrase"


def key_files(folder: Path) -> tuple[Path, Path]:
    made = []
    for name, text in (("first.key", FIRST), ("second.key", SECOND)):
        path = folder / name
        path.write_text(text + "\n", encoding="utf-8")
        path.chmod(0o600)
        made.append(path)
    return made[0], made[1]


def journal_with_company(folder: Path) -> Path:
    """A journal with the planted sentence, a daily backup, the copy `scan --mask` keeps, kept
    words and an editor text a crash left: every kind of rbp file that holds words."""
    db = folder / "journal.db"
    said = f"{SENTENCE}; ring 07700 900123"
    for what in (said, "Second visit.", "Third visit."):
        assert rbp(db, "reflect", "--answers", "-", input=reflection(what)).returncode == 0
    assert rbp(db, "scan", "--mask", "--yes").returncode == 0
    unsaved = folder / "unsaved"
    (unsaved / "20261120-101010-000001.json").write_text(json.dumps({"answer": SENTENCE}))
    (unsaved / "20261120-101010-000001.json").chmod(0o600)
    (folder / "rbp-abc123.md").write_text(f"# what happened\n\n{SENTENCE}\n")
    return db


def reflections_in(db: Path, env: dict[str, str]) -> int:
    listed = rbp(db, "list", "--json", "-n", "1000", env=env)
    assert listed.returncode == 0, listed.stderr
    return len(json.loads(listed.stdout))


def owner_only(folder: Path) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and mode(p) != "0o600"]


def need_strace() -> None:
    if faults.STRACE is None:
        pytest.skip("strace is not installed")


def finished_or_already(result: subprocess.CompletedProcess[str]) -> bool:
    """A re-run after a crash: it finishes the work, or finds the crash came after the end."""
    return result.returncode == 0 or "is already encrypted" in result.stderr


@pytest.mark.slow
def test_a_crash_at_each_step_of_encrypt_loses_nothing_and_is_finished_by_running_it_again(
    tmp_path: Path,
) -> None:
    pytest.importorskip("sqlcipher3")
    need_strace()
    first, _ = key_files(tmp_path)
    env = {"RBP_NEW_PASSPHRASE_FILE": str(first), "RBP_PASSPHRASE_FILE": str(first)}
    template = tmp_path / "template"
    (template / "unsaved").mkdir(parents=True)
    journal_with_company(template)
    probe = tmp_path / "probe"
    shutil.copytree(template, probe)
    points = faults.kill_points(probe / "journal.db", ["encrypt"], tmp_path / "log", env)
    scanned = 0
    for number, (calls, step) in enumerate(points):
        folder = tmp_path / f"round-{number}"
        shutil.copytree(template, folder)
        db = folder / "journal.db"
        faults.killed_at(db, ["encrypt"], step, tmp_path / "log", env, calls)
        assert reflections_in(db, env) == 3, (calls, step)
        again = rbp(db, "encrypt", env=env)
        assert finished_or_already(again), (calls, step, again.stderr)
        assert reflections_in(db, env) == 3
        scanned += sum(1 for p in folder.rglob("*") if p.is_file())
        assert holding(folder, PLANTED) == [], (calls, step)
        assert owner_only(folder) == [], (calls, step)
        doctor = json.loads(rbp(db, "doctor", "--json", env=env).stdout)
        assert doctor["plain_files"] == [] and doctor["integrity"] == ["ok"]
    print(f"\nencrypt: {len(points)} crash points, 0 reflections lost, {scanned} files scanned")


@pytest.mark.slow
@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_crash_at_each_step_of_restore_leaves_one_whole_journal(
    tmp_path: Path, encrypted: bool
) -> None:
    need_strace()
    first, _ = key_files(tmp_path)
    env = {"RBP_NEW_PASSPHRASE_FILE": str(first), "RBP_PASSPHRASE_FILE": str(first)}
    template = tmp_path / "template"
    db = template / "journal.db"
    for _ in range(2):
        assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    if encrypted:
        pytest.importorskip("sqlcipher3")
        assert rbp(db, "encrypt", env=env).returncode == 0
    assert rbp(db, "backup", str(template / "copy.db"), env=env).returncode == 0
    assert rbp(db, "reflect", "--answers", "-", input=reflection(), env=env).returncode == 0
    probe = tmp_path / "probe"
    shutil.copytree(template, probe)
    args = ["restore", str(probe / "copy.db"), "--yes"]  # only read: the probe's serves twice
    points = faults.kill_points(probe / "journal.db", args, tmp_path / "log", env)
    for number, (calls, step) in enumerate(points):
        folder = tmp_path / f"round-{number}"
        shutil.copytree(template, folder)
        journal = folder / "journal.db"
        here = ["restore", str(folder / "copy.db"), "--yes"]
        faults.killed_at(journal, here, step, tmp_path / "log", env, calls)
        assert reflections_in(journal, env) in (2, 3), (calls, step)  # the backup's, or its own
        assert mode(journal) == "0o600"
        assert not [p for p in folder.iterdir() if ".restoring" in p.name], (calls, step)
        for aside in folder.glob("journal.db.replaced-*"):
            if encryption.MARKER_SUFFIX not in aside.name:
                assert reflections_in(aside, env) == 3  # what was replaced, still openable
        finished = rbp(journal, *here, env=env)
        assert finished.returncode == 0, (calls, step, finished.stderr)
        assert reflections_in(journal, env) == 2
    kind = "encrypted" if encrypted else "plain"
    print(f"\nrestore ({kind}): {len(points)} crash points, 0 reflections lost")


@pytest.mark.slow
def test_a_crash_at_each_step_of_a_passphrase_change_is_all_or_nothing(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    need_strace()
    first, second = key_files(tmp_path)
    old = {"RBP_NEW_PASSPHRASE_FILE": str(first), "RBP_PASSPHRASE_FILE": str(first)}
    new = {"RBP_NEW_PASSPHRASE_FILE": str(second), "RBP_PASSPHRASE_FILE": str(second)}
    change = {**old, "RBP_NEW_PASSPHRASE_FILE": str(second)}
    template = tmp_path / "template"
    db = template / "journal.db"
    for _ in range(2):
        assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    assert rbp(db, "encrypt", env=old).returncode == 0
    kept = template / "backups" / "journal-2020-01-01.db"
    assert rbp(db, "backup", str(kept), env=old).returncode == 0
    stray = template / "backups" / "journal-2019-01-01.db"  # another passphrase: left, and said
    assert rbp(db, "backup", str(stray), env=old).returncode == 0
    j = open_journal(stray, passphrase=lambda note: FIRST)
    j.cipher.change_passphrase("yet another passphrase")
    j.close()
    probe = tmp_path / "probe"
    shutil.copytree(template, probe)
    points = faults.kill_points(probe / "journal.db", ["passphrase"], tmp_path / "log", change)
    for number, (calls, step) in enumerate(points):
        folder = tmp_path / f"round-{number}"
        shutil.copytree(template, folder)
        journal = folder / "journal.db"
        faults.killed_at(journal, ["passphrase"], step, tmp_path / "log", change, calls)
        opens_old = rbp(journal, "list", "--json", env=old).returncode == 0
        opens_new = rbp(journal, "list", "--json", env=new).returncode == 0
        assert opens_old != opens_new, (calls, step)  # exactly one passphrase opens it
        now = old if opens_old else new
        copy = folder / "backups" / kept.name
        assert rbp(copy, "list", "--json", env=now).returncode == 0, (calls, step)
        finished = rbp(journal, "passphrase", env={**now, "RBP_NEW_PASSPHRASE_FILE": str(second)})
        assert finished.returncode == 0, (calls, step, finished.stderr)
        assert "encrypted with another passphrase and was left as it is" in finished.stderr
        assert reflections_in(journal, new) == 2
        assert rbp(copy, "list", "--json", env=new).returncode == 0
    print(f"\npassphrase: {len(points)} crash points, each all or nothing")


@pytest.mark.slow
def test_a_crash_while_the_days_backup_is_written_leaves_no_half_copy(tmp_path: Path) -> None:
    need_strace()
    template = tmp_path / "template"
    db = template / "journal.db"
    for _ in range(3):
        assert rbp(db, "reflect", "--answers", "-", input=reflection("x" * 20_000)).returncode == 0
    shutil.rmtree(template / "backups")
    probe = tmp_path / "probe"
    shutil.copytree(template, probe)
    args = ["reflect", "--answers", "-"]
    points = faults.kill_points(probe / "journal.db", args, tmp_path / "log", {}, reflection(), 20)
    for number, (calls, step) in enumerate(points):
        folder = tmp_path / f"round-{number}"
        shutil.copytree(template, folder)
        journal = folder / "journal.db"
        faults.killed_at(journal, args, step, tmp_path / "log", {}, calls, reflection())
        assert reflections_in(journal, {}) in (3, 4)
        for copy in (folder / "backups").glob("*") if (folder / "backups").exists() else []:
            assert copy.stat().st_size > 4096, (calls, step, copy)
            assert sqlite3.connect(copy).execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert rbp(journal, *args, input=reflection()).returncode == 0
        (copy,) = (folder / "backups").glob("journal-*.db")
        assert sqlite3.connect(copy).execute("SELECT count(*) FROM reflections").fetchone()[0] >= 3
    print(f"\ndaily backup: {len(points)} crash points, no half copy in a slot")


# --- writers alongside whole-file changes (slow) ------------------------------------------------

WRITER = """
import json, os, subprocess, sys
rbp, db, me, stop, data = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], json.loads(sys.argv[5])
n = 0
while not os.path.exists(stop):
    n += 1
    data["tags"] = [f"{me}-{n}"]
    done = subprocess.run([rbp, "--db", db, "reflect", "--answers", "-"], input=json.dumps(data),
                          capture_output=True, text=True)
    if done.returncode == 0 and done.stdout.strip().isdigit():
        print(f"{me}-{n}", flush=True)
"""


def tags_in(db: Path, env: dict[str, str]) -> set[str]:
    exported = rbp(db, "export", "--format", "json", env=env)
    assert exported.returncode == 0, exported.stderr
    return {tag for r in json.loads(exported.stdout)["reflections"] for tag in r["tags"]}


PAUSE = 3 if faults.FULL else 1  # seconds the writers write alone between whole-file changes


@pytest.mark.slow
def test_writes_confirmed_during_whole_file_changes_are_never_lost(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    first, second = key_files(tmp_path)
    writers_key = tmp_path / "writers.key"
    shutil.copy(first, writers_key)
    db = tmp_path / "journal.db"
    assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    assert rbp(db, "backup", str(tmp_path / "start.db")).returncode == 0
    stop = tmp_path / "stop"
    env = {**os.environ, "RBP_PASSPHRASE_FILE": str(writers_key)}
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WRITER,
                faults.installed_rbp()[0],
                str(db),
                f"w{n}",
                str(stop),
                reflection(),
            ],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(4)
    ]
    steps = [
        ("encrypt", {"RBP_NEW_PASSPHRASE_FILE": str(first)}, first),
        (
            "passphrase",
            {"RBP_PASSPHRASE_FILE": str(first), "RBP_NEW_PASSPHRASE_FILE": str(second)},
            second,
        ),
        ("decrypt", {"RBP_PASSPHRASE_FILE": str(second)}, None),
    ]
    for command, step_env, key in steps:
        time.sleep(PAUSE)
        extra = ["--yes"] if command == "decrypt" else []
        done = rbp(db, command, *extra, env=step_env, timeout=120)
        assert done.returncode == 0, (command, done.stderr)
        if key is not None:
            shutil.copy(key, writers_key)
    time.sleep(PAUSE)
    restored = rbp(db, "restore", str(tmp_path / "start.db"), "--yes", timeout=120)
    assert restored.returncode == 0, restored.stderr
    time.sleep(PAUSE)
    stop.touch()
    confirmed = set()
    for writer in writers:
        out, _ = writer.communicate(timeout=120)
        confirmed |= set(out.split())
    asides = [p for p in tmp_path.glob("journal.db.replaced-*") if ".encrypted" not in p.name]
    kept = tags_in(db, {}) | set().union(*(tags_in(a, {}) for a in asides))
    lost = confirmed - kept - {"first-visit"}
    assert not lost, sorted(lost)
    assert len(confirmed) > 4  # not vacuous: writers were confirmed (how many: machine speed)
    print(f"\nwriters during encrypt, passphrase, decrypt, restore: {len(confirmed)} confirmed, "
          f"{len(lost)} lost")  # fmt: skip


@pytest.mark.slow
def test_first_writers_of_a_day_all_succeed_with_one_good_backup(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    failures, rounds, at_once = [], 7 if faults.FULL else 1, 32 if faults.FULL else 16
    for _ in range(rounds):
        shutil.rmtree(tmp_path / "backups", ignore_errors=True)  # a new day
        started = [
            subprocess.Popen(
                [*faults.installed_rbp(), "--db", str(db), "reflect", "--answers", "-"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(at_once)
        ]
        for process in started:
            _, err = process.communicate(reflection(), timeout=300)
            if process.returncode != 0 or "backup could not" in err:
                failures.append(err)
        (copy,) = (tmp_path / "backups").iterdir()
        assert sqlite3.connect(copy).execute("PRAGMA quick_check").fetchone() == ("ok",)
    assert failures == []
    assert reflections_in(db, {}) == 1 + rounds * at_once
    print(f"\nfirst writers of a day: {rounds * at_once}, failed {len(failures)}")


@pytest.mark.slow  # several encrypted or whole-file rbp runs: 5-8 s on a busy 2-core machine
def test_an_open_reflection_keeps_its_next_answer_while_encrypt_waits(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    from test_reliability import Terminal

    first, _ = key_files(tmp_path)
    db = tmp_path / "journal.db"
    assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    terminal = Terminal(db)
    try:
        terminal.wait_for(b"1 of 12")
        terminal.type("the first answer\r\r")
        terminal.wait_for(b"2 of 12")
        encrypting = subprocess.Popen(
            [*faults.installed_rbp(), "--db", str(db), "encrypt"],
            env={**os.environ, "RBP_NEW_PASSPHRASE_FILE": str(first)},
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert encrypting.stderr is not None
        waiting = encrypting.stderr.readline()  # encrypt waits for this reflection to close
        terminal.type("4\r")
        terminal.wait_for(b"3 of 12")
    finally:
        terminal.kill()  # the person walks away: the draft stays, the lock goes with rbp
    _, err = encrypting.communicate(timeout=60)
    assert encrypting.returncode == 0, err
    assert waiting.startswith(f"Waiting for the other rbp using {db} to finish"), waiting
    env = {"RBP_PASSPHRASE_FILE": str(first)}
    (draft,) = json.loads(rbp(db, "list", "--drafts", "--json", env=env).stdout)
    shown = json.loads(rbp(db, "show", str(draft["id"]), "--json", env=env).stdout)
    assert [a["text"] or a["rating"] for a in shown["answers"]] == ["the first answer", 4]


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_doctor_lists_plain_text_left_beside_an_encrypted_journal(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    first, _ = key_files(tmp_path)
    env = {"RBP_NEW_PASSPHRASE_FILE": str(first), "RBP_PASSPHRASE_FILE": str(first)}
    db = tmp_path / "journal.db"
    assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    assert rbp(db, "backup", str(tmp_path / "plain.db")).returncode == 0
    assert rbp(db, "encrypt", env=env).returncode == 0
    left = tmp_path / "journal.db.before-scan.bak"  # as an older rbp left it: plain
    (tmp_path / "plain.db").rename(left)
    doctor = rbp(db, "doctor", env=env)
    assert "plain text left" in doctor.stdout and str(left) in "".join(doctor.stdout.split())
    assert json.loads(rbp(db, "doctor", "--json", env=env).stdout)["plain_files"] == [str(left)]
    again = rbp(db, "encrypt", env=env)
    assert again.returncode == 0 and "encrypted the 1 rbp file left" in again.stderr
    assert json.loads(rbp(db, "doctor", "--json", env=env).stdout)["plain_files"] == []


@pytest.mark.slow  # several encrypted or whole-file rbp runs: 5-8 s on a busy 2-core machine
def test_a_decrypted_journal_is_searchable_by_pythons_own_sqlite(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    db = tmp_path / "journal.db"
    j = open_journal(db)
    add_reflection(j, {"what_happened": SENTENCE})
    add_reflection(j)
    j.cipher.encrypt(FIRST)
    j.recording.delete(2)  # turns on FTS5's secure-delete (an index format 3.40 cannot read)
    j.cipher.decrypt()
    j.close()
    conn = sqlite3.connect(db)  # Python's own SQLite, whatever its version
    found = conn.execute("SELECT rowid FROM answers_fts WHERE answers_fts MATCH 'zebraquill'")
    assert len(found.fetchall()) == 1
    conn.close()
    assert len(json.loads(rbp(db, "search", "zebraquill", "--json").stdout)) == 1


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_a_damaged_encrypted_page_is_called_damage_not_a_read_only_folder(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    first, _ = key_files(tmp_path)
    env = {"RBP_NEW_PASSPHRASE_FILE": str(first), "RBP_PASSPHRASE_FILE": str(first)}
    db = tmp_path / "journal.db"
    for _ in range(6):
        assert rbp(db, "reflect", "--answers", "-", input=reflection("w" * 3000)).returncode == 0
    assert rbp(db, "encrypt", env=env).returncode == 0
    data = bytearray(db.read_bytes())
    data[3 * 4096 + 2000] ^= 0x01
    db.write_bytes(bytes(data))
    result = rbp(db, "reflect", "--answers", "-", input=reflection("Another visit."), env=env)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "so rbp will not write to it" in result.stderr
    assert "read-only" not in result.stderr
    assert db.read_bytes() == bytes(data)


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_a_full_disk_keeps_the_words_outside_it(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    if not small_disk(folder, "1m"):
        pytest.skip("no tmpfs mounts on this machine")
    try:
        db = folder / "journal.db"
        assert rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
        filler = os.open(folder / "filler", os.O_CREAT | os.O_WRONLY, 0o600)
        try:  # fill the disk to the last block
            while os.write(filler, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(filler)
        # room for SQLite's -shm (32 KB, needed even to read), none for the answer below
        os.truncate(folder / "filler", (folder / "filler").stat().st_size - 48 * 1024)
        said = "A long careful answer that must not be lost. " * 2000
        full = rbp(db, "reflect", "--answers", "-", input=reflection(said))
        assert full.returncode == 1
        assert "the disk is full" in full.stderr and "damaged" not in full.stderr
        kept = Path(full.stderr.split("Your words are kept in ")[1].strip().rstrip("."))
        assert not kept.is_relative_to(folder)  # that disk is full: rbp's own folder in $HOME
        assert said in json.loads(kept.read_text())["answers"]["what_happened"]
        assert mode(kept) == "0o600"
        assert len(json.loads(rbp(db, "list", "--json").stdout)) == 1
    finally:
        unmount(folder)


@pytest.mark.slow  # several encrypted or whole-file rbp runs: 5-8 s on a busy 2-core machine
def test_words_kept_beside_an_encrypted_journal_are_encrypted_and_nowhere_else(
    tmp_path: Path,
) -> None:
    pytest.importorskip("sqlcipher3")
    import tempfile

    from rbp_journal.store import Key, files

    first, _ = key_files(tmp_path)
    env = {"RBP_NEW_PASSPHRASE_FILE": str(first), "RBP_PASSPHRASE_FILE": str(first)}
    folder = tmp_path / "j"
    db = folder / "journal.db"
    assert rbp(db, "reflect", "--answers", "-", input=reflection("Before.")).returncode == 0
    assert rbp(db, "encrypt", env=env).returncode == 0
    temp_before = set(Path(tempfile.gettempdir()).glob("rbp-*"))
    said = f"{SENTENCE}. " + "A long careful answer. " * 15_000  # 345 KB: the WAL outgrows
    limit = file_size_limit(400_000)  # the limit, the kept copy does not
    refused = rbp(db, "reflect", "--answers", "-", input=reflection(said), env=env, preexec=limit)
    assert refused.returncode == 1
    kept = Path(refused.stderr.split("Your words are kept in ")[1].strip().rstrip("."))
    assert kept.parent == folder / "unsaved" and kept.suffix == ".db"
    assert holding(tmp_path) == []  # encrypted: no planted word readable anywhere
    assert set(Path(tempfile.gettempdir()).glob("rbp-*")) == temp_before
    marker = encryption.read_marker(kept)
    assert marker is not None
    words = files.read_kept(kept, Key(marker, FIRST))
    assert words["answers"]["what_happened"] == said
