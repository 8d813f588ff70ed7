"""The word lists behind the name finder, read once, on first use.

Where each list comes from and under what licence is in data/SOURCES.md: the 1990 US Census
name files (public domain), SCOWL's English word list (free to use with its notice), and lists
written for rbp. Reading them costs ~30 ms, so it happens the first time text is checked, never
at start-up.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Lexicon:
    given: frozenset[str]  # given names, case-folded
    surnames: frozenset[str]
    words: frozenset[str]  # ordinary English words (lower-case in the dictionary)
    not_names: frozenset[str]  # written for rbp: places, brands, peoples, holidays, days
    proper: frozenset[str]  # the dictionary's proper nouns that no name list holds

    @property
    def not_people(self) -> frozenset[str]:
        return self.not_names | self.proper

    phrases: re.Pattern[str]  # "Mr Tumble", "Child Maintenance Service": not people, whole

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
    # importlib.resources costs ~18 ms to import: paid on the first check, not at start-up
    from importlib import resources

    return resources.files("rbp_journal.privacy").joinpath("data", name).read_text("utf-8")


def _listed(name: str) -> frozenset[str]:
    """A generated list (benchmarks/build_name_lists.py): one folded word a line."""
    return frozenset(_read(name).split())


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
    given = _listed("census_given_names.txt") | _curated("curated_given_names.txt")
    surnames = _listed("census_surnames.txt") | _curated("curated_surnames.txt")
    # SCOWL's proper nouns less every name on any list ("Zara" is a shop and a girl)
    proper = _listed("scowl_proper_nouns.txt") - given - surnames
    return Lexicon(
        given=given,
        surnames=surnames,
        words=_listed("scowl_words.txt"),
        not_names=_curated("curated_not_names.txt"),
        proper=proper,
        phrases=re.compile(
            r"(?<!\w)(?:"
            + "|".join(re.escape(p) for p in phrases if p and not p.startswith("#"))
            + r")(?!\w)",  # as written, capitalised: matching any case costs 4x the time
        ),
    )
