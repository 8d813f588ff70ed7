"""Finding and masking the details in a reflection that identify a person.

Reflections are about people who did not choose to be written about. Before a reflection is
saved, and when `export --redact` or `rbp scan` runs, rbp looks for e-mail addresses, phone
numbers, NHS and National Insurance numbers, postcodes, dates of birth and ages, street
addresses, and names. Each kind has its own finder (numbers, births, addresses, names);
`find` runs them all and, where two overlap, keeps the longer and more specific one.
`find_fields` checks the fields of one reflection together, so that a name found in one field
is masked in every field where it appears again. Pure: text in, findings out; nothing here
prints, asks, or reads anything but its own word lists.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from rbp_journal.privacy.addresses import addresses
from rbp_journal.privacy.births import dates_of_birth
from rbp_journal.privacy.caseload import Caseload
from rbp_journal.privacy.finding import KINDS, Finding
from rbp_journal.privacy.lexicon import lexicon
from rbp_journal.privacy.names import names
from rbp_journal.privacy.numbers import (
    emails,
    nhs_number_is_valid,
    nhs_numbers,
    ni_numbers,
    phones,
    postcodes,
)
from rbp_journal.privacy.tokens import shape

if TYPE_CHECKING:
    from rbp_journal.privacy.models import Detail, details, redact

__all__ = [
    "KINDS",
    "Caseload",
    "Detail",
    "Finding",
    "details",
    "find",
    "find_fields",
    "looks_like_name",
    "mask",
    "masked_words",
    "nhs_number_is_valid",
    "redact",
]

Key = TypeVar("Key", bound=Hashable)

# Where two findings overlap with the same length, the earlier kind here wins: a valid NHS
# number is also a possible phone number, a name after "Dr" may sit inside an address.
_SPECIFICITY = ("nhs", "ni", "email", "postcode", "phone", "dob", "address", "name")
_RANK = {kind: i for i, kind in enumerate(_SPECIFICITY)}

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")

_AT = re.compile(r"\bat\b", re.IGNORECASE)
_DIGIT = re.compile(r"[0-9]")
# What every finding of a kind holds, looked for before its finder runs (or is even built):
# a postcode a letter then a digit ("LS6", "m1"); an NI number six digits in pairs; an e-mail
# a dot (or "dot") between a word and two letters ("example.org", "leeds dot gov")
_LETTER_DIGIT = re.compile(r"[^\W\d_][0-9]")
# phonenumbers reads a candidate as digits with at most four separators between them (its
# separators are punctuation, spaces and "x"): client codes ("C-029 … C-031") are not one
_PHONE_DIGITS = re.compile(r"(?:[0-9][^0-9A-WYZa-wyz]{0,4}){6}[0-9]")
_NI_DIGITS = re.compile(r"[0-9]{2}[\s-]?[0-9]{2}[\s-]?[0-9]{2}")  # "12 34 56", "123456"
_DOTTED = re.compile(r"[a-z0-9-](?:\.|\s+dot\s+)[a-z]{2}", re.IGNORECASE)


def find(
    text: str,
    allow: Iterable[str] = (),
    caseload: Caseload | None = None,
    known: Iterable[str] = (),
) -> list[Finding]:
    """Identifying details in `text`, by position, none overlapping.

    A finding whose text equals an `allow` entry, ignoring case and spaces (the team's own
    office number, a colleague's work address), is not reported. Words on the `caseload` are
    names wherever they stand; a name found once is found at every other mention too, and so
    are the `known` names (found earlier in the same reflection).
    """
    return find_fields({0: text}, allow, caseload, known)[0]


def find_fields(
    fields: Mapping[Key, str],
    allow: Iterable[str] = (),
    caseload: Caseload | None = None,
    known: Iterable[str] = (),
) -> dict[Key, list[Finding]]:
    """Identifying details in each field of one reflection (answers, promises, tags).

    Once a name is found in any field, each other mention of it in any field is found too:
    "Mrs Hussain was calmer" in one answer, "the Hussain family" in a promise.
    """
    found = {key: _candidates(text, caseload) for key, text in fields.items()}
    known = list(known)
    # the allow list only where there is something to let through (reading it may read a file)
    allowed = {_squash(entry) for entry in allow} if known or any(found.values()) else set()
    found = {key: [f for f in got if _squash(f.text) not in allowed] for key, got in found.items()}
    names = [f.text for findings in found.values() for f in findings if f.kind == "name"]
    named = {
        word.casefold(): word
        for name in [*names, *known]
        for word in _WORD.findall(name)
        if len(word) > 1
    }
    result = {}
    for key, text in fields.items():
        more = list(_mentions(text, named)) if named else []
        merged = _without_overlaps(found[key] + [f for f in more if _squash(f.text) not in allowed])
        result[key] = _joined_names(text, merged)
    return result


def mask(
    text: str,
    findings: Sequence[Finding] | None = None,
    allow: Iterable[str] = (),
    caseload: Caseload | None = None,
) -> str:
    """`text` with each finding replaced by its mask; finds them first when not given."""
    if findings is None:
        findings = find(text, allow, caseload)
    pieces: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            continue
        pieces += [text[position : finding.start], finding.mask]
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)


class Worded(Protocol):
    @property
    def text(self) -> str: ...


def masked_words(
    item: Worded, allow: Iterable[str] = (), caseload: Caseload | None = None
) -> dict[str, str]:
    """The words of a promise or an excerpt masked: its `text`, and a promise's closing `note`
    when it has one — what `redact` changes in a promise, for the review's plain shapes too."""
    allowed = allow if isinstance(allow, Sequence) else tuple(allow)  # config's is read lazily
    words = {"text": mask(item.text, allow=allowed, caseload=caseload)}
    note = getattr(item, "note", None)  # a promise's closing note
    if note:
        words["note"] = mask(note, allow=allowed, caseload=caseload)
    return words


def _candidates(text: str, caseload: Caseload | None) -> list[Finding]:
    # Every finder but the name finder needs a digit, or an "@"/"at" for an e-mail: most
    # sentences have neither, and phonenumbers' matcher is the slowest step (scan of 10,000).
    # A phone number has 7 digits or more, an NI number 6, an NHS number 10.
    digits = len(_DIGIT.findall(text))
    finders = [phones] if digits >= 7 and _PHONE_DIGITS.search(text) else []
    if digits >= 10:
        finders.append(nhs_numbers)
    if digits >= 6 and _NI_DIGITS.search(text):
        finders.append(ni_numbers)
    if digits and _LETTER_DIGIT.search(text):
        finders.append(postcodes)
    if digits:
        finders += [dates_of_birth, addresses]
    if ("@" in text or _AT.search(text)) and _DOTTED.search(text):
        finders.append(emails)
    found = [f for finder in finders for f in finder(text)]
    found += names(text, caseload)
    return _without_overlaps(found)


def _mentions(text: str, named: dict[str, str]) -> Iterator[Finding]:
    """Every other mention of a word already found as a name: in any case when the word is no
    ordinary word, in its own shape ("Will", "WILL") when it is."""
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        if len(word) > 2 and word[-2] in "'\u2019" and word[-1] in "sS":
            word = word[:-2]
        parts = [(start, word)]
        if "-" in word and word.casefold() not in named:  # the "tia" of a tag "tia-visit"
            parts = [(start + m.start(), m.group()) for m in re.finditer(r"[^-]+", word)]
        for at, part in parts:
            original = named.get(part.casefold())
            if original is None:
                continue
            if shape(part) == "lower" and shape(original) != "lower" and lexicon().is_word(part):
                continue
            yield Finding("name", at, at + len(part), part)


def _joined_names(text: str, findings: list[Finding]) -> list[Finding]:
    """Adjacent name findings with a space between them as one ("Amina" "Patel")."""
    joined: list[Finding] = []
    for finding in findings:
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.kind == finding.kind == "name"
            and re.fullmatch(r" {1,2}", text[last.end : finding.start])
        ):
            joined[-1] = Finding("name", last.start, finding.end, text[last.start : finding.end])
        else:
            joined.append(finding)
    return joined


