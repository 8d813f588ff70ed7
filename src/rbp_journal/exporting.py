"""Writers that turn reflections into markdown and JSON for people and scripts.

Output here is plain text: no colour and no Rich markup, whatever the terminal.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from pydantic import ValidationError

from rbp_journal.errors import InvalidAnswers
from rbp_journal.models import (
    Answer,
    PromptSet,
    Reflection,
    ReflectionRecord,
    SearchHit,
)
from rbp_journal.store import MARK_END, MARK_START

FORMAT_VERSION = 1


def reflection_markdown(reflection: Reflection) -> str:
    return record_markdown(ReflectionRecord.of(reflection))


def reflection_data(reflection: Reflection) -> dict[str, Any]:
    return reflection.model_dump(mode="json")


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


_MARKDOWN_SIGNS = re.compile(r"([\\`*_\[\]<>|#])")
_BLOCK_START = re.compile(r"^(#|>|[-*+]\s|\d+[.)]\s|=+\s*$|-+\s*$|```|~~~)")


def _escape(text: str) -> str:
    """Keep a person's words from being read as markdown structure."""
    return _MARKDOWN_SIGNS.sub(r"\\\1", text) if _MARKDOWN_SIGNS.search(text) else text


# --- exports: streamed, one reflection at a time -----------------------------------------

EXPORT_FORMATS = ("markdown", "json", "jsonl", "csv")
CSV_COLUMNS = (
    "reflection_id", "uid", "session_date", "client", "setting", "set_id", "status", "tags",
    "position", "prompt_id", "theme", "kind", "question", "text", "rating", "label",
)  # fmt: skip


def write_export(records: Iterable[ReflectionRecord], fmt: str, out: TextIO) -> int:
    """Write records in a format, one at a time, so memory does not grow with the journal."""
    writer = {"markdown": _markdown, "json": _json, "jsonl": _jsonl, "csv": _csv}[fmt]
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


def record_markdown(record: ReflectionRecord) -> str:
    bits = (str(record.session_date), record.setting, record.client, record.set_id)
    lines = [f"## Reflection {record.id}: {' · '.join(b for b in bits if b)}", ""]
    if record.tags:
        lines += [f"Tags: {', '.join(_escape(t) for t in record.tags)}", ""]
    for answer in record.answers:
        lines += [f"### {_escape(answer.question)}", ""]
        if answer.rating is not None:
            lines.append(
                f"{answer.rating}/5 — {answer.label}" if answer.label else f"{answer.rating}/5"
            )
        else:
            lines.append(_block(answer.text or ""))
        lines.append("")
    if record.followups:
        lines += ["### Promises", ""]
        for followup in record.followups:
            due = f" (due {followup.due})" if followup.due else ""
            mark = "x" if followup.status == "done" else " "
            dropped = " — dropped" if followup.status == "dropped" else ""
            lines.append(f"- [{mark}] {_escape(followup.text)}{due}{dropped}")
        lines.append("")
    return "\n".join(lines)


def _block(text: str) -> str:
    """A person's paragraph as markdown, unable to start a heading, rule or list of its own."""
    out = []
    for line in text.splitlines():
        stripped = line.lstrip()
        if _BLOCK_START.match(stripped):
            line = line[: len(line) - len(stripped)] + "\\" + stripped
        out.append(line)
    return "\n".join(out)


def front_matter(record: ReflectionRecord) -> str:
    fields = {
        "id": record.id, "uid": record.uid, "date": str(record.session_date),
        "client": record.client, "setting": record.setting, "set": record.set_id,
        "tags": record.tags,
    }  # fmt: skip
    # JSON scalars and lists are valid YAML, and quote whatever a person typed
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def split_name(record: ReflectionRecord) -> str:
    return f"{record.session_date}-{record.id:06d}.md"


# --- imports: validated in full before anything is written -------------------------------


def read_export(raw: str, source: str) -> list[ReflectionRecord]:
    """Records from what `rbp export --format json|jsonl` wrote; the first problem is named."""
    text = raw.lstrip()
    try:
        if text.startswith("{") and '"reflections"' in text[:200]:
            document = json.loads(text)
            items = document.get("reflections") if isinstance(document, dict) else None
            if not isinstance(items, list):
                raise InvalidAnswers(f"{source} has no list of reflections.")
            version = document.get("version")
        else:
            lines = [line for line in text.splitlines() if line.strip()]
            header = json.loads(lines[0]) if lines else {}
            version = header.get("version") if isinstance(header, dict) else None
            items = [json.loads(line) for line in lines[1:]]
    except json.JSONDecodeError as error:
        raise InvalidAnswers(
            f"{source} is not an rbp export (bad JSON at line {error.lineno})."
        ) from None
    if version != FORMAT_VERSION:
        raise InvalidAnswers(f"{source} is not an rbp export of format version {FORMAT_VERSION}.")
    return [_record(item, number, source) for number, item in enumerate(items, start=1)]


def _record(item: Any, number: int, source: str) -> ReflectionRecord:
    try:
        return ReflectionRecord.model_validate(item)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise InvalidAnswers(f"{source}, reflection {number}: {where}: {message}.") from None


def read_jrnl(raw: str, source: str, prompt_set: PromptSet) -> list[ReflectionRecord]:
    """Entries of `jrnl --export json` as free-text reflections of the `journal` set."""
    try:
        document = json.loads(raw)
        entries = document["entries"]
        return [_jrnl_entry(entry, prompt_set) for entry in entries]
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise InvalidAnswers(
            f"{source} is not a jrnl JSON export ({type(error).__name__}: {error})."
        ) from None


def _jrnl_entry(entry: dict[str, Any], prompt_set: PromptSet) -> ReflectionRecord:
    title, body = str(entry.get("title") or "").strip(), str(entry.get("body") or "").strip()
    text = f"{title}\n\n{body}".strip()
    day = dt.date.fromisoformat(str(entry["date"]))
    clock = str(entry.get("time") or "00:00")
    stamp = dt.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=dt.UTC)
    tags = [str(tag).lstrip("@#") for tag in entry.get("tags") or []]
    if entry.get("starred"):
        tags.append("starred")
    uid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"jrnl:{day}T{clock}:{text}"))
    prompt = prompt_set.prompts[0]
    answer = Answer(
        position=1, prompt_id=prompt.id, theme=prompt.theme, kind="text", question=prompt.text,
        text=text,
    )  # fmt: skip
    return ReflectionRecord(
        uid=uid, session_date=day, created=stamp, updated=stamp, set_id=prompt_set.id,
        set_version=prompt_set.version, tags=[t for t in tags if t],
        answers=[answer] if text else [],
    )  # fmt: skip


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
