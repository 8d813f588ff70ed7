"""The journal's other views as Rich renderables: prompt sets, health, scans and clients."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rbp_journal.models.health import Health
from rbp_journal.models.prompts import PromptSet
from rbp_journal.models.reflection import ClientSeen, ScanHit
from rbp_journal.prompt_library import Library
from rbp_journal.render.safe import assemble, plain


def prompt_sets_table(library: Library) -> RenderableType:
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("title")
    table.add_column("prompts", justify="right")
    table.add_column("from")
    for set_id in sorted(library.sets):
        prompt_set = library.sets[set_id]
        where = library.origins[set_id]
        table.add_row(
            plain(set_id), plain(prompt_set.title), str(len(prompt_set.prompts)), plain(where)
        )
    return table


def prompt_set_view(prompt_set: PromptSet) -> RenderableType:
    parts: list[RenderableType] = [
        plain(prompt_set.description),
        plain(f"Source: {prompt_set.source}", style="dim"),
        Text(""),
    ]
    for number, prompt in enumerate(prompt_set.prompts, start=1):
        flag = "" if prompt.required else " (optional)"
        parts.append(
            assemble(
                (f"{number}. ", "cyan"),
                (prompt.text, "bold"),
                (f"  {prompt.theme} · {prompt.kind}{flag}", "dim"),
            )
        )
        if prompt.help:
            parts.append(plain(f"   {prompt.help}", style="italic"))
        if prompt.labels:
            parts.append(
                plain(
                    "   "
                    + " · ".join(f"{i} {label}" for i, label in enumerate(prompt.labels, 1))
                    + f"  (higher = {prompt.polarity})",
                    style="dim",
                )
            )
        if prompt.choices:
            parts.append(plain("   " + " · ".join(prompt.choices), style="dim"))
    title = plain(f"{prompt_set.id} — {prompt_set.title} (version {prompt_set.version})")
    return Panel(Group(*parts), title=title, title_align="left")


def health_view(health: Health) -> RenderableType:
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")  # paths whole, to copy and paste
    table.add_row("journal", plain(health.path))
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
    if health.leftovers:
        table.add_row(
            "unsaved",
            Text(
                "\n".join([*health.leftovers, "`rbp reflect --resume` reopens those in unsaved/"]),
                overflow="fold",  # a path cut short names no file
            ),
        )
    if health.plain_files:
        table.add_row(
            "plain text left",
            Text("\n".join([*health.plain_files, "(`rbp encrypt` encrypts them)"]), style="red"),
        )
    return table


NO_DETAILS = "No identifying details found."
NO_CLIENTS = "No client codes yet."


def scan_table(hits: Sequence[ScanHit]) -> RenderableType:
    table = Table(box=None, header_style="bold", pad_edge=False)
    for name in ("id", "date", "client", "where", "kind", "found"):
        table.add_column(name, style="cyan" if name == "id" else "")
    for hit in hits:
        table.add_row(
            str(hit.reflection_id or "-"), str(hit.session_date or "-"), plain(hit.client or "-"),
            plain(hit.where), plain(hit.mask), plain(hit.text, style="red"),
        )  # fmt: skip
    return table


def clients_table(rows: Sequence[ClientSeen]) -> RenderableType:
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("client")
    table.add_column("reflections", justify="right")
    table.add_column("last seen")
    for row in rows:
        table.add_row(plain(row.client), str(row.reflections), str(row.last_seen))
    return table
