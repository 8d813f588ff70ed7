"""Markdown for people: a reflection or record as a section, YAML front matter for one file a
reflection, and `escape`, the one escaping every markdown writer uses (exports, `--split`,
`show`, the review, CPD) so a person's words never become structure.

`escape` is proven in the tests against CommonMark and GFM parsers over the hostile corpus in
tests/data/: every heading rbp writes survives, user text renders as exactly the text typed
(its line breaks aside), and nothing it holds becomes a heading, list, quote, rule, table,
code, link, emphasis or raw HTML. It backslash-escapes only ASCII punctuation (which CommonMark
always unescapes, so no backslash is ever seen) and only where it could mean something: a
backslash, backtick, star, `<`, pipe, tilde, dollar or caret anywhere; a bracket, underscore
or entity-like `&` that could open something; and a line's first sign (`#`, `>`, `+`, `-`, `=`,
`:`, `[`, a list number's dot) or a heading's closing `#`s. Indentation and trailing spaces,
which would start code or force a line break, are left out: a renderer drops them anyway.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rbp_journal.models.reflection import FollowupRecord, Reflection, ReflectionRecord
from rbp_journal.text import visible

# a bracket only where it could open a link, image, wikilink, citation or span: a mask such as
# `[phone]` stays as it reads, since no line can start a link definition (a first `[` is escaped)
_INLINE = re.compile(r"[\\`*<|~$^]|\[(?=[\[^@])|\](?=[(\[{:])|&(?=#?\w+;)|(?<![^\W_])_|_(?![^\W_])")
_FIRST_SIGN = frozenset("#>+-=:[")
# `1.`, `1)`, and pandoc's `a.`, `(1)`: the list marker's last sign is escaped, so `1990.` stays
_LIST_MARKER = re.compile(r"^(\d{1,9}|[A-Za-z]|\([^)\s]{1,9})([.)])(?=[ \t]|$)")
_CLOSING_HASHES = re.compile(r"(?<=[ \t])#(?=#*$)")


def escape(text: str) -> str:
    """A person's words as markdown that renders as exactly those words, in a paragraph, a
    heading, a list item or a table cell. Line breaks are kept (a blank line still parts
    paragraphs); control characters are shown as their pictures (see text.visible)."""
    return "\n".join(_line(line) for line in visible(text).split("\n"))


def _line(line: str) -> str:
    line = line.strip(" \t")
    line = _INLINE.sub(r"\\\g<0>", line)
    if line[:1] in _FIRST_SIGN:
        return "\\" + _CLOSING_HASHES.sub(r"\\#", line)
    line = _LIST_MARKER.sub(r"\1\\\2", line)
    return _CLOSING_HASHES.sub(r"\\#", line)


def one_line(text: str) -> str:
    """A short text (a question, a promise, a title) for a heading or list item: one line."""
    return " ".join(visible(text).split())


def reflection_markdown(reflection: Reflection) -> str:
    return record_markdown(ReflectionRecord.of(reflection))


def record_markdown(record: ReflectionRecord) -> str:
    bits = (str(record.session_date), record.setting, record.client, record.set_id)
    heading = " · ".join(escape(b) for b in bits if b)
    lines = [f"## Reflection {record.id}: {heading}", ""]
    if record.tags:
        lines += [f"Tags: {', '.join(escape(one_line(t)) for t in record.tags)}", ""]
    for answer in record.answers:
        lines += [f"### {escape(one_line(answer.question))}", ""]
        if answer.rating is not None:
            label = f" — {escape(one_line(answer.label))}" if answer.label else ""
            lines.append(f"{answer.rating}/5{label}")
        else:
            lines.append(escape(answer.text or ""))
        lines.append("")
    if record.followups:
        lines += ["### Promises", ""]
        lines += [promise_item(followup) for followup in record.followups]
        lines.append("")
    return "\n".join(lines)


STANDALONE_HEADING = "Promises without a reflection"


def standalone_markdown(promises: Sequence[FollowupRecord], level: int = 2) -> str:
    """The promises made with `rbp followups add`, as a section of their own."""
    items = [promise_item(promise, made=True) for promise in promises]
    return "\n".join([f"{'#' * level} {STANDALONE_HEADING}", "", *items, ""]) + "\n"


def promise_item(followup: FollowupRecord, made: bool = False) -> str:
    due = f" (due {followup.due})" if followup.due else ""
    mark = "x" if followup.status == "done" else " "
    dropped = " — dropped" if followup.status == "dropped" else ""
    when = f" — made {followup.created.date()}" if made else ""
    return f"- [{mark}] {escape(one_line(followup.text))}{due}{dropped}{when}"


def front_matter(record: ReflectionRecord) -> str:
    """YAML front matter written by a YAML library: the date a date, every string quoted as
    YAML needs, whatever a person typed."""
    import yaml  # PyYAML: only `export --split` writes front matter, so only it pays

    fields: dict[str, Any] = {
        "id": record.id, "uid": record.uid, "date": record.session_date,
        "client": record.client, "setting": record.setting, "set": record.set_id,
        "tags": list(record.tags),
    }  # fmt: skip
    body = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1_000_000)
    return "---\n" + body + "---\n\n"


def split_name(record: ReflectionRecord) -> str:
    return f"{record.session_date}-{record.id:06d}.md"
