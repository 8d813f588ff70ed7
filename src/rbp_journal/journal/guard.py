"""The privacy guard over what is stored: the practitioner's caseload (held keyed), finding
identifying details in the journal, and masking them in place (after a backup copy, in one
transaction). Each reflection's answers, promises and tags are checked together, so a name
found in one is found wherever else it appears."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rbp_journal import privacy
from rbp_journal.store import files

if TYPE_CHECKING:
    from rbp_journal.journal import Journal
    from rbp_journal.models.reflection import ReflectionFilter, ScanHit


class Guard:
    def __init__(self, journal: Journal) -> None:
        self.j = journal
        self._caseload: privacy.Caseload | None = None  # read on the first check

    # --- the caseload: plain names in, counts out; the names are never returned ---------------

    def caseload(self) -> privacy.Caseload:
        if self._caseload is None:
            self._caseload = privacy.Caseload(*self.j.store.caseload.read())
        return self._caseload

    def add_names(self, lines: Iterable[str]) -> int:
        """Hold each word of each line (a name, surname or nickname); returns how many were
        new."""
        digests = list(self.caseload().digests_for(lines))
        with self.j.store.write():
            added = self.j.store.caseload.add(digests)
        self._caseload = None
        return added

    def remove_names(self, lines: Iterable[str]) -> int:
        """Forget each word of each line; returns how many were held."""
        digests = list(self.caseload().digests_for(lines))
        with self.j.store.write():
            removed = self.j.store.caseload.remove(digests)
        self._caseload = None
        return removed

    def names_held(self) -> int:
        return self.j.store.caseload.size()

    # --- what is stored --------------------------------------------------------------------

    def scan(self, query: ReflectionFilter, allow: Iterable[str] = ()) -> list[ScanHit]:
        """Identifying details already stored, by reflection and field."""
        # pydantic: a scan reads whole reflections; a review needs only the caseload above
        from rbp_journal.models.reflection import ScanHit
        from rbp_journal.privacy.models import stored_fields

        allowed, caseload = tuple(allow), self.caseload()
        hits = []
        for reflection in self.j.store.records.iter_reflections(query):
            fields = stored_fields(reflection)
            texts = {key: text for key, (_, text) in fields.items()}
            found = privacy.find_fields(texts, allowed, caseload)
            hits += [
                ScanHit(
                    reflection_id=reflection.id,
                    session_date=reflection.session_date,
                    client=reflection.client,
                    where=fields[key][0],
                    kind=finding.kind,
                    text=finding.text,
                    mask=finding.mask,
                )
                for key, findings in found.items()
                for finding in findings
            ]
        for promise in self.j.store.followups.standalone(query):
            hits += [
                ScanHit(
                    reflection_id=None,
                    session_date=None,
                    client=None,
                    where=where,
                    kind=finding.kind,
                    text=finding.text,
                    mask=finding.mask,
                )
                for text, where in [
                    (promise.text, f"promise #{promise.id}"),
                    (promise.note or "", f"note on promise #{promise.id}"),
                ]
                for finding in privacy.find(text, allowed, caseload)
            ]
        return hits

    def mask_stored(self, query: ReflectionFilter, allow: Iterable[str] = ()) -> int:
        """Mask every identifying detail in the matching reflections (answers, promises and
        tags), in one transaction, after a backup copy of the journal; returns how many
        fields changed."""
        from rbp_journal.privacy.models import masked_fields, stored_fields  # pydantic: see scan

        allowed, caseload = tuple(allow), self.caseload()
        store = self.j.store
        files.backup(store.connection, store.path.with_name(f"{store.path.name}.before-scan.bak"))
        changed = 0
        with store.write():
            for reflection in list(store.records.iter_reflections(query)):
                texts = {key: text for key, (_, text) in stored_fields(reflection).items()}
                masked = masked_fields(texts, allowed, caseload)
                for answer in reflection.answers:
                    text = masked.get(("answer", answer.prompt_id))
                    if answer.text and text != answer.text:
                        store.reflections.set_answer_text(
                            reflection.id, answer.prompt_id, text or ""
                        )
                        changed += 1
                for followup in reflection.followups:
                    text = masked[("promise", str(followup.id))]
                    note = masked.get(("note", str(followup.id)), followup.note)
                    if text != followup.text or note != followup.note:
                        store.followups.set_text(followup.id, text, note)
                        changed += 1
                tags = [masked[("tag", tag)] for tag in reflection.tags]
                if tags != reflection.tags:
                    store.reflections.set_tags(reflection.id, tags)
                    changed += sum(a != b for a, b in zip(tags, reflection.tags, strict=True))
            for promise in store.followups.standalone(query):
                text = privacy.mask(promise.text, allow=allowed, caseload=caseload)
                note = promise.note and privacy.mask(promise.note, allow=allowed, caseload=caseload)
                if text != promise.text or note != promise.note:
                    store.followups.set_text(promise.id, text, note)
                    changed += 1
            store.reflections.forget_unused_tags()
        return changed
