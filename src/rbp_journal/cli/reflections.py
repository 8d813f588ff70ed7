"""`rbp list`, `rbp show`, `rbp edit` and `rbp delete`: reading, changing and removing one
reflection or many."""

from __future__ import annotations

from typing import Annotated

import typer

from rbp_journal import cpd_rules
from rbp_journal.cli import ask, common, editing, guard
from rbp_journal.cli.common import Format
from rbp_journal.formats import template
from rbp_journal.formats.export import reflection_data
from rbp_journal.formats.markdown import reflection_markdown

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
EDIT_EXAMPLES = """
Example:

  EDITOR=nano rbp edit 12
"""
DELETE_EXAMPLES = """
Example:

  rbp delete 12 --yes
"""
Id = Annotated[int, typer.Argument(metavar="ID", help="The reflection's id (`rbp list`).")]


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
        common.print_json([row.model_dump(mode="json") for row in rows])
        return
    from rbp_journal.render import reflections as render  # Rich: for a person only

    if not rows:
        common.say(render.NO_REFLECTIONS, style="dim")
        return
    common.out().print(render.reflection_table(rows))


@app.command("show", epilog=SHOW_EXAMPLES)
def show(
    rid: Id,
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="How to show it.")] = Format.rich,
) -> None:
    """Show one reflection in full."""
    reflection = common.journal().reading.reflection(rid)
    depth = cpd_rules.depth_of(reflection)
    if as_json or fmt == Format.json:
        common.print_json({**reflection_data(reflection), "depth": depth})
    elif fmt == Format.markdown:
        typer.echo(reflection_markdown(reflection))
    else:
        from rbp_journal.render import reflections as render  # Rich: for a person only

        common.out().print(render.reflection_view(reflection))
        if depth != "free":
            went = "went past" if depth == "past description" else "stayed with"
            common.out().print(f"Depth: {went} describing what happened", style="dim")


@app.command("edit", epilog=EDIT_EXAMPLES)
def edit(rid: Id) -> None:
    """Edit a reflection in $EDITOR, as the same template `reflect --editor` uses."""
    j = common.journal()
    reflection = j.reading.reflection(rid)
    prompt_set = j.library.get(reflection.set_id)
    before = template.render(prompt_set, reflection, reflection)
    filled = editing.write(j, prompt_set, before, words={"reflection": rid})
    if filled is None:
        common.say("No changes.")
        return
    payload = filled.payload
    if payload.client and payload.client != reflection.client:
        code = ask.client_code(payload.client, j.reading.distinct("clients"))
        payload = payload.model_copy(update={"client": code})
    j.recording.update(rid, guard.settle(payload, j.guard.caseload()))
    common.say(f"Saved reflection #{rid}.", style="green")


@app.command("delete", epilog=DELETE_EXAMPLES)
def delete(
    rid: Id,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
) -> None:
    """Delete a reflection with its answers, tags, promises and search index entries."""
    j = common.journal()
    reflection = j.reading.reflection(rid)
    if not yes:
        common.say(
            f"Reflection #{rid} of {reflection.session_date} "
            f"({reflection.client or 'no client'}, {len(reflection.answers)} answers)."
        )
        try:
            confirmed = ask.yes("Delete it for good?")
        except KeyboardInterrupt:
            confirmed = False
        if not confirmed:
            common.say("Kept; nothing was deleted.")
            raise typer.Exit(1)
    j.recording.delete(rid)
    common.say(f"Deleted reflection #{rid}.")
