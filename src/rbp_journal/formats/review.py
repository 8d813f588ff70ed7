"""`rbp review --format markdown` and `rbp trends --format csv`: plain text for documents and
spreadsheets, no colour and no Rich markup.

The review's sentences come from review_text.py (the same ones the screen shows), here with
the document's longer lists; a person's words are escaped so they cannot become markdown.
"""

from __future__ import annotations

import csv
import io

from rbp_journal.formats.markdown import escape as _escape
from rbp_journal.models.briefing import COLUMNS, DOCUMENT, Item, Section, Spans
from rbp_journal.models.review import Review, Trends
from rbp_journal.review_text import briefing


def review_markdown(report: Review) -> str:
    text = briefing(report, DOCUMENT)
    lines = [f"# {text.title}", "", _inline(text.summary), ""]
    for section in text.sections:
        lines += [f"## {section.title}", ""]
        lines += _section(section)
    return "\n".join(lines).rstrip("\n") + "\n"


def _section(section: Section) -> list[str]:
    lines: list[str] = []
    if section.rows:
        lines += [
            "| " + " | ".join(COLUMNS) + " |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
        ]
        for row in section.rows:
            name = row.name + (" ⚑" if row.flagged else "")
            lines.append(
                f"| {name} | {row.mean} | {row.before} | {row.change} | {row.rated} | `{row.weeks}` |"
            )
        lines.append("")
    numbered = section.key == "agenda"
    for item in section.items:
        lines += _item(item, numbered)
    if not section.items and section.empty:
        lines.append(section.empty)
    if section.items or section.empty:
        lines.append("")
    for note in section.notes:
        lines += [_inline(note.spans), ""]
    return lines


def _item(item: Item, numbered: bool) -> list[str]:
    words = _inline(item.spans)
    if numbered:
        return [f"{item.marker} {words}"]
    return [f"- **{item.marker}** {words}" if item.marker else words]


def _inline(spans: Spans) -> str:
    out = []
    for span in spans:
        text = _escape(span.text) if span.user else span.text
        if not text:
            continue
        if span.style == "strong":
            out.append(f"**{text}**")
        elif span.style == "code":
            out.append(f"`{text}`")
        elif span.style == "dim" and text.strip():
            out.append(f"*{text.strip()}*" + (" " if text.endswith(" ") else ""))
        else:
            out.append(text)
    return "".join(out)


def trends_csv(trends: Trends) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["week_start", "theme", "mean", "ratings"])
    for theme in trends.themes:
        for start, mean, count in zip(trends.weeks, theme.weekly, theme.ratings, strict=True):
            writer.writerow(
                [start.isoformat(), theme.theme, "" if mean is None else f"{mean:.2f}", count]
            )
    return buffer.getvalue()
