"""`rbp list` and `rbp show`: reading reflections back. Changing and removing them
(`rbp edit`, `rbp delete`) is in change.py, so that listing never loads the editor, the
template or the privacy guard."""

from __future__ import annotations

from typing import Annotated

import typer

from rbp_journal import depth as depths
from rbp_journal.cli import common
from rbp_journal.cli.common import Format
from rbp_journal.formats import plain
from rbp_journal.formats.markdown import record_markdown
from rbp_journal.models import views

app = typer.Typer(rich_markup_mode=None)

LIST_EXAMPLES = """
Examples:

  rbp list -n 50 --since monday

  rbp list --client C-014 --tag court

  rbp list --json | jq '.[0].id'
"""
SHOW_EXAMPLES = """
Examples:

  rbp show 12

  rbp show 12 --format markdown > reflection-12.md
"""


@app.command("list", epilog=LIST_EXAMPLES)
def list_reflections(
    number: Annotated[int, typer.Option("-n", "--number", min=1, help="How many to show.")] = 20,
    since: common.Since = None,
    until: common.Until = None,
    client: common.Client = None,
    tag: common.Tag = None,
    set_id: common.SetId = None,
    drafts: Annotated[
        bool, typer.Option("--drafts", help="Show unfinished drafts instead.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
) -> None:
    """List reflections, newest first."""
    query = common.make_filter(since, until, client, tag, set_id, number, drafts=drafts)
    rows = common.journal().reading.reflections(query)
    if as_json:
        common.print_json(views.data(rows))
    elif not rows:
        common.say(plain.NO_REFLECTIONS, style="dim")
    else:
        common.write(plain.reflection_list(rows, common.width(), common.paint()))


@app.command("show", epilog=SHOW_EXAMPLES)
def show(
    rid: common.ReflectionId,
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="How to show it.")] = Format.rich,
) -> None:
    """Show one reflection in full."""
    reflection = common.journal().reading.view(rid)
    depth = depths.depth_of(reflection)
    if as_json or fmt == Format.json:
        common.print_json({**views.data(reflection), "depth": depth})
    elif fmt == Format.markdown:
        typer.echo(record_markdown(reflection))
    else:
        width = common.width() if common.for_person() else None  # a pipe: answers unfolded
        common.write(plain.reflection_text(reflection, depths.said(depth), common.paint(), width))
