"""People's names: after a title ("Mrs Khan", "PC Hughes", "mrs patel"), after a cue ("her son
Will", "YP Tyler", "my manager Jo"), on the practitioner's own caseload, and written plainly
("Went to see Hope at the hospital").

A plain name is a capitalised word that reads as a person where it stands: one the name lists
know or no dictionary knows, not a place, brand or holiday, not inside a phrase that names an
organisation or a street ("Hope Street", "Early Help"), not after "the" (unless "the Hussain
family"), and, at the start of a sentence where every word is capitalised, only with a sign
of a person after it ("Hope said", "Ruby's dad", "Callum, 16,"). The lists are in data/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rbp_journal.privacy import cues
from rbp_journal.privacy.caseload import Caseload
from rbp_journal.privacy.finding import Finding
from rbp_journal.privacy.lexicon import Lexicon, fold, lexicon
from rbp_journal.privacy.tokens import Token, joined, shape, split


def names(text: str, caseload: Caseload | None = None) -> Iterator[Finding]:
    """Names in `text`, adjacent words of one name joined ("Amina Patel")."""
    words = lexicon()
    blocked = words.phrases_in(text)
    words_in = [t for t in split(text) if not any(s <= t.start < e for s, e in blocked)]
    found = _Finder(text, words_in, words, caseload).run()
    yield from joined(text, words_in, found)
    if caseload:  # "tia-visit": a caseload name as part of a hyphenated word
        for i, token in enumerate(words_in):
            if i not in found and "-" in token.word:
                for part in re.finditer(r"[^-]+", token.word):
                    if part.group() in caseload and _certain(words, part.group()):
                        start = token.start + part.start()
                        yield Finding("name", start, start + len(part.group()), part.group())


def _certain(words: Lexicon, word: str) -> bool:
    # a caseload "Will" is caught as "Will" or "WILL", never as the verb "will"
    return shape(word) != "lower" or not words.is_word(word)


class _Finder:
    def __init__(
        self, text: str, tokens: list[Token], words: Lexicon, caseload: Caseload | None
    ) -> None:
        self.text, self.tokens, self.words, self.caseload = text, tokens, words, caseload
        self.names: set[int] = set()
        self.done: set[int] = set()

    def run(self) -> set[int]:
        for i, token in enumerate(self.tokens):
            if self.caseload and token.word in self.caseload and _certain(self.words, token.word):
                self.names.add(i)
        for i in range(len(self.tokens)):
            if self._is_title(i):
                self.done.add(i)
                self._after(i, title=True)
            elif self.tokens[i].key in cues.CUES:
                self.done.add(i)
                self._after(i, title=False)
        for i, token in enumerate(self.tokens):
            if token.capital and i not in self.done and i not in self.names and self._plain(i):
                self.names.add(i)
        for i in sorted(self.names):  # "Chantelle Moss", "Nguyễn Thị Lan"
            j = i + 1
            while self._next(j - 1) is not None and self._surname_like(j):
                self.names.add(j)
                j += 1
            before = self._prev(i)  # "Jade Wilson": a given name before a surname
            if before is not None and i - 1 not in self.done and self._given_before(i - 1):
                self.names.add(i - 1)
        return self.names

    def _given_before(self, j: int) -> bool:
        token = self.tokens[j]
        return (
            shape(token.word) == "cap"
            and token.key in self.words.given
            and token.key not in cues.STOP
            and token.key not in self.words.not_people
            and not self._in_organisation(j)
        )

    def _gap(self, i: int) -> str:
        return self.text[self.tokens[i].end : self.tokens[i + 1].start]

    def _next(self, i: int) -> Token | None:
        """The token after i when only spaces stand between (no possessive on i)."""
        if (
            i + 1 < len(self.tokens)
            and not self.tokens[i].possessive
            and self._gap(i) in {" ", "  "}
        ):
            return self.tokens[i + 1]
        return None

    def _prev(self, i: int) -> Token | None:
        if i > 0 and not self.tokens[i - 1].possessive and self._gap(i - 1) in {" ", "  "}:
            return self.tokens[i - 1]
        return None

    def _is_title(self, i: int) -> bool:
        token = self.tokens[i]
        key = token.key
        if key not in cues.TITLES and key not in cues.CAPITAL_TITLES:
            return False
        if i + 1 >= len(self.tokens) or not re.fullmatch(r"\.?\s{1,2}", self._gap(i)):
            return False
        if key in cues.TITLES and not token.possessive:
            return True
        return key in cues.CAPITAL_TITLES and shape(token.word) == "cap"

    def _after(self, i: int, title: bool) -> None:
        gap = self._gap(i) if i + 1 < len(self.tokens) else ""
        if not title and not re.fullmatch(r"\s{1,2}|\s*[,:]\s*|\s+\(", gap):
            return
        j = i + 1
        nxt = self.tokens[j]
        form = shape(nxt.word)
        if title and len(nxt.word) == 1 and nxt.word.isupper() and j + 1 < len(self.tokens):
            self.done.add(j)  # "Mr J Smith": the initial goes with the surname
            self.names.add(j)
            j += 1
            nxt, form = self.tokens[j], shape(self.tokens[j].word)
        given = nxt.key in self.words.given
        if nxt.key in cues.STOP and (title or not given):
            return
        if cues.CONTRACTION.search(nxt.word):
            return
        if title:
            ok = form in {"cap", "upper"} or (
                form == "lower"
                and nxt.key not in cues.NOT_AFTER_TITLE
                and (self.words.is_name(nxt.word) or not self.words.is_word(nxt.word))
            )
        else:
            ok = form == "cap" and (
                self.words.is_name(nxt.word)
                or nxt.key in cues.NAME_MONTHS
                or not (self.words.is_word(nxt.word) or nxt.key in self.words.not_people)
            )
        if ok:
            self.names.add(j)
        self.done.add(j)

    def _plain(self, i: int) -> bool:
        token, words = self.tokens[i], self.words
        if shape(token.word) != "cap" or cues.CONTRACTION.search(token.word):
            return False
        if token.key in cues.STOP and (token.key not in words.given or self._starts_sentence(i)):
            return False  # "Will" mid-sentence is someone; "Will follow up" is not
        full = fold(self.text[token.start : token.end + 2 * token.possessive])
        parts = token.key.split("-")
        if full in words.not_names or any(part in words.not_names for part in parts):
            return False
        if token.key in words.proper:  # "Andrei": a dictionary's proper noun, a person here?
            return self._person_follows(i, strict=True)
        if self._in_organisation(i):
            return False
        is_word, is_name = words.is_word(token.word), self._is_name(token.word)
        if token.possessive and self._relation_after(i):
            return True
        if self._in_title(i) or self._at_a_place(i, is_name):
            return False
        prev = self._prev(i)
        if prev is not None and prev.key in cues.DETERMINERS:
            after = self._next(i)
            return after is not None and after.key in cues.FAMILY and (is_name or not is_word)
        if self._starts_sentence(i):
            if is_word:  # "Hope said" but not "Will follow up", "Case opened"
                return token.key in words.given and self._person_follows(i, strict=True)
            return is_name or self._person_follows(i)
        return is_name or not is_word

    def _is_name(self, word: str) -> bool:
        """On a name list; a hyphenated name ("Lacey-Mae") when each part is a name or no
        word."""
        if self.words.is_name(word):
            return True
        parts = word.split("-")
        return len(parts) > 1 and all(
            self.words.is_name(p) or not self.words.is_word(p) for p in parts
        )

    def _relation_after(self, i: int) -> bool:
        after = re.match(r"\s+([^\W\d_]+)", self.text[self.tokens[i].end + 2 :])
        return bool(after and after.group(1).lower() in cues.RELATIONS_AFTER)

    def _at_a_place(self, i: int, is_name: bool) -> bool:
        """ "in Todmorden", "at Pret", "moved to Morley": a place unless a given name."""
        prev = self._prev(i)
        if prev is None or self.tokens[i].possessive:
            return False
        if prev.key == "at":
            return not is_name
        if prev.key in cues.PLACE_BEFORE:
            return self.tokens[i].key not in self.words.given
        if prev.key in {"to", "from"} and i >= 2 and self.tokens[i - 2].key in cues.MOTION:
            return self.tokens[i].key not in self.words.given
        return False

    def _in_title(self, i: int) -> bool:
        """Whether token i is part of a capitalised run holding an ordinary word that is no
        name ("Love Island", "Rich Tea", "Young Carers", "Thames Water"): a title or a brand."""
        run = []
        j = i
        while (before := self._prev(j)) is not None and shape(before.word) == "cap":
            j -= 1
        while j < len(self.tokens):
            run.append(j)
            if (after := self._next(j)) is None or shape(after.word) != "cap":
                break
            j += 1
        if len(run) < 2:
            return False
        return any(
            k not in self.done
            and not self._starts_sentence(k)
            and self.words.is_word(self.tokens[k].word)
            and not self._is_name(self.tokens[k].word)
            and self.tokens[k].key not in cues.STOP
            and self.tokens[k].key not in self.words.not_people
            for k in run
        )

    def _starts_sentence(self, i: int) -> bool:
        before = self.text[: self.tokens[i].start].rstrip(" \t\"\u201c\u2018'(*•\u2013-")
        return not before or before[-1] in ".!?:;\n"

    def _person_follows(self, i: int, strict: bool = False) -> bool:
        """Whether what follows token i says it is someone: a verb a person does, a
        possessive, an age, "and" another name, or (unless strict) a surname."""
        # "Tobenna Okoro came": look past the rest of a capitalised run first
        while (
            not strict
            and self._next(i) is not None
            and self._surname_like(i + 1)
            and not self.words.is_word(self.tokens[i + 1].word)
        ):
            i += 1
        token = self.tokens[i]
        if token.possessive or cues.AGE_OR_ROLE_AFTER.match(self.text, token.end):
            return True
        after = self._next(i)
        if after is None:
            return False
        if after.key in cues.PERSON_NEXT:
            return True
        if after.key in {"and", "&"} and (other := self._next(i + 1)) is not None:
            if other.word in {"I", "me"}:  # "Grace and I agreed"
                return True
            return shape(other.word) == "cap" and other.key in self.words.given
        return not strict and self._surname_like(i + 1, strict=True)

    def _surname_like(self, j: int, strict: bool = False) -> bool:
        """Whether token j can carry on a name: "Moss" after "Chantelle", "Thị" after "Nguyễn"."""
        if j >= len(self.tokens):
            return False
        token = self.tokens[j]
        if shape(token.word) != "cap" or token.key in cues.STOP or token.key in cues.ORG_WORDS:
            return False
        if token.key in self.words.not_people:
            return False
        if strict:
            return self.words.is_name(token.word) and not self.words.is_word(token.word)
        return self.words.is_name(token.word) or not self.words.is_word(token.word)

    def _in_organisation(self, i: int) -> bool:
        """Whether token i sits in a capitalised run naming a place or body ("Hope Street",
        "Park Lane Academy", "Leeds City Council")."""
        run = [i]
        for step in (1, -1):
            j = i
            while 0 <= j + step < len(self.tokens):
                k = j + step
                # "Department for Work and Pensions": small words inside a capitalised run
                if self.tokens[k].key in cues.CONNECTORS and 0 <= k + step < len(self.tokens):
                    k += step
                near = (j, k) if step == 1 else (k, j)
                if not re.fullmatch(
                    r"\s{1,2}(?:(?:for|of|and|&|the|on|upon)\s{1,2})?", self._between(*near)
                ):
                    break
                if shape(self.tokens[k].word) != "cap" or self.tokens[min(near)].possessive:
                    break
                run.append(k)
                j = k
        return len(run) > 1 and any(self.tokens[k].key in cues.ORG_WORDS for k in run)

    def _between(self, i: int, j: int) -> str:
        return self.text[self.tokens[i].end : self.tokens[j].start]
