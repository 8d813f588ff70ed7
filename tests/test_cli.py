"""The command line as a person and a script meet it: help, listing, prompts, doctor."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rbp_journal.cli import COMMANDS, GROUPS, load

from conftest import CORE_ANSWERS

ROOT = Path(__file__).resolve().parents[1]


def all_commands() -> list[str]:
    names = []
    for name in COMMANDS:
        names.append(name)
        if name in GROUPS:
            names += [f"{name} {sub}" for sub in load(name).commands]
    return names


@pytest.mark.parametrize("command", all_commands())
def test_every_command_has_help_with_an_example(rbp, command: str) -> None:
    result = rbp(f"{command} --help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"rbp {command}" in result.stdout


@pytest.mark.parametrize("command", all_commands())
def test_every_command_is_in_the_readme(command: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"rbp {command}" in readme


def test_version(rbp) -> None:
    from rbp_journal import __version__

    assert rbp("--version").stdout == f"rbp {__version__}\n"


def test_unknown_option_is_a_usage_error(rbp) -> None:
    result = rbp("list --colour")
    assert result.exit_code == 2


def add(rbp, answers_file, **changes) -> None:
    data = {**CORE_ANSWERS, **changes}
    result = rbp(["reflect", "--answers", str(answers_file(data))])
    assert result.exit_code == 0, result.stderr


def test_list_filters_and_json(rbp, answers_file) -> None:
    add(rbp, answers_file, date="2026-11-01", client="C-001", tags=["court"])
    add(rbp, answers_file, date="2026-11-10", client="C-002", tags=[])
    add(rbp, answers_file, date="2026-11-20", client="C-001", tags=["court", "first-visit"])

    def ids(args: str) -> list[int]:
        result = rbp(f"list --json {args}")
        assert result.exit_code == 0, result.stderr
        return [row["id"] for row in json.loads(result.stdout)]

    assert ids("") == [3, 2, 1]
    assert ids("-n 2") == [3, 2]
    assert ids("--since 2026-11-05") == [3, 2]
    assert ids("--until 2026-11-10") == [2, 1]
    assert ids("--client C-001") == [3, 1]
    assert ids("--tag court") == [3, 1]
    assert ids("--set crisis") == []
    row = json.loads(rbp("list --json -n 1").stdout)[0]
    assert row == {
        "id": 3,
        "session_date": "2026-11-20",
        "client": "C-001",
        "setting": "home-visit",
        "set_id": "core",
        "status": "done",
        "tags": ["court", "first-visit"],
        "excerpt": CORE_ANSWERS["answers"]["what_happened"],
    }
    table = rbp("list").stdout
    assert re.search(r"^3\s+2026-11-20\s+C-001\s+home-visit\s+core", table, re.MULTILINE)


def test_show_formats(rbp, answers_file) -> None:
    add(rbp, answers_file)
    markdown = rbp("show 1 --format markdown").stdout
    assert markdown.startswith("## Reflection 1: 2026-11-20 · home-visit · C-014 · core\n")
    assert "4/5 — mostly" in markdown
    assert "- [ ] Send the housing referral (due 2026-11-27)" in markdown
    rich = rbp("show 1").stdout
    assert "●●●●○ 4/5 — mostly" in rich
    assert "\x1b[" not in rich
    assert rbp("show 1 --format pdf").exit_code == 2
    assert rbp("show abc").exit_code == 2


def test_empty_journal_listing(rbp, journal) -> None:
    result = rbp("list")
    assert result.exit_code == 0
    assert "No reflections match." in result.stderr and result.stdout == ""


def test_prompt_sets_listed_and_shown(rbp) -> None:
    listed = json.loads(rbp("prompts list --json").stdout)
    assert {s["id"] for s in listed} == {
        "core",
        "crisis",
        "gibbs",
        "driscoll",
        "practice-audit",
        "self-care",
        "journal",
    }
    shown = rbp("prompts show core").stdout
    assert "How fully did I listen?" in shown
    assert rbp("prompts show nope").stderr.startswith("Error: No prompt set called 'nope'.")


BROKEN = """id = "mine"
title = "Mine"
version = "1"

