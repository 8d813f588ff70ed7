"""Getting ready for supervision: the review of a period, theme trends, and promises."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from rbp_journal import config, periods, privacy, trends
from rbp_journal import review as reviewing
from rbp_journal.depth import Depth, depth
from rbp_journal.errors import FollowupNotFound, UsageError
from rbp_journal.models.review import Excerpt, Period, Review, Trends
from rbp_journal.models.views import FollowupView
from rbp_journal.models.vocabulary import FollowupStatus
from rbp_journal.review_words import says_nothing
from rbp_journal.text import near_codes, normal_code

if TYPE_CHECKING:
    from rbp_journal.journal import Journal
    from rbp_journal.models.reflection import Followup, FollowupIn

Shown = TypeVar("Shown", FollowupView, Excerpt)


class Supervision:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def review(
        self,
        period: Period,
        client: str | None = None,
        today: dt.date | None = None,
        listed: int = reviewing.LISTED,
    ) -> Review:
        """The review of a period, carrying `listed` promises, excerpts and stand-out sessions'
        words (masked: the rest are only counted) — a screen shows three of each, a document
        LISTED."""
        client = normal_code(client) if client else None
        today = today or dt.date.today()
        figures = self.j.store.aggregates(client)
        if client is not None and not figures.has_client():
            codes = self.j.store.reflections.distinct("clients")
            raise periods.UnknownClient(client, near_codes(client, codes))
        before = _before(period)
        allow = config.allow_list()  # one for the review: its file read once, if a text needs it
        caseload = self.j.guard.caseload()
        stand_out = figures.stand_out(period.start, period.end)
        # the words of the sessions the review carries and shows (a screen three), masked
        shown = reviewing.stand_outs(stand_out)[: min(listed, reviewing.STAND_OUT)]
        first_words = figures.first_words(sorted(s.reflection_id for s in shown))
        promises = figures.promises_of(period.start, period.end)
        open_total, overdue_total, oldest_due = figures.open_promises(today)
        differently = [  # "n/a" and the like: nothing to mask, and left out by the review
            e
            for e in figures.excerpts(period.start, period.end, reviewing.DIFFERENTLY_PROMPTS)
            if not says_nothing(e.text)
        ]
        facts = reviewing.Facts(
            counts=figures.counts(period.start, period.end),
            now=figures.theme_means(period.start, period.end),
            before=figures.theme_means(before.start, before.end),
            weekly=trends.series(
                figures.weekly_means(period.end, reviewing.SPARK_WEEKS), reviewing.SPARK_WEEKS
            ),
            stand_out=stand_out,
            first_words={
                rid: privacy.mask(text, allow=allow, caseload=caseload)
                for rid, text in first_words.items()
            },
            promises=_masked_head(promises, listed, allow, caseload),
            # the screen (fewer than LISTED) says how many were kept; a document lists them
            kept=figures.kept(period.start, period.end) if listed >= reviewing.LISTED else [],
            kept_total=figures.kept_count(period.start, period.end),
            open_total=open_total,
            overdue_total=overdue_total,
            oldest_due=oldest_due,
            differently=_masked_head(differently, listed, allow, caseload),
            today=today,
            depths=list(self.depths(period.start, period.end, client).values()),
            listed=listed,
        )
        return reviewing.build(period, client, facts)

    def trends(self, weeks: int, theme: str | None = None, today: dt.date | None = None) -> Trends:
        """Theme ratings week by week (themes.py; here too, beside the review)."""
        return self.j.themes.trends(weeks, theme, today)

    def depths(self, start: dt.date, end: dt.date, client: str | None = None) -> dict[int, Depth]:
        """How far each finished reflection of the period went: past description or not."""
        written = self.j.store.aggregates(client).text_words(start, end, client)
        return {rid: depth(set_id, words) for rid, (set_id, words) in written.items()}

    # --- promises ---------------------------------------------------------------------------

    def followups(
        self, client: str | None = None, include_closed: bool = False
    ) -> list[FollowupView]:
        """The to-do list, overdue first (promises.py, as adding and closing one)."""
        return self.j.promises.all(client, include_closed)

    def calendar(self, client: str | None = None) -> list[Followup]:
        """Open promises with a due date, for a calendar that may sync to a work server: the
        words masked of identifying details (the client is named by code only)."""
        from rbp_journal.models.reflection import Followup  # pydantic: a calendar is written

        allow, caseload = config.allow_list(), self.j.guard.caseload()
        return [
            privacy.redact(Followup.model_validate(f._asdict()), allow, caseload)
            for f in self.j.promises.all(client)
            if f.due is not None
        ]

    def add_followup(self, rid: int | None, followup: FollowupIn) -> int:
        return self.j.promises.add(rid, followup)

    def revise_followup(self, fid: int, followup: FollowupIn | None) -> None:
        """Change a promise just made (its text and due date), or take it back (None)."""
        store = self.j.store
        with store.write():
            if store.followups.get(fid) is None:
                raise FollowupNotFound(fid)
            if followup is None:
                store.followups.delete(fid)
                return
            from rbp_journal.journal.answers import scrub  # pydantic: only a change needs it

            followup, _ = scrub(followup)
            store.followups.set_text(fid, followup.text)
            store.followups.set_due(fid, followup.due)

    def close_followup(
        self, fid: int, status: FollowupStatus, note: str | None = None
    ) -> FollowupView:
        return self.j.promises.close(fid, status, note)


def _masked_head(
    items: list[Shown], listed: int, allow: Sequence[str], caseload: privacy.Caseload
) -> list[Shown]:
    """Masked, the promises and excerpts a review lists; the rest are only counted, so left as
    they are."""
    return [_masked(item, allow, caseload) for item in items[:listed]] + items[listed:]


def _masked(item: Shown, allow: Sequence[str], caseload: privacy.Caseload) -> Shown:
    """A promise or excerpt a review shows with identifying details masked (its words, and a
    promise's closing note), as privacy.redact masks the models that are written."""
    words: dict[str, Any] = privacy.masked_words(item, allow, caseload)  # text, and a note
    return item._replace(**words)


def _before(period: Period) -> Period:
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
