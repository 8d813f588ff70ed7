"""`rbp review`, `rbp trends` and `rbp followups` on journals with known figures."""

from __future__ import annotations

import datetime as dt
import json
import stat as file_stat
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from rbp_journal import dates
from rbp_journal.errors import UsageError
from rbp_journal.journal import Journal
from rbp_journal.models import views
from rbp_journal.models.reflection import AnswersPayload, FollowupIn
from rbp_journal.models.review import Period, Review, ThemeStat
from rbp_journal.models.views import FollowupView
from rbp_journal.periods import UnknownClient, choose_period, week_period
from rbp_journal.review_words import says_nothing
from rbp_journal.text import near_codes
from rbp_journal.trends import sparkline

TODAY = dt.date(2026, 11, 22)  # a Sunday


def add(
    journal: Journal,
    day: str,
    client: str = "C-001",
    setting: str = "home-visit",
    differently: str | None = None,
    followups: list[dict[str, str]] | None = None,
    **ratings: Any,
) -> int:
    answers: dict[str, Any] = {
        "what_happened": f"Session on {day}.",
        "differently": differently or f"Slow down ({day}).",
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
    payload = {
        "client": client,
        "date": day,
        "setting": setting,
        "answers": answers,
        "followups": followups or [],
    }
    return journal.recording.record(AnswersPayload.model_validate(payload))


@pytest.fixture
def planted(journal: Journal) -> Journal:
    # the week before: 2026-11-09 .. 2026-11-15, three sessions so changes are firm
    add(journal, "2026-11-10", listened=5, emotional_load=2)
    add(journal, "2026-11-12", client="C-002", listened=4, emotional_load=3)
    add(journal, "2026-11-14", client="C-002", listened=4, emotional_load=3)
    # this week: 2026-11-16 .. 2026-11-22
    add(journal, "2026-11-16", listened=2, emotional_load=5, setting="court")
    add(journal, "2026-11-20", client="C-003", listened=3, emotional_load=4)
    add(journal, "2026-11-22", client="C-003", listened=2, emotional_load=4, setting="meeting")
    return journal


def stat(report: Review, theme: str) -> Any:
    return next(s for s in report.themes if s.theme == theme)


# --- the period -----------------------------------------------------------------------------


def test_periods() -> None:
    week = week_period(TODAY)
    assert (week.start, week.end, week.days) == (dt.date(2026, 11, 16), TODAY, 7)
    assert week.before() == Period(start=dt.date(2026, 11, 9), end=dt.date(2026, 11, 15))


@pytest.mark.parametrize(
    ("week", "month", "since", "until", "start", "end"),
    [
        (False, False, None, None, "2026-11-16", "2026-11-22"),
        (True, False, None, None, "2026-11-16", "2026-11-22"),
        (False, True, None, None, "2026-10-24", "2026-11-22"),
        (True, False, None, "2026-11-08", "2026-11-02", "2026-11-08"),
        (False, False, "2026-11-01", None, "2026-11-01", "2026-11-22"),
        (False, False, "2026-11-01", "2026-11-07", "2026-11-01", "2026-11-07"),
        (False, False, "last week", None, "2026-11-16", "2026-11-22"),
    ],
)
def test_choose_period(
    week: bool, month: bool, since: str | None, until: str | None, start: str, end: str
) -> None:
    period = choose_period(week, month, since, until, TODAY)
    assert (str(period.start), str(period.end)) == (start, end)


def test_last_week_and_week_agree() -> None:
    assert choose_period(False, False, "last week", None, TODAY) == week_period(TODAY)
    assert (TODAY - dates.parse("last week", TODAY)).days + 1 == 7


@pytest.mark.parametrize(
    ("week", "month", "since", "until", "message"),
    [
        (True, True, None, None, "Choose one of --week, --month or --since."),
        (True, False, "monday", None, "Choose one of --week, --month or --since."),
        (
            False,
            False,
            "2026-11-20",
            "2026-11-01",
            "--since 2026-11-20 is after --until 2026-11-01.",
        ),
    ],
)
def test_choose_period_refuses(
    week: bool, month: bool, since: str | None, until: str | None, message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        choose_period(week, month, since, until, TODAY)
    assert str(caught.value) == message


# --- themes, flags, agenda ---------------------------------------------------------------


def test_theme_means_changes_and_polarity(planted: Journal) -> None:
    report = planted.supervision.review(week_period(TODAY), today=TODAY)
    assert report.format == 2
    assert report.counts._asdict() == {
        "reflections": 3,
        "clients": 2,
        "settings": {"court": 1, "home-visit": 1, "meeting": 1},
    }
    listening = stat(report, "listening")
    assert (listening.mean, listening.previous, listening.change) == (2.33, 4.33, -2.0)
    assert (listening.sessions, listening.sessions_before, listening.direction) == (3, 3, "down")
    assert (listening.tentative, listening.flagged, listening.polarity) == (False, True, "better")
    load = stat(report, "emotional-load")
    assert (load.mean, load.previous, load.change, load.polarity) == (4.33, 2.67, 1.6, "heavier")
    trust = stat(report, "trust")
    assert (trust.mean, trust.previous, trust.change, trust.direction) == (4.0, 4.0, 0.0, "steady")
    assert "culture" not in [s.theme for s in report.themes]


def test_one_flag_a_theme_with_its_reasons_merged(planted: Journal) -> None:
    report = planted.supervision.review(week_period(TODAY), today=TODAY)
    assert [(f.theme, f.reasons, f.sentence) for f in report.flags] == [
        ("listening", ["fell"], "Listening averaged 2.3, down from 4.3."),
        ("emotional-load", ["rose", "high"], "Emotional load averaged 4.3, up from 2.7."),
    ]


def test_a_change_on_fewer_than_three_sessions_is_tentative(journal: Journal) -> None:
    add(journal, "2026-11-12", listened=5)
    add(journal, "2026-11-13", listened=5)
    for day in ("2026-11-18", "2026-11-19", "2026-11-20"):
        add(journal, day, listened=3, voice=1)
    report = journal.supervision.review(week_period(TODAY), today=TODAY)
    listening = stat(report, "listening")
    assert (listening.change, listening.tentative, listening.flagged) == (-2.0, True, False)
    # a level on three sessions is firm, though its change from two sessions is not
    assert [(f.theme, f.reasons) for f in report.flags] == [("voice", ["low"])]
    assert report.flags[0].sentence == "Voice averaged 1.0, down from 4.0 (2 or below)."


def test_thin_evidence_is_neither_flagged_nor_held_up(journal: Journal) -> None:
    add(journal, "2026-11-20", voice=1, trust=5)
    report = journal.supervision.review(week_period(TODAY), today=TODAY)
    assert report.flags == []
    assert report.held_up == []
    assert all(s.tentative for s in report.themes)


def test_agenda_items_carry_reason_and_function(planted: Journal) -> None:
    report = planted.supervision.review(week_period(TODAY), today=TODAY)
    assert [(a.item, a.why, a.function) for a in report.agenda] == [
        ("Support and self-care", "Emotional load averaged 4.3, up from 2.7.", "support"),
        (
            "Listening: what got in the way?",
            "Listening averaged 2.3, down from 4.3.",
            "development",
        ),
        ("Other agencies", "2 meetings or court sessions this week.", "mediation"),
    ]


def test_an_agenda_item_needs_a_pattern_not_one_event(journal: Journal) -> None:
    rid = add(journal, "2026-11-20", setting="meeting")
    journal.supervision.add_followup(
        rid, FollowupIn(text="Ring the school", due=dt.date(2026, 11, 21))
    )
    report = journal.supervision.review(week_period(TODAY), today=TODAY)
    assert report.agenda == []
    add(journal, "2026-11-21", setting="court")
    journal.supervision.add_followup(
        rid, FollowupIn(text="Write the letter", due=dt.date(2026, 11, 19))
    )
    report = journal.supervision.review(week_period(TODAY), today=TODAY)
    assert [(a.item, a.why) for a in report.agenda] == [
        ("Overdue promises", "2 are overdue, the oldest by 3 days."),
        ("Other agencies", "2 meetings or court sessions this week."),
    ]


def test_held_up_states_plainly_what_held(planted: Journal) -> None:
    report = planted.supervision.review(week_period(TODAY), today=TODAY)
    assert [h.sentence for h in report.held_up] == [
        "Empathy averaged 4.0, unchanged",
        "Trust averaged 4.0, unchanged",
        "Power averaged 4.0, unchanged",
        "Voice averaged 4.0, unchanged",
        "Assumptions averaged 4.0, unchanged",
    ]


def test_a_rise_with_enough_sessions_and_promises_kept_are_held_up(journal: Journal) -> None:
    for day in ("2026-11-10", "2026-11-11", "2026-11-12"):
        add(journal, day, voice=2)
    for day in ("2026-11-18", "2026-11-19", "2026-11-20"):
        rid = add(journal, day, voice=3)
    fid = journal.supervision.add_followup(rid, FollowupIn(text="Send the letter"))
    journal.supervision.close_followup(fid, "done")  # kept today, whatever day the tests run
    report = journal.supervision.review(week_period(TODAY), today=TODAY)
    voice = next(h for h in report.held_up if h.theme == "voice")
    assert voice.sentence == "Voice averaged 3.0, up from 2.0"
    today = dt.date.today()
    kept = journal.supervision.review(week_period(today), today=today)
    assert kept.kept == [fid]
    assert kept.held_up[-1].sentence == "1 promise kept"
    screen = journal.supervision.review(week_period(today), today=today, listed=3)
    assert screen.kept == []  # the screen says how many; only a document lists them
    assert screen.held_up[-1].sentence == "1 promise kept"
    add(journal, "2026-11-19", client="C-002")
    mine = journal.supervision.review(week_period(today), client="C-001", today=today)
    assert mine.kept == [fid]
    other = journal.supervision.review(week_period(today), client="C-002", today=today)
    assert other.kept == [] and all(h.theme is not None for h in other.held_up)


# --- evidence ------------------------------------------------------------------------------


def test_stand_outs_name_each_session_once_with_every_reason(planted: Journal) -> None:
    low = dict.fromkeys(("listened", "empathy", "trust", "power", "voice", "assumptions"), 2)
    both = add(planted, "2026-11-21", emotional_load=5, **low)
    report = planted.supervision.review(week_period(TODAY), today=TODAY)
    assert [(s.reflection_id, s.reasons) for s in report.stand_out] == [
        (both, ["emotional load 5/5", "ratings averaged 2.0"]),
        (4, ["emotional load 5/5"]),
        (5, ["emotional load 4/5"]),
        (6, ["emotional load 4/5"]),
    ]
    assert report.stand_out[0].excerpt == "Session on 2026-11-21."


@pytest.mark.parametrize(
    ("text", "nothing"),
    [
        ("n/a", True),
        ("N/A.", True),
        ("None", True),
        ("-", True),
        ("nothing really", True),
        ("Not sure.", True),
        ("No.", True),
        ("Nothing — it went as planned, but ask about school next time.", False),
        ("None of the family spoke first; ask the child.", False),
        ("Slow down.", False),
    ],
)
def test_answers_that_say_nothing(text: str, nothing: bool) -> None:
    assert says_nothing(text) is nothing


def test_differently_leaves_out_answers_that_say_nothing(journal: Journal) -> None:
    add(journal, "2026-11-18", differently="n/a")
    add(journal, "2026-11-19", differently="None.")
    add(journal, "2026-11-20", differently="Ask the child first.")
    report = journal.supervision.review(week_period(TODAY), today=TODAY)
    assert [e.text for e in report.differently] == ["Ask the child first."]
    assert report.differently_total == 1


def test_promises_of_the_period_overdue_first(journal: Journal) -> None:
    old = add(journal, "2026-11-01")
    this_week = add(journal, "2026-11-18")
    journal.supervision.add_followup(
        old, FollowupIn(text="Made before, due this week", due=dt.date(2026, 11, 17))
    )
    journal.supervision.add_followup(
        old, FollowupIn(text="Made before, due later", due=dt.date(2026, 12, 9))
    )
    journal.supervision.add_followup(
        old, FollowupIn(text="Made before, overdue", due=dt.date(2026, 11, 3))
    )
    journal.supervision.add_followup(
        this_week, FollowupIn(text="Made this week", due=dt.date(2026, 11, 25))
    )
    journal.supervision.add_followup(this_week, FollowupIn(text="Made this week, undated"))
    done = journal.supervision.add_followup(
        this_week, FollowupIn(text="Done", due=dt.date(2026, 11, 19))
    )
    journal.supervision.close_followup(done, "done")
    report = journal.supervision.review(week_period(TODAY), today=TODAY)
    assert [f.text for f in report.followups] == [
        "Made before, due this week",
        "Made this week",
        "Made this week, undated",
    ]
    assert (report.followups_in_period, report.overdue) == (3, 1)
    assert (report.other_open, report.other_overdue) == (2, 1)


def test_a_past_period_never_shows_todays_promises_as_its_own(rbp, journal: Journal) -> None:
    rid = add(journal, dt.date.today().isoformat())
    for text in ("Ring the school", "Send the letter"):
        journal.supervision.add_followup(
            rid, FollowupIn(text=text, due=dt.date.today() - dt.timedelta(days=3))
        )
    journal.supervision.add_followup(None, FollowupIn(text="Undated, added today"))
    report = journal.supervision.review(Period(start=dt.date(2020, 1, 1), end=dt.date(2020, 1, 31)))
    assert (report.followups, report.followups_in_period, report.overdue) == ([], 0, 0)
    assert (report.other_open, report.other_overdue) == (3, 2)
    assert report.agenda == []
    result = rbp("review --since 2020-01-01 --until 2020-01-31")
    assert result.exit_code == 0, result.stderr
    assert "No reflections that period." in result.stdout
    assert "Promises made or due that period" in result.stdout
    assert "Ring the school" not in result.stdout
    assert "3 other promises (2 overdue) are open now: `rbp followups`" in result.stdout
    # the current week owns them: made today
    assert "Ring the school" in rbp("review --week").stdout


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


def test_unknown_client_is_named_with_near_matches(rbp, planted: Journal) -> None:
    with pytest.raises(UnknownClient) as caught:
        planted.supervision.review(week_period(TODAY), client="C-030", today=TODAY)
    assert str(caught.value) == (
        "No reflection has the client code C-030. Did you mean C-003, C-002 or C-001? "
        "`rbp clients` lists the codes in use."
    )
    result = rbp("review --client C-999")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: No reflection has the client code C-999.")
    assert near_codes("c-004", ["C-001", "C-003", "X-9"]) == ["C-003", "C-001"]
    assert near_codes("ZZZZZZ", ["C-001"]) == []


def test_weekly_sparkline_boundaries(journal: Journal) -> None:
    add(journal, "2026-11-22", listened=5)  # newest bucket: 11-16..11-22
    add(journal, "2026-11-16", listened=3)  # same bucket
    add(journal, "2026-11-15", listened=1)  # the bucket before
    report = journal.supervision.review(week_period(TODAY), today=TODAY)
    listening = stat(report, "listening")
    assert listening.weekly[-2:] == [1.0, 4.0]
    assert listening.weekly[:-2] == [None] * 6
    assert listening.weekly_sessions[-2:] == [1, 2]
    assert sparkline([1.0, None, 5.0, 3.0]) == "▁ █▅"


# --- markdown, JSON, files -------------------------------------------------------------


def test_markdown_parses_with_expected_headings(rbp, planted: Journal) -> None:
    result = rbp("review --since 2026-11-16 --until 2026-11-22 --format markdown")
    assert result.exit_code == 0, result.stderr
    tokens = MarkdownIt("commonmark").enable("table").parse(result.stdout)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        "Review of 2026-11-16 to 2026-11-22, against the 7 days before",
        "Suggested agenda",
        "Held up",
        "Themes",
        "Sessions that stood out",
        "Promises made or due that week",  # the tests run after 2026-11-22
        "What I said I would do differently",
    ]
    assert "| listening ⚑ | 2.3 | 4.3 | ↓ -2.0 | 3 |" in result.stdout
    assert (
        "1. **Support and self-care** — Emotional load averaged 4.3, up from 2.7." in result.stdout
    )
    assert "\x1b[" not in result.stdout


def test_json_is_the_documented_shape(rbp, planted: Journal) -> None:
    result = rbp("review --since 2026-11-16 --until 2026-11-22 --format json")
    data = json.loads(result.stdout)
    assert data["format"] == 2
    assert list(data) == list(Review._fields)
    period = Period(dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    report = planted.supervision.review(period, today=dt.date.today())
    assert data == views.data(report)  # dates as ISO text, every nested shape in field order
    assert list(data["period"]) == ["start", "end"]
    assert list(data["themes"][0]) == list(ThemeStat._fields)
    assert all(list(promise) == list(FollowupView._fields) for promise in data["followups"])
    assert next(t for t in data["themes"] if t["theme"] == "listening")["mean"] == 2.33


def test_output_file_is_whole_private_and_quiet(rbp, planted: Journal, tmp_path: Path) -> None:
    for fmt, name in [
        ("rich", "r.txt"),
        ("markdown", "r.md"),
        ("json", "r.json"),
        ("html", "r.html"),
    ]:
        target = tmp_path / name
        result = rbp(["review", "--since", "2026-11-16", "--until", "2026-11-22",
                      "--format", fmt, "--output", str(target)])  # fmt: skip
        assert result.exit_code == 0, result.stderr
        assert (result.stdout, result.stderr) == ("", ""), fmt
        assert file_stat.S_IMODE(target.stat().st_mode) == 0o600
        assert "2026-11-16" in target.read_text(encoding="utf-8")
        assert "\x1b[" not in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    trends = tmp_path / "trends.csv"
    result = rbp(["trends", "--format", "csv", "--output", str(trends)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert trends.read_text().startswith("week_start,theme,mean,ratings\n")


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


# --- trends and follow-ups ---------------------------------------------------------------


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
    parsed = json.loads(rbp("trends --weeks 6 --format json").stdout)
    assert parsed == views.data(trends)
    assert parsed["themes"][0]["theme"] == "listening"
    table = rbp("trends --weeks 6").stdout
    assert "listening" in table and "██▆▅ ▁" in table


@pytest.mark.parametrize("width", [60, 80, 100, 140])
def test_trends_fit_the_width_newest_weeks_first(journal: Journal, width: int) -> None:
    from rbp_journal.formats.trends import trends_text

    today = dt.date.today()
    for weeks_back in range(52):
        add(journal, (today - dt.timedelta(days=7 * weeks_back)).isoformat(),
            listened=1 + weeks_back % 5, emotional_load=5 if weeks_back == 0 else 2)  # fmt: skip
    trends = journal.supervision.trends(52, today=today)
    lines = trends_text(trends, width).splitlines()
    assert all(len(line.rstrip()) <= width for line in lines)
    listening = next(line for line in lines if line.startswith("listening"))
    load = next(line for line in lines if line.startswith("emotional-load"))
    assert "▁" in listening.split()[1][-1]  # the newest week (rated 1) is the last mark
    assert load.split()[1][-1] == "█"
    shown = len(load.split()[1])
    if shown < 52:
        assert lines[-1] == (
            f"{52 - shown} older weeks left out to fit; --format csv has them all."
        )
        first = trends.weeks[52 - shown]
        assert lines[0].split()[1:3] == ["from", str(first)]


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
