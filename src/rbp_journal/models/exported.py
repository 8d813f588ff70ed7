"""What an export writes: a reflection as the writers read it, whether a view from the store
(models/views.py) or a pydantic model (a redacted record), and that reflection as the JSON
`rbp export` writes and `rbp import` reads back. No pydantic here either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from rbp_journal.models.views import stamp_text


class AnswerLike(Protocol):
    @property
    def position(self) -> int: ...
    @property
    def prompt_id(self) -> str: ...
    @property
    def theme(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def question(self) -> str: ...
    @property
    def text(self) -> str | None: ...
    @property
    def rating(self) -> int | None: ...
    @property
    def label(self) -> str | None: ...
    @property
    def polarity(self) -> str | None: ...


class PromiseLike(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def due(self) -> dt.date | None: ...
    @property
    def status(self) -> str: ...
    @property
    def created(self) -> dt.datetime: ...
    @property
    def closed(self) -> dt.datetime | None: ...
    @property
    def note(self) -> str | None: ...


class RecordLike(Protocol):
    """A whole reflection as the writers read it: a ReflectionView, or a pydantic
    ReflectionRecord or Reflection (what `export --redact` masks)."""

    @property
    def id(self) -> int | None: ...
    @property
    def uid(self) -> str: ...
    @property
    def session_date(self) -> dt.date: ...
    @property
    def created(self) -> dt.datetime: ...
    @property
    def updated(self) -> dt.datetime: ...
    @property
    def client(self) -> str | None: ...
    @property
    def setting(self) -> str | None: ...
    @property
    def set_id(self) -> str: ...
    @property
    def set_version(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def tags(self) -> Sequence[str]: ...
    @property
    def answers(self) -> Sequence[AnswerLike]: ...
    @property
    def followups(self) -> Sequence[PromiseLike]: ...


RECORD_FOLLOWUP_FIELDS = ("text", "due", "status", "created", "closed", "note")


def record_data(view: RecordLike) -> dict[str, Any]:
    """A reflection as `rbp export --format json` writes it and `rbp import` reads it back
    (the fields of models.reflection.ReflectionRecord, in its order, as pydantic wrote them)."""
    return {
        "id": view.id,
        "uid": view.uid,
        "session_date": view.session_date.isoformat(),
        "created": stamp_text(view.created),
        "updated": stamp_text(view.updated),
        "client": view.client,
        "setting": view.setting,
        "set_id": view.set_id,
        "set_version": view.set_version,
        "status": view.status,
        "tags": list(view.tags),
        "answers": [
            {
                "position": a.position,
                "prompt_id": a.prompt_id,
                "theme": a.theme,
                "kind": a.kind,
                "question": a.question,
                "text": a.text,
                "rating": a.rating,
                "label": a.label,
                "polarity": a.polarity,
            }
            for a in view.answers
        ],
        "followups": [
            {
                "text": f.text,
                "due": None if f.due is None else f.due.isoformat(),
                "status": f.status,
                "created": stamp_text(f.created),
                "closed": None if f.closed is None else stamp_text(f.closed),
                "note": f.note,
            }
            for f in view.followups
        ],
    }
