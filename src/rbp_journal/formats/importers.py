"""Reading back what `rbp export --format json|jsonl` wrote, and jrnl's JSON export: every
record validated before anything is written."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from pydantic import ValidationError

from rbp_journal import json_input
from rbp_journal.errors import NotAnExport, first_problem
from rbp_journal.formats.export import FORMAT_VERSION
from rbp_journal.models.prompts import PromptSet
from rbp_journal.models.reflection import Answer, ReflectionRecord


def read_export(raw: str, source: str) -> list[ReflectionRecord]:
    """Records from what `rbp export --format json|jsonl` wrote; the first problem is named."""
    text = raw.lstrip()
    try:
        if text.startswith("{") and '"reflections"' in text[:200]:
            document = json_input.loads(text)
            items = document.get("reflections") if isinstance(document, dict) else None
            if not isinstance(items, list):
                raise NotAnExport(f"{source} has no list of reflections.")
            version = document.get("version")
        else:
            lines = [line for line in text.splitlines() if line.strip()]
            header = json_input.loads(lines[0]) if lines else {}
            version = header.get("version") if isinstance(header, dict) else None
            items = [json_input.loads(line) for line in lines[1:]]
    except json.JSONDecodeError as error:
        raise NotAnExport(
            f"{source} is not an rbp export (bad JSON at line {error.lineno})."
        ) from None
    except json_input.UnreadableJson as error:
        raise NotAnExport(f"{source} cannot be read: it holds {error.problem}") from None
    if version != FORMAT_VERSION:
        raise NotAnExport(f"{source} is not an rbp export of format version {FORMAT_VERSION}.")
    return [_record(item, number, source) for number, item in enumerate(items, start=1)]


def _record(item: Any, number: int, source: str) -> ReflectionRecord:
    try:
        return ReflectionRecord.model_validate(item)
    except ValidationError as error:
        raise NotAnExport(f"{source}, reflection {number}: {first_problem(error)}") from None


def read_jrnl(raw: str, source: str, prompt_set: PromptSet) -> list[ReflectionRecord]:
    """Entries of `jrnl --export json` as free-text reflections of the `journal` set."""
    try:
        document = json_input.loads(raw)
        entries = document["entries"]
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise TypeError("its entries are not a list of objects")
        return [_jrnl_entry(entry, prompt_set) for entry in entries]
    except json_input.UnreadableJson as error:
        raise NotAnExport(f"{source} cannot be read: it holds {error.problem}") from None
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
