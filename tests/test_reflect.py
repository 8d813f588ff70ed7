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
    "",  # the summary: Enter saves
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
    # the last answer is asked again, filled in (an empty line keeps it)
    resumed = rbp("reflect --resume", input=STEP.join(["", *CORE_TYPED[5:]]) + STEP)
    assert resumed.exit_code == 0, resumed.output
    assert "Resuming draft #1 at question 2" in resumed.stderr
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


def test_editor_template_that_breaks_is_kept_as_a_draft(
    rbp, tmp_path, monkeypatch, db_path
) -> None:
    editor = write_editor(
        tmp_path,
        """import sys
open(sys.argv[1], "a", encoding="utf-8").write("\\n## 9. Mine {#mine}\\nMy careful words\\n")
""",
    )
    monkeypatch.setenv("EDITOR", editor)
    # the text cannot be read; "k" keeps it as a draft instead of reopening the editor
    result = rbp("reflect --editor --set driscoll", input="k\n")
    assert result.exit_code == 1
    assert "{#mine} is not a question of 'driscoll'" in result.stderr
    kept = list((tmp_path / "unsaved").glob("*.json"))
    assert len(kept) == 1
    assert f"Nothing was stored yet. Your text is kept as a draft in {kept[0]}" in result.stderr
    template = json.loads(kept[0].read_text(encoding="utf-8"))["template"]
    assert "My careful words" in template
    assert "<!-- rbp: {#mine} is not a question of 'driscoll' -->" in template
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    assert rows(db_path)["reflections"] == 0
    assert not list(tmp_path.glob("rbp-*.md"))


BAD_THEN_GOOD = """import sys, re
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
if "<!-- rbp:" not in text:  # the first round: a due date nobody can read
    for pid, value in (("what", "A short phone call."), ("so_what", "I rushed it."),
                       ("now_what", "Book a longer slot."),
                       ("promises", "- Call back (due someday)")):
        text = re.sub(r"(\\{#" + pid + r"\\}\\n<!--.*?-->\\n)",
                      lambda m: m.group(1) + value + "\\n", text)
else:  # the second: the marked line fixed
    text = text.replace("(due someday)", "(due 2026-11-30)")
open(path, "w", encoding="utf-8").write(text)
open(path.rsplit("/", 1)[0] + "/seen.log", "a", encoding="utf-8").write(text + "\\n=====\\n")
"""


