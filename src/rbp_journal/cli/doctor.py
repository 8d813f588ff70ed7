"""`rbp doctor`, `rbp backup` and `rbp restore`: the journal's health and its copies."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rbp_journal.cli import common


def register(app: typer.Typer) -> None:
    app.command("doctor", epilog="Examples:\n\n  rbp doctor\n\n  rbp --db old.db doctor --json")(
        doctor
    )
    app.command("backup", epilog="Example:\n\n  rbp backup ~/journal-copy.db")(backup)
    app.command(
        "restore",
        epilog="Example:\n\n  rbp restore ~/.local/share/rbp/backups/journal-2026-11-20.db",
    )(restore)


def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
) -> None:
    """Check the journal: its path, schema version, integrity, counts and backups."""
    health = common.journal().health()
    if as_json:
        common.print_json(health.model_dump(mode="json"))
    else:
        from rbp_journal import render

        common.out().print(render.health_view(health))
    if not health.ok:
        newest = health.backups[0] if health.backups else None
        advice = (
            f"`rbp restore {newest}` puts back the newest backup" if newest else "restore a copy"
        )
        common.say(
            "The integrity check found damage. Copy the journal somewhere safe first, then "
            f"{advice}; the damaged file is kept aside.",
            style="red",
        )
        raise typer.Exit(1)


def backup(
    target: Annotated[Path, typer.Argument(metavar="PATH", help="Where to write the copy.")],
) -> None:
    """Write a consistent copy of the journal, even while another rbp writes."""
    common.journal().backup(target)
    common.say(f"Backed up to {target}.", style="green")


def restore(
    source: Annotated[Path, typer.Argument(metavar="BACKUP", help="A backup made by rbp.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
) -> None:
    """Put a backup back in place of the journal; the current file is kept aside."""
    j = common.journal()
    if not yes:
        from rbp_journal.cli import ask

        ask.confirm(f"Replace {j.store.path} with {source}? The current file is kept aside.")
    aside = j.restore(source)
    common.say(f"Restored {source}. The journal it replaced is kept as {aside}.", style="green")
