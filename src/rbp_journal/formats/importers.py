"""Reading back what `rbp export --format json|jsonl` wrote, a record at a time and each
validated as it is read, and jrnl's JSON export (read whole: jrnl's own files are small)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from pydantic import ValidationError

from rbp_journal import json_input
from rbp_journal.errors import NotAnExport, UnreadableFile, first_problem
from rbp_journal.formats import jsonstream
from rbp_journal.formats.export import FORMAT_VERSION, READABLE_VERSIONS
from rbp_journal.models.prompts import PromptSet
from rbp_journal.models.reflection import Answer, FollowupRecord, ReflectionRecord
from rbp_journal.text import check_tag

BOM = "\ufeff"  # Windows tools start UTF-8 files with it


@dataclass(frozen=True)
class Export:
    """What an rbp export holds: its reflections, read and checked as they are taken; the
    numbers of those whose JSON text may hold a control character (known as each is read:
    the others need no scrubbing); and the promises made without a reflection, whole once
    the reflections have all been taken (an export writes them after)."""

    reflections: Iterator[ReflectionRecord]
    followups: list[FollowupRecord] = field(default_factory=list)
    suspects: set[int] = field(default_factory=set)


@dataclass
class _Reading:
    source: str
    followups: list[FollowupRecord]
    suspects: set[int]


def read_export(stream: TextIO, source: str) -> Export:
    """What `rbp export --format json|jsonl` wrote, each record validated as it is read (the
    file is never held whole: memory stays flat at any size); the first problem is named. The
    caller stores them in one transaction, so a problem stores nothing."""
    reading = _Reading(source, [], set())
    return Export(_records(stream, reading), reading.followups, reading.suspects)


def _records(stream: TextIO, reading: _Reading) -> Iterator[ReflectionRecord]:
    source = reading.source
    reader = jsonstream.Reader(stream)
    try:
        head = reader.peek_text(200).removeprefix(BOM).lstrip()
        if not head:  # nothing at all: an export of nothing, as jrnl writes one
            return
        if reader.peek_text(1) == BOM:
            reader.take(BOM)
        if head.startswith("{") and '"reflections"' in head:
            yield from _document(reader, reading)
        else:
            yield from _lines(reader, reading)
    except jsonstream.BadJson as error:
        raise NotAnExport(
            f"{source} is not an rbp export (bad JSON at line {error.line})."
        ) from None
    except json_input.UnreadableJson as error:
        raise NotAnExport(f"{source} cannot be read: it holds {error.problem}") from None
    except UnicodeDecodeError:
        raise UnreadableFile(source, "not UTF-8 text") from None


def _lines(reader: jsonstream.Reader, reading: _Reading) -> Iterator[ReflectionRecord]:
    """JSON lines: a header with the format version, then a reflection a line, and the
    promises made without one as {"followup": …}."""
    source, followups = reading.source, reading.followups
    lines = ((line, text) for line, text in reader.lines() if text.strip())
    first = next(lines, None)
    header = _decoded(*first) if first else {}
    _check_version(header.get("version") if isinstance(header, dict) else None, source)
    number = 0
    for line, text in lines:
        if text.lstrip().startswith('{"followup"'):
            row = _decoded(line, text)
            if _is_promise(row):
                followups.append(_promise(row["followup"], len(followups) + 1, source))
                continue
        number += 1
        record = _from_text(text, number, reading)
        if record is None:
            raise jsonstream.BadJson(line)
        yield record


def _is_promise(row: Any) -> bool:
    return isinstance(row, dict) and set(row) == {"followup"}


def _document(reader: jsonstream.Reader, reading: _Reading) -> Iterator[ReflectionRecord]:
    """One JSON object whose "reflections" list is read an item at a time (its other keys in
    any order: a version after the list is checked at the end, before anything is kept)."""
    source, followups = reading.source, reading.followups
    reader.expect("{")
    version: Any = None
    seen, first = False, True
    while not reader.take("}"):
        if not first:
            reader.expect(",")
        first = False
        key = reader.value()
        reader.expect(":")
        if key == "reflections":
            if version is not None:
                _check_version(version, source)
            if not reader.take("["):
                raise NotAnExport(f"{source} has no list of reflections.")
            seen = True
            yield from _items(reader, reading)
            continue
        value = reader.value()
        if key == "version":
            version = value
        elif key == "followups":
            promises = value if isinstance(value, list) else []
            followups += [_promise(item, n, source) for n, item in enumerate(promises, start=1)]
    reader.end()
    if not seen:
        raise NotAnExport(f"{source} has no list of reflections.")
    _check_version(version, source)


def _items(reader: jsonstream.Reader, reading: _Reading) -> Iterator[ReflectionRecord]:
    """The reflections of the list, each from its line's text when it is alone on it (as rbp
    writes them), else decoded wherever it ends."""
    number = 0
    while not reader.take("]"):
        if number:
            reader.expect(",")
        number += 1
        text = reader.rest_of_line()
        record = _from_text(text, number, reading) if text.startswith("{") else None
        if record is not None:
            reader.skip(len(text))
            yield record
        else:
            item = reader.value()
            record = _record(item, number, reading.source)
            if json_input.may_hold_controls(record.model_dump_json()):
                reading.suspects.add(number)
            yield record


def _from_text(text: str, number: int, reading: _Reading) -> ReflectionRecord | None:
    """A record from JSON text, or None when the text is not one whole JSON value."""
    try:
        record = ReflectionRecord.model_validate_json(text)
    except ValidationError as error:
        if any(problem["type"] == "json_invalid" for problem in error.errors()):
            return None
        raise NotAnExport(
            f"{reading.source}, reflection {number}: {first_problem(error)}"
        ) from None
    if json_input.may_hold_controls(text):
        reading.suspects.add(number)
    return _tags_checked(record, number, reading.source)


def _record(item: Any, number: int, source: str) -> ReflectionRecord:
    try:
        record = ReflectionRecord.model_validate(item)
    except ValidationError as error:
        raise NotAnExport(f"{source}, reflection {number}: {first_problem(error)}") from None
    return _tags_checked(record, number, source)


def _tags_checked(record: ReflectionRecord, number: int, source: str) -> ReflectionRecord:
    try:  # all at once (a space is allowed); one by one to name one
        check_tag(" ".join(record.tags))
        return record
    except ValueError:
        pass
    try:
        for index, tag in enumerate(record.tags):
            _checked(check_tag, tag, f"tags.{index}")
    except ValueError as error:
        raise NotAnExport(f"{source}, reflection {number}: {error}") from None
    return record


def _decoded(line: int, text: str) -> Any:
    try:
        return json_input.loads(text)
    except json.JSONDecodeError:
        raise jsonstream.BadJson(line) from None


def _check_version(version: Any, source: str) -> None:
    if version not in READABLE_VERSIONS:
        raise NotAnExport(f"{source} is not an rbp export of format version {FORMAT_VERSION}.")


def _checked(check: Callable[[str], str], value: str, where: str) -> None:
    try:
        check(value)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None


def _promise(item: Any, number: int, source: str) -> FollowupRecord:
    try:
        return FollowupRecord.model_validate(item)
    except ValidationError as error:
        raise NotAnExport(f"{source}, promise {number}: {first_problem(error)}") from None


@dataclass(frozen=True)
class JrnlEntries:
    """jrnl entries as reflections, with the uid each had under rbp's first jrnl import (a hash
    of its words) so that entries imported then are updated, not doubled."""

    reflections: list[ReflectionRecord]
    earlier_uids: dict[str, str]


def read_jrnl(raw: str, source: str, prompt_set: PromptSet) -> JrnlEntries:
    """Entries of `jrnl --export json` as free-text reflections of the `journal` set. An entry
    is known by its date and time (and its place among entries of the same minute), so an
    entry edited in jrnl updates its reflection, and identical entries both arrive."""
    text = raw.removeprefix(BOM)
    if not text.strip():  # jrnl exports an empty journal as nothing at all
        return JrnlEntries([], {})
    try:
        document = json_input.loads(text)
        entries = document["entries"]
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise TypeError("its entries are not a list of objects")
        seen: Counter[str] = Counter()
        records, earlier = [], {}
        for entry in entries:
            record, legacy = _jrnl_entry(entry, prompt_set, seen)
            records.append(record)
            earlier[record.uid] = legacy
        return JrnlEntries(records, earlier)
    except json_input.UnreadableJson as error:
        raise NotAnExport(f"{source} cannot be read: it holds {error.problem}") from None
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise NotAnExport(
            f"{source} is not a jrnl JSON export ({type(error).__name__}: {error})."
        ) from None


def _jrnl_entry(
    entry: dict[str, Any], prompt_set: PromptSet, seen: Counter[str]
) -> tuple[ReflectionRecord, str]:
    title, body = str(entry.get("title") or "").strip(), str(entry.get("body") or "").strip()
    text = f"{title}\n\n{body}".strip()
    day = dt.date.fromisoformat(str(entry["date"]))
    clock = str(entry.get("time") or "00:00")
    stamp = dt.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=dt.UTC)
    tags = [str(tag).lstrip("@#") for tag in entry.get("tags") or []]
    if entry.get("starred"):
        tags.append("starred")
    for index, tag in enumerate(tags):
        _checked(check_tag, tag, f"tags.{index}")
    moment = f"{day}T{clock}"
    uid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"jrnl:{moment}#{seen[moment]}"))
    seen[moment] += 1
    legacy = str(uuid.uuid5(uuid.NAMESPACE_URL, f"jrnl:{moment}:{text}"))
    prompt = prompt_set.prompts[0]
    answer = Answer(
        position=1, prompt_id=prompt.id, theme=prompt.theme, kind="text", question=prompt.text,
        text=text,
    )  # fmt: skip
    record = ReflectionRecord(
        uid=uid, session_date=day, created=stamp, updated=stamp, set_id=prompt_set.id,
        set_version=prompt_set.version, tags=sorted({t for t in tags if t}),
        answers=[answer] if text else [],
    )  # fmt: skip
    return record, legacy
