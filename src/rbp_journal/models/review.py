"""The figures a review is built from, as the store aggregates them."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from rbp_journal.models.base import Polarity, _Model


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
