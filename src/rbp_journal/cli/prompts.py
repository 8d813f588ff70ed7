"""`rbp prompts`: the prompt sets there are, one set in full, and checking a user's file."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rbp_journal import prompt_library
from rbp_journal.cli import common

app = typer.Typer(
    help="See the prompt sets, or check one you wrote.",
    no_args_is_help=True,
    rich_markup_mode=None,
    epilog="Example:\n\n  rbp prompts list\n\n  rbp prompts check ~/.config/rbp/prompts/mine.toml",
)


@app.command("list", epilog="Example:\n\n  rbp prompts list --json")
def list_sets(
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
) -> None:
    """List the prompt sets, bundled and your own."""
    library = prompt_library.load()
    for problem in library.problems:
        common.say(f"Skipped {problem}", style="yellow")
    if as_json:
        common.print_json(
            [
                {
                    "id": s.id,
                    "title": s.title,
                    "version": s.version,
                    "prompts": len(s.prompts),
                    "path": library.origins[s.id],
                }
                for s in sorted(library.sets.values(), key=lambda s: s.id)
            ]
        )
        return
    from rbp_journal.render import journal as render  # Rich: for a person only

    common.out().print(render.prompt_sets_table(library))


class Template(StrEnum):
    json = "json"
    markdown = "markdown"


SHOW_EXAMPLES = """
Examples:

  rbp prompts show crisis

  rbp prompts show core --template json > session.json   (fill it in, then:)

  rbp reflect --answers session.json
"""


@app.command("show", epilog=SHOW_EXAMPLES)
def show_set(
    set_id: Annotated[str, typer.Argument(metavar="ID", help="The set's id.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
    template: Annotated[
        Template | None,
        typer.Option(
            "--template",
            help="Print a file to fill in: json for `reflect --answers`, markdown as "
            "`reflect --editor` opens it.",
        ),
    ] = None,
) -> None:
    """Show one prompt set's questions."""
    prompt_set = prompt_library.load().get(set_id)
    if template == Template.json:
        from rbp_journal.formats.answers import starting_payload  # pydantic, for a script

        common.print_json(starting_payload(prompt_set))
        return
    if template == Template.markdown:
        from rbp_journal.formats import template as editor_template
        from rbp_journal.journal.answers import Options, header_for

        sys.stdout.write(editor_template.render(prompt_set, header_for(prompt_set, Options())))
        sys.stdout.write("\n")
        return
    if as_json:
        common.print_json(prompt_set.model_dump(mode="json", exclude_none=True))
        return
    from rbp_journal.render import journal as render  # Rich: for a person only

    common.out().print(render.prompt_set_view(prompt_set))


@app.command("check", epilog="Example:\n\n  rbp prompts check my-set.toml")
def check(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A prompt-set TOML file.")],
) -> None:
    """Check a prompt-set file and say exactly what is wrong with it."""
    prompt_set = prompt_library.read(file)
    common.say(
        f"{file}: ok, set {prompt_set.id!r} with {len(prompt_set.prompts)} prompts.", style="green"
    )
