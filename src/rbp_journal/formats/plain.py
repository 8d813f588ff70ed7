"""The read views as text: aligned columns and lines for `list`, `show`, `search` and
`followups`, plain for a pipe and painted with ANSI styles for a terminal.

Rich laid these out before, and importing it cost a command about half as long again as Typer
itself (and a Rich table of twenty rows another 25 ms) for columns that need no more than
this: the widest cell of each, two spaces between them, the last one cut to the terminal's
width. A pipe gets the same columns unpainted and, unless $COLUMNS gives a width, uncut, so
`grep` and `cut` see whole lines. Control characters a person's text may hold are shown as
their pictures (a stray escape sequence would otherwise reach the terminal); NO_COLOR keeps bold and dim and
drops colours, as Rich does.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence

from rbp_journal.models.views import (
    MARK_END,
    MARK_START,
    FollowupView,
    Page,
    ReflectionSummary,
    ReflectionView,
    SearchHit,
)
from rbp_journal.text import visible

Paint = Callable[[str, str], str]  # (text, style) -> text as the terminal should show it

LIST_COLUMNS = ("id", "date", "client", "setting", "set", "tags", "what happened")
NO_REFLECTIONS = "No reflections match. `rbp reflect` writes the first one."
NOTHING_FOUND = "Nothing found. Try fewer or shorter words."
NO_PROMISES = "No open promises."
_MARKS = re.compile(f"([{MARK_START}{MARK_END}])")
_PAINT_CODES = re.compile(r"\x1b\[[0-9;]*m")
_SGR = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "magenta": "35",
        "cyan": "36"}  # fmt: skip
_COLOURS = {"red", "green", "yellow", "magenta", "cyan"}
LAST_KEEPS = 30  # cells of the last column a terminal line keeps before `give` is cut
GIVE_KEEPS = 12  # ... and how narrow `give` may be cut for it


def unpainted(text: str, style: str) -> str:
    return text


def painter(colour: bool = True) -> Paint:
    """ANSI styles (a style is words like "bold yellow"); without `colour`, only bold and dim."""

    def paint(text: str, style: str) -> str:
        codes = [_SGR[word] for word in style.split() if colour or word not in _COLOURS]
        return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes and text else text

    return paint


def clean(text: str) -> str:
    """A person's text as it may be shown: control characters as their pictures (text.visible,
    the one way rbp shows stored words), so none acts on a terminal."""
    return visible(text)


def cells(text: str) -> int:
    """Columns of a terminal `text` takes: two for a wide character, none for a combining one."""
    if text.isascii():
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def cut_cells(text: str, size: int) -> str:
    """The start of `text` that fits in `size` columns."""
    if text.isascii():
        return text[:size]
    taken = 0
    for index, char in enumerate(text):
        taken += cells(char)
        if taken > size:
            return text[:index]
    return text


def columns(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Collection[int] = (),
    width: int | None = None,
    paint: Paint = unpainted,
    styles: Mapping[int, str] | None = None,
    give: int | None = None,
) -> list[str]:
    """Rows under a bold header, each column as wide as its widest cell, two spaces apart; the
    columns in `right` aligned to the right, the last one left unpadded, and cut with "…" to
    fit `width` when there is one; `styles` paints whole columns. Column `give` is cut too when
    the last one would otherwise keep fewer than LAST_KEEPS cells (long tags at 80 columns left
    "what happened" five)."""
    styles = styles or {}
    widths = [max(cells(row[i]) for row in [header, *rows]) for i in range(len(header))]
    last = len(header) - 1
    room = None if width is None else width - sum(widths[:last]) - 2 * last
    if room is not None and give is not None:
        short = min(LAST_KEEPS, widths[last]) - room
        if short > 0:
            given = min(short, widths[give] - GIVE_KEEPS)
            if given > 0:
                widths[give] -= given
                room += given
    lines = []
    for number, row in enumerate([header, *rows]):
        raw, shown = [], []
        for i, cell in enumerate(row):
            if i == last and room is not None and room > 1 and cells(cell) > room:
                cell = cut_cells(cell, room - 1) + "…"
            elif i == give and cells(cell) > widths[i]:
                cell = cut_cells(cell, widths[i] - 1) + "…"
            pad = " " * (widths[i] - cells(cell)) if i != last else ""
            raw.append(pad + cell if i in right else cell + pad)
            if number and styles.get(i):
                cell = paint(cell, styles[i])
            shown.append(pad + cell if i in right else cell + pad)
        line = "  ".join(shown).rstrip()
        if width is not None and cells(plain := "  ".join(raw).rstrip()) > width:
            line = cut_cells(plain, width - 1) + "…"  # no room even for the last column
        lines.append(paint(line, "bold") if number == 0 else line)
    return lines


def text(lines: Sequence[str]) -> str:
    return "".join(line + "\n" for line in lines)


# --- list ---------------------------------------------------------------------------------


def list_cells(row: ReflectionSummary) -> list[str]:
    """One reflection's cells of `rbp list`."""
    return [
        str(row.id),
        row.session_date.isoformat(),
        clean(row.client or "-"),
        row.setting or "-",
        row.set_id + (" (draft)" if row.status == "draft" else ""),
        clean(", ".join(row.tags)),
        clean(" ".join((row.excerpt or "").split())),
    ]


def reflection_list(
    rows: Sequence[ReflectionSummary], width: int | None = None, paint: Paint = unpainted
) -> str:
    if not rows:
        return paint(NO_REFLECTIONS, "dim") + "\n"
    table = [list_cells(row) for row in rows]
    shown = columns(LIST_COLUMNS, table, width=width, paint=paint, styles={0: "cyan"}, give=5)
    return text(shown)


