"""The markdown template a whole reflection is written in (`reflect --editor`, `rbp edit`).

    client: C-014
    date: 2026-11-20
    ## 2. How fully did I listen? {#listened}
    4

A header of `key: value` lines, then one `##` section a prompt, named by its id in braces.
HTML comments carry the help text and are ignored when the file is read back. Reading yields
the same AnswersPayload that `--answers` reads, checked by the same rules (journal.answers), and
every problem found is tied to the line it is about, so that `annotate` can write it into the
text as a comment beside that line (`<!-- rbp: … -->`) for the editor to reopen on; marks from
an earlier round are taken out before the text is read again. Dates may be written as people
say them (`friday`, `27/11`); `Filled.dates` says how each was read, for the person to see.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from rbp_journal import dates
from rbp_journal.errors import BadDate, InvalidAnswers, problems
from rbp_journal.journal.answers import answers_for
from rbp_journal.models.base import SETTINGS
from rbp_journal.models.prompts import PromptSet
from rbp_journal.models.reflection import AnswersPayload, Reflection, ReflectionHeader
from rbp_journal.text import check_client_code

_SECTION = re.compile(r"^##\s.*\{#([a-z][a-z0-9_]*)\}\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MARK = re.compile(r"^<!-- rbp: .*? -->\n?", re.MULTILINE)
_PROMISE = re.compile(
    r"^[-*]\s+(?:\[(?P<status>open|done|dropped)\]\s+)?(?P<text>.+?)"
    r"(?:\s+\(due\s+(?P<due>[^)]*)\))?\s*$"
)
HEADER_KEYS = ("set", "client", "date", "setting", "tags")


def render(
    prompt_set: PromptSet, header: ReflectionHeader, filled: Reflection | None = None
) -> str:
    """The template for a new reflection, or filled with a stored one (`rbp edit`)."""
    values: dict[str, str | int | None] = {}
    promises: list[str] = []
    if filled is not None:
        values = {a.prompt_id: a.rating if a.rating is not None else a.text for a in filled.answers}
        promises = [
            f"- [{f.status}] {f.text}" + (f" (due {f.due.isoformat()})" if f.due else "")
            for f in filled.followups
        ]
    return _render(prompt_set, header, values, promises)


def render_payload(prompt_set: PromptSet, header: ReflectionHeader, payload: AnswersPayload) -> str:
    """The template filled with a payload's answers (a refused `--answers` file, reopened)."""
    promises = [
        f"- {f.text}" + (f" (due {f.due.isoformat()})" if f.due else "") for f in payload.followups
    ]
    return _render(prompt_set, header, dict(payload.answers), promises)


