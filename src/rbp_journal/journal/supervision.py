"""Getting ready for supervision: the review of a period, theme trends, and promises."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rbp_journal import config, cpd_rules, privacy
from rbp_journal import review as reviewing
from rbp_journal.errors import FollowupNotFound, ReflectionNotFound, UsageError
from rbp_journal.models.base import FollowupStatus
from rbp_journal.models.cpd import Depth
from rbp_journal.models.reflection import Followup, FollowupIn

if TYPE_CHECKING:
    from rbp_journal.journal import Journal


class Supervision:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def review(
        self, period: reviewing.Period, client: str | None = None, today: dt.date | None = None
    ) -> reviewing.Review:
        figures = self.j.store.aggregates(client)
        before = _before(period)
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
        return self.j.store.followups.find(client=client, include_closed=include_closed)

    def add_followup(self, rid: int | None, followup: FollowupIn) -> int:
        store = self.j.store
        with store.write():
            if rid is not None and store.reflections.get(rid) is None:
                raise ReflectionNotFound(rid)
            return store.followups.add(rid, followup)

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


def _before(period: reviewing.Period) -> reviewing.Period:
    """The equal period before, with room for the weeks of its sparklines."""
    try:
        earlier = period.before()
        earlier.start - dt.timedelta(weeks=reviewing.SPARK_WEEKS)
    except OverflowError:
        raise UsageError(
            f"The period from {period.start} to {period.end} is too near the year 1 to "
            "compare with the one before it; choose a later one."
        ) from None
    return earlier
