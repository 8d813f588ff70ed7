"""`rbp review --week` on a realistic month, read as a person reads it: at 80, 100 and 140
columns, one screen, agenda first, every wrapped line hanging under its item, nothing said
twice, nothing left out without saying so."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from rbp_journal.formats.review_screen import review_text
from rbp_journal.journal import Journal, open_journal
from rbp_journal.models.briefing import SCREEN
from rbp_journal.models.review import Review
from rbp_journal.periods import week_period
from rbp_journal.review_text import briefing

from realistic_month import PHONE, build

SCREEN_LINES = {80: 45, 100: 40, 140: 40}  # what the issue asks a week to fit in
HEADINGS = (
    "Suggested agenda",
    "Held up:",
    "Themes",
    "Sessions that stood out",
    "Promises made or due this week",
    "What I said I would do differently",
)


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Journal, Review]]:
    journal = open_journal(tmp_path_factory.mktemp("month") / "journal.db")
    today = dt.date.today()  # promises are kept "now": the month is dated from today
    written = build(journal, today)
    assert (len(written.ids), written.in_week) == (50, 16)
    yield journal, journal.supervision.review(week_period(today), today=today)
    journal.close()


def screen(report: Review, width: int) -> list[str]:
    return review_text(briefing(report), width).splitlines()


def test_the_month_is_what_the_issue_describes(month: tuple[Journal, Review]) -> None:
    report = month[1]
    assert report.counts.reflections == 16
    assert report.overdue + report.other_overdue == 12
    assert report.counts.settings["crisis"] == 3


@pytest.mark.parametrize("width", [80, 100, 140])
def test_a_week_is_one_screen(month: tuple[Journal, Review], width: int) -> None:
    lines = screen(month[1], width)
    print("\n".join(lines))  # the transcript, for -s
    assert len(lines) <= SCREEN_LINES[width]
    assert all(len(line) <= width for line in lines)
    assert all(line == line.rstrip() for line in lines), "no trailing padding"


@pytest.mark.parametrize("width", [60, 80, 100, 140])
def test_sections_in_order_and_every_wrapped_line_hangs(
    month: tuple[Journal, Review], width: int
) -> None:
    lines = screen(month[1], width)
    flush = [line for line in lines if line and not line.startswith(" ")]
    assert flush[0].startswith("Review of ")
    assert [h for h in HEADINGS if any(line.startswith(h) for line in flush)] == list(HEADINGS)
    # only the title and the section headings start at column 0: a wrapped line never does
    assert len(flush) == 1 + len(HEADINGS), flush
    assert all(line.startswith(HEADINGS) for line in flush[1:])
    # an item's continuation lines hang under its words, deeper than its marker
    for before, line in itertools.pairwise(lines):
        if re.match(r"^  (\d+\.|#\d+) ", before) and line.startswith(" ") and line.strip():
            marker = re.match(r"^  (\d+\.|#\d+) ", before)
            assert marker is not None
            continued = not re.match(r"^  (\d+\.|#\d+) ", line)
            if continued and not line.startswith("  and "):
                assert line.startswith(" " * marker.end()), (before, line)


def test_agenda_comes_first_and_says_why(month: tuple[Journal, Review]) -> None:
    lines = screen(month[1], 100)
    agenda = lines.index("Suggested agenda")
    assert agenda == 3
    items = [line for line in lines[agenda + 1 : agenda + 6] if re.match(r"^  \d\. ", line)]
    assert items[0].startswith("  1. Support and self-care — Emotional load averaged")
    assert all(re.search(r"\((support|development|management|mediation)\)", i) for i in items)


def test_nothing_is_said_twice(month: tuple[Journal, Review]) -> None:
    report = month[1]
    ids = [s.reflection_id for s in report.stand_out]
    assert len(ids) == len(set(ids))
    assert len({f.theme for f in report.flags}) == len(report.flags)
    text = "\n".join(screen(report, 100))
    assert text.count("Emotional load averaged") == 1  # flagged once, in the agenda
    assert "⚑" in text and "Flags" not in text


def test_a_capped_list_says_how_many_more(month: tuple[Journal, Review]) -> None:
    report = month[1]
    text = "\n".join(screen(report, 100))
    more = len(report.stand_out) - SCREEN.stand_out
    assert f"and {more} more; `--format markdown` has them all" in text
    more = report.differently_total - SCREEN.differently
    assert text.count(f"and {more} more; `--format markdown` has them all") >= 1
    more = report.followups_in_period - SCREEN.promises
    assert (
        f"and {more} more, with {report.other_open} other open promises "
        f"({report.other_overdue} overdue): `rbp followups`"
    ) in text


def test_the_week_is_honest(month: tuple[Journal, Review]) -> None:
    report = month[1]
    text = "\n".join(screen(report, 100))
    assert PHONE not in text and "[phone]" in text
    assert not re.search(r"#\d+ \S+ — (n/a|None\.|-)$", text, re.M)
    for stat in report.themes:
        if stat.tentative:
            assert not stat.flagged
    held = next(line for line in text.splitlines() if line.startswith("Held up:"))
    assert "promises kept" in held and "well done" not in held.lower()


def test_the_cli_prints_the_same_screen(rbp, month: tuple[Journal, Review], tmp_path: Path) -> None:
    journal, report = month
    out = tmp_path / "week.txt"
    result = rbp(["--db", str(journal.store.path), "review", "--week", "--output", str(out)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    written = out.read_text(encoding="utf-8").splitlines()
    assert written == screen(report, 100)


def test_a_review_for_the_screen_masks_and_carries_only_what_it_shows(
    month: tuple[Journal, Review],
) -> None:
    journal, document = month
    period, today = document.period, document.made_on
    shown = journal.supervision.review(period, today=today, listed=SCREEN.promises)
    assert shown.followups == document.followups[: SCREEN.promises]
    assert shown.differently == document.differently[: SCREEN.differently]
    # the same sessions stand out; the screen reads the words of those it shows
    assert len(shown.stand_out) == len(document.stand_out) > SCREEN.stand_out
    assert shown.stand_out[: SCREEN.stand_out] == document.stand_out[: SCREEN.stand_out]
    assert [s._replace(excerpt=None) for s in shown.stand_out] == [
        s._replace(excerpt=None) for s in document.stand_out
    ]
    assert all(s.excerpt is None for s in shown.stand_out[SCREEN.stand_out :])
    # the screen says how many promises were kept; the document lists them
    assert shown.kept == [] and len(document.kept) > 0
    assert shown._replace(followups=[], differently=[], stand_out=[], kept=[]) == document._replace(
        followups=[], differently=[], stand_out=[], kept=[]
    )  # every count and figure the same
    assert screen(shown, 100) == screen(document, 100)
