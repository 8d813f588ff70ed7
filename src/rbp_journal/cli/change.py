"""`rbp edit` and `rbp delete`: changing a reflection in $EDITOR, or removing it for good."""

from __future__ import annotations

from typing import Annotated

import typer

from rbp_journal.cli import ask, common, editing, guard
from rbp_journal.formats import template

app = typer.Typer(rich_markup_mode=None)

EDIT_EXAMPLES = """
Example:

  EDITOR=nano rbp edit 12
"""
DELETE_EXAMPLES = """
Example:

  rbp delete 12 --yes
"""


@app.command("edit", epilog=EDIT_EXAMPLES)
def edit(rid: common.ReflectionId) -> None:
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
    rid: common.ReflectionId,
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
