"""A finding: one identifying detail, its kind and where it sits in the text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

KINDS: tuple[str, ...] = ("email", "phone", "nhs", "ni", "postcode", "dob", "address", "name")

MASKS = {
    "email": "[email]",
    "phone": "[phone]",
    "nhs": "[NHS number]",
    "ni": "[NI number]",
    "postcode": "[postcode]",
    "dob": "[date of birth]",
    "address": "[address]",
    "name": "[name]",
}


@dataclass(frozen=True)
class Finding:
    """One identifying detail: its kind and where it sits, `text[start:end]`."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def mask(self) -> str:
        """What replaces the detail in masked text, e.g. "[phone]"."""
        return MASKS[self.kind]


def matches(
    kind: str, pattern: re.Pattern[str], text: str, group: str | int = 0
) -> Iterator[Finding]:
    for match in pattern.finditer(text):
        start, end = match.span(group)
        yield Finding(kind, start, end, text[start:end])


def word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())
