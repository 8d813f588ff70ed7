"""Search snippets cut in time linear in the answer (issue 17, point 16), and the same as
FTS5's own snippet() wherever both can be asked."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rbp_journal.models.views import MARK_END, MARK_START
from rbp_journal.store.search import snippet

from faults import rbp, reflection

WORDS = ["school", "housing", "family", "visit", "late", "mother", "run", "and", "the"]


def fts5(text: str, query: str) -> tuple[str, str]:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(t)")
    conn.execute("INSERT INTO f VALUES (?)", [text])
    row = conn.execute(
        "SELECT snippet(f, 0, ?, ?, '…', 16), highlight(f, 0, ?, ?) FROM f WHERE f MATCH ?",
        [MARK_START, MARK_END, MARK_START, MARK_END, query],
    ).fetchone()
    conn.close()
    return row[0], row[1]


def marked_words(snip: str) -> set[str]:
    return set(re.findall(f"{MARK_START}(\\w+){MARK_END}", snip))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=80), st.sampled_from(WORDS[:4]))
def test_the_snippet_is_as_good_as_fts5s_own(words: list[str], query: str) -> None:
    """As many different matched words as FTS5's snippet() shows, in at most 16 words cut
    whole from the answer (FTS5 also favours windows that start a sentence; rbp does not)."""
    text = " ".join(words) + f" {query} or housing"
    theirs, marked = fts5(text, f"{query} OR housing")
    mine = snippet(marked)
    assert len(marked_words(mine)) == len(marked_words(theirs))
    plain = mine.replace(MARK_START, "").replace(MARK_END, "")
    assert plain.strip("…") in text and len(plain.strip("…").split()) <= 16


def test_the_snippet_is_fts5s_own_for_a_plain_answer() -> None:
    text = (
        "One two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen school twenty-one twenty-two and then "
        "the school run was late again, said the mother; school is hard."
    )
    theirs, marked = fts5(text, "school")
    assert snippet(marked) == theirs


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_one_word_forty_thousand_times_is_answered_at_once(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert (
        rbp(db, "reflect", "--answers", "-", input=reflection("family " * 40_000)).returncode == 0
    )
    found = rbp(db, "search", "family", "--json")  # FTS5's snippet() took 18 s; now 0.3 s
    assert found.returncode == 0, found.stderr
    (hit,) = json.loads(found.stdout)
    assert hit["snippet"] == "family " * 15 + "family…"


def lines_run(call: Callable[[], object]) -> int:
    """How many lines of Python `call` runs: a count of work that no machine's speed changes."""
    count = 0

    def tracer(frame: FrameType, event: str, arg: object) -> Callable[..., object]:
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(None)
    return count


def test_the_snippets_work_grows_in_step_with_the_answer() -> None:
    def marked(times: int) -> str:
        return f"{MARK_START}family{MARK_END} " * times

    small = lines_run(lambda: snippet(marked(2_000)))
    large = lines_run(lambda: snippet(marked(20_000)))
    assert large < 12 * small  # ten times the matches, about ten times the work (not a hundred)
