"""What the privacy guard costs, and that saving it lost nothing.

The finders' patterns are built on first use and a finder runs only when its text could hold
a finding (a phone number has seven digits, an address a number with nothing word-like just
before it, an age a unit, "aged" or "(4)"): each such look-first pattern must match wherever
its finder's own patterns do, or a detail would go unfound. The generated word lists are
searched as read, by halving, which holds only while they are sorted one word a line. And
`import rbp_journal.privacy` with a check of plain text loads no pydantic and builds no number
pattern, since the review masks its excerpts that way.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rbp_journal import privacy
from rbp_journal.models.cpd import CpdRecord, Peer
from rbp_journal.privacy.caseload import digest
from rbp_journal.privacy.lexicon import DATA, SortedWords, lexicon

addresses = importlib.import_module("rbp_journal.privacy.addresses")
births = importlib.import_module("rbp_journal.privacy.births")
numbers = importlib.import_module("rbp_journal.privacy.numbers")

Pattern = Callable[[], re.Pattern[str]]
DIGITS = re.compile(r"[0-9]")


def digits_at_least(n: int) -> Callable[[str], bool]:
    return lambda text: len(DIGITS.findall(text)) >= n


def look_first(pattern: Pattern) -> Callable[[str], bool]:
    return lambda text: pattern().search(text) is not None


def ni_look(text: str) -> bool:
    return digits_at_least(6)(text) and privacy._NI_DIGITS.search(text) is not None


def email_look(text: str) -> bool:
    dotted = privacy._DOTTED.search(text) is not None
    return dotted and ("@" in text or privacy._AT.search(text) is not None)


# each finder's patterns, with what is looked for before any of them is built or run
GATES: list[tuple[str, list[Pattern], Callable[[str], bool]]] = [
    ("nhs", [numbers._NHS], digits_at_least(10)),
    ("ni", [numbers._NI], ni_look),
    ("postcode", [numbers._POSTCODE], look_first(lambda: privacy._LETTER_DIGIT)),
    ("email", [numbers._EMAIL, numbers._SPELT_EMAIL], email_look),
    (
        "address",
        [
            addresses._ADDRESS,
            addresses._PLACE_ADDRESS,
            addresses._THE_ADDRESS,
            addresses._FLAT_BUILDING,
            addresses._WELSH,
        ],
        look_first(addresses._START),
    ),
    ("age", [births._OLD, births._COMPACT, births._PERSON_IS, births._GIVEN_AGE],
     look_first(births._AGE_CUE)),
    ("dob before its cue", [births._BEFORE], look_first(births._HAS_BEFORE_CUE)),
]  # fmt: skip


def assert_gates_hold(text: str) -> None:
    for kind, patterns, gate in GATES:
        if any(p().search(text) for p in patterns):
            assert gate(text), f"{kind}: {text!r}"
    if any(numbers.phones(text)):
        assert digits_at_least(7)(text) and privacy._PHONE_DIGITS.search(text), f"phone: {text!r}"
    words = lexicon()
    if words.phrases().search(text):
        assert any(start in text for start in words.phrase_starts), f"phrase: {text!r}"


def corpus_texts() -> list[str]:
    data = Path(__file__).parent / "data"
    texts = []
    for path in sorted(data.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            texts += [v for v in json.loads(line).values() if isinstance(v, str)]
    return texts


def test_every_labelled_and_hostile_text_passes_the_look_first_of_what_it_holds() -> None:
    texts = corpus_texts()
    assert len(texts) > 1000
    for text in texts:
        assert_gates_hold(text)


# pieces that the finders' patterns are made of, including the letters that match ASCII ones
# when case is ignored (long s, Kelvin sign, dotless and dotted i)
PIECES = [
    *"0123456789", *" \t\n-\u2013/.,:£$@()[]'\u2019+%x", "a", "B", "\u017f", "\u212a", "\u0131",
    "\u0130",
    "14", "2b", "flat", "Flat ", "apt", "no.", "No ", "number ", "road", "Road", "St.", "The ",
    "the ", "Mill ", "Cottages", "House", "Heol y ", "Lôn ", "Ashby ",
    "aged", "Age", "turned ", "is ", "was ", "'s ", "now ", "years", "yrs", "mths", "wk", "yo",
    "y/o", " old", "of age", "Callum", "mum ", "(4)", ", 16,", "DOB", "d.o.b", "born", "bday",
    "jess", " at ", "(at)", "[at]", "example", ".org", " dot ", "com", "co.uk",
    "NI ", "QQ", "AB", "SW1A", "1AA", "LS6", "2nd", "07700", "+44", "0113", "999 ", "AB 12 34 56",
    "03/09/2016", "2016", "3rd May", " (", "Mr ", "Tumble", "St ", "Helens", "Peppa Pig", "Dr",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_the_look_first_holds_wherever_a_finders_pattern_matches(text: str) -> None:
    assert_gates_hold(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_the_look_first_holds_on_any_text(text: str) -> None:
    assert_gates_hold(text)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Flat 2b, 9 Mill Lane", "address"),
        ("lives at no. 14 Elm Road now", "address"),
        ("Callum, 16, was in", "dob"),
        ("DOB 03/09/2016", "dob"),
        ("03/09/2016 (dob)", "dob"),
        ("hope_w at example.org", "email"),
        ("jess dot hill at example dot com", "email"),
        ("postcode LS6 1AA", "postcode"),
        ("NI AB 12 34 56 C", "ni"),
        ("NHS 943 476 5919", "nhs"),
        ("ring 07700 900123", "phone"),
        ("on +44 (0)113 496 0387 after C-029", "phone"),
    ],
)
def test_each_kind_is_still_found_past_its_look_first(text: str, kind: str) -> None:
    assert kind in {f.kind for f in privacy.find(text)}


def test_a_client_code_in_the_text_builds_no_address_or_age_pattern() -> None:
    fresh = """