def test_editor_reopens_with_the_problem_marked_until_it_reads(rbp, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("EDITOR", write_editor(tmp_path, BAD_THEN_GOOD))
    result = rbp("reflect --editor --set driscoll --date 2026-11-21", input="\n")
    assert result.exit_code == 0, result.output
    seen = tmp_path / "seen.log"
    second = seen.read_text(encoding="utf-8").split("=====")[1]
    lines = second.strip("\n").splitlines()
    marked = lines.index("- Call back (due 2026-11-30)")
    assert lines[marked + 1].startswith("<!-- rbp: the due date of 'Call back': Cannot read")
    said = f"line {marked + 1}: the due date of 'Call back': Cannot read the date 'someday'"
    assert said in result.stderr
    shown = json.loads(rbp("show 1 --json").stdout)
    assert [a["text"] for a in shown["answers"]] == [
        "A short phone call.",
        "I rushed it.",
        "Book a longer slot.",
    ]
    assert shown["followups"][0]["due"] == "2026-11-30"
    assert not list((tmp_path / "unsaved").glob("*"))


def test_rbp_edit_reopens_until_it_reads(rbp, tmp_path, monkeypatch, answers_file) -> None:
    assert rbp(["reflect", "--answers", str(answers_file(CORE_ANSWERS))]).exit_code == 0
    monkeypatch.setenv(
        "EDITOR",
        write_editor(
            tmp_path,
            """import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
if "<!-- rbp:" not in text:
    text = text.replace("{#listened}\\n<!--", "{#listened}\\n<!--", 1)
    text = text.replace("\\n4\\n", "\\nfour\\n", 1)
else:
    text = text.replace("\\nfour\\n", "\\n2\\n", 1)
open(path, "w", encoding="utf-8").write(text)
""",
        ),
    )
    result = rbp("edit 1", input="\n")
    assert result.exit_code == 0, result.output
    assert "listened: a rating is one number from 1 to 5, not 'four'" in result.stderr
    shown = json.loads(rbp("show 1 --json").stdout)
    assert next(a for a in shown["answers"] if a["prompt_id"] == "listened")["rating"] == 2


def test_leaving_the_editor_without_saving_stores_nothing_calmly(
    rbp, tmp_path, monkeypatch, db_path
) -> None:
    monkeypatch.setenv("EDITOR", write_editor(tmp_path, "pass\n"))
    result = rbp("reflect --editor --set gibbs")
    assert result.exit_code == 1
    assert result.stderr == "Nothing was stored: the template came back as it was sent.\n"
    assert "required" not in result.stderr
    assert rows(db_path)["reflections"] == 0


def test_a_kept_text_is_reopened_by_resume(rbp, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("EDITOR", write_editor(tmp_path, BAD_THEN_GOOD))
    first = rbp("reflect --editor --set driscoll --date 2026-11-21", input="k\n")
    assert first.exit_code == 1
    (kept,) = (tmp_path / "unsaved").glob("*.json")
    doctor = json.loads(rbp("doctor --json").stdout)
    assert doctor["leftovers"] == [str(kept)]
    assert str(kept) in "".join(rbp("doctor").stdout.split())
    resumed = rbp("reflect --resume")
    assert resumed.exit_code == 0, resumed.output
    assert json.loads(rbp("show 1 --json").stdout)["followups"][0]["due"] == "2026-11-30"
    assert not kept.exists()


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


def test_editor_text_is_kept_when_the_details_question_is_left(rbp, tmp_path, monkeypatch) -> None:
    editor = write_editor(
        tmp_path,
        """import sys, re
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
text = re.sub(r"(\\{#what\\}\\n<!--.*?-->\\n)", lambda m: m.group(1) + "Rang 07700 900123.\\n", text)
text = re.sub(r"(\\{#so_what\\}\\n<!--.*?-->\\n)", lambda m: m.group(1) + "I rushed it.\\n", text)
text = re.sub(r"(\\{#now_what\\}\\n<!--.*?-->\\n)", lambda m: m.group(1) + "Slow down.\\n", text)
open(path, "w", encoding="utf-8").write(text)
""",
    )
    monkeypatch.setenv("EDITOR", editor)
    result = rbp("reflect --editor --set driscoll --date 2026-11-21", input="")  # Ctrl-D
    assert result.exit_code != 0
    (kept,) = (tmp_path / "unsaved").glob("*.json")
    assert "Rang 07700 900123." in json.loads(kept.read_text(encoding="utf-8"))["template"]
    assert str(kept) in "".join(result.stderr.split())


def test_editor_text_is_kept_when_the_journal_refuses_the_write(tmp_path, monkeypatch) -> None:
    from faults import rbp as run_rbp
    from faults import reflection

    db = tmp_path / "j" / "journal.db"
    assert run_rbp(db, "reflect", "--answers", "-", input=reflection()).returncode == 0
    db.chmod(0o400)
    editor = write_editor(
        tmp_path,
        """import sys, re
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
for pid in ("what", "so_what", "now_what"):
    text = re.sub(r"(\\{#" + pid + r"\\}\\n<!--.*?-->\\n)", lambda m: m.group(1) + "Careful words.\\n", text)
open(path, "w", encoding="utf-8").write(text)
""",
    )
    args = ["reflect", "--editor", "--set", "driscoll", "--date", "2026-11-21"]
    result = run_rbp(db, *args, env={"EDITOR": editor}, ordinary=True)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "the journal file is read-only for you" in result.stderr
    (kept,) = (db.parent / "unsaved").glob("*.json")
    assert "Careful words." in json.loads(kept.read_text(encoding="utf-8"))["template"]
    assert f"Your text is kept in {kept}" in result.stderr


def test_a_bundled_set_is_read_alone_when_the_user_has_none(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rbp_journal import prompt_library

    read: list[str] = []
    parse = prompt_library.parse
    monkeypatch.setattr(prompt_library, "parse", lambda text, name: read.append(str(name)) or parse(text, name))  # fmt: skip
    library = prompt_library.load()
    assert library.get("core").id == "core"
    assert read == ["prompts/core.toml"]
    assert library.find("no-such-set") is None  # an id no file is named after: all are read
    assert len(read) == 1 + len(library.sets) == 8
    assert library.origins["core"] == "bundled"


def test_a_users_set_wins_over_the_bundled_file_named_after_its_id(isolated: Path) -> None:
    from rbp_journal import prompt_library
    from rbp_journal.errors import PromptSetNotFound

    folder = isolated / "home" / ".config" / "rbp" / "prompts"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(
        'id = "core"\ntitle = "Mine"\nversion = "1"\n'
        '[[prompts]]\nid = "how"\ntext = "How did it go?"\ntheme = "listening"\n',
        encoding="utf-8",
    )
    library = prompt_library.load()
    assert library.get("core").title == "Mine"
    assert library.origins["core"] == str(folder / "mine.toml")
    with pytest.raises(
        PromptSetNotFound, match=r"No prompt set called 'nope'\. Known sets: core, "
    ):
        library.get("nope")
