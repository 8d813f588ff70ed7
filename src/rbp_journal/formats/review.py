"""The review and trends for files: markdown for supervision notes, CSV for spreadsheets."""

from __future__ import annotations

import csv
import datetime as dt
import io

from rbp_journal.formats.markdown import escape
from rbp_journal.models.reflection import Followup
from rbp_journal.review import (
    PROMISES_SHOWN,
    Review,
    Trends,
    arrow,
    excerpt,
    promises_left_out,
    sparkline,
)


def review_markdown(report: Review, today: dt.date) -> str:
    period = report.period
    who = f" — {report.client}" if report.client else ""
    counts = report.counts
    lines = [
        f"# Supervision review: {period.start} to {period.end}{who}",
        "",
        f"Compared with {report.previous_period.start} to {report.previous_period.end}.",
        "",
        f"- Reflections: {counts.reflections}",
        f"- Clients: {counts.clients}",
        "- Settings: " + (", ".join(f"{k} {v}" for k, v in counts.settings.items()) or "none"),
        "",
    ]
    if not counts.reflections:
        lines += ["No reflections in this period.", ""]
    if report.themes:
        lines += [
            "## Themes",
            "",
            "| theme | mean | before | change | ratings | weeks |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
        ]
        for stat in report.themes:
            change = f"{arrow(stat.change)} {stat.change:+.1f}" if stat.change is not None else ""
            name = stat.theme + (" (higher = heavier)" if stat.polarity == "heavier" else "")
            lines.append(
                f"| {name} | {_num(stat.mean)} | {_num(stat.previous)} | {change} | {stat.ratings} | `{sparkline(stat.weekly)}` |"
            )
        lines.append("")
    if report.flags:
        lines += ["## Flags", ""] + [f"- {flag.reason}" for flag in report.flags] + [""]
    if report.stand_out:
        lines += ["## Sessions that stood out", ""]
        lines += [
            f"- #{s.reflection_id}, {s.session_date}, {s.client or 'no client'}: {s.why}"
            for s in report.stand_out
        ]
        lines.append("")
    lines += ["## Open promises", ""]
    shown = report.followups[:PROMISES_SHOWN]
    lines += [_followup_line(f, today) for f in shown] or ["None."]
    if left_out := promises_left_out(report):
        lines += ["", left_out]
    lines.append("")
    if report.differently:
        lines += ["## What I said I would do differently", ""]
        lines += [
            f"- #{e.reflection_id} ({e.session_date}): {escape(excerpt(e.text))}"
            for e in report.differently
        ]
        lines.append("")
    if report.depth_note:
        lines += [f"*{escape(report.depth_note)}*", ""]
    lines += ["## Suggested agenda", ""]
    lines += [
        f"{n}. **{item.item}** — {item.why} *({item.function})*"
        for n, item in enumerate(report.agenda, 1)
    ]
    if not report.agenda:
        lines.append("Nothing stands out; bring what is on your mind.")
    return "\n".join(lines) + "\n"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _followup_line(followup: Followup, today: dt.date) -> str:
    late = followup.days_overdue(today)
    due = f", due {followup.due}" if followup.due else ""
    overdue = f" (**{late} day{'s' if late != 1 else ''} overdue**)" if late > 0 else ""
    source = f", {followup.client}" if followup.client else ""
    source += f", from #{followup.reflection_id}" if followup.reflection_id else ""
    return f"- #{followup.id} {escape(followup.text)}{due}{overdue}{source}"


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
