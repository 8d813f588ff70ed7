"""The targets of issue 19, checked against a run: each met or missed, with the figure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases import COMMON, EXPORT_MD, RARE, READS
from timing import PIPE, TERMINAL, Result, X

import generate

if TYPE_CHECKING:
    from run import Table

SMALL_READS = ("list -n 20", "show ID", COMMON, RARE, "followups")
# (rows, modes, largest ratio to `python -c "import typer"`)
LIMITS = [
    (("rbp --help",), (PIPE, TERMINAL), 1.2),
    (SMALL_READS, (PIPE,), 1.5),
    (SMALL_READS, (TERMINAL,), 2.0),
    (("review --month", "trends --weeks 52"), (PIPE, TERMINAL), 2.0),
    (("reflect --answers FILE",), (PIPE,), 2.5),
]
IMPORT_SECONDS, IMPORT_MIB = 2.0, 80
JRNL_FASTER = {1_000: 2.0, 10_000: 10.0}


def faster(theirs: Result | None, ours: Result | None) -> float | None:
    """How many times faster rbp ran than jrnl, each against the same floor beside it."""
    if theirs is None or ours is None or theirs.ratio is None or not ours.ratio:
        return None
    return theirs.ratio / ours.ratio


def mark(ok: bool) -> str:
    return "met" if ok else "MISSED"


def check(rbp: Table, jrnl: Table | None) -> list[str]:
    lines = []
    for rows, modes, limit in LIMITS:
        for label in rows:
            for mode in modes:
                got = [(size, rbp.get(label, mode, size)) for size in rbp.sizes]
                ratios = [(s, r.ratio) for s, r in got if r is not None and r.ratio is not None]
                if not ratios:
                    continue
                worst = max(ratio for _, ratio in ratios)
                shown = ", ".join(f"{ratio:.2f}{X} at {size:,}" for size, ratio in ratios)
                where = "piped" if mode == PIPE else "in a terminal"
                lines.append(f"- {mark(worst <= limit)}: `{label}` {where} ≤ {limit}{X} ({shown})")
    largest = max(rbp.sizes)
    export = rbp.get(EXPORT_MD, PIPE, largest)
    if export is not None and export.ratio is not None:
        lines.append(
            f"- {mark(export.ratio <= 1.5)}: `{EXPORT_MD}` ≤ 1.5{X} the bare sqlite3 writer at "
            f"{largest:,} ({export.ratio:.2f}{X})"
        )
    imported = rbp.get(f"import of the {generate.IMPORT_SIZE:,} export", PIPE, generate.IMPORT_SIZE)
    if imported is not None and imported.ms is not None:
        ok = imported.ms < IMPORT_SECONDS * 1000 and (imported.rss_mib or 0) < IMPORT_MIB
        lines.append(
            f"- {mark(ok)}: the {generate.IMPORT_SIZE:,} export imported in under "
            f"{IMPORT_SECONDS:.0f} s and {IMPORT_MIB} MiB ({imported.ms / 1000:.2f} s, "
            f"{imported.rss_mib:.0f} MiB)"
        )
    for size, limit in JRNL_FASTER.items():
        if jrnl is None or size not in jrnl.sizes:
            continue
        found = {
            label: faster(jrnl.get(label, PIPE, size), rbp.get(label, PIPE, size))
            for label in READS
        }
        known = {label: value for label, value in found.items() if value is not None}
        if not known:
            continue
        slowest = min(known, key=lambda label: known[label])
        lines.append(
            f"- {mark(known[slowest] >= limit)}: every read ≥ {limit:.0f}{X} faster than jrnl at "
            f"{size:,} (least: `{slowest}` {known[slowest]:.1f}{X})"
        )
    return lines
