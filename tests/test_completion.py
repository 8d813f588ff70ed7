"""Shell completion: values for sets, formats, settings, clients and tags, quoted so that what
is inserted is one word (a tag `a;b` never runs `b`), fast, and never creating a journal."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from rbp_journal import completion
from rbp_journal.cli import load
from rbp_journal.journal import Journal
from rbp_journal.models.base import SETTINGS
from rbp_journal.models.reflection import AnswersPayload

from conftest import CORE_ANSWERS, installed_rbp


@pytest.fixture
def tagged(journal: Journal) -> Journal:
    for code, tag in (("C-014", "a;b"), ("C-015", "first visit"), ("K-7", "$(touch pwned)")):
        data: dict[str, Any] = json.loads(json.dumps(CORE_ANSWERS))
        data |= {"client": code, "tags": [tag]}
        journal.recording.record(AnswersPayload.model_validate(data))
    return journal


def tab(words: str, env: dict[str, str] | None = None) -> list[str]:
    """What `rbp` answers a bash TAB with, the cursor at the end of `words`."""
    split = words.split(" ")
    done = subprocess.run(
        installed_rbp(),
        env={**os.environ, **(env or {}), "_RBP_COMPLETE": "complete_bash",
             "COMP_WORDS": "\n".join(split), "COMP_CWORD": str(len(split) - 1)},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout.splitlines()


def test_values_are_completed_and_quoted(tagged: Journal) -> None:
    assert tab("rbp list --tag ") == ["'$(touch pwned)'", "'a;b'", "'first visit'"]
    assert tab("rbp export --client C-01") == ["C-014", "C-015"]
    assert tab("rbp reflect --set c") == ["core", "crisis"]
    assert tab("rbp prompts show g") == ["gibbs"]
    assert tab("rbp reflect --setting ") == list(SETTINGS)
    assert tab("rbp export --format j") == ["json", "jsonl"]
    assert tab("rbp cpd export --format ") == ["markdown", "json", "csv"]
    assert tab("rbp followups --client C-014 --format ") == ["rich", "json", "ics"]
    assert tab("rbp li") == ["list"]  # commands are Typer's own


def test_a_completed_tag_is_one_word_in_a_real_bash(tagged: Journal, tmp_path: Path) -> None:
    script = subprocess.run(
        [*installed_rbp(), "--show-completion", "bash"], capture_output=True, text=True,
        env={**os.environ, "SHELL": "/bin/bash"}, timeout=60,
    ).stdout  # fmt: skip
    assert "_rbp_completion" in script
    rbp_dir = str(Path(installed_rbp()[0]).parent)
    session = f"""
        export PATH={rbp_dir}:$PATH
        {script}
        for typed in a f '$'; do
            COMP_WORDS=(rbp list --tag "$typed"); COMP_CWORD=3
            _rbp_completion rbp
            line="show list --tag ${{COMPREPLY[0]}}"
            show() {{ printf '<%s>' "$@"; echo; }}
            b() {{ echo RAN-B; }}
            eval "$line"
        done
    """
    done = subprocess.run(["bash", "-c", session], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.stdout.splitlines() == [
        "<list><--tag><a;b>",
        "<list><--tag><first visit>",
        "<list><--tag><$(touch pwned)>",
    ], done.stderr
    assert not (tmp_path / "pwned").exists()


def test_completion_never_creates_a_journal(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "journal.db"
    assert tab("rbp list --client ", {"RBP_DB": str(missing)}) == []
    assert tab("rbp list --tag ", {"RBP_DB": str(missing)}) == []
    zsh = subprocess.run(
        installed_rbp(),
        env={**os.environ, "RBP_DB": str(missing), "_RBP_COMPLETE": "complete_zsh",
             "_TYPER_COMPLETE_ARGS": "rbp list --client "},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert zsh.returncode == 0 and "Traceback" not in zsh.stderr
    assert not missing.exists() and not missing.parent.exists()


def test_a_journal_that_cannot_be_read_completes_nothing(db_path: Path) -> None:
    db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    before = db_path.read_bytes()
    assert tab("rbp list --client ") == []
    assert db_path.read_bytes() == before


def test_the_tables_match_the_commands() -> None:
    for command, choices in completion.FORMATS.items():
        name, _, sub = command.partition(" ")
        click_command = load(name)
        if sub:
            click_command = click_command.commands[sub]
        (option,) = [p for p in click_command.params if "--format" in p.opts]
        typed = getattr(getattr(option, "type", None), "choices", None)  # click's Choice
        given = typed or [member.value for member in option.type_descriptor.annotation]
        assert tuple(given) == choices, command
    assert completion.SETTINGS == SETTINGS
