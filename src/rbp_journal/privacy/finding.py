"""A finding: one identifying detail, its kind and where it sits in the text."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

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


class Finding(NamedTuple):
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


def lazy(source: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A pattern compiled the first time it is used. The finders' patterns take ~30 ms to
    compile, paid in every process that imports them; most texts need few of them (a sentence
    with no digit needs none), so each is built when a text first calls for it."""
    return functools.cache(functools.partial(re.compile, source, flags))


def word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())
