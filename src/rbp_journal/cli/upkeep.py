"""`rbp doctor`, `rbp backup`, `rbp restore` and `rbp purge`: the journal's health, its copies,
and deleting old reflections for good."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from rbp_journal import dates
from rbp_journal.cli import ask, common

app = typer.Typer(rich_markup_mode=None)


@app.command("doctor", epilog="Examples:\n\n  rbp doctor\n\n  rbp --db old.db doctor --json")
def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
) -> None:
    """Check the journal: its path, schema version, integrity, counts and backups."""
    health = common.journal().upkeep.health()
    if as_json:
        common.print_json(health.model_dump(mode="json"))
    else:
        from rbp_journal.render import journal as render  # Rich: for a person only

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


@app.command("backup", epilog="Example:\n\n  rbp backup ~/journal-copy.db")
def backup(
    target: Annotated[Path, typer.Argument(metavar="PATH", help="Where to write the copy.")],
) -> None:
    """Write a consistent copy of the journal, even while another rbp writes."""
    common.journal().upkeep.backup(target)
    common.say(f"Backed up to {target}.", style="green")


@app.command(
    "restore",
    epilog="Example:\n\n  rbp restore ~/.local/share/rbp/backups/journal-2026-11-20.db",
)
def restore(
    source: Annotated[Path, typer.Argument(metavar="BACKUP", help="A backup made by rbp.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
) -> None:
    """Put a backup back in place of the journal; the current file is kept aside."""
    j = common.journal(create=True)
    if not yes:
        ask.confirm(f"Replace {j.path} with {source}? The current file is kept aside.")
    aside = j.upkeep.restore(source)
    kept = f" The journal it replaced is kept as {aside}." if aside else ""
    common.say(f"Restored {source}.{kept}", style="green")


@app.command(
    "purge",
    epilog="Examples:\n\n  rbp purge --before 2019-12-01 --keep-cpd\n\n"
    "  rbp purge --before '7 years ago' --yes",
)
def purge(
    before: Annotated[str, typer.Option(help="Delete reflections from before this date.")],
    keep_cpd: Annotated[
        bool, typer.Option("--keep-cpd", help="Keep CPD records built from them.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
    no_backup: Annotated[
        bool, typer.Option("--no-backup", help="Do not copy the journal first.")
    ] = False,
) -> None:
    """Delete old reflections for good: overwritten, and the file compacted."""
    day = dates.parse(before, dt.date.today())
    j = common.journal()
    count = j.upkeep.purge_count(day)
    if not count:
        common.say(f"No reflections from before {day}; nothing to purge.")
        return
    kept = "kept" if keep_cpd else "deleted too when built only from them"
    if not yes:
        ask.confirm(
            f"Delete {count} reflection{'s' if count != 1 else ''} from before {day} for good "
            f"(CPD records {kept})?"
        )
    reflections, records, copy = j.upkeep.purge(day, keep_cpd=keep_cpd, backup=not no_backup)
    common.say(f"Purged {reflections} reflections and {records} CPD records.", style="green")
    if copy is not None:
        common.say(
            f"A copy from before the purge is in {copy}; delete it when you no longer need it."
        )
    common.say("Older daily backups still hold the purged words; `rbp doctor` lists them.")
