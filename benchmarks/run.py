"""Time whole `rbp` processes on synthetic journals of 1,000, 10,000 and 100,000 reflections.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--runs 5] [--rebuild]

Each command runs once to warm up, then `--runs` times; the table shows the median wall time
and the largest peak RSS of the child process (from wait4's rusage). Beside rbp it times the
floors, `python -c pass` and `python -c "import typer"` with the same interpreter, and a bare
sqlite3 script writing the same markdown as `rbp export` (bare_export.py). A command that exits
non-zero shows "fail", and its message is printed under the table. When `jrnl` is on PATH the
same questions are put to jrnl, on jrnl journals of the same reflections.

Journals come from generate.py and are cached in benchmarks/.cache. Run it from anywhere with
the interpreter of the environment rbp is installed in: the `rbp` next to it is what is timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# `python benchmarks/run.py` puts benchmarks/ first on sys.path, so this is generate.py
import generate

PY = sys.executable
BARE_EXPORT = generate.HERE / "bare_export.py"
TYPER_FLOOR = 'python -c "import typer"'
BARE = "bare sqlite3 → markdown"
ENCRYPTED_SIZE = 10_000

Argv = list[str]
Setup = Callable[[], Argv]  # called before each run, outside the timed region


@dataclass(frozen=True)
class Result:
    ms: float | None = None  # median wall time; None when the command failed
    rss_mib: float | None = None  # largest peak RSS over the runs
    error: str | None = None


@dataclass(frozen=True)
class Case:
    label: str
    setup: Setup


@dataclass
class Table:
    """Results by row label, then by size."""

    sizes: list[int]
    rows: dict[str, dict[int, Result]] = field(default_factory=dict)

    def add(self, label: str, size: int, result: Result) -> None:
        self.rows.setdefault(label, {})[size] = result


# --- timing -------------------------------------------------------------------------------

# Linux counts the RSS of the process a child was forked from in the child's ru_maxrss, so
# children are started by this small launcher (about 8 MiB, under any Python's own peak)
# rather than by this script, which has pydantic and rbp imported.
LAUNCHER = r"""
import json, os, sys, time
for line in sys.stdin:
    argv, err = json.loads(line)
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
    ]
    started = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    print(json.dumps([seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]), flush=True)
"""


class Launcher:
    """Runs one child at a time: wall time, peak RSS (MiB), exit code and stderr."""

    def __init__(self, env: dict[str, str], scratch: Path) -> None:
        self.err = scratch / "stderr.txt"
        self.process = subprocess.Popen(
            [PY, "-S", "-c", LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )

    def run(self, argv: Argv) -> tuple[float, float, int, str]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps([argv, str(self.err)]) + "\n")
        self.process.stdin.flush()
        seconds, rss_kib, code = json.loads(self.process.stdout.readline())
        return seconds, rss_kib / 1024, code, self.err.read_text(errors="replace")

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def measure(setup: Setup, runs: int, launcher: Launcher) -> Result:
    """Median of `runs` runs after one warm-up, or the failure of the first that fails."""
    times: list[float] = []
    peaks: list[float] = []
    for attempt in range(runs + 1):
        seconds, rss, code, message = launcher.run(setup())
        if code != 0:
            lines = [line for line in message.strip().splitlines() if line.strip()]
            return Result(error=f"exit {code}: {lines[-1] if lines else 'no message'}")
        if attempt:
            times.append(seconds)
            peaks.append(rss)
    return Result(ms=statistics.median(times) * 1000, rss_mib=max(peaks))


# --- what is timed ------------------------------------------------------------------------


@dataclass(frozen=True)
class Fixture:
    """One size's journal, the tools, and a scratch folder for copies."""

    size: int
    db: Path
    scratch: Path
    today: dt.date

    def show_id(self) -> int:
        return self.size // 2

    def show_date(self) -> str:
        with sqlite3.connect(self.db) as conn:
            row = conn.execute(
                "SELECT session_date FROM reflections WHERE id = ?", [self.show_id()]
            ).fetchone()
        return str(row[0])


def fixed(*argv: str | Path) -> Setup:
    frozen = [str(part) for part in argv]
    return lambda: frozen


def fresh_copy(source: Path, target: Path) -> Path:
    """A private copy of a journal, for a run that writes to it."""
    generate.remove_db(target)
    shutil.copyfile(source, target)
    target.chmod(0o600)
    return target


def floor_cases() -> list[Case]:
    return [
        Case("python -c pass", fixed(PY, "-c", "pass")),
        Case(TYPER_FLOOR, fixed(PY, "-c", "import typer")),
        Case('python -c "import rbp_journal.cli"', fixed(PY, "-c", "import rbp_journal.cli")),
    ]


