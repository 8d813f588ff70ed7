"""The markdown template a whole reflection is written in (`reflect --editor`, `rbp edit`).

    client: C-014
    date: 2026-11-20
    ## 2. How fully did I listen? {#listened}
    4

A header of `key: value` lines, then one `##` section a prompt, named by its id in braces.
HTML comments carry the help text and are ignored when the file is read back. Parsing yields
the same AnswersPayload that `--answers` reads, so both are checked by the same rules.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from rbp_journal import dates
from rbp_journal.errors import BadDate, InvalidAnswers, problems
from rbp_journal.models.prompts import PromptSet
from rbp_journal.models.reflection import AnswersPayload, Reflection, ReflectionHeader

_SECTION = re.compile(r"^##\s.*\{#([a-z][a-z0-9_]*)\}\s*$", re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_PROMISE = re.compile(
    r"^[-*]\s+(?:\[(?P<status>open|done|dropped)\]\s+)?(?P<text>.+?)"
    r"(?:\s+\(due\s+(?P<due>[^)]*)\))?\s*$"
)
HEADER_KEYS = ("set", "client", "date", "setting", "tags")


def render(
    prompt_set: PromptSet, header: ReflectionHeader, filled: Reflection | None = None
) -> str:
    lines = [
        f"# Reflection: {prompt_set.title}",
        "<!-- Write under each question. Comments like this one are ignored. "
        "Leave an optional answer empty to skip it. Save and close the editor to finish. -->",
        "",
        f"set: {prompt_set.id}",
        f"client: {header.client or ''}",
        f"date: {header.session_date.isoformat()}",
        f"setting: {header.setting or ''}",
        f"tags: {', '.join(header.tags)}",
        "",
    ]
    for number, prompt in enumerate(prompt_set.prompts, start=1):
        lines.append(f"## {number}. {prompt.text} {{#{prompt.id}}}")
        hints = [prompt.help] if prompt.help else []
        if prompt.kind == "rating" and prompt.labels:
            hints.append(
                "one number: " + ", ".join(f"{i} {lab}" for i, lab in enumerate(prompt.labels, 1))
            )
        if prompt.kind == "choice" and prompt.choices:
            hints.append("one of: " + ", ".join(prompt.choices))
        if prompt.kind == "followups":
            hints.append("one promise a line: - Send the referral (due friday)")
        hints.append("required" if prompt.required else "optional")
        lines.append(f"<!-- {' · '.join(hints)} -->")
        lines.append("")
        lines.extend(_filled_value(prompt.id, prompt.kind, filled))
        lines.append("")
    return "\n".join(lines)


def _filled_value(prompt_id: str, kind: str, filled: Reflection | None) -> list[str]:
    if filled is None:
        return []
    if kind == "followups":
        return [
            f"- [{f.status}] {f.text}" + (f" (due {f.due.isoformat()})" if f.due else "")
            for f in filled.followups
        ]
    answer = filled.answer(prompt_id)
    if answer is None:
        return []
    return [str(answer.rating) if answer.rating is not None else answer.text or ""]


def parse(text: str, prompt_set: PromptSet) -> AnswersPayload:
    """Read a filled template back; a problem is named by its line or prompt id."""
    body = _COMMENT.sub("", text)
    parts = _SECTION.split(body)
    header = _header(parts[0])
    answers: dict[str, Any] = {}
    followups: list[dict[str, str | None]] = []
    for prompt_id, content in zip(parts[1::2], parts[2::2], strict=True):
        prompt = prompt_set.prompt(prompt_id)
        if prompt is None:
            raise InvalidAnswers(
                f"The section {{#{prompt_id}}} is not a prompt of {prompt_set.id!r}."
            )
        value = content.strip()
        if prompt.kind == "followups":
            followups.extend(_promise(line) for line in value.splitlines() if line.strip())
        elif prompt.kind == "rating" and value:
            if not value.isdigit():
                raise InvalidAnswers(
                    f"{prompt_id}: a rating is one number from 1 to 5, not {value!r}."
                )
            answers[prompt_id] = int(value)
        else:
            answers[prompt_id] = value or None
    data = {**header, "answers": answers, "followups": followups}
    try:
        return AnswersPayload.model_validate(data)
    except ValidationError as error:
        raise InvalidAnswers.of(problems(error)) from None


def _header(text: str) -> dict[str, Any]:
    header: dict[str, Any] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or key not in HEADER_KEYS:
            raise InvalidAnswers(
                f"The header line {line.strip()!r} is not one of {', '.join(HEADER_KEYS)}."
            )
        value = value.strip()
        if key == "tags":
            header["tags"] = [tag.strip() for tag in value.split(",") if tag.strip()]
        elif value:
            header[key] = value
    return header


def _promise(line: str) -> dict[str, str | None]:
    match = _PROMISE.match(line.strip())
    if not match:
        raise InvalidAnswers(
            f"The promise line {line.strip()!r} should read '- what (due friday)'."
        )
    due = match.group("due")
    if due:
        try:
            due = dates.parse_due(due).isoformat()
        except BadDate:
            raise InvalidAnswers(
                f"The due date {due!r} of {match.group('text')!r} cannot be read."
            ) from None
    return {"text": match.group("text"), "due": due, "status": match.group("status") or "open"}
