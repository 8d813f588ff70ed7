"""The word lists behind the name finder, read once, on first use.

Where each list comes from and under what licence is in data/SOURCES.md: the 1990 US Census
name files (public domain), SCOWL's English word list (free to use with its notice), and lists
written for rbp. The generated lists (94,000 words) are looked up in the text as read, by
halving it: splitting them into sets cost ~30 ms in every process that checks text, more than
checking a whole reflection.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Container
from pathlib import Path
from typing import NamedTuple

from rbp_journal.privacy.finding import lazy

DATA = Path(__file__).with_name("data")


class Words:
    """A list of words to look up; what each word was found to be is kept, so a scan of a
    whole journal looks for each distinct word once."""

    def __init__(self) -> None:
        self._seen: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        found = self._seen.get(word)
        if found is None:
            found = self._seen[word] = self._has(word)
        return found

    def _has(self, word: str) -> bool:
        raise NotImplementedError


class SortedWords(Words):
    """A generated list as read: one folded word a line, sorted (benchmarks/build_name_lists.py
    writes them so, and a test holds them to it), searched by halving."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text if text.endswith("\n") else text + "\n"

    def _has(self, word: str) -> bool:
        if not word or "\n" in word:
            return False
        text, low, high = self._text, 0, len(self._text)
        while low < high:  # text[low:high] is whole lines
            middle = (low + high) // 2
            start = text.rfind("\n", 0, middle) + 1
            end = text.find("\n", start)
            line = text[start:end]
            if line == word:
                return True
            if line < word:
                low = end + 1
            else:
                high = start
        return False


class Either(Words):
    """The words on any of `lists` that are on none of `unless`."""

    def __init__(
        self, lists: tuple[Container[str], ...], unless: tuple[Container[str], ...] = ()
    ) -> None:
        super().__init__()
        self.lists, self.unless = lists, unless

    def _has(self, word: str) -> bool:
        return any(word in words for words in self.lists) and not any(
            word in words for words in self.unless
        )


class Lexicon(NamedTuple):
    given: Container[str]  # given names, case-folded
    surnames: Container[str]
    words: Container[str]  # ordinary English words (lower-case in the dictionary)
    not_names: Container[str]  # written for rbp: places, brands, peoples, holidays, days
    proper: Container[str]  # the dictionary's proper nouns that no name list holds
    not_people: Container[str]  # not_names and proper
    # "Mr Tumble", "Child Maintenance Service": not people, whole; the pattern (~3 ms to build)
    # is built for the first text that holds the first word of one
    phrases: Callable[[], re.Pattern[str]]
    phrase_starts: frozenset[str]

    def phrases_in(self, text: str) -> list[tuple[int, int]]:
        """Where the phrases that name no one stand in `text`."""
        if not any(start in text for start in self.phrase_starts):
            return []
        return [match.span() for match in self.phrases().finditer(text)]

    def is_name(self, word: str) -> bool:
        key = fold(word)
        return key in self.given or key in self.surnames

    def is_word(self, word: str) -> bool:
        """An ordinary English word, or its plural ("Carers")."""
        word = word.lower()
        return word in self.words or (word.endswith("s") and word[:-1] in self.words)


def fold(word: str) -> str:
    """A word as the lists hold it: case-folded, and with "Zoë" also found as "zoe"."""
    return word.casefold()


def plain(word: str) -> str:
    """`word` without accents, for looking up "Zoë" under "zoe"."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _read(name: str) -> str:
    # beside this module in the wheel and in a checkout alike (importlib.resources, which
    # costs ~20 ms to import, is for the prompt folders that a checkout reaches by symlink)
    return (DATA / name).read_text("utf-8")


def _curated(name: str) -> frozenset[str]:
    """A list written for rbp: words on lines, "#" comments; folded, and without accents too."""
    found = {
        fold(word)
        for line in _read(name).splitlines()
        if not line.startswith("#")
        for word in line.split()
    }
    return frozenset(found | {plain(word) for word in found})


@functools.cache
def lexicon() -> Lexicon:
    phrases = sorted(
        (line.strip() for line in _read("curated_phrases.txt").splitlines()),
        key=len,
        reverse=True,
    )
    phrases = [p for p in phrases if p and not p.startswith("#")]
    given = Either(
        (SortedWords(_read("census_given_names.txt")), _curated("curated_given_names.txt"))
    )
    surnames = Either((SortedWords(_read("census_surnames.txt")), _curated("curated_surnames.txt")))
    # SCOWL's proper nouns less every name on any list ("Zara" is a shop and a girl)
    proper = Either((SortedWords(_read("scowl_proper_nouns.txt")),), unless=(given, surnames))
    not_names = _curated("curated_not_names.txt")
    return Lexicon(
        given=given,
        surnames=surnames,
        words=SortedWords(_read("scowl_words.txt")),
        not_names=not_names,
        proper=proper,
        not_people=Either((not_names, proper)),
        phrases=lazy(  # as written, capitalised: matching any case costs 4x the time
            r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)"
        ),
        phrase_starts=frozenset(p.split()[0] for p in phrases),
    )
