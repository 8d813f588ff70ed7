"""Reflections as Rich renderables: the list table, one reflection, search results.

Nothing here prints; the cli decides where things go. Tables are built with soft wrapping, and
every stored value goes through render.safe (never markup, no control characters), so a long
listing stays fast and a bracket or an escape sequence in an answer is just shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rbp_journal.models.reflection import (
    MARK_END,
    MARK_START,
    Reflection,
    ReflectionSummary,
    SearchHit,
)
from rbp_journal.render.safe import assemble, plain
from rbp_journal.text import visible

NO_REFLECTIONS = "No reflections match. `rbp reflect` writes the first one."
NOTHING_FOUND = "Nothing found. Try fewer or shorter words."


def reflection_table(rows: Sequence[ReflectionSummary]) -> RenderableType:
    cells = [
        [
            str(row.id),
            row.session_date.isoformat(),
            row.client or "-",
            row.setting or "-",
            row.set_id + (" (draft)" if row.status == "draft" else ""),
            ", ".join(row.tags),
        ]
        for row in rows
    ]
    table = Table(box=None, header_style="bold", pad_edge=False, expand=True)
    for name in ("id", "date", "client", "setting", "set", "tags"):
        table.add_column(name, style="cyan" if name == "id" else "", no_wrap=True)
    table.add_column("what happened", overflow="ellipsis", no_wrap=True, ratio=1)
    for row, cell in zip(rows, cells, strict=True):
        excerpt = " ".join((row.excerpt or "").split())
        table.add_row(*(plain(value) for value in cell), plain(excerpt))
    return table


def reflection_view(reflection: Reflection) -> RenderableType:
    parts: list[RenderableType] = []
    for answer in reflection.answers:
        heading = assemble((answer.question, "bold"), (f"  {answer.theme}", "dim"))
        if answer.rating is not None:
            body = assemble(
                (rating_bar(answer.rating), "cyan"), f" {answer.rating}/5 — {answer.label or ''}"
            )
        else:
            body = plain(answer.text or "")
        parts.extend([heading, body, Text("")])
    if reflection.followups:
        parts.append(Text("Promises", style="bold"))
        for followup in reflection.followups:
            due = f" (due {followup.due.isoformat()})" if followup.due else ""
            parts.append(plain(f"  [{followup.status}] #{followup.id} {followup.text}{due}"))
    if reflection.tags:
        parts.append(plain("tags: " + ", ".join(reflection.tags), style="magenta"))
    return Panel(Group(*parts), title=reflection_title(reflection), title_align="left")


def reflection_title(reflection: Reflection) -> Text:
    bits = [f"#{reflection.id}", reflection.session_date.isoformat()]
    bits += [b for b in (reflection.client, reflection.setting) if b]
    bits.append(reflection.set_id + (" (draft)" if reflection.status == "draft" else ""))
    return plain(" · ".join(bits), style="bold")


def rating_bar(rating: int) -> str:
    return "●" * rating + "○" * (5 - rating)


def search_results(hits: Sequence[SearchHit]) -> RenderableType:
    parts: list[RenderableType] = []
    for hit in hits:
        if hit.reflection_id is None:
            heading = f"promise #{hit.followup_id} · made without a reflection"
        else:
            heading = f"#{hit.reflection_id} · {hit.session_date}" + (
                f" · {hit.client}" if hit.client else ""
            )
        parts.append(assemble((heading, "cyan"), (f"  {hit.question}", "dim")))
        parts.append(highlighted(hit.snippet))
    return Group(*parts)


def highlighted(snippet: str) -> Text:
    """A snippet whose matched words (between the store's markers) are shown in bold."""
    text = Text("  ")
    for index, piece in enumerate(re.split(f"[{MARK_START}{MARK_END}]", " ".join(snippet.split()))):
        text.append(visible(piece), style="bold yellow" if index % 2 else "")
    return text
