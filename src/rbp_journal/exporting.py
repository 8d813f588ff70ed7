"""Writers that turn reflections into markdown and JSON for people and scripts.

Output here is plain text: no colour and no Rich markup, whatever the terminal.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

from rbp_journal.models import Followup, Reflection
from rbp_journal.review import Review, Trends, arrow, excerpt, sparkline

FORMAT_VERSION = 1


def reflection_markdown(reflection: Reflection) -> str:
    title = " · ".join(
        bit
        for bit in (
            reflection.session_date.isoformat(),
            reflection.setting,
            reflection.client,
            reflection.set_id,
        )
        if bit
    )
    lines = [f"## Reflection {reflection.id}: {title}", ""]
    if reflection.tags:
        lines += [f"Tags: {', '.join(reflection.tags)}", ""]
    for answer in reflection.answers:
        lines += [f"### {answer.question}", ""]
        if answer.rating is not None:
            lines.append(f"{answer.rating}/5 — {answer.label or ''}".rstrip(" —"))
        else:
            lines.append(answer.text or "")
        lines.append("")
    if reflection.followups:
        lines += ["### Promises", ""]
        for followup in reflection.followups:
            due = f" (due {followup.due.isoformat()})" if followup.due else ""
            mark = "x" if followup.status == "done" else " "
            dropped = " — dropped" if followup.status == "dropped" else ""
            lines.append(f"- [{mark}] {followup.text}{due}{dropped}")
        lines.append("")
    return "\n".join(lines)


def reflection_data(reflection: Reflection) -> dict[str, Any]:
    return reflection.model_dump(mode="json")


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


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
    lines += [_followup_line(f, today) for f in report.followups] or ["None."]
    lines.append("")
    if report.differently:
        lines += ["## What I said I would do differently", ""]
        lines += [
            f"- #{e.reflection_id} ({e.session_date}): {_escape(excerpt(e.text))}"
            for e in report.differently
        ]
        lines.append("")
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
    return f"- #{followup.id} {_escape(followup.text)}{due}{overdue}{source}"


def _escape(text: str) -> str:
    """Keep a person's words from being read as markdown structure."""
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)


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
