"""Reading the WHEN words people type.

`parse` reads a day in the past or present, as session dates and filters need: ISO dates,
today, yesterday, weekday names (the most recent one), 'N days ago', 'last week'.
`parse_due` reads a day in the future, as promises need: tomorrow, weekday names (the coming
one), 'in N days', 'next week', and ISO dates. `today` is passed in by tests. A word that
cannot be read is a usage error that lists what is accepted.
"""

from __future__ import annotations

import datetime as dt
import re

from rbp_journal.errors import BadDate

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_UNITS = {"day": 1, "week": 7, "month": 30}
_AGO = re.compile(r"^(\d{1,5}|a|an|one)\s+(day|week|month)s?\s+ago$")
_IN = re.compile(r"^in\s+(\d{1,5}|a|an|one)\s+(day|week|month)s?$")


def parse(text: str, today: dt.date | None = None) -> dt.date:
    """A past or present day; a weekday name means the most recent one, today included."""
    today = today or dt.date.today()
    word = _normal(text)
    fixed = {"today": 0, "yesterday": 1, "last week": 7}
    if word in fixed:
        return today - dt.timedelta(days=fixed[word])
    weekday = _weekday(word.removeprefix("last "))
    if weekday is not None:
        back = (today.weekday() - weekday) % 7
        return today - dt.timedelta(days=back or (7 if word.startswith("last ") else 0))
    ago = _AGO.match(word)
    if ago:
        return _shift(today, -_span(ago.group(1), ago.group(2)), text, future=False)
    return _iso(text, word, future=False)


def parse_due(text: str, today: dt.date | None = None) -> dt.date:
    """A day to do something by; a weekday name means the coming one, after today."""
    today = today or dt.date.today()
    word = _normal(text)
    fixed = {"today": 0, "tomorrow": 1, "next week": 7}
    if word in fixed:
        return today + dt.timedelta(days=fixed[word])
    weekday = _weekday(word.removeprefix("next "))
    if weekday is not None:
        return today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    ahead = _IN.match(word)
    if ahead:
        return _shift(today, _span(ahead.group(1), ahead.group(2)), text, future=True)
    return _iso(text, word, future=True)


def parse_optional(text: str | None, today: dt.date | None = None) -> dt.date | None:
    return None if text is None else parse(text, today)


def _normal(text: str) -> str:
    return " ".join(text.strip().lower().split())


def _weekday(word: str) -> int | None:
    for index, day in enumerate(WEEKDAYS):
        if word == day or word == day[:3]:
            return index
    return None


def _shift(today: dt.date, days: int, text: str, future: bool) -> dt.date:
    """`today` moved by `days`; a day before year 1 or after 9999 cannot be read."""
    try:
        return today + dt.timedelta(days=days)
    except OverflowError:
        raise BadDate(text, future) from None


def _span(count: str, unit: str) -> int:
    number = 1 if count in {"a", "an", "one"} else int(count)
    return number * _UNITS[unit]


def _iso(text: str, word: str, future: bool) -> dt.date:
    try:
        return dt.date.fromisoformat(word)
    except ValueError:
        raise BadDate(text, future) from None
