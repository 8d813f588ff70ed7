"""The privacy guard over whole models: the one place that knows which fields of which model
hold words a person wrote (answers, promises, tags, CPD fields), checks them together so that a
name found in one field is found in every other, and masks them.

`details(payload)` lists what a reflection about to be stored holds; `redact(model)` returns a
copy of a payload, an exported record, a promise or a CPD record with every identifying
detail masked (the review masks what it quotes with `mask` itself: its shapes are plain).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from rbp_journal.models.reflection import (
    AnswersPayload,
    Followup,
    FollowupIn,
    FollowupRecord,
    Reflection,
    ReflectionRecord,
)
from rbp_journal.privacy import Caseload, Finding, find_fields, mask, masked_words

if TYPE_CHECKING:
    from typing_extensions import TypeIs

    from rbp_journal.models.cpd import CpdRecord

Field = tuple[str, str]  # (kind, name): ("answer", "what_happened"), ("promise", "2"), ("tag", …)


@dataclass(frozen=True)
class Detail:
    """An identifying detail found in one field of a reflection."""

    where: str  # a prompt id, "promise N" or "tag '…'"
    finding: Finding


def payload_fields(payload: AnswersPayload) -> dict[Field, str]:
    fields = {("answer", k): v for k, v in payload.answers.items() if isinstance(v, str)}
    fields |= {("promise", str(n)): f.text for n, f in enumerate(payload.followups, start=1)}
    fields |= {("tag", tag): tag for tag in payload.tags}
    return fields


def stored_fields(reflection: Reflection | ReflectionRecord) -> dict[Field, tuple[str, str]]:
    """A stored reflection's fields, each with where it is (as `rbp scan` shows it)."""
    fields = {("answer", a.prompt_id): (a.prompt_id, a.text) for a in reflection.answers if a.text}
    promises: Sequence[Followup | FollowupRecord] = reflection.followups
    for n, f in enumerate(promises, start=1):
        number = f.id if isinstance(f, Followup) else n  # a record's promises have no id
        fields[("promise", str(number))] = (f"promise #{number}", f.text)
        if f.note:  # what was said when it was closed ("rang her mum on …")
            fields[("note", str(number))] = (f"note on promise #{number}", f.note)
    fields |= {("tag", tag): ("tag", tag) for tag in reflection.tags}
    return fields


def where(key: Field) -> str:
    kind, name = key
    names = {"answer": name, "promise": f"promise {name}", "note": f"note on promise {name}"}
    return names.get(kind, f"tag {name!r}")


def details(
    payload: AnswersPayload, allow: Iterable[str] = (), caseload: Caseload | None = None
) -> list[Detail]:
    """Identifying details in the answers, promises and tags of a payload, found together."""
    found = find_fields(payload_fields(payload), allow, caseload)
    return [Detail(where(key), f) for key, findings in found.items() for f in findings]


def masked_fields(
    texts: dict[Field, str], allow: Iterable[str], caseload: Caseload | None
) -> dict[Field, str]:
    """Each field with what was found in any field masked (every mention of a name)."""
    found = find_fields(texts, allow, caseload)
    return {key: mask(text, found[key]) for key, text in texts.items()}


Redactable = TypeVar(
    "Redactable", AnswersPayload, ReflectionRecord, Followup, FollowupIn, "CpdRecord"
)


def redact(
    model: Redactable, allow: Iterable[str] = (), caseload: Caseload | None = None
) -> Redactable:
    """A copy of `model` with every identifying detail in the text a person wrote masked."""
    allowed = tuple(allow)
    if isinstance(model, AnswersPayload):
        m = masked_fields(payload_fields(model), allowed, caseload)
        answers = {
            k: m[("answer", k)] if isinstance(v, str) else v for k, v in model.answers.items()
        }
        followups = [
            f.model_copy(update={"text": m[("promise", str(n))]})
            for n, f in enumerate(model.followups, start=1)
        ]
        tags = [m[("tag", tag)] for tag in model.tags]
        return model.model_copy(update={"answers": answers, "followups": followups, "tags": tags})
    if isinstance(model, ReflectionRecord):
        texts = {key: text for key, (_, text) in stored_fields(model).items()}
        m = masked_fields(texts, allowed, caseload)
        return model.model_copy(
            update={
                "answers": [
                    a.model_copy(update={"text": m[("answer", a.prompt_id)]}) if a.text else a
                    for a in model.answers
                ],
                "followups": [
                    f.model_copy(
                        update={"text": m[("promise", str(n))], "note": m.get(("note", str(n)))}
                    )
                    for n, f in enumerate(model.followups, start=1)
                ],
                "tags": [m[("tag", tag)] for tag in model.tags],
            }
        )
    if _is_cpd(model):
        return _redact_cpd(model, allowed, caseload)
    return model.model_copy(update=masked_words(model, allowed, caseload))


def _is_cpd(model: object) -> TypeIs[CpdRecord]:
    # A CPD record can only exist once models.cpd is loaded (with the review's models and the
    # frameworks behind it): the guard looks for the class there rather than load it itself.
    cpd = sys.modules.get("rbp_journal.models.cpd")
    return cpd is not None and isinstance(model, cpd.CpdRecord)


def _redact_cpd(record: CpdRecord, allow: tuple[str, ...], caseload: Caseload | None) -> CpdRecord:
    names = ("title", "relevance", "learnt", "impact_practice", "impact_people")
    texts: dict[Field, str] = {("cpd", n): getattr(record, n) for n in names}
    if record.peer:
        texts[("cpd", "outcome")] = record.peer.outcome
    m = masked_fields(texts, allow, caseload)
    update: dict[str, object] = {n: m[("cpd", n)] for n in names}
    if record.peer:
        update["peer"] = record.peer.model_copy(update={"outcome": m[("cpd", "outcome")]})
    return record.model_copy(update=update)
