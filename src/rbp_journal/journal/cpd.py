"""CPD records built from reflections: starting one from its sources, adding, the peer
reflection, a year's records (masked for the regulator), and where a year stands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rbp_journal import config, cpd_rules, privacy
from rbp_journal.errors import CpdNotFound
from rbp_journal.journal.recording import new_uid
from rbp_journal.models.cpd import CpdInput, CpdRecord, Peer, Prefill, Status

if TYPE_CHECKING:
    from rbp_journal.journal import Journal


class Cpd:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def prefill(self, ids: Sequence[int]) -> Prefill:
        """What a CPD record built from these reflections can start from: their words, the
        latest date, and the standard parts and domains their themes evidence."""
        sources = [self.j.reading.reflection(rid) for rid in ids]
        said = [a for r in sources for a in r.answers if a.text and a.kind == "text"]
        descriptive = cpd_rules.DESCRIPTIVE_PROMPTS
        described = [a.text or "" for a in said if a.prompt_id in descriptive]
        learnt = [a.text or "" for a in said if a.prompt_id not in descriptive]
        themes = {a.theme for r in sources for a in r.answers if a.text or a.rating}
        setting = sources[0].setting if sources else None
        standards, domains = cpd_rules.suggested_claims(themes, setting)
        return Prefill(
            title=" ".join(" ".join(text.split()) for text in described)[:300],
            date=max((r.session_date for r in sources), default=dt.date.today()),
            learnt="\n\n".join(learnt),
            standards=standards,
            domains=domains,
        )

    def add(self, record: CpdInput) -> int:
        sources = [self.j.reading.reflection(rid) for rid in record.sources]
        with self.j.store.write():
            return self.j.store.cpd.insert(record, new_uid(), sources)

    def peer(self, cid: int, peer: Peer) -> CpdRecord:
        with self.j.store.write():
            if not self.j.store.cpd.set_peer(cid, peer):
                raise CpdNotFound(cid)
        return self.record(cid)

    def record(self, cid: int) -> CpdRecord:
        found = self.j.store.cpd.records(cid=cid)
        if not found:
            raise CpdNotFound(cid)
        return found[0]

    def records(self, year: cpd_rules.RegistrationYear, redact: bool = False) -> list[CpdRecord]:
        records = self.j.store.cpd.records(year.start, year.end)
        if not redact:
            return records
        allow = config.allow_list()
        caseload = self.j.guard.caseload()
        codes = [seen.client for seen in self.j.reading.clients()]
        return [_without_codes(privacy.redact(r, allow, caseload), codes) for r in records]

    def status(self, year: cpd_rules.RegistrationYear, today: dt.date) -> Status:
        evidence = self.j.store.cpd.evidence(year.start, year.end)
        return cpd_rules.status(year, today, self.records(year), evidence)


def _without_codes(record: CpdRecord, codes: Sequence[str]) -> CpdRecord:
    """A record for the regulator: no client code in any text a person wrote."""
    names = ("title", "relevance", "learnt", "impact_practice", "impact_people")
    update: dict[str, object] = {
        n: cpd_rules.mask_client_codes(getattr(record, n), codes) for n in names
    }
    if record.peer:
        outcome = cpd_rules.mask_client_codes(record.peer.outcome, codes)
        update["peer"] = record.peer.model_copy(update={"outcome": outcome, "name": None})
    return record.model_copy(update=update)
