"""`rbp reflect`: non-interactive answers, the interactive flow, drafts and the editor."""

from __future__ import annotations

import copy
import hashlib
import json
import stat
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from rbp_journal.journal import Journal, open_journal

from conftest import CORE_ANSWERS

STEP = "\n"


def snapshot(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


def rows(path: Path) -> dict[str, int]:
    db = sqlite_utils.Database(path)
    return {t: db[t].count for t in ("reflections", "answers", "followups", "reflection_tags")}


def test_answers_file_is_stored_with_everything(rbp, answers_file, db_path) -> None:
    result = rbp(["reflect", "--answers", str(answers_file(CORE_ANSWERS))])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "1\n"
    shown = json.loads(rbp("show 1 --json").stdout)
    assert shown["client"] == "C-014"
    assert shown["session_date"] == "2026-11-20"
    assert shown["setting"] == "home-visit"
    assert shown["tags"] == ["first-visit"]
    assert shown["status"] == "done"
    listened = next(a for a in shown["answers"] if a["prompt_id"] == "listened")
    assert (listened["rating"], listened["label"], listened["theme"]) == (4, "mostly", "listening")
    assert [f["text"] for f in shown["followups"]] == ["Send the housing referral"]
    assert shown["followups"][0]["due"] == "2026-11-27"
    assert rows(db_path) == {"reflections": 1, "answers": 9, "followups": 1, "reflection_tags": 1}


def test_answers_from_stdin_and_options_win(rbp) -> None:
    data = copy.deepcopy(CORE_ANSWERS)
    result = rbp("reflect --answers - --client C-020 --tag court", input=json.dumps(data))
    assert result.exit_code == 0, result.stderr
    shown = json.loads(rbp("show 1 --json").stdout)
    assert shown["client"] == "C-020"
    assert shown["tags"] == ["court"]


def bad(payload: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(payload)
    for key, value in changes.items():
        if key.startswith("answers__"):
            name = key.removeprefix("answers__")
            if value is None:
                data["answers"].pop(name)
            else:
                data["answers"][name] = value
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            bad(CORE_ANSWERS, answers__nonsense="x"),
            "answers.nonsense: the set 'core' has no prompt",
        ),
        (
            bad(CORE_ANSWERS, answers__listened=6),
            "answers.listened: a rating is a whole number from 1 to 5",
        ),
        (bad(CORE_ANSWERS, answers__listened="4"), "answers.listened: a rating is a whole number"),
        (bad(CORE_ANSWERS, answers__listened=True), "answers.listened"),
        (
            bad(CORE_ANSWERS, answers__what_happened=None),
            "answers.what_happened: this answer is required",
        ),
        (
            bad(CORE_ANSWERS, answers__promises="x"),
            "answers.promises: promises go in the top-level",
        ),
        (bad(CORE_ANSWERS, set="no-such-set"), "No prompt set called 'no-such-set'"),
        (bad(CORE_ANSWERS, date="20th"), "date"),
        (bad(CORE_ANSWERS, setting="pub"), "setting"),
        (bad(CORE_ANSWERS, client="Jane Smith"), "client"),
        (bad(CORE_ANSWERS, extra=1), "extra: is not a known key"),
        (bad(CORE_ANSWERS, followups=[{"due": "2026-11-27"}]), "followups.0.text"),
    ],
)
def test_invalid_answers_name_the_key_and_store_nothing(
    rbp, answers_file, db_path, payload, message
) -> None:
    open_journal(db_path).close()  # a journal to stay unchanged (doctor never makes one)
    before = rows(db_path)
    result = rbp(["reflect", "--answers", str(answers_file(payload))])
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    assert rows(db_path) == before


