"""The user's settings file (`config.toml`), as validated when there is one."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from rbp_journal.models.base import _Model


class Privacy(_Model):
    model_config = ConfigDict(extra="forbid")

    allow: list[str] = Field(default_factory=list)


class Config(_Model):
    model_config = ConfigDict(extra="forbid")

    privacy: Privacy = Field(default_factory=Privacy)
