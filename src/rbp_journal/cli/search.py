"""`rbp search`: finding words in what was written."""

from __future__ import annotations

from typing import Annotated

import typer

from rbp_journal.cli import common
from rbp_journal.formats.export import search_data

app = typer.Typer(rich_markup_mode=None)

SEARCH_EXAMPLES = """
Examples:

  rbp search housing

  rbp search '"core group" AND mum' --since 2026-01-01

  rbp search refer* --client C-014 --json
"""


@app.command("search", epilog=SEARCH_EXAMPLES)
def search(
    query: Annotated[str, typer.Argument(help="Words to find; FTS5 syntax works too.")],
    number: Annotated[int, typer.Option("-n", "--number", min=1, help="How many matches.")] = 20,
    since: common.Since = None,
    until: common.Until = None,
    client: common.Client = None,
    tag: common.Tag = None,
    set_id: common.SetId = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
) -> None:
    """Search what you wrote, best matches first."""
    query_filter = common.make_filter(since, until, client, tag, set_id, number)
    hits = common.journal().reading.search(query, query_filter)
    if as_json:
        common.print_json([search_data(hit) for hit in hits])
        return
    from rbp_journal.render import reflections as render  # Rich: for a person only

    if not hits:
        common.say(render.NOTHING_FOUND, style="dim")
        return
    common.out().print(render.search_results(hits))
