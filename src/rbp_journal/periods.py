"""What a review covers: the period asked for (--week, --month, --since/--until) and a client
code that must have been used."""

from __future__ import annotations

import datetime as dt

from rbp_journal import dates
from rbp_journal.errors import RbpError, UsageError
from rbp_journal.models.review import Period


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
        hint = f" Did you mean {_either(near)}?" if near else ""
        super().__init__(
            f"No reflection has the client code {code}.{hint} `rbp clients` lists the codes in use."
        )


def _either(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
