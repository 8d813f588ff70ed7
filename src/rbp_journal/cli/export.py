"""`rbp export`: reflections out as markdown, JSON, JSON lines or CSV, streamed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rbp_journal import config, paths
from rbp_journal.cli import common, files
from rbp_journal.errors import UsageError
from rbp_journal.formats import export as exporting
from rbp_journal.formats.markdown import (
    front_matter,
    record_markdown,
    split_name,
    standalone_markdown,
)
from rbp_journal.models.exported import RecordLike
from rbp_journal.text import plural

if TYPE_CHECKING:  # pydantic loads only when there are promises made alone to export
    from rbp_journal.models.reflection import FollowupRecord

app = typer.Typer(rich_markup_mode=None)

EXPORT_EXAMPLES = """
Examples:

  rbp export --format markdown --since "last week" > week.md

  rbp export --format json --output journal.json

  rbp export --format markdown --split portfolio/ --tag cpd

  rbp export --format json | rbp --db other.db import -

  rbp export --format csv --excel --output reflections.csv
"""


class ExportFormat(StrEnum):
    markdown = "markdown"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


@app.command("export", epilog=EXPORT_EXAMPLES)
def export(
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="What to write.")
    ] = ExportFormat.markdown,
    since: common.Since = None,
    until: common.Until = None,
    client: common.Client = None,
    tag: common.Tag = None,
    set_id: common.SetId = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here (default stdout)."),
    ] = None,
    split: Annotated[
        Path | None, typer.Option("--split", metavar="DIR", help="Markdown: one file a reflection.")
    ] = None,
    drafts: Annotated[bool, typer.Option("--drafts", help="Export drafts instead.")] = False,
    redact: Annotated[
        bool, typer.Option("--redact", help="Mask identifying details in what is written.")
    ] = False,
    bom: Annotated[
        bool, typer.Option("--bom", help="CSV: start with a byte-order mark, for spreadsheets.")
    ] = False,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV for Excel: a byte-order mark and CRLF line ends.")
    ] = False,
    raw_cells: Annotated[
        bool,
        typer.Option(
            "--raw-cells",
            help="CSV: keep cells starting = + - @ as stored (a spreadsheet may run them).",
        ),
    ] = False,
) -> None:
    """Export reflections as markdown, JSON, JSON lines or CSV."""
    if split is not None and fmt != ExportFormat.markdown:
        raise UsageError("--split writes markdown files; use it with --format markdown.")
    if (bom or excel or raw_cells) and fmt != ExportFormat.csv:
        raise UsageError("--bom, --excel and --raw-cells shape CSV; use them with --format csv.")
    query = common.make_filter(since, until, client, tag, set_id, None, drafts=drafts)
    reading = common.journal().reading
    records = reading.export(query, redact=redact, allow=config.allow_list())
    promises = reading.standalone_promises(query, redact=redact, allow=config.allow_list())
    if split is not None:
        count = _write_split(records, promises, split)
    else:
        style = exporting.CsvStyle(bom=bom or excel, crlf=excel, raw=raw_cells)
        with files.output(output) as out:
            count = exporting.write_export(records, fmt.value, out, promises, style)
    alone = f" and {plural(len(promises), 'promise')} without a reflection" if promises else ""
    common.say(f"Exported {plural(count, 'reflection')}{alone}.", style="dim")


def _write_split(
    records: Iterable[RecordLike], promises: Sequence[FollowupRecord], folder: Path
) -> int:
    paths.make_private_dir(folder)
    written = 0
    for record in records:
        with files.output(str(folder / split_name(record))) as out:
            out.write(front_matter(record) + record_markdown(record))
        written += 1
    if promises:
        with files.output(str(folder / "promises-without-a-reflection.md")) as out:
            out.write(standalone_markdown(promises, level=1))
    return written
