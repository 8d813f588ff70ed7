"""Answers checked against their prompt set: what `--answers`, the editor template, an import
and each typed answer must satisfy before anything is stored, and the header a new reflection
gets.

Every path a person's words come by passes through here, so here is where the one rule for
control characters (text.clean) is applied: to each answer as it is made (`make_answer`) and to
whole payloads, records and promises (`scrub`), which also say what was left out.

Pure: values in, models out, or an InvalidAnswers/UsageError naming every problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from rbp_journal.errors import InvalidAnswers, UsageError, problems
from rbp_journal.models.base import SETTINGS
from rbp_journal.models.prompts import Prompt, PromptSet
from rbp_journal.models.reflection import (
    Answer,
    AnswersPayload,
    FollowupIn,
    Reflection,
    ReflectionHeader,
)
from rbp_journal.prompt_library import Library
from rbp_journal.text import check_client_code, clean, dropped_note

AnswerValue = str | int | None
Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Options:
    """What the person gave on the command line for a new reflection."""

    set_id: str | None = None
    client: str | None = None
    setting: str | None = None
    session_date: dt.date | None = None
    tags: list[str] = field(default_factory=list)


def answers_for(prompt_set: PromptSet, given: Mapping[str, AnswerValue]) -> list[Answer]:
    """Check a whole answers mapping against its set; every problem is named by its key."""
    answers, found = _checked(prompt_set, given)
    if found:
        raise InvalidAnswers.of(found)
    return answers


def _checked(prompt_set: PromptSet, given: Mapping[str, Any]) -> tuple[list[Answer], list[str]]:
    problems = []
    for key in given:
        prompt = prompt_set.prompt(key)
        if prompt is None:
            problems.append(f"answers.{key}: the set {prompt_set.id!r} has no prompt with this id")
        elif prompt.kind == "followups":
            problems.append(
                f'answers.{key}: promises go in the top-level "followups" list, '
                'as {"text": ..., "due": "YYYY-MM-DD"}'
            )
    answers = []
    for prompt in prompt_set.prompts:
        if prompt.kind == "followups":
            continue
        try:
            answer = make_answer(prompt_set, prompt, given.get(prompt.id))
        except InvalidAnswers as error:
            problems.append(error.problem)
            continue
        if answer is None and prompt.required:
            problems.append(f"answers.{prompt.id}: this answer is required")
        if answer is not None:
            answers.append(answer)
    return answers, problems


def payload_from(data: Any, given: Options, library: Library, where: str = "") -> AnswersPayload:
    """A whole `--answers` payload, with the command line's options over it, checked at once:
    its shape and every answer against its set, every problem named by its key."""
    if isinstance(data, dict):
        data = {**data, **{k: v for k, v in header_fields(given, check=False).items() if v}}
    found: list[str] = []
    payload = None
    try:
        payload = AnswersPayload.model_validate(data)
    except ValidationError as error:
        found = problems(error)
    set_id = data.get("set", "core") if isinstance(data, dict) else None
    answers = data.get("answers") if isinstance(data, dict) else None
    prompt_set = library.find(set_id) if isinstance(set_id, str) else None
    if prompt_set is not None and isinstance(answers, dict):
        checked = _checked(prompt_set, answers)[1]
        keys = {problem.split(":")[0] for problem in checked}
        # the set's own words for an answer beat pydantic's two about the same key
        found = [p for p in found if not _about(p, keys)] + checked
    elif isinstance(set_id, str) and payload is not None:
        library.get(set_id)  # an unknown set: PromptSetNotFound names the known ones
    if found or payload is None:
        raise InvalidAnswers.of(found, where=where)
    return payload


def _about(problem: str, keys: set[str]) -> bool:
    head = problem.split(":")[0]
    return any(head == key or head.startswith(key + ".") for key in keys)


def scrub(model: Model, where: str = "") -> tuple[Model, list[str]]:
    """`model` with control characters left out of every text in it, and a note for each text
    that had some (`answers.what_happened: 2 control characters … left out`)."""
    notes: list[str] = []
    changed = False  # a CR made a newline changes a text without a note

    def walk(value: Any, path: str) -> Any:
        nonlocal changed
        if isinstance(value, str):
            cleaned = clean(value)
            if cleaned.dropped:
                notes.append(dropped_note(path or where, cleaned.dropped))
            changed = changed or cleaned.text != value
            return cleaned.text
        if isinstance(value, dict):
            return {key: walk(item, f"{path}.{key}".lstrip(".")) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item, f"{path}.{index}".lstrip(".")) for index, item in enumerate(value)]
        return value

    data = walk(model.model_dump(), where)
    if not changed:
        return model, []
    try:
        return type(model).model_validate(data), notes
    except ValidationError as error:  # nothing left but control characters, where text is due
        raise InvalidAnswers.of([*notes, *problems(error)]) from None


def offered_promise(prompt: Prompt, value: AnswerValue, today: dt.date) -> FollowupIn | None:
    """The promise an answer offers to make (a choice with `promises` in its set), due today."""
    if prompt.promises and isinstance(value, str) and value in prompt.promises:
        return FollowupIn(text=prompt.promises[value], due=today)
    return None


def make_answer(prompt_set: PromptSet, prompt: Prompt, value: AnswerValue) -> Answer | None:
    """Turn one given value into an Answer, None for a skipped one, or name what is wrong."""
    position = prompt_set.prompts.index(prompt) + 1
    base = {
        "position": position,
        "prompt_id": prompt.id,
        "theme": prompt.theme,
        "kind": prompt.kind,
        "question": prompt.text,
    }
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if prompt.kind == "rating":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise InvalidAnswers(
                f"answers.{prompt.id}: a rating is a whole number from 1 to 5, not {value!r}"
            )
        return Answer(**base, rating=value, label=prompt.label(value), polarity=prompt.polarity)
    if not isinstance(value, str):
        raise InvalidAnswers(f"answers.{prompt.id}: expected text, not {value!r}")
    value = clean(value).text
    if not value.strip():
        return None
    if prompt.kind == "choice" and prompt.choices and value not in prompt.choices:
        raise InvalidAnswers(
            f"answers.{prompt.id}: choose one of {', '.join(prompt.choices)}, not {value!r}"
        )
    return Answer(**base, text=value)


def missing_required(prompt_set: PromptSet, reflection: Reflection) -> str | None:
    answered = {answer.prompt_id for answer in reflection.answers}
    for prompt in prompt_set.prompts:
        if prompt.required and prompt.kind != "followups" and prompt.id not in answered:
            return prompt.id
    return None


def overlay(payload: AnswersPayload, given: Options) -> AnswersPayload:
    """Command-line options win over the file's own values where both are given."""
    changes = {key: value for key, value in header_fields(given).items() if value}
    return payload.model_copy(update=changes)


