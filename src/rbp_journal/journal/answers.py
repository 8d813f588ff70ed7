"""Answers checked against their prompt set: what `--answers`, the editor template and each
typed answer must satisfy before anything is stored, and the header a new reflection gets.

Pure: values in, models out, or an InvalidAnswers/UsageError naming every problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from rbp_journal.errors import InvalidAnswers, UsageError
from rbp_journal.models.base import SETTINGS
from rbp_journal.models.prompts import Prompt, PromptSet
from rbp_journal.models.reflection import (
    Answer,
    AnswersPayload,
    Reflection,
    ReflectionHeader,
)
from rbp_journal.text import check_client_code

AnswerValue = str | int | None


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
    if problems:
        raise InvalidAnswers.of(problems)
    return answers


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


def header_fields(given: Options) -> dict[str, object]:
    return {
        "set": given.set_id,
        "client": check_client(given.client),
        "setting": check_setting(given.setting),
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
