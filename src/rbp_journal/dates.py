"""Reading the dates people type, the way they say them, and saying back what was understood.

One grammar for both directions. `parse` reads a session date or a filter (looking back: a
bare weekday is the most recent one, today included); `parse_due` reads a due date (looking
ahead: a bare weekday is the coming one, after today). Everything else means the same in both:

- `2026-11-20` as given; `27/11`, `27/11/2026`, `27.11.26`, `27-11-26` day first, as in the UK;
  `27 Nov`, `Nov 27`, `27th November 2026`;
- `today`, `yesterday`, `tomorrow`; `N days ago`, `N weeks ago`; `in N days`, `in N weeks`;
- `last friday` (the one before today), `next friday` (the Friday of next week, weeks starting
  on Monday), `friday week` / `monday week` (a week after the coming one);
- `end of week` (the coming Friday, today if it is Friday), `end of month`;
- `last week` (the first of the 7 days ending today: the span `rbp review --week` covers) and
  `next week` (a week today).

A date without a year is the coming one for a due date and the last one for a session date,
unless the other is within a month (27/11 said on 20 November is this year's, for either).
`read` also says when a reading deserves a question (`Reading.doubt`); `concern` adds a due
date in the past or a session in the future. `today` is passed in by tests. A word that cannot
be read is a usage error that lists what is accepted.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

from rbp_journal.errors import BadDate

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_UNITS = {"day": 1, "week": 7, "month": 30}
_COUNT = r"(\d{1,4}|a|an|one|two|three|four|five|six|seven|eight|nine|ten)"
_WORD_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
_AGO = re.compile(rf"^{_COUNT} (day|week|month)s? ago$")
_IN = re.compile(rf"^in {_COUNT} (day|week|month)s?$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMERIC = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})(?:\2(\d{2}|\d{4}))?$")
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_DAY_MONTH = re.compile(rf"^{_DAY} (?:of )?([a-z]+)\.?(?: (\d{{4}}))?$")
_MONTH_DAY = re.compile(rf"^([a-z]+)\.? {_DAY}(?: (\d{{4}}))?$")
_SHORTER = {1: ("tues",), 2: ("weds",), 3: ("thur", "thurs")}
NEAR = 31  # days: how far the other way a year-less date may be and still be meant

WHEN_HELP = (
    "2026-11-20, 27/11 (day first), 27 Nov, today, yesterday, friday (the last one), "
    "3 days ago, last week"
)
DUE_HELP = (
    "friday (the coming one), next friday (Friday of next week), monday week, 27/11, "
    "27 Nov, tomorrow, in 2 weeks, end of week, end of month, 2026-11-27"
)


class Reading(NamedTuple):
    """The one day a text means, and why it should be checked with the person, if it should."""

    day: dt.date
    doubt: str | None = None


def parse(text: str, today: dt.date | None = None) -> dt.date:
    """A session date or the edge of a period: looking back."""
    return read(text, today or dt.date.today(), ahead=False).day


def parse_due(text: str, today: dt.date | None = None) -> dt.date:
    """A day to do something by: looking ahead."""
    return read(text, today or dt.date.today(), ahead=True).day


def parse_optional(text: str | None, today: dt.date | None = None) -> dt.date | None:
    return None if text is None else parse(text, today)


def read(text: str, today: dt.date, ahead: bool) -> Reading:
    """The day `text` means, or BadDate naming what is accepted."""
    word = " ".join(text.strip().lower().replace(",", " ").split())
    try:
        reading = _relative(word, today, ahead) or _calendar(word, today, ahead)
    except (ValueError, OverflowError):
        reading = None
    if reading is None:
        raise BadDate(text, ahead)
    return reading


def concern(reading: Reading, today: dt.date, ahead: bool) -> str | None:
    """Why a date should be confirmed before it is used, in a few words, or None."""
    if reading.doubt:
        return reading.doubt
    if ahead and reading.day < today:
        return "that is in the past"
    if not ahead and reading.day > today:
        return "that is in the future"
    return None


def shown(day: dt.date, today: dt.date | None = None) -> str:
    """`Fri 27 Nov`, with the year when it is not this year's."""
    today = today or dt.date.today()
    text = f"{WEEKDAYS[day.weekday()][:3].title()} {day.day} {MONTHS[day.month - 1][:3].title()}"
    return text if day.year == today.year else f"{text} {day.year}"


def echo(text: str, day: dt.date, today: dt.date | None = None) -> str:
    """`friday → Fri 27 Nov`: what was typed and the day it was read as."""
    return f"{' '.join(text.split())} → {shown(day, today)}"


# --- the grammar ------------------------------------------------------------------------


