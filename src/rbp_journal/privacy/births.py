"""Dates of birth and exact ages of people.

A date is a date of birth only after (or just before) a cue such as "DOB"; a strong cue may
have a few words before its date ("DOB for the youngest: 03/09/2016"). An age is a person's
when it is said of a person: "Callum, 16,", "Tia (4)", "Nan is 82", "6wk old baby", "aged 82";
"the house is 100 years old" and "a 5 year plan" are things and plans.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rbp_journal.privacy.finding import Finding, lazy, matches, word_set

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_DAY = r"[0-9]{1,2}(?:st|nd|rd|th)?"
_DATE = (
    r"(?:[0-9]{1,2}\s?[/.\\-]\s?[0-9]{1,2}\s?[/.\\-]\s?(?:[0-9]{4}|[0-9]{2})(?![0-9])"
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9])"
    r"|[0-9]{1,2}/[0-9]{1,2}(?![0-9/])"
    rf"|{_DAY}[\s-]+(?:of\s+)?{_MONTH}(?:,?[\s-]+[0-9]{{4}}(?![0-9]))?"
    rf"|{_MONTH}\s+{_DAY}\b(?:,?\s+[0-9]{{4}}(?![0-9]))?"
    r"|(?:19|20)[0-9]{2}(?![0-9]))"
)
_DATE_RE = lazy(_DATE, re.IGNORECASE)
_STRONG_CUE = r"\b(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|birth\s?date)"
_WEAK_CUE = r"\b(?:born|birthday|b'?day)\b"
_CUE = lazy(rf"(?P<strong>{_STRONG_CUE})|{_WEAK_CUE}", re.IGNORECASE)
# After "born" or "birthday" only these may stand before the date ("born on the 3rd of May").
_WEAK_GAP = lazy(r"(?:[\s:,=(-]|\b(?:is|was|on|in|the|as|around|about)\b)*", re.IGNORECASE)
_BEFORE_CUE = r"(?:d\.?\s?o\.?\s?b\b|born\b)"
_BEFORE = lazy(rf"(?<![0-9/.-])(?P<date>{_DATE})\s*\(?\s*{_BEFORE_CUE}", re.IGNORECASE)
# what every _BEFORE match holds: looked for first, as the date pattern is slow to build
_HAS_BEFORE_CUE = lazy(_BEFORE_CUE, re.IGNORECASE)
_SENTENCE_END = lazy(r"[.!?](?:\s|$)|\n")


def dates_of_birth(text: str) -> Iterator[Finding]:
    for cue in _CUE().finditer(text):
        window = text[cue.end() : cue.end() + 80]
        if end := _SENTENCE_END().search(window):
            window = window[: end.start()]
        date = _DATE_RE().search(window)
        if not date:
            continue
        gap = window[: date.start()]
        if cue.group("strong"):
            ok = not re.search(r"[0-9]", gap) and len(gap.split()) <= 8
        else:
            ok = _WEAK_GAP().fullmatch(gap) is not None
        if ok:
            start = cue.end() + date.start()
            yield Finding("dob", start, start + len(date.group()), date.group())
    if _HAS_BEFORE_CUE().search(text):
        yield from matches("dob", _BEFORE(), text, "date")
    yield from ages(text)


# ---- ages ------------------------------------------------------------------------------------

_UNIT = r"(?:years?|yrs?|yr|months?|mths?|mnths?|mos?|weeks?|wks?|wk|days?)"
# "15 year old", "7-year-old", "6wk old", "9 weeks old", "19 yrs old", "34yo", "aged 82".
_OLD = lazy(
    rf"(?<![0-9.,/:£$])\b(?P<age>[0-9]{{1,3}}\s*-?\s*{_UNIT}\s*-?\s*old"
    r"|[0-9]{1,3}\s*(?:yo|y/o|(?:years?|yrs?)\s+of\s+age))\b"
    r"|\b(?P<aged>aged?\s*:?\s*[0-9]{1,3}(?:\s*(?:years?|yrs?|months?|mths?|weeks?|wks?)(?:\s*old)?)?)\b"
    r"(?!\s*(?:plus|\+|-|\u2013|to\s+[0-9]|and\s+(?:over|under|above|below)|or\s+(?:over|under)))"
    r"|\b(?P<turned>turn(?:s|ed|ing)\s+[0-9]{1,2})\b",
    re.IGNORECASE,
)
# "18mths", "10wks", "2yo": a unit written onto the number is how notes give a child's age.
_COMPACT = lazy(r"(?<![0-9.,/:£$])\b[0-9]{1,2}(?:mths|mnths|mos|wks|wk|yo|yrs|yr)\b")
_DURATION_BEFORE = word_set(
    "for in every after over last past within since about around than of each per by until"
)
# What an age may be said of without being a person's.
_THINGS = word_set(
    """house home flat property building tenancy car van seat puppy dog cat kitten pet rabbit
    plan plans referral assessment report order case file boiler bike trampoline phone tablet
    laptop tv sofa bed cot pram buggy fridge cooker washer it that this letter bruise bruises
    injury mark marks scar scars bruising pregnancy placement relationship debt arrears loan
    tenancies boat caravan tree garden kitchen bathroom carpet windows roof visit visits"""
)
_PERSON_IS = lazy(
    r"\b(?P<who>[\w'\u2019]+)\s+(?:is|was|'s)\s+(?:now\s+|only\s+|just\s+|nearly\s+|almost\s+)?"
    r"(?P<age>[0-9]{1,3})(?![0-9]|[a-z]|\s*(?:%|:|\.[0-9]|/|-[0-9]|(?:" + _UNIT + r"|hours?"
    r"|minutes?|mins?|times?|out|of|am|pm|percent|per)\b))",
    re.IGNORECASE,
)
_PEOPLE = word_set(
    """he she nan nana nanna gran granny grandma grandad grandpa grandmother grandfather mum
    mam mother dad father son daughter child baby brother sister sibling eldest youngest
    oldest boy girl toddler husband wife partner boyfriend girlfriend aunt aunty auntie uncle
    cousin carer client stepdad stepmum yp one"""
)
# "mum (27)", "dad, 31,", "Tia (4)", "Callum, 16," -- the way case notes give ages in passing.
_GIVEN_AGE = lazy(
    r"(?P<who>\b[A-Za-z\u00c0-\u024f\u1e00-\u1eff][\w'\u2019-]*)\s*(?:,\s*|\(\s*)"
    r"(?P<age>[0-9]{1,2})\s*(?:\)|,(?!\s*[0-9]))"
)


# What each age above holds, looked for first (the four take ~4 ms to build): a number before
# a unit, "age" or "turn", "is 82", "(4)" or ", 16,". "C-049 went quiet" holds none.
_AGE_CUE = lazy(
    rf"[0-9]\s*-?\s*(?:{_UNIT}|yo|y/o)|\b(?:age|turn)"
    r"|(?:is|was|'s)\s+(?:(?:now|only|just|nearly|almost)\s+)?[0-9]|[,(]\s*[0-9]{1,2}\s*[),]",
    re.IGNORECASE,
)


def ages(text: str) -> Iterator[Finding]:
    if not _AGE_CUE().search(text):
        return
    for match in _OLD().finditer(text):
        group = next(g for g in ("age", "aged", "turned") if match.group(g))
        start, end = match.span(group)
        if group != "age" or not _said_of_a_thing(text, start, end):
            yield Finding("dob", start, end, text[start:end])
    for match in _COMPACT().finditer(text):
        before = text[: match.start()].split()
        duration = bool(before) and before[-1].lower() in _DURATION_BEFORE  # "for 18mths"
        if not duration and not _said_of_a_thing(text, match.start(), match.end()):
            yield Finding("dob", *match.span(), match.group())
    for match in _PERSON_IS().finditer(text):
        if match.group("who").lower() in _PEOPLE or _is_capitalised(match.group("who")):
            yield Finding("dob", *match.span("age"), match.group("age"))
    for match in _GIVEN_AGE().finditer(text):
        who = match.group("who")
        if who.lower() in _PEOPLE or who.lower() == "twins" or _is_capitalised(who):
            yield Finding("dob", *match.span("age"), match.group("age"))


_NOT_PEOPLE = word_set(
    """It This That There Here What Which Who Where When Score Rating Risk Room Page Stage Year
    Level Number Section Step Day Week Month Monday Tuesday Wednesday Thursday Friday Saturday
    Sunday January February March April May June July August September October November
    December Flat Unit Apartment House Ward Bus Bed"""
)


def _is_capitalised(word: str) -> bool:
    core = word.removesuffix("'s").removesuffix("\u2019s")
    return len(core) > 1 and core[0].isupper() and core[1:].islower() and core not in _NOT_PEOPLE


def _said_of_a_thing(text: str, start: int, end: int) -> bool:
    """Whether "N years old" at text[start:end] describes a thing: "a 10 year old car", or
    "<subject> is N years old" where the subject is no person ("the tradition is 100")."""
    after = re.match(r"[\s-]*([A-Za-z]+)", text[end:])
    if after and after.group(1).lower() in _THINGS:
        return True
    before = re.findall(r"[A-Za-z'\u2019]+", text[max(0, start - 40) : start])
    if len(before) >= 2 and before[-1].lower() in {"is", "was", "are", "were", "about", "nearly"}:
        words = [w.lower() for w in before]
        verb = max(i for i, w in enumerate(words) if w in {"is", "was", "are", "were"} or i == 0)
        subject = before[verb - 1] if verb > 0 else ""
        return not (
            subject.lower() in _PEOPLE
            or subject.lower() in {"they", "twins", "kids", "children", "i", "you", "we"}
            or _is_capitalised(subject)
        )
    return False
