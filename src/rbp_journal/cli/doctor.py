"""`rbp doctor`: where the journal is and whether it is healthy."""

from __future__ import annotations

from typing import Annotated

import typer

from rbp_journal.cli import common


def register(app: typer.Typer) -> None:
    app.command("doctor", epilog="Examples:\n\n  rbp doctor\n\n  rbp --db old.db doctor --json")(
        doctor
    )


def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
) -> None:
    """Check the journal: its path, schema version, integrity and counts."""
    health = common.journal().health()
    if as_json:
        common.print_json(health.model_dump(mode="json"))
    else:
        from rbp_journal import render

        common.out().print(render.health_view(health))
    if not health.ok:
        common.say(
            "The integrity check found damage. Copy the file somewhere safe before anything "
            "else, then restore from a backup.",
            style="red",
        )
        raise typer.Exit(1)
