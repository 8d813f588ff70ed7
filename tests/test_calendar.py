"""`rbp followups --format ics`: promises with a due date as events a calendar imports, read
back with the icalendar library, carrying nothing of a reflection but the client's code."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from icalendar import Calendar

from rbp_journal.journal import Journal
from rbp_journal.models.reflection import AnswersPayload, FollowupIn

from conftest import CORE_ANSWERS

LONG = " ".join(["confirm the interpreter, the room; ask about the school run — ünïcödé 😊"] * 3)


def promised(journal: Journal) -> None:
    data: dict[str, Any] = json.loads(json.dumps(CORE_ANSWERS))
    data["answers"]["what_happened"] = "Words from the visit that must stay in the journal."
    data["followups"] = [
        {"text": "Ring Mrs Khan on 07700 900123", "due": "2026-11-27"},
        {"text": LONG, "due": "2026-12-01"},
        {"text": "No date on this one"},
    ]
    journal.recording.record(AnswersPayload.model_validate(data))
    journal.supervision.add_followup(None, FollowupIn(text="Renew my DBS", due=dt.date(2027, 1, 5)))
    done = journal.supervision.add_followup(
        None, FollowupIn(text="Done already", due=dt.date(2026, 12, 2))
    )
    journal.supervision.close_followup(done, "done")


def events(text: str) -> list[Any]:
    return list(Calendar.from_ical(text).walk("VEVENT"))


def test_promises_with_due_dates_become_events(rbp, journal: Journal) -> None:
    promised(journal)
    result = rbp("followups --format ics")
    assert result.exit_code == 0, result.stderr
    raw = result.stdout_bytes
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    found = events(raw.decode())
    summaries = [str(e["SUMMARY"]) for e in found]
    assert summaries == ["Ring Mrs [name] on [phone]", LONG, "Renew my DBS"]
    assert [e.decoded("DTSTART") for e in found] == [
        dt.date(2026, 11, 27), dt.date(2026, 12, 1), dt.date(2027, 1, 5)
    ]  # fmt: skip
    assert all(e.decoded("DTEND") - e.decoded("DTSTART") == dt.timedelta(days=1) for e in found)
    assert "for client C-014 after reflection #1" in str(found[0]["DESCRIPTION"])
    assert "rbp followups done 1" in str(found[0]["DESCRIPTION"])
    assert "Words from the visit" not in raw.decode() and "07700" not in raw.decode()


def test_uids_are_stable_so_a_calendar_updates(rbp, journal: Journal, tmp_path: Path) -> None:
    promised(journal)
    path = tmp_path / "promises.ics"
    assert rbp(["followups", "--format", "ics", "--output", str(path)]).exit_code == 0
    first = [str(e["UID"]) for e in events(path.read_text(encoding="utf-8"))]
    again = [str(e["UID"]) for e in events(rbp("followups --format ics").stdout)]
    assert first == again and len(set(first)) == 3


def test_an_empty_calendar_is_still_a_calendar(rbp, journal: Journal) -> None:
    calendar = Calendar.from_ical(rbp("followups --format ics").stdout)
    assert calendar["VERSION"] == "2.0" and list(calendar.walk("VEVENT")) == []
