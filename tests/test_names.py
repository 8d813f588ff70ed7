"""The caseload (`rbp names`), every mention of a name, and tags, for the privacy guard.

The caseload is held keyed: these tests look in the journal file itself for the names they
add, and check that each is caught in any case, possessive or hyphenated tag.
"""

from __future__ import annotations

import json
import os
import pty
import select
import time
from pathlib import Path
from typing import Any

import pytest

from rbp_journal import privacy
from rbp_journal.journal import Journal
from rbp_journal.models.reflection import AnswersPayload, ReflectionFilter
from rbp_journal.privacy import caseload as keyed
from rbp_journal.privacy import details
from rbp_journal.privacy import redact as masked

from conftest import CORE_ANSWERS, installed_rbp


def payload(what: str, differently: str = "Slow down.", **changes: Any) -> AnswersPayload:
    data = json.loads(json.dumps(CORE_ANSWERS))
    data["answers"]["what_happened"] = what
    data["answers"]["differently"] = differently
    data.update(changes)
    return AnswersPayload.model_validate(data)


# ---- the keyed caseload, pure -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("Tia", ["tia"]),
        ("  Kayden SMITH ", ["kayden", "smith"]),
        ("Lily-Mae", ["lily-mae", "lily", "mae"]),
        ("Zoë O'Neill", ["zoe", "o'neill"]),
        ("Tia's", ["tia"]),
        ("Łukasz", ["łukasz"]),
    ],
)
def test_a_typed_line_becomes_normalised_words(typed: str, words: list[str]) -> None:
    assert keyed.words_of(typed) == words


def test_digests_depend_on_the_journal_secret() -> None:
    one, two = b"a" * 32, b"b" * 32
    assert keyed.digest(one, "tia") != keyed.digest(two, "tia")
    assert keyed.digest(one, "tia") == keyed.digest(one, keyed.normalise("TIA\u2019s"))
    assert "tia" not in keyed.digest(one, "tia")


@pytest.mark.parametrize(
    "text",
    ["Saw Tia today", "saw tia today", "TIA was upset", "Tia's room", "tia\u2019s nan", "Zoë"],
)
def test_a_caseload_name_is_caught_in_any_case_or_possessive(text: str) -> None:
    load = privacy.Caseload(
        b"k" * 32, frozenset(keyed.digest(b"k" * 32, w) for w in ("tia", "zoe"))
    )
    assert [f.kind for f in privacy.find(text, caseload=load)] == ["name"]


def test_a_caseload_name_that_is_a_word_is_caught_only_as_a_name() -> None:
    load = privacy.Caseload(b"k" * 32, frozenset({keyed.digest(b"k" * 32, "will")}))
    assert [f.text for f in privacy.find("I will ask WILL and Will's nan", caseload=load)] == [
        "WILL",
        "Will",
    ]


# ---- every mention ------------------------------------------------------------------------


def test_every_mention_of_a_name_across_fields_is_found() -> None:
    found = privacy.find_fields(
        {
            "what": "Mrs Hussain was calmer than last week.",
            "differently": "Ask Amina Patel (mum) first.",
            "promise": "Write to the Hussain family and to amina patel about the letter.",
            "tag": "hussain",
        }
    )
    assert [f.text for f in found["promise"]] == ["Hussain", "amina patel"]
    assert [f.text for f in found["tag"]] == ["hussain"]


def test_a_name_that_is_a_word_is_not_masked_as_the_word_elsewhere() -> None:
    found = privacy.find_fields({"a": "Her son Will came.", "b": "I will ring him; Will agreed."})
    assert [f.text for f in found["b"]] == ["Will"]


def test_details_and_masked_check_answers_promises_and_tags_together() -> None:
    given = payload(
        "Mrs Hussain rang twice.",
        "Listen to the Hussain family.",
        tags=["hussain-case", "court"],
        followups=[{"text": "Send Hussain the leaflet"}],
    )
    where = [(d.where, d.finding.text) for d in details(given)]
    assert where == [
        ("what_happened", "Hussain"),
        ("differently", "Hussain"),
        ("promise 1", "Hussain"),
        ("tag 'hussain-case'", "hussain"),
    ]
    hidden = masked(given)
    assert hidden.answers["differently"] == "Listen to the [name] family."
    assert hidden.followups[0].text == "Send [name] the leaflet"
    assert hidden.tags == ["[name]-case", "court"]


# ---- the journal: stored keyed, scan and export -------------------------------------------


def test_names_are_stored_keyed_and_cannot_be_read_back(journal: Journal, db_path: Path) -> None:
    assert journal.guard.add_names(["Tiegan Okonkwo-Reyes", "Tiegan"]) == 4
    assert journal.guard.names_held() == 4
    journal.close()
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob("journal.db*"))
    assert b"Tiegan" not in raw and b"tiegan" not in raw and b"Okonkwo" not in raw


def test_remove_forgets_a_name(journal: Journal) -> None:
    journal.guard.add_names(["Tiegan", "Marek"])
    assert journal.guard.remove_names(["TIEGAN"]) == 1
    assert journal.guard.remove_names(["Nobody"]) == 0
    assert journal.guard.names_held() == 1
    assert privacy.find("saw tiegan", caseload=journal.guard.caseload()) == []


