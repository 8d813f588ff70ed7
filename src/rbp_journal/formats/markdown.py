"""Markdown for people: a reflection or record as a section, YAML front matter for one file a
reflection, and the one escaping every markdown writer uses so a person's words never become
structure."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a view or a model: anything with a reflection's fields
    from rbp_journal.models.views import RecordLike

_MARKDOWN_SIGNS = re.compile(r"([\\`*_\[\]<>|#])")
_BLOCK_START = re.compile(r"^(#|>|[-*+]\s|\d+[.)]\s|=+\s*$|-+\s*$|```|~~~)")
_CAN_START = frozenset("#>-*+=`~")  # what _BLOCK_START can begin with, besides a digit


def escape(text: str) -> str:
    """Keep a person's words from being read as markdown structure."""
    return _MARKDOWN_SIGNS.sub(r"\\\1", text) if _MARKDOWN_SIGNS.search(text) else text


@lru_cache(maxsize=512)
def _heading(question: str) -> str:
    # questions come from the prompt sets, a few dozen of them: an export of a million answers
    # escapes each once, not a million times
    return f"### {escape(question)}"


@lru_cache(maxsize=512)
def _rating(rating: int, label: str | None) -> str:
    return f"{rating}/5 — {label}" if label else f"{rating}/5"


def reflection_markdown(reflection: RecordLike) -> str:
    return record_markdown(reflection)


def record_markdown(record: RecordLike) -> str:
    bits = (str(record.session_date), record.setting, record.client, record.set_id)
    lines = [f"## Reflection {record.id}: {' · '.join(b for b in bits if b)}", ""]
    if record.tags:
        lines += [f"Tags: {', '.join(escape(t) for t in record.tags)}", ""]
    for answer in record.answers:  # one string an answer: an export writes a million
        if answer.rating is not None:
            lines.append(f"{_heading(answer.question)}\n\n{_rating(answer.rating, answer.label)}\n")
        else:
            lines.append(f"{_heading(answer.question)}\n\n{_block(answer.text or '')}\n")
    if record.followups:
        lines += ["### Promises", ""]
        for followup in record.followups:
            due = f" (due {followup.due})" if followup.due else ""
            mark = "x" if followup.status == "done" else " "
            dropped = " — dropped" if followup.status == "dropped" else ""
            lines.append(f"- [{mark}] {escape(followup.text)}{due}{dropped}")
        lines.append("")
    return "\n".join(lines)


def _block(text: str) -> str:
    """A person's paragraph as markdown, unable to start a heading, rule or list of its own."""
    lines = text.splitlines()
    first = lines[0].lstrip()[:1] if len(lines) == 1 else ""
    if first and first not in _CAN_START and not first.isdecimal():
        return lines[0]  # one line that cannot start a block: most answers
    out = []
    for line in lines:
        stripped = line.lstrip()
        if _BLOCK_START.match(stripped):
            line = line[: len(line) - len(stripped)] + "\\" + stripped
        out.append(line)
    return "\n".join(out)


def front_matter(record: RecordLike) -> str:
    fields = {
        "id": record.id, "uid": record.uid, "date": str(record.session_date),
        "client": record.client, "setting": record.setting, "set": record.set_id,
        "tags": record.tags,
    }  # fmt: skip
    # JSON scalars and lists are valid YAML, and quote whatever a person typed
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def split_name(record: RecordLike) -> str:
    return f"{record.session_date}-{record.id:06d}.md"
