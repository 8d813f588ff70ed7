"""A prompt set and its prompts, as validated from a TOML file."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from rbp_journal.models.base import Kind, Polarity, PromptId, SetId, Theme, _Strict


class Prompt(_Strict):
    id: PromptId
    text: str = Field(min_length=1)
    help: str | None = None
    theme: Theme
    kind: Kind = "text"
    required: bool = False
    polarity: Polarity | None = None
    labels: tuple[str, ...] | None = None
    choices: tuple[str, ...] | None = None
    # a choice that offers to become a promise due today: {"yes, a colleague": "Talk to …"}
    promises: dict[str, str] | None = None

    @field_validator("labels")
    @classmethod
    def _five_labels(cls, labels: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if labels is not None and len(labels) != 5:
            raise ValueError(
                f"a rating needs five labels, one for each of 1 to 5 (got {len(labels)})"
            )
        return labels

    @model_validator(mode="after")
    def _fits_kind(self) -> Prompt:
        if self.kind == "rating" and (self.labels is None or self.polarity is None):
            raise ValueError("a rating prompt needs `labels` (five of them) and `polarity`")
        if self.kind != "rating" and (self.labels is not None or self.polarity is not None):
            raise ValueError("only rating prompts take `labels` and `polarity`")
        if self.kind == "choice" and (not self.choices or len(set(self.choices)) < 2):
            raise ValueError("a choice prompt needs at least two different `choices`")
        if self.kind != "choice" and self.choices is not None:
            raise ValueError("only choice prompts take `choices`")
        unknown = set(self.promises or {}) - set(self.choices or ())
        if unknown:
            raise ValueError(f"`promises` names {sorted(unknown)[0]!r}, which is not a choice")
        return self

    def label(self, rating: int) -> str:
        return self.labels[rating - 1] if self.labels else ""


class PromptSet(_Strict):
    id: SetId
    title: str = Field(min_length=1)
    version: str = Field(min_length=1)
    description: str = ""
    source: str = ""
    prompts: tuple[Prompt, ...] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) else value

    @model_validator(mode="after")
    def _unique_ids(self) -> PromptSet:
        seen: set[str] = set()
        for prompt in self.prompts:
            if prompt.id in seen:
                raise ValueError(f"prompt id {prompt.id!r} is used twice")
            seen.add(prompt.id)
        return self

    def prompt(self, prompt_id: str) -> Prompt | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)
