"""`rbp reflect` typed into a pseudo-terminal, byte by byte, as a keyboard sends them: arrow
keys, Home/End, Ctrl-A/E/W/U, backspace over whole characters, a bracketed paste holding two
paragraphs, Esc Enter, Ctrl-C in the middle of an answer, Ctrl-D. What the journal then holds
is read with sqlite3 and compared byte for byte.

The terminal is 80 columns wide. It does not answer cursor-position requests, so rbp must not
need it to (keyboard.py turns them off).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from rbp_journal import dates

from conftest import CORE_ANSWERS, installed_rbp

pexpect = pytest.importorskip("pexpect", reason="a pseudo-terminal needs pexpect (not on Windows)")

LEFT, RIGHT, HOME, END = "\x1b[D", "\x1b[C", "\x1b[H", "\x1b[F"
BACKSPACE, CTRL_A, CTRL_E, CTRL_W, CTRL_U = "\x7f", "\x01", "\x05", "\x17", "\x15"
CTRL_C, CTRL_D, ESC_ENTER, ENTER = "\x03", "\x04", "\x1b\r", "\r"


def paste(text: str) -> str:
    """What a terminal sends for a paste in bracketed-paste mode (line ends as CR)."""
    return "\x1b[200~" + text.replace("\n", "\r") + "\x1b[201~"


class Person:
    """Someone at an 80-column terminal running rbp."""

    def __init__(self, *args: str) -> None:
        env = dict(os.environ, TERM="xterm-256color", COLUMNS="80")
        env.pop("COLUMNS")  # the terminal's own size, as a person's shell has it
        command = installed_rbp()
        self.child = pexpect.spawn(
            command[0], [*command[1:], *args], env=env, dimensions=(30, 80), timeout=20,
            encoding="utf-8", codec_errors="replace",
        )  # fmt: skip

    def sees(self, text: str) -> None:
        self.child.expect_exact(text)

    def types(self, *keys: str) -> None:
        for key in keys:
            self.child.send(key)

    def answers(self, question: str, *keys: str) -> None:
        """Wait for `question` and for the line editor to be drawn after it (it shows the
        cursor last): keys typed earlier would meet the terminal's own line discipline,
        which eats Ctrl-D and turns Ctrl-C into a signal."""
        self.sees(question)
        self.child.expect_exact("\x1b[?25h")
        self.types(*keys)

    def finishes(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        status: int = self.child.exitstatus
        return status


def stored(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


WRITTEN = "Enter on an empty line ends it"
SUMMARY = "Enter saves it"


def test_editing_keys_fix_typos_and_store_no_escape_codes(db_path: Path) -> None:
    person = Person("reflect", "--set", "journal")
    # ← and backspace fix a typo; Home, End; Enter mid-line starts a new line at the end
    person.answers(WRITTEN, "I felt usefull", LEFT, BACKSPACE, HOME, "Today ", END, ".")
    person.types(LEFT, ENTER)
    person.types("wrong words", CTRL_W, CTRL_U, "right", CTRL_A, "all ", CTRL_E, "!", ENTER)
    person.types("café😊", BACKSPACE, LEFT, RIGHT, ENTER, ENTER)  # the emoji goes whole
    person.answers(SUMMARY, ENTER)
    assert person.finishes() == 0
    (text,) = stored(db_path, "SELECT text FROM answers")[0]
    assert text.encode() == "Today I felt useful.\nall right!\ncafé".encode()


def test_a_byte_that_is_not_utf8_is_kept_as_the_letter_it_was(db_path: Path) -> None:
    person = Person("reflect", "--set", "journal")
    person.answers(WRITTEN, "Met at the caf")
    os.write(person.child.child_fd, b"\xe9 again")  # what a Latin-1 terminal sends for é
    person.types(ENTER, ENTER)
    person.sees("1 byte that is not UTF-8 read as Latin-1")
    person.answers(SUMMARY, ENTER)
    assert person.finishes() == 0
    assert stored(db_path, "SELECT text FROM answers") == [("Met at the café again",)]


def test_a_pasted_answer_is_one_answer_whatever_blank_lines_it_holds(db_path: Path) -> None:
    person = Person("reflect", "--set", "driscoll")
    pasted = "First paragraph, pasted.\n\nSecond paragraph.\n"
    person.answers(WRITTEN, paste(pasted), ENTER)
    person.answers("2 of 4", "Typed one.", ENTER, ESC_ENTER, "Typed two.", ENTER, ENTER)
    person.answers("3 of 4", "Now.", ENTER, ENTER)
    person.answers("Promise (Enter when done", ENTER)
    person.answers(SUMMARY, ENTER)
    assert person.finishes() == 0
    assert stored(db_path, "SELECT prompt_id, text FROM answers ORDER BY position") == [
        ("what", "First paragraph, pasted.\n\nSecond paragraph."),
        ("so_what", "Typed one.\n\nTyped two."),
        ("now_what", "Now."),
    ]
    assert stored(db_path, "SELECT count(*) FROM followups") == [(0,)]


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_ctrl_c_mid_answer_keeps_its_lines_and_resume_goes_on(db_path: Path) -> None:
    person = Person("reflect", "--set", "journal")
    person.answers(WRITTEN, "Line one.", ENTER, "Line two.", ENTER, "Line thr", CTRL_C)
    person.sees("kept as draft #1")
    assert person.finishes() == 130
    assert stored(db_path, "SELECT text FROM answers") == [("Line one.\nLine two.\nLine thr",)]
    again = Person("reflect", "--resume")
    again.answers(WRITTEN, "ee.", ENTER, ENTER)
    again.answers(SUMMARY, ENTER)
    assert again.finishes() == 0
    assert stored(db_path, "SELECT text FROM answers") == [("Line one.\nLine two.\nLine three.",)]
    assert stored(db_path, "SELECT status FROM reflections") == [("done",)]


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_ctrl_d_ends_an_answer_and_on_an_empty_one_stops(db_path: Path) -> None:
    person = Person("reflect", "--set", "journal")
    person.answers(WRITTEN, "Just this.", CTRL_D)
    person.answers(SUMMARY, CTRL_D)
    person.sees("kept as draft #1")
    assert person.finishes() == 130
    assert stored(db_path, "SELECT text FROM answers") == [("Just this.",)]
    nothing = Person("reflect", "--set", "journal")
    nothing.answers(WRITTEN, CTRL_D)
    nothing.sees("Nothing was written, so nothing was kept.")
    assert nothing.finishes() == 130
    assert stored(db_path, "SELECT count(*) FROM reflections") == [(1,)]


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_back_and_the_summary_change_a_rating(db_path: Path) -> None:
    person = Person("reflect", "--set", "self-care")
    person.answers("1-5, back:", "4", ENTER)
    person.answers(WRITTEN, "back", ENTER)
    person.sees("1 of 6")
    person.answers("1-5, back:", BACKSPACE, "2", ENTER)  # 4 is filled in; now 2
    person.answers(WRITTEN, "The last visit.", ENTER, ENTER)
    person.answers("3 of 6", ENTER)  # optional: Enter on the empty answer skips it
    person.answers("Number, Enter to skip, back:", "3", ENTER)  # yes, my manager
    person.answers("as a promise due today? [Y/n]", ENTER)
    for number in (5, 6):
        person.answers(f"{number} of 6", ENTER)
    person.answers(SUMMARY, "1", ENTER)
    person.answers("1-5, back:", BACKSPACE, "3", ENTER)
    person.answers(SUMMARY, ENTER)
    assert person.finishes() == 0
    assert stored(db_path, "SELECT prompt_id, rating, text FROM answers ORDER BY position") == [
        ("emotional_impact", 3, None),
        ("staying_with_me", None, "The last visit."),
        ("talk_before_tomorrow", None, "yes, my manager"),
    ]
    assert stored(db_path, "SELECT text, due FROM followups") == [
        ("Talk to my manager before tomorrow", dt.date.today().isoformat())
    ]


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_dates_are_said_back_and_a_past_due_date_is_asked_about(db_path: Path) -> None:
    today = dt.date.today()
    person = Person("reflect", "--set", "driscoll")
    for number in (1, 2, 3):
        person.answers(f"{number} of 4", "Words.", ENTER, ENTER)
    person.answers("Promise (Enter when done", "Ring the school", ENTER)
    person.answers("Due by", "last friday", ENTER)
    person.sees("that is in the past")
    person.answers("Enter keeps it, or type the date again:", "friday", ENTER)
    friday = dates.parse_due("friday", today)
    person.sees(f"friday → {dates.shown(friday, today)}")
    person.answers("Promise (Enter when done", ENTER)
    person.answers(SUMMARY, ENTER)
    assert person.finishes() == 0
    assert stored(db_path, "SELECT text, due FROM followups") == [
        ("Ring the school", friday.isoformat())
    ]


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_a_new_client_code_is_named_and_a_known_one_found_whatever_its_case(
    rbp, db_path: Path
) -> None:
    assert rbp("reflect --answers -", input=json.dumps(CORE_ANSWERS)).exit_code == 0
    person = Person("reflect", "--set", "journal", "--client", "c-041")
    person.sees("C-041 is a new client code: no reflection uses it yet. Near: C-014.")
    person.answers("Enter uses C-041, or type the code you meant:", "c-014", ENTER)
    person.answers("#1 Send the housing referral (due 2026-11-27): done now? [y/N]", ENTER)
    person.answers(WRITTEN, "Met again.", ENTER, ENTER)
    person.answers(SUMMARY, ENTER)
    assert person.finishes() == 0
    assert stored(db_path, "SELECT DISTINCT client FROM reflections") == [("C-014",)]


def test_up_brings_back_what_was_written_to_the_same_question(rbp, db_path: Path) -> None:
    earlier = {"set": "journal", "answers": {"entry": "Tired, but the visit went well."}}
    assert rbp("reflect --answers -", input=json.dumps(earlier)).exit_code == 0
    person = Person("reflect", "--set", "journal")
    person.answers(WRITTEN, "\x1b[A", " Again.", ENTER, ENTER)
    person.answers(SUMMARY, ENTER)
    assert person.finishes() == 0
    assert stored(db_path, "SELECT text FROM answers ORDER BY id") == [
        ("Tired, but the visit went well.",),
        ("Tired, but the visit went well. Again.",),
    ]


def test_a_script_in_a_terminal_is_never_stopped_to_confirm_a_code(tmp_path: Path) -> None:
    session = tmp_path / "session.json"
    session.write_text(json.dumps(CORE_ANSWERS), encoding="utf-8")
    person = Person("reflect", "--answers", str(session))
    person.sees("Note: C-014 is a new client code.")
    assert person.finishes() == 0