def test_each_journal_has_its_own_secret(journal: Journal, tmp_path: Path) -> None:
    from rbp_journal.journal import open_journal

    other = open_journal(tmp_path / "other.db")
    assert other.guard.caseload().secret != journal.guard.caseload().secret
    assert len(journal.guard.caseload().secret) == 32
    other.close()


def test_scan_and_mask_cover_tags_and_the_caseload(journal: Journal) -> None:
    journal.guard.add_names(["Tiegan"])
    journal.recording.record(payload("Saw tiegan at school.", tags=["tiegan", "court"]))
    hits = journal.guard.scan(ReflectionFilter())
    assert sorted((h.where, h.text) for h in hits) == [
        ("tag", "tiegan"),
        ("what_happened", "tiegan"),
    ]
    assert journal.guard.mask_stored(ReflectionFilter()) == 2
    stored = journal.reading.reflection(1)
    assert sorted(stored.tags) == ["[name]", "court"]
    assert stored.answers[0].text == "Saw [name] at school."
    assert journal.guard.scan(ReflectionFilter()) == []
    assert "tiegan" not in journal.store.reflections.distinct("tags")


def test_export_redact_masks_tags_and_every_mention(journal: Journal) -> None:
    journal.recording.record(
        payload(
            "Mrs Hussain was calmer.",
            tags=["hussain"],
            followups=[{"text": "Ring the Hussain family"}],
        )
    )
    (record,) = journal.reading.export(ReflectionFilter(), redact=True)
    assert record.tags == ["[name]"]
    assert record.followups[0].text == "Ring the [name] family"


# ---- the command line ---------------------------------------------------------------------


def test_names_add_reads_stdin_and_prints_only_counts(rbp, db_path: Path) -> None:
    result = rbp("names add", input="Tiegan\nMarek Nowak\n\n")
    assert result.exit_code == 0, result.stderr
    assert "Added 3 new name words; 3 held." in result.stderr
    assert "Tiegan" not in result.stdout + result.stderr
    assert json.loads(rbp("names --json").stdout) == {"held": 3}
    assert "3 name words held" in rbp("names").stderr
    again = json.loads(rbp("names add --json", input="tiegan\n").stdout)
    assert again == {"added": 0, "held": 3}


def test_names_are_never_taken_from_the_command_line(rbp) -> None:
    result = rbp("names add Tiegan")
    assert result.exit_code == 2
    assert rbp("names remove Tiegan").exit_code == 2


def test_names_add_with_nothing_typed_is_a_usage_error(rbp) -> None:
    result = rbp("names add", input="\n")
    assert result.exit_code == 2
    assert result.stderr == "Error: No names given: type them one a line, or pipe them in.\n"


def test_names_remove_reads_stdin(rbp) -> None:
    rbp("names add", input="Tiegan\nMarek\n")
    assert json.loads(rbp("names remove --json", input="marek\n").stdout) == {
        "removed": 1,
        "held": 1,
    }
    assert "None of those was held." in rbp("names remove", input="Zed\n").stderr


def test_a_caseload_name_is_caught_by_the_guard(rbp) -> None:
    rbp("names add", input="Tiegan\n")
    data = json.loads(json.dumps(CORE_ANSWERS))
    data["answers"]["what_happened"] = "tiegan's mum was out; TIEGAN made tea."
    data["tags"] = ["tiegan-visit"]
    result = rbp("reflect --answers - --mask", input=json.dumps(data))
    assert result.exit_code == 0, result.stderr
    shown = json.loads(rbp("show 1 --json").stdout)
    assert shown["answers"][0]["text"] == "[name]'s mum was out; [name] made tea."
    assert shown["tags"] == ["[name]-visit"]


def test_known_names_from_earlier_answers_are_caught_again() -> None:
    assert [f.text for f in privacy.find("the hussain letter went", known=["Hussain"])] == [
        "hussain"
    ]


def test_a_tag_that_names_someone_gets_a_warning_before_the_questions(rbp) -> None:
    rbp("names add", input="Tiegan\n")
    result = rbp("reflect --tag tiegan-visit", input="")
    assert "--tag 'tiegan-visit' may identify someone ([name])" in result.stderr


def test_names_add_typed_in_a_terminal(db_path: Path) -> None:
    """As a person types them: one a line, an empty line to end, nothing echoed back after."""
    pid, fd = pty.fork()
    if pid == 0:  # the child becomes rbp
        command = installed_rbp()
        os.execvpe(command[0], [*command, "--db", str(db_path), "names", "add"], os.environ)
    seen = b""

    def wait_for(marker: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 20
        while marker not in seen:
            assert time.monotonic() < deadline, seen[-300:]
            if select.select([fd], [], [], 0.2)[0]:
                try:
                    seen += os.read(fd, 4096)
                except OSError:
                    break

    wait_for(b"one a line")
    for typed in (b"Tiegan\r", b"Marek Nowak\r", b"\r"):
        wait_for(b">")  # the line editor draws the prompt with cursor moves after it
        seen = seen.replace(b">", b"", 1)
        os.write(fd, typed)
    wait_for(b"held.")
    os.waitpid(pid, 0)
    os.close(fd)
    assert b"Added 3 new name words; 3 held." in seen
    from rbp_journal.journal import open_journal

    journal = open_journal(db_path)
    assert journal.guard.names_held() == 3
    assert [f.text for f in privacy.find("saw MAREK", caseload=journal.guard.caseload())] == [
        "MAREK"
    ]
    journal.close()
