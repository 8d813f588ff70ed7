"""Markdown as the tools people open it with read it: CommonMark and GFM parsers (markdown-it-py)
count every heading rbp wrote, and a person's words render as exactly those words, over the
hostile corpus in tests/data/hostile_markdown.jsonl (which grows with every bug found)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from rbp_journal.formats.markdown import escape
from rbp_journal.journal import Journal
from rbp_journal.models.reflection import AnswersPayload
from rbp_journal.text import visible

from conftest import CORE_ANSWERS

CORPUS = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "hostile_markdown.jsonl").read_text("utf-8").splitlines()
]  # fmt: skip
PARSERS = {
    "commonmark": MarkdownIt("commonmark"),
    "gfm": MarkdownIt("commonmark").enable(["table", "strikethrough"]),
}
# what a document of reflections may hold: headings, paragraphs, the promise list, plain text
ALLOWED_BLOCKS = {"heading", "paragraph", "inline", "bullet_list", "list_item"}
ALLOWED_INLINE = {"text", "softbreak"}


def flat(text: str) -> str:
    return " ".join(visible(text).split())


def rendered(tokens: list[Token]) -> str:
    """The text a reader sees: inline text and line breaks, nothing else."""
    out = []
    for token in tokens:
        for child in token.children or []:
            assert child.type in ALLOWED_INLINE, (child.type, child.content)
            out.append("\n" if child.type == "softbreak" else child.content)
        if token.type == "paragraph_close":
            out.append("\n\n")
    return "".join(out)


def structure(tokens: list[Token]) -> set[str]:
    return {t.type.removesuffix("_open").removesuffix("_close") for t in tokens}


@pytest.mark.parametrize("case", CORPUS, ids=[c["name"] for c in CORPUS])
@pytest.mark.parametrize("parser", PARSERS)
def test_a_hostile_answer_renders_as_typed(case: dict[str, str], parser: str) -> None:
    tokens = PARSERS[parser].parse(escape(case["text"]))
    assert structure(tokens) <= {"paragraph", "inline"}
    assert flat(rendered(tokens)) == flat(case["text"])
    assert rendered(tokens).count("\\") == case["text"].count("\\")  # no stray backslash


def test_a_year_at_the_start_of_a_line_has_no_backslash() -> None:
    assert escape("1990.\nIt was 1990.") == "1990\\.\nIt was 1990."
    html = MarkdownIt("commonmark").render(escape("1990."))
    assert html == "<p>1990.</p>\n"


def test_plain_words_stay_plain() -> None:
    text = "Met the family at home; we talked about school mornings (and snake_case), 3.5 stars!"
    assert escape(text) == text


MARKDOWN_SIGNS = st.sampled_from(
    [*"#>-+=*_`~|[]()<>!&;:$^{}@\\.) \t\n1aé😊", "\r\n", "    ", "[x]", "](", "[^", "x:"]
)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(MARKDOWN_SIGNS, max_size=40).map("".join))
def test_any_text_renders_as_typed(text: str) -> None:
    for parser in PARSERS.values():
        tokens = parser.parse(escape(text))
        assert structure(tokens) <= {"paragraph", "inline"}
        assert flat(rendered(tokens)) == flat(text)


def corpus_journal(journal: Journal) -> int:
    for case in CORPUS:
        data: dict[str, Any] = json.loads(json.dumps(CORE_ANSWERS))
        text = case["text"] if case["text"].strip() else "blank"
        data["answers"] |= {"what_happened": text, "differently": text}
        data["followups"] = [{"text": " ".join(text.split())[:200]}]
        data["tags"] = [case["name"]]
        journal.recording.record(AnswersPayload.model_validate(data))
    return len(CORPUS)


@pytest.mark.parametrize("parser", PARSERS)
def test_every_heading_survives_the_hostile_corpus(rbp, journal: Journal, parser: str) -> None:
    count = corpus_journal(journal)
    markdown = rbp("export --format markdown").stdout
    tokens = PARSERS[parser].parse(markdown)
    levels = [t.tag for t in tokens if t.type == "heading_open"]
    questions = len(json.loads(rbp("show 1 --json").stdout)["answers"])
    assert (levels.count("h1"), levels.count("h2")) == (1, count)
    assert levels.count("h3") == count * (questions + 1)  # each question, and the promises
    assert structure(tokens) <= ALLOWED_BLOCKS | {"inline"}
    for token in tokens:
        for child in token.children or []:
            assert child.type in ALLOWED_INLINE, (child.type, child.content)


def test_show_markdown_is_the_same_section(rbp, journal: Journal) -> None:
    corpus_journal(journal)
    for rid in (1, 17, 50):
        shown = rbp(f"show {rid} --format markdown").stdout
        tokens = PARSERS["gfm"].parse(shown)
        assert [t.tag for t in tokens if t.type == "heading_open"].count("h2") == 1


def test_split_front_matter_is_yaml_with_dates(rbp, journal: Journal, tmp_path: Path) -> None:
    corpus_journal(journal)
    folder = tmp_path / "portfolio"
    assert rbp(["export", "--split", str(folder)]).exit_code == 0
    files = sorted(folder.iterdir())
    assert len(files) == len(CORPUS)
    for index, path in enumerate(files):
        _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(head)
        assert meta["date"] == dt.date(2026, 11, 20)
        assert meta["tags"] == [CORPUS[index]["name"]]
        assert meta["client"] == "C-014" and meta["set"] == "core"
        levels = [t.tag for t in PARSERS["gfm"].parse(body) if t.type == "heading_open"]
        assert levels.count("h2") == 1