def test_answers_file_that_is_not_json(rbp, tmp_path, db_path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"answers": {', encoding="utf-8")
    result = rbp(["reflect", "--answers", str(path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: The answers in {path} are not valid JSON (line 1, column 14). Nothing was saved.\n"
    )


def test_missing_answers_file(rbp, tmp_path) -> None:
    result = rbp(["reflect", "--answers", str(tmp_path / "nope.json")])
    assert result.exit_code == 1
    assert "Cannot read the answers file" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("reflect --date someday", "Cannot read the date 'someday'"),
        ("reflect --setting pub", "'pub' is not one of"),
        ("reflect --client 'Jane Smith'", "'Jane Smith': a client code is one word"),
    ],
)
def test_bad_options_are_usage_errors(rbp, args, message, db_path) -> None:
    result = rbp(args, input="")
    assert result.exit_code == 2
    assert message in result.stderr
    assert not db_path.exists() or rows(db_path)["reflections"] == 0


CORE_TYPED = [
    "We met at the family home.",
    "Talked about mornings.",
    "",  # ends the first answer
    "9",  # out of range: asked again
    "4",
    "3",
    "4",
    "3",
    "2",
    "",  # culture is optional: skipped
    "4",
    "",  # assumptions_note is optional: skipped
    "4",
    "Ask the young person first.",
    "",
    "Send the housing referral",
    "2026-11-27",
    "",  # no more promises
]


def test_interactive_reflection(rbp, db_path) -> None:
    result = rbp(
        "reflect --client C-014 --setting office --date 2026-11-20",
        input=STEP.join(CORE_TYPED) + STEP,
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "1\n"
    assert "1 of 12 · learning" in result.stderr
    assert "Type one number from 1 to 5." in result.stderr
    assert "Saved reflection #1" in result.stderr
    shown = json.loads(rbp("show 1 --json").stdout)
    assert shown["answers"][0]["text"] == "We met at the family home.\nTalked about mornings."
    assert shown["answers"][1]["rating"] == 4
    assert "culture" not in [a["prompt_id"] for a in shown["answers"]]
    assert shown["followups"][0]["due"] == "2026-11-27"
    assert shown["status"] == "done"


def test_end_of_input_keeps_a_draft_and_resume_finishes_it(rbp) -> None:
    first = rbp("reflect --client C-014", input=STEP.join(CORE_TYPED[:5]) + STEP)
    assert first.exit_code == 130
    assert "kept as draft #1" in first.stderr
    assert rbp("list --json").stdout == "[]\n"
    drafts = json.loads(rbp("list --drafts --json").stdout)
    assert [d["id"] for d in drafts] == [1]
    resumed = rbp("reflect --resume", input=STEP.join(CORE_TYPED[5:]) + STEP)
    assert resumed.exit_code == 0, resumed.output
    assert "Resuming draft #1 from question 3" in resumed.stderr
    shown = json.loads(rbp("show 1 --json").stdout)
    assert [a["prompt_id"] for a in shown["answers"]][:3] == [
        "what_happened",
        "listened",
        "empathy",
    ]
    assert shown["status"] == "done"


def test_resume_without_a_draft(rbp) -> None:
    result = rbp("reflect --resume")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: There is no unfinished draft to resume. Start one with `rbp reflect`.\n"
    )


def test_client_opening_shows_and_closes_promises(rbp, answers_file) -> None:
    rbp(["reflect", "--answers", str(answers_file(CORE_ANSWERS))])
    typed = ["y", *CORE_TYPED]
    result = rbp("reflect --client C-014", input=STEP.join(typed) + STEP)
    assert result.exit_code == 0, result.output
    assert "Ask the young person first, before the parents." in result.stderr
    assert "#1 Send the housing referral (due 2026-11-27): done now?" in result.stderr
    first = json.loads(rbp("show 1 --json").stdout)
    assert first["followups"][0]["status"] == "done"


def write_editor(tmp_path: Path, body: str) -> str:
    script = tmp_path / "editor.py"
    script.write_text(body, encoding="utf-8")
    import sys

    return f"{sys.executable} {script}"


def test_editor_reflection(rbp, tmp_path, monkeypatch) -> None:
    editor = write_editor(
        tmp_path,
        """import sys, re
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
def fill(pid, value):
    global text
    text = re.sub(r"(\\{#" + pid + r"\\}\\n<!--.*?-->\\n)", lambda m: m.group(1) + value + "\\n", text)
fill("what", "A short phone call.")
fill("so_what", "I rushed it.")
fill("now_what", "Book a longer slot.")
fill("promises", "- Call back (due 2026-11-30)")
text = text.replace("client: \\n", "client: C-031\\n")
open(path, "w", encoding="utf-8").write(text)
""",
    )
    monkeypatch.setenv("EDITOR", editor)
    result = rbp("reflect --editor --set driscoll --date 2026-11-21")
    assert result.exit_code == 0, result.output
    shown = json.loads(rbp("show 1 --json").stdout)
    assert shown["client"] == "C-031"
    assert [a["text"] for a in shown["answers"]] == [
        "A short phone call.",
        "I rushed it.",
        "Book a longer slot.",
    ]
    assert shown["followups"][0]["due"] == "2026-11-30"
    leftovers = [p.name for p in tmp_path.glob("rbp-*.md")]
    assert leftovers == []


def test_editor_template_that_breaks_is_kept(rbp, tmp_path, monkeypatch, db_path) -> None:
    editor = write_editor(
        tmp_path,
        """import sys
open(sys.argv[1], "a", encoding="utf-8").write("\\n## 9. Mine {#mine}\\nMy careful words\\n")
""",
    )
    monkeypatch.setenv("EDITOR", editor)
    result = rbp("reflect --editor --set driscoll")
    assert result.exit_code == 1
    assert "The section {#mine} is not a prompt of 'driscoll'." in result.stderr
    kept = list((tmp_path / "unsaved").glob("*.json"))
    assert len(kept) == 1
    assert str(kept[0]) in result.stderr
    assert "My careful words" in json.loads(kept[0].read_text(encoding="utf-8"))["template"]
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    assert rows(db_path)["reflections"] == 0


def test_every_bundled_set_can_be_answered(journal: Journal) -> None:
    from rbp_journal.models.reflection import AnswersPayload

    for prompt_set in journal.library.sets.values():
        answers: dict[str, Any] = {}
        for prompt in prompt_set.prompts:
            if prompt.kind == "rating":
                answers[prompt.id] = 3
            elif prompt.kind == "choice":
                answers[prompt.id] = prompt.choices[0]
            elif prompt.kind == "text":
                answers[prompt.id] = f"An answer to {prompt.id}."
        payload = AnswersPayload(
            set=prompt_set.id, answers=answers, followups=[{"text": "Ring back"}]
        )
        rid = journal.recording.record(payload)
        stored = journal.reading.reflection(rid)
        assert len(stored.answers) == len(answers), prompt_set.id
        assert stored.set_version == prompt_set.version
