"""`rbp scan` and `rbp clients`: checking what is stored for details that identify people."""

from __future__ import annotations

from typing import Annotated

import typer

from rbp_journal import config
from rbp_journal.cli import ask, common

app = typer.Typer(rich_markup_mode=None)

SCAN_EXAMPLES = """
Examples:

  rbp scan

  rbp scan --since 2020-01-01 --json

  rbp scan --mask
"""
CLIENTS_EXAMPLES = """
Examples:

  rbp clients

  rbp clients --json
"""


@app.command("scan", epilog=SCAN_EXAMPLES)
def scan(
    since: common.Since = None,
    until: common.Until = None,
    client: common.Client = None,
    tag: common.Tag = None,
    set_id: common.SetId = None,
    mask: Annotated[
        bool, typer.Option("--mask", help="Mask everything found (asks first).")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before masking.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
) -> None:
    """Check stored reflections for identifying details, and mask them if you choose."""
    query = common.make_filter(since, until, client, tag, set_id, None)
    j = common.journal()
    hits = j.guard.scan(query, config.allow_list())
    if as_json:
        common.print_json([hit.model_dump(mode="json") for hit in hits])
    else:
        from rbp_journal.render import journal as render  # Rich: for a person only

        if hits:
            common.out().print(render.scan_table(hits))
        else:
            common.say(render.NO_DETAILS, style="green")
    if not mask or not hits:
        return
    if not yes:
        common.say(f"Masking replaces these {len(hits)} details for good; a backup is made first.")
        ask.confirm("Mask them all now?")
    changed = j.guard.mask_stored(query, config.allow_list())
    common.say(f"Masked {changed} field{'s' if changed != 1 else ''}.", style="green")


@app.command("clients", epilog=CLIENTS_EXAMPLES)
def clients(
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
) -> None:
    """List the client codes in use, with how often and when last seen."""
    rows = common.journal().reading.clients()
    if as_json:
        common.print_json([row.model_dump(mode="json") for row in rows])
        return
    from rbp_journal.render import journal as render  # Rich: for a person only

    if not rows:
        common.say(render.NO_CLIENTS, style="dim")
        return
    common.out().print(render.clients_table(rows))
