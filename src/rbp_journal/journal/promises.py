"""Promises (follow-ups): the to-do list a page at a time, and adding, closing them.

Apart from supervision.py (which keeps its names for these, handing on to here) because the
to-do list needs neither the review's rules and models nor the privacy guard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rbp_journal.errors import FollowupNotFound, ReflectionNotFound
from rbp_journal.models.views import FollowupView, Page
from rbp_journal.models.vocabulary import FollowupStatus
from rbp_journal.text import normal_code

if TYPE_CHECKING:
    from rbp_journal.journal import Journal
    from rbp_journal.models.reflection import FollowupIn


class Promises:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def all(self, client: str | None = None, include_closed: bool = False) -> list[FollowupView]:
        """The to-do list, overdue first (a client's code in any case)."""
        code = normal_code(client) if client else None
        return self.j.store.followups.find(client=code, include_closed=include_closed)

    def page(
        self, limit: int | None, client: str | None = None, include_closed: bool = False
    ) -> Page:
        """The first `limit` promises of the to-do list (all for None), and how many in all."""
        code = normal_code(client) if client else None
        return self.j.store.followups.page(limit, client=code, include_closed=include_closed)

    def add(self, rid: int | None, followup: FollowupIn) -> int:
        # pydantic's rules for what is written: loaded by adding a promise, not by the list
        from rbp_journal.journal.answers import scrub

        followup, _ = scrub(followup)
        store = self.j.store
        with store.write():
            if rid is not None and not store.reflections.exists(rid):
                raise ReflectionNotFound(rid)
            return store.followups.add(rid, followup)

    def close(self, fid: int, status: FollowupStatus, note: str | None = None) -> FollowupView:
        store = self.j.store
        with store.write():
            if not store.followups.close(fid, status, note):
                raise FollowupNotFound(fid)
        followup = store.followups.get(fid)
        assert followup is not None
        return followup
