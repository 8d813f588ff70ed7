"""CPD: from reflections to the records a registration asks for (no terminal code here).

The frameworks are bundled data (`frameworks/*.toml`, carried by the wheel like the prompt
sets): Social Work England's CPD standard, parts 4.1 to 4.8, and the nine domains of BASW's
Professional Capabilities Framework, each with the prompt themes whose reflections evidence it.
The registration year ends on 30 November: the year "2026" runs from 1 December 2025.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rbp_journal.errors import RbpError
from rbp_journal.models import Reflection

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
DESCRIPTIVE_PROMPTS = frozenset({"what_happened", "description", "what", "feelings"})
FREE_SETS = frozenset({"journal"})  # one free text: not judged for depth


# --- frameworks ---------------------------------------------------------------------------


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


def frameworks_dir() -> Path:
    packaged = Path(__file__).with_name("frameworks")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "frameworks"  # an editable install


@cache
def framework(name: Literal["swe-cpd", "pcf"]) -> Framework:
    path = frameworks_dir() / f"{name}.toml"
    try:
        return Framework.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError, ValueError) as error:
        raise RbpError(f"The bundled framework {path} cannot be read ({error}).") from None


# --- the registration year ----------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationYear:
    year: int  # the calendar year it ends in

    @property
    def start(self) -> dt.date:
        return dt.date(self.year - 1, 12, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 11, 30)

    @classmethod
    def of(cls, day: dt.date) -> RegistrationYear:
        return cls(day.year + 1 if day.month == 12 else day.year)

    def days_left(self, today: dt.date) -> int:
        return max(0, (self.end - today).days)


# --- records ------------------------------------------------------------------------------


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


# --- depth of reflection ------------------------------------------------------------------

Depth = Literal["past description", "descriptive", "free"]


MIN_WORDS = 5  # "n/a" or "nothing really" in a "what next" box is not yet analysis


def depth(set_id: str, words: Mapping[str, int]) -> Depth:
    """Whether a reflection went past describing: an answer of a few words or more to an
    analysis or "what next" question (`words`: prompt id to words written). A free journal
    entry is not judged."""
    if set_id in FREE_SETS:
        return "free"
    beyond = [p for p, n in words.items() if p not in DESCRIPTIVE_PROMPTS and n >= MIN_WORDS]
    return "past description" if beyond else "descriptive"


def depth_of(reflection: Reflection) -> Depth:
    words = {
        a.prompt_id: len((a.text or "").split()) for a in reflection.answers if a.kind == "text"
    }
    return depth(reflection.set_id, words)


def depth_note(depths: Sequence[Depth]) -> str | None:
    """A gentle prompt for a review when most of a period's reflections stayed descriptive."""
    judged = [d for d in depths if d != "free"]
    descriptive = sum(1 for d in judged if d == "descriptive")
    if len(judged) < 3 or descriptive * 2 <= len(judged):
        return None
    return (
        f"{descriptive} of {len(judged)} reflections stayed with what happened. In supervision, "
        "one of them could be taken further: why it went that way, and what you would do next."
    )


# --- where I stand ------------------------------------------------------------------------


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


SUGGESTIONS = 3


def status(
    year: RegistrationYear,
    today: dt.date,
    records: Sequence[CpdRecord],
    evidence: Sequence[Evidence],
) -> Status:
    claimed_parts = {part for record in records for part in record.standards}
    claimed_domains = {domain for record in records for domain in record.domains}
    newest_first = sorted(evidence, key=lambda e: (e.session_date, e.reflection_id), reverse=True)
    return Status(
        year=year.year,
        start=year.start,
        end=year.end,
        days_left=year.days_left(today),
        records=len(records),
        with_peer=sum(1 for record in records if record.peer is not None),
        reflections=len(evidence),
        parts_gaps=_gaps(framework("swe-cpd"), claimed_parts, newest_first, by_reflections=False),
        domain_gaps=_gaps(framework("pcf"), claimed_domains, newest_first, by_reflections=True),
    )