[[prompts]]
id = "how"
text = "How did it go?"
theme = "listening"
kind = "rating"
polarity = "better"
labels = ["a", "b", "c"]
"""


def test_broken_user_set_is_reported_and_others_load(rbp, isolated: Path) -> None:
    folder = isolated / "home" / ".config" / "rbp" / "prompts"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(BROKEN, encoding="utf-8")
    (folder / "bad.toml").write_text("id = [", encoding="utf-8")
    result = rbp("prompts list --json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 7
    assert f"{folder / 'mine.toml'}: field `labels` of prompt 1 ('how')" in result.stderr
    assert f"{folder / 'bad.toml'}: is not valid TOML" in result.stderr
    checked = rbp(["prompts", "check", str(folder / "mine.toml")])
    assert checked.exit_code == 1
    assert checked.stderr.startswith(f"Error: {folder / 'mine.toml'}: field `labels` of prompt 1")


def test_user_set_overrides_a_bundled_one(rbp, isolated: Path) -> None:
    folder = isolated / "home" / ".config" / "rbp" / "prompts"
    folder.mkdir(parents=True)
    fixed = BROKEN.replace('["a", "b", "c"]', '["a", "b", "c", "d", "e"]').replace(
        '"mine"', '"driscoll"'
    )
    (folder / "quick.toml").write_text(fixed, encoding="utf-8")
    assert rbp(["prompts", "check", str(folder / "quick.toml")]).exit_code == 0
    shown = json.loads(rbp("prompts show driscoll --json").stdout)
    assert [p["id"] for p in shown["prompts"]] == ["how"]
    result = rbp("reflect --answers - --set driscoll", input='{"answers": {"how": 5}}')
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('title = "x"\nversion = "1"\nprompts = []', "field `id` of the set: is missing"),
        (
            'id = "x"\ntitle = "x"\nversion = "1"\n[[prompts]]\nid = "a"\ntext = "?"\ntheme = "joy"',
            "field `theme` of prompt 1 ('a')",
        ),
        (
            'id = "x"\ntitle = "x"\nversion = "1"\n[[prompts]]\nid = "a"\ntext = "?"\ntheme = "trust"'
            '\ncolour = "red"',
            "field `colour` of prompt 1 ('a'): is not a known field",
        ),
    ],
)
def test_prompts_check_says_what_is_wrong(rbp, tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "set.toml"
    path.write_text(content, encoding="utf-8")
    result = rbp(["prompts", "check", str(path)])
    assert result.exit_code == 1
    assert problem in result.stderr


def test_doctor(rbp, answers_file, db_path: Path) -> None:
    add(rbp, answers_file)
    report = json.loads(rbp("doctor --json").stdout)
    assert report["path"] == str(db_path)
    assert report["mode"] == "0o600"
    assert report["schema_steps"] == [
        "m001_initial",
        "m002_cpd",
        "m003_caseload",
        "m004_client_codes",
        "m005_followups_search",
        "m006_cpd_relevance",
        "m007_review_indexes",
        "m008_search_skips_empty",
    ]
    assert report["integrity"] == ["ok"]
    assert report["counts"]["reflections"] == 1
    assert report["counts"]["open_followups"] == 1


def test_db_option_wins_over_environment(rbp, tmp_path: Path, answers_file) -> None:
    other = tmp_path / "other.db"
    result = rbp(["--db", str(other), "reflect", "--answers", str(answers_file(CORE_ANSWERS))])
    assert result.exit_code == 0
    assert other.exists()
    unused = rbp("list --json")  # RBP_DB names no journal yet: said, and none is made
    assert unused.exit_code == 1 and unused.stdout == ""
    assert unused.stderr.startswith("Error: There is no journal at ")
