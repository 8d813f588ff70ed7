"""What `rbp doctor` reports."""

from __future__ import annotations

from pydantic import Field

from rbp_journal.models.base import _Model


class Health(_Model):
    """What `rbp doctor` reports."""

    path: str
    mode: str
    size: int
    schema_steps: list[str]
    integrity: list[str]
    counts: dict[str, int]
    backups: list[str] = Field(default_factory=list)
    encryption: str | None = None
    # words kept in unsaved/ and editor texts left by a crash: `rbp reflect --resume` reopens
    leftovers: list[str] = Field(default_factory=list)
    # beside an encrypted journal: rbp files that still hold words in plain text
    plain_files: list[str] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"]
