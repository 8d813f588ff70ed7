"""Time whole `rbp` processes against their floors on synthetic journals of 1,000, 10,000 and
100,000 reflections, piped and in a pseudo-terminal, and print the tables the README quotes.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--runs 7] [--jrnl PATH] [--rebuild]

Run it with the interpreter of a non-editable install (`python -m venv v && v/bin/pip install
'.[encryption]'`): the `rbp` next to that interpreter is what is timed, and an editable install
is refused (its start-up pays for finding the source tree, which a user's does not). Every row
is timed in pairs with its floor — floor, command, floor, command … — after one warm-up pair,
and shows the median of those ratios beside median times and the largest peak RSS (timing.py
says why pairs). The floor is `python -c "import typer"` with the same interpreter and the
Typer rbp installs; for `export --format markdown` it is bare_export.py, the same markdown
written by sqlite3 alone. jrnl (`--jrnl`, or on PATH) is timed the same way on jrnl journals of
the same reflections, and compared through its ratio to the same floor.

Journals come from generate.py and are cached in benchmarks/.cache.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

# `python benchmarks/run.py` puts benchmarks/ first on sys.path, so these are ours
import cases
import targets
from cases import BARE, PY, TYPER, Case, Fixture
from timing import PIPE, TERMINAL, Launcher, Result, X, editable, paired, say

import generate

ENCRYPTED_SIZE = 10_000
MODES = {PIPE: "piped", TERMINAL: "terminal"}


@dataclass
class Table:
    """Results by (row label, mode), then by size, in the order they were taken."""

    sizes: list[int]
    rows: dict[tuple[str, str], dict[int, Result]] = field(default_factory=dict)

    def add(self, label: str, mode: str, size: int, result: Result) -> None:
        self.rows.setdefault((label, mode), {})[size] = result

    def get(self, label: str, mode: str, size: int) -> Result | None:
        return self.rows.get((label, mode), {}).get(size)


@dataclass(frozen=True)
class Bench:
    sizes: list[int]
    jrnl_sizes: list[int]
    journals: dict[int, Path]
    runs: int
    scratch: Path
    launcher: Launcher

    def fixture(self, size: int) -> Fixture:
        return Fixture(size, self.journals[size], self.scratch, generate.journal_day(size))

    def time(self, table: Table, size: int, todo: Sequence[Case], db: Path | None = None) -> None:
        for case in todo:
            runs = min(self.runs, 3) if case.heavy else self.runs
            for mode in case.modes:
                floor = cases.bare_floor(db) if case.floor == BARE and db else None
                floor = floor or cases.FLOORS[TYPER]
                result = paired(case.setup, floor, runs, mode, self.launcher)
                table.add(case.label, mode, size, result)
                shown = "fail" if result.ms is None else f"{result.ms:8.1f} ms"
                times = "" if result.ratio is None else f"{result.ratio:5.2f}x"
                say(f"  {size:>7,}  {MODES[mode]:<8} {case.label:<36} {shown} {times}")


def run_rbp(bench: Bench) -> Table:
    table = Table(bench.sizes)
    for size in bench.sizes:
        fx = bench.fixture(size)
        typer_floor = Case('python -c "import typer"', cases.FLOORS[TYPER], modes=cases.BOTH)
        bench.time(table, size, [typer_floor, *cases.floor_cases()])
        answers = cases.answers_file(bench.scratch, fx.today)
        bench.time(table, size, cases.rbp_cases(fx, answers), db=fx.db)
        if size == ENCRYPTED_SIZE and importlib.util.find_spec("sqlcipher3"):
            bench.time(table, size, cases.encrypted_cases(fx))
    for n in generate.IMPORT_SIZES:
        export = generate.export_path(n)
        if n in bench.sizes and export.exists():
            bench.time(table, n, [cases.import_case(n, export, bench.scratch)])
    return table


def run_jrnl(jrnl: str, bench: Bench) -> Table:
    table = Table(bench.jrnl_sizes)
    for size in bench.jrnl_sizes:
        fx = bench.fixture(size)
        bench.time(table, size, cases.jrnl_cases(jrnl, fx), db=fx.db)
    if generate.IMPORT_SIZE in bench.jrnl_sizes:
        today = generate.journal_day(generate.IMPORT_SIZE)
        case = cases.jrnl_import_case(jrnl, bench.scratch, today)
        bench.time(table, generate.IMPORT_SIZE, [case])
    return table


# --- printing -----------------------------------------------------------------------------


def ms(value: float | None) -> str:
    if value is None:
        return "fail"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def times(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}{X}"


def markdown(header: list[str], lines: list[list[str]]) -> str:
    """A markdown table, numbers aligned right."""
    rule = ["---"] + ["---:"] * (len(header) - 1)
    return "\n".join("| " + " | ".join(row) + " |" for row in [header, rule, *lines])


def mode_table(table: Table, mode: str) -> str:
    header = ["command"]
    for size in table.sizes:
        header += [f"{size:,} ms", X]
    header.append("MiB")
    lines = []
    for (label, row_mode), by_size in table.rows.items():
        if row_mode != mode or label.startswith("import of"):
            continue
        row = [f"`{label}`" if not label.startswith("python") else label]
        for size in table.sizes:
            result = by_size.get(size)
            row += ["", ""] if result is None else [ms(result.ms), times(result.ratio)]
        peaks = [r.rss_mib for r in by_size.values() if r.rss_mib is not None]
        row.append(f"{max(peaks):.0f}" if peaks else "")
        lines.append(row)
    return markdown(header, lines)


def import_table(table: Table, jrnl: Table | None) -> str:
    lines = []
    for who, results in (("rbp", table), ("jrnl", jrnl)):
        for (label, _), by_size in results.rows.items() if results else []:
            if label.startswith("import of"):
                for result in by_size.values():
                    what = f"{who} {label}" + (" (its own text)" if who == "jrnl" else "")
                    peak = f"{result.rss_mib or 0:.0f}"
                    lines.append([what, ms(result.ms), times(result.ratio), peak])
    return markdown(["import", "ms", X, "MiB"], lines)


def jrnl_table(jrnl: Table, rbp: Table) -> str:
    header = ["command (nearest jrnl)"]
    for size in jrnl.sizes:
        header += [f"jrnl {size:,} ms", "rbp ms", "rbp faster"]
    lines = []
    for (label, _), by_size in jrnl.rows.items():
        if label.startswith("import of"):
            continue
        row = [f"`{label}`"]
        for size in jrnl.sizes:
            theirs, ours = by_size.get(size), rbp.get(label, PIPE, size)
            row += [ms(theirs.ms) if theirs else "", ms(ours.ms) if ours else ""]
            row.append(times(targets.faster(theirs, ours)))
        lines.append(row)
    return markdown(header, lines)


def failures(table: Table) -> list[str]:
    return [
        f"  {label} ({MODES[mode]}) @ {size:,}: {result.error}"
        for (label, mode), by_size in table.rows.items()
        for size, result in by_size.items()
        if result.error
    ]


def print_report(rbp: Table, jrnl: Table | None, runs: int) -> None:
    version = subprocess.run(
        [str(generate.rbp_script()), "--version"], capture_output=True, text=True
    )
    typer = subprocess.run(
        [PY, "-c", "import typer; print(typer.__version__)"], capture_output=True, text=True
    )
    print(
        f"\n{version.stdout.strip() or 'rbp ?'} · Typer {typer.stdout.strip()} · Python "
        f"{sys.version.split()[0]} · {os.cpu_count()} CPUs · {runs} pairs after a warm-up "
        f"(3 for exports and imports) · {X} is the median ratio to the floor run beside it: "
        '`python -c "import typer"`, or for `export --format markdown` the bare sqlite3 writer\n'
    )
    for mode in (PIPE, TERMINAL):
        print(f"\n{MODES[mode].capitalize()}:\n")
        print(mode_table(rbp, mode))
    print("\nImports (of what `rbp export --format json` wrote; jrnl of its own text journal):\n")
    print(import_table(rbp, jrnl))
    if jrnl is not None:
        print("\njrnl 4.6 on jrnl journals of the same reflections, piped ('rbp faster' compares")
        print("the two ratios to the same floor, so the load of the moment cancels out):\n")
        print(jrnl_table(jrnl, rbp))
    print("\nTargets:\n")
    for line in targets.check(rbp, jrnl):
        print(line)
    problems = failures(rbp) + (failures(jrnl) if jrnl else [])
    if problems:
        print("\nfailed:", *problems, sep="\n")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("--sizes", type=generate.parse_sizes, default=list(generate.SIZES))
    parser.add_argument("--runs", type=int, default=7, help="Timed pairs after the warm-up.")
    parser.add_argument("--rebuild", action="store_true", help="Generate the journals again.")
    parser.add_argument("--jrnl", help="The jrnl to compare with (default: jrnl on PATH).")
    parser.add_argument(
        "--jrnl-sizes",
        type=generate.parse_sizes,
        default=None,
        help="Sizes to time jrnl at (default: those up to 10,000; at 100,000 jrnl takes about "
        "30 s a command).",
    )
    args = parser.parse_args(argv)
    if not generate.rbp_script().exists():
        sys.exit(f"No rbp next to {PY}: run this with the interpreter rbp is installed in.")
    if editable(PY):
        sys.exit(
            "rbp is installed editable here; time a plain install (pip install '.[encryption]')."
        )
    sizes = sorted(args.sizes)
    journals = generate.ensure_all(sizes, args.rebuild)
    jrnl = args.jrnl or shutil.which("jrnl")
    with tempfile.TemporaryDirectory(prefix="rbp-bench-") as folder:
        scratch = Path(folder)
        launcher = Launcher(PY, child_env(scratch), scratch)
        try:
            jrnl_sizes = args.jrnl_sizes or [size for size in sizes if size <= 10_000]
            bench = Bench(sizes, sorted(jrnl_sizes), journals, args.runs, scratch, launcher)
            rbp = run_rbp(bench)
            jrnl_results = run_jrnl(jrnl, bench) if jrnl else None
        finally:
            launcher.close()
    print_report(rbp, jrnl_results, args.runs)


def child_env(scratch: Path) -> dict[str, str]:
    """The caller's environment, with rbp's and jrnl's own folders moved to scratch.

    Bytecode is cached (outside the source tree) even where PYTHONDONTWRITEBYTECODE is set:
    an installed rbp has its .pyc files, and compiling every module on every run is not
    what a user waits for. COLUMNS and LINES are left to the terminal (or its absence).
    """
    skip = {"RBP_DB", "PYTHONDONTWRITEBYTECODE", "COLUMNS", "LINES", "NO_COLOR"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env["PYTHONPYCACHEPREFIX"] = str(generate.CACHE / "pycache")
    env["RBP_PASSPHRASE_FILE"] = str(cases.passphrase_file(scratch))  # encrypted rows only
    env["TERM"] = "xterm-256color"  # a terminal as people have them (Rich then draws colour)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(scratch / name.lower())
    return env


if __name__ == "__main__":
    main()