def header_fields(given: Options, check: bool = True) -> dict[str, object]:
    return {
        "set": given.set_id,
        "client": check_client(given.client) if check else given.client,
        "setting": check_setting(given.setting) if check else given.setting,
        "date": given.session_date,
        "tags": given.tags,
    }


def header_for(
    prompt_set: PromptSet, given: Options, today: dt.date | None = None
) -> ReflectionHeader:
    return ReflectionHeader(
        set_id=prompt_set.id,
        set_version=prompt_set.version,
        session_date=given.session_date or today or dt.date.today(),
        client=check_client(given.client),
        setting=check_setting(given.setting),
        tags=given.tags,
    )


def check_client(code: str | None) -> str | None:
    try:
        return check_client_code(code.strip() if code else None)
    except ValueError as error:
        raise UsageError(f"The client code {code!r}: {error}.") from None


def check_setting(setting: str | None) -> str | None:
    if setting is not None and setting not in SETTINGS:
        raise UsageError(f"The setting {setting!r} is not one of {', '.join(SETTINGS)}.")
    return setting


def next_prompt(prompt_set: PromptSet, draft: Reflection) -> int:
    """Index of the prompt after the last one answered in a draft."""
    answered = [a.position for a in draft.answers]
    promised = [
        position
        for position, prompt in enumerate(prompt_set.prompts, start=1)
        if prompt.kind == "followups" and draft.followups
    ]
    return max([0, *answered, *promised])


def as_asked(answer: Answer, current: Reflection) -> Answer:
    """Keep the question as it was first asked, even if the set has been reworded since."""
    old = current.answer(answer.prompt_id)
    return answer.model_copy(update={"question": old.question}) if old else answer