def rbp_cases(fx: Fixture, answers: Path) -> list[Case]:
    rbp = [str(generate.rbp_script()), "--db", str(fx.db)]
    copy = fx.scratch / "reflect.db"

    def reflect() -> Argv:
        fresh_copy(fx.db, copy)
        return [str(generate.rbp_script()), "--db", str(copy), "reflect", "--answers", str(answers)]

    return [
        # as a person types them: neither touches the journal
        Case("rbp --version", fixed(generate.rbp_script(), "--version")),
        Case("rbp --help", fixed(generate.rbp_script(), "--help")),
        Case("list -n 20", fixed(*rbp, "list", "-n", "20")),
        Case(
            f"list --client {generate.BENCH_CLIENT}",
            fixed(*rbp, "list", "--client", generate.BENCH_CLIENT),
        ),
        Case(f"list --tag {generate.BENCH_TAG}", fixed(*rbp, "list", "--tag", generate.BENCH_TAG)),
        Case(
            f"search {generate.COMMON_WORD} (common)", fixed(*rbp, "search", generate.COMMON_WORD)
        ),
        Case(f"search {generate.RARE_WORD} (rare)", fixed(*rbp, "search", generate.RARE_WORD)),
        Case("show ID", fixed(*rbp, "show", str(fx.show_id()))),
        Case("review --week", fixed(*rbp, "review", "--week")),
        Case("review --month", fixed(*rbp, "review", "--month")),
        Case("trends --weeks 52", fixed(*rbp, "trends", "--weeks", "52")),
        Case("followups", fixed(*rbp, "followups")),
        Case("export --format markdown", fixed(*rbp, "export", "--format", "markdown")),
        Case("export --format json", fixed(*rbp, "export", "--format", "json")),
        Case(BARE, fixed(PY, BARE_EXPORT, fx.db)),
        Case("reflect --answers FILE", reflect),
    ]


PASSPHRASE = "benchmark passphrase, synthetic"
ENCRYPTED = (
    ("list -n 20", ["list", "-n", "20"]),
    (f"search {generate.COMMON_WORD} (common)", ["search", generate.COMMON_WORD]),
    ("review --month", ["review", "--month"]),
)


def passphrase_file(scratch: Path) -> Path:
    path = scratch / "passphrase.txt"
    path.write_text(PASSPHRASE, encoding="utf-8")
    path.chmod(0o600)
    return path


