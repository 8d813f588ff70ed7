"""The shapes rbp works with, as pydantic models.

Prompt sets (validated from TOML), reflections with their answers, tags and follow-ups (as
the store hands them back), and the answers payload that `rbp reflect --answers` reads.
Validation that needs a prompt set (which keys, which scale) lives in journal.py; these
models check what can be checked on their own.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    StringConstraints,
    field_validator,
    model_validator,
)

THEMES = (
    "listening",
    "empathy",
    "trust",
    "power",
    "voice",
    "culture",
    "assumptions",
    "honesty",
    "reliability",
    "emotional-load",
    "learning",
)
SETTINGS = ("home-visit", "office", "phone", "video", "crisis", "meeting", "court", "other")

Theme = Literal[
    "listening",
    "empathy",
    "trust",
    "power",
    "voice",
    "culture",
    "assumptions",
    "honesty",
    "reliability",
    "emotional-load",
    "learning",
]
Setting = Literal["home-visit", "office", "phone", "video", "crisis", "meeting", "court", "other"]
Kind = Literal["text", "rating", "choice", "followups"]
Polarity = Literal["better", "heavier"]
Status = Literal["draft", "done"]
FollowupStatus = Literal["open", "done", "dropped"]

SetId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)]
PromptId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
ClientCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]

_CLIENT_CODE = re.compile(r"^[\w][\w.\-/]*$")


class _Model(BaseModel):
    # a model's validator is built on first use, not at import: `rbp list` uses few of them
    model_config = ConfigDict(defer_build=True)


class _Strict(_Model):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Prompt(_Strict):
    id: PromptId
    text: str = Field(min_length=1)
    help: str | None = None
    theme: Theme
    kind: Kind = "text"
    required: bool = False
    polarity: Polarity | None = None
    labels: tuple[str, ...] | None = None
    choices: tuple[str, ...] | None = None

    @field_validator("labels")
    @classmethod
    def _five_labels(cls, labels: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if labels is not None and len(labels) != 5:
            raise ValueError(
                f"a rating needs five labels, one for each of 1 to 5 (got {len(labels)})"
            )
        return labels

    @model_validator(mode="after")
    def _fits_kind(self) -> Prompt:
        if self.kind == "rating" and (self.labels is None or self.polarity is None):
            raise ValueError("a rating prompt needs `labels` (five of them) and `polarity`")
        if self.kind != "rating" and (self.labels is not None or self.polarity is not None):
            raise ValueError("only rating prompts take `labels` and `polarity`")
        if self.kind == "choice" and (not self.choices or len(set(self.choices)) < 2):
            raise ValueError("a choice prompt needs at least two different `choices`")
        if self.kind != "choice" and self.choices is not None:
            raise ValueError("only choice prompts take `choices`")
        return self

    def label(self, rating: int) -> str:
        return self.labels[rating - 1] if self.labels else ""


class PromptSet(_Strict):
    id: SetId
    title: str = Field(min_length=1)
    version: str = Field(min_length=1)
    description: str = ""
    source: str = ""
    prompts: tuple[Prompt, ...] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) else value

    @model_validator(mode="after")
    def _unique_ids(self) -> PromptSet:
        seen: set[str] = set()
        for prompt in self.prompts:
            if prompt.id in seen:
                raise ValueError(f"prompt id {prompt.id!r} is used twice")
            seen.add(prompt.id)
        return self

    def prompt(self, prompt_id: str) -> Prompt | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)


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
        return max(0, (today - self.due).days) if self.due and self.status == "open" else 0


class ReflectionHeader(_Model):
    """What is known of a reflection before any prompt is answered."""

    set_id: str
    set_version: str
    session_date: dt.date
    client: str | None = None
    setting: Setting | None = None
    tags: list[str] = Field(default_factory=list)


class ReflectionSummary(_Model):
    """One row of `rbp list`."""

    id: int
    session_date: dt.date
    client: str | None
    setting: str | None
    set_id: str
    status: Status
    tags: list[str]
    excerpt: str | None = None


class Reflection(ReflectionHeader):
    id: int
    uid: str
    created: dt.datetime
    updated: dt.datetime
    status: Status
    answers: list[Answer] = Field(default_factory=list)
    followups: list[Followup] = Field(default_factory=list)

    def answer(self, prompt_id: str) -> Answer | None:
        return next((a for a in self.answers if a.prompt_id == prompt_id), None)


class AnswersPayload(_Strict):
    """The JSON that `rbp reflect --answers` reads (see DESIGN.md)."""

    set: SetId = "core"
    client: ClientCode | None = None
    date: dt.date | None = None
    setting: Setting | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=200)
    answers: dict[str, StrictStr | StrictInt | None] = Field(default_factory=dict)
    followups: list[FollowupIn] = Field(default_factory=list)

    @field_validator("client")
    @classmethod
    def _code_shape(cls, value: str | None) -> str | None:
        return check_client_code(value)


def check_client_code(value: str | None) -> str | None:
    if value is not None and not _CLIENT_CODE.match(value):
        raise ValueError(
            "a client code is one word of letters, digits, '-', '.' or '/', like C-014"
        )
    return value


class ReflectionFilter(_Model):
    """The filters shared by list, search and export."""

    since: dt.date | None = None
    until: dt.date | None = None
    client: str | None = None
    tag: str | None = None
    set_id: str | None = None
    limit: int | None = None
    drafts: bool = False


class Health(_Model):
    """What `rbp doctor` reports."""

    path: str
    mode: str
    size: int
    schema_steps: list[str]
    integrity: list[str]
    counts: dict[str, int]
    backups: list[str] = Field(default_factory=list)
    encryption: str | None = None

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"]


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
    settings: dict[str, int] = {}


class ThemeFigures(_Model):
    mean: float
    ratings: int
    sessions: int
    polarity: Polarity


class SearchHit(_Model):
    reflection_id: int
    session_date: dt.date
    client: str | None
    question: str
    prompt_id: str
    snippet: str
    rank: float


class FollowupRecord(_Model):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    due: dt.date | None = None
    status: FollowupStatus = "open"
    created: dt.datetime
    closed: dt.datetime | None = None
    note: str | None = None


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
    tags: list[Tag] = Field(default_factory=list)
    answers: list[Answer] = Field(default_factory=list)
    followups: list[FollowupRecord] = Field(default_factory=list)

    @classmethod
    def of(cls, reflection: Reflection) -> ReflectionRecord:
        data = reflection.model_dump(include=set(cls.model_fields) - {"followups"})
        followups = [
            f.model_dump(include=set(FollowupRecord.model_fields)) for f in reflection.followups
        ]
        return cls.model_validate({**data, "followups": followups})


class ClientSeen(_Model):
    client: str
    reflections: int
    last_seen: dt.date


class ScanHit(_Model):
    """An identifying detail found by `rbp scan` in a stored reflection."""

    reflection_id: int
    session_date: dt.date
    client: str | None
    where: str
    kind: str
    text: str
    mask: str
