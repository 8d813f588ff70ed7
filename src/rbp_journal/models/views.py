"""Read-side shapes: what list, show, search, followups, export and trends hand on.

Named tuples, no pydantic. pydantic is the gate for everything written or imported
(models/reflection.py); what the store reads back was checked on its way in, and a command
that only shows it should not pay for importing pydantic (about as long as Typer itself) and
building validators. Named tuples rather than dataclasses: a frozen dataclass costs about
1.5 ms to define and 2 µs to make, which every start-up and an export of a million answers
feel; a named tuple 0.2 ms and a fraction of a µs. `data()` gives the JSON the commands print
for any of these, the same as pydantic's `model_dump(mode="json")` of the models they replaced;
models/exported.py a reflection as `rbp export` writes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

from rbp_journal.models.vocabulary import Polarity

# a search hit's snippet wraps each matched term in these; they cannot occur in typed text
MARK_START, MARK_END = "\x02", "\x03"


class ReflectionFilter(NamedTuple):
    """The filters shared by list, search and export."""

    since: dt.date | None = None
    until: dt.date | None = None
    client: str | None = None
    tag: str | None = None
    set_id: str | None = None
    limit: int | None = None
    drafts: bool = False


class ReflectionSummary(NamedTuple):
    """One row of `rbp list`."""

    id: int
    session_date: dt.date
    client: str | None
    setting: str | None
    set_id: str
    status: str
    tags: list[str]
    excerpt: str | None = None


class AnswerView(NamedTuple):
    """One answered prompt, with the question as it was asked."""

    position: int
    prompt_id: str
    theme: str
    kind: str
    question: str
    text: str | None
    rating: int | None
    label: str | None
    polarity: str | None


class FollowupView(NamedTuple):
    """A promise, with the client and session of the reflection it came from."""

    id: int
    reflection_id: int | None
    text: str
    due: dt.date | None
    status: str
    created: dt.datetime
    closed: dt.datetime | None = None
    note: str | None = None
    client: str | None = None
    session_date: dt.date | None = None

    def days_overdue(self, today: dt.date) -> int:
        return days_overdue(self.due, self.status, today)


def days_overdue(due: dt.date | None, status: str, today: dt.date) -> int:
    """How late an open promise is on `today` (0 when not yet due, closed, or undated)."""
    return max(0, (today - due).days) if due and status == "open" else 0


class ReflectionView(NamedTuple):
    """One reflection in full: what `rbp show` shows and `rbp export` writes. Fields in the
    order of the model it replaced, so its JSON reads the same."""

    set_id: str
    set_version: str
    session_date: dt.date
    client: str | None
    setting: str | None
    tags: list[str]
    id: int
    uid: str
    created: dt.datetime
    updated: dt.datetime
    status: str
    answers: list[AnswerView]
    followups: list[FollowupView]

    def answer(self, prompt_id: str) -> AnswerView | None:
        return next((a for a in self.answers if a.prompt_id == prompt_id), None)


class Page(NamedTuple):
    """The first rows of a longer list, and how many there are in all."""

    rows: list[FollowupView]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


class SearchHit(NamedTuple):
    """An answer or a promise that matched; a promise made without a reflection has no
    reflection, date or client."""

    reflection_id: int | None
    session_date: dt.date | None
    client: str | None
    question: str
    prompt_id: str
    snippet: str
    rank: float
    followup_id: int | None = None


class SearchResults(list[SearchHit]):
    """The best matches, best first (a list of them); when more matched than are ranked
    (store.search.RANKED), `newest` says how many of the newest were."""

    def __init__(self, hits: Iterable[SearchHit] = (), newest: int | None = None) -> None:
        super().__init__(hits)
        self.newest = newest

    @property
    def hits(self) -> list[SearchHit]:
        return list(self)


class ThemeTrend(NamedTuple):
    theme: str
    polarity: Polarity
    weekly: list[float | None]
    ratings: list[int]
    latest: float | None


TRENDS_FORMAT = 1


class Trends(NamedTuple):
    """Weekly means per theme: `weeks[i]` is the first day of the i-th 7-day bucket. Its JSON
    is a stable shape (format TRENDS_FORMAT)."""

    format: int
    weeks: list[dt.date]
    themes: list[ThemeTrend]


# --- from rows ---------------------------------------------------------------------------------


def date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def optional_date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def stamp(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def optional_stamp(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)


# --- to JSON ---------------------------------------------------------------------------------


def stamp_text(value: dt.datetime) -> str:
    """A time as pydantic writes it (UTC as "Z"), so JSON from a view reads as it always did."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def data(value: Any) -> Any:
    """A view (or a list of them) as JSON-ready values: dates as ISO text, times as pydantic
    writes them, fields in their declared order."""
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {name: data(item) for name, item in zip(value._fields, value, strict=True)}
    if isinstance(value, list | tuple):
        return [data(item) for item in value]
    if isinstance(value, dict):
        return {key: data(item) for key, item in value.items()}
    if isinstance(value, dt.datetime):
        return stamp_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
