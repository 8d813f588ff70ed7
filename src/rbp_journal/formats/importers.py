"""Reading back what `rbp export --format json|jsonl` wrote, and jrnl's JSON export: every
record validated before anything is written."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from rbp_journal import json_input
from rbp_journal.errors import NotAnExport, first_problem
from rbp_journal.formats.export import FORMAT_VERSION, READABLE_VERSIONS
from rbp_journal.models.prompts import PromptSet
from rbp_journal.models.reflection import Answer, FollowupRecord, ReflectionRecord
from rbp_journal.text import check_tag

BOM = "\ufeff"  # Windows tools start UTF-8 files with it


@dataclass(frozen=True)
class Export:
    """What an rbp export holds: reflections, and promises made without a reflection."""

    reflections: list[ReflectionRecord]
    followups: list[FollowupRecord]


def read_export(raw: str, source: str) -> Export:
    """Records from what `rbp export --format json|jsonl` wrote; the first problem is named."""
    text = raw.removeprefix(BOM).lstrip()
    if not text:  # nothing at all: an export of nothing, as jrnl writes one
        return Export([], [])
    try:
        if text.startswith("{") and '"reflections"' in text[:200]:
            document = json_input.loads(text)
            items = document.get("reflections") if isinstance(document, dict) else None
            if not isinstance(items, list):
                raise NotAnExport(f"{source} has no list of reflections.")
            version = document.get("version")
            promises = document.get("followups") or []
        else:
            lines = [line for line in text.splitlines() if line.strip()]
            header = json_input.loads(lines[0]) if lines else {}
            version = header.get("version") if isinstance(header, dict) else None
            rows = [json_input.loads(line) for line in lines[1:]]
            promises = [row["followup"] for row in rows if _is_promise(row)]
            items = [row for row in rows if not _is_promise(row)]
    except json.JSONDecodeError as error:
        raise NotAnExport(
            f"{source} is not an rbp export (bad JSON at line {error.lineno})."
        ) from None
    except json_input.UnreadableJson as error:
        raise NotAnExport(f"{source} cannot be read: it holds {error.problem}") from None
    if version not in READABLE_VERSIONS:
        raise NotAnExport(f"{source} is not an rbp export of format version {FORMAT_VERSION}.")
    return Export(
        reflections=[_record(item, n, source) for n, item in enumerate(items, start=1)],
        followups=[_promise(item, n, source) for n, item in enumerate(promises, start=1)],
    )


def _is_promise(row: Any) -> bool:
    return isinstance(row, dict) and set(row) == {"followup"}


def _record(item: Any, number: int, source: str) -> ReflectionRecord:
    try:
        record = ReflectionRecord.model_validate(item)
        for index, tag in enumerate(record.tags):
            _checked(check_tag, tag, f"tags.{index}")
        return record
    except (ValidationError, ValueError) as error:
        problem = first_problem(error) if isinstance(error, ValidationError) else str(error)
        raise NotAnExport(f"{source}, reflection {number}: {problem}") from None


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
