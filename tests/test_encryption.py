"""Encryption at rest: a journal only its owner can open, and every command as before."""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from rbp_journal import encryption
from rbp_journal.encryption import Marker, NoPassphrase, find_passphrase, make_marker
from rbp_journal.journal import open_journal
from rbp_journal.models.reflection import AnswersPayload

from conftest import CORE_ANSWERS

pytest.importorskip("sqlcipher3")

SECRET_SENTENCE = "The kitchen smelled of burnt toast and lavender"


def secret_file(folder: Path, name: str, passphrase: str) -> Path:
    path = folder / name
    path.write_text(passphrase + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def with_sentence(n: int) -> str:
    data: dict[str, Any] = json.loads(json.dumps(CORE_ANSWERS))
    data["answers"]["what_happened"] = f"{SECRET_SENTENCE}, visit {n}."
    data["client"] = f"C-{n:03d}"
    return json.dumps(data)


def files_holding(folder: Path, text: str) -> list[str]:
    needle = text.encode()
    return [str(p) for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


@pytest.fixture
def keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    first = secret_file(tmp_path, "first.key", "correct horse battery")
    second = secret_file(tmp_path, "second.key", "a new and longer passphrase")
    monkeypatch.setenv("RBP_NEW_PASSPHRASE_FILE", str(first))
    return first, second


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_round_trip_through_every_command(
    rbp, run_rbp, db_path: Path, keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = keys
    for n in range(3):  # in-process where the journal is plain; real processes from encrypt on
        assert rbp(["reflect", "--answers", "-"], input=with_sentence(n)).exit_code == 0
    before = json.loads(rbp("export --format json").stdout)["reflections"]
    folder = db_path.parent
    assert files_holding(folder, SECRET_SENTENCE)  # plain, as it was

    encrypted = run_rbp("encrypt")
    assert encrypted.returncode == 0, encrypted.stderr
    assert files_holding(folder, SECRET_SENTENCE) == []  # journal and its daily backup
    assert json.loads(encryption.marker_path(db_path).read_text())["cipher"].startswith(
        "sqlcipher 4"
    )

    locked = rbp("list")
    assert locked.exit_code == 1 and "RBP_PASSPHRASE_FILE" in locked.stderr
    monkeypatch.setenv("RBP_PASSPHRASE_FILE", str(first))
    # in-process, so the key is derived once for all of them (encryption.connect caches it)
    for command in (["list"], ["show", "1"], ["search", "lavender"], ["review", "--month"],
                    ["trends", "--format", "json"], ["followups"], ["clients"], ["scan"], ["doctor"]):  # fmt: skip
        result = rbp(command)
        assert result.exit_code == 0, (command, result.stderr)
    assert "lavender" in rbp("search lavender").stdout
    assert json.loads(run_rbp("export", "--format", "json").stdout)["reflections"] == before
    assert run_rbp("reflect", "--answers", "-", input=with_sentence(3)).returncode == 0

    journal = open_journal(db_path, passphrase=lambda note: "correct horse battery")
    journal.recording.record(
        AnswersPayload.model_validate_json(with_sentence(4))
    )  # the WAL is live now
    assert Path(f"{db_path}-wal").exists()
    assert files_holding(folder, SECRET_SENTENCE) == []
    journal.close()

    monkeypatch.setenv("RBP_NEW_PASSPHRASE_FILE", str(second))
    assert run_rbp("passphrase").returncode == 0
    old = run_rbp("list")
    assert old.returncode == 1 and "does not open" in old.stderr
    monkeypatch.setenv("RBP_PASSPHRASE_FILE", str(second))
    assert run_rbp("decrypt", "--yes").returncode == 0
    monkeypatch.delenv("RBP_PASSPHRASE_FILE")
    after = json.loads(rbp("export --format json").stdout)["reflections"]
    assert after[:3] == before and len(after) == 5
    assert not encryption.marker_path(db_path).exists()
    doctor = rbp("doctor")
    assert "not encrypted" in doctor.stdout


def encrypted_journal(db_path: Path, first: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    journal = open_journal(db_path)
    for n in range(60):
        journal.recording.record(AnswersPayload.model_validate_json(with_sentence(n)))
    journal.cipher.encrypt("correct horse battery")
    journal.close()
    monkeypatch.setenv("RBP_PASSPHRASE_FILE", str(first))


def test_a_flipped_byte_is_an_error_never_garbage(
    rbp, db_path: Path, keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypted_journal(db_path, keys[0], monkeypatch)
    data = bytearray(db_path.read_bytes())
    pages = random.Random(7).sample(range(1, len(data) // 4096), 8)  # page 1: the test below
    errors = 0
    for page in pages:
        damaged = bytearray(data)
        damaged[page * 4096 + 2000] ^= 0x01
        db_path.write_bytes(bytes(damaged))
        result = rbp("export --format json")
        if result.exit_code == 0:  # a page export does not read (free, or the search index)
            assert json.loads(result.stdout)["reflections"][0]["answers"][0]["text"].startswith(
                SECRET_SENTENCE
            )
            continue
        assert result.exit_code == 1 and result.stderr.startswith("Error: ")
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
        errors += 1
    assert errors  # most pages hold reflections: some flips must have been read
    db_path.write_bytes(bytes(data))
    assert rbp("doctor").exit_code == 0


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_wrong_passphrase_and_damage_are_told_apart(
    run_rbp, db_path: Path, keys: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypted_journal(db_path, keys[0], monkeypatch)
    monkeypatch.setenv(
        "RBP_PASSPHRASE_FILE", str(secret_file(tmp_path, "wrong.key", "not the passphrase"))
    )
    before = db_path.read_bytes()
    wrong = run_rbp("list")
    assert wrong.returncode == 1 and "That passphrase does not open" in wrong.stderr
    assert db_path.read_bytes() == before
    monkeypatch.setenv("RBP_PASSPHRASE_FILE", str(keys[0]))
    damaged = bytearray(before)
    damaged[100] ^= 0xFF  # inside page 1, whose HMAC then fails
    db_path.write_bytes(bytes(damaged))
    broken = run_rbp("list")
    assert broken.returncode == 1 and "cannot be read" in broken.stderr
    assert "does not open" not in broken.stderr
    assert db_path.read_bytes() == bytes(damaged)


def test_without_the_extra_says_how_to_install(
    rbp, db_path: Path, keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypted_journal(db_path, keys[0], monkeypatch)
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # import fails as if not installed
    result = rbp("list")
    assert result.exit_code == 1
    assert "pip install 'rbp-journal[encryption]'" in result.stderr


def test_a_plain_journal_says_it_is_not_encrypted(rbp, db_path: Path) -> None:
    rbp("reflect --answers -", input=json.dumps(CORE_ANSWERS))
    health = json.loads(rbp("doctor --json").stdout)
    assert health["encryption"] is None
    assert "not encrypted (`rbp encrypt` encrypts it)" in rbp("doctor").stdout


def test_a_file_with_no_marker_is_not_taken_for_a_journal(
    run_rbp, db_path: Path, keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypted_journal(db_path, keys[0], monkeypatch)
    encryption.marker_path(db_path).unlink()
    result = run_rbp("list")
    assert result.returncode == 1 and "is not an SQLite database" in result.stderr


# --- unlocking order: file, keyring, prompt ------------------------------------------------


class FakeKeyring:
    def __init__(self, stored: str | None, broken: bool = False) -> None:
        self.stored, self.broken = stored, broken
        self.errors = types.SimpleNamespace(KeyringError=type("KeyringError", (Exception,), {}))

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        module = types.ModuleType("keyring")
        errors = types.ModuleType("keyring.errors")
        errors.KeyringError = self.errors.KeyringError  # type: ignore[attr-defined]
        module.get_password = self.get_password  # type: ignore[attr-defined]
        module.set_password = self.set_password  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "keyring", module)
        monkeypatch.setitem(sys.modules, "keyring.errors", errors)

    def get_password(self, service: str, user: str) -> str | None:
        if self.broken:
            raise self.errors.KeyringError("no backend")
        return self.stored

    def set_password(self, service: str, user: str, secret: str) -> None:
        self.stored = secret


def asked(note: str) -> str:
    asked.notes.append(note)  # type: ignore[attr-defined]
    return "typed"


@pytest.fixture
def marker(monkeypatch: pytest.MonkeyPatch) -> Marker:
    monkeypatch.delenv("RBP_PASSPHRASE_FILE", raising=False)
    asked.notes = []  # type: ignore[attr-defined]
    return make_marker("anything", keyring=True)


def test_the_file_comes_first(
    marker: Marker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    FakeKeyring("from keyring").install(monkeypatch)
    monkeypatch.setenv("RBP_PASSPHRASE_FILE", str(secret_file(tmp_path, "k", "from file")))
    assert find_passphrase(tmp_path / "j.db", marker, asked) == "from file"
    assert asked.notes == []  # type: ignore[attr-defined]


def test_then_the_keyring_when_chosen(
    marker: Marker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    FakeKeyring("from keyring").install(monkeypatch)
    assert find_passphrase(tmp_path / "j.db", marker, asked) == "from keyring"
    not_chosen = Marker(marker.cipher, marker.salt, marker.check, keyring=False)
    assert find_passphrase(tmp_path / "j.db", not_chosen, asked) == "typed"


def test_then_the_prompt_with_a_reason(
    marker: Marker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    FakeKeyring(None, broken=True).install(monkeypatch)
    assert find_passphrase(tmp_path / "j.db", marker, asked) == "typed"
    assert asked.notes == ["No system keyring is available here; asking instead."]  # type: ignore[attr-defined]
    with pytest.raises(NoPassphrase):
        find_passphrase(tmp_path / "j.db", marker, None)


def test_remember_stores_it_in_the_keyring(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keyring = FakeKeyring(None)
    keyring.install(monkeypatch)
    journal = open_journal(db_path)
    journal.recording.record(AnswersPayload.model_validate(CORE_ANSWERS))
    journal.cipher.encrypt("remembered passphrase", remember=True)
    journal.close()
    assert keyring.stored == "remembered passphrase"
    reopened = open_journal(db_path, passphrase=None)  # no prompt, no file: the keyring answers
    assert reopened.store.reflections.counts()["reflections"] == 1
    reopened.close()
    with sqlite3.connect(db_path) as plain, pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_plain_editor_texts_left_beside_an_encrypted_journal_are_reported(
    run_rbp, db_path: Path, keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypted_journal(db_path, keys[0], monkeypatch)
    left = db_path.parent / "rbp-x1y2.md"
    left.write_text("an editor's text from a crash", encoding="utf-8")
    result = run_rbp("list", "-n", "1")
    assert result.returncode == 0
    assert f"Unencrypted text left beside the journal: {left}" in result.stderr


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_backups_of_an_encrypted_journal_are_encrypted_and_restore(
    run_rbp, db_path: Path, keys: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypted_journal(db_path, keys[0], monkeypatch)
    copy = tmp_path / "copy.db"
    assert run_rbp("backup", str(copy)).returncode == 0
    assert encryption.marker_path(copy).exists()
    assert SECRET_SENTENCE.encode() not in copy.read_bytes()
    assert run_rbp("delete", "1", "--yes").returncode == 0
    restored = run_rbp("restore", str(copy), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert len(json.loads(run_rbp("list", "--json", "-n", "100").stdout)) == 60