def _relative(word: str, today: dt.date, ahead: bool) -> Reading | None:
    days = {"today": 0, "yesterday": -1, "tomorrow": 1, "last week": -6, "next week": 7}
    if word in days:
        return Reading(today + dt.timedelta(days=days[word]))
    if word in {"end of week", "end of the week", "end of this week"}:
        return Reading(today + dt.timedelta(days=(4 - today.weekday()) % 7))
    if word in {"end of month", "end of the month", "end of this month"}:
        last = calendar.monthrange(today.year, today.month)[1]
        return Reading(today.replace(day=last))
    ago, within = _AGO.match(word), _IN.match(word)
    if ago or within:
        count, unit = (ago or within).groups()  # type: ignore[union-attr]
        span = dt.timedelta(days=_count(count) * _UNITS[unit])
        return Reading(today - span if ago else today + span)
    return _weekday_words(word, today, ahead)


def _weekday_words(word: str, today: dt.date, ahead: bool) -> Reading | None:
    parts = word.split()
    if len(parts) == 2 and parts[1] == "week" and _weekday(parts[0]) is not None:
        return Reading(_coming(_weekday(parts[0]), today) + dt.timedelta(days=7))  # type: ignore[arg-type]
    first, rest = (parts[0], " ".join(parts[1:])) if len(parts) > 1 else ("", word)
    weekday = _weekday(rest)
    if weekday is None or first not in {"", "this", "last", "next", "on"}:
        return None
    if first == "last":
        back = (today.weekday() - weekday) % 7 or 7
        return Reading(today - dt.timedelta(days=back))
    if first == "next":
        monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7)
        day = monday + dt.timedelta(days=weekday)
        coming = _coming(weekday, today)
        doubt = None
        if coming != day:
            doubt = f"the {WEEKDAYS[weekday].title()} of next week; {rest} alone is {shown(coming, today)}"
        return Reading(day, doubt)
    if ahead or (first == "this" and weekday > today.weekday()):
        return Reading(_coming(weekday, today))
    return Reading(today - dt.timedelta(days=(today.weekday() - weekday) % 7))


def _calendar(word: str, today: dt.date, ahead: bool) -> Reading | None:
    if _ISO.match(word):
        return Reading(dt.date.fromisoformat(word))
    numeric = _NUMERIC.match(word)
    if numeric:
        day, _, month, year = numeric.groups()
        if numeric.group(2) == "-" and year is None:
            return None  # 27-11 reads too much like a range
        doubt = None
        if int(day) <= 12 and int(month) <= 12 and day.lstrip("0") != month.lstrip("0"):
            other = f"{MONTHS[int(day) - 1].title()} {int(month)}"
            doubt = f"day first: {int(day)} {MONTHS[int(month) - 1].title()}, not {other}"
        return _dated(int(day), int(month), year, today, ahead, doubt)
    named = _DAY_MONTH.match(word)
    if named:
        day, name, year = named.groups()
    elif (named := _MONTH_DAY.match(word)) is not None:
        name, day, year = named.groups()
    else:
        return None
    month = _month(name)
    return None if month is None else _dated(int(day), month, year, today, ahead, None)


def _dated(
    day: int, month: int, year: str | None, today: dt.date, ahead: bool, doubt: str | None
) -> Reading:
    if year is not None:
        full = int(year) + (2000 if len(year) == 2 else 0)
        return Reading(dt.date(full, month, day), doubt)
    candidates = [
        dt.date(y, month, day)
        for y in range(today.year - 4, today.year + 5)
        if month != 2 or day != 29 or calendar.isleap(y)
    ]
    if not candidates:
        raise ValueError("no such day")
    before = max((c for c in candidates if c <= today), default=None)
    after = min((c for c in candidates if c >= today), default=None)
    expected, other = (after, before) if ahead else (before, after)
    if (other is not None and abs((other - today).days) <= NEAR) or expected is None:
        chosen = other
    else:
        chosen = expected
    assert chosen is not None
    return Reading(chosen, doubt)


def _count(count: str) -> int:
    return _WORD_COUNTS[count] if count in _WORD_COUNTS else int(count)


def _weekday(word: str) -> int | None:
    for index, day in enumerate(WEEKDAYS):
        if word in {day, day[:3], *_SHORTER.get(index, ())}:
            return index
    return None


def _month(word: str) -> int | None:
    for index, month in enumerate(MONTHS, start=1):
        if word == month or (len(word) >= 3 and month.startswith(word)):
            return index
    return None


def _coming(weekday: int, today: dt.date) -> dt.date:
    """The next `weekday` after today (a week on, when today is that day)."""
    return today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
