"""Reading back what `rbp export --format json|jsonl` wrote, a record at a time and each
validated as it is read, and jrnl's JSON export (read whole: jrnl's own files are small)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from typing import Any, TextIO

from pydantic import ValidationError

from rbp_journal.errors import NotAnExport, UnreadableFile, first_problem
from rbp_journal.formats import jsonstream
from rbp_journal.formats.export import FORMAT_VERSION
from rbp_journal.models.prompts import PromptSet
from rbp_journal.models.reflection import Answer, ReflectionRecord


def read_export(stream: TextIO, source: str) -> Iterator[ReflectionRecord]:
    """Records from what `rbp export --format json|jsonl` wrote, each validated as it is read
    (the file is never held whole: memory stays flat at any size); the first problem is
    named. The caller stores them in one transaction, so a problem stores nothing."""
    reader = jsonstream.Reader(stream)
    try:
        head = reader.peek_text(200)
        if head.startswith("{") and '"reflections"' in head:
            yield from _document(reader, source)
        else:
            yield from _lines(reader, source)
    except jsonstream.BadJson as error:
        raise NotAnExport(
            f"{source} is not an rbp export (bad JSON at line {error.line})."
        ) from None
    except UnicodeDecodeError:
        raise UnreadableFile(source, "not UTF-8 text") from None


def _lines(reader: jsonstream.Reader, source: str) -> Iterator[ReflectionRecord]:
    """JSON lines: a header with the format version, then one reflection a line."""
    lines = ((line, text) for line, text in reader.lines() if text.strip())
    first = next(lines, None)
    header = _decoded(*first) if first else {}
    _check_version(header.get("version") if isinstance(header, dict) else None, source)
    for number, (line, text) in enumerate(lines, start=1):
        record = _from_text(text, number, source)
        if record is None:
            raise jsonstream.BadJson(line)
        yield record


def _document(reader: jsonstream.Reader, source: str) -> Iterator[ReflectionRecord]:
    """One JSON object whose "reflections" list is read an item at a time (its other keys in
    any order: a version after the list is checked at the end, before anything is kept)."""
    reader.expect("{")
    version: Any = None
    seen, first = False, True
    while not reader.take("}"):
        if not first:
            reader.expect(",")
        first = False
        key = reader.value()
        reader.expect(":")
        if key != "reflections":
            value = reader.value()
            version = value if key == "version" else version
            continue
        if version is not None:
            _check_version(version, source)
        if not reader.take("["):
            raise NotAnExport(f"{source} has no list of reflections.")
        seen, number = True, 0
        while not reader.take("]"):
            if number:
                reader.expect(",")
            number += 1
            yield _item(reader, number, source)
    reader.end()
    if not seen:
        raise NotAnExport(f"{source} has no list of reflections.")
    _check_version(version, source)


def _item(reader: jsonstream.Reader, number: int, source: str) -> ReflectionRecord:
    """The next reflection of the list: from its line's text when it is alone on it (as rbp
    writes them), else decoded wherever it ends."""
    text = reader.rest_of_line()
    record = _from_text(text, number, source) if text.startswith("{") else None
    if record is not None:
        reader.skip(len(text))
        return record
    return _record(reader.value(), number, source)


def _from_text(text: str, number: int, source: str) -> ReflectionRecord | None:
    """A record from JSON text, or None when the text is not one whole JSON value."""
    try:
        return ReflectionRecord.model_validate_json(text)
    except ValidationError as error:
        if any(problem["type"] == "json_invalid" for problem in error.errors()):
            return None
        raise NotAnExport(f"{source}, reflection {number}: {first_problem(error)}") from None


def _decoded(line: int, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise jsonstream.BadJson(line) from None


def _check_version(version: Any, source: str) -> None:
    if version != FORMAT_VERSION:
        raise NotAnExport(f"{source} is not an rbp export of format version {FORMAT_VERSION}.")


def _record(item: Any, number: int, source: str) -> ReflectionRecord:
    try:
        return ReflectionRecord.model_validate(item)
    except ValidationError as error:
        raise NotAnExport(f"{source}, reflection {number}: {first_problem(error)}") from None


def read_jrnl(raw: str, source: str, prompt_set: PromptSet) -> list[ReflectionRecord]:
    """Entries of `jrnl --export json` as free-text reflections of the `journal` set."""
    try:
        document = json.loads(raw)
        entries = document["entries"]
        return [_jrnl_entry(entry, prompt_set) for entry in entries]
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise NotAnExport(
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
