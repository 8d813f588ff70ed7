"""`rbp import`: reflections in from an rbp export or from jrnl."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from rbp_journal.cli import common
from rbp_journal.formats.importers import read_export, read_jrnl
from rbp_journal.journal.importing import ImportSummary

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
    name = "stdin" if file == "-" else file
    if source == Source.jrnl:
        raw = common.read_text(file)
        j = common.journal(create=True)
        entries = read_jrnl(raw, name, j.library.get("journal"))
        summary = j.importing.import_records(
            entries.reflections, earlier_uids=entries.earlier_uids, file_wins=True
        )
    else:
        with common.open_text(file) as stream:  # read, checked and stored a record at a time
            document = read_export(stream, name)
            summary = common.journal(create=True).importing.import_records(
                document.reflections, document.followups, suspects=document.suspects
            )
    for note in summary.notes:
        common.say(f"Note: {note}.", style="yellow")
    if summary.new_codes:
        codes = ", ".join(summary.new_codes[:8]) + (" …" if len(summary.new_codes) > 8 else "")
        count = len(summary.new_codes)
        common.say(f"Note: {count} new client code{'s' if count != 1 else ''}: {codes}.")
    common.say(f"Imported from {name}: {counts(summary)}.")


def counts(summary: ImportSummary) -> str:
    said = f"{summary.added} added, {summary.updated} updated, {summary.skipped} already there"
    promises = (summary.promises_added, summary.promises_updated, summary.promises_skipped)
    if not any(promises):
        return said
    added, updated, there = promises
    return (
        f"{said}; promises without a reflection: {added} added, {updated} updated, "
        f"{there} already there"
    )
