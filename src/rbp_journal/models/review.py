"""A review and the figures it is built from: what the store aggregates (counts, theme
means, stand-out sessions, excerpts), the period, and the Review and Trends shapes whose JSON
is a documented, stable format."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from rbp_journal.models.base import Polarity, _Model
from rbp_journal.models.reflection import Followup

FORMAT = 2  # of the review's JSON; README "Before supervision" documents the shape

Direction = Literal["up", "down", "steady"]
Function = Literal["management", "development", "support", "mediation"]
Reason = Literal["fell", "rose", "low", "high"]


class StandOut(_Model):
    reflection_id: int
    session_date: dt.date
    client: str | None
    why: str
    value: float


class Excerpt(_Model):
    reflection_id: int
    session_date: dt.date
    client: str | None
    text: str


class Counts(_Model):
    reflections: int = 0
    clients: int = 0
    settings: dict[str, int] = Field(default_factory=dict)


class ThemeFigures(_Model):
    mean: float
    ratings: int
    sessions: int
    polarity: Polarity


class Period(_Model):
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


class ThemeStat(_Model):
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


class Flag(_Model):
    theme: str
    reasons: list[Reason]
    sentence: str


class HeldUp(_Model):
    theme: str | None  # None for promises kept
    sentence: str


class StandOutSession(_Model):
    reflection_id: int
    session_date: dt.date
    client: str | None
    reasons: list[str]
    load: int | None
    mean_rating: float | None
    excerpt: str | None


class AgendaItem(_Model):
    item: str
    why: str
    function: Function


class Review(_Model):
    """What `rbp review` shows; its JSON is a documented, stable shape (format 2)."""

    format: int = FORMAT
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
    followups: list[Followup]  # open, made or due in the period, overdue first (<= LISTED)
    followups_in_period: int
    overdue: int  # of the period's open promises
    kept: list[int]  # ids of promises marked done in the period
    other_open: int  # open promises from outside the period
    other_overdue: int
    differently: list[Excerpt]  # newest first (<= LISTED), "n/a" and the like left out
    differently_total: int
    depth_note: str | None = None  # when most reflections stayed with what happened


class ThemeTrend(_Model):
    theme: str
    polarity: Polarity
    weekly: list[float | None]
    ratings: list[int]
    latest: float | None


class Trends(_Model):
    """Weekly means per theme: `weeks[i]` is the first day of the i-th 7-day bucket."""

    format: int = 1
    weeks: list[dt.date]
    themes: list[ThemeTrend]
