"""The practitioner's own caseload: names held as keyed digests, so they can be matched in
text but not read back.

Each word of a name is normalised (case-folded, accents and a possessive "'s" taken off) and
kept as HMAC-SHA256 under a secret that belongs to one journal. Matching text means working
out the same digest for each word in it. Whoever holds the journal holds the secret too, so
the digests stop a casual reader (a glance at the file, a stray copy of the table), not
someone who can run a list of likely names through the same function: see the README.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from rbp_journal.privacy.lexicon import plain

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


def normalise(word: str) -> str:
    """The form a caseload word is keyed in: "TIA'S", "Tia's" and "tia" (any apostrophe) are all "tia"."""
    word = re.sub(r"['\u2019]s$", "", word.strip(), flags=re.IGNORECASE)
    return plain(word.casefold())


def words_of(line: str) -> list[str]:
    """The words of one typed line that go into the caseload, each normalised."""
    found = []
    for match in _WORD.finditer(line):
        word = normalise(match.group())
        found.append(word)
        if "-" in word:  # "Lily-Mae": the parts are written alone too
            found.extend(part for part in word.split("-") if part)
    return [w for w in dict.fromkeys(found) if len(w) > 1]


def digest(secret: bytes, word: str) -> str:
    """HMAC-SHA256 of a normalised word under the journal's secret, as hex."""
    # hashlib loads OpenSSL (~6 ms): paid only where a caseload is held and text is checked
    import hashlib
    import hmac

    return hmac.new(secret, word.encode("utf-8"), hashlib.sha256).hexdigest()


class Caseload:
    """The keyed caseload of one journal: the secret and the digests it holds (a plain class:
    a dataclass costs a millisecond to make, in every process that checks text)."""

    __slots__ = ("digests", "secret")

    def __init__(self, secret: bytes, digests: frozenset[str]) -> None:
        self.secret = secret
        self.digests = digests

    def __bool__(self) -> bool:
        return bool(self.digests)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and digest(self.secret, normalise(word)) in self.digests

    def digests_for(self, lines: Iterable[str]) -> Iterator[str]:
        for line in lines:
            for word in words_of(line):
                yield digest(self.secret, word)
