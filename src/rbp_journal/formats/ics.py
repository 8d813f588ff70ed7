"""Promises as an iCalendar file (RFC 5545) a work calendar imports: one all-day event on each
open promise's due date, known by a stable UID so importing again updates rather than doubles.
An event holds the promise's words (masked by the journal) and the client's code, nothing else
of a reflection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rbp_journal import __version__
from rbp_journal.models.reflection import Followup
from rbp_journal.text import visible

LIMIT = 75  # octets a content line may hold before it is folded


def followups_ics(followups: Sequence[Followup], now: dt.datetime) -> str:
    stamp = _utc(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//rbp//rbp {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:rbp promises",
    ]
    for followup in followups:
        if followup.due is not None and followup.status == "open":
            lines += _event(followup, followup.due, stamp)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _event(followup: Followup, due: dt.date, stamp: str) -> list[str]:
    made = f"Promise #{followup.id}, made {followup.created.date()}"
    whose = f" for client {followup.client}" if followup.client else ""
    source = f" after reflection #{followup.reflection_id}" if followup.reflection_id else ""
    note = f"{made}{whose}{source}. When it is done: rbp followups done {followup.id}"
    return [
        "BEGIN:VEVENT",
        f"UID:rbp-promise-{followup.id}-{_utc(followup.created)}@rbp.invalid",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
        f"DTEND;VALUE=DATE:{due + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_text(followup.text)}",
        f"DESCRIPTION:{_text(note)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def _utc(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newline escaped; controls made visible."""
    flat = visible(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return flat.replace("\n", "\\n").replace("\t", " ")


def _fold(line: str) -> str:
    """A content line folded at 75 octets, never inside a character (RFC 5545 3.1)."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (LIMIT if not parts else LIMIT - 1):
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)