def _render(
    prompt_set: PromptSet,
    header: ReflectionHeader,
    values: dict[str, str | int | None],
    promises: list[str],
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
        if prompt.kind == "followups":
            lines.extend(promises)
        elif values.get(prompt.id) is not None:
            lines.append(str(values[prompt.id]))
        lines.append("")
    return "\n".join(lines)


# --- reading it back ----------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """A problem and the line (0-based, in the text without earlier marks) it is about."""

    line: int
    problem: str


class Unreadable(InvalidAnswers):
    """An edited template that cannot be stored as it is, with each problem's line."""

    def __init__(self, marks: list[Mark]) -> None:
        super().__init__(
            InvalidAnswers.of([m.problem for m in marks]).problem, [m.problem for m in marks]
        )
        self.marks = marks


@dataclass
class Filled:
    """What an edited template holds, and how each date in it was read (for saying back)."""

    payload: AnswersPayload
    dates: list[tuple[str, dates.Reading, bool]] = field(default_factory=list)


def parse(text: str, prompt_set: PromptSet, today: dt.date | None = None) -> AnswersPayload:
    """Read a filled template back, or Unreadable naming every problem by its line."""
    return read(text, prompt_set, today).payload


def read(text: str, prompt_set: PromptSet, today: dt.date | None = None) -> Filled:
    reader = _Reader(strip_marks(text), prompt_set, today or dt.date.today())
    return reader.filled()


def strip_marks(text: str) -> str:
    """The text without the problem comments an earlier reading wrote into it."""
    return _MARK.sub("", text)


def annotate(text: str, marks: list[Mark]) -> str:
    """The text (its earlier marks taken out) with each problem written in as a comment on
    the line after the one it is about."""
    lines = strip_marks(text).split("\n")
    by_line: dict[int, list[str]] = {}
    for mark in marks:
        by_line.setdefault(min(mark.line, len(lines) - 1), []).append(mark.problem)
    out = []
    for number, line in enumerate(lines):
        out.append(line)
        out += [f"<!-- rbp: {_one_line(p)} -->" for p in by_line.get(number, [])]
    return "\n".join(out)


def _one_line(problem: str) -> str:
    return " ".join(problem.replace("--", "- -").split())


class _Reader:
    def __init__(self, text: str, prompt_set: PromptSet, today: dt.date) -> None:
        self.prompt_set = prompt_set
        self.today = today
        # comments blanked out but their line ends kept, so line numbers stay true
        body = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
        self.lines = body.split("\n")
        self.marks: list[Mark] = []
        self.dates: list[tuple[str, dates.Reading, bool]] = []
        self.headings: dict[str, int] = {}
        self.marked: set[str] = set()  # prompts whose section already has a problem

    def filled(self) -> Filled:
        starts = [n for n, line in enumerate(self.lines) if _SECTION.match(line)]
        header = self._header(self.lines[: starts[0] if starts else len(self.lines)])
        answers: dict[str, Any] = {}
        followups: list[dict[str, Any]] = []
        for start, end in zip(starts, [*starts[1:], len(self.lines)], strict=True):
            self._section(start, end, answers, followups)
        self._check_answers(answers)
        data = {**header, "answers": answers, "followups": followups}
        if not self.marks:
            try:
                return Filled(AnswersPayload.model_validate(data), self.dates)
            except ValidationError as error:
                self.marks += [Mark(0, problem) for problem in problems(error)]
        raise Unreadable(self.marks)

    def _header(self, lines: list[str]) -> dict[str, Any]:
        header: dict[str, Any] = {}
        for number, line in enumerate(lines):
            if not line.strip() or line.startswith("#"):
                continue
            key, sep, value = line.partition(":")
            key, value = key.strip().lower(), value.strip()
            if not sep or key not in HEADER_KEYS:
                self._mark(number, f"{line.strip()!r} is not a header line: use one of "
                           f"{', '.join(HEADER_KEYS)}")  # fmt: skip
            elif key == "tags":
                header["tags"] = [tag.strip() for tag in value.split(",") if tag.strip()]
            elif value:
                header[key] = self._header_value(number, key, value)
        return {key: value for key, value in header.items() if value is not None}

    def _header_value(self, number: int, key: str, value: str) -> Any:
        if key == "set" and value != self.prompt_set.id:
            self._mark(number, f"this text is for the set {self.prompt_set.id!r}; put it back")
        elif key == "client":
            try:
                return check_client_code(value)
            except ValueError as error:
                self._mark(number, f"client: {error}")
        elif key == "setting" and value not in SETTINGS:
            self._mark(number, f"setting: one of {', '.join(SETTINGS)}")
        elif key == "date":
            return self._date(number, value, ahead=False, what="the session date")
        else:
            return value
        return None

    def _date(self, number: int, value: str, ahead: bool, what: str) -> str | None:
        try:
            reading = dates.read(value, self.today, ahead)
        except BadDate as error:
            self._mark(number, f"{what}: {error}")
            return None
        self.dates.append((value, reading, ahead))
        return reading.day.isoformat()

    def _section(
        self, start: int, end: int, answers: dict[str, Any], followups: list[dict[str, Any]]
    ) -> None:
        match = _SECTION.match(self.lines[start])
        assert match is not None
        prompt_id = match.group(1)
        prompt = self.prompt_set.prompt(prompt_id)
        if prompt is None:
            self._mark(start, f"{{#{prompt_id}}} is not a question of {self.prompt_set.id!r}")
            return
        self.headings[prompt_id] = start
        body = self.lines[start + 1 : end]
        value = "\n".join(body).strip()
        if prompt.kind == "followups":
            for offset, line in enumerate(body, start=start + 1):
                if line.strip():
                    followups += [f for f in [self._promise(offset, line)] if f]
        elif prompt.kind == "rating" and value:
            first = start + 1 + next(i for i, line in enumerate(body) if line.strip())
            if value.isdigit():
                answers[prompt_id] = int(value)
            else:
                self._mark(first, f"{prompt_id}: a rating is one number from 1 to 5, not {value!r}")
                self.marked.add(prompt_id)
        else:
            answers[prompt_id] = value or None

    def _promise(self, number: int, line: str) -> dict[str, Any] | None:
        match = _PROMISE.match(line.strip())
        if not match:
            self._mark(number, "a promise line reads '- what (due friday)'")
            return None
        due = match.group("due")
        if due:
            due = self._date(number, due, ahead=True, what=f"the due date of {match['text']!r}")
            if due is None:
                return None
        return {"text": match["text"], "due": due, "status": match["status"] or "open"}

    def _check_answers(self, answers: dict[str, Any]) -> None:
        try:
            answers_for(self.prompt_set, answers)
        except InvalidAnswers as error:
            for problem in error.problems:
                prompt_id = problem.split(":")[0].removeprefix("answers.")
                if prompt_id in self.marked:
                    continue
                where = self.headings.get(prompt_id, 0)
                self._mark(where, problem.removeprefix("answers."))

    def _mark(self, line: int, problem: str) -> None:
        self.marks.append(Mark(line, problem))
