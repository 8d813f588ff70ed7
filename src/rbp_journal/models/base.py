"""The base every rbp model shares, and the small vocabularies (themes, settings, kinds)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from rbp_journal.text import check_tag

THEMES = (
    "listening",
    "empathy",
    "trust",
    "power",
    "voice",
    "culture",
    "assumptions",
    "honesty",
    "reliability",
    "emotional-load",
    "learning",
)
SETTINGS = ("home-visit", "office", "phone", "video", "crisis", "meeting", "court", "other")

Theme = Literal[
    "listening",
    "empathy",
    "trust",
    "power",
    "voice",
    "culture",
    "assumptions",
    "honesty",
    "reliability",
    "emotional-load",
    "learning",
]
Setting = Literal["home-visit", "office", "phone", "video", "crisis", "meeting", "court", "other"]
Kind = Literal["text", "rating", "choice", "followups"]
Polarity = Literal["better", "heavier"]
Status = Literal["draft", "done"]
FollowupStatus = Literal["open", "done", "dropped"]

SetId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)]
PromptId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
# one person whatever the case it was typed in: stored upper-case (see m004_client_codes)
ClientCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=40)
]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
# a tag as it is given: one line of printable text (stored tags are read as they are)
NewTag = Annotated[Tag, AfterValidator(check_tag)]


class _Model(BaseModel):
    # a model's validator is built on first use, not at import: `rbp list` uses few of them
    model_config = ConfigDict(defer_build=True)


class _Strict(_Model):
    model_config = ConfigDict(extra="forbid", frozen=True)
