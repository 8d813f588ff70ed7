"""The review, trends and promises as Rich renderables.

The review's words come from review_text.py; this module only lays them out. Every item hangs:
a wrapped line continues under the words, never under the marker or at column 0. Evidence
items are cut to the width, their facts first and a person's words last. Lines carry no
trailing padding, so a review written with --output reads cleanly in any editor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from rbp_journal.models.briefing import COLUMNS, Briefing, Item, Span, Spans, ThemeRow
from rbp_journal.models.reflection import Followup
from rbp_journal.models.review import Trends
from rbp_journal.render.safe import assemble
from rbp_journal.text import visible
from rbp_journal.trends import newest_weeks, sparkline

STYLES = {"": "", "strong": "bold", "dim": "dim", "warn": "red", "good": "green", "code": ""}
INDENT = 2


class Hanging:
    """`marker text…` with every further line of the text indented under its first word (or by
    `hang`). A `tail` (a person's words) is cut to fit the last line, or a line of its own."""

    def __init__(
        self,
        lead: str | Text,
        text: Text,
        hang: int | None = None,
        tail: tuple[Text, Text] | None = None,
    ) -> None:
        self.lead = Text(lead) if isinstance(lead, str) else lead
        self.text = text
        self.hang = len(self.lead) if hang is None else hang
        self.tail = tail  # (separator, words)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(8, options.max_width - max(len(self.lead), self.hang))
        lines = list(self.text.wrap(console, width)) or [Text()]
        if self.tail is not None:
            separator, words = self.tail
            last = lines[-1]
            if width - last.cell_len - separator.cell_len >= TAIL_ROOM:
                room = width - last.cell_len - separator.cell_len
                last.append_text(separator)
            else:
                room, last = width, Text()
                lines.append(last)
            words = words.copy()
            words.truncate(room, overflow="ellipsis")
            last.append_text(words)
        for number, line in enumerate(lines):
            line.rstrip()
            yield (self.lead if number == 0 else Text(" " * self.hang)) + line


TAIL_ROOM = 16  # fewer columns than this left for a person's words: they take the next line


def review_view(briefing: Briefing) -> RenderableType:
    parts: list[RenderableType] = [
        Hanging("", _text((Span(briefing.title, "strong"),)), hang=INDENT),
        Hanging(" " * INDENT, _text(briefing.summary)),
    ]
    evidence = False
    for section in briefing.sections:
        # one blank line between the agenda, held up, themes and the evidence; the three
        # evidence lists run on under their headings, which keeps a week to one screen
        if section.key not in ("promises", "differently") or not evidence:
            parts.append(Text(""))
        evidence = evidence or section.key == "stand_out"
        if section.rows:
            parts += theme_table(section.title, section.rows)
        elif section.key == "held_up":  # one line: its title leads it, as a marker would
            title = Text(f"{section.title}: ", style="bold")
            parts.append(Hanging(title, _text(section.items[0].spans)))
            continue
        else:
            parts.append(Text(section.title, style="bold"))
        parts += _items(section.items, empty=section.empty)
        parts += _items(section.notes)
    return Group(*parts)


def _items(items: Iterable[Item], empty: str = "") -> list[RenderableType]:
    items = list(items)
    if not items:
        return [Hanging(" " * INDENT, Text(empty, style="dim"))] if empty else []
    width = max(len(item.marker) for item in items)
    out: list[RenderableType] = []
    for item in items:
        lead = " " * INDENT + (item.marker.ljust(width) + " " if width else "")
        words = next((i for i, span in enumerate(item.spans) if span.user), None)
        if item.one_line and words:  # the facts wrap; the person's words are cut to fit
            facts, separator = item.spans[: words - 1], item.spans[words - 1]
            tail = (_text((separator,)), _text(item.spans[words:]))
            out.append(Hanging(lead, _text(facts), tail=tail))
        else:
            out.append(Hanging(lead, _text(item.spans)))
    return out


def _text(spans: Spans) -> Text:
    text = Text()
    for span in spans:
        words = f"`{span.text}`" if span.style == "code" else span.text
        text.append(visible(words), style=STYLES[span.style] or None)
    return text


def theme_table(title: str, rows: tuple[ThemeRow, ...]) -> list[RenderableType]:
    """The section title heads the name column; fixed columns laid out by hand, as the cells
    are short and never wrap, with no padding after the last."""
    name = max(len(title) - INDENT, *(len(row.name) for row in rows))
    widths = [5, 6, 8, 5]
    gap = "  "
    header = Text(title.ljust(INDENT + name), style="bold")
    for width, column in zip(widths, COLUMNS[1:5], strict=True):
        header.append(gap + column.rjust(width))
    header.append(gap + COLUMNS[5])
    lines: list[RenderableType] = [_no_wrap(header)]
    for row in rows:
        line = Text(" " * INDENT + row.name.ljust(name))
        line.append(f"{gap}{row.mean:>{widths[0]}}{gap}{row.before:>{widths[1]}}{gap}")
        worse = None if row.worse is None else ("red" if row.worse else "green")
        line.append(f"{row.change:>{widths[2]}}", style=worse)
        line.append(f"{gap}{row.rated:>{widths[3]}}{gap}")
        line.append(row.weeks, style="cyan")
        if row.flagged:
            line.append(" " * (max(len(COLUMNS[5]), len(row.weeks)) - len(row.weeks) + 1))
            line.append("⚑", style="yellow")
        if row.thin:
            line.stylize("dim")
        lines.append(_no_wrap(line))
    return lines


def _no_wrap(text: Text) -> Text:
    text.rstrip()
    text.no_wrap, text.overflow = True, "crop"
    return text


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def followup_line(followup: Followup, today: dt.date) -> Text:
    late = followup.days_overdue(today)
    due = f" — due {followup.due}" if followup.due else ""
    overdue = f" ({late} day{'s' if late != 1 else ''} overdue)" if late > 0 else ""
    source = f" · {followup.client}" if followup.client else ""
    source += f" · from #{followup.reflection_id}" if followup.reflection_id else ""
    status = "" if followup.status == "open" else f" [{followup.status}]"
    return assemble(
        f"  #{followup.id} ", followup.text, due, (overdue, "red"), (source + status, "dim")
    )


# the trends table around its sparkline: theme, latest and ratings, two spaces between columns
_LATEST, _RATINGS, _GAPS = len("latest"), len("ratings"), 3 * 2


def trends_view(trends: Trends, width: int) -> RenderableType:
    """Each theme's sparkline, as many of the newest weeks as the width holds."""
    if not trends.themes:
        return Text("No ratings in these weeks.", style="dim")
    name = max(len(t.theme) for t in trends.themes)
    fitted, dropped = newest_weeks(trends, width - name - _LATEST - _RATINGS - _GAPS)
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("theme", no_wrap=True)
    table.add_column(f"from {fitted.weeks[0]}", no_wrap=True, overflow="crop")
    table.add_column("latest", justify="right", no_wrap=True)
    table.add_column("ratings", justify="right", no_wrap=True)
    for theme in fitted.themes:
        table.add_row(
            theme.theme,
            Text(sparkline(theme.weekly), style="cyan"),
            _number(theme.latest),
            str(sum(theme.ratings)),
        )
    if not dropped:
        return table
    weeks = "week" if dropped == 1 else "weeks"
    note = Text(
        f"{dropped} older {weeks} left out to fit; --format csv has them all.",
        style="dim",
    )
    return Group(table, note)


def theme_weeks_view(trends: Trends) -> RenderableType:
    theme = trends.themes[0] if trends.themes else None
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("week of")
    table.add_column("mean", justify="right")
    table.add_column("ratings", justify="right")
    table.add_column("")
    for index, start in enumerate(trends.weeks):
        mean = theme.weekly[index] if theme else None
        bar = "█" * round(mean * 4) if mean is not None else ""
        table.add_row(
            str(start),
            _number(mean),
            str(theme.ratings[index] if theme else 0),
            Text(bar, style="cyan"),
        )
    return table


def followup_lines(followups: Iterable[Followup], today: dt.date) -> Text:
    """A to-do list as one renderable: a line-by-line print costs a write and a wrap pass per
    promise, which a long list feels."""
    return Text("\n").join(followup_line(f, today) for f in followups)
