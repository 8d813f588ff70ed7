"""The README, checked the way sqlite-utils checks its docs: every `rbp` command line it shows
parses against the real command tree (options, arguments, choices), and the sample outputs
marked `<!-- sample: ARGS -->` are what rbp prints for them on the README's own example data.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from rbp_journal.cli import COMMANDS, GROUPS, common, load

from conftest import CORE_ANSWERS

README = Path(__file__).resolve().parents[1] / "README.md"
SHELL_STOPS = {"|", ">", ">>", "<", "&&", "||", ";", "2>&1", "#"}


def command_lines() -> list[str]:
    """Every `rbp …` line inside the README's code (indented or fenced), without the prompt."""
    found, fenced = [], False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        code = fenced or line.startswith("    ")
        text = line.strip().removeprefix("$ ")
        if code and text.startswith("rbp ") and "…" not in text:
            found.append(text)
    return sorted(set(found))


def argv(line: str) -> list[str]:
    words = shlex.split(line, comments=True)[1:]
    for index, word in enumerate(words):
        if word in SHELL_STOPS or word.startswith((">", "<", "2>")):
            return words[:index]
    return words


@pytest.mark.parametrize("line", command_lines())
def test_every_readme_command_parses(line: str) -> None:
    words = argv(line)
    while words and words[0].startswith("--"):  # the root's own options: --db PATH
        words = words[2:] if words[0] == "--db" else words[1:]
    if not words or words[0] in {"-h", "--help", "--version", "--install-completion"}:
        return
    assert words[0] in COMMANDS, f"{line}: no command {words[0]!r}"
    command, rest = load(words[0]), words[1:]
    if words[0] in GROUPS and rest and not rest[0].startswith("-"):
        assert rest[0] in command.commands, f"{line}: no command {words[0]} {rest[0]}"
        command, rest = command.commands[rest[0]], rest[1:]
    if "--help" in rest:
        return
    # parsing checks every option exists and every value fits its type and choices
    command.make_context(words[0], list(rest), resilient_parsing=False)


def samples() -> list[tuple[str, str]]:
    """(args, expected output) for each code block the README marks as a sample."""
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(r"<!-- sample: (?P<args>[^>]*) -->\n+(?P<block>(?:    .*\n|\n)+)")
    found = []
    for match in pattern.finditer(text):
        lines = [line[4:] for line in match.group("block").rstrip("\n").splitlines()]
        assert lines[0] == f"$ rbp {match.group('args')}"
        found.append((match.group("args"), "\n".join(lines[1:]) + "\n"))
    return found


def readme_journal(rbp) -> None:
    """The two reflections the README's examples show."""
    for day, client, setting in (("2026-11-20", "C-014", "home-visit"),
                                 ("2026-11-21", "C-022", "phone")):  # fmt: skip
        data = json.loads(json.dumps(CORE_ANSWERS))
        data.update(date=day, client=client, setting=setting)
        data["answers"]["what_happened"] = "Met the family at home; talked about school."
        assert rbp("reflect --answers -", input=json.dumps(data)).exit_code == 0


def test_there_are_samples() -> None:
    assert len(samples()) >= 2


@pytest.mark.parametrize(("args", "expected"), samples())
def test_readme_samples_are_what_rbp_prints(rbp, args: str, expected: str, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # the width README samples are shown at
    common.out.cache_clear()  # a console made by an earlier test keeps its width
    readme_journal(rbp)
    result = rbp(args)
    assert result.exit_code == 0, result.stderr
    shown = "\n".join(line.rstrip() for line in result.stdout.splitlines()) + "\n"
    assert shown == expected
