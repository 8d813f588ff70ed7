"""Reading reflections back: one, a filtered list, a search, an export, the codes in use."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from rbp_journal import privacy
from rbp_journal.errors import ReflectionNotFound, SearchSyntax, UsageError
from rbp_journal.models.reflection import (
    ClientSeen,
    FollowupRecord,
    Reflection,
    ReflectionFilter,
    ReflectionRecord,
    ReflectionSummary,
    SearchHit,
)

if TYPE_CHECKING:
    from rbp_journal.journal import Journal


class Reading:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def reflection(self, rid: int) -> Reflection:
        reflection = self.j.store.reflections.get(rid)
        if reflection is None:
            raise ReflectionNotFound(rid)
        return reflection

    def reflections(self, query: ReflectionFilter) -> list[ReflectionSummary]:
        return self.j.store.reflections.summaries(query)

    def search(self, text: str, query: ReflectionFilter) -> list[SearchHit]:
        """Best matches first; a query FTS5 cannot parse is tried again as plain words."""
        if not text.strip():
            raise UsageError("Give a word or two to search for.")
        try:
            return self.j.store.search.matches(text, query)
        except SearchSyntax:
            words = plain_words(text)
            return self.j.store.search.matches(words, query) if words else []

    def export(
        self, query: ReflectionFilter, redact: bool = False, allow: Iterable[str] = ()
    ) -> Iterator[ReflectionRecord]:
        allowed = tuple(allow)
        caseload = self.j.guard.caseload() if redact else None
        for record in self.j.store.records.iter_records(query):
            yield privacy.redact(record, allowed, caseload) if redact else record

    def earlier_answers(self, prompt_id: str, limit: int = 50) -> list[str]:
        """What was written before to one question, newest first (its line-editing history)."""
        return self.j.store.reflections.earlier_texts(prompt_id, limit)

    def earlier_promises(self, limit: int = 50) -> list[str]:
        return self.j.store.followups.earlier_texts(limit)

    def standalone_promises(
        self, query: ReflectionFilter, redact: bool = False, allow: Iterable[str] = ()
    ) -> list[FollowupRecord]:
        """The promises made without a reflection that an export with this filter carries."""
        allowed = tuple(allow)
        caseload = self.j.guard.caseload() if redact else None
        return [
            FollowupRecord.of(privacy.redact(f, allowed, caseload) if redact else f)
            for f in self.j.store.followups.standalone(query)
        ]

    def clients(self) -> list[ClientSeen]:
        return self.j.store.reflections.clients()

    def distinct(self, kind: str) -> list[str]:
        """Client codes or tag names in use (for shell completion)."""
        return self.j.store.reflections.distinct(kind)


def plain_words(text: str) -> str:
    """A typed query as quoted words, which FTS5 always parses (all must match)."""
    return " ".join(f'"{word}"' for word in re.findall(r"\w+", text))
