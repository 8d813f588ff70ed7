"""`rbp import`: reflections in from an rbp export or from jrnl."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from rbp_journal.cli import common
from rbp_journal.formats.importers import read_export, read_jrnl

app = typer.Typer(rich_markup_mode=None)

IMPORT_EXAMPLES = """
Examples:

  rbp import journal.json

  rbp export --format jsonl | rbp --db copy.db import -

  jrnl --export json > jrnl.json && rbp import --from jrnl jrnl.json
"""


class Source(StrEnum):
    rbp = "rbp"
    jrnl = "jrnl"


@app.command("import", epilog=IMPORT_EXAMPLES)
def import_file(
    file: Annotated[str, typer.Argument(metavar="FILE", help="An rbp export, or - for stdin.")],
    source: Annotated[Source, typer.Option("--from", help="Who wrote the file.")] = Source.rbp,
) -> None:
    """Import reflections from an rbp JSON/JSONL export or a jrnl JSON export."""
    raw = common.read_text(file)
    name = "stdin" if file == "-" else file
    j = common.journal(create=True)
    if source == Source.jrnl:
        records = read_jrnl(raw, name, j.library.get("journal"))
    else:
        records = read_export(raw, name)
    summary = j.recording.import_records(records)
    common.say(
        f"Imported from {name}: {summary.added} added, {summary.updated} updated, "
        f"{summary.skipped} already there."
    )
