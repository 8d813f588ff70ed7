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
import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rbp_journal import dates
from rbp_journal.errors import RbpError, UsageError
from rbp_journal.models.base import THEMES
from rbp_journal.models.reflection import Followup
from rbp_journal.models.review import (
    AgendaItem,
    Counts,
    Direction,
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
from rbp_journal.text import excerpt

if TYPE_CHECKING:
    from rbp_journal.models.cpd import Depth

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

# answers to "what would I do differently?" that say nothing would change
_NOTHING = re.compile(
    r"^(n/?a|na|none|no|nope|nothing( really| much| different(ly)?| to add)?|nil|not applicable"
    r"|not sure|same( again)?|-+|\.+|\?+)$"
)


def week_period(today: dt.date) -> Period:
    return Period(start=today - dt.timedelta(days=6), end=today)


def month_period(today: dt.date) -> Period:
    return Period(start=today - dt.timedelta(days=29), end=today)


def choose_period(
    week: bool, month: bool, since: str | None, until: str | None, today: dt.date
) -> Period:
    """The period `rbp review` was asked for: --week (the default), --month, or --since;
    --until moves the end of any of them."""
    if sum([week, month, since is not None]) > 1:
        raise UsageError("Choose one of --week, --month or --since.")
    end = dates.parse(until or "today", today)
    if since is None:
        return month_period(end) if month else week_period(end)
    start = dates.parse(since, today)
    if start > end:
        raise UsageError(f"--since {since} is after --until {until or 'today'}.")
    return Period(start=start, end=end)


class UnknownClient(RbpError):
    def __init__(self, code: str, near: list[str]) -> None:
        hint = f" Did you mean {_or(near)}?" if near else ""
        super().__init__(
            f"No reflection has the client code {code}.{hint} `rbp clients` lists the codes in use."
        )


def near_codes(code: str, codes: list[str]) -> list[str]:
    """Codes in use that look like a mistyped one (case aside), closest first."""
    by_key = {c.casefold(): c for c in codes}
    close = difflib.get_close_matches(code.casefold(), list(by_key), n=3, cutoff=0.6)
    return [by_key[key] for key in close]


@dataclass
class Facts:
    """What the store aggregated for one period and the one before it."""

    counts: Counts
    now: dict[str, ThemeFigures]
    before: dict[str, ThemeFigures]
    weekly: dict[str, tuple[list[float | None], list[int]]]  # means and sessions, oldest first
    stand_out: list[StandOut]
    first_words: dict[int, str]  # a stand-out session's first written answer, masked
    promises: list[Followup]  # open, made or due in the period, overdue first
    kept: list[int]
    open_total: int  # every open promise in scope, of the period or not
    overdue_total: int
    oldest_due: dt.date | None
    differently: list[Excerpt]
    today: dt.date = field(default_factory=dt.date.today)
    depths: list[Depth] = field(default_factory=list)


def build(period: Period, client: str | None, facts: Facts) -> Review:
    from rbp_journal import cpd_rules as cpd  # pure rules; only a review needs them

    themes = theme_stats(facts)
    flags = [flag for stat in themes if (flag := flag_for(stat)) is not None]
    flagged = {flag.theme for flag in flags}
    themes = [stat.model_copy(update={"flagged": stat.theme in flagged}) for stat in themes]
    overdue = sum(1 for f in facts.promises if f.days_overdue(facts.today) > 0)
    differently = [e for e in facts.differently if not says_nothing(e.text)]
    return Review(
        made_on=facts.today,
        period=period,
        previous_period=period.before(),
        client=client,
        counts=facts.counts,
        agenda=agenda(period, themes, flags, facts, overdue),
        held_up=held_up(themes, facts.kept),
        themes=themes,
        flags=flags,
        stand_out=stand_outs(facts.stand_out, facts.first_words),
        followups=facts.promises[:LISTED],
        followups_in_period=len(facts.promises),
        overdue=overdue,
        kept=facts.kept,
        other_open=facts.open_total - len(facts.promises),
        other_overdue=facts.overdue_total - overdue,
        differently=differently[:LISTED],
        differently_total=len(differently),
        depth_note=cpd.depth_note(facts.depths),
    )


# --- numbers and the words for them -------------------------------------------------------


def shown(value: float) -> float:
    """A mean as a person reads it: one decimal."""
    return float(f"{value:.1f}")


def direction(mean: float | None, previous: float | None) -> Direction | None:
    if mean is None or previous is None:
        return None
    a, b = shown(mean), shown(previous)
    return "up" if a > b else "down" if a < b else "steady"


def change_of(mean: float | None, previous: float | None) -> float | None:
    if mean is None or previous is None:
        return None
    return round(shown(mean) - shown(previous), 1)


def compared(mean: float, previous: float | None) -> str:
    """'up from 2.8', 'down from 4.5' or 'unchanged', read off the shown numbers."""
    way = direction(mean, previous)
    if way is None or previous is None:
        return ""
    if way == "steady":
        return "unchanged"
    return f"{way} from {shown(previous):.1f}"


def averaged(name: str, mean: float, previous: float | None) -> str:
    """'Listening averaged 2.3, down from 4.5' — the one shape every theme sentence takes."""
    versus = compared(mean, previous)
    return f"{name} averaged {shown(mean):.1f}" + (f", {versus}" if versus else "")


def display_name(theme: str) -> str:
    return theme.replace("-", " ")


def says_nothing(text: str) -> bool:
    """An answer like "n/a", "none" or "-": not something to do differently."""
    return bool(_NOTHING.match(" ".join(text.lower().split()).rstrip(".!")))


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


def held_up(themes: list[ThemeStat], kept: list[int]) -> list[HeldUp]:
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
        out.append(HeldUp(theme=None, sentence=f"{plural(len(kept), 'promise')} kept"))
    return out


# --- sessions, promises, agenda ---------------------------------------------------------


def stand_outs(candidates: list[StandOut], first_words: dict[int, str]) -> list[StandOutSession]:
    """Each session once, with every reason it stood out for; the heaviest and lowest first."""
    merged: dict[int, StandOutSession] = {}
    for c in candidates:
        session = merged.setdefault(
            c.reflection_id,
            StandOutSession(
                reflection_id=c.reflection_id,
                session_date=c.session_date,
                client=c.client,
                reasons=[],
                load=None,
                mean_rating=None,
                excerpt=excerpt(first_words[c.reflection_id], 200)
                if c.reflection_id in first_words
                else None,
            ),
        )
        if c.why.startswith("Emotional load"):
            session.load = int(c.value)
            session.reasons.append(f"emotional load {int(c.value)}/5")
        else:
            session.mean_rating = round(c.value, 2)
            session.reasons.append(f"ratings averaged {c.value:.1f}")
    ranked = sorted(
        merged.values(),
        key=lambda s: (-len(s.reasons), -(s.load or 0), s.mean_rating or 5.0, s.reflection_id),
    )
    return ranked[:STAND_OUT]


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


def this(period: Period, today: dt.date) -> str:
    """How a sentence names the period: "this week", or "that period" once it is past."""
    return ("this " if period.end >= today else "that ") + (
        "week" if period.days == 7 else "period"
    )


def plural(count: int, noun: str) -> str:
    if count == 1:
        return f"1 {noun}"
    head, _, tail = noun.partition(" or ")  # "meeting or court session" -> both plural
    words = f"{head}s or {tail}s" if tail else f"{noun}s"
    return f"{count} {words}"


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def arrow(way: Direction | None) -> str:
    return {"up": "↑", "down": "↓", "steady": "→"}.get(way or "", "")