def _gaps(
    frame: Framework, claimed: set[str], evidence: Sequence[Evidence], by_reflections: bool
) -> list[Gap]:
    """Items with no evidence this year. A standard part needs a CPD record that claims it; a
    domain is evidenced by a record or by any reflection whose themes map to it."""
    gaps = []
    for item in frame.items:
        fillers = [e for e in evidence if item.evidenced_by(e.themes, e.setting)]
        if item.id in claimed or (by_reflections and fillers):
            continue
        ids = [e.reflection_id for e in fillers[:SUGGESTIONS]]
        gaps.append(Gap(frame.id, item.id, item.title, item.description, ids))
    return gaps


def suggested_claims(
    themes: Iterable[str], setting: str | None = None
) -> tuple[list[str], list[str]]:
    """The standard parts and domains a record built from reflections with these themes meets."""
    found = set(themes)
    parts = [
        p.id
        for p in framework("swe-cpd").parts
        if "*" not in p.themes and p.evidenced_by(found, setting)
    ]
    domains = [d.id for d in framework("pcf").domains if d.evidenced_by(found, setting)]
    return parts, domains


# --- export in the form's shape -------------------------------------------------------------

FORM_FIELDS = (
    ("type", "Type of activity"),
    ("title", "Description"),
    ("date", "Date"),
    ("learnt", "What I learnt"),
    ("impact_practice", "Impact on my practice"),
    ("impact_people", "Impact on people who use services"),
    ("standards", "CPD standard parts met"),
    ("domains", "PCF domains"),
    ("peer", "Peer reflection"),
)


def form_values(record: CpdRecord) -> dict[str, str]:
    """Each field of the form as the text to paste."""
    swe = {p.id: p.title for p in framework("swe-cpd").parts}
    pcf = {d.id: d.title for d in framework("pcf").domains}
    peer = record.peer
    return {
        "type": record.type,
        "title": record.title,
        "date": record.date.isoformat(),
        "learnt": record.learnt,
        "impact_practice": record.impact_practice,
        "impact_people": record.impact_people,
        "standards": "; ".join(f"{s} {swe.get(s, '')}".strip() for s in record.standards),
        "domains": "; ".join(pcf.get(d, d) for d in record.domains),
        "peer": (
            f"With {peer.role}{f' ({peer.name})' if peer.name else ''} on {peer.date}: {peer.outcome}"
            if peer
            else "None recorded"
        ),
    }


def export_markdown(records: Sequence[CpdRecord], year: RegistrationYear) -> str:
    lines = [f"# CPD records, registration year {year.start} to {year.end}", ""]
    if not records:
        lines += ["No CPD records in this year.", ""]
    for record in records:
        values = form_values(record)
        lines += [f"## {record.date}: {record.title}", ""]
        for key, label in FORM_FIELDS:
            lines += [f"**{label}**", "", values[key], ""]
    return "\n".join(lines)


def export_json(records: Sequence[CpdRecord], year: RegistrationYear) -> str:
    document = {
        "format": "rbp-cpd",
        "version": 1,
        "year": {"start": year.start.isoformat(), "end": year.end.isoformat()},
        "records": [
            {"id": r.id, **{key: value for key, value in form_values(r).items() if key != "peer"},
             "standards": r.standards, "domains": r.domains,
             "peer": r.peer.model_dump(mode="json") if r.peer else None}
            for r in records
        ],
    }  # fmt: skip
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def export_csv(records: Sequence[CpdRecord]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([label for _, label in FORM_FIELDS])
    for record in records:
        values = form_values(record)
        writer.writerow([values[key] for key, _ in FORM_FIELDS])
    return buffer.getvalue()


Parsed = TypeVar("Parsed", CpdInput, Peer)


def parse(model: type[Parsed], raw: str, source: str) -> Parsed:
    """A CPD record (or a peer reflection) from JSON, validated in full; the first problem
    named in one sentence."""
    from pydantic import ValidationError

    from rbp_journal.errors import InvalidAnswers

    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        message = first["msg"].removeprefix("Value error, ")
        raise InvalidAnswers(f"{source}: {where}: {message}.") from None
