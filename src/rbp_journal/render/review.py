"""The review and trends as Rich renderables (the markdown and JSON forms are in exporting.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rbp_journal.models.reflection import Followup
from rbp_journal.review import (
    PROMISES_SHOWN,
    Review,
    ThemeStat,
    Trends,
    arrow,
    excerpt,
    is_worse,
    promises_left_out,
    sparkline,
)


def review_view(report: Review, today: dt.date) -> RenderableType:
    period = report.period
    title = f"Review {period.start} → {period.end}" + (
        f" · {report.client}" if report.client else ""
    )
    counts = report.counts
    settings = ", ".join(f"{name} {n}" for name, n in counts.settings.items()) or "none"
    parts: list[RenderableType] = [
        Text(
            f"{counts.reflections} reflection{'s' if counts.reflections != 1 else ''} · "
            f"{counts.clients} client{'s' if counts.clients != 1 else ''} · {settings}"
        )
    ]
    if not counts.reflections:
        parts.append(Text("No reflections in this period.", style="dim"))
    if report.themes:
        parts += [Text(""), theme_table(report)]
    if report.flags:
        parts += [Text(""), Text("Flags", style="bold")]
        parts += [Text(f"  ⚑ {flag.reason}", style="yellow") for flag in report.flags]
    if report.stand_out:
        parts += [Text(""), Text("Sessions that stood out", style="bold")]
        parts += [
            Text(f"  #{s.reflection_id} {s.session_date} {s.client or '-'}: {s.why}")
            for s in report.stand_out
        ]
    parts += [Text(""), Text("Open promises", style="bold")]
    shown = report.followups[:PROMISES_SHOWN]
    parts += [followup_line(f, today) for f in shown] or [Text("  none", style="dim")]
    if left_out := promises_left_out(report):
        parts.append(Text(f"  {left_out}", style="dim"))
    if report.differently:
        parts += [Text(""), Text("What I said I would do differently", style="bold")]
        parts += [
            Text(f"  #{e.reflection_id} {e.session_date}: {excerpt(e.text)}")
            for e in report.differently
        ]
    if report.depth_note:
        parts += [Text(""), Text(report.depth_note, style="italic")]
    parts += [Text(""), Text("Suggested agenda", style="bold")]
    for number, item in enumerate(report.agenda, start=1):
        parts.append(
            Text.assemble(
                f"  {number}. ",
                (item.item, "bold"),
                f" — {item.why} ",
                (f"({item.function})", "dim"),
            )
        )
    if not report.agenda:
        parts.append(Text("  Nothing stands out; bring what is on your mind.", style="dim"))
    return Panel(Group(*parts), title=title, title_align="left")


def theme_table(report: Review) -> Table:
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("theme")
    table.add_column("mean", justify="right")
    table.add_column("before", justify="right")
    table.add_column("change", justify="right")
    table.add_column("n", justify="right")
    table.add_column("weeks")
    flagged = {flag.theme for flag in report.flags}
    for stat in report.themes:
        table.add_row(
            Text(stat.theme + (" (higher = heavier)" if stat.polarity == "heavier" else "")),
            _number(stat.mean),
            _number(stat.previous),
            _change(stat),
            str(stat.ratings),
            Text(sparkline(stat.weekly), style="cyan"),
            Text("⚑", style="yellow") if stat.theme in flagged else "",
        )
    return table


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _change(stat: ThemeStat) -> Text:
    if stat.change is None:
        return Text("")
    style = "red" if is_worse(stat) else "green"
    return Text(f"{arrow(stat.change)} {stat.change:+.1f}", style=style)


def followup_line(followup: Followup, today: dt.date) -> Text:
    late = followup.days_overdue(today)
    due = f" — due {followup.due}" if followup.due else ""
    overdue = f" ({late} day{'s' if late != 1 else ''} overdue)" if late > 0 else ""
    source = f" · {followup.client}" if followup.client else ""
    source += f" · from #{followup.reflection_id}" if followup.reflection_id else ""
    status = "" if followup.status == "open" else f" [{followup.status}]"
    return Text.assemble(
        f"  #{followup.id} ", followup.text, due, (overdue, "red"), (source + status, "dim")
    )


def trends_view(trends: Trends) -> RenderableType:
    if not trends.themes:
        return Text("No ratings in these weeks.", style="dim")
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("theme")
    table.add_column(f"weeks from {trends.weeks[0]}")
    table.add_column("latest", justify="right")
    table.add_column("ratings", justify="right")
    for theme in trends.themes:
        table.add_row(
            theme.theme,
            Text(sparkline(theme.weekly), style="cyan"),
            _number(theme.latest),
            str(sum(theme.ratings)),
        )
    return table


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


def followup_lines(followups: Sequence[Followup], today: dt.date) -> Text:
    """A to-do list as one renderable: a line-by-line print costs a write and a wrap pass per
    promise, which a long list feels."""
    return Text("\n").join(followup_line(f, today) for f in followups)
