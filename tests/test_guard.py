"""The privacy guard at the moment of writing, in stored reflections, and in exports."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from rbp_journal.journal import Journal, open_journal
from rbp_journal.models.reflection import AnswersPayload

from conftest import CORE_ANSWERS

PHONE = "07700 900123"
EMAIL = "dad.parent@example.com"
STRUCTURED = {"email", "phone", "nhs", "ni", "postcode"}
CORPUS = Path(__file__).parent / "data" / "identifiers.jsonl"


def with_details(**changes: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(CORE_ANSWERS))
    data["answers"]["what_happened"] = f"Mrs Khan rang from {PHONE} and wrote to {EMAIL}."
    data.update(changes)
    return data


def test_answers_are_stored_as_given_with_a_list(rbp) -> None:
    result = rbp("reflect --answers -", input=json.dumps(with_details()))
    assert result.exit_code == 0
    assert "3 identifying details found:" in result.stderr
    assert f"what_happened: [phone] '{PHONE}'" in result.stderr
    assert "what_happened: [name] 'Khan'" in result.stderr
    stored = json.loads(rbp("show 1 --json").stdout)["answers"][0]["text"]
    assert PHONE in stored


def test_mask_stores_the_masked_text(rbp) -> None:
    data = with_details(followups=[{"text": f"Ring back on {PHONE}"}])
    result = rbp("reflect --answers - --mask", input=json.dumps(data))
    assert result.exit_code == 0
    shown = json.loads(rbp("show 1 --json").stdout)
    assert shown["answers"][0]["text"] == "Mrs [name] rang from [phone] and wrote to [email]."
    assert shown["followups"][0]["text"] == "Ring back on [phone]"


def test_strict_stores_nothing(rbp) -> None:
    result = rbp("reflect --answers - --strict", input=json.dumps(with_details()))
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "Error: 3 identifying details found and --strict was given; nothing was saved. "
        "Remove them, or use --mask.\n"
    )
    assert rbp("list --json").stdout == "[]\n"


def test_allow_list_is_never_flagged(rbp, isolated: Path) -> None:
    config = isolated / "home" / ".config" / "rbp"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(f'[privacy]\nallow = ["{PHONE}"]\n', encoding="utf-8")
    result = rbp("reflect --answers - --strict", input=json.dumps(with_details()))
    assert "[phone]" not in result.stderr
    assert "2 identifying details found" in result.stderr


def test_broken_config_is_reported(rbp, isolated: Path) -> None:
    config = isolated / "home" / ".config" / "rbp"
    config.mkdir(parents=True)
    (config / "config.toml").write_text("[privacy]\nallow = 3\n", encoding="utf-8")
    result = rbp("reflect --answers -", input=json.dumps(with_details()))
    assert result.exit_code == 1
    assert "config.toml: `privacy.allow`" in result.stderr


def test_the_allow_list_is_read_when_a_text_needs_it(
    rbp, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = isolated / "home" / ".config" / "rbp"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(f'[privacy]\nallow = ["{PHONE}"]\n', encoding="utf-8")
    from rbp_journal import config as settings

    reads: list[Path | None] = []
    load = settings.load
    monkeypatch.setattr(settings, "load", lambda path=None: reads.append(path) or load(path))
    plain = json.loads(json.dumps(CORE_ANSWERS))
    assert rbp("reflect --answers -", input=json.dumps(plain)).exit_code == 0
    assert reads == []  # nothing to let through: the file is not even looked for
    result = rbp("reflect --answers -", input=json.dumps(with_details()))
    assert result.exit_code == 0 and "2 identifying details found" in result.stderr
    assert len(reads) == 1
    allowed = settings.allow_list()
    assert (list(allowed), len(allowed), allowed[0], len(reads)) == ([PHONE], 1, PHONE, 2)


def test_interactive_answer_is_masked_with_one_key(rbp) -> None:
    typed = [
        f"Rang dad on {PHONE}.",
        "",
        "",
        "4",
        "3",
        "4",
        "3",
        "2",
        "",
        "4",
        "",
        "4",
        "Ask first.",
        "",
        "",
        "",
    ]  # fmt: skip  (the last: Enter saves, at the summary)
    result = rbp("reflect", input="\n".join(typed) + "\n")
    assert result.exit_code == 0, result.output
    assert "This may identify someone: [phone]." in result.stderr
    assert json.loads(rbp("show 1 --json").stdout)["answers"][0]["text"] == "Rang dad on [phone]."


def test_interactive_retype_and_keep(rbp) -> None:
    typed = [f"Rang dad on {PHONE}.", "", "r", "Rang dad.", "", "4", "3", "4", "3", "2", "", "4",
             f"Wrote to {EMAIL}", "", "k", "4", "Ask first.", "", "", ""]  # fmt: skip
    result = rbp("reflect", input="\n".join(typed) + "\n")
    assert result.exit_code == 0, result.output
    answers = {
        a["prompt_id"]: a["text"] for a in json.loads(rbp("show 1 --json").stdout)["answers"]
    }
    assert answers["what_happened"] == "Rang dad."
    assert answers["assumptions_note"] == f"Wrote to {EMAIL}"


def test_name_like_client_code_warns(rbp) -> None:
    result = rbp("reflect --answers - --client Mrs_Khan", input=json.dumps(CORE_ANSWERS))
    assert "--client 'Mrs_Khan' looks like a name" in result.stderr
    assert result.exit_code == 0
    quiet = rbp("reflect --answers - --client C-015", input=json.dumps(CORE_ANSWERS))
    assert "looks like a name" not in quiet.stderr


def test_clients(rbp, journal: Journal) -> None:
    for client, day in [("C-001", "2026-11-01"), ("C-002", "2026-11-05"), ("C-001", "2026-11-10")]:
        journal.recording.record(
            AnswersPayload.model_validate({**CORE_ANSWERS, "client": client, "date": day})
        )
    rows = json.loads(rbp("clients --json").stdout)
    assert rows == [
        {"client": "C-001", "reflections": 2, "last_seen": "2026-11-10"},
        {"client": "C-002", "reflections": 1, "last_seen": "2026-11-05"},
    ]
    assert "C-001" in rbp("clients").stdout


def corpus_journal(journal: Journal) -> list[str]:
    """A journal holding every corpus line; returns the structured identifiers planted."""
    planted = []
    lines = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    for number, line in enumerate(lines):
        data = json.loads(json.dumps(CORE_ANSWERS))
        data["answers"]["what_happened"] = line["text"]
        data["date"] = f"2026-{number % 12 + 1:02d}-{number % 28 + 1:02d}"
        journal.recording.record(AnswersPayload.model_validate(data))
        planted += [span["text"] for span in line["spans"] if span["kind"] in STRUCTURED]
    return planted


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The corpus journal built once for the module (400 records), copied by each test."""
    path = tmp_path_factory.mktemp("corpus") / "journal.db"
    journal = open_journal(path)
    planted = corpus_journal(journal)
    journal.close()
    return path, planted


