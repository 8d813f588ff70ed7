"""Words of a text as the name finder sees them: where each sits, its possessive taken off,
and its shape ("Hope", "PATEL", "patel"); and runs of name words joined into one finding."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

from rbp_journal.privacy.finding import Finding
from rbp_journal.privacy.lexicon import fold

TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


class Token(NamedTuple):
    start: int
    end: int  # of the word without a possessive 's
    word: str  # without a possessive
    possessive: bool
    key: str  # the word as the lists hold it (case-folded)

    @property
    def capital(self) -> bool:
        """Starts with a capital: the cheap test before `shape`."""
        return self.word[0].isupper()


def split(text: str) -> list[Token]:
    found = []
    for match in TOKEN.finditer(text):
        word = match.group()
        possessive = len(word) > 2 and word[-2] in "'\u2019" and word[-1] in "sS"
        if possessive:
            word = word[:-2]
        start = match.start()
        found.append(Token(start, start + len(word), word, possessive, fold(word)))
    return found


@functools.lru_cache(maxsize=8192)
def shape(word: str) -> str:
    """ "cap" (Hope, O'Neill, McDonald, Lily-Mae, Nguyễn), "upper", "lower" or "other"."""
    if all(_capitalised_part(part) for part in word.split("-")):
        return "cap"
    if word.isupper() and len(word) > 1:
        return "upper"
    return "lower" if word.islower() else "other"


def _capitalised_part(part: str) -> bool:
    for prefix in ("Mc", "Mac", "O'", "O\u2019", "D'", "D\u2019"):
        rest = part[len(prefix) :]
        if part.startswith(prefix) and rest[:1].isupper():
            part = rest
            break
    return len(part) > 1 and part[0].isupper() and (part[1:].islower() or not part[1:].isalpha())


def joined(text: str, tokens: list[Token], found: set[int]) -> Iterator[Finding]:
    """One finding per run of name words with only a space between them."""
    run: list[int] = []
    for i in sorted(found):
        if (
            run
            and i == run[-1] + 1
            and re.fullmatch(r"\s{1,2}", text[tokens[run[-1]].end : tokens[i].start])
            and not tokens[run[-1]].possessive
        ):
            run.append(i)
            continue
        if run:
            yield _finding(text, tokens, run)
        run = [i]
    if run:
        yield _finding(text, tokens, run)


def _finding(text: str, tokens: list[Token], run: list[int]) -> Finding:
    start, end = tokens[run[0]].start, tokens[run[-1]].end
    return Finding("name", start, end, text[start:end])
