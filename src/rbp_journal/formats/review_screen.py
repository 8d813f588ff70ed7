"""The review as text for a terminal or a pipe (markdown and HTML are review.py and html.py).

The review's words come from review_text.py; this module only lays them out, with no Rich:
importing Rich cost a review about as long as Typer itself, for lines that need no more than
this. Every item hangs: a wrapped line continues under the words, never under the marker or at
column 0. Evidence items are cut to the width, their facts first and a person's words last.
Lines carry no trailing spaces, so a review written with --output reads cleanly in any editor.
Lines fold as Rich folded them (at spaces; a word longer than the line is cut into pieces), so
the screen reads as it did when Rich drew it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

from rbp_journal.formats.plain import Paint, cells, cut_cells, unpainted
from rbp_journal.models.briefing import COLUMNS, Briefing, Item, Span, Spans, ThemeRow
from rbp_journal.text import visible

STYLES = {"": "", "strong": "bold", "dim": "dim", "warn": "red", "good": "green", "code": ""}
INDENT = 2
TAIL_ROOM = 16  # fewer columns than this left for a person's words: they take the next line
_WORDS = re.compile(r"\s*\S+\s*")

Run = tuple[str, str]  # (text, style)
Line = list[Run]


def review_text(briefing: Briefing, width: int, paint: Paint = unpainted) -> str:
    """The whole review, `width` columns wide, painted for a terminal or not."""
    lines = [paint_line(line, paint) for line in review_lines(briefing, width)]
    return "".join(line + "\n" for line in lines)


def review_lines(briefing: Briefing, width: int) -> list[Line]:
    lines = hanging([], runs((Span(briefing.title, "strong"),)), width, hang=INDENT)
    lines += hanging([(" " * INDENT, "")], runs(briefing.summary), width)
    evidence = False
    for section in briefing.sections:
        # one blank line between the agenda, held up, themes and the evidence; the three
        # evidence lists run on under their headings, which keeps a week to one screen
        if section.key not in ("promises", "differently") or not evidence:
            lines.append([])
        evidence = evidence or section.key == "stand_out"
        if section.rows:
            lines += theme_table(section.title, section.rows, width)
        elif section.key == "held_up":  # one line: its title leads it, as a marker would
            lead = [(f"{section.title}: ", "bold")]
            lines += hanging(lead, runs(section.items[0].spans), width)
            continue
        else:
            lines += wrap([(section.title, "bold")], width)
        lines += items(section.items, width, empty=section.empty)
        lines += items(section.notes, width)
    return lines


def items(shown: Iterable[Item], width: int, empty: str = "") -> list[Line]:
    shown = list(shown)
    if not shown:
        return hanging([(" " * INDENT, "")], [(empty, "dim")], width) if empty else []
    marker = max(len(item.marker) for item in shown)
    out: list[Line] = []
    for item in shown:
        lead = [(" " * INDENT + (item.marker.ljust(marker) + " " if marker else ""), "")]
        words = next((i for i, span in enumerate(item.spans) if span.user), None)
        if item.one_line and words:  # the facts wrap; the person's words are cut to fit
            facts, separator = item.spans[: words - 1], item.spans[words - 1]
            tail = (runs((separator,)), runs(item.spans[words:]))
            out += hanging(lead, runs(facts), width, tail=tail)
        else:
            out += hanging(lead, runs(item.spans), width)
    return out


def hanging(
    lead: Line,
    text: Line,
    width: int,
    hang: int | None = None,
    tail: tuple[Line, Line] | None = None,
) -> list[Line]:
    """`lead text…` with every further line of the text indented under its first word (or by
    `hang`). A `tail` (a person's words) is cut to fit the last line, or a line of its own."""
    lead_cells = length(lead)
    hang = lead_cells if hang is None else hang
    room = max(8, width - max(lead_cells, hang))
    lines = wrap(text, room) or [[]]
    if tail is not None:
        separator, words = tail
        left = room - length(lines[-1]) - length(separator)
        if left >= TAIL_ROOM:
            lines[-1] = lines[-1] + separator
        else:
            left = room
            lines.append([])
        lines[-1] = lines[-1] + truncate(words, left)
    return [
        (lead if number == 0 else [(" " * hang, "")]) + rstrip(line)
        for number, line in enumerate(lines)
    ]


def theme_table(title: str, rows: Sequence[ThemeRow], width: int) -> list[Line]:
    """The section title heads the name column; fixed columns laid out by hand, as the cells
    are short and never wrap, with no padding after the last, cut at the width."""
    name = max(len(title) - INDENT, *(len(row.name) for row in rows))
    widths = [5, 6, 8, 5]
    gap = "  "
    header = title.ljust(INDENT + name)
    for size, column in zip(widths, COLUMNS[1:5], strict=True):
        header += gap + column.rjust(size)
    lines: list[Line] = [rstrip(crop([(header + gap + COLUMNS[5], "bold")], width))]
    for row in rows:
        dim = " dim" if row.thin else ""
        worse = "" if row.worse is None else ("red" if row.worse else "green")
        line: Line = [
            (" " * INDENT + row.name.ljust(name), dim),
            (f"{gap}{row.mean:>{widths[0]}}{gap}{row.before:>{widths[1]}}{gap}", dim),
            (f"{row.change:>{widths[2]}}", worse + dim),
            (f"{gap}{row.rated:>{widths[3]}}{gap}", dim),
            (row.weeks, "cyan" + dim),
        ]
        if row.flagged:
            pad = max(len(COLUMNS[5]), len(row.weeks)) - len(row.weeks) + 1
            line += [(" " * pad, dim), ("⚑", "yellow" + dim)]
        lines.append(rstrip(crop(line, width)))
    return lines


# --- styled text ---------------------------------------------------------------------------


def runs(spans: Spans) -> Line:
    """Spans as styled runs, every control character a person's words may hold made visible."""
    return [
        (visible(f"`{span.text}`" if span.style == "code" else span.text), STYLES[span.style])
        for span in spans
    ]


def length(line: Line) -> int:
    return sum(cells(text) for text, _ in line)


def plain_of(line: Line) -> str:
    return "".join(text for text, _ in line)


def piece(line: Line, start: int, end: int) -> Line:
    """The characters `start` to `end` of a line, with their styles."""
    out: Line = []
    at = 0
    for text, style in line:
        a, b = max(start, at), min(end, at + len(text))
        if a < b:
            out.append((text[a - at : b - at], style))
        at += len(text)
    return out


def rstrip(line: Line) -> Line:
    line = list(line)
    while line:
        text, style = line[-1]
        kept = text.rstrip()
        if kept:
            line[-1] = (kept, style)
            break
        line.pop()
    return line


def truncate(line: Line, size: int) -> Line:
    """The line cut to `size` columns, the last one "…" when anything was cut."""
    if length(line) <= size:
        return line
    kept = cut_cells(plain_of(line), max(size - 1, 0))
    cut = piece(line, 0, len(kept))
    return [*cut, ("…", cut[-1][1] if cut else "")]


def crop(line: Line, size: int) -> Line:
    return piece(line, 0, len(cut_cells(plain_of(line), size)))


def wrap(line: Line, width: int) -> list[Line]:
    """A line folded to `width` columns at spaces, at its own line ends too."""
    text, out, start = plain_of(line), [], 0
    for paragraph in text.split("\n"):
        end = start + len(paragraph)
        breaks = [start, *(start + b for b in breaks_in(paragraph, width)), end]
        out += [rstrip(piece(line, a, b)) for a, b in itertools.pairwise(breaks)]
        start = end + 1
    return out


def breaks_in(text: str, width: int) -> list[int]:
    """Where a line of `text` breaks to fit `width`: before a word that does not fit, and inside
    a word longer than a whole line (as Rich's divide_line folds)."""
    breaks: list[int] = []
    used = 0
    for match in _WORDS.finditer(text):
        start, word = match.start(), match.group()
        size = cells(word.rstrip())
        if width - used >= size:
            used += cells(word)
        elif size > width:
            for chunk in chop(word, width):
                if start:
                    breaks.append(start)
                start += len(chunk)
                used = cells(chunk)
        elif used and start:
            breaks.append(start)
            used = cells(word)
    return breaks


def chop(word: str, width: int) -> list[str]:
    """A word in pieces of `width` columns."""
    pieces: list[str] = []
    while word:
        taken = cut_cells(word, width) or word[0]
        pieces.append(taken)
        word = word[len(taken) :]
    return pieces


def paint_line(line: Line, paint: Paint) -> str:
    return "".join(paint(text, style.strip()) for text, style in line)
