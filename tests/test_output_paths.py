"""`--output` writes through: a regular file whole (symlinks followed, mode kept, owner-only
when new), anything else straight into it (FIFO, process substitution), never a rename over
something that is not a regular file, and never over the journal or its own files."""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from rbp_journal.journal import Journal
from rbp_journal.models.reflection import AnswersPayload

from conftest import CORE_ANSWERS, installed_rbp


@pytest.fixture
def one(journal: Journal) -> Journal:
    journal.recording.record(AnswersPayload.model_validate(CORE_ANSWERS))
    return journal


def test_a_symlink_is_followed_and_stays_a_symlink(rbp, one: Journal, tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert rbp(["export", "--format", "json", "--output", str(link)]).exit_code == 0
    assert link.is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["reflections"][0]["client"] == "C-014"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".json")) == [
        "link.json",
        "real.json",
    ]


def test_a_dangling_symlink_writes_its_target(rbp, one: Journal, tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "later.md")
    assert rbp(["export", "--output", str(link)]).exit_code == 0
    assert link.is_symlink() and "## Reflection 1" in (tmp_path / "later.md").read_text()
    assert stat.S_IMODE((tmp_path / "later.md").stat().st_mode) == 0o600


def test_a_fifo_is_written_into(rbp, one: Journal, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = rbp(["export", "--format", "jsonl", "--output", str(fifo)])
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got and got[0].decode().startswith('{"format": "rbp-export"')


def test_a_process_substitution_is_written_into(one: Journal, tmp_path: Path) -> None:
    command = f"{' '.join(installed_rbp())} export --format json --output >(gzip > out.json.gz)"
    done = subprocess.run(
        ["bash", "-c", command + "; wait"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(gzip.decompress((tmp_path / "out.json.gz").read_bytes()))
    assert document["reflections"][0]["client"] == "C-014"


def test_a_hard_linked_file_is_written_in_place(rbp, one: Journal, tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("old", encoding="utf-8")
    os.link(first, second)
    assert rbp(["export", "--format", "csv", "--output", str(first)]).exit_code == 0
    assert second.read_text(encoding="utf-8").startswith("reflection_id,")


@pytest.mark.parametrize("name", ["journal.db", "journal.db-wal", "journal.db-shm", "backups/x.db",
                                  "journal.db.before-scan.bak"])  # fmt: skip
def test_the_journal_and_its_files_are_refused(rbp, one: Journal, db_path: Path, name: str) -> None:
    before = db_path.read_bytes()
    target = db_path.parent / name
    target.parent.mkdir(exist_ok=True)
    result = rbp(["export", "--output", str(target)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: --output {target} is the journal or one of its own files (its -wal, -shm or "
        "backups); choose another file.\n"
    )
    assert db_path.read_bytes() == before


def test_the_journal_through_a_symlink_is_refused(rbp, one: Journal, db_path: Path) -> None:
    link = db_path.parent / "innocent.md"
    link.symlink_to(db_path)
    assert rbp(["export", "--output", str(link)]).exit_code == 1
    assert rbp(["cpd", "export", "--output", str(link)]).exit_code == 1
