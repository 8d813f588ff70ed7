"""Plain text for a pipe: the columns and lines the Rich views show in a terminal, without Rich.

When stdout is not a terminal there is no colour to show, so importing Rich and laying out a
table would cost more than the query: these print the same columns, aligned with two spaces
between them (as the Rich tables, without borders, place them). A width is honoured only when
one is given ($COLUMNS, as Rich honours it): the last column is then cut to fit with "…", as
on screen; otherwise nothing is cut, so `grep` and `cut` see whole lines. Matched words in a
search carry no marks, as in Rich's own plain output.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence

from rbp_journal.models.views import (
    MARK_END,
    MARK_START,
    FollowupView,
    ReflectionSummary,
    ReflectionView,
    SearchHit,
)

LIST_COLUMNS = ("id", "date", "client", "setting", "set", "tags", "what happened")
NO_REFLECTIONS = "No reflections match. `rbp reflect` writes the first one."
NOTHING_FOUND = "Nothing found. Try fewer or shorter words."
_MARKS = re.compile(f"[{MARK_START}{MARK_END}]")


def columns(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Collection[int] = (),
    width: int | None = None,
) -> str:
    """Rows under a header, each column as wide as its widest cell, two spaces apart; the
    columns in `right` aligned to the right, the last one left unpadded (and cut with "…" to
    fit `width`, when there is one)."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    last = len(header) - 1
    room = None if width is None else width - sum(widths[:last]) - 2 * last
    lines = []
    for row in [header, *rows]:
        cells = [
            cell.rjust(widths[i]) if i in right else cell if i == last else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        if room is not None and room > 1 and len(cells[last]) > room:
            cells[last] = cells[last][: room - 1] + "…"
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def list_cells(row: ReflectionSummary) -> list[str]:
    """One reflection's cells of `rbp list`, the same in the Rich table and in plain text."""
    return [
        str(row.id),
        row.session_date.isoformat(),
        row.client or "-",
        row.setting or "-",
        row.set_id + (" (draft)" if row.status == "draft" else ""),
        ", ".join(row.tags),
        " ".join((row.excerpt or "").split()),
    ]


def reflection_list(rows: Sequence[ReflectionSummary], width: int | None = None) -> str:
    if not rows:
        return NO_REFLECTIONS + "\n"
    return columns(LIST_COLUMNS, [list_cells(row) for row in rows], width=width)


def title(reflection: ReflectionView) -> str:
    bits = [f"#{reflection.id}", reflection.session_date.isoformat()]
    bits += [b for b in (reflection.client, reflection.setting) if b]
    bits.append(reflection.set_id + (" (draft)" if reflection.status == "draft" else ""))
    return " · ".join(bits)


def rating_bar(rating: int) -> str:
    return "●" * rating + "○" * (5 - rating)


def reflection_text(reflection: ReflectionView, depth_line: str | None = None) -> str:
    """One reflection: its title, each question with its answer, promises, tags, depth."""
    lines = [title(reflection), ""]
    for answer in reflection.answers:
        lines.append(f"{answer.question}  {answer.theme}")
        if answer.rating is not None:
            lines.append(f"{rating_bar(answer.rating)} {answer.rating}/5 — {answer.label or ''}")
        else:
            lines.append(answer.text or "")
        lines.append("")
    if reflection.followups:
        lines.append("Promises")
        for followup in reflection.followups:
            due = f" (due {followup.due.isoformat()})" if followup.due else ""
            lines.append(f"  [{followup.status}] #{followup.id} {followup.text}{due}")
    if reflection.tags:
        lines.append("tags: " + ", ".join(reflection.tags))
    if depth_line:
        lines.append(depth_line)
    return "\n".join(lines).rstrip("\n") + "\n"


def hit_heading(hit: SearchHit) -> str:
    return f"#{hit.reflection_id} · {hit.session_date}" + (f" · {hit.client}" if hit.client else "")


def search_text(hits: Sequence[SearchHit]) -> str:
    if not hits:
        return NOTHING_FOUND + "\n"
    lines = []
    for hit in hits:
        lines.append(f"{hit_heading(hit)}  {hit.question}")
        lines.append("  " + _MARKS.sub("", " ".join(hit.snippet.split())))
    return "\n".join(lines) + "\n"


def followup_parts(followup: FollowupView, today: dt.date) -> tuple[str, str, str, str]:
    """A promise's line in four parts: the promise, its due date, how late, and where from
    (the terminal shows the third in red and the fourth dimmed)."""
    late = followup.days_overdue(today)
    due = f" — due {followup.due}" if followup.due else ""
    overdue = f" ({late} day{'s' if late != 1 else ''} overdue)" if late > 0 else ""
    source = f" · {followup.client}" if followup.client else ""
    source += f" · from #{followup.reflection_id}" if followup.reflection_id else ""
    status = "" if followup.status == "open" else f" [{followup.status}]"
    return f"  #{followup.id} {followup.text}", due, overdue, source + status


def more_promises(more: int, total: int) -> str | None:
    """The line under a page of promises that is not all of them."""
    if more <= 0:
        return None
    things = "promise" if more == 1 else "promises"
    return f"… and {more} more {things}: `rbp followups -n {total}` shows them all."


def followups_text(rows: Sequence[FollowupView], today: dt.date, more: int, total: int) -> str:
    lines = ["".join(followup_parts(f, today)) for f in rows]
    note = more_promises(more, total)
    if note:
        lines.append(note)
    return "\n".join(lines) + "\n"
