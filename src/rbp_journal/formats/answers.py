"""JSON a script hands rbp instead of answering questions: a reflection (`reflect --answers`),
a CPD record or a peer reflection (`cpd add|peer --answers`). Every problem is named by its
key in one sentence; nothing is stored from a payload that does not read."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from rbp_journal import json_input
from rbp_journal.errors import InvalidAnswers, problems
from rbp_journal.models.base import SETTINGS
from rbp_journal.models.prompts import PromptSet
from rbp_journal.models.reflection import AnswersPayload

Model = TypeVar("Model", bound=BaseModel)


def read_payload(raw: str, source: str) -> AnswersPayload:
    """Parse and check the JSON of `--answers` on its own (without its prompt set)."""
    return read_model(AnswersPayload, raw, f"The answers in {where(source)}")


def read_json(raw: str, source: str) -> Any:
    """The JSON of `--answers`, to be checked whole with its prompt set (journal.answers)."""
    return _json(raw, f"The answers in {where(source)}")


def _json(raw: str, source: str) -> Any:
    try:
        return json_input.loads(raw)
    except json.JSONDecodeError as error:
        raise InvalidAnswers(
            f"{source} are not valid JSON (line {error.lineno}, column {error.colno})."
        ) from None
    except json_input.UnreadableJson as error:
        raise InvalidAnswers(f"{source} cannot be read: it holds {error.problem}.") from None


def read_model(model: type[Model], raw: str, source: str) -> Model:
    """A model from JSON text, validated in full; `source` opens the sentence."""
    data = _json(raw, source)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidAnswers.of(problems(error), where=source) from None


def starting_payload(prompt_set: PromptSet) -> dict[str, Any]:
    """A payload to fill in for `reflect --answers`: every question id with null, and a
    `guide` (ignored when read) saying each one's kind, range and whether it is needed. As it
    stands it reads, and `reflect --answers` names every answer still needed, all at once."""
    answers: dict[str, None] = {}
    guide: dict[str, str] = {}
    for prompt in prompt_set.prompts:
        need = "required" if prompt.required else "optional"
        if prompt.kind == "followups":
            guide["followups"] = (
                f'promises, {need}: a list of {{"text": "…", "due": "YYYY-MM-DD"}} — {prompt.text}'
            )
            continue
        answers[prompt.id] = None
        if prompt.kind == "rating" and prompt.labels:
            scale = ", ".join(f"{n} {label}" for n, label in enumerate(prompt.labels, 1))
            kind = f"rating 1-5 ({scale}; higher = {prompt.polarity})"
        elif prompt.kind == "choice" and prompt.choices:
            kind = "choice, one of: " + " | ".join(prompt.choices)
        else:
            kind = "text"
        guide[prompt.id] = f"{kind}, {need} — {prompt.text}"
    guide["setting"] = "one of: " + " | ".join(SETTINGS) + ", or null"
    guide["date"] = "the session date, YYYY-MM-DD, or null for today"
    return {
        "set": prompt_set.id,
        "client": None,
        "date": None,
        "setting": None,
        "tags": [],
        "answers": answers,
        "followups": [],
        "guide": guide,
    }


def where(source: str) -> str:
    return "stdin" if source == "-" else source
