"""What `run.py` times: each rbp command as a person types it, its floor, and the nearest jrnl
command, on the synthetic journals generate.py makes."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from timing import PIPE, TERMINAL, Argv, Setup

# `python benchmarks/run.py` puts benchmarks/ first on sys.path, so these are ours
import generate

PY = sys.executable
BARE_EXPORT = generate.HERE / "bare_export.py"
TYPER = "typer"  # the floor: `python -c "import typer"`, the Typer rbp installs
BARE = "bare"  # the floor of an export: bare_export.py, the same markdown by sqlite3 alone
BOTH = (PIPE, TERMINAL)
PASSPHRASE = "benchmark passphrase, synthetic"


@dataclass(frozen=True)
class Case:
    label: str
    setup: Setup
    floor: str = TYPER
    modes: tuple[str, ...] = (PIPE,)
    heavy: bool = False  # fewer runs: seconds each


def fixed(*argv: str | Path) -> Setup:
    frozen = [str(part) for part in argv]
    return lambda: frozen


FLOORS: dict[str, Setup] = {TYPER: fixed(PY, "-c", "import typer")}


def bare_floor(db: Path) -> Setup:
    return fixed(PY, BARE_EXPORT, db)


def fresh_copy(source: Path, target: Path) -> Path:
    """A private copy of a journal, for a run that writes to it."""
    generate.remove_db(target)
    shutil.copyfile(source, target)
    target.chmod(0o600)
    return target


@dataclass(frozen=True)
class Fixture:
    """One size's journal, and a scratch folder for copies."""

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


COMMON = f"search {generate.COMMON_WORD} (common)"
RARE = f"search {generate.RARE_WORD} (rare)"
BY_CLIENT = f"list --client {generate.BENCH_CLIENT}"
BY_TAG = f"list --tag {generate.BENCH_TAG}"
EXPORT_MD = "export --format markdown"


def floor_cases() -> list[Case]:
    return [
        Case("python -c pass", fixed(PY, "-c", "pass")),
        Case('python -c "import rbp_journal.cli"', fixed(PY, "-c", "import rbp_journal.cli")),
    ]


def rbp_cases(fx: Fixture, answers: Path) -> list[Case]:
    rbp = str(generate.rbp_script())
    on = [rbp, "--db", str(fx.db)]
    copy = fx.scratch / "reflect.db"

    def reflect() -> Argv:
        fresh_copy(fx.db, copy)
        return [rbp, "--db", str(copy), "reflect", "--answers", str(answers)]

    return [
        # as a person types them: neither touches the journal
        Case("rbp --version", fixed(rbp, "--version")),
        Case("rbp --help", fixed(rbp, "--help"), modes=BOTH),
        Case("list -n 20", fixed(*on, "list", "-n", "20"), modes=BOTH),
        Case(BY_CLIENT, fixed(*on, "list", "--client", generate.BENCH_CLIENT), modes=BOTH),
        Case(BY_TAG, fixed(*on, "list", "--tag", generate.BENCH_TAG), modes=BOTH),
        Case(COMMON, fixed(*on, "search", generate.COMMON_WORD), modes=BOTH),
        Case(RARE, fixed(*on, "search", generate.RARE_WORD), modes=BOTH),
        Case("show ID", fixed(*on, "show", str(fx.show_id())), modes=BOTH),
        Case("followups", fixed(*on, "followups"), modes=BOTH),
        Case("review --week", fixed(*on, "review", "--week"), modes=BOTH),
        Case("review --month", fixed(*on, "review", "--month"), modes=BOTH),
        Case("trends --weeks 52", fixed(*on, "trends", "--weeks", "52"), modes=BOTH),
        Case("reflect --answers FILE", reflect),
        Case(EXPORT_MD, fixed(*on, "export", "--format", "markdown"), floor=BARE, heavy=True),
        Case("export --format json", fixed(*on, "export", "--format", "json"), heavy=True),
    ]


ENCRYPTED = (
    ("list -n 20", ["list", "-n", "20"]),
    (COMMON, ["search", generate.COMMON_WORD]),
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
    on = [str(generate.rbp_script()), "--db", str(copy)]
    return [Case(f"{label} (encrypted)", fixed(*on, *argv)) for label, argv in ENCRYPTED]


def import_label(n: int) -> str:
    return f"import of the {n:,} export"


def import_case(n: int, export: Path, scratch: Path) -> Case:
    target = scratch / "import.db"

    def setup() -> Argv:
        generate.remove_db(target)
        return [str(generate.rbp_script()), "--db", str(target), "import", str(export)]

    return Case(import_label(n), setup, heavy=True)  # beside its floor: a ratio as well as ms


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

# the rbp rows that read; jrnl has a nearest command for each but trends and followups
READS = ("list -n 20", BY_CLIENT, BY_TAG, COMMON, RARE, "show ID", "review --week",
         "review --month", EXPORT_MD, "export --format json")  # fmt: skip


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
        Case(BY_CLIENT, fixed(*base, "-n", "20", f"@{generate.BENCH_CLIENT}")),
        Case(BY_TAG, fixed(*base, "-n", "20", f"@{generate.BENCH_TAG}")),
        Case(COMMON, fixed(*base, "-n", "20", "-contains", generate.COMMON_WORD)),
        Case(RARE, fixed(*base, "-n", "20", "-contains", generate.RARE_WORD)),
        Case("show ID", fixed(*base, "-on", fx.show_date(), "-n", "1")),
        Case("review --week", fixed(*base, "-from", week)),
        Case("review --month", fixed(*base, "-from", month)),
        # beside the bare writer, as rbp's export is: "rbp faster" compares ratios to one floor
        Case(EXPORT_MD, fixed(*base, "--export", "markdown"), floor=BARE, heavy=True),
        Case("export --format json", fixed(*base, "--export", "json"), heavy=True),
        Case("reflect --answers FILE", write),
    ]


def jrnl_import_case(jrnl: str, scratch: Path, today: dt.date) -> Case:
    source = generate.ensure_jrnl(generate.IMPORT_SIZE, today=today)
    target = scratch / "jrnl-import.txt"
    config = generate.jrnl_config(target, scratch / "jrnl-import.yaml", jrnl_version(jrnl))

    def setup() -> Argv:
        target.write_text("", encoding="utf-8")
        return [jrnl, "--config-file", str(config), "--import", "--file", str(source)]

    return Case(import_label(generate.IMPORT_SIZE), setup, heavy=True)