def encrypted_cases(fx: Fixture) -> list[Case]:
    """The same commands on an encrypted copy of the journal (SQLCipher), when it is installed."""
    copy = fresh_copy(fx.db, fx.scratch / f"encrypted-{fx.size}.db")
    env = {**os.environ, "RBP_NEW_PASSPHRASE_FILE": str(passphrase_file(fx.scratch))}
    subprocess.run(
        [str(generate.rbp_script()), "--db", str(copy), "encrypt"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    rbp = [str(generate.rbp_script()), "--db", str(copy)]
    return [Case(f"{label} (encrypted)", fixed(*rbp, *argv)) for label, argv in ENCRYPTED]


def import_case(export: Path, scratch: Path) -> Case:
    target = scratch / "import.db"

    def setup() -> Argv:
        generate.remove_db(target)
        return [str(generate.rbp_script()), "--db", str(target), "import", str(export)]

    return Case(f"import of the {generate.IMPORT_SIZE:,} export", setup)


def answers_file(scratch: Path, today: dt.date) -> Path:
    """One synthetic reflection as the JSON `rbp reflect --answers` reads."""
    item = next(generate.reflections(1, today, seed=1))
    payload = {
        "set": "core",
        "client": item.client,
        "date": today.isoformat(),
        "setting": item.setting,
        "tags": list(item.tags),
        "answers": item.values,
        "followups": [{"text": "Ring the school back", "due": today.isoformat()}],
    }
    path = scratch / "answers.json"
    path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return path


# --- jrnl -------------------------------------------------------------------------------


def jrnl_version(jrnl: str) -> str:
    """jrnl's version as its config file records it: "4.6" from "jrnl v4.6"."""
    shown = subprocess.run([jrnl, "--version"], capture_output=True, text=True).stdout
    words = shown.split()
    return words[1].removeprefix("v") if len(words) > 1 else "0"


def jrnl_cases(jrnl: str, fx: Fixture) -> list[Case]:
    """The nearest jrnl command to each rbp one that jrnl has, keyed by the rbp row label."""
    journal = generate.ensure_jrnl(fx.size, today=fx.today)
    version = jrnl_version(jrnl)
    config = generate.jrnl_config(journal, fx.scratch / f"jrnl-{fx.size}.yaml", version)
    base = [jrnl, "--config-file", str(config)]
    copy = fx.scratch / "jrnl-write.txt"
    copy_config = generate.jrnl_config(copy, fx.scratch / "jrnl-write.yaml", version)
    week = (fx.today - dt.timedelta(days=6)).isoformat()
    month = (fx.today - dt.timedelta(days=29)).isoformat()

    def write() -> Argv:
        shutil.copyfile(journal, copy)
        return [jrnl, "--config-file", str(copy_config), "Phone call with @C-007 about the plan."]

    return [
        Case("rbp --version", fixed(*base, "--version")),
        Case("rbp --help", fixed(*base, "--help")),
        Case("list -n 20", fixed(*base, "-n", "20")),
        Case(
            f"list --client {generate.BENCH_CLIENT}",
            fixed(*base, "-n", "20", f"@{generate.BENCH_CLIENT}"),
        ),
        Case(
            f"list --tag {generate.BENCH_TAG}", fixed(*base, "-n", "20", f"@{generate.BENCH_TAG}")
        ),
        Case(
            f"search {generate.COMMON_WORD} (common)",
            fixed(*base, "-n", "20", "-contains", generate.COMMON_WORD),
        ),
        Case(
            f"search {generate.RARE_WORD} (rare)",
            fixed(*base, "-n", "20", "-contains", generate.RARE_WORD),
        ),
        Case("show ID", fixed(*base, "-on", fx.show_date(), "-n", "1")),
        Case("review --week", fixed(*base, "-from", week)),
        Case("review --month", fixed(*base, "-from", month)),
        Case("export --format markdown", fixed(*base, "--export", "markdown")),
        Case("export --format json", fixed(*base, "--export", "json")),
        Case("reflect --answers FILE", write),
    ]


def jrnl_import_case(jrnl: str, scratch: Path, today: dt.date) -> Case:
    source = generate.ensure_jrnl(generate.IMPORT_SIZE, today=today)
    target = scratch / "jrnl-import.txt"
    config = generate.jrnl_config(target, scratch / "jrnl-import.yaml", jrnl_version(jrnl))

    def setup() -> Argv:
        target.write_text("", encoding="utf-8")
        return [jrnl, "--config-file", str(config), "--import", "--file", str(source)]

    return Case(f"import of the {generate.IMPORT_SIZE:,} export", setup)


# --- the run --------------------------------------------------------------------------------


def child_env(scratch: Path) -> dict[str, str]:
    """The caller's environment, with rbp's and jrnl's own folders moved to scratch.

    Bytecode is cached (outside the source tree) even where PYTHONDONTWRITEBYTECODE is set:
    an installed rbp has its .pyc files, and compiling every module on every run is not
    what a user waits for.
    """
    skip = {"RBP_DB", "PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env["PYTHONPYCACHEPREFIX"] = str(generate.CACHE / "pycache")
    env["RBP_PASSPHRASE_FILE"] = str(passphrase_file(scratch))  # read for encrypted ones only
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(scratch / name.lower())
    return env


@dataclass(frozen=True)
class Bench:
    """What every measurement shares."""

    sizes: list[int]
    jrnl_sizes: list[int]
    journals: dict[int, Path]
    runs: int
    scratch: Path
    launcher: Launcher

    def fixture(self, size: int) -> Fixture:
        return Fixture(size, self.journals[size], self.scratch, generate.journal_day(size))

    def import_column(self) -> int:
        """The import benchmark reads the 10,000 export: its figure goes in that column."""
        return generate.IMPORT_SIZE if generate.IMPORT_SIZE in self.sizes else self.sizes[-1]

    def run(self, table: Table, size: int, cases: Sequence[Case]) -> None:
        for case in cases:
            result = measure(case.setup, self.runs, self.launcher)
            table.add(case.label, size, result)
            shown = "fail" if result.ms is None else f"{result.ms:.1f} ms"
            print(f"  {size:>7,}  {case.label:<36} {shown}", file=sys.stderr, flush=True)


def run_rbp(bench: Bench) -> Table:
    table = Table(bench.sizes)
    for size in bench.sizes:
        fx = bench.fixture(size)
        bench.run(table, size, floor_cases())
        bench.run(table, size, rbp_cases(fx, answers_file(bench.scratch, fx.today)))
        if size == ENCRYPTED_SIZE and importlib.util.find_spec("sqlcipher3"):
            bench.run(table, size, encrypted_cases(fx))
    export = generate.export_path()
    if export.exists():
        bench.run(table, bench.import_column(), [import_case(export, bench.scratch)])
    return table


def run_jrnl(jrnl: str, bench: Bench) -> Table:
    table = Table(bench.jrnl_sizes)
    for size in bench.jrnl_sizes:
        bench.run(table, size, jrnl_cases(jrnl, bench.fixture(size)))
    today = generate.journal_day(generate.IMPORT_SIZE)
    bench.run(table, bench.import_column(), [jrnl_import_case(jrnl, bench.scratch, today)])
    return table


# --- printing -----------------------------------------------------------------------------


def ms(value: float | None) -> str:
    if value is None:
        return "fail"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def ratio(top: Result | None, bottom: Result | None) -> str:
    if top is None or bottom is None or top.ms is None or bottom.ms is None:
        return ""
    return f"{top.ms / bottom.ms:.1f}x"


def cell(result: Result | None) -> list[str]:
    if result is None:
        return ["", ""]
    if result.ms is None:
        return ["fail", ""]
    return [ms(result.ms), f"{result.rss_mib:.0f}"]


def render(header: list[str], lines: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    out = []
    for number, row in enumerate([header, *lines]):
        first = row[0].ljust(widths[0])
        rest = [text.rjust(width) for text, width in zip(row[1:], widths[1:], strict=True)]
        out.append("  ".join([first, *rest]).rstrip())
        if number == 0:
            out.append("-" * len(out[0]))
    return "\n".join(out)


def rbp_table(table: Table) -> str:
    last = table.sizes[-1]
    typer = table.rows.get(TYPER_FLOOR, {}).get(last)
    bare = table.rows.get(BARE, {}).get(last)
    header = ["command"]
    for size in table.sizes:
        header += [f"{size:,} ms", "MiB"]
    header += [f"xtyper@{last:,}", f"xbare@{last:,}"]
    lines = []
    for label, by_size in table.rows.items():
        row = [label]
        for size in table.sizes:
            row += cell(by_size.get(size))
        mine = by_size.get(last) or next(iter(by_size.values()))
        row.append(ratio(mine, typer))
        row.append(ratio(mine, bare) if label.startswith("export") else "")
        lines.append(row)
    return render(header, lines)


def jrnl_table(jrnl: Table, rbp: Table) -> str:
    header = ["command (nearest jrnl)"]
    for size in jrnl.sizes:
        header += [f"{size:,} jrnl ms", "MiB", "rbp/jrnl"]
    lines = []
    for label, by_size in jrnl.rows.items():
        row = [label]
        for size in jrnl.sizes:
            row += [
                *cell(by_size.get(size)),
                ratio(rbp.rows.get(label, {}).get(size), by_size.get(size)),
            ]
        lines.append(row)
    return render(header, lines)


def failures(table: Table) -> list[str]:
    return [
        f"  {label} @ {size:,}: {result.error}"
        for label, by_size in table.rows.items()
        for size, result in by_size.items()
        if result.error
    ]


def print_report(rbp: Table, jrnl: Table | None, runs: int) -> None:
    version = subprocess.run(
        [str(generate.rbp_script()), "--version"], capture_output=True, text=True
    )
    print(
        f"\n{version.stdout.strip() or 'rbp ?'} · Python {sys.version.split()[0]} · "
        f"{os.cpu_count()} CPUs · median of {runs} runs after 1 warm-up · peak RSS in MiB\n"
    )
    print(rbp_table(rbp))
    problems = failures(rbp)
    if problems:
        print("\nfailed:", *problems, sep="\n")
    if jrnl is None:
        print("\njrnl is not on PATH: no comparison with jrnl.")
        return
    print("\njrnl, on jrnl text journals of the same reflections (its own interpreter):\n")
    print(jrnl_table(jrnl, rbp))
    problems = failures(jrnl)
    if problems:
        print("\njrnl failed:", *problems, sep="\n")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=generate.parse_sizes, default=list(generate.SIZES))
    parser.add_argument("--runs", type=int, default=5, help="Timed runs after the warm-up.")
    parser.add_argument("--rebuild", action="store_true", help="Generate the journals again.")
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
    sizes = sorted(args.sizes)
    journals = generate.ensure_all(sizes, args.rebuild)
    jrnl = shutil.which("jrnl")
    with tempfile.TemporaryDirectory(prefix="rbp-bench-") as folder:
        scratch = Path(folder)
        launcher = Launcher(child_env(scratch), scratch)
        try:
            jrnl_sizes = args.jrnl_sizes or [size for size in sizes if size <= 10_000]
            bench = Bench(sizes, sorted(jrnl_sizes), journals, args.runs, scratch, launcher)
            rbp = run_rbp(bench)
            jrnl_results = run_jrnl(jrnl, bench) if jrnl else None
        finally:
            launcher.close()
    print_report(rbp, jrnl_results, args.runs)


if __name__ == "__main__":
    main()
