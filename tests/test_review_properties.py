"""Properties of the review's numbers and words, for any figures: a direction word always
matches the numbers beside it, and a change on fewer than three sessions a side is tentative
and never flagged, coloured or counted as having held up."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from rbp_journal.models.base import THEMES
from rbp_journal.models.review import Counts, Review, ThemeFigures
from rbp_journal.periods import week_period
from rbp_journal.review import FIRM, SPARK_WEEKS, Facts, build, is_tentative, worse
from rbp_journal.review_text import theme_row
from rbp_journal.review_words import averaged, change_of, direction

TODAY = dt.date(2026, 11, 22)
means = st.floats(min_value=1.0, max_value=5.0, allow_nan=False)
SENTENCE = re.compile(r"averaged (\d\.\d)(?:, (up|down) from (\d\.\d)|, (unchanged))?")


def read(sentence: str) -> tuple[float, str | None, float | None]:
    found = SENTENCE.search(sentence)
    assert found, sentence
    now, way, before, same = found.groups()
    return float(now), way or same, float(before) if before else None


@given(means, means)
def test_the_direction_word_matches_the_numbers_shown(mean: float, previous: float) -> None:
    now, way, before = read(averaged("Listening", mean, previous))
    if way == "unchanged":
        assert f"{mean:.1f}" == f"{previous:.1f}"
    else:
        assert before is not None
        assert (way == "up") == (now > before) and (way == "down") == (now < before)
    change = change_of(mean, previous)
    assert change is not None
    assert change == round(now - (before if before is not None else now), 1)
    assert {"up": change > 0, "down": change < 0, "steady": change == 0}[
        direction(mean, previous) or ""
    ]


figures = st.builds(
    ThemeFigures,
    mean=means,
    ratings=st.integers(1, 40),
    sessions=st.integers(1, 12),
    polarity=st.sampled_from(["better", "heavier"]),
)


@st.composite
def facts(draw: st.DrawFn) -> Facts:
    themes = draw(st.lists(st.sampled_from(THEMES), unique=True, max_size=len(THEMES)))
    now, before = {}, {}
    for theme in themes:
        polarity = "heavier" if theme == "emotional-load" else "better"
        if draw(st.booleans()) or not before:
            now[theme] = draw(figures)._replace(polarity=polarity)
        if draw(st.booleans()):
            before[theme] = draw(figures)._replace(polarity=polarity)
    return Facts(
        counts=Counts(reflections=3, clients=1, settings={"meeting": draw(st.integers(0, 3))}),
        now=now,
        before=before,
        weekly={},
        stand_out=[],
        first_words={},
        promises=[],
        kept=[],
        kept_total=0,
        open_total=0,
        overdue_total=0,
        oldest_due=None,
        differently=[],
        today=TODAY,
        depths=[],
    )


@settings(max_examples=300, deadline=None)
@given(facts())
def test_every_sentence_of_a_review_reads_its_numbers_right(given_facts: Facts) -> None:
    report = build(week_period(TODAY), None, given_facts)
    by_theme = {stat.theme: stat for stat in report.themes}
    sentences = [f.sentence for f in report.flags] + [h.sentence for h in report.held_up]
    sentences += [a.why for a in report.agenda if "averaged" in a.why]
    for sentence in sentences:
        now, way, before = read(sentence)
        if before is not None:
            assert (way == "up") == (now > before) and (way == "down") == (now < before)
    for stat in report.themes:
        row = theme_row(stat)
        if stat.change is not None:
            arrow = {"up": "↑", "down": "↓", "steady": "→"}[stat.direction or ""]
            assert arrow in row.change
        if stat.tentative:
            assert row.worse is None
            assert not any(f.theme == stat.theme and {"fell", "rose"} & set(f.reasons)
                           for f in report.flags)  # fmt: skip
            assert stat.change is None or row.change.startswith("(")
        for flag in report.flags:
            if flag.theme == stat.theme:
                assert stat.sessions >= FIRM
                if "fell" in flag.reasons or "rose" in flag.reasons:
                    assert worse(stat) and not stat.tentative
    assert len({f.theme for f in report.flags}) == len(report.flags)
    assert not {h.theme for h in report.held_up} & {f.theme for f in report.flags}
    assert all(len(stat.weekly) == SPARK_WEEKS for stat in by_theme.values())
    assert isinstance(report, Review)


@given(st.integers(0, 10), st.one_of(st.none(), st.integers(0, 10)))
def test_tentative_means_fewer_than_three_sessions_on_a_side(now: int, before: int | None) -> None:
    assert is_tentative(now, before) == (now < FIRM or (before is not None and before < FIRM))
