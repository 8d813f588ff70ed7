"""Reflections with their answers, tags and follow-ups (as the store hands them back), the
answers payload that `rbp reflect --answers` reads, and the record export and import use.

Validation that needs a prompt set (which keys, which scale) lives in the journal; these
models check what can be checked on their own.
"""

from __future__ import annotations

import datetime as dt

from pydantic import ConfigDict, Field, StrictInt, StrictStr, field_validator

from rbp_journal.models.base import (
    ClientCode,
    FollowupStatus,
    Kind,
    NewTag,
    Polarity,
    SetId,
    Setting,
    Status,
    Tag,
    _Model,
    _Strict,
    empty_dict,
    empty_list,
)
from rbp_journal.models.views import ReflectionFilter, ReflectionSummary, SearchHit, days_overdue
from rbp_journal.text import check_client_code

# the read side's shapes are plain named tuples now (views.py); importable from here as before
__all__ = [
    "Answer",
    "AnswersPayload",
    "ClientSeen",
    "Followup",
    "FollowupIn",
    "FollowupRecord",
    "Reflection",
    "ReflectionFilter",
    "ReflectionHeader",
    "ReflectionRecord",
    "ReflectionSummary",
    "ScanHit",
    "SearchHit",
]


class Answer(_Model):
    """One answered prompt, with the question as it was asked."""

    position: int
    prompt_id: str
    theme: str
    kind: Kind
    question: str
    text: str | None = None
    rating: int | None = Field(default=None, ge=1, le=5)
    label: str | None = None
    polarity: Polarity | None = None


class FollowupIn(_Strict):
    text: str = Field(min_length=1, max_length=2000)
    due: dt.date | None = None
    status: FollowupStatus = "open"


class Followup(_Model):
    id: int
    reflection_id: int | None
    text: str
    due: dt.date | None
    status: FollowupStatus
    created: dt.datetime
    closed: dt.datetime | None = None
    note: str | None = None
    client: str | None = None
    session_date: dt.date | None = None

    def days_overdue(self, today: dt.date) -> int:
        return days_overdue(self.due, self.status, today)


class ReflectionHeader(_Model):
    """What is known of a reflection before any prompt is answered."""

    set_id: str
    set_version: str
    session_date: dt.date
    client: str | None = None
    setting: Setting | None = None
    tags: list[str] = Field(default_factory=empty_list)


class Reflection(ReflectionHeader):
    id: int
    uid: str
    created: dt.datetime
    updated: dt.datetime
    status: Status
    answers: list[Answer] = Field(default_factory=empty_list)
    followups: list[Followup] = Field(default_factory=empty_list)

    def answer(self, prompt_id: str) -> Answer | None:
        return next((a for a in self.answers if a.prompt_id == prompt_id), None)


class AnswersPayload(_Strict):
    """The JSON that `rbp reflect --answers` reads (the README shows an example)."""

    set: SetId = "core"
    client: ClientCode | None = None
    date: dt.date | None = None
    setting: Setting | None = None
    tags: list[NewTag] = Field(default_factory=empty_list, max_length=200)
    answers: dict[str, StrictStr | StrictInt | None] = Field(default_factory=empty_dict)
    followups: list[FollowupIn] = Field(default_factory=empty_list)
    # what `rbp prompts show SET --template json` writes about each question; never stored
    guide: dict[str, str] | None = Field(default=None, exclude=True)

    @field_validator("client")
    @classmethod
    def _code_shape(cls, value: str | None) -> str | None:
        return check_client_code(value)


class FollowupRecord(_Model):
    """A promise as exported and imported: with its reflection, or alone (made by `rbp followups
    add`), when it is known by the moment it was made and its words."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    due: dt.date | None = None
    status: FollowupStatus = "open"
    created: dt.datetime
    closed: dt.datetime | None = None
    note: str | None = None

    @classmethod
    def of(cls, followup: Followup) -> FollowupRecord:
        # its fields read one by one: a promise inside a reflection may have no serializer of
        # its own yet (pydantic < 2.2 builds a deferred model's only when it is validated alone)
        return cls.model_validate({name: getattr(followup, name) for name in cls.model_fields})


class ReflectionRecord(_Model):
    """A reflection as exported and imported: everything needed to rebuild it."""

    model_config = ConfigDict(extra="forbid")

    id: int | None = None
    uid: str = Field(min_length=1, max_length=100)
    session_date: dt.date
    created: dt.datetime
    updated: dt.datetime
    client: ClientCode | None = None
    setting: Setting | None = None
    set_id: str
    set_version: str
    status: Status = "done"
    tags: list[Tag] = Field(default_factory=empty_list)
    answers: list[Answer] = Field(default_factory=empty_list)
    followups: list[FollowupRecord] = Field(default_factory=empty_list)

    @classmethod
    def of(cls, reflection: Reflection) -> ReflectionRecord:
        data = reflection.model_dump(include=set(cls.model_fields) - {"followups"})
        followups = [FollowupRecord.of(f) for f in reflection.followups]
        return cls.model_validate({**data, "followups": followups})


class ClientSeen(_Model):
    client: str
    reflections: int
    last_seen: dt.date


class ScanHit(_Model):
    """An identifying detail found by `rbp scan` in a stored reflection, or in a promise made
    without one (no reflection, no session date)."""

    reflection_id: int | None
    session_date: dt.date | None
    client: str | None
    where: str
    kind: str
    text: str
    mask: str
