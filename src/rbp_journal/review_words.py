"""The words a review uses for its numbers, pure: directions taken from the one-decimal
figures a person reads (so "up" never sits beside a fall), names, plurals, "this week"."""

from __future__ import annotations

import datetime as dt
import re

from rbp_journal.models.review import Direction, Period

# answers to "what would I do differently?" that say nothing would change
_NOTHING = re.compile(
    r"^(n/?a|na|none|no|nope|nothing( really| much| different(ly)?| to add)?|nil|not applicable"
    r"|not sure|same( again)?|-+|\.+|\?+)$"
)


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
