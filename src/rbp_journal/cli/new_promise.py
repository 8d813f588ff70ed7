"""Asking for a promise made outside a reflection, typed at a terminal or piped in, and
checked by the privacy guard: `rbp followups add` loads this (and with it the guard's word
lists and the line editor), the to-do list does not."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

import typer

from rbp_journal import dates
from rbp_journal.cli import ask, common, guard
from rbp_journal.errors import UsageError
from rbp_journal.models.reflection import FollowupIn
from rbp_journal.text import clean

if TYPE_CHECKING:
    from rbp_journal.privacy import Caseload


def typed(history: list[str], due: str | None, today: dt.date, caseload: Caseload) -> FollowupIn:
    try:
        while True:
            text = ask.line("What did you promise? ", history=history)
            if not text:
                common.say("Nothing was added.")
                raise typer.Exit(1)
            checked = guard.check(text, caseload)
            if checked is not None:
                break
        day: dt.date | None = None
        if due:
            day = ask.settle(due, today, ahead=True)
        else:
            day = ask.date("Due by (friday, 27/11, in 2 weeks; Enter for none): ", today, True)
    except (ask.Stopped, ask.Back):
        common.say("\nNothing was added.")
        raise typer.Exit(130) from None
    return FollowupIn(text=checked, due=day)


def piped(
    due: str | None, today: dt.date, mask: bool, strict: bool, caseload: Caseload
) -> FollowupIn:
    from rbp_journal.models.reflection import AnswersPayload

    text = " ".join(clean(sys.stdin.read()).text.split())
    if not text:
        raise UsageError("Type what you promised, or pipe it in: nothing came on stdin.")
    promise = FollowupIn(text=text, due=dates.parse_due(due, today) if due else None)
    checked = guard.guarded(AnswersPayload(followups=[promise]), mask, strict, caseload)
    return checked.followups[0]
