"""Every bad input is one sentence: the table of hostile command lines and files in
tests/data/hostile_inputs.jsonl (grown with every bug found), run against the installed rbp,
plus generated ids, dates and JSON numbers and nesting.

A case names argv, what goes to stdin (`stdin`, or `stdin_latin1` for bytes that are not
UTF-8), files to write first, environment, the exit status, and words the message says.
Placeholders: {answers} (CORE_ANSWERS), {answers:KEY=JSON} (one answer replaced by raw JSON),
{digits:N}, {deep:N} (N nested arrays), {toml-deep:N}, {export:JSON} (an rbp export with one
answer's text raw), {config}, {tmp}, {fifo}.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rbp_journal import dates
from rbp_journal.errors import BadDate
from rbp_journal.journal import open_journal

from conftest import CORE_ANSWERS, add_reflection, installed_rbp

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "hostile_inputs.jsonl").read_text().splitlines()
    if line.strip()
]
SAMPLE_EXPORT = {
    "format": "rbp-export",
    "version": 1,
    "reflections": [
        {
            "uid": "00000000-0000-4000-8000-000000000001",
            "session_date": "2026-11-20",
            "created": "2026-11-20T10:00:00+00:00",
            "updated": "2026-11-20T10:00:00+00:00",
            "set_id": "core",
            "set_version": "1",
            "answers": [
                {
                    "position": 0,
                    "prompt_id": "what_happened",
                    "theme": "context",
                    "kind": "text",
                    "question": "What happened?",
                    "text": "@TEXT@",
                }
            ],
        }
    ],
}


def expand(text: str, tmp: Path) -> str:
    text = re.sub(r"\{digits:(\d+)\}", lambda m: "1" * int(m.group(1)), text)
    text = re.sub(r"\{deep:(\d+)\}", lambda m: "[" * int(m.group(1)) + "]" * int(m.group(1)), text)
    text = re.sub(r"\{toml-deep:(\d+)\}",
                  lambda m: "a = " + "[" * int(m.group(1)) + "]" * int(m.group(1)), text)  # fmt: skip

    def answers(match: re.Match[str]) -> str:
        key, raw = match.group(1).split("=", 1)
        data: dict[str, Any] = json.loads(json.dumps(CORE_ANSWERS))
        data["answers"][key] = "@RAW@"
        return json.dumps(data).replace('"@RAW@"', raw)

    text = re.sub(r"\{answers:([^}]*)\}", answers, text)
    text = text.replace("{answers}", json.dumps(CORE_ANSWERS))
    text = re.sub(r"\{export:([^}]*)\}",
                  lambda m: json.dumps(SAMPLE_EXPORT).replace('"@TEXT@"', m.group(1)), text)  # fmt: skip
    for name, value in (("config", tmp / "home" / ".config"), ("tmp", tmp), ("fifo", tmp / "fifo")):
        text = text.replace("{" + name + "}", str(value))
    return text


@pytest.fixture
def journal_there(db_path: Path, tmp_path: Path) -> Path:
    journal = open_journal(db_path)
    add_reflection(journal)
    journal.close()
    os.mkfifo(tmp_path / "fifo")
    return db_path


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_hostile_input_is_one_sentence(case: dict[str, Any], journal_there: Path,
                                         tmp_path: Path) -> None:  # fmt: skip
    for name, content in case.get("files", {}).items():
        path = Path(expand(name, tmp_path))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(expand(content, tmp_path), encoding="utf-8")
    env = {**os.environ, **{k: expand(v, tmp_path) for k, v in case.get("env", {}).items()}}
    if "stdin_latin1" in case:
        stdin = expand(case["stdin_latin1"], tmp_path).encode("latin-1")
    else:
        stdin = expand(case.get("stdin", ""), tmp_path).encode("utf-8", "surrogatepass")
    argv = [expand(arg, tmp_path) for arg in case["argv"]]
    result = subprocess.run([*installed_rbp(), *argv], input=stdin, capture_output=True,
                            env=env, timeout=30, check=False)  # fmt: skip
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr[-2000:]
    assert result.returncode == case["exit"], (result.returncode, stderr[-500:])
    if case["exit"] == 0:
        assert case.get("stderr_says", "") in stderr
        return
    errors = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, stderr
    if case["exit"] == 1:  # rbp's own: the sentence is the whole message
        assert stderr.endswith("\n") and stderr.count("\n") == 1, stderr
    assert case["says"] in errors[0], errors[0]


def test_the_table_holds_every_case_of_the_issue() -> None:
    assert len(CASES) >= 32


# --- generated -------------------------------------------------------------------------------

FEW = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@FEW
@given(st.integers(min_value=-(2**70), max_value=2**70))
def test_any_id_is_found_or_not_found(journal, rid: int) -> None:
    from rbp_journal.errors import CpdNotFound, FollowupNotFound, ReflectionNotFound

    for find, missing in ((journal.reading.reflection, ReflectionNotFound),
                          (journal.cpd.record, CpdNotFound),
                          (lambda n: journal.supervision.close_followup(n, "done"),
                           FollowupNotFound)):  # fmt: skip
        with pytest.raises(missing, match=str(rid)):
            find(rid)


@FEW
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["day", "week", "month"]))
def test_any_span_ago_is_a_date_or_a_usage_error(count: int, unit: str) -> None:
    for text in (f"{count} {unit}s ago", f"in {count} {unit}s"):
        try:
            day = (dates.parse_due if text.startswith("in") else dates.parse)(text)
        except BadDate:
            continue
        assert 1 <= day.year <= 9999


@FEW
@given(st.integers(min_value=1, max_value=20_000), st.integers(min_value=1, max_value=6000))
def test_any_number_or_nesting_in_answers_is_refused_whole(depth: int, digits: int) -> None:
    from rbp_journal.errors import InvalidAnswers
    from rbp_journal.formats.answers import read_payload

    for raw in (
        "[" * depth + "]" * depth,
        '{"set": "core", "answers": {"listened": ' + "9" * digits + "}}",
    ):
        try:
            read_payload(raw, "stdin")
        except InvalidAnswers:
            continue
