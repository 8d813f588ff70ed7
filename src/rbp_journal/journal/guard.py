"""The privacy guard over what is stored: finding identifying details in the journal, and
masking them in place (after a backup copy, in one transaction)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rbp_journal import privacy
from rbp_journal.models.reflection import ReflectionFilter, ScanHit
from rbp_journal.store import files

if TYPE_CHECKING:
    from rbp_journal.journal import Journal


class Guard:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def scan(self, query: ReflectionFilter, allow: Iterable[str] = ()) -> list[ScanHit]:
        """Identifying details already stored, by reflection and field."""
        allowed = tuple(allow)
        hits = []
        for reflection in self.j.store.records.iter_reflections(query):
            fields = [(a.prompt_id, a.text) for a in reflection.answers if a.text]
            fields += [(f"promise #{f.id}", f.text) for f in reflection.followups]
            for where, text in fields:
                hits += [
                    ScanHit(
                        reflection_id=reflection.id,
                        session_date=reflection.session_date,
                        client=reflection.client,
                        where=where,
                        kind=finding.kind,
                        text=finding.text,
                        mask=finding.mask,
                    )
                    for finding in privacy.find(text, allowed)
                ]
        return hits

    def mask_stored(self, query: ReflectionFilter, allow: Iterable[str] = ()) -> int:
        """Mask every identifying detail in the matching reflections, in one transaction,
        after a backup copy of the journal; returns how many fields changed."""
        allowed = tuple(allow)
        store = self.j.store
        files.backup(store.connection, store.path.with_name(f"{store.path.name}.before-scan.bak"))
        changed = 0
        with store.write():
            for reflection in list(store.records.iter_reflections(query)):
                for answer in reflection.answers:
                    masked_text = privacy.mask(answer.text or "", allow=allowed)
                    if answer.text and masked_text != answer.text:
                        store.reflections.set_answer_text(
                            reflection.id, answer.prompt_id, masked_text
                        )
                        changed += 1
                for followup in reflection.followups:
                    masked_text = privacy.mask(followup.text, allow=allowed)
                    if masked_text != followup.text:
                        store.followups.set_text(followup.id, masked_text)
                        changed += 1
        return changed
