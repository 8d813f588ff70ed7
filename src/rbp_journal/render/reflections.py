"""Reflections as Rich renderables: the list table, one reflection, search results.

Nothing here prints; the cli decides where things go. Tables are built with soft wrapping and
without markup parsing of user text (answers are wrapped in `Text`), so a long listing stays
fast and a bracket in an answer is just a bracket.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rbp_journal.formats.plain import (
    LIST_COLUMNS,
    NO_REFLECTIONS,
    NOTHING_FOUND,
    hit_heading,
    list_cells,
    rating_bar,
    title,
)
from rbp_journal.models.views import (
    MARK_END,
    MARK_START,
    ReflectionSummary,
    ReflectionView,
    SearchHit,
)


def reflection_table(rows: Sequence[ReflectionSummary]) -> RenderableType:
    if not rows:
        return Text(NO_REFLECTIONS, style="dim")
    table = Table(box=None, header_style="bold", pad_edge=False, expand=True)
    *fixed, last = LIST_COLUMNS
    for name in fixed:
        table.add_column(name, style="cyan" if name == "id" else "", no_wrap=True)
    table.add_column(last, overflow="ellipsis", no_wrap=True, ratio=1)
    for row in rows:
        table.add_row(*(Text(value) for value in list_cells(row)))
    return table


def reflection_view(reflection: ReflectionView) -> RenderableType:
    parts: list[RenderableType] = []
    for answer in reflection.answers:
        heading = Text.assemble((answer.question, "bold"), (f"  {answer.theme}", "dim"))
        if answer.rating is not None:
            body = Text.assemble(
                (rating_bar(answer.rating), "cyan"), f" {answer.rating}/5 — {answer.label or ''}"
            )
        else:
            body = Text(answer.text or "")
        parts.extend([heading, body, Text("")])
    if reflection.followups:
        parts.append(Text("Promises", style="bold"))
        for followup in reflection.followups:
            due = f" (due {followup.due.isoformat()})" if followup.due else ""
            parts.append(Text(f"  [{followup.status}] #{followup.id} {followup.text}{due}"))
    if reflection.tags:
        parts.append(Text("tags: " + ", ".join(reflection.tags), style="magenta"))
    return Panel(Group(*parts), title=reflection_title(reflection), title_align="left")


def reflection_title(reflection: ReflectionView) -> Text:
    return Text(title(reflection), style="bold")


def search_results(hits: Sequence[SearchHit]) -> RenderableType:
    if not hits:
        return Text(NOTHING_FOUND, style="dim")
    parts: list[RenderableType] = []
    for hit in hits:
        parts.append(Text.assemble((hit_heading(hit), "cyan"), (f"  {hit.question}", "dim")))
        parts.append(highlighted(hit.snippet))
    return Group(*parts)


def highlighted(snippet: str) -> Text:
    """A snippet whose matched words (between the store's markers) are shown in bold."""
    text = Text("  ")
    for index, piece in enumerate(re.split(f"[{MARK_START}{MARK_END}]", " ".join(snippet.split()))):
        text.append(piece, style="bold yellow" if index % 2 else "")
    return text
