"""Street addresses as UK councils and case notes write them: "14 Elm Road", "Flat 2b, 9 Mill
Lane", "Flat 12, Ashby House", "5 the Crescent", "3 Mill Cottages", "5 Heol y Felin"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rbp_journal.privacy.finding import Finding, lazy, matches, word_set

_STREET_WORDS = (
    r"Road|Street|Avenue|Lane|Close|Drive|Way|Court|Crescent|Place|Gardens|Grove|Terrace|Hill"
    r"|Row|Square|Walk|Mews|Park|Parade|Rise|Croft|Fold|Vale|Green|Wharf"
)
# an abbreviation may carry its full stop ("Church St."); a whole word leaves the sentence's
_STREET = rf"(?:(?:{_STREET_WORDS})\b|(?:Rd|St|Ave|Ln|Dr|Ct|Cres|Pl|Gdns|Sq)\b\.?)"
_FLAT = r"(?:flat|apartment|apt|unit|room)\s*(?:[0-9]+[a-z]?|[a-z]\b)"
_ADDRESS = lazy(
    rf"(?<![\w/.,:£-])(?:{_FLAT},?\s+|no\.?\s*|number\s+)?"
    r"[0-9]{1,4}[a-z]?(?:\s?[-\u2013]\s?[0-9]{1,4}[a-z]?)?,?\s+"  # 14, 14a, 12-14
    rf"(?P<words>(?:[a-z][\w'\u2019-]*\s+){{1,3}}?){_STREET}",
    re.IGNORECASE,
)
# Lower-case words that say a number is a count, not a house ("2 hours up the road").
_NOT_STREET_NAMES = word_set(
    """a an the of to in on at up down by for from with into over near round past this that
    these those his her their my our your its and or but very more other same next last every
    each per all some few hours hour minutes minute mins days day weeks week months month years
    year times nights miles mile metres yards steps doors houses cars car bus kids children
    people visits family crown county youth magistrates hearing"""
)
_CAP = r"[A-Z\u00c0-\u00de\u0100-\u017f][\w'\u2019-]*"
# Street words that are ordinary words too ("a view", "the end"): only when capitalised.
_PLACE = (
    r"(?:View|Cottages|Bank|End|Fields|Meadows?|Gate|Brow|Lea|Mount|Heights|Side|Houses"
    r"|Buildings|Mansions|Yard|Villas|Chase|Approach|Boulevard|Circus|Garth|Nook|Wynd|Brae"
    r"|Loan|Gait|Vennel|Dale|Bridge|Orchard|Paddock|Hollow|Ridge|Common|Cross|Quay|Drove"
    r"|Estate|Precinct|Mead|Glade|Spinney|Copse|Lodge|Sidings)\b"
)
_PLACE_ADDRESS = lazy(
    rf"(?<![\w/.,:£-])(?:(?i:{_FLAT}),?\s+)?[0-9]{{1,4}}[a-z]?,?\s+(?:{_CAP}\s+){{1,2}}{_PLACE}"
)
# "5 the Crescent", "9 The Paddock"
_THE_ADDRESS = lazy(
    rf"(?<![\w/.,:£-])(?:(?i:{_FLAT}),?\s+)?[0-9]{{1,4}}[a-z]?,?\s+[Tt]he\s+"
    rf"(?:{_CAP}|(?i:(?:{_STREET_WORDS}|paddock|sidings|meadows|orchard|maltings|willows)\b))"
)
# "Flat 12, Ashby House", "Apartment 12, The Sidings": a flat in a named building.
_BUILDING = (
    r"(?:House|Court|Lodge|Mansions|Tower|Heights|Point|Buildings|Place|Sidings|Hall|Gardens"
    r"|Villas|Mews|Yard|Works|Mill|Quay|Wharf|View|Block|Close)\b"
)
_FLAT_BUILDING = lazy(
    rf"(?<![\w/.,:£-])(?i:{_FLAT}),?\s+(?:[Tt]he\s+{_CAP}|(?:{_CAP}\s+){{1,2}}{_BUILDING})"
)
# Welsh streets put the street word first: "5 Heol y Felin", "6 Ffordd y Llan", "2 Lôn Las".
_WELSH = lazy(
    r"(?<![\w/.,:£-])[0-9]{1,4}[a-z]?,?\s+"
    r"(?:Heol|Ffordd|Stryd|Lôn|Lon|Maes|Cwrt|Clos|Rhodfa|Teras|Cilgant|Bryn|Cae|Parc|Llwyn"
    rf"|Tan|Pen|Ty|Tŷ|Bro|Rhes)\s+(?:(?:y|yr|'r)\s+)?{_CAP}"
)


# Where every address above starts: a number, or a flat, "no." or "number" before one, with
# nothing word-like just before; looked for first, as the patterns take ~10 ms to build. The
# number in a client code ("C-049") follows a hyphen, so is none.
_START = lazy(
    r"(?<![\w/.,:£-])(?:[0-9]|(?:flat|apartment|apt|unit|room)\s*\w|no\.?\s*[0-9]|number\s+[0-9])",
    re.IGNORECASE,
)


def addresses(text: str) -> Iterator[Finding]:
    if not _START().search(text):
        return
    for match in _ADDRESS().finditer(text):
        words = match.group("words").split()
        if not any(word.lower() in _NOT_STREET_NAMES and word.islower() for word in words):
            yield Finding("address", *match.span(), match.group())
    for pattern in (_PLACE_ADDRESS(), _THE_ADDRESS(), _FLAT_BUILDING(), _WELSH()):
        yield from matches("address", pattern, text)
