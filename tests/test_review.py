"""`rbp review`, `rbp trends` and `rbp followups` on journals with known figures."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from markdown_it import MarkdownIt

from rbp_journal.journal import Journal
from rbp_journal.models.reflection import AnswersPayload
from rbp_journal.review import Period, Review, Trends, sparkline, week_period

TODAY = dt.date(2026, 11, 22)  # a Sunday


def add(
    journal: Journal, day: str, client: str = "C-001", setting: str = "home-visit", **ratings: Any
) -> int:
    answers: dict[str, Any] = {
        "what_happened": f"Session on {day}.",
        "differently": f"Slow down ({day}).",
    }
    defaults = {
        "listened": 4,
        "empathy": 4,
        "trust": 4,
        "power": 4,
        "voice": 4,
        "assumptions": 4,
        "emotional_load": 2,
    }
    answers.update({**defaults, **ratings})
    payload = {"client": client, "date": day, "setting": setting, "answers": answers}
    return journal.recording.record(AnswersPayload.model_validate(payload))


@pytest.fixture
def planted(journal: Journal) -> Journal:
    # the week before: 2026-11-09 .. 2026-11-15
    add(journal, "2026-11-10", listened=5, emotional_load=2)
    add(journal, "2026-11-12", client="C-002", listened=4, emotional_load=3)
    # this week: 2026-11-16 .. 2026-11-22
    add(journal, "2026-11-16", listened=2, emotional_load=5, setting="court")
    add(journal, "2026-11-20", client="C-003", listened=3, emotional_load=4)
    add(journal, "2026-11-22", client="C-003", listened=2, emotional_load=4, setting="meeting")
    return journal


def stat(report: Review, theme: str) -> Any:
    return next(s for s in report.themes if s.theme == theme)


def test_periods() -> None:
    week = week_period(TODAY)
    assert (week.start, week.end, week.days) == (dt.date(2026, 11, 16), TODAY, 7)
    assert week.before() == Period(start=dt.date(2026, 11, 9), end=dt.date(2026, 11, 15))


def test_theme_means_changes_and_polarity(planted: Journal) -> None:
    report = planted.supervision.review(week_period(TODAY), today=TODAY)
    assert report.counts.model_dump() == {
        "reflections": 3,
        "clients": 2,
        "settings": {"court": 1, "home-visit": 1, "meeting": 1},
    }
    listening = stat(report, "listening")
    assert (listening.mean, listening.previous, listening.change) == (2.33, 4.5, -2.17)
    assert (listening.ratings, listening.sessions, listening.polarity) == (3, 3, "better")
    load = stat(report, "emotional-load")
    assert (load.mean, load.previous, load.change, load.polarity) == (4.33, 2.5, 1.83, "heavier")
    trust = stat(report, "trust")
    assert (trust.mean, trust.previous, trust.change) == (4.0, 4.0, 0.0)
    assert "culture" not in [s.theme for s in report.themes]


def test_flags_say_why(planted: Journal) -> None:
    report = planted.supervision.review(week_period(TODAY), today=TODAY)
    assert [f.reason for f in report.flags] == [
        "Listening fell from 4.5 to 2.3.",
        "Emotional load rose from 2.5 to 4.3.",
        "Emotional load averaged 4.3, at or above 4.",
    ]


def test_low_and_thin_evidence_flags(journal: Journal) -> None:
    add(journal, "2026-11-20", voice=2)
    report = journal.supervision.review(week_period(TODAY), today=TODAY)
    reasons = [f.reason for f in report.flags]
    assert "Voice averaged 2.0, at or below 2." in reasons
    assert "Listening was rated in only 1 session this period." in reasons


def test_agenda_items_carry_reason_and_function(planted: Journal) -> None:
    report = planted.supervision.review(week_period(TODAY), today=TODAY)
    assert [(a.item, a.why, a.function) for a in report.agenda] == [
        (
            "Support and self-care",
            "Emotional load averaged 4.3, up from 2.5.",
            "support and emotional impact",
        ),
        (
            "Listening: what got in the way?",
            "Listening averaged 2.3, down from 4.5.",
            "development and learning",
        ),
        (
            "Working with other agencies",
            "2 multi-agency meeting or court sessions this period.",
            "mediation and partnership across agencies",
        ),
    ]


def test_stand_out_and_differently(planted: Journal) -> None:
    report = planted.supervision.review(week_period(TODAY), today=TODAY)
    assert [(s.reflection_id, s.why) for s in report.stand_out][:3] == [
        (3, "Emotional load 5/5"),
        (5, "Emotional load 4/5"),
        (4, "Emotional load 4/5"),
    ]
    assert [e.reflection_id for e in report.differently] == [5, 4, 3]
    assert report.differently[0].text == "Slow down (2026-11-22)."


def test_overdue_followups_first(journal: Journal) -> None:
    from rbp_journal.models.reflection import FollowupIn

    rid = add(journal, "2026-11-01")
    journal.supervision.add_followup(rid, FollowupIn(text="Later", due=dt.date(2026, 12, 1)))
    journal.supervision.add_followup(rid, FollowupIn(text="Oldest", due=dt.date(2026, 11, 10)))
    journal.supervision.add_followup(None, FollowupIn(text="Undated"))
    journal.supervision.add_followup(rid, FollowupIn(text="Recent", due=dt.date(2026, 11, 20)))
    done = journal.supervision.add_followup(
        rid, FollowupIn(text="Done one", due=dt.date(2026, 11, 1))
    )
    journal.supervision.close_followup(done, "done")
    report = journal.supervision.review(week_period(TODAY), today=TODAY)
    assert [f.text for f in report.followups] == ["Oldest", "Recent", "Later", "Undated"]
    assert [f.days_overdue(TODAY) for f in report.followups] == [12, 2, 0, 0]
    assert report.overdue == 2
    assert report.agenda[-1].why == "2 promises are overdue, the oldest by 12 days."


def test_empty_period_still_shows_promises(rbp, journal: Journal) -> None:
    from rbp_journal.models.reflection import FollowupIn

    journal.supervision.add_followup(
        None, FollowupIn(text="Ring the school", due=dt.date(2026, 11, 1))
    )
    result = rbp("review --since 2020-01-01 --until 2020-01-07")
    assert result.exit_code == 0
    assert "0 reflections" in result.stdout
    assert "No reflections in this period." in result.stdout
    assert "Ring the school" in result.stdout


def test_single_reflection_period(journal: Journal) -> None:
    add(journal, "2026-11-21")
    report = journal.supervision.review(week_period(TODAY), today=TODAY)
    assert report.counts.reflections == 1
    assert stat(report, "listening").previous is None
    assert stat(report, "listening").change is None


def test_client_narrows_everything(planted: Journal) -> None:
    report = planted.supervision.review(week_period(TODAY), client="C-003", today=TODAY)
    assert report.counts.reflections == 2
    assert stat(report, "listening").mean == 2.5


def test_weekly_sparkline_boundaries(journal: Journal) -> None:
    add(journal, "2026-11-22", listened=5)  # newest bucket: 11-16..11-22
    add(journal, "2026-11-16", listened=3)  # same bucket
    add(journal, "2026-11-15", listened=1)  # the bucket before
    report = journal.supervision.review(week_period(TODAY), today=TODAY)
    weekly = stat(report, "listening").weekly
    assert weekly[-2:] == [1.0, 4.0]
    assert weekly[:-2] == [None] * 6
    assert sparkline([1.0, None, 5.0, 3.0]) == "▁ █▅"


def test_markdown_parses_with_expected_headings(rbp, planted: Journal) -> None:
    result = rbp("review --since 2026-11-16 --until 2026-11-22 --format markdown")
    assert result.exit_code == 0, result.stderr
    tokens = MarkdownIt("commonmark").enable("table").parse(result.stdout)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        "Supervision review: 2026-11-16 to 2026-11-22",
        "Themes",
        "Flags",
        "Sessions that stood out",
        "Open promises",
        "What I said I would do differently",
        "Suggested agenda",
    ]
    assert "| listening | 2.3 | 4.5 | ↓ -2.2 | 3 |" in result.stdout
    assert "\x1b[" not in result.stdout


def test_json_validates_against_its_model(rbp, planted: Journal) -> None:
    result = rbp("review --since 2026-11-16 --until 2026-11-22 --format json")
    report = Review.model_validate_json(result.stdout)
    assert report.format == 1
    assert stat(report, "listening").mean == 2.33


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ("review --week --month", 2),
        ("review --since tomorrowish", 2),
        ("review --format pdf", 2),
        ("review --since 2026-11-20 --until 2026-11-01", 2),
        ("trends --theme joy", 2),
        ("trends --weeks 0", 2),
    ],
)
def test_review_usage_errors(rbp, args: str, code: int) -> None:
    result = rbp(args)
    assert result.exit_code == code
    assert "Traceback" not in result.output


def test_trends_show_a_planted_decline(journal: Journal, rbp) -> None:
    today = dt.date.today()
    for weeks_back, rating in [(5, 5), (4, 5), (3, 4), (2, 3), (0, 1)]:
        add(journal, (today - dt.timedelta(days=7 * weeks_back)).isoformat(), listened=rating)
    trends = journal.supervision.trends(6, today=today)
    listening = next(t for t in trends.themes if t.theme == "listening")
    assert listening.weekly == [5.0, 5.0, 4.0, 3.0, None, 1.0]
    assert listening.latest == 1.0
    assert trends.weeks[-1] == today - dt.timedelta(days=6)
    csv_out = rbp("trends --weeks 6 --format csv --theme listening").stdout.splitlines()
    assert csv_out[0] == "week_start,theme,mean,ratings"
    assert csv_out[-2].endswith(",listening,,0")
    assert csv_out[-1].endswith(",listening,1.00,1")
    parsed = Trends.model_validate_json(rbp("trends --weeks 6 --format json").stdout)
    assert parsed.themes[0].theme == "listening"
    table = rbp("trends --weeks 6").stdout
    assert "listening" in table and "██▆▅ ▁" in table


def test_followups_commands(rbp, journal: Journal) -> None:
    add(journal, "2026-11-20")
    added = rbp("followups add --due 2026-11-25 --from 1", input="Ring the school\n")
    assert added.exit_code == 0 and added.stdout == "1\n"
    assert rbp("followups add --due someday", input="Chase CAMHS").exit_code == 2
    assert rbp("followups add --from 9", input="Orphan").stderr.startswith(
        "Error: No reflection with id 9."
    )
    listed = json.loads(rbp("followups --json").stdout)
    assert [(f["id"], f["text"], f["client"]) for f in listed] == [(1, "Ring the school", "C-001")]
    assert rbp("followups done 1 --note 'rang on Monday'").exit_code == 0
    assert json.loads(rbp("followups --json").stdout) == []
    closed = json.loads(rbp("followups --all --json").stdout)[0]
    assert (closed["status"], closed["note"]) == ("done", "rang on Monday")
    assert rbp("followups drop 7").stderr == (
        "Error: No follow-up with id 7. `rbp followups --all` shows the ids.\n"
    )
