"""The supervision view of a period: theme statistics, flags, stand-out sessions, agenda.

Pure: it takes the figures the store aggregated in SQL (a `Facts`) and returns a `Review`
model that the three renderers (Rich, markdown, JSON) draw from. Polarity decides which way is
a warning: for a "heavier" theme (emotional load) a rise is the concern, for the rest a fall.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import BaseModel

if TYPE_CHECKING:
    from rbp_journal.models.cpd import Depth

from rbp_journal.models.base import THEMES, Polarity
from rbp_journal.models.reflection import Followup
from rbp_journal.models.review import Counts, Excerpt, StandOut, ThemeFigures

FELL_BY = 1.0
LOW, HIGH = 2.0, 4.0
DIFFERENTLY_PROMPTS = ("differently", "action_plan", "now_what")
SPARK_WEEKS = 8
PROMISES_SHOWN = 12  # a review lists the first few open promises; `rbp followups` has them all


def promises_left_out(report: Review) -> str | None:
    """The line under a review's shortened list of promises, when it was shortened."""
    more = report.open_followups - len(report.followups)
    if more <= 0:
        return None
    return (
        f"… and {more} more open promise{'s' if more != 1 else ''}: `rbp followups` lists them all."
    )


FUNCTIONS = {
    "management": "management and accountability",
    "development": "development and learning",
    "support": "support and emotional impact",
    "mediation": "mediation and partnership across agencies",
}


class Period(BaseModel):
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def before(self) -> Period:
        return Period(
            start=self.start - dt.timedelta(days=self.days), end=self.start - dt.timedelta(days=1)
        )


class ThemeStat(BaseModel):
    theme: str
    polarity: Polarity
    mean: float | None
    previous: float | None
    change: float | None
    ratings: int
    sessions: int
    weekly: list[float | None]


class Flag(BaseModel):
    theme: str
    reason: str


class AgendaItem(BaseModel):
    item: str
    why: str
    function: str


class Review(BaseModel):
    """What `rbp review` shows; its JSON is a documented, stable shape (format 1)."""

    format: int = 1
    period: Period
    previous_period: Period
    client: str | None
    counts: Counts
    themes: list[ThemeStat]
    flags: list[Flag]
    stand_out: list[StandOut]
    followups: list[Followup]  # the first PROMISES_SHOWN, overdue first
    open_followups: int
    overdue: int
    differently: list[Excerpt]
    agenda: list[AgendaItem]
    depth_note: str | None = None  # when most reflections stayed with what happened


@dataclass
class Facts:
    """What the store aggregated for one period and the one before it."""

    counts: Counts
    now: dict[str, ThemeFigures]
    before: dict[str, ThemeFigures]
    weekly: dict[str, list[float | None]]
    stand_out: list[StandOut]
    followups: list[Followup]
    differently: list[Excerpt]
    today: dt.date = field(default_factory=dt.date.today)
    depths: list[Depth] = field(default_factory=list)


def week_period(today: dt.date) -> Period:
    return Period(start=today - dt.timedelta(days=6), end=today)


def month_period(today: dt.date) -> Period:
    return Period(start=today - dt.timedelta(days=29), end=today)


def build(period: Period, client: str | None, facts: Facts) -> Review:
    from rbp_journal import cpd_rules as cpd  # pure rules; imported here to keep review light

    themes = theme_stats(facts)
    flags = [flag for stat in themes for flag in flags_for(stat)]
    overdue = sum(1 for f in facts.followups if f.days_overdue(facts.today) > 0)
    return Review(
        period=period,
        previous_period=period.before(),
        client=client,
        counts=facts.counts,
        themes=themes,
        flags=flags,
        stand_out=facts.stand_out,
        followups=facts.followups[:PROMISES_SHOWN],
        open_followups=len(facts.followups),
        overdue=overdue,
        differently=facts.differently,
        agenda=agenda(themes, facts, overdue),
        depth_note=cpd.depth_note(facts.depths),
    )


def theme_stats(facts: Facts) -> list[ThemeStat]:
    stats = []
    for theme in THEMES:
        now, before = facts.now.get(theme), facts.before.get(theme)
        if now is None and before is None:
            continue
        mean = round(now.mean, 2) if now else None
        previous = round(before.mean, 2) if before else None
        stats.append(
            ThemeStat(
                theme=theme,
                polarity=(now or before).polarity,  # type: ignore[union-attr]
                mean=mean,
                previous=previous,
                change=round(mean - previous, 2)
                if mean is not None and previous is not None
                else None,
                ratings=now.ratings if now else 0,
                sessions=now.sessions if now else 0,
                weekly=facts.weekly.get(theme, [None] * SPARK_WEEKS),
            )
        )
    return stats


def flags_for(stat: ThemeStat) -> list[Flag]:
    name = stat.theme.replace("-", " ").capitalize()
    if stat.mean is None:
        return []
    flags = []
    worse = -1 if stat.polarity == "better" else 1
    if stat.change is not None and stat.change * worse >= FELL_BY:
        verb = "fell" if stat.polarity == "better" else "rose"
        flags.append(
            Flag(
                theme=stat.theme,
                reason=f"{name} {verb} from {stat.previous:.1f} to {stat.mean:.1f}.",
            )
        )
    if stat.polarity == "better" and stat.mean <= LOW:
        flags.append(
            Flag(
                theme=stat.theme, reason=f"{name} averaged {stat.mean:.1f}, at or below {LOW:.0f}."
            )
        )
    if stat.polarity == "heavier" and stat.mean >= HIGH:
        flags.append(
            Flag(
                theme=stat.theme, reason=f"{name} averaged {stat.mean:.1f}, at or above {HIGH:.0f}."
            )
        )
    if stat.sessions < 2:
        flags.append(
            Flag(
                theme=stat.theme,
                reason=f"{name} was rated in only {stat.sessions} session this period.",
            )
        )
    return flags