import importlib, sys
from rbp_journal import privacy
privacy.mask("Met C-049 in the ward; C-049 went quiet. The younger child showed me round.")
privacy.mask("If C-049 speaks")
built = sorted(
    f"{module}.{name}"
    for module in ("numbers", "addresses", "births")
    for name, value in vars(importlib.import_module(f"rbp_journal.privacy.{module}")).items()
    if hasattr(value, "cache_info") and value.cache_info().currsize
)
print(" ".join(built))
"""
    done = subprocess.run([sys.executable, "-c", fresh], capture_output=True, text=True, check=True)
    # only the small look-first patterns (and the cue for a date of birth) were built
    assert done.stdout.split() == [
        "addresses._START",
        "births._AGE_CUE",
        "births._CUE",
        "births._HAS_BEFORE_CUE",
    ]


def test_masking_plain_text_loads_no_pydantic_and_builds_no_number_pattern() -> None:
    fresh = """
import importlib, sys
from rbp_journal import privacy
masked = privacy.mask("Hannah and Josh were calmer than at the last visit, said Mrs Khan.")
built = [
    name
    for module in ("numbers", "addresses", "births")
    for name, value in vars(importlib.import_module(f"rbp_journal.privacy.{module}")).items()
    if hasattr(value, "cache_info") and value.cache_info().currsize
]
heavy = {m.split(".")[0] for m in sys.modules} & {"pydantic", "phonenumbers", "hashlib", "rich"}
print(masked, "|", built, "|", sorted(heavy))
"""
    done = subprocess.run([sys.executable, "-c", fresh], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == (
        "[name] and [name] were calmer than at the last visit, said Mrs [name]. | [] | []"
    )


def test_the_guard_over_models_is_loaded_on_first_use() -> None:
    from rbp_journal.privacy import models

    assert privacy.redact is models.redact
    assert privacy.details is models.details
    assert privacy.Detail is models.Detail
    with pytest.raises(AttributeError):
        privacy.no_such_name  # noqa: B018


def test_a_cpd_record_is_redacted_field_by_field() -> None:
    now = dt.datetime(2026, 11, 20, 9, 0)
    record = CpdRecord(
        id=1, uid="u1", created=now, updated=now, type="reading", title="Working with Mrs Khan",
        date=now.date(), learnt="Asked Amina Patel first", relevance="ring 07700 900123",
        impact_practice="Khan felt heard", impact_people="none", standards=["1"], domains=[],
        sources=[],
        peer=Peer(role="manager", date=now.date(), outcome="Talked about Mrs Khan"),
    )  # fmt: skip
    redacted = privacy.redact(record)
    assert isinstance(redacted, CpdRecord)
    assert redacted.title == "Working with Mrs [name]"
    assert redacted.learnt == "Asked [name] first"
    assert redacted.relevance == "ring [phone]"
    assert redacted.impact_practice == "[name] felt heard"
    assert redacted.peer is not None and redacted.peer.outcome == "Talked about Mrs [name]"


# ---- the word lists --------------------------------------------------------------------------

GENERATED = ("census_given_names", "census_surnames", "scowl_words", "scowl_proper_nouns")


@pytest.mark.parametrize("name", GENERATED)
def test_a_generated_list_is_sorted_one_word_a_line(name: str) -> None:
    text = (DATA / f"{name}.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines == sorted(set(lines))
    assert lines == text.split()  # no blank line, no space or other whitespace in a word


@pytest.mark.parametrize("name", GENERATED)
def test_halving_a_list_finds_what_a_set_of_it_holds(name: str) -> None:
    text = (DATA / f"{name}.txt").read_text(encoding="utf-8")
    held = frozenset(text.split())
    words = SortedWords(text)
    near = [w + s for w in list(held)[::7] for s in ("", "a", "z", "\u00e9")]
    near += [w[:-1] for w in list(held)[::11]]
    near += ["", "\n", "a\nb", " ", "zzzzzz", "\uffff", held and min(held) + "\n"]
    for word in [*held, *near]:
        assert (word in words) == (word in held), repr(word)


def test_a_caseload_digest_is_hmac_sha256_of_the_word() -> None:
    import hashlib
    import hmac

    secret = b"s" * 32
    assert digest(secret, "tia") == hmac.new(secret, b"tia", hashlib.sha256).hexdigest()
