"""The review in words: every sentence of `rbp review` is built here once, and the screen
(formats/review_screen.py), markdown (formats/review.py) and the HTML pack (formats/html.py) render it.

A `Briefing` is a title, a summary and sections in the order a person walks into supervision
with them: the agenda, what held up, themes, then the evidence (sessions that stood out,
promises, what I would do differently). A section holds items; an item is a marker (`1.`,
`#12`) and spans that wrap under the text, never under the marker. An evidence item is
`one_line`: its facts come first and a person's words last, so the screen can cut the words to
the width while a document prints them whole. Spans carry a meaning, not a terminal style, and a
person's words are marked `user` so that every renderer escapes them. How much a section lists
depends on where it is read (`SCREEN` or `DOCUMENT`); what is left out is always said.
"""

from __future__ import annotations

from rbp_journal.models.briefing import (
    SCREEN,
    Briefing,
    Caps,
    Item,
    Section,
    Span,
    Spans,
    ThemeRow,
)
from rbp_journal.models.review import Review, ThemeStat
from rbp_journal.review import FIRM, is_thin, worse
from rbp_journal.review_words import arrow, display_name, plural, this
from rbp_journal.text import excerpt
from rbp_journal.trends import sparkline


def briefing(report: Review, caps: Caps = SCREEN) -> Briefing:
    sections = [
        agenda_section(report),
        held_up_section(report),
        themes_section(report),
        stand_out_section(report, caps),
        promises_section(report, caps),
        differently_section(report, caps),
    ]
    return Briefing(
        title=title(report),
        summary=summary(report),
        sections=tuple(s for s in sections if s is not None),
    )


def title(report: Review) -> str:
    period = report.period
    who = f" · {report.client}" if report.client else ""
    return f"Review of {period.start} to {period.end}, against the {plural(period.days, 'day')} before{who}"


def summary(report: Review) -> Spans:
    counts = report.counts
    if not counts.reflections:
        return (Span(f"No reflections {this(report.period, report.made_on)}.", "dim"),)
    settings = ", ".join(f"{name} {n}" for name, n in counts.settings.items())
    return (
        Span(
            f"{plural(counts.reflections, 'reflection')} · {plural(counts.clients, 'client')}"
            f" · {settings}"
        ),
    )


def agenda_section(report: Review) -> Section:
    items = tuple(
        Item(
            marker=f"{number}.",
            spans=(
                Span(item.item, "strong"),
                Span(f" — {item.why} "),
                Span(f"({item.function})", "dim"),
            ),
        )
        for number, item in enumerate(report.agenda, start=1)
    )
    notes = (Item("", (Span(report.depth_note, "dim"),)),) if report.depth_note else ()
    return Section(
        key="agenda",
        title="Suggested agenda",
        items=items,
        notes=notes,
        empty="Nothing has a pattern behind it; bring what is on your mind.",
    )


def held_up_section(report: Review) -> Section | None:
    if not report.held_up:
        return None
    words = ". ".join(_capital(h.sentence) for h in report.held_up) + "."
    return Section(key="held_up", title="Held up", items=(Item("", (Span(words),)),))


def themes_section(report: Review) -> Section | None:
    if not report.themes:
        return None
    legend = [f"rated: sessions that rated it {this(report.period, report.made_on)}"]
    if any(stat.tentative or is_thin(stat) for stat in report.themes):
        legend.append(f"(…) tentative: fewer than {FIRM} sessions behind it")
    if any(stat.flagged for stat in report.themes):
        legend.append("⚑ on the agenda")
    heavier = [display_name(s.theme) for s in report.themes if s.polarity == "heavier"]
    if heavier:
        legend.append(f"{' and '.join(heavier)}: higher is heavier")
    return Section(
        key="themes",
        title="Themes",
        rows=tuple(theme_row(stat) for stat in report.themes),
        notes=(Item("", (Span(" · ".join(legend), "dim"),)),),
    )