def _squash(text: str) -> str:
    return "".join(text.split()).casefold()


def _without_overlaps(candidates: list[Finding]) -> list[Finding]:
    chosen: list[Finding] = []  # by start, never overlapping, so only neighbours need a look
    starts: list[int] = []
    for candidate in sorted(
        set(candidates), key=lambda f: (f.start - f.end, _RANK[f.kind], f.start)
    ):
        i = bisect.bisect_left(starts, candidate.start)
        if (i == 0 or chosen[i - 1].end <= candidate.start) and (
            i == len(chosen) or candidate.end <= chosen[i].start
        ):
            chosen.insert(i, candidate)
            starts.insert(i, candidate.start)
    return chosen


_TITLE_CODE = re.compile(r"^(?:mr|mrs|ms|miss|mx|dr)\b[\s._-]*", re.IGNORECASE)
_NAME_CODE = re.compile(r"^[A-Z][a-z]+(?:[._-]?[A-Z][a-z]+)*$")


def looks_like_name(code: str) -> bool:
    """Whether a client code reads like a person's name ("Mrs_Khan", "JaneSmith", "Amina")."""
    return bool(_TITLE_CODE.match(code) or _NAME_CODE.match(code))


def __getattr__(name: str) -> Any:
    # The guard over whole models (privacy/models.py) needs pydantic's models; the text
    # finders above do not, so it is loaded the first time one of its names is asked for.
    if name in {"Detail", "details", "redact"}:
        from rbp_journal.privacy import models

        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
