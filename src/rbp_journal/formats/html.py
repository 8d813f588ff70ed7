"""`rbp review --format html`: the supervision pack, one self-contained file to print on A4.

The words are review_text.py's (the document's lists, as markdown has them) and the numbers the
review's own, so the pack says what `--format json` says. Each theme gets a small inline SVG
chart of its weekly means: the concerning band shaded by polarity (low for most themes, high
for emotional load), and a week rated in fewer than FIRM sessions drawn hollow, as tentative.
No scripts, fonts, images or links leave the file; every piece of text is escaped.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from rbp_journal import __version__
from rbp_journal.models.briefing import COLUMNS, DOCUMENT, Briefing, Item, Section, Spans, ThemeRow
from rbp_journal.models.review import Review, ThemeStat
from rbp_journal.review import FIRM, HIGH, LOW, SPARK_WEEKS, is_thin
from rbp_journal.review_text import briefing
from rbp_journal.trends import week_starts

STYLE = """
@page { size: A4; margin: 15mm 14mm 16mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 182mm; padding: 10mm 0 14mm; color: #1f2430;
  font: 10pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
h1 { font-size: 17pt; margin: 0 0 1mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; padding-bottom: 1mm; border-bottom: 1px solid #cdd3de;
  break-after: avoid; page-break-after: avoid; }
p, ol, ul { margin: 0 0 2mm; }
ol, ul { padding-left: 6mm; }
li { margin: 0 0 1.2mm; break-inside: avoid; page-break-inside: avoid; }
.period { color: #4a5263; margin: 0; }
.summary { margin: 1mm 0 0; }
.dim { color: #5f6778; }
.warn { color: #a3261b; }
.worse { color: #a3261b; }
.better { color: #1d6b3a; }
.marker { font-weight: 600; font-variant-numeric: tabular-nums; }
.agenda li { padding-left: 1mm; }
.held { background: #eef5ef; border-left: 3px solid #5d9c6c; padding: 2mm 3mm; }
table.themes { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.themes th, table.themes td { padding: 1mm 2mm; border-bottom: 1px solid #e3e7ee;
  text-align: right; }
table.themes th:first-child, table.themes td:first-child { text-align: left; }
table.themes tr { break-inside: avoid; page-break-inside: avoid; }
table.themes tr.tentative td { color: #7b8292; }
.legend { font-size: 8.5pt; color: #5f6778; margin-top: 1.5mm; }
.charts { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 3mm; margin-top: 3mm; }
figure.chart { margin: 0; padding: 2mm 2.5mm 1mm; border: 1px solid #dfe3ea; border-radius: 2mm;
  break-inside: avoid; page-break-inside: avoid; }
figure.chart figcaption { font-size: 9pt; margin-bottom: 0.5mm; }
figure.chart figcaption b { font-size: 9.5pt; }
figure.chart svg { display: block; width: 100%; height: auto; }
.quote { color: #3a4150; font-style: italic; }
code { font: 9pt ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  background: #f1f3f7; padding: 0 1mm; border-radius: 1mm; }
footer { margin-top: 8mm; font-size: 8.5pt; color: #5f6778; border-top: 1px solid #cdd3de;
  padding-top: 2mm; }
@media print { body { padding: 0; max-width: none; } }
"""

CLASSES = {"": "", "strong": "", "dim": "dim", "warn": "warn", "good": "better", "code": ""}


def review_html(report: Review) -> str:
    text = briefing(report, DOCUMENT)
    body = [_header(text)]
    for section in text.sections:
        body.append(_section(section, report))
    body.append(
        f"<footer>Made by rbp {escape(__version__)} on {report.made_on}. Identifying details "
        "are masked and people appear by client code only, as in every review. "
        "Keep this pack as you would the journal.</footer>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(text.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _header(text: Briefing) -> str:
    return (
        "<header>\n<h1>Supervision pack</h1>\n"
        f'<p class="period">{escape(text.title)}</p>\n'
        f'<p class="summary">{_inline(text.summary)}</p>\n</header>'
    )


def _section(section: Section, report: Review) -> str:
    parts = [
        f'<section id="{section.key}" class="{section.key}">',
        f"<h2>{escape(section.title)}</h2>",
    ]
    if section.key == "held_up":
        parts.append(f'<p class="held">{_inline(section.items[0].spans)}</p>')
    elif section.rows:
        parts.append(_theme_table(section.rows))
    elif section.items:
        tag = "ol" if section.key == "agenda" else "ul"
        parts.append(f"<{tag}>")
        parts += [_item(item, numbered=tag == "ol") for item in section.items]
        parts.append(f"</{tag}>")
    elif section.empty:
        parts.append(f'<p class="dim">{escape(section.empty)}</p>')
    for note in section.notes:
        parts.append(f'<p class="{"legend" if section.rows else "dim"}">{_inline(note.spans)}</p>')
    if section.rows:
        parts.append(_charts(report))
    parts.append("</section>")
    return "\n".join(parts)


def _item(item: Item, numbered: bool) -> str:
    marker = "" if numbered else f'<span class="marker">{escape(item.marker)}</span> '
    return f"<li>{marker}{_inline(item.spans)}</li>"


def _inline(spans: Spans) -> str:
    out = []
    for span in spans:
        if not span.text:
            continue
        words = escape(span.text)
        if span.style == "strong":
            out.append(f"<strong>{words}</strong>")
        elif span.style == "code":
            out.append(f"<code>{words}</code>")
        elif span.user and span.style == "dim":
            out.append(f'<span class="quote">{words}</span>')
        elif CLASSES[span.style]:
            out.append(f'<span class="{CLASSES[span.style]}">{words}</span>')
        else:
            out.append(words)
    return "".join(out)


def _theme_table(rows: tuple[ThemeRow, ...]) -> str:
    head = "".join(f"<th>{escape(name)}</th>" for name in COLUMNS[:5])
    lines = ['<table class="themes">', f"<thead><tr>{head}<th></th></tr></thead>", "<tbody>"]
    for row in rows:
        way = "" if row.worse is None else ("worse" if row.worse else "better")
        lines.append(
            f'<tr class="{"tentative" if row.thin else ""}" data-theme="{escape(row.theme)}">'
            f"<td>{escape(row.name)}</td><td>{escape(row.mean)}</td>"
            f"<td>{escape(row.before)}</td>"
            f'<td class="{way}">{escape(row.change)}</td><td>{escape(row.rated)}</td>'
            f"<td>{'⚑' if row.flagged else ''}</td></tr>"
        )
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def _charts(report: Review) -> str:
    weeks = week_starts(report.period.end, SPARK_WEEKS)
    first = next(
        (i for i, start in enumerate(weeks) if start + dt.timedelta(days=6) >= report.period.start),
        len(weeks) - 1,
    )
    figures = [_chart(stat, weeks, first) for stat in report.themes]
    legend = (
        f'<p class="legend">Weekly means over the {SPARK_WEEKS} weeks to {report.period.end}, '
        f"on the 1 to 5 scale; the blue shading marks the weeks of this review. Red shading is the "
        f"band of concern: {LOW:.0f} or below, or {HIGH:.0f} or above where higher is heavier "
        f"(emotional load). A hollow point is a week rated in fewer than {FIRM} sessions: "
        "tentative.</p>"
    )
    return '<div class="charts">\n' + "\n".join(figures) + "\n</div>\n" + legend


# the chart's frame, in SVG user units
W, H = 240, 112
LEFT, RIGHT, TOP, BOTTOM = 22, 8, 6, 20
COLOURS = {"better": "#2f63a8", "heavier": "#8a4fb0"}


def _y(value: float) -> float:
    return TOP + (5 - value) / 4 * (H - TOP - BOTTOM)


def _x(index: int) -> float:
    step = (W - LEFT - RIGHT) / max(1, SPARK_WEEKS - 1)
    return LEFT + index * step


def _chart(stat: ThemeStat, weeks: list[dt.date], first: int) -> str:
    colour = COLOURS[stat.polarity]
    band_from, band_to = (HIGH, 5.0) if stat.polarity == "heavier" else (1.0, LOW)
    half = (_x(1) - _x(0)) / 2
    described = escape(_description(stat, weeks))
    parts = [
        f'<svg viewBox="0 0 {W} {H}" role="img" aria-label="{described}">',
        f"<title>{described}</title>",
        f'<rect class="period" x="{_x(first) - half:.1f}" y="{TOP}" '
        f'width="{W - RIGHT - _x(first) + half:.1f}" height="{H - TOP - BOTTOM}" fill="#eaf0f8"/>',
        f'<rect class="band" x="{LEFT}" y="{_y(band_to):.1f}" width="{W - LEFT - RIGHT}" '
        f'height="{_y(band_from) - _y(band_to):.1f}" fill="#f6e1dd"/>',
    ]
    for level in range(1, 6):
        y = _y(level)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" y2="{y:.1f}" stroke="#dde2ea"/>'
            f'<text x="{LEFT - 6}" y="{y + 3:.1f}" font-size="8" text-anchor="end" '
            f'fill="#6b7282">{level}</text>'
        )
    for index in (0, len(weeks) - 1):
        anchor = "start" if index == 0 else "end"
        day = weeks[index]
        parts.append(
            f'<text x="{_x(index) - (4 if index == 0 else -4):.1f}" y="{H - 6}" font-size="8" '
            f'text-anchor="{anchor}" fill="#6b7282">{day.day} {day:%b}</text>'
        )
    parts += _line(stat, colour)
    parts.append("</svg>")
    name = stat.theme.replace("-", " ")
    heavier = " · higher is heavier" if stat.polarity == "heavier" else ""
    now = "no ratings" if stat.mean is None else f"{stat.mean:.1f}"
    tentative = " (tentative)" if is_thin(stat) and stat.mean is not None else ""
    return (
        f'<figure class="chart" data-theme="{escape(stat.theme)}">'
        f'<figcaption><b>{escape(name)}</b> <span class="dim">{now}{tentative}{heavier}</span>'
        "</figcaption>" + "".join(parts) + "</figure>"
    )


def _line(stat: ThemeStat, colour: str) -> list[str]:
    """The weekly means joined where weeks follow one another; a week without ratings is a
    gap. A point rated in fewer than FIRM sessions is hollow."""
    parts: list[str] = []
    points: list[str] = []
    run: list[tuple[float, float]] = []
    for index, mean in enumerate(stat.weekly):
        if mean is None:
            if len(run) > 1:
                parts.append(_polyline(run, colour))
            run = []
            continue
        run.append((_x(index), _y(mean)))
        sessions = stat.weekly_sessions[index]
        firm = sessions >= FIRM
        fill = colour if firm else "#ffffff"
        points.append(
            f'<circle class="point{"" if firm else " tentative"}" cx="{_x(index):.1f}" '
            f'cy="{_y(mean):.1f}" r="3" fill="{fill}" stroke="{colour}" stroke-width="1.5" '
            f'data-mean="{mean:.2f}" data-sessions="{sessions}"/>'
        )
    if len(run) > 1:
        parts.append(_polyline(run, colour))
    return parts + points


def _polyline(run: list[tuple[float, float]], colour: str) -> str:
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
    return f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1.6"/>'


def _description(stat: ThemeStat, weeks: list[dt.date]) -> str:
    values = ", ".join("none" if m is None else f"{m:.1f}" for m in stat.weekly)
    return f"{stat.theme.replace('-', ' ')}: weekly means from {weeks[0]}: {values}"
