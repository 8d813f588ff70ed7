"""Writing a reflection, by every path but the keyboard (tests/test_terminal.py types in a
pseudo-terminal): control characters, client codes, whole payloads, the starting payload,
going back and the summary from a pipe, promises offered and added."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from rbp_journal.journal import Journal, open_journal
from rbp_journal.models.reflection import AnswersPayload
from rbp_journal.text import clean

from conftest import CORE_ANSWERS

README = Path(__file__).resolve().parents[1] / "README.md"


def payload(**changes: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(CORE_ANSWERS))
    for key, value in changes.items():
        if key.startswith("answers__"):
            data["answers"][key.removeprefix("answers__")] = value
        else:
            data[key] = value
    return data


def stored(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# --- control characters ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept", "dropped"),
    [
        ("I felt usefull\x1b[D\x1b[D\x1b[3~", "I felt usefull", 3),
        ("I felt usefull\x1b[D\x1b[", "I felt usefull", 2),  # the issue's own bytes
        ("one\tcolumn\r\ntwo\rthree", "one\tcolumn\ntwo\nthree", 0),
        ("\x1b[200~pasted\n\npara\x1b[201~", "pasted\n\npara", 2),
        ("bell\x07 nul\x00 del\x7f c1\x85", "bell nul del c1", 4),
        ("é ü 😀 עברית", "é ü 😀 עברית", 0),
        ("\x1b]0;title\x07after", "after", 1),
    ],
)
def test_the_one_cleaning_rule(typed: str, kept: str, dropped: int) -> None:
    assert clean(typed) == (kept, dropped)


def test_answers_file_control_characters_are_left_out_with_a_note(rbp, db_path: Path) -> None:
    data = payload(answers__what_happened="Met\x1b[D at home\x07.\n\tSecond line.")
    data["followups"] = [{"text": "Ring\x00 back", "due": "2026-11-27"}]
    result = rbp("reflect --answers -", input=json.dumps(data))
    assert result.exit_code == 0, result.stderr
    assert "Note: answers.what_happened: 2 control characters" in result.stderr
    assert "Note: followups.0.text: 1 control character" in result.stderr
    assert stored(db_path, "SELECT text FROM answers WHERE prompt_id = 'what_happened'") == [
        ("Met at home.\n\tSecond line.",)
    ]
    assert stored(db_path, "SELECT text FROM followups") == [("Ring back",)]


def test_import_leaves_control_characters_out(rbp, journal: Journal, tmp_path: Path) -> None:
    journal.recording.record(AnswersPayload.model_validate(payload()))
    exported = json.loads(rbp("export --format json").stdout)
    exported["reflections"][0]["uid"] = "another"
    exported["reflections"][0]["answers"][0]["text"] = "From\x1b[A jrnl"
    exported["reflections"][0]["client"] = "c-099"
    path = tmp_path / "in.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    result = rbp(["import", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "Note: reflection 1, answers.0.text: 1 control character" in result.stderr
    assert "Note: 1 new client code: C-099." in result.stderr
    texts = [r["answers"][0]["text"] for r in json.loads(rbp("export --format json").stdout)[
        "reflections"]]  # fmt: skip
    assert "From jrnl" in texts


def test_the_domain_cleans_whatever_the_caller(journal: Journal) -> None:
    prompt_set = journal.library.get("journal")
    rid = journal.recording.start_draft(_header(journal, "journal"))
    journal.recording.save_answer(rid, prompt_set, prompt_set.prompts[0], "a\x1b[Cb\n\nc")
    assert journal.reading.reflection(rid).answers[0].text == "ab\n\nc"


def _header(journal: Journal, set_id: str) -> Any:
    from rbp_journal.journal.answers import Options, header_for

    return header_for(journal.library.get(set_id), Options())


# --- client codes ------------------------------------------------------------------------


def test_old_journals_merge_codes_whatever_their_case(db_path: Path) -> None:
    journal = open_journal(db_path)
    for code in ("C-014", "c-014", " c-014", "C-020"):
        journal.recording.record(AnswersPayload.model_validate(payload(client="C-001")))
        with journal.store.write():  # as an older rbp stored what was typed
            journal.store.connection.conn.execute(
                "UPDATE reflections SET client = ? WHERE id = (SELECT max(id) FROM reflections)",
                [code],
            )
    journal.close()
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_client_codes'")
    conn.commit()
    conn.close()
    reopened = open_journal(db_path)
    assert [c.client for c in reopened.reading.clients()] == ["C-014", "C-020"]
    assert [c.reflections for c in reopened.reading.clients()] == [3, 1]
    assert (db_path.parent / "backups").is_dir()  # copied before the upgrade
    reopened.close()


def test_a_code_is_one_person_whatever_the_case(rbp, db_path: Path) -> None:
    assert rbp("reflect --answers -", input=json.dumps(payload(client="C-014"))).exit_code == 0
    again = rbp("reflect --answers - --client c-014", input=json.dumps(payload()))
    assert again.exit_code == 0 and "new client code" not in again.stderr
    assert stored(db_path, "SELECT DISTINCT client FROM reflections") == [("C-014",)]
    promises = json.loads(rbp("followups --client c-014 --json").stdout)
    assert [p["client"] for p in promises] == ["C-014", "C-014"]
    assert [r["id"] for r in json.loads(rbp("list --client c-014 --json").stdout)] == [2, 1]


def test_a_new_code_from_a_script_is_noted_not_stopped(rbp) -> None:
    rbp("reflect --answers -", input=json.dumps(payload(client="C-014")))
    result = rbp("reflect --answers -", input=json.dumps(payload(client="C-041")))
    assert result.exit_code == 0
    assert result.stderr == "Note: C-041 is a new client code (near: C-014).\n"


# --- whole payloads ----------------------------------------------------------------------


def test_every_problem_of_a_payload_at_once(rbp, db_path: Path) -> None:
    data = payload(date="someday", setting="pub", answers__listened=9, answers__bogus="x")
    del data["answers"]["trust"]
    result = rbp("reflect --answers -", input=json.dumps(data))
    assert result.exit_code == 1
    for problem in ("date:", "setting:", "answers.bogus:", "answers.listened: a rating",
                    "answers.trust: this answer is required"):  # fmt: skip
        assert problem in result.stderr, problem
    assert result.stderr.count("\n") == 1
    assert not db_path.exists() or stored(db_path, "SELECT count(*) FROM reflections") == [(0,)]


def test_the_readme_example_works_as_printed(rbp, tmp_path: Path) -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"rbp reflect --answers - < session.json\n\n```json\n(.*?)```", text, re.S)
    assert block is not None
    (tmp_path / "session.json").write_text(block.group(1), encoding="utf-8")
    result = rbp(["reflect", "--answers", str(tmp_path / "session.json")])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "1\n"


@pytest.mark.parametrize("set_id", ["core", "self-care", "gibbs", "journal", "practice-audit"])
def test_the_starting_payload_names_every_question(rbp, tmp_path: Path, set_id: str) -> None:
    shown = rbp(f"prompts show {set_id} --template json")
    assert shown.exit_code == 0, shown.stderr
    start = json.loads(shown.stdout)
    prompt_set = json.loads(rbp(f"prompts show {set_id} --json").stdout)
    ids = [p["id"] for p in prompt_set["prompts"] if p["kind"] != "followups"]
    assert list(start["answers"]) == ids
    for prompt in prompt_set["prompts"]:
        if prompt["kind"] == "rating":
            assert start["guide"][prompt["id"]].startswith("rating 1-5 (1 ")
        elif prompt["kind"] == "choice":
            assert start["guide"][prompt["id"]].startswith("choice, one of: ")
    # as printed, it reads, and every required answer is named at once
    path = tmp_path / "start.json"
    path.write_text(shown.stdout, encoding="utf-8")
    result = rbp(["reflect", "--answers", str(path)])
    required = [p["id"] for p in prompt_set["prompts"] if p.get("required")]
    for prompt_id in required:
        assert f"answers.{prompt_id}: this answer is required" in result.stderr
    # filled in, it is stored
    for prompt in prompt_set["prompts"]:
        if prompt["id"] in start["answers"]:
            start["answers"][prompt["id"]] = (
                3 if prompt["kind"] == "rating"
                else prompt["choices"][0] if prompt["kind"] == "choice"
                else "Written."
            )  # fmt: skip
    path.write_text(json.dumps(start), encoding="utf-8")
    assert rbp(["reflect", "--answers", str(path)]).exit_code == 0


def test_the_markdown_template_is_what_the_editor_opens(rbp) -> None:
    shown = rbp("prompts show driscoll --template markdown").stdout
    assert "## 1. " in shown and "{#what}" in shown and "set: driscoll" in shown


# --- from a pipe: going back, the summary, Ctrl-D, promises ------------------------------


def test_back_changes_a_rating_and_the_summary_fixes_another(rbp, db_path: Path) -> None:
    typed = ["Free words.", "", "9", "4", "back", "2", "3", "4", "3", "2", "", "4", "", "4",
             "Ask first.", "", "", "3", "5", ""]  # fmt: skip
    result = rbp("reflect --date 2026-11-20", input="\n".join(typed) + "\n")
    assert result.exit_code == 0, result.output
    assert "Your answers:" in result.stderr
    ratings = dict(
        stored(db_path, "SELECT prompt_id, rating FROM answers WHERE rating IS NOT NULL")
    )
    assert (ratings["listened"], ratings["empathy"]) == (2, 5)


def test_end_of_input_mid_answer_keeps_its_lines(rbp, db_path: Path) -> None:
    result = rbp("reflect --set journal", input="First line.\nSecond line.\n")
    assert result.exit_code == 130
    assert "kept as draft #1" in result.stderr
    assert stored(db_path, "SELECT text FROM answers") == [("First line.\nSecond line.",)]
    resumed = rbp("reflect --resume", input="\n\n")  # kept as it is, then saved
    assert resumed.exit_code == 0, resumed.output
    assert stored(db_path, "SELECT status FROM reflections") == [("done",)]


def test_stopping_at_the_first_question_leaves_no_empty_draft(rbp, db_path: Path) -> None:
    result = rbp("reflect", input="")
    assert result.exit_code == 130
    assert "Nothing was written, so nothing was kept." in result.stderr
    assert stored(db_path, "SELECT count(*) FROM reflections") == [(0,)]


def test_self_care_offers_a_promise_due_today(rbp, db_path: Path) -> None:
    typed = ["4", "The last visit.", "", "", "3", "", "", "", "", ""]
    result = rbp("reflect --set self-care", input="\n".join(typed) + "\n")
    assert result.exit_code == 0, result.output
    assert "Add “Talk to my manager before tomorrow” as a promise due today? [Y/n]" in (
        result.stderr
    )
    assert stored(db_path, "SELECT text, due FROM followups") == [
        ("Talk to my manager before tomorrow", dt.date.today().isoformat())
    ]


def test_promise_dates_are_said_back(rbp) -> None:
    typed = ["Free words.", "", *["4"] * 5, "", "4", "", "4", "Ask.", "", "Ring the school",
             "27/11/2026", "", ""]  # fmt: skip
    result = rbp("reflect --date 2026-11-20", input="\n".join(typed) + "\n")
    assert result.exit_code == 0, result.output
    assert "27/11/2026 → Fri 27 Nov" in result.stderr


def test_followups_add_never_takes_the_promise_from_argv(rbp, db_path: Path) -> None:
    refused = rbp("followups add 'Ring the school' --due friday")
    assert refused.exit_code == 2
    assert "not taken on the command line" in refused.stderr
    masked = rbp("followups add --mask", input="Ring mum on 07700 900123\x1b[D\n")
    assert masked.exit_code == 0, masked.stderr
    assert "1 identifying detail found" in masked.stderr
    assert stored(db_path, "SELECT text FROM followups") == [("Ring mum on [phone]",)]
    strict = rbp("followups add --strict", input="Email jo@example.org")
    assert strict.exit_code == 1
    assert stored(db_path, "SELECT count(*) FROM followups") == [(1,)]
