"""How far a reflection went, pure: past describing what happened, or not.

Apart from the CPD rules (cpd_rules.py re-exports these) because `rbp show` and `rbp review`
say it too, and neither should load the CPD frameworks and their models to do so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, Protocol

Depth = Literal["past description", "descriptive", "free"]

# the prompts that only describe; an answer to any other text prompt goes past description
DESCRIPTIVE_PROMPTS = frozenset({"what_happened", "description", "what", "feelings"})
FREE_SETS = frozenset({"journal"})  # one free text: not judged for depth
MIN_WORDS = 5  # "n/a" or "nothing really" in a "what next" box is not yet analysis


class _Answer(Protocol):
    @property
    def prompt_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> str | None: ...


class _Answered(Protocol):
    @property
    def set_id(self) -> str: ...
    @property
    def answers(self) -> Sequence[_Answer]: ...


def depth(set_id: str, words: Mapping[str, int]) -> Depth:
    """Whether a reflection went past describing: an answer of a few words or more to an
    analysis or "what next" question (`words`: prompt id to words written). A free journal
    entry is not judged."""
    if set_id in FREE_SETS:
        return "free"
    beyond = [p for p, n in words.items() if p not in DESCRIPTIVE_PROMPTS and n >= MIN_WORDS]
    return "past description" if beyond else "descriptive"


def depth_of(reflection: _Answered) -> Depth:
    words = {
        a.prompt_id: len((a.text or "").split()) for a in reflection.answers if a.kind == "text"
    }
    return depth(reflection.set_id, words)


def said(depth: Depth) -> str | None:
    """The line under a reflection `rbp show` shows (nothing for a free journal entry)."""
    if depth == "free":
        return None
    went = "went past" if depth == "past description" else "stayed with"
    return f"Depth: {went} describing what happened"


def depth_note(depths: Sequence[Depth]) -> str | None:
    """A gentle prompt for a review when most of a period's reflections stayed descriptive."""
    judged = [d for d in depths if d != "free"]
    descriptive = sum(1 for d in judged if d == "descriptive")
    if len(judged) < 3 or descriptive * 2 <= len(judged):
        return None
    return (
        f"{descriptive} of {len(judged)} reflections stayed with what happened. In supervision, "
        "one of them could be taken further: why it went that way, and what you would do next."
    )
