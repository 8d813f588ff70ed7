"""The base every rbp model shares, and the constrained strings they check (the small
vocabularies, themes, settings and kinds, are in vocabulary.py, which needs no pydantic)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from rbp_journal.models.vocabulary import (
    SETTINGS,
    THEMES,
    FollowupStatus,
    Kind,
    Polarity,
    Setting,
    Status,
    Theme,
)
from rbp_journal.text import check_tag

# the vocabulary is re-exported: models import it from here with the constrained strings
__all__ = [
    "SETTINGS",
    "THEMES",
    "ClientCode",
    "FollowupStatus",
    "Kind",
    "Polarity",
    "PromptId",
    "SetId",
    "Setting",
    "Status",
    "Tag",
    "Theme",
]

SetId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)]
PromptId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
# one person whatever the case it was typed in: stored upper-case (see m004_client_codes)
ClientCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=40)
]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
# a tag as it is given: one line of printable text (stored tags are read as they are)
NewTag = Annotated[Tag, AfterValidator(check_tag)]


def empty_list() -> list[Any]:
    """A new empty list, as a field's `default_factory`: pydantic reads a factory's signature,
    and reading a builtin's (`list`, `dict`) loads tokenize's patterns (~9 ms a process)."""
    return []


def empty_dict() -> dict[str, Any]:
    """A new empty dict, as a field's `default_factory` (see empty_list)."""
    return {}


class _Model(BaseModel):
    # a model's validator is built on first use, not at import: `rbp list` uses few of them
    model_config = ConfigDict(defer_build=True)


class _Strict(_Model):
    model_config = ConfigDict(extra="forbid", frozen=True)
