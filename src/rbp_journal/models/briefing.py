"""The shapes of the review in words (review_text.py builds them): spans, items, theme rows,
sections, the briefing, and how much each place shows."""

from __future__ import annotations

from typing import Literal, NamedTuple

from rbp_journal.review import LISTED, SPARK_WEEKS

Style = Literal["", "strong", "dim", "warn", "good", "code"]


class Span(NamedTuple):
    text: str
    style: Style = ""
    user: bool = False  # a person's own words: escaped by every renderer


Spans = tuple[Span, ...]


class Item(NamedTuple):
    marker: str
    spans: Spans
    one_line: bool = False  # evidence: on screen, cut to the width rather than wrapped

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


class ThemeRow(NamedTuple):
    theme: str
    name: str
    mean: str
    before: str
    change: str
    rated: str
    weeks: str
    tentative: bool  # the change
    thin: bool  # the mean itself: fewer than FIRM sessions this period
    worse: bool | None
    flagged: bool


COLUMNS = ("theme", "mean", "before", "change", "rated", f"{SPARK_WEEKS} weeks")


class Section(NamedTuple):
    key: str  # agenda, held_up, themes, stand_out, promises, differently
    title: str
    items: tuple[Item, ...] = ()
    notes: tuple[Item, ...] = ()  # what was left out, legends: said, never silent
    rows: tuple[ThemeRow, ...] = ()
    empty: str = ""  # said when there are no items


class Briefing(NamedTuple):
    title: str
    summary: Spans
    sections: tuple[Section, ...]


class Caps(NamedTuple):
    stand_out: int
    promises: int
    differently: int
    words: int  # characters of a person's words shown in one item
    screen: bool  # what is left out is then in the markdown; else only in the journal


SCREEN = Caps(stand_out=3, promises=3, differently=3, words=110, screen=True)
DOCUMENT = Caps(stand_out=6, promises=LISTED, differently=LISTED, words=400, screen=False)
