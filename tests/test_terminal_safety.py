"""Nothing a person wrote is interpreted by the terminal (no escape sequence, no Rich markup),
and rbp behaves in scripts: messages on stderr, a closed stdout ends it quietly, tags are one
line of printable text."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from rich.console import Console

from rbp_journal.journal import Journal
from rbp_journal.models.cpd import CpdInput
from rbp_journal.models.reflection import AnswersPayload, FollowupIn
from rbp_journal.render import reflections as render

from conftest import CORE_ANSWERS, installed_rbp

HOSTILE = (
    "title\x1b]0;pwned\x07 clear\x1b[2J [bold]not bold[/bold] "
    "[link=http://evil.example]click[/link] :smile: 07700 900123"
)


@pytest.fixture
def hostile(journal: Journal) -> Journal:
    data = json.loads(json.dumps(CORE_ANSWERS))
    data["date"] = dt.date.today().isoformat()
    data["answers"] |= {"what_happened": HOSTILE, "differently": HOSTILE}
    data["tags"] = ["[bold]tag[/bold]"]
    data["followups"] = [{"text": HOSTILE, "due": dt.date.today().isoformat()}]
    journal.recording.record(AnswersPayload.model_validate(data))
    journal.supervision.add_followup(None, FollowupIn(text=HOSTILE))
    # rbp now leaves control characters out when words are stored (text.clean); a journal
    # written before, or by another tool, may still hold them: plant them as such a file would
    conn = journal.store.connection.conn
    conn.execute("UPDATE answers SET text = ? WHERE text IS NOT NULL AND kind = 'text'", [HOSTILE])
    conn.execute("UPDATE followups SET text = ?", [HOSTILE])
    journal.cpd.add(
        CpdInput.model_validate(
            {
                "type": "reflective practice",
                "title": HOSTILE,
                "date": dt.date.today().isoformat(),
                "relevance": HOSTILE,
                "learnt": HOSTILE,
                "impact_practice": HOSTILE,
                "impact_people": HOSTILE,
                "standards": ["4.6"],
                "from": [1],
            }
        )
    )
    return journal


COMMANDS = ["show 1", "list", "search pwned", "search clear", "followups", "scan", "review --week",
            "cpd show 1", "cpd list", "clients", "export --format markdown"]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
def test_no_escape_sequence_reaches_the_terminal(rbp, hostile: Journal, command: str) -> None:
    result = rbp(command)
    assert result.exit_code == 0, result.output
    shown = result.stdout + result.stderr
    assert "\x1b" not in shown and "\x07" not in shown
    assert "␛" in shown or command in {"list", "clients", "scan"}


def test_markup_a_person_typed_is_shown_as_typed(rbp, hostile: Journal) -> None:
    shown = rbp("show 1").stdout
    assert "[bold]not bold[/bold]" in shown.replace("\n", " ")
    assert "[link=http://evil.example]click[/link]" in " ".join(shown.split())
    assert ":smile:" in shown and "[bold]tag[/bold]" in shown
    assert "␛]0;pwned␇" in shown and "␛[2J" in shown


def test_scan_shows_the_kind_of_detail(rbp, hostile: Journal) -> None:
    table = rbp("scan").stdout
    assert re.search(r"what_happened\s+\[phone\]\s+07700 900123", table), table


def test_on_a_colour_terminal_only_rich_styles_are_sent(hostile: Journal) -> None:
    file = io.StringIO()
    console = Console(file=file, force_terminal=True, color_system="truecolor", width=100)
    console.print(render.reflection_view(hostile.reading.reflection(1)))
    sequences = set(re.findall(r"\x1b[^m]*m|\x1b.", file.getvalue()))
    assert sequences and all(re.fullmatch(r"\x1b\[[0-9;]*m", s) for s in sequences), sequences


# --- scripts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("list", "No reflections match. `rbp reflect` writes the first one.\n"),
        ("search anything", "Nothing found. Try fewer or shorter words.\n"),
        ("scan", "No identifying details found.\n"),
        ("clients", "No client codes yet.\n"),
        ("followups", "No open promises.\n"),
    ],
)
def test_nothing_found_is_said_on_stderr(rbp, journal: Journal, command: str, message: str) -> None:
    result = rbp(command)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", message)


@pytest.mark.parametrize(
    "args", [["list"], ["list", "--json"], ["show", "1"], ["export"], ["export", "--format", "csv"],
             ["search", "family"], ["--version"], ["review"]],
)  # fmt: skip
def test_a_closed_stdout_ends_quietly(journal: Journal, args: list[str]) -> None:
    for _ in range(30):
        journal.recording.record(AnswersPayload.model_validate(CORE_ANSWERS))
    child = subprocess.Popen(
        [*installed_rbp(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # the reader has gone before rbp writes: `rbp list | true`
    stderr = child.stderr.read()
    assert child.wait(timeout=60) == 141
    assert stderr == b""


def test_export_into_head_in_a_shell(journal: Journal, tmp_path: Path) -> None:
    for _ in range(200):
        journal.recording.record(AnswersPayload.model_validate(CORE_ANSWERS))
    rbp = " ".join(installed_rbp())
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {rbp} export | head -1; echo status ${{PIPESTATUS[0]}}"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.stdout == "# Reflections\nstatus 141\n"
    assert done.stderr == ""


@pytest.mark.parametrize(
    "tag", ["two\nlines", "bell\x07", "esc\x1b[2J", "tab\there", "line\u2028separator"]
)
def test_a_tag_is_one_line_of_printable_text(rbp, answers_file, tag: str) -> None:
    flag = rbp(["reflect", "--answers", str(answers_file(CORE_ANSWERS)), "--tag", tag])
    assert flag.exit_code == 2
    assert "a tag is one line of printable text" in flag.stderr
    payload = answers_file({**CORE_ANSWERS, "tags": [tag]})
    given = rbp(["reflect", "--answers", str(payload)])
    assert given.exit_code == 1
    assert given.stderr.count("\n") == 1
    assert "a tag is one line of printable text, without control characters" in given.stderr
    record = {"uid": "u1", "session_date": "2026-11-20", "created": "2026-11-20T10:00:00Z",
              "updated": "2026-11-20T10:00:00Z", "set_id": "core", "set_version": "1",
              "tags": [tag]}  # fmt: skip
    document = {"format": "rbp-export", "version": 2, "reflections": [record], "followups": []}
    imported = rbp("import -", input=json.dumps(document))
    assert imported.exit_code == 1
    assert imported.stderr == (
        "Error: stdin, reflection 1: tags.0: a tag is one line of printable text, without "
        "control characters. Nothing was saved.\n"
    )
    assert rbp("list --json").stdout == "[]\n"


def test_redact_masks_tags(rbp, answers_file) -> None:
    rbp(["reflect", "--answers", str(answers_file({**CORE_ANSWERS, "tags": ["07700 900123"]}))])
    assert json.loads(rbp("export --format json --redact").stdout)["reflections"][0]["tags"] == [
        "[phone]"
    ]
