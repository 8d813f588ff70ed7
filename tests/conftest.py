"""Every test gets its own home, config and journal, so none can touch a real journal."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from rbp_journal.cli import app, common
from rbp_journal.journal import Journal, open_journal
from rbp_journal.models.reflection import AnswersPayload

CORE_ANSWERS: dict[str, Any] = {
    "set": "core",
    "client": "C-014",
    "date": "2026-11-20",
    "setting": "home-visit",
    "tags": ["first-visit"],
    "answers": {
        "what_happened": "Met the family at home; we talked about school mornings.",
        "listened": 4,
        "empathy": 3,
        "trust": 4,
        "power": 3,
        "voice": 2,
        "assumptions": 4,
        "emotional_load": 4,
        "differently": "Ask the young person first, before the parents.",
    },
    "followups": [{"text": "Send the housing referral", "due": "2026-11-27"}],
}


def payload(updates: dict[str, Any] | None = None, **changes: Any) -> AnswersPayload:
    """CORE_ANSWERS with top-level keys replaced by `changes` (`answers=` replaces them all)
    and single answers changed by `updates`."""
    data: dict[str, Any] = json.loads(json.dumps(CORE_ANSWERS))
    data.update(changes)
    data["answers"] = {**data["answers"], **(updates or {})}
    return AnswersPayload.model_validate(data)


def add_reflection(journal: Journal, updates: dict[str, Any] | None = None, **changes: Any) -> int:
    """The shared factory: a reflection stored through rbp's own writing path."""
    return journal.recording.record(payload(updates, **changes))


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("RBP_DB", str(tmp_path / "journal.db"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    common.out.cache_clear()  # each test's consoles see its own COLUMNS and NO_COLOR
    common.err.cache_clear()
    return tmp_path


@pytest.fixture
def db_path(isolated: Path) -> Path:
    return isolated / "journal.db"


@pytest.fixture
def rbp() -> Callable[..., Result]:
    runner = CliRunner()

    def run(args: str | list[str], input: str | None = None) -> Result:
        argv = shlex.split(args) if isinstance(args, str) else args
        return runner.invoke(app, argv, input=input)

    return run


@pytest.fixture
def journal(db_path: Path) -> Journal:
    j = open_journal(db_path)
    yield j  # type: ignore[misc]
    j.close()


@pytest.fixture
def answers_file(tmp_path: Path) -> Callable[[dict[str, Any]], Path]:
    def write(data: dict[str, Any]) -> Path:
        path = tmp_path / "answers.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    return write


def installed_rbp() -> list[str]:
    script = Path(sys.executable).with_name("rbp")
    if script.exists():
        return [str(script)]
    found = shutil.which("rbp")
    return [found] if found else [sys.executable, "-m", "rbp_journal"]


@pytest.fixture
def run_rbp() -> Callable[..., subprocess.CompletedProcess[str]]:
    """The installed `rbp`, as a real process."""

    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*installed_rbp(), *args],
            input=input,
            capture_output=True,
            text=True,
            timeout=60,
            env=os.environ.copy(),
        )

    return run


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("RBP_RUN_SLOW"):
        return
    skip = pytest.mark.skip(reason="slow; set RBP_RUN_SLOW=1 (as .ci/run does) to run it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
