"""Finding and masking the details in a reflection that identify a person.

Reflections are about people who did not choose to be written about. Before a reflection is
saved, and when `export --redact` runs, rbp looks for e-mail addresses, phone numbers, NHS and
National Insurance numbers, postcodes, dates of birth and ages, street addresses, and names that
follow a title or a cue such as "my client". Each kind is one small finder over plain text;
`find` runs them all and, where two overlap, keeps the longer and more specific one. The finders
lean to precision: a practitioner shown false alarms on every note stops reading them. Pure:
text in, findings out; nothing here prints or asks.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

KINDS: tuple[str, ...] = ("email", "phone", "nhs", "ni", "postcode", "dob", "address", "name")

_MASKS = {
    "email": "[email]",
    "phone": "[phone]",
    "nhs": "[NHS number]",
    "ni": "[NI number]",
    "postcode": "[postcode]",
    "dob": "[date of birth]",
    "address": "[address]",
    "name": "[name]",
}

# Where two findings overlap with the same length, the earlier kind here wins: a valid NHS
# number is also a possible phone number, a name after "Dr" may sit inside an address.
_SPECIFICITY = ("nhs", "ni", "email", "postcode", "phone", "dob", "address", "name")


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
        return _MASKS[self.kind]


def find(text: str, allow: Iterable[str] = ()) -> list[Finding]:
    """Identifying details in `text`, by position, none overlapping.

    A finding whose text equals an `allow` entry, ignoring case and spaces (the team's own
    office number, a colleague's work address), is not reported.
    """
    allowed = {_squash(entry) for entry in allow}
    candidates = [
        finding
        for finder in _FINDERS
        for finding in finder(text)
        if _squash(finding.text) not in allowed
    ]
    return _without_overlaps(candidates)


def mask(text: str, findings: Sequence[Finding] | None = None, allow: Iterable[str] = ()) -> str:
    """`text` with each finding replaced by its mask; finds them first when not given."""
    if findings is None:
        findings = find(text, allow)
    pieces: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            continue
        pieces += [text[position : finding.start], finding.mask]
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)


def _squash(text: str) -> str:
    return "".join(text.split()).casefold()


def _without_overlaps(candidates: list[Finding]) -> list[Finding]:
    rank = {kind: i for i, kind in enumerate(_SPECIFICITY)}
    chosen: list[Finding] = []  # by start, never overlapping, so only neighbours need a look
    starts: list[int] = []
    for candidate in sorted(
        set(candidates), key=lambda f: (f.start - f.end, rank[f.kind], f.start)
    ):
        i = bisect.bisect_left(starts, candidate.start)
        if (i == 0 or chosen[i - 1].end <= candidate.start) and (
            i == len(chosen) or candidate.end <= chosen[i].start
        ):
            chosen.insert(i, candidate)
            starts.insert(i, candidate.start)
    return chosen


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _matches(
    kind: str, pattern: re.Pattern[str], text: str, group: str | int = 0
) -> Iterator[Finding]:
    for match in pattern.finditer(text):
        start, end = match.span(group)
        yield Finding(kind, start, end, text[start:end])


# ---- e-mail, NHS and National Insurance numbers -------------------------------------------

# "name(at)example.com" is how people write an address they would rather not spell out.
_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*(?:@|\s?[(\[]at[)\]]\s?)"
    r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b",
    re.IGNORECASE,
)


def _emails(text: str) -> Iterator[Finding]:
    return _matches("email", _EMAIL, text)


# The same separator (a space, a hyphen or none) between all three groups: 943 476 5919.
_NHS = re.compile(r"(?<![0-9/.-])([0-9]{3})([ -]?)([0-9]{3})\2([0-9]{4})(?![0-9]|-[0-9])")


def nhs_number_is_valid(digits: str) -> bool:
    """Whether ten digits carry a valid NHS modulus-11 check digit."""
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits, range(10, 1, -1), strict=False)
    )
    check = (11 - total % 11) % 11
    return check != 10 and check == int(digits[9])


def _nhs_numbers(text: str) -> Iterator[Finding]:
    for finding in _matches("nhs", _NHS, text):
        if nhs_number_is_valid(re.sub("[ -]", "", finding.text)):
            yield finding


# HMRC's rules: no D, F, I, Q, U, V first; no D, F, I, O, Q, U, V second; some pairs never
# issued. The A-D suffix is sometimes left off, so without one a cue like "NI no" is needed.
_NI = re.compile(
    r"(?P<cue>\b(?:ni|nino|n\.i\.|national\s+insurance)\b\.?\s*(?:no\b\.?|number\b)?[\s:#-]*)?"
    r"(?<![A-Za-z0-9])(?P<ni>(?!bg|gb|kn|nk|nt|tn|zz)[a-ceghj-pr-tw-z][a-ceghj-npr-tw-z]"
    r"[\s-]?[0-9]{2}[\s-]?[0-9]{2}[\s-]?[0-9]{2}(?P<suffix>[\s-]?[a-d])?)(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def _ni_numbers(text: str) -> Iterator[Finding]:
    for match in _NI.finditer(text):
        if match.group("suffix") or match.group("cue"):
            yield Finding("ni", *match.span("ni"), match.group("ni"))


# ---- phone numbers ------------------------------------------------------------------------


def _phones(text: str) -> Iterator[Finding]:
    # phonenumbers costs ~20 ms to import; only the commands that check text should pay it.
    import phonenumbers

    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.VALID):
        yield _phone(match.start, match.raw_string)
    # libphonenumber calls unallocated blocks invalid (Ofcom's drama range 07700 900xxx among
    # them), but a UK mobile written with its 0 or +44 is someone's number all the same.
    possible = phonenumbers.Leniency.POSSIBLE
    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=possible):
        national = str(match.number.national_number)
        if (
            match.number.country_code == 44
            and len(national) == 10
            and national.startswith("7")
            and match.raw_string.lstrip("(").startswith(("0", "+"))
        ):
            yield _phone(match.start, match.raw_string)


def _phone(start: int, raw: str) -> Finding:
    if raw.startswith("(") and raw.count("(") > raw.count(")"):  # "(0113 496 0387)" in prose
        start, raw = start + 1, raw[1:]
    return Finding("phone", start, start + len(raw), raw)


# ---- postcodes ----------------------------------------------------------------------------

# Only real postcode areas, and the inward letters Royal Mail uses (never C I K M O V), so
# that "ward B12 3pm" or "SW1 said" are not postcodes.
_AREAS = (
    "AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL "
    "DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY "
    "L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA "
    "SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV "
    "YO ZE"
)
_POSTCODE = re.compile(
    rf"(?<![A-Za-z0-9])(?:{'|'.join(_AREAS.split())})[0-9][0-9A-Z]?"
    r"\s?(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"[0-9](?:st|nd|rd|th)")


def _postcodes(text: str) -> Iterator[Finding]:
    for match in _POSTCODE.finditer(text):
        if not _ORDINAL.fullmatch(match.group("inward")):  # "b1 2nd floor"; "B1 2ND" is kept
            yield Finding("postcode", *match.span(), match.group())


# ---- dates of birth and ages --------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_DAY = r"[0-9]{1,2}(?:st|nd|rd|th)?"
_DATE = (
    r"(?:[0-9]{1,2}[/.-][0-9]{1,2}[/.-](?:[0-9]{4}|[0-9]{2})(?![0-9])"
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9])"
    r"|[0-9]{1,2}/[0-9]{1,2}(?![0-9/])"
    rf"|{_DAY}[\s-]+(?:of\s+)?{_MONTH}(?:,?[\s-]+[0-9]{{4}}(?![0-9]))?"
    rf"|{_MONTH}\s+{_DAY}\b(?:,?\s+[0-9]{{4}}(?![0-9]))?"
    r"|(?:19|20)[0-9]{2}(?![0-9]))"
)
_DOB_CUE = r"\b(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|birth\s?date|born|birthday|b'?day)"
_DOB = re.compile(
    rf"{_DOB_CUE}(?:[\s:,=(-]|\b(?:is|was|on|in|the)\b)*(?P<date>{_DATE})"
    rf"|(?<![0-9/.-])(?P<before>{_DATE})\s*\(?\s*(?:d\.?\s?o\.?\s?b\b|born\b)",
    re.IGNORECASE,
)
_AGE = re.compile(
    r"\baged?\s*:?\s*[0-9]{1,3}(?:\s*(?:years?|yrs?|months?|weeks?)(?:\s*old)?)?\b"
    r"|(?<![0-9.,/:£$])\b[0-9]{1,3}\s*-?\s*(?:years?|yrs?|months?|weeks?)\s*-?\s*old\b"
    r"|(?<![0-9.,/:£$])\b[0-9]{1,3}\s*(?:yo|y/o|yrs?\s+old|(?:years?|yrs?)\s+of\s+age)\b"
    r"|\bturn(?:s|ed|ing)\s+[0-9]{1,2}\b",
    re.IGNORECASE,
)
_RELATION = (
    r"client|service\s+user|young\s+person|child|son|daughter|boy|girl|baby|mum|mother|dad"
    r"|father|step-?(?:mum|dad)|partner|boyfriend|girlfriend|husband|wife|brother|sister"
    r"|nan|nana|grandma|grandmother|grandad|grandfather|aunt|auntie|uncle|carer|neighbour"
)
# "mum (27)", "dad, 31," -- the way case notes give ages in passing.
_RELATION_AGE = re.compile(
    rf"\b(?:{_RELATION})\s*(?:,\s*|\(\s*)(?P<age>[0-9]{{1,2}})\s*[,)]", re.IGNORECASE
)


def _dates_of_birth(text: str) -> Iterator[Finding]:
    for match in _DOB.finditer(text):
        group = "date" if match.group("date") else "before"
        yield Finding("dob", *match.span(group), match.group(group))
    yield from _matches("dob", _AGE, text)
    yield from _matches("dob", _RELATION_AGE, text, "age")


# ---- street addresses ---------------------------------------------------------------------

_STREET = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Court|Ct|Crescent|Cres"
    r"|Place|Pl|Gardens|Gdns|Grove|Terrace|Hill|Row|Square|Sq|Walk|Mews|Park|Parade|Rise"
    r"|Croft|Fold|Vale|Green|Wharf)\b\.?"
)
_ADDRESS = re.compile(
    r"(?<![\w/.,:£-])(?:(?:flat|apartment|apt|unit)\s*[0-9]+[a-z]?,?\s+|no\.?\s*|number\s+)?"
    r"[0-9]{1,4}[a-z]?(?:\s?[-\u2013]\s?[0-9]{1,4}[a-z]?)?,?\s+"  # 14, 14a, 12-14
    rf"(?P<words>(?:[a-z][\w'\u2019-]*\s+){{1,3}}?){_STREET}",
    re.IGNORECASE,
)
# Lower-case words that say a number is a count, not a house ("2 hours up the road").
_NOT_STREET_NAMES = _word_set(
    """a an the of to in on at up down by for from with into over near round past this that
    these those his her their my our your its and or but very more other same next last every
    each per all some few hours hour minutes minute mins days day weeks week months month years
    year times nights miles mile metres yards steps doors houses cars car bus kids children
    people visits family crown county youth magistrates hearing"""
)


def _addresses(text: str) -> Iterator[Finding]:
    for match in _ADDRESS.finditer(text):
        words = match.group("words").split()
        if not any(word.lower() in _NOT_STREET_NAMES and word.islower() for word in words):
            yield Finding("address", *match.span(), match.group())


# ---- names --------------------------------------------------------------------------------

_UP, _LOW = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"  # Latin-1 too: Zoë, Siân, Ó Briain
_NAME_WORD = rf"(?:(?:Mc|Mac|[{_UP}]['\u2019])?[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?(?![^\W\d_]))"
_NAME_AFTER = (
    rf"(?P<name>(?!(?:Mrs?|Ms|Miss|Mx|Dr)\b)(?:[{_UP}]\.?\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD})?)"
)
_NAME = re.compile(
    r"(?:\b(?i:mr|mrs|ms|miss|mx|dr)\b\.?\s+"
    rf"|\b(?i:{_RELATION})(?:\s*[,:]\s*|\s+\(|\s+(?i:called|named)\s+|\s+)"
    rf"|\b(?i:named|known\s+as)\s+){_NAME_AFTER}"
)
# Capitalised words that follow a title or a cue without being anyone's name.
_NOT_NAMES = _word_set(
    """Mum Dad Nan Nana Grandma Grandad Mr Mrs Ms Miss Dr I The A An He She They We It His Her
    Their This That And But Also Not Was Is Has Had Will Said Says Today Yesterday Tomorrow
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Police Housing School Social Services
    Health Team Court Council Nursery Hospital Education Care Children Family Early Help Duty
    Protection Plan Centre Support Unit Ward Office Home Street Road Year Reception
    Martens Barnardo"""
)


def _names(text: str) -> Iterator[Finding]:
    for match in _NAME.finditer(text):
        start = end = match.start("name")
        last = ""
        for word in re.finditer(r"\S+", match.group("name")):
            if word.group().rstrip(".") in _NOT_NAMES:
                break
            end, last = start + word.end(), word.group().rstrip(".")
        if len(last) > 1:  # something kept, and it is not a lone initial
            yield Finding("name", start, end, text[start:end])


_Finder = Callable[[str], Iterator[Finding]]
_FINDERS: tuple[_Finder, ...] = (_emails, _phones, _nhs_numbers, _ni_numbers, _postcodes)
_FINDERS += (_dates_of_birth, _addresses, _names)


_TITLE_CODE = re.compile(r"^(?:mr|mrs|ms|miss|mx|dr)\b[\s._-]*", re.IGNORECASE)
_NAME_CODE = re.compile(r"^[A-Z][a-z]+(?:[._-]?[A-Z][a-z]+)*$")


def looks_like_name(code: str) -> bool:
    """Whether a client code reads like a person's name ("Mrs_Khan", "JaneSmith", "Amina")."""
    return bool(_TITLE_CODE.match(code) or _NAME_CODE.match(code))
