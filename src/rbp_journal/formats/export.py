"""Exports, streamed one reflection at a time so memory does not grow with the journal:
markdown, JSON, JSON lines and CSV, by name. Output is plain text, never Rich markup."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from rbp_journal.formats.markdown import record_markdown
from rbp_journal.models.reflection import (
    MARK_END,
    MARK_START,
    Reflection,
    ReflectionRecord,
    SearchHit,
)

FORMAT_VERSION = 1


def reflection_data(reflection: Reflection) -> dict[str, Any]:
    return reflection.model_dump(mode="json")


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


CSV_COLUMNS = (
    "reflection_id", "uid", "session_date", "client", "setting", "set_id", "status", "tags",
    "position", "prompt_id", "theme", "kind", "question", "text", "rating", "label",
)  # fmt: skip


def write_export(records: Iterable[ReflectionRecord], fmt: str, out: TextIO) -> int:
    """Write records in a format, one at a time, so memory does not grow with the journal."""
    writer = WRITERS[fmt]
    tally = 0

    def counted() -> Iterator[ReflectionRecord]:
        nonlocal tally
        for record in records:
            tally += 1
            yield record

    writer(counted(), out)
    return tally


def _markdown(records: Iterable[ReflectionRecord], out: TextIO) -> None:
    out.write("# Reflections\n\n")
    for record in records:
        out.write(record_markdown(record))
        out.write("\n")


def _json(records: Iterable[ReflectionRecord], out: TextIO) -> None:
    out.write(f'{{"format": "rbp-export", "version": {FORMAT_VERSION}, "reflections": [')
    for index, record in enumerate(records):
        out.write(",\n  " if index else "\n  ")
        out.write(record.model_dump_json())
    out.write("\n]}\n")


def _jsonl(records: Iterable[ReflectionRecord], out: TextIO) -> None:
    out.write(json.dumps({"format": "rbp-export", "version": FORMAT_VERSION}) + "\n")
    for record in records:
        out.write(record.model_dump_json() + "\n")


def _csv(records: Iterable[ReflectionRecord], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        head = [record.id, record.uid, record.session_date, record.client, record.setting,
                record.set_id, record.status, ";".join(record.tags)]  # fmt: skip
        for a in record.answers:
            writer.writerow(
                [
                    *head,
                    a.position,
                    a.prompt_id,
                    a.theme,
                    a.kind,
                    a.question,
                    a.text,
                    a.rating,
                    a.label,
                ]
            )


Writer = Callable[[Iterable[ReflectionRecord], TextIO], None]
WRITERS: dict[str, Writer] = {"markdown": _markdown, "json": _json, "jsonl": _jsonl, "csv": _csv}
EXPORT_FORMATS = tuple(WRITERS)


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
