"""The supervision view of a period: theme statistics, flags, what held up, stand-out sessions,
the period's promises and an agenda.

Pure: it takes the figures the store aggregated in SQL (a `Facts`) and returns a `Review`
model; review_text.py turns that into sentences once, and the Rich, markdown and HTML renderers
draw from those. Polarity decides which way is a warning: for a "heavier" theme (emotional
load) a rise is the concern, for the rest a fall. Every direction word is taken from the
one-decimal numbers a person reads, so "up" never sits beside a fall.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from rbp_journal.depth import depth_note
from rbp_journal.models.review import (
    FORMAT,
    AgendaItem,
    Counts,
    Excerpt,
    Flag,
    Function,
    HeldUp,
    Period,
    Reason,
    Review,
    StandOut,
    StandOutSession,
    ThemeFigures,
    ThemeStat,
)
from rbp_journal.models.views import FollowupView
from rbp_journal.models.vocabulary import THEMES
from rbp_journal.review_words import (
    averaged,
    change_of,
    direction,
    display_name,
    plural,
    says_nothing,
    shown,
    this,
)
from rbp_journal.text import excerpt

if TYPE_CHECKING:
    from rbp_journal.depth import Depth

FELL_BY = 1.0  # a fall (a rise, for a heavier theme) of a point or more is flagged
ROSE_BY = 0.5  # a rise (an easing, for a heavier theme) worth naming as having held up
LOW, HIGH = 2.0, 4.0
FIRM = 3  # rated sessions on each side before a change is more than tentative
PATTERN = 2  # an agenda item needs at least this many sessions or promises behind it
DIFFERENTLY_PROMPTS = ("differently", "action_plan", "now_what")
SPARK_WEEKS = 8
STAND_OUT = 6  # sessions a review names as standing out, each once
LISTED = 50  # promises and excerpts a review carries; the screen shows fewer and says so
AGENCY_SETTINGS = ("meeting", "court")


FUNCTIONS: dict[Function, str] = {
    "management": "management and accountability",
    "development": "development and learning",
    "support": "support and emotional impact",
    "mediation": "mediation and partnership across agencies",
}


class Facts(NamedTuple):
    """What the store aggregated for one period and the one before it."""

    counts: Counts
    now: dict[str, ThemeFigures]
    before: dict[str, ThemeFigures]
    weekly: dict[str, tuple[list[float | None], list[int]]]  # means and sessions, oldest first
    stand_out: list[StandOut]
    first_words: dict[int, str]  # a stand-out session's first written answer, masked
    promises: list[FollowupView]  # open, made or due in the period, overdue first
    kept: list[int]  # ids of the promises kept: a document's (the screen says only how many)
    kept_total: int
    open_total: int  # every open promise in scope, of the period or not
    overdue_total: int
    oldest_due: dt.date | None
    differently: list[Excerpt]
    today: dt.date
    depths: list[Depth]  # how far each reflection of the period went
    listed: int = LISTED  # promises and excerpts carried: fewer when only a screen shows them


def build(period: Period, client: str | None, facts: Facts) -> Review:
    themes = theme_stats(facts)
    flags = [flag for stat in themes if (flag := flag_for(stat)) is not None]
    flagged = {flag.theme for flag in flags}
    themes = [stat._replace(flagged=stat.theme in flagged) for stat in themes]
    overdue = sum(1 for f in facts.promises if f.days_overdue(facts.today) > 0)
    differently = [e for e in facts.differently if not says_nothing(e.text)]
    return Review(
        format=FORMAT,
        made_on=facts.today,
        period=period,
        previous_period=period.before(),
        client=client,
        counts=facts.counts,
        agenda=agenda(period, themes, flags, facts, overdue),
        held_up=held_up(themes, facts.kept_total),
        themes=themes,
        flags=flags,
        stand_out=with_words(stand_outs(facts.stand_out), facts.first_words),
        followups=facts.promises[: facts.listed],
        followups_in_period=len(facts.promises),
        overdue=overdue,
        kept=facts.kept,
        other_open=facts.open_total - len(facts.promises),
        other_overdue=facts.overdue_total - overdue,
        differently=differently[: facts.listed],
        differently_total=len(differently),
        depth_note=depth_note(facts.depths),
    )


# --- themes, flags, held up -------------------------------------------------------------


def theme_stats(facts: Facts) -> list[ThemeStat]:
    stats = []
    for theme in THEMES:
        now, before = facts.now.get(theme), facts.before.get(theme)
        if now is None and before is None:
            continue
        figures = now or before
        assert figures is not None
        mean = round(now.mean, 2) if now else None
        previous = round(before.mean, 2) if before else None
        sessions, sessions_before = (now.sessions if now else 0), (before.sessions if before else 0)
        means, weekly_sessions = facts.weekly.get(theme, ([None] * SPARK_WEEKS, [0] * SPARK_WEEKS))
        stats.append(
            ThemeStat(
                theme=theme,
                polarity=figures.polarity,
                mean=mean,
                previous=previous,
                change=change_of(mean, previous),
                direction=direction(mean, previous),
                sessions=sessions,
                sessions_before=sessions_before,
                ratings=now.ratings if now else 0,
                tentative=is_tentative(sessions, sessions_before if before else None),
                flagged=False,
                weekly=means,
                weekly_sessions=weekly_sessions,
            )
        )
    return stats


def is_tentative(sessions: int, sessions_before: int | None) -> bool:
    """Too few rated sessions this period, or in the period compared with, to call a change."""
    return sessions < FIRM or (sessions_before is not None and sessions_before < FIRM)


def worse(stat: ThemeStat) -> bool | None:
    """Whether the shown change goes the concerning way; None when there is none to read."""
    if stat.direction in (None, "steady"):
        return None
    return (stat.direction == "down") == (stat.polarity == "better")


def is_thin(stat: ThemeStat) -> bool:
    """Too few rated sessions this period for its mean to be more than tentative."""
    return stat.sessions < FIRM


def flag_for(stat: ThemeStat) -> Flag | None:
    """One flag a theme, its reasons merged into one sentence; none on thin evidence: a
    level needs FIRM sessions this period, a change FIRM on both sides."""
    if stat.mean is None or is_thin(stat):
        return None
    reasons: list[Reason] = []
    firm_change = stat.change is not None and not stat.tentative
    if firm_change and worse(stat) and abs(stat.change or 0.0) >= FELL_BY:
        reasons.append("fell" if stat.polarity == "better" else "rose")
    level = shown(stat.mean)
    if stat.polarity == "better" and level <= LOW:
        reasons.append("low")
    if stat.polarity == "heavier" and level >= HIGH:
        reasons.append("high")
    if not reasons:
        return None
    name = display_name(stat.theme).capitalize()
    sentence = averaged(name, stat.mean, stat.previous)
    if "low" in reasons:
        sentence += f" ({LOW:.0f} or below)"
    if "high" in reasons and "rose" not in reasons:
        sentence += f" ({HIGH:.0f} or above)"
    return Flag(theme=stat.theme, reasons=reasons, sentence=sentence + ".")


def held_up(themes: list[ThemeStat], kept: int) -> list[HeldUp]:
    """What went well enough to say so: plainly, with the numbers, never as praise."""
    out = []
    for stat in themes:
        if stat.mean is None or is_thin(stat) or stat.flagged:
            continue
        level, change = shown(stat.mean), 0.0 if stat.tentative else stat.change or 0.0
        if stat.polarity == "better":
            good = level >= HIGH or change >= ROSE_BY
        else:
            good = level <= LOW or change <= -ROSE_BY
        if good:
            name = display_name(stat.theme).capitalize()
            out.append(HeldUp(theme=stat.theme, sentence=averaged(name, stat.mean, stat.previous)))
    if kept:
        out.append(HeldUp(theme=None, sentence=f"{plural(kept, 'promise')} kept"))
    return out


# --- sessions, promises, agenda ---------------------------------------------------------


def stand_outs(candidates: list[StandOut]) -> list[StandOutSession]:
    """Each session once, with every reason it stood out for; the heaviest and lowest first,
    STAND_OUT of them (their words not yet read: see with_words)."""
    merged: dict[int, StandOutSession] = {}
    for c in candidates:
        session = merged.get(c.reflection_id) or StandOutSession(
            reflection_id=c.reflection_id,
            session_date=c.session_date,
            client=c.client,
            reasons=[],
            load=None,
            mean_rating=None,
            excerpt=None,
        )
        if c.why.startswith("Emotional load"):
            reason = f"emotional load {int(c.value)}/5"
            session = session._replace(load=int(c.value))
        else:
            reason = f"ratings averaged {c.value:.1f}"
            session = session._replace(mean_rating=round(c.value, 2))
        merged[c.reflection_id] = session._replace(reasons=[*session.reasons, reason])
    ranked = sorted(
        merged.values(),
        key=lambda s: (-len(s.reasons), -(s.load or 0), s.mean_rating or 5.0, s.reflection_id),
    )
    return ranked[:STAND_OUT]


def with_words(
    sessions: list[StandOutSession], first_words: dict[int, str]
) -> list[StandOutSession]:
    """The sessions, each with the start of its first written answer where one was read."""
    return [
        s._replace(excerpt=excerpt(w, 200)) if (w := first_words.get(s.reflection_id)) else s
        for s in sessions
    ]


def agenda(
    period: Period, themes: list[ThemeStat], flags: list[Flag], facts: Facts, overdue: int
) -> list[AgendaItem]:
    """Items with a pattern behind them, most pressing first: the person, then practice,
    then promises, then agencies. A single session is evidence below, not an item."""
    by_theme = {stat.theme: stat for stat in themes}
    items: list[AgendaItem] = []
    practice: list[Flag] = []
    for flag in flags:
        if by_theme[flag.theme].polarity == "heavier":
            items.append(
                AgendaItem(item="Support and self-care", why=flag.sentence, function="support")
            )
        else:
            practice.append(flag)
    practice.sort(key=lambda f: (by_theme[f.theme].change or 0.0, by_theme[f.theme].mean or 5.0))
    for flag in practice:
        name = display_name(flag.theme).capitalize()
        items.append(
            AgendaItem(
                item=f"{name}: what got in the way?", why=flag.sentence, function="development"
            )
        )
    current = period.end >= facts.today
    # a current review owns every overdue promise; a past one only its own
    late = facts.overdue_total if current else overdue
    if late >= PATTERN:
        oldest = facts.oldest_due if current else min(f.due for f in facts.promises if f.due)
        days = (facts.today - oldest).days if oldest else 0
        why = f"{late} are overdue, the oldest by {plural(days, 'day')}."
        items.append(AgendaItem(item="Overdue promises", why=why, function="management"))
    agencies = sum(facts.counts.settings.get(kind, 0) for kind in AGENCY_SETTINGS)
    if agencies >= PATTERN:
        items.append(
            AgendaItem(
                item="Other agencies",
                why=f"{plural(agencies, 'meeting or court session')} {this(period, facts.today)}.",
                function="mediation",
            )
        )
    return items
