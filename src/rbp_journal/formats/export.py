"""Exports, streamed one reflection at a time so memory does not grow with the journal:
markdown, JSON, JSON lines and CSV, by name. Output is plain text, never Rich markup."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from rbp_journal.formats.markdown import record_markdown
from rbp_journal.models import views
from rbp_journal.models.views import (
    MARK_END,
    MARK_START,
    RecordLike,
    ReflectionView,
    SearchHit,
    record_data,
)

FORMAT_VERSION = 1


def reflection_data(reflection: ReflectionView) -> dict[str, Any]:
    data: dict[str, Any] = views.data(reflection)
    return data


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


CSV_COLUMNS = (
    "reflection_id", "uid", "session_date", "client", "setting", "set_id", "status", "tags",
    "position", "prompt_id", "theme", "kind", "question", "text", "rating", "label",
)  # fmt: skip


def write_export(records: Iterable[RecordLike], fmt: str, out: TextIO) -> int:
    """Write records in a format, one at a time, so memory does not grow with the journal."""
    writer = WRITERS[fmt]
    tally = 0

    def counted() -> Iterator[RecordLike]:
        nonlocal tally
        for record in records:
            tally += 1
            yield record

    writer(counted(), out)
    return tally


def _markdown(records: Iterable[RecordLike], out: TextIO) -> None:
    out.write("# Reflections\n\n")
    for record in records:
        out.write(record_markdown(record) + "\n")


def _json(records: Iterable[RecordLike], out: TextIO) -> None:
    out.write(f'{{"format": "rbp-export", "version": {FORMAT_VERSION}, "reflections": [')
    for index, record in enumerate(records):
        out.write(",\n  " if index else "\n  ")
        out.write(_compact(record_data(record)))
    out.write("\n]}\n")


def _jsonl(records: Iterable[RecordLike], out: TextIO) -> None:
    out.write(json.dumps({"format": "rbp-export", "version": FORMAT_VERSION}) + "\n")
    for record in records:
        out.write(_compact(record_data(record)) + "\n")


def _csv(records: Iterable[RecordLike], out: TextIO) -> None:
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


def _compact(data: dict[str, Any]) -> str:
    """One record as one line of JSON, as pydantic's model_dump_json wrote it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


Writer = Callable[[Iterable[RecordLike], TextIO], None]
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
    data = views.data(hit)
    del data["snippet"]  # written last, as plain text
    return {**data, "snippet": "".join(plain), "highlights": spans}