def theme_row(stat: ThemeStat) -> ThemeRow:
    change = ""
    if stat.change is not None:
        figure = "0.0" if stat.direction == "steady" else f"{stat.change:+.1f}"
        change = f"{arrow(stat.direction)} {figure}"
        if stat.tentative:
            change = f"({change})"
    thin = is_thin(stat) and stat.mean is not None
    return ThemeRow(
        theme=stat.theme,
        name=display_name(stat.theme),
        mean=f"({_number(stat.mean)})" if thin else _number(stat.mean),
        before=_number(stat.previous),
        change=change,
        rated=str(stat.sessions),
        weeks=sparkline(stat.weekly),
        tentative=stat.tentative,
        thin=thin,
        worse=None if stat.tentative else worse(stat),
        flagged=stat.flagged,
    )


def stand_out_section(report: Review, caps: Caps) -> Section | None:
    if not report.stand_out:
        return None
    items = tuple(
        Item(
            marker=f"#{s.reflection_id}",
            spans=(
                Span(f"{s.session_date} · {s.client or 'no client'} · "),
                Span("; ".join(s.reasons), "strong"),
                *(
                    (Span(" — "), Span(f"“{excerpt(s.excerpt, caps.words)}”", "dim", user=True))
                    if s.excerpt
                    else ()
                ),
            ),
            one_line=True,
        )
        for s in report.stand_out[: caps.stand_out]
    )
    more = len(report.stand_out) - len(items)
    return Section(
        key="stand_out",
        title="Sessions that stood out",
        items=items,
        notes=(_more(more, report, caps),) if more > 0 else (),
    )


def promises_section(report: Review, caps: Caps) -> Section:
    today = report.made_on
    items = []
    for f in report.followups[: caps.promises]:
        late = f.days_overdue(today)
        when = (
            Span(f"{plural(late, 'day')} overdue", "warn")
            if late
            else Span(f"due {f.due}" if f.due else "no date")
        )
        items.append(
            Item(
                marker=f"#{f.id}",
                spans=(
                    Span(f"{f.client} · " if f.client else ""),
                    when,
                    Span(" — "),
                    Span(excerpt(f.text, caps.words), user=True),
                ),
                one_line=True,
            )
        )
    more = report.followups_in_period - len(items)
    others = report.other_open
    note = None
    late_others = f" ({report.other_overdue} overdue)" if report.other_overdue else ""
    if more > 0 and others:
        note = f"and {more} more, with {plural(others, 'other open promise')}{late_others}: "
    elif more > 0:
        note = f"and {more} more: "
    elif others:
        verb = "is" if others == 1 else "are"
        note = f"{plural(others, 'other promise')}{late_others} {verb} open now: "
    notes = (Item("", (Span(note, "dim"), Span("rbp followups", "code"))),) if note else ()
    return Section(
        key="promises",
        title=f"Promises made or due {this(report.period, report.made_on)}",
        items=tuple(items),
        notes=notes,
        empty="None.",
    )


def differently_section(report: Review, caps: Caps) -> Section | None:
    if not report.differently:
        return None
    items = tuple(
        Item(
            marker=f"#{e.reflection_id}",
            spans=(Span(f"{e.session_date} — "), Span(excerpt(e.text, caps.words), user=True)),
            one_line=True,
        )
        for e in report.differently[: caps.differently]
    )
    more = report.differently_total - len(items)
    return Section(
        key="differently",
        title="What I said I would do differently",
        items=items,
        notes=(_more(more, report, caps),) if more > 0 else (),
    )


def _more(more: int, report: Review, caps: Caps) -> Item:
    period = report.period
    where = (
        "--format markdown"
        if caps.screen
        else f"rbp export --since {period.start} --until {period.end}"
    )
    return Item(
        "", (Span(f"and {more} more; ", "dim"), Span(where, "code"), Span(" has them all", "dim"))
    )


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]
