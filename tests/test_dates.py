import datetime as dt

import pytest

from rbp_journal import dates
from rbp_journal.errors import BadDate

SUNDAY = dt.date(2026, 11, 22)


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
    ],
)
def test_past_words(text: str, expected: dt.date) -> None:
    assert dates.parse(text, SUNDAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow", dt.date(2026, 11, 23)),
        ("friday", dt.date(2026, 11, 27)),
        ("sunday", dt.date(2026, 11, 29)),
        ("in 3 days", dt.date(2026, 11, 25)),
        ("in 2 weeks", dt.date(2026, 12, 6)),
        ("next week", dt.date(2026, 11, 29)),
        ("2026-12-01", dt.date(2026, 12, 1)),
    ],
)
def test_due_words(text: str, expected: dt.date) -> None:
    assert dates.parse_due(text, SUNDAY) == expected


@pytest.mark.parametrize("text", ["banana", "2026-13-01", "", "32/11/2026", "in 3 days"])
def test_unreadable_dates_say_what_is_accepted(text: str) -> None:
    with pytest.raises(BadDate) as caught:
        dates.parse(text, SUNDAY)
    assert "2026-11-20" in str(caught.value)
    assert caught.value.exit_code == 2