# --- show ---------------------------------------------------------------------------------


def title(reflection: ReflectionView) -> str:
    bits = [f"#{reflection.id}", reflection.session_date.isoformat()]
    bits += [clean(b) for b in (reflection.client, reflection.setting) if b]
    bits.append(reflection.set_id + (" (draft)" if reflection.status == "draft" else ""))
    return " · ".join(bits)


def rating_bar(rating: int) -> str:
    return "●" * rating + "○" * (5 - rating)


def reflection_text(
    reflection: ReflectionView,
    depth_line: str | None = None,
    paint: Paint = unpainted,
    width: int | None = None,
) -> str:
    """One reflection: its title, each question with its answer, promises, tags, depth; the
    answers folded at word boundaries to `width` when there is one."""
    lines = [paint(title(reflection), "bold"), ""]
    for answer in reflection.answers:
        lines.append(paint(clean(answer.question), "bold") + paint(f"  {answer.theme}", "dim"))
        if answer.rating is not None:
            bar = paint(rating_bar(answer.rating), "cyan")
            lines.append(f"{bar} {answer.rating}/5 — {clean(answer.label or '')}")
        else:
            lines += _folded(clean(answer.text or ""), width)
        lines.append("")
    if reflection.followups:
        lines.append(paint("Promises", "bold"))
        for followup in reflection.followups:
            due = f" (due {followup.due.isoformat()})" if followup.due else ""
            lines.append(f"  [{followup.status}] #{followup.id} {clean(followup.text)}{due}")
    if reflection.tags:
        lines.append(paint("tags: " + clean(", ".join(reflection.tags)), "magenta"))
    if depth_line:
        lines.append(paint(depth_line, "dim"))
    while lines and not lines[-1]:
        lines.pop()
    return text(lines)


def hang(line: str, width: int | None, indent: str) -> list[str]:
    """A painted line folded at spaces to `width`, every line after the first under `indent`
    (a terminal's own wrap would start them at column 0)."""
    if width is None or cells(_PAINT_CODES.sub("", line)) <= width:
        return [line]
    words = line.lstrip(" ").split(" ")
    lines, current = [], line[: len(line) - len(line.lstrip(" "))] + words[0]
    used = cells(_PAINT_CODES.sub("", current))
    for word in words[1:]:
        size = cells(_PAINT_CODES.sub("", word))
        if used + 1 + size > width:
            lines.append(current)
            current, used = indent + word, len(indent) + size
        else:
            current, used = f"{current} {word}", used + 1 + size
    return [*lines, current]


def _folded(paragraphs: str, width: int | None) -> list[str]:
    if width is None:
        return paragraphs.split("\n")
    folded = []
    for paragraph in paragraphs.split("\n"):
        folded += textwrap.wrap(paragraph, width, break_on_hyphens=False) or [""]
    return folded


# --- search -------------------------------------------------------------------------------


def hit_heading(hit: SearchHit) -> str:
    if hit.reflection_id is None:
        return f"promise #{hit.followup_id} · made without a reflection"
    heading = f"#{hit.reflection_id} · {hit.session_date}"
    return heading + (f" · {clean(hit.client)}" if hit.client else "")


def search_text(
    hits: Sequence[SearchHit], paint: Paint = unpainted, width: int | None = None
) -> str:
    """Each hit's reflection and question, then its snippet with the matched words marked
    (painted; a pipe gets the words alone), folded under a hanging indent to `width`."""
    if not hits:
        return paint(NOTHING_FOUND, "dim") + "\n"
    lines = []
    for hit in hits:
        heading = paint(hit_heading(hit), "cyan") + paint(f"  {clean(hit.question)}", "dim")
        lines += hang(heading, width, "    ")
        pieces = _MARKS.split(" ".join(hit.snippet.split()))
        shown, inside = [], False
        for piece in pieces:  # the markers are control characters: split before cleaning
            if piece in (MARK_START, MARK_END):
                inside = piece == MARK_START
            elif piece:
                shown.append(paint(clean(piece), "bold yellow") if inside else clean(piece))
        lines += hang("  " + "".join(shown), width, "  ")
    return text(lines)


# --- promises -----------------------------------------------------------------------------


def followup_line(followup: FollowupView, today: dt.date, paint: Paint = unpainted) -> str:
    """A promise: what, when due, how late (red) and where it came from (dim)."""
    late = followup.days_overdue(today)
    due = f" — due {followup.due}" if followup.due else ""
    overdue = f" ({late} day{'s' if late != 1 else ''} overdue)" if late > 0 else ""
    source = f" · {clean(followup.client)}" if followup.client else ""
    source += f" · from #{followup.reflection_id}" if followup.reflection_id else ""
    status = "" if followup.status == "open" else f" [{followup.status}]"
    promise = f"  #{followup.id} {clean(followup.text)}{due}"
    return promise + paint(overdue, "red") + paint(source + status, "dim")


def more_promises(more: int, total: int) -> str | None:
    """The line under a page of promises that is not all of them."""
    if more <= 0:
        return None
    things = "promise" if more == 1 else "promises"
    return f"… and {more} more {things}: `rbp followups -n {total}` shows them all."


def followups_text(
    page: Page, today: dt.date, paint: Paint = unpainted, width: int | None = None
) -> str:
    lines = [line for f in page.rows for line in hang(followup_line(f, today, paint), width, "  ")]
    note = more_promises(page.more, page.total)
    return text([*lines, paint(note, "dim")] if note else lines)
