"""CPD rules, pure: the registration year, the depth of a reflection, where a year stands,
which standard parts and domains reflections evidence, and a record in the form's words.

The registration year ends on 30 November: the year "2026" runs from 1 December 2025.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rbp_journal.models.cpd import (
    CpdRecord,
    Depth,
    Evidence,
    Framework,
    Gap,
    Status,
    framework,
)
from rbp_journal.models.reflection import Reflection

# the prompts that only describe; an answer to any other text prompt goes past description
DESCRIPTIVE_PROMPTS = frozenset({"what_happened", "description", "what", "feelings"})
FREE_SETS = frozenset({"journal"})  # one free text: not judged for depth


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

# Social Work England's CPD record, field by field in its order and words; then the claims rbp
# keeps beside it. The form asks for impact as one answer (rbp keeps its two halves), for what
# was learnt from a peer (not who they are), and never for a client.
FORM_FIELDS = (
    ("type", "Type of CPD"),
    ("title", "Description of the activity"),
    ("relevance", "Why it is relevant to me"),
    ("date", "Date"),
    ("learnt", "What I learnt"),
    ("impact", "The impact on my practice and the people I work with"),
    ("peer", "What I learnt from discussing it with a peer"),
    ("standards", "CPD standard parts met"),
    ("domains", "PCF domains"),
)


def form_values(record: CpdRecord) -> dict[str, str]:
    """Each field of the form as the text to paste ("" for a field with nothing in it)."""
    swe = {p.id: p.title for p in framework("swe-cpd").parts}
    pcf = {d.id: d.title for d in framework("pcf").domains}
    peer = record.peer
    halves = (record.impact_practice.strip(), record.impact_people.strip())
    return {
        "type": record.type,
        "title": record.title,
        "relevance": record.relevance,
        "date": record.date.isoformat(),
        "learnt": record.learnt,
        "impact": "\n\n".join(half for half in halves if half),
        "peer": f"With a {peer.role} on {peer.date}: {peer.outcome}" if peer else "",
        "standards": "; ".join(f"{s} {swe.get(s, '')}".strip() for s in record.standards),
        "domains": "; ".join(pcf.get(d, d) for d in record.domains),
    }


CODE_SHAPE = r"[A-Z]{1,3}-[0-9]{2,6}"  # the shape rbp suggests for a code: C-014, FAM-0042


def mask_client_codes(text: str, codes: Iterable[str]) -> str:
    """Text with each of the journal's client codes (any case), and anything shaped like one,
    replaced by [client]."""
    known = sorted({re.escape(code) for code in codes if code}, key=len, reverse=True)
    pattern = "|".join([*known, CODE_SHAPE])
    return re.sub(rf"(?<![\w/.-])(?:{pattern})(?![\w/-])", "[client]", text, flags=re.IGNORECASE)
