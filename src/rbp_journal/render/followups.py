"""Promises as a Rich to-do list: overdue in red, where each came from dimmed (the words are
formats.plain's, so a pipe reads the same lines)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.text import Text

from rbp_journal.formats.plain import followup_parts, more_promises
from rbp_journal.models.views import FollowupView


def followup_line(followup: FollowupView, today: dt.date) -> Text:
    promise, due, overdue, source = followup_parts(followup, today)
    return Text.assemble(promise, due, (overdue, "red"), (source, "dim"))


def followup_lines(
    followups: Sequence[FollowupView], today: dt.date, more: int = 0, total: int = 0
) -> Text:
    """A to-do list as one renderable: a line-by-line print costs a write and a wrap pass per
    promise, which a long list feels."""
    lines = [followup_line(f, today) for f in followups]
    note = more_promises(more, total)
    if note:
        lines.append(Text(note, style="dim"))
    return Text("\n").join(lines)
