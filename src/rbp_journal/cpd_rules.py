"""CPD rules, pure: the registration year, the depth of a reflection, where a year stands,
which standard parts and domains reflections evidence, and a record in the form's words.

The registration year ends on 30 November: the year "2026" runs from 1 December 2025.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rbp_journal.depth import (  # re-exported: the CPD rules use them
    DESCRIPTIVE_PROMPTS,
    FREE_SETS,
    MIN_WORDS,
    Depth,
    depth,
    depth_note,
    depth_of,
)
from rbp_journal.models.cpd import CpdRecord, Evidence, Framework, Gap, Status, framework

__all__ = [
    "DESCRIPTIVE_PROMPTS",
    "FREE_SETS",
    "MIN_WORDS",
    "Depth",
    "RegistrationYear",
    "depth",
    "depth_note",
    "depth_of",
    "form_values",
    "status",
    "suggested_claims",
]


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
