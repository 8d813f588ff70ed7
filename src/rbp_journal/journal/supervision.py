"""Getting ready for supervision: the review of a period, theme trends, and promises."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rbp_journal import config, cpd_rules, privacy
from rbp_journal import review as reviewing
from rbp_journal.errors import FollowupNotFound, ReflectionNotFound
from rbp_journal.journal.answers import scrub
from rbp_journal.models.base import FollowupStatus
from rbp_journal.models.cpd import Depth
from rbp_journal.models.reflection import Followup, FollowupIn
from rbp_journal.text import normal_code

if TYPE_CHECKING:
    from rbp_journal.journal import Journal


class Supervision:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def review(
        self, period: reviewing.Period, client: str | None = None, today: dt.date | None = None
    ) -> reviewing.Review:
        client = normal_code(client) if client else None
        figures = self.j.store.aggregates(client)
        before = period.before()
        allow = config.allow_list()  # read once: it is a file read, and a review masks many texts
        weekly = reviewing.series(
            figures.weekly_means(period.end, reviewing.SPARK_WEEKS), reviewing.SPARK_WEEKS
        )
        facts = reviewing.Facts(
            counts=figures.counts(period.start, period.end),
            now=figures.theme_means(period.start, period.end),
            before=figures.theme_means(before.start, before.end),
            weekly={theme: means for theme, (means, _) in weekly.items()},
            stand_out=figures.stand_out(period.start, period.end),
            followups=_masked_head(self.j.store.followups.find(client=client), allow),
            differently=[
                privacy.redact(e, allow)
                for e in figures.excerpts(period.start, period.end, reviewing.DIFFERENTLY_PROMPTS)
            ],
            today=today or dt.date.today(),
            depths=list(self.depths(period.start, period.end, client).values()),
        )
        return reviewing.build(period, client, facts)

    def trends(
        self, weeks: int, theme: str | None = None, today: dt.date | None = None
    ) -> reviewing.Trends:
        end = today or dt.date.today()
        figures = self.j.store.aggregates()
        rows = figures.weekly_means(end, weeks, theme)
        start = end - dt.timedelta(days=7 * weeks - 1)
        polarities = {t: f.polarity for t, f in figures.theme_means(start, end).items()}
        return reviewing.trends(rows, end, weeks, polarities)

    def depths(self, start: dt.date, end: dt.date, client: str | None = None) -> dict[int, Depth]:
        """How far each finished reflection of the period went: past description or not."""
        written = self.j.store.aggregates(client).text_words(start, end, client)
        return {rid: cpd_rules.depth(set_id, words) for rid, (set_id, words) in written.items()}

    # --- promises ---------------------------------------------------------------------------

    def followups(self, client: str | None = None, include_closed: bool = False) -> list[Followup]:
        code = normal_code(client) if client else None
        return self.j.store.followups.find(client=code, include_closed=include_closed)

    def add_followup(self, rid: int | None, followup: FollowupIn) -> int:
        followup, _ = scrub(followup)
        store = self.j.store
        with store.write():
            if rid is not None and store.reflections.get(rid) is None:
                raise ReflectionNotFound(rid)
            return store.followups.add(rid, followup)

    def revise_followup(self, fid: int, followup: FollowupIn | None) -> None:
        """Change a promise just made (its text and due date), or take it back (None)."""
        store = self.j.store
        with store.write():
            if store.followups.get(fid) is None:
                raise FollowupNotFound(fid)
            if followup is None:
                store.followups.delete(fid)
                return
            followup, _ = scrub(followup)
            store.followups.set_text(fid, followup.text)
            store.followups.set_due(fid, followup.due)

    def close_followup(self, fid: int, status: FollowupStatus, note: str | None = None) -> Followup:
        store = self.j.store
        with store.write():
            if not store.followups.close(fid, status, note):
                raise FollowupNotFound(fid)
        followup = store.followups.get(fid)
        assert followup is not None
        return followup


def _masked_head(followups: list[Followup], allow: tuple[str, ...]) -> list[Followup]:
    """Masked, the promises a review shows; the rest are only counted, so left as they are."""
    shown = reviewing.PROMISES_SHOWN
    return [privacy.redact(f, allow) for f in followups[:shown]] + followups[shown:]
