"""Timing whole processes in pairs: the floor, then the command, then the floor again …

On a shared machine the speed of the machine changes from second to second (other people run
their tests on it), so a median of the command's own times moves with the load. Each run of
a command is taken right after a run of its floor, and what is reported is the median of the
ratios of those pairs, beside the median times. `run.py` imports this module.

Children are started by a small launcher process (about 8 MiB, under any Python's own peak):
Linux counts the RSS of the process a child was forked from in the child's ru_maxrss, and this
script has rbp imported. The launcher gives the child's stdout a pipe it drains (as `| cat`
would), or a pseudo-terminal of 100 columns and 40 lines that it drains (as a terminal would).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Argv = list[str]
Setup = Callable[[], Argv]  # called before each run, outside the timed region
PIPE, TERMINAL = "pipe", "pty"
COLUMNS, LINES = 100, 40
X = "\u00d7"  # the multiplication sign, for "1.4 times"

LAUNCHER = r"""
import fcntl, json, os, struct, sys, termios, time
size = struct.pack("HHHH", int(sys.argv[1]), int(sys.argv[2]), 0, 0)
for line in sys.stdin:
    argv, mode, err = json.loads(line)
    errfd = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    if mode == "pty":
        master, out = os.openpty()
        fcntl.ioctl(out, termios.TIOCSWINSZ, size)
    else:
        master, out = os.pipe()
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_DUP2, out, 1),
        (os.POSIX_SPAWN_DUP2, errfd, 2),
    ]
    started = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    os.close(out)
    os.close(errfd)
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # a pty's reader gets EIO once the child has gone
            break
        if not chunk:
            break
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    os.close(master)
    print(json.dumps([seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]), flush=True)
"""


class Launcher:
    """Runs one child at a time: wall time, peak RSS (MiB), exit code and stderr."""

    def __init__(self, python: str, env: dict[str, str], scratch: Path) -> None:
        self.err = scratch / "stderr.txt"
        self.process = subprocess.Popen(
            [python, "-S", "-c", LAUNCHER, str(LINES), str(COLUMNS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )

    def run(self, argv: Argv, mode: str) -> tuple[float, float, int, str]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps([argv, mode, str(self.err)]) + "\n")
        self.process.stdin.flush()
        seconds, rss_kib, code = json.loads(self.process.stdout.readline())
        return seconds, rss_kib / 1024, code, self.err.read_text(errors="replace")

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


@dataclass(frozen=True)
class Result:
    ms: float | None = None  # median wall time; None when the command failed
    floor_ms: float | None = None  # median wall time of its floor, run beside it
    ratio: float | None = None  # median of command / floor over the pairs
    rss_mib: float | None = None  # largest peak RSS over the runs
    error: str | None = None


def failed(code: int, message: str) -> Result:
    lines = [line for line in message.strip().splitlines() if line.strip()]
    return Result(error=f"exit {code}: {lines[-1] if lines else 'no message'}")


def paired(command: Setup, floor: Setup, runs: int, mode: str, launcher: Launcher) -> Result:
    """Floor, command, floor, command …: one pair to warm up, then `runs` pairs."""
    times, floors, ratios, peaks = [], [], [], []
    for attempt in range(runs + 1):
        low, _, code, message = launcher.run(floor(), mode)
        if code != 0:
            return failed(code, f"(the floor) {message}")
        seconds, rss, code, message = launcher.run(command(), mode)
        if code != 0:
            return failed(code, message)
        if attempt:
            times.append(seconds)
            floors.append(low)
            ratios.append(seconds / low)
            peaks.append(rss)
    return Result(
        ms=statistics.median(times) * 1000,
        floor_ms=statistics.median(floors) * 1000,
        ratio=statistics.median(ratios),
        rss_mib=max(peaks),
    )


def editable(python: str) -> bool:
    """Whether rbp is installed editable in the environment of `python` (then its start-up
    pays for finding the source tree, which a user's install does not)."""
    probe = (
        "import json, importlib.metadata as m\n"
        "text = m.distribution('rbp-journal').read_text('direct_url.json') or '{}'\n"
        "print(json.loads(text).get('dir_info', {}).get('editable', False))"
    )
    shown = subprocess.run([python, "-c", probe], capture_output=True, text=True)
    return shown.stdout.strip() == "True"


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