@pytest.mark.parametrize("fmt", ["markdown", "json", "jsonl", "csv"])
def test_redacted_export_leaves_no_identifier(
    rbp, db_path: Path, corpus_file: tuple[Path, list[str]], fmt: str
) -> None:
    shutil.copyfile(corpus_file[0], db_path)
    planted = corpus_file[1]
    assert len(planted) > 100
    plain = rbp(f"export --format {fmt}").stdout
    redacted = rbp(f"export --format {fmt} --redact").stdout
    assert all(p in plain for p in planted)
    left = [p for p in planted if p in redacted]
    assert left == []
    assert "[phone]" in redacted and "[NHS number]" in redacted


def test_scan_lists_and_masks_with_a_backup(rbp, journal: Journal, db_path: Path) -> None:
    journal.recording.record(AnswersPayload.model_validate(with_details()))
    journal.recording.record(AnswersPayload.model_validate(CORE_ANSWERS))
    hits = json.loads(rbp("scan --json").stdout)
    assert [(h["reflection_id"], h["where"], h["kind"]) for h in hits] == [
        (1, "what_happened", "name"),
        (1, "what_happened", "phone"),
        (1, "what_happened", "email"),
    ]
    declined = rbp("scan --mask", input="n\n")
    assert declined.exit_code == 1 and "Nothing was changed." in declined.stderr
    assert json.loads(rbp("scan --json").stdout) == hits
    masked = rbp("scan --mask --yes")
    assert masked.exit_code == 0 and "Masked 1 field." in masked.stderr
    assert json.loads(rbp("scan --json").stdout) == []
    backup = db_path.with_name("journal.db.before-scan.bak")
    assert backup.exists() and stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert PHONE.encode() not in db_path.read_bytes()


def test_review_never_shows_more_than_the_client_code(rbp, journal: Journal) -> None:
    data = with_details()
    data["answers"]["differently"] = f"Call {PHONE} first next time."
    data["followups"] = [{"text": f"Email {EMAIL}", "due": "2026-11-27"}]
    data["date"] = "2026-11-20"
    journal.recording.record(AnswersPayload.model_validate(data))
    for fmt in ("rich", "markdown", "json"):
        out = rbp(f"review --since 2026-11-16 --until 2026-11-22 --format {fmt}").stdout
        assert PHONE not in out and EMAIL not in out, fmt
        assert "phone\\]" in out or "[phone]" in out
        assert "C-014" in out


def test_files_rbp_writes_are_owner_only_whatever_the_umask(
    rbp, journal: Journal, tmp_path: Path
) -> None:
    journal.recording.record(AnswersPayload.model_validate(CORE_ANSWERS))
    old = os.umask(0)
    try:
        out = tmp_path / "export.md"
        assert rbp(["export", "--output", str(out)]).exit_code == 0
        assert rbp(["export", "--split", str(tmp_path / "split")]).exit_code == 0
        fresh = tmp_path / "fresh" / "j.db"
        assert (
            rbp(
                ["--db", str(fresh), "reflect", "--answers", "-"], input=json.dumps(CORE_ANSWERS)
            ).exit_code
            == 0
        )
    finally:
        os.umask(old)
    for path in [out, *(tmp_path / "split").iterdir(), fresh, *fresh.parent.glob("j.db-*")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in (tmp_path / "split", fresh.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
