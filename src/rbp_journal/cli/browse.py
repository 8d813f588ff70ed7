"""`rbp list`, `rbp show` and `rbp delete`: reading and removing reflections."""

from __future__ import annotations

from typing import Annotated

import typer

from rbp_journal.cli import common

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
DELETE_EXAMPLES = """
Example:

  rbp delete 12 --yes
"""


def register(app: typer.Typer) -> None:
    app.command("list", epilog=LIST_EXAMPLES)(list_reflections)
    app.command("show", epilog=SHOW_EXAMPLES)(show)
    app.command("delete", epilog=DELETE_EXAMPLES)(delete)


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
    query = common.make_filter(since, until, client, tag, set_id, number)
    rows = common.journal().reflections(query.model_copy(update={"drafts": drafts}))
    if as_json:
        common.print_json([row.model_dump(mode="json") for row in rows])
        return
    from rbp_journal import render

    common.out().print(render.reflection_table(rows))


def show(
    rid: Annotated[int, typer.Argument(metavar="ID", help="The reflection's id (`rbp list`).")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
    fmt: Annotated[
        str, typer.Option("--format", help="rich (default), markdown or json.")
    ] = "rich",
) -> None:
    """Show one reflection in full."""
    from rbp_journal import exporting
    from rbp_journal.errors import UsageError

    if fmt not in {"rich", "markdown", "json"}:
        raise UsageError(f"--format {fmt!r} is not one of rich, markdown, json.")
    from rbp_journal.cpd import depth_of

    reflection = common.journal().reflection(rid)
    depth = depth_of(reflection)
    if as_json or fmt == "json":
        common.print_json({**exporting.reflection_data(reflection), "depth": depth})
    elif fmt == "markdown":
        typer.echo(exporting.reflection_markdown(reflection))
    else:
        from rbp_journal import render

        common.out().print(render.reflection_view(reflection))
        if depth != "free":
            went = "went past" if depth == "past description" else "stayed with"
            common.out().print(f"Depth: {went} describing what happened", style="dim")


def delete(
    rid: Annotated[int, typer.Argument(metavar="ID", help="The reflection's id (`rbp list`).")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
) -> None:
    """Delete a reflection with its answers, tags, promises and search index entries."""
    j = common.journal()
    reflection = j.reflection(rid)
    if not yes:
        from rbp_journal.cli import ask

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
    j.delete(rid)
    common.say(f"Deleted reflection #{rid}.")
