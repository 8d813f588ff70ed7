"""Placing faults where they hurt, from outside rbp (it has no test hooks): rbp as a real
process, killed by strace at the Nth call of a chosen system call (`-e inject=…:signal=KILL`,
the call itself never made), run as another user to meet read-only folders, or with a small
file-size limit for a full disk; and raw-byte scans of every file for words that must be gone.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from conftest import CORE_ANSWERS, installed_rbp

# the file-level steps of a whole-file change: every rename and link (each of rbp's own steps
# ends in one); removals and syncs (SQLite makes hundreds) are sampled
# The fault sweeps sample by default (CI runs them on every change: minutes, not a quarter of
# an hour); RBP_FAULTS=full tries every kill point and every round, as the figures did.
FULL = os.environ.get("RBP_FAULTS") == "full"
KILL_POINTS = 3  # a test's kill points when sampled: the first, the last, and one between


def spread(items: list[Any], keep: int) -> list[Any]:
    """`keep` of `items`, spread evenly from the first to the last (all of them when FULL)."""
    if FULL or len(items) <= keep:
        return items
    step = (len(items) - 1) / (keep - 1)
    return [items[round(n * step)] for n in range(keep)]


STEPS = "rename,renameat,renameat2,link,linkat"
SAMPLED = "unlink,unlinkat,fsync,fdatasync"
STRACE = shutil.which("strace")
PLANTED = ("Quenbyworth", "zebraquill", "lavendrix")  # unique words: FTS5 stores each whole
SENTENCE = "Quenbyworth said the zebraquill smelled of lavendrix"


def rbp(
    db: Path,
    *args: str,
    input: str | None = None,
    env: dict[str, str] | None = None,
    preexec: Callable[[], None] | None = None,
    timeout: float = 60,
    ordinary: bool = False,
) -> subprocess.CompletedProcess[str]:
    """rbp as a process; `ordinary` runs it as an ordinary user would be (see ordinary_user)."""
    return subprocess.run(
        [*(ordinary_user() if ordinary else []), *installed_rbp(), "--db", str(db), *args],
        input=input, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})}, preexec_fn=preexec,
    )  # fmt: skip


def reflection(what: str = SENTENCE, **changes: Any) -> str:
    data: dict[str, Any] = json.loads(json.dumps(CORE_ANSWERS))
    data["answers"]["what_happened"] = what
    data.update(changes)
    return json.dumps(data)


def holding(folder: Path, words: Iterable[str] = PLANTED) -> list[str]:
    """Every file under `folder` (journal, -wal, -shm, backups, kept words…) whose raw bytes
    hold any of `words`, in any case: FTS5 stores tokens folded to lower case."""
    needles = {w.lower().encode() for w in words}
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes().lower()
            if any(needle in data for needle in needles):
                found.append(str(path.relative_to(folder)))
    return found


def mode(path: Path) -> str:
    return oct(path.stat().st_mode & 0o777)


# --- killing at a step ------------------------------------------------------------------


def strace_argv(
    db: Path, args: Iterable[str], calls: str, kill_at: int | None, log: Path
) -> list[str]:
    assert STRACE is not None
    inject = [] if kill_at is None else ["-e", f"inject={calls}:signal=KILL:when={kill_at}"]
    return [STRACE, "-f", "-qq", "-e", "signal=none", "-e", f"trace={calls}", *inject,
            "-o", str(log), *installed_rbp(), "--db", str(db), *args]  # fmt: skip


def count_steps(db: Path, args: Iterable[str], log: Path, env: dict[str, str],
                calls: str = STEPS, input: str | None = None) -> int:  # fmt: skip
    """How many `calls` a successful run of rbp makes (the kill points to try)."""
    result = subprocess.run(strace_argv(db, args, calls, None, log), input=input, text=True,
                            capture_output=True, env={**os.environ, **env}, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    names = tuple(f" {name}(" for name in calls.split(","))
    lines = log.read_text().splitlines()
    return sum(1 for line in lines if any(n in f" {line.split(' ', 1)[-1]}" for n in names))


def killed_at(db: Path, args: Iterable[str], step: int, log: Path, env: dict[str, str],
              calls: str = STEPS, input: str | None = None) -> int:  # fmt: skip
    """Run rbp, killed (SIGKILL) on entering its `step`th call of `calls`; its exit status."""
    result = subprocess.run(strace_argv(db, args, calls, step, log), input=input, text=True,
                            capture_output=True, env={**os.environ, **env}, timeout=300)  # fmt: skip
    return result.returncode


# --- another user, a smaller disk ----------------------------------------------------------


def ordinary_user() -> list[str]:
    """A prefix that runs a command without root's power over file modes (root ignores a
    read-only folder): root keeps its uid but loses CAP_DAC_OVERRIDE, as setpriv does."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file modes cannot be tested")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]


def file_size_limit(limit: int) -> Callable[[], None]:
    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limited


def small_disk(folder: Path, size: str) -> bool:
    """Mount a small tmpfs on `folder` (where this machine lets the tests); False if not."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                              str(folder)], capture_output=True, check=False)  # fmt: skip
    return mounted.returncode == 0


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def kill_points(db: Path, args: list[str], log: Path, env: dict[str, str],
                input: str | None = None, sampled: int = 10) -> list[tuple[str, int]]:  # fmt: skip
    """Where to kill a run of rbp like this one: at every rename and link, and at `sampled`
    removals and syncs spread over the run. `db` is a copy that is used up."""
    shutil.copytree(db.parent, db.parent.with_name(db.parent.name + "-2"))
    second = db.parent.with_name(db.parent.name + "-2") / db.name
    every = count_steps(db, args, log, env, STEPS, input)
    others = count_steps(second, args, log, env, SAMPLED, input)
    stride = max(1, others // sampled)
    points = [(STEPS, n) for n in range(1, every + 1)]
    points += [(SAMPLED, n) for n in range(1, others + 1, stride)]
    return spread(points, KILL_POINTS)
