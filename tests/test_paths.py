"""Where the journal and the settings live when no --db or RBP_DB says: on Linux the XDG base
directories, found without importing platformdirs, in the folders platformdirs gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from rbp_journal import paths

from conftest import CORE_ANSWERS

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the XDG folders are Linux's")


@pytest.mark.parametrize("xdg", [None, "/srv/people/sam/data"], ids=["unset", "absolute"])
def test_the_folders_are_those_platformdirs_gives(
    xdg: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        if xdg is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, f"{xdg}/{variable.lower()}")
    data = Path(platformdirs.user_data_dir("rbp", appauthor=False))
    assert paths.journal_path_default() == data / "journal.db"
    assert paths.config_dir() == Path(platformdirs.user_config_dir("rbp", appauthor=False))
    expected = tmp_path / ".local" / "share" if xdg is None else Path(xdg, "xdg_data_home")
    assert paths.journal_path_default() == expected / "rbp" / "journal.db"


@pytest.mark.parametrize("xdg", ["", "relative/data"], ids=["empty", "relative"])
def test_a_relative_or_empty_xdg_folder_is_ignored_as_the_spec_says(
    xdg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", xdg)
    monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
    assert paths.journal_path_default() == tmp_path / ".local/share/rbp/journal.db"
    assert paths.config_dir() == tmp_path / ".config" / "rbp"


def test_an_unusual_home_is_left_to_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "not/absolute")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    data = Path(platformdirs.user_data_dir("rbp", appauthor=False))
    assert paths.journal_path_default() == data / "journal.db"


LOADED = """
import atexit, sys
def report(path):
    with open(path, "w") as out:
        out.write(" ".join(sorted({m.split(".")[0] for m in sys.modules} & {"platformdirs"})))
atexit.register(report, sys.argv[1])
sys.argv = ["rbp", *sys.argv[2:]]
from rbp_journal.launch import main
main()
"""


def test_commands_without_db_find_the_journal_without_platformdirs(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RBP_", "XDG_"))}
    env |= {"HOME": str(tmp_path), "NO_COLOR": "1"}
    loaded = tmp_path / "loaded.txt"

    def rbp(*argv: str, given: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", LOADED, str(loaded), *argv],
            input=given, capture_output=True, text=True, env=env, timeout=60,
        )  # fmt: skip

    stored = rbp("reflect", "--answers", "-", given=json.dumps(CORE_ANSWERS))
    assert stored.returncode == 0, stored.stderr
    assert (tmp_path / ".local/share/rbp/journal.db").is_file()
    for argv in (["list"], ["review", "--month"]):
        done = rbp(*argv)
        assert done.returncode == 0, done.stderr
        assert loaded.read_text() == "", argv
