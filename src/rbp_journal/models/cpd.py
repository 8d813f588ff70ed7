"""CPD shapes: the bundled frameworks, records as `rbp cpd add` reads and the store returns
them, a record's starting point, and what `rbp cpd status` reports.

The frameworks are bundled data (`frameworks/*.toml`, carried by the wheel like the prompt
sets): Social Work England's CPD standard, parts 4.1 to 4.8, and the nine domains of BASW's
Professional Capabilities Framework, each with the prompt themes whose reflections evidence it.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rbp_journal import resources
from rbp_journal.errors import UnknownFramework

ACTIVITY_TYPES = (
    "reflective practice",
    "supervision",
    "peer learning",
    "training or course",
    "reading or research",
    "feedback from people with lived experience",
    "teaching or mentoring",
    "other",
)
# the prompts that only describe; an answer to any other text prompt goes past description


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str
    title: str
    description: str
    themes: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()

    def evidenced_by(self, themes: Iterable[str], setting: str | None) -> bool:
        if "*" in self.themes:
            return True
        return bool(set(self.themes) & set(themes)) or (setting in self.settings)


class Framework(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str
    title: str
    year_ends: str | None = None
    parts: tuple[Item, ...] = ()
    domains: tuple[Item, ...] = ()

    @property
    def items(self) -> tuple[Item, ...]:
        return self.parts or self.domains

    def ids(self) -> list[str]:
        return [item.id for item in self.items]


@cache
def framework(name: Literal["swe-cpd", "pcf"]) -> Framework:
    where = f"frameworks/{name}.toml"
    try:
        text = resources.bundled("frameworks").joinpath(f"{name}.toml").read_text("utf-8")
        return Framework.model_validate(tomllib.loads(text))
    except (OSError, tomllib.TOMLDecodeError, ValueError) as error:
        raise UnknownFramework(f"The bundled framework {where} cannot be read ({error}).") from None


class Peer(BaseModel):
    """A peer reflection: who (by role), when, what came of it; a name only if they want it."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    role: str = Field(min_length=1, max_length=200)
    date: dt.date
    outcome: str = Field(min_length=1, max_length=20_000)
    name: str | None = Field(default=None, max_length=200)


class CpdInput(BaseModel):
    """A CPD record as `rbp cpd add --answers` reads it (and as the guided flow builds it)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    type: str
    title: str = Field(min_length=1, max_length=500)
    relevance: str = Field(min_length=1, max_length=20_000)  # why it is relevant to me
    date: dt.date
    learnt: str = Field(min_length=1, max_length=20_000)
    impact_practice: str = Field(min_length=1, max_length=20_000)
    impact_people: str = Field(min_length=1, max_length=20_000)
    standards: list[str] = Field(min_length=1)
    domains: list[str] = Field(default_factory=list)
    sources: list[int] = Field(default_factory=list, alias="from")
    peer: Peer | None = None

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in ACTIVITY_TYPES:
            raise ValueError(f"choose one of: {', '.join(ACTIVITY_TYPES)}")
        return value

    @field_validator("standards")
    @classmethod
    def _known_parts(cls, value: list[str]) -> list[str]:
        return _known(value, framework("swe-cpd"))

    @field_validator("domains")
    @classmethod
    def _known_domains(cls, value: list[str]) -> list[str]:
        return _known(value, framework("pcf"))


def _known(chosen: list[str], frame: Framework) -> list[str]:
    unknown = [item for item in chosen if item not in frame.ids()]
    if unknown:
        raise ValueError(f"{', '.join(unknown)} not in {frame.title} ({', '.join(frame.ids())})")
    return sorted(set(chosen), key=frame.ids().index)


class Source(BaseModel):
    model_config = ConfigDict(defer_build=True)

    reflection_uid: str
    session_date: dt.date
    reflection_id: int | None = None  # None once the reflection was purged


class CpdRecord(BaseModel):
    model_config = ConfigDict(defer_build=True)

    id: int
    uid: str
    created: dt.datetime
    updated: dt.datetime
    type: str
    title: str
    date: dt.date
    learnt: str
    relevance: str = ""  # empty for records made before the form's question was asked
    impact_practice: str
    impact_people: str
    standards: list[str]
    domains: list[str]
    sources: list[Source]
    peer: Peer | None = None


@dataclass(frozen=True)
class Prefill:
    """A CPD record's starting point, taken from the reflections it builds on."""

    title: str
    date: dt.date
    learnt: str
    standards: list[str]
    domains: list[str]


Depth = Literal["past description", "descriptive", "free"]


@dataclass(frozen=True)
class Evidence:
    """A reflection of the year, with the themes it answered (for suggestions)."""

    reflection_id: int
    session_date: dt.date
    client: str | None
    setting: str | None
    themes: frozenset[str]


@dataclass
class Gap:
    framework: str
    id: str
    title: str
    description: str
    could_fill: list[int] = field(default_factory=list)  # reflection ids, newest first


@dataclass
class Status:
    year: int
    start: dt.date
    end: dt.date
    days_left: int
    records: int
    with_peer: int
    reflections: int
    parts_gaps: list[Gap]
    domain_gaps: list[Gap]

    @property
    def needs(self) -> list[str]:
        """What the year still asks for, in plain words."""
        needs = []
        if self.records < 2:
            more = 2 - self.records
            needs.append(f"{more} more CPD record{'s' if more > 1 else ''} (two a year)")
        if not self.with_peer:
            needs.append("a peer reflection on at least one record (`rbp cpd peer ID`)")
        return needs
