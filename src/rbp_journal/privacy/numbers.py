"""E-mail addresses, phone numbers, NHS and National Insurance numbers, and postcodes: the
details with a fixed shape, each checked as far as its shape allows (the NHS check digit,
HMRC's letters, Royal Mail's areas) so that reference numbers and codes are left alone."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rbp_journal.privacy.finding import Finding, lazy, matches

# ---- e-mail ----------------------------------------------------------------------------------

_EMAIL = lazy(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*(?:@|\s?[(\[]at[)\]]\s?)"
    r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b",
    re.IGNORECASE,
)
# "hope_w at example.org", "jess dot hill at example dot com": an address spelt out in words.
_SPELT_EMAIL = lazy(
    r"(?<![\w.+-])(?P<local>[a-z0-9][\w.%+-]*(?:\s+dot\s+[a-z0-9][\w%+-]*)*)"
    r"(?P<at>\s*[(\[]\s*at\s*[)\]]\s*|\s+at\s+)"
    r"(?P<domain>[a-z0-9-]+(?:(?:\.|\s+dot\s+)[a-z0-9-]+)*(?:\.|\s+dot\s+)[a-z]{2,})\b",
    re.IGNORECASE,
)
_EMAIL_CUE = lazy(r"\be-?mail|\baddress\b", re.IGNORECASE)


def emails(text: str) -> Iterator[Finding]:
    yield from matches("email", _EMAIL(), text)
    for match in _SPELT_EMAIL().finditer(text):
        local, domain = match.group("local"), match.group("domain")
        # "looked at bbc.co.uk" is not an address: "dot" spelt out, brackets, an address-like
        # local part or the word e-mail just before say that it is.
        if (
            " dot " in domain.lower()
            or "(" in match.group("at")
            or "[" in match.group("at")
            or re.search(r"[._%+0-9-]", local)
            or _EMAIL_CUE().search(text, max(0, match.start() - 40), match.start())
        ):
            yield Finding("email", match.start(), match.end(), match.group())


# ---- NHS numbers -----------------------------------------------------------------------------

# Ten digits however they are spaced ("999 1862528", "99976 01890"), not part of a longer run.
_NHS = lazy(r"(?<![0-9/.-])(?<![0-9][ -])[0-9](?:[ -]?[0-9]){9}(?![0-9]|[ -][0-9])")


def nhs_number_is_valid(digits: str) -> bool:
    """Whether ten digits carry a valid NHS modulus-11 check digit."""
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits, range(10, 1, -1), strict=False)
    )
    check = (11 - total % 11) % 11
    return check != 10 and check == int(digits[9])


def nhs_numbers(text: str) -> Iterator[Finding]:
    for finding in matches("nhs", _NHS(), text):
        if nhs_number_is_valid(re.sub("[ -]", "", finding.text)):
            yield finding


# ---- National Insurance numbers --------------------------------------------------------------

# HMRC's rules: no D, F, I, Q, U, V first; no D, F, I, O, Q, U, V second; some pairs never
# issued. The A-D suffix is often left off, so without one a cue ("NI no. is") must come first.
_NI = lazy(
    r"(?<![A-Za-z0-9])(?P<ni>(?!bg|gb|kn|nk|nt|tn|zz)[a-ceghj-pr-tw-z][a-ceghj-npr-tw-z]"
    r"[\s-]?[0-9]{2}[\s-]?[0-9]{2}[\s-]?[0-9]{2}(?P<suffix>[\s-]?[a-d])?)(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_NI_CUE = lazy(r"\b(?:ni|nino|n\.i\.|national\s+insurance)(?![\w])", re.IGNORECASE)


def ni_numbers(text: str) -> Iterator[Finding]:
    for match in _NI().finditer(text):
        start = match.start("ni")
        if match.group("suffix") or _NI_CUE().search(text, max(0, start - 70), start):
            yield Finding("ni", start, match.end("ni"), match.group("ni"))


# ---- phone numbers ---------------------------------------------------------------------------

# A UK number is written with its 0 or +44 (or 00 44); "4417 2938 1102" is a reference.
_PHONE_START = lazy(r"\(?(?:0|\+)")


def phones(text: str) -> Iterator[Finding]:
    # phonenumbers costs ~20 ms to import; only the commands that check text should pay it.
    import phonenumbers

    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.VALID):
        if _PHONE_START().match(match.raw_string):
            yield _phone(match.start, match.raw_string)
    # libphonenumber calls unallocated blocks invalid (Ofcom's drama ranges 07700 900xxx and
    # 01632 960xxx among them), but a UK mobile or landline written in full with its 0 or +44
    # is someone's number all the same.
    possible = phonenumbers.Leniency.POSSIBLE
    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=possible):
        national = str(match.number.national_number)
        if (
            match.number.country_code == 44
            and len(national) == 10
            and national[0] in "1237"
            and match.raw_string.lstrip("(").startswith(("0", "+"))
        ):
            yield _phone(match.start, match.raw_string)


def _phone(start: int, raw: str) -> Finding:
    if raw.startswith("(") and raw.count("(") > raw.count(")"):  # "(0113 496 0387)" in prose
        start, raw = start + 1, raw[1:]
    return Finding("phone", start, start + len(raw), raw)


# ---- postcodes -------------------------------------------------------------------------------

# Only real postcode areas, and the inward letters Royal Mail uses (never C I K M O V), so
# that "ward B12 3pm" or "SW1 said" are not postcodes.
_AREAS = (
    "AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL "
    "DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY "
    "L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA "
    "SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV "
    "YO ZE"
)
_POSTCODE = lazy(
    rf"(?<![A-Za-z0-9])(?:{'|'.join(_AREAS.split())})[0-9][0-9A-Z]?"
    r"\s?(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_ORDINAL = lazy(r"[0-9](?:st|nd|rd|th)")


def postcodes(text: str) -> Iterator[Finding]:
    for match in _POSTCODE().finditer(text):
        if not _ORDINAL().fullmatch(match.group("inward")):  # "b1 2nd floor"; "B1 2ND" is kept
            yield Finding("postcode", *match.span(), match.group())
