"""Exports, streamed one reflection at a time so memory does not grow with the journal:
markdown, JSON, JSON lines and CSV, by name, each with the promises made without a reflection
after the reflections. Output is plain text, never Rich markup."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from rbp_journal.formats.markdown import record_markdown, standalone_markdown
from rbp_journal.models.reflection import (
    MARK_END,
    MARK_START,
    FollowupRecord,
    Reflection,
    ReflectionRecord,
    SearchHit,
)

# 2: promises made without a reflection travel too ("followups"); version 1 files still import
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)


def reflection_data(reflection: Reflection) -> dict[str, Any]:
    return reflection.model_dump(mode="json")


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


@dataclass(frozen=True)
class CsvStyle:
    """How a CSV is written: `bom` for spreadsheets that guess the encoding (Excel), `crlf` line
    ends (RFC 4180, Excel), and `raw` to keep formula-like cells as stored."""

    bom: bool = False
    crlf: bool = False
    raw: bool = False


CSV_COLUMNS = (
    "reflection_id", "uid", "session_date", "client", "setting", "set_id", "status", "tags",
    "position", "prompt_id", "theme", "kind", "question", "text", "rating", "label",
    "due", "promise_status",
)  # fmt: skip
# a cell a spreadsheet would run as a formula (OWASP's CSV injection advice): these first signs
FORMULA_SIGNS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object, raw: bool = False) -> object:
    """A text cell that cannot start a formula (a leading quote, which spreadsheets hide)
    unless `raw`, its line ends as newlines (a lone CR, left unquoted by the csv module when
    rows end in LF, would end the row for every reader)."""
    if not isinstance(value, str):
        return value
    if not raw and value.startswith(FORMULA_SIGNS):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


def write_export(
    records: Iterable[ReflectionRecord],
    fmt: str,
    out: TextIO,
    promises: Sequence[FollowupRecord] = (),
    csv_style: CsvStyle = CsvStyle(),
) -> int:
    """Write records (and the promises made without a reflection) in a format, one record at
    a time, so memory does not grow with the journal; returns how many records."""
    tally = 0

    def counted() -> Iterator[ReflectionRecord]:
        nonlocal tally
        for record in records:
            tally += 1
            yield record

    if fmt == "csv":
        _csv(counted(), promises, out, csv_style)
    else:
        WRITERS[fmt](counted(), promises, out)
    return tally


def _markdown(
    records: Iterable[ReflectionRecord], promises: Sequence[FollowupRecord], out: TextIO
) -> None:
    out.write("# Reflections\n\n")
    for record in records:
        out.write(record_markdown(record))
        out.write("\n")
    if promises:
        out.write(standalone_markdown(promises))


def _json(
    records: Iterable[ReflectionRecord], promises: Sequence[FollowupRecord], out: TextIO
) -> None:
    out.write(f'{{"format": "rbp-export", "version": {FORMAT_VERSION}, "reflections": [')
    for index, record in enumerate(records):
        out.write(",\n  " if index else "\n  ")
        out.write(record.model_dump_json())
    out.write('\n], "followups": [')
    out.write(",".join(f"\n  {promise.model_dump_json()}" for promise in promises))
    out.write("\n]}\n")


def _jsonl(
    records: Iterable[ReflectionRecord], promises: Sequence[FollowupRecord], out: TextIO
) -> None:
    out.write(json.dumps({"format": "rbp-export", "version": FORMAT_VERSION}) + "\n")
    for record in records:
        out.write(record.model_dump_json() + "\n")
    for promise in promises:
        out.write(f'{{"followup": {promise.model_dump_json()}}}\n')


def _csv(
    records: Iterable[ReflectionRecord],
    promises: Sequence[FollowupRecord],
    out: TextIO,
    style: CsvStyle,
) -> None:
    """One row an answer, then one a promise (kind "promise"); tags as a JSON array."""
    if style.bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n" if style.crlf else "\n")

    def cell(value: object) -> object:
        return spreadsheet_cell(value, style.raw)

    writer.writerow(CSV_COLUMNS)
    for record in records:
        head = [record.id, record.uid, record.session_date, record.client, record.setting,
                record.set_id, record.status, json.dumps(record.tags, ensure_ascii=False)]  # fmt: skip
        for a in record.answers:
            row = [a.position, a.prompt_id, a.theme, a.kind, a.question, a.text, a.rating, a.label]
            writer.writerow([cell(value) for value in [*head, *row, None, None]])
        for promise in record.followups:
            writer.writerow([cell(value) for value in [*head, *_promise_cells(promise)]])
    for promise in promises:
        blank = [None, None, promise.created.date(), None, None, None, None, "[]"]
        writer.writerow([cell(value) for value in [*blank, *_promise_cells(promise)]])


def _promise_cells(promise: FollowupRecord) -> list[object]:
    return [None, None, None, "promise", "Promise", promise.text, None, None, promise.due,
            promise.status]  # fmt: skip


Writer = Callable[[Iterable[ReflectionRecord], Sequence[FollowupRecord], TextIO], None]
WRITERS: dict[str, Writer] = {"markdown": _markdown, "json": _json, "jsonl": _jsonl}
EXPORT_FORMATS = (*WRITERS, "csv")


def search_data(hit: SearchHit) -> dict[str, Any]:
    """A search hit for scripts: the snippet as plain text, with the matched spans."""
    plain, spans, position = [], [], 0
    for index, piece in enumerate(re.split(f"[{MARK_START}{MARK_END}]", hit.snippet)):
        if index % 2:
            spans.append([position, position + len(piece)])
        plain.append(piece)
        position += len(piece)
    data = hit.model_dump(mode="json", exclude={"snippet"})
    return {**data, "snippet": "".join(plain), "highlights": spans}
