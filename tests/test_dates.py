"""Dates as people say them: a table of what each form means, and properties over the parser
(every accepted string is one date, every refused one says what is accepted)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rbp_journal import dates
from rbp_journal.errors import BadDate

SUNDAY = dt.date(2026, 11, 22)
THURSDAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", dt.date(2026, 11, 20)),
        ("today", SUNDAY),
        (" Yesterday ", dt.date(2026, 11, 21)),
        ("monday", dt.date(2026, 11, 16)),
        ("sunday", SUNDAY),
        ("last sunday", dt.date(2026, 11, 15)),
        ("fri", dt.date(2026, 11, 20)),
        ("3 days ago", dt.date(2026, 11, 19)),
        ("a week ago", dt.date(2026, 11, 15)),
        ("2 weeks ago", dt.date(2026, 11, 8)),
        ("last week", dt.date(2026, 11, 16)),  # with today, the 7 days of `review --week`
        ("20/11", dt.date(2026, 11, 20)),
        ("20/11/2026", dt.date(2026, 11, 20)),
        ("20.11.26", dt.date(2026, 11, 20)),
        ("20 Nov", dt.date(2026, 11, 20)),
        ("Nov 20", dt.date(2026, 11, 20)),
        ("20th November", dt.date(2026, 11, 20)),
        ("27/5", dt.date(2026, 5, 27)),  # a session without a year: the last one
        ("27/11", dt.date(2026, 11, 27)),  # …unless this year's is within a month ahead
    ],
)
def test_session_dates(text: str, expected: dt.date) -> None:
    assert dates.parse(text, SUNDAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow", dt.date(2026, 11, 27)),
        ("friday", dt.date(2026, 11, 27)),  # on a Thursday: the coming one, tomorrow
        ("next friday", dt.date(2026, 12, 4)),  # the Friday of next week
        ("friday week", dt.date(2026, 12, 4)),
        ("monday week", dt.date(2026, 12, 7)),
        ("thursday", dt.date(2026, 12, 3)),  # never today: a week on
        ("end of week", dt.date(2026, 11, 27)),
        ("end of month", dt.date(2026, 11, 30)),
        ("in 3 days", dt.date(2026, 11, 29)),
        ("in 2 weeks", dt.date(2026, 12, 10)),
        ("next week", dt.date(2026, 12, 3)),
        ("27/11", dt.date(2026, 11, 27)),
        ("27/11/2026", dt.date(2026, 11, 27)),
        ("27.11.26", dt.date(2026, 11, 27)),
        ("27-11-2026", dt.date(2026, 11, 27)),
        ("27 Nov", dt.date(2026, 11, 27)),
        ("Nov 27", dt.date(2026, 11, 27)),
        ("nov 27, 2026", dt.date(2026, 11, 27)),
        ("27/5", dt.date(2027, 5, 27)),  # a due date without a year: the coming one
        ("20/11", dt.date(2026, 11, 20)),  # …unless it passed within a month: then asked
        ("2026-12-01", dt.date(2026, 12, 1)),
    ],
)
def test_due_dates(text: str, expected: dt.date) -> None:
    assert dates.parse_due(text, THURSDAY) == expected


def test_next_friday_is_next_weeks_and_the_echo_says_so() -> None:
    reading = dates.read("next friday", THURSDAY, ahead=True)
    assert dates.echo("next friday", reading.day, THURSDAY) == "next friday → Fri 4 Dec"
    assert reading.doubt == "the Friday of next week; friday alone is Fri 27 Nov"
    # on a Saturday the two readings are the same day, and nothing is asked
    saturday = dt.date(2026, 11, 28)
    assert dates.read("next friday", saturday, ahead=True) == dates.Reading(dt.date(2026, 12, 4))
    assert dates.parse_due("friday", saturday) == dt.date(2026, 12, 4)


@pytest.mark.parametrize(
    ("text", "ahead", "worry"),
    [
        ("3/4", True, "day first: 3 April, not March 4"),
        ("last friday", True, "that is in the past"),
        ("tomorrow", False, "that is in the future"),
        ("friday", True, None),
        ("27/11", True, None),
        ("11/11", True, "that is in the past"),  # day and month the same: not ambiguous
    ],
)
def test_what_is_asked_about(text: str, ahead: bool, worry: str | None) -> None:
    assert dates.concern(dates.read(text, THURSDAY, ahead), THURSDAY, ahead) == worry


def test_shown_adds_the_year_only_when_it_is_not_this_one() -> None:
    assert dates.shown(dt.date(2026, 11, 27), THURSDAY) == "Fri 27 Nov"
    assert dates.shown(dt.date(2027, 5, 27), THURSDAY) == "Thu 27 May 2027"


@pytest.mark.parametrize(
    "text", ["banana", "2026-13-01", "", "32/11/2026", "31/2", "27-11", "in 99999 months"]
)
def test_unreadable_dates_say_what_is_accepted(text: str) -> None:
    with pytest.raises(BadDate) as caught:
        dates.parse(text, SUNDAY)
    assert "2026-11-20" in str(caught.value) and "27/11" in str(caught.value)
    assert caught.value.exit_code == 2


# --- properties ------------------------------------------------------------------------

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
weekday = st.sampled_from(dates.WEEKDAYS).flatmap(lambda d: st.sampled_from([d, d[:3]]))
month = st.sampled_from(dates.MONTHS).flatmap(lambda m: st.sampled_from([m, m[:3], m.title()]))
count = st.integers(min_value=0, max_value=400).map(str)
FIXED_WORDS = ["today", "yesterday", "tomorrow", "last week", "next week", "end of week",
               "end of month", "end of the month"]  # fmt: skip
accepted = st.one_of(
    st.sampled_from(FIXED_WORDS),
    weekday,
    st.tuples(st.sampled_from(["last", "next", "this"]), weekday).map(" ".join),
    weekday.map(lambda d: f"{d} week"),
    st.tuples(count, st.sampled_from(["day", "days", "week", "weeks"])).map(
        lambda t: f"{t[0]} {t[1]} ago"
    ),
    st.tuples(count, st.sampled_from(["day", "days", "week", "weeks"])).map(
        lambda t: f"in {t[0]} {t[1]}"
    ),
    days.map(dt.date.isoformat),
    st.tuples(days, st.sampled_from(["/", "."]), st.booleans()).map(
        lambda t: t[1].join([str(t[0].day), str(t[0].month)] + ([str(t[0].year)] if t[2] else []))
    ),
    st.tuples(st.integers(1, 28), month).map(lambda t: f"{t[0]} {t[1]}"),
    st.tuples(st.integers(1, 28), month).map(lambda t: f"{t[1]} {t[0]}"),
)


@given(accepted, days, st.booleans())
def test_every_accepted_string_is_exactly_one_date(text: str, today: dt.date, ahead: bool) -> None:
    first = dates.read(text, today, ahead)
    assert isinstance(first.day, dt.date)
    assert dates.read(text.upper(), today, ahead) == first  # the same whatever the case
    assert dates.read(f"  {text} ", today, ahead) == first
    said = dates.echo(text, first.day, today)
    assert said.startswith(" ".join(text.split()) + " → ")


@given(accepted.map(lambda t: t + " x") | st.text(max_size=30), days, st.booleans())
def test_every_refused_string_says_what_is_accepted(text: str, today: dt.date, ahead: bool) -> None:
    try:
        dates.read(text, today, ahead)
    except BadDate as error:
        message = str(error)
        assert repr(text) in message
        advice = message.replace(repr(text), "")  # what was typed may hold any of the words
        assert "2026-11-20" in advice and "27/11" in advice and "27 Nov" in advice
        assert ("next friday" in advice) == ahead


@given(days, days)
def test_a_full_date_means_itself_in_every_form(day: dt.date, today: dt.date) -> None:
    forms = [
        day.isoformat(),
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day}.{day.month}.{day.year}",
        f"{day.day} {dates.MONTHS[day.month - 1]} {day.year}",
        f"{dates.MONTHS[day.month - 1][:3]} {day.day}, {day.year}",
    ]
    for form in forms:
        assert dates.parse(form, today) == day and dates.parse_due(form, today) == day
