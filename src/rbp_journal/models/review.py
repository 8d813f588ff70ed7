"""A review and the figures it is built from: what the store aggregates (counts, theme
means, stand-out sessions, excerpts), the period, and the Review shape whose JSON is a
documented, stable format.

Named tuples, no pydantic, as the other read-side shapes (views.py says why): nothing here is
typed in by a person — the store read it, review.py computed it — and `rbp review` should not
pay for importing pydantic (about as long again as Typer) to show it. `views.data(review)` is
its JSON, the same as the pydantic models' `model_dump(mode="json")` it replaced.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, NamedTuple

from rbp_journal.models.views import FollowupView, ThemeTrend, Trends
from rbp_journal.models.vocabulary import Polarity

__all__ = [
    "FORMAT",
    "AgendaItem",
    "Counts",
    "Direction",
    "Excerpt",
    "Flag",
    "Function",
    "HeldUp",
    "Period",
    "Reason",
    "Review",
    "StandOut",
    "StandOutSession",
    "ThemeFigures",
    "ThemeStat",
    "ThemeTrend",
    "Trends",
]

FORMAT = 2  # of the review's JSON; README "Before supervision" documents the shape

Direction = Literal["up", "down", "steady"]
Function = Literal["management", "development", "support", "mediation"]
Reason = Literal["fell", "rose", "low", "high"]


class StandOut(NamedTuple):
    reflection_id: int
    session_date: dt.date
    client: str | None
    why: str
    value: float


class Excerpt(NamedTuple):
    reflection_id: int
    session_date: dt.date
    client: str | None
    text: str


class Counts(NamedTuple):
    reflections: int = 0
    clients: int = 0
    settings: dict[str, int] = {}  # noqa: RUF012 (read only: never changed in place)


class ThemeFigures(NamedTuple):
    mean: float
    ratings: int
    sessions: int
    polarity: Polarity


class Period(NamedTuple):
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def before(self) -> Period:
        return Period(
            start=self.start - dt.timedelta(days=self.days), end=self.start - dt.timedelta(days=1)
        )

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


class ThemeStat(NamedTuple):
    theme: str
    polarity: Polarity
    mean: float | None
    previous: float | None
    change: float | None  # the difference of the one-decimal means, as shown
    direction: Direction | None
    sessions: int  # sessions that rated the theme this period: the one count shown
    sessions_before: int
    ratings: int
    tentative: bool  # the change: fewer than FIRM sessions on either side; no colour, no flag
    flagged: bool
    weekly: list[float | None]
    weekly_sessions: list[int]


class Flag(NamedTuple):
    theme: str
    reasons: list[Reason]
    sentence: str


class HeldUp(NamedTuple):
    theme: str | None  # None for promises kept
    sentence: str


class StandOutSession(NamedTuple):
    reflection_id: int
    session_date: dt.date
    client: str | None
    reasons: list[str]
    load: int | None
    mean_rating: float | None
    excerpt: str | None


class AgendaItem(NamedTuple):
    item: str
    why: str
    function: Function


class Review(NamedTuple):
    """What `rbp review` shows; its JSON is a documented, stable shape (`format`: FORMAT)."""

    format: int
    made_on: dt.date
    period: Period
    previous_period: Period
    client: str | None
    counts: Counts
    agenda: list[AgendaItem]
    held_up: list[HeldUp]
    themes: list[ThemeStat]
    flags: list[Flag]
    stand_out: list[StandOutSession]
    followups: list[FollowupView]  # open, made or due in the period, overdue first (<= LISTED)
    followups_in_period: int
    overdue: int  # of the period's open promises
    kept: list[int]  # ids of promises marked done in the period
    other_open: int  # open promises from outside the period
    other_overdue: int
    differently: list[Excerpt]  # newest first (<= LISTED), "n/a" and the like left out
    differently_total: int
    depth_note: str | None = None  # when most reflections stayed with what happened