def agenda(themes: list[ThemeStat], facts: Facts, overdue: int) -> list[AgendaItem]:
    """A few items, most pressing first: the person, then practice, then promises, then agencies."""
    support = [item for stat in themes if stat.polarity == "heavier" for item in _theme_items(stat)]
    falling = sorted(
        (stat for stat in themes if stat.polarity == "better"),
        key=lambda stat: (stat.change or 0.0, stat.mean or 5.0),
    )
    development = [item for stat in falling for item in _theme_items(stat)][:2]
    items = support + development
    if overdue:
        oldest = max(f.days_overdue(facts.today) for f in facts.followups)
        items.append(
            AgendaItem(
                item="Overdue promises",
                why=f"{overdue} promise{'s are' if overdue > 1 else ' is'} overdue, the oldest by {oldest} days.",
                function=FUNCTIONS["management"],
            )
        )
    agencies = sum(facts.counts.settings.get(kind, 0) for kind in ("meeting", "court"))
    if agencies:
        items.append(
            AgendaItem(
                item="Working with other agencies",
                why=f"{agencies} multi-agency meeting or court session{'s' if agencies > 1 else ''} this period.",
                function=FUNCTIONS["mediation"],
            )
        )
    if not items and facts.stand_out:
        first = facts.stand_out[0]
        items.append(
            AgendaItem(
                item=f"Reflection #{first.reflection_id}",
                why=f"Nothing is flagged; this session stood out: {first.why.lower()}.",
                function=FUNCTIONS["development"],
            )
        )
    return items


def _theme_items(stat: ThemeStat) -> list[AgendaItem]:
    if stat.mean is None:
        return []
    name = stat.theme.replace("-", " ").capitalize()
    since = f", from {stat.previous:.1f}" if stat.previous is not None else ""
    if stat.polarity == "heavier":
        rising = stat.change is not None and stat.change >= FELL_BY
        if stat.mean >= HIGH or rising:
            return [
                AgendaItem(
                    item="Support and self-care",
                    why=f"{name} averaged {stat.mean:.1f}{since.replace('from', 'up from')}.",
                    function=FUNCTIONS["support"],
                )
            ]
        return []
    falling = stat.change is not None and stat.change <= -FELL_BY
    if stat.mean <= LOW or falling:
        return [
            AgendaItem(
                item=f"{name}: what got in the way?",
                why=f"{name} averaged {stat.mean:.1f}{since.replace('from', 'down from') if falling else since}.",
                function=FUNCTIONS["development"],
            )
        ]
    return []


class ThemeTrend(BaseModel):
    theme: str
    polarity: Polarity
    weekly: list[float | None]
    ratings: list[int]
    latest: float | None


class Trends(BaseModel):
    """Weekly means per theme: `weeks[i]` is the first day of the i-th 7-day bucket."""

    format: int = 1
    weeks: list[dt.date]
    themes: list[ThemeTrend]


def week_starts(end: dt.date, weeks: int) -> list[dt.date]:
    return [end - dt.timedelta(days=7 * back + 6) for back in reversed(range(weeks))]


def series(
    rows: list[tuple[str, int, float, int]], weeks: int
) -> dict[str, tuple[list[float | None], list[int]]]:
    """Rows of (theme, weeks back, mean, ratings) -> per theme, oldest week first; gaps None."""
    out: dict[str, tuple[list[float | None], list[int]]] = {}
    for theme, back, mean, ratings in rows:
        means, counts = out.setdefault(theme, ([None] * weeks, [0] * weeks))
        means[weeks - 1 - back] = round(mean, 2)
        counts[weeks - 1 - back] = ratings
    return out


def trends(
    rows: list[tuple[str, int, float, int]],
    end: dt.date,
    weeks: int,
    polarities: dict[str, Polarity],
) -> Trends:
    by_theme = series(rows, weeks)
    themes = []
    for theme in THEMES:
        if theme not in by_theme:
            continue
        means, counts = by_theme[theme]
        latest = next((m for m in reversed(means) if m is not None), None)
        themes.append(
            ThemeTrend(
                theme=theme,
                polarity=polarities.get(
                    theme, "heavier" if theme == "emotional-load" else "better"
                ),
                weekly=means,
                ratings=counts,
                latest=latest,
            )
        )
    return Trends(weeks=week_starts(end, weeks), themes=themes)


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float | None]) -> str:
    """One character a week on the fixed 1-5 scale; a week without ratings is a gap."""
    marks = []
    for value in values:
        if value is None:
            marks.append(" ")
        else:
            index = round((min(max(value, 1.0), 5.0) - 1) / 4 * (len(SPARKS) - 1))
            marks.append(SPARKS[index])
    return "".join(marks)


def arrow(change: float | None) -> str:
    if change is None:
        return ""
    if abs(change) < 0.05:
        return "→"
    return "↑" if change > 0 else "↓"


def is_worse(stat: ThemeStat) -> bool:
    if stat.change is None:
        return False
    return stat.change < 0 if stat.polarity == "better" else stat.change > 0


def excerpt(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
