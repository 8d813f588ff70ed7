"""Models -> Rich renderables. Nothing here prints; the cli decides where things go.

Tables are built with soft wrapping and without markup parsing of user text (answers are
wrapped in `Text`), so a long listing stays fast and a bracket in an answer is just a bracket.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rbp_journal.models import (
    ClientSeen,
    Health,
    PromptSet,
    Reflection,
    ReflectionSummary,
    ScanHit,
    SearchHit,
)
from rbp_journal.prompt_library import Library, bundled_dir
from rbp_journal.store import MARK_END, MARK_START


def reflection_table(rows: Sequence[ReflectionSummary]) -> RenderableType:
    if not rows:
        return Text("No reflections match. `rbp reflect` writes the first one.", style="dim")
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
        table.add_row(*(Text(value) for value in cell), Text(excerpt))
    return table


def reflection_view(reflection: Reflection) -> RenderableType:
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


def reflection_title(reflection: Reflection) -> Text:
    bits = [f"#{reflection.id}", reflection.session_date.isoformat()]
    bits += [b for b in (reflection.client, reflection.setting) if b]
    bits.append(reflection.set_id + (" (draft)" if reflection.status == "draft" else ""))
    return Text(" · ".join(bits), style="bold")


def rating_bar(rating: int) -> str:
    return "●" * rating + "○" * (5 - rating)


def prompt_sets_table(library: Library) -> RenderableType:
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("title")
    table.add_column("prompts", justify="right")
    table.add_column("from")
    bundled = bundled_dir()
    for set_id in sorted(library.sets):
        prompt_set = library.sets[set_id]
        origin = library.origins[set_id]
        where = "bundled" if origin.parent == bundled else str(origin)
        table.add_row(set_id, Text(prompt_set.title), str(len(prompt_set.prompts)), Text(where))
    return table


def prompt_set_view(prompt_set: PromptSet) -> RenderableType:
    parts: list[RenderableType] = [
        Text(prompt_set.description),
        Text(f"Source: {prompt_set.source}", style="dim"),
        Text(""),
    ]
    for number, prompt in enumerate(prompt_set.prompts, start=1):
        flag = "" if prompt.required else " (optional)"
        parts.append(
            Text.assemble(
                (f"{number}. ", "cyan"),
                (prompt.text, "bold"),
                (f"  {prompt.theme} · {prompt.kind}{flag}", "dim"),
            )
        )
        if prompt.help:
            parts.append(Text(f"   {prompt.help}", style="italic"))
        if prompt.labels:
            parts.append(
                Text(
                    "   "
                    + " · ".join(f"{i} {label}" for i, label in enumerate(prompt.labels, 1))
                    + f"  (higher = {prompt.polarity})",
                    style="dim",
                )
            )
        if prompt.choices:
            parts.append(Text("   " + " · ".join(prompt.choices), style="dim"))
    title = f"{prompt_set.id} — {prompt_set.title} (version {prompt_set.version})"
    return Panel(Group(*parts), title=title, title_align="left")


def health_view(health: Health) -> RenderableType:
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("journal", Text(health.path))
    table.add_row("file", f"{health.size:,} bytes, mode {health.mode}")
    table.add_row(
        "schema",
        f"{len(health.schema_steps)} ({health.schema_steps[-1] if health.schema_steps else 'none'})",
    )
    verdict = (
        Text("ok", style="green")
        if health.ok
        else Text("; ".join(health.integrity[:5]), style="red")
    )
    table.add_row("integrity", verdict)
    for key, value in health.counts.items():
        table.add_row(key.replace("_", " "), f"{value:,}")
    table.add_row(
        "backups",
        Text("\n".join(health.backups) or "none yet (made before the first write each day)"),
    )
    table.add_row(
        "encryption",
        Text(health.encryption or "not encrypted (`rbp encrypt` encrypts it)"),
    )
    return table


def search_results(hits: Sequence[SearchHit]) -> RenderableType:
    if not hits:
        return Text("Nothing found. Try fewer or shorter words.", style="dim")
    parts: list[RenderableType] = []
    for hit in hits:
        heading = f"#{hit.reflection_id} · {hit.session_date}" + (
            f" · {hit.client}" if hit.client else ""
        )
        parts.append(Text.assemble((heading, "cyan"), (f"  {hit.question}", "dim")))
        parts.append(highlighted(hit.snippet))
    return Group(*parts)


def highlighted(snippet: str) -> Text:
    """A snippet whose matched words (between the store's markers) are shown in bold."""
    text = Text("  ")
    for index, piece in enumerate(re.split(f"[{MARK_START}{MARK_END}]", " ".join(snippet.split()))):
        text.append(piece, style="bold yellow" if index % 2 else "")
    return text


def scan_table(hits: Sequence[ScanHit]) -> RenderableType:
    if not hits:
        return Text("No identifying details found.", style="green")
    table = Table(box=None, header_style="bold", pad_edge=False)
    for name in ("id", "date", "client", "where", "kind", "found"):
        table.add_column(name, style="cyan" if name == "id" else "")
    for hit in hits:
        table.add_row(
            str(hit.reflection_id), str(hit.session_date), Text(hit.client or "-"),
            Text(hit.where), hit.mask, Text(hit.text, style="red"),
        )  # fmt: skip
    return table


def clients_table(rows: Sequence[ClientSeen]) -> RenderableType:
    if not rows:
        return Text("No client codes yet.", style="dim")
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("client")
    table.add_column("reflections", justify="right")
    table.add_column("last seen")
    for row in rows:
        table.add_row(Text(row.client), str(row.reflections), str(row.last_seen))
    return table
