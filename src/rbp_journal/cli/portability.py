"""`rbp search`, `rbp edit`, `rbp export` and `rbp import`: words in and out of the journal."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rbp_journal.cli import common

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rbp_journal.models import ReflectionRecord

SEARCH_EXAMPLES = """
Examples:

  rbp search housing

  rbp search '"core group" AND mum' --since 2026-01-01

  rbp search refer* --client C-014 --json
"""
EDIT_EXAMPLES = """
Example:

  EDITOR=nano rbp edit 12
"""
EXPORT_EXAMPLES = """
Examples:

  rbp export --format markdown --since "last week" > week.md

  rbp export --format json --output journal.json

  rbp export --format markdown --split portfolio/ --tag cpd

  rbp export --format json | rbp --db other.db import -
"""
IMPORT_EXAMPLES = """
Examples:

  rbp import journal.json

  rbp export --format jsonl | rbp --db copy.db import -

  jrnl --export json > jrnl.json && rbp import --from jrnl jrnl.json
"""


def register(app: typer.Typer) -> None:
    app.command("search", epilog=SEARCH_EXAMPLES)(search)
    app.command("edit", epilog=EDIT_EXAMPLES)(edit)
    app.command("export", epilog=EXPORT_EXAMPLES)(export)
    app.command("import", epilog=IMPORT_EXAMPLES)(import_file)


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
    hits = common.journal().search(query, query_filter)
    if as_json:
        from rbp_journal import exporting

        common.print_json([exporting.search_data(hit) for hit in hits])
        return
    from rbp_journal import render

    common.out().print(render.search_results(hits))


def edit(rid: Annotated[int, typer.Argument(metavar="ID", help="The reflection's id.")]) -> None:
    """Edit a reflection in $EDITOR, as the same template `reflect --editor` uses."""
    from rbp_journal import template
    from rbp_journal.cli import editing, guard

    j = common.journal()
    reflection = j.reflection(rid)
    prompt_set = j.library.get(reflection.set_id)
    before = template.render(prompt_set, reflection, reflection)
    text = editing.edit(before, j.store.path.parent)
    if text == before:
        common.say("No changes.")
        return
    payload = editing.parse_or_keep(text, prompt_set, j.store.path.parent)
    j.update(rid, guard.settle(payload, j.caseload()))
    common.say(f"Saved reflection #{rid}.", style="green")


def export(
    fmt: Annotated[
        str, typer.Option("--format", help="markdown, json, jsonl or csv.")
    ] = "markdown",
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
) -> None:
    """Export reflections as markdown, JSON, JSON lines or CSV."""
    from rbp_journal import exporting
    from rbp_journal.errors import UsageError

    if fmt not in exporting.EXPORT_FORMATS:
        raise UsageError(f"--format {fmt!r} is not one of {', '.join(exporting.EXPORT_FORMATS)}.")
    if split is not None and fmt != "markdown":
        raise UsageError("--split writes markdown files; use it with --format markdown.")
    query_filter = common.make_filter(since, until, client, tag, set_id, None).model_copy(
        update={"drafts": drafts}
    )
    from rbp_journal import config

    records = common.journal().export(query_filter, redact=redact, allow=config.allow_list())

    if split is not None:
        count = _write_split(records, split)
    else:
        with common.output(output) as out:
            count = exporting.write_export(records, fmt, out)
    common.say(f"Exported {count} reflection{'s' if count != 1 else ''}.", style="dim")


def _write_split(records: Iterable[ReflectionRecord], folder: Path) -> int:
    from rbp_journal import exporting, paths

    paths.make_private_dir(folder)
    written = 0
    for record in records:
        with common.output(str(folder / exporting.split_name(record))) as out:
            out.write(exporting.front_matter(record) + exporting.record_markdown(record))
        written += 1
    return written


def import_file(
    file: Annotated[str, typer.Argument(metavar="FILE", help="An rbp export, or - for stdin.")],
    source: Annotated[str, typer.Option("--from", help="rbp (default) or jrnl.")] = "rbp",
) -> None:
    """Import reflections from an rbp JSON/JSONL export or a jrnl JSON export."""
    from rbp_journal import exporting
    from rbp_journal.errors import UsageError

    if source not in {"rbp", "jrnl"}:
        raise UsageError(f"--from {source!r} is not one of rbp, jrnl.")
    raw = sys.stdin.read() if file == "-" else _read(file)
    name = "stdin" if file == "-" else file
    j = common.journal()
    if source == "jrnl":
        records = exporting.read_jrnl(raw, name, j.library.get("journal"))
    else:
        records = exporting.read_export(raw, name)
    summary = j.import_records(records)
    common.say(
        f"Imported from {name}: {summary.added} added, {summary.updated} updated, "
        f"{summary.skipped} already there."
    )


def _read(file: str) -> str:
    from rbp_journal.errors import InvalidAnswers

    try:
        return Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise InvalidAnswers(f"Cannot read {file} ({reason}).") from None
