"""JSON a script hands rbp instead of answering questions: a reflection (`reflect --answers`),
a CPD record or a peer reflection (`cpd add|peer --answers`). Every problem is named by its
key in one sentence; nothing is stored from a payload that does not read."""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from rbp_journal import json_input
from rbp_journal.errors import InvalidAnswers, problems
from rbp_journal.models.reflection import AnswersPayload

Model = TypeVar("Model", bound=BaseModel)


def read_payload(raw: str, source: str) -> AnswersPayload:
    """Parse and check the JSON of `--answers`; every problem is named by its key."""
    return read_model(AnswersPayload, raw, f"The answers in {_where(source)}")


def read_model(model: type[Model], raw: str, source: str) -> Model:
    """A model from JSON text, validated in full; `source` opens the sentence."""
    try:
        data = json_input.loads(raw)
    except json.JSONDecodeError as error:
        raise InvalidAnswers(
            f"{source} are not valid JSON (line {error.lineno}, column {error.colno})."
        ) from None
    except json_input.UnreadableJson as error:
        raise InvalidAnswers(f"{source} cannot be read: it holds {error.problem}.") from None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidAnswers.of(problems(error), where=source) from None


def _where(source: str) -> str:
    return "stdin" if source == "-" else source
