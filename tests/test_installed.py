"""The installed `rbp` as a real process: the main paths, and Ctrl-C in a real terminal."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import time
from pathlib import Path

import pytest

from rbp_journal.journal import open_journal

from conftest import CORE_ANSWERS, installed_rbp


def test_main_paths_in_a_real_process(run_rbp, db_path: Path) -> None:
    assert run_rbp("--version").stdout.startswith("rbp ")
    stored = run_rbp("reflect", "--answers", "-", input=json.dumps(CORE_ANSWERS))
    assert stored.returncode == 0, stored.stderr
    assert stored.stdout == "1\n"
    listed = json.loads(run_rbp("list", "--json").stdout)
    assert [row["id"] for row in listed] == [1]
    shown = run_rbp("show", "1", "--format", "markdown")
    assert "Send the housing referral" in shown.stdout
    missing = run_rbp("show", "7")
    assert (missing.returncode, missing.stderr) == (
        1,
        "Error: No reflection with id 7. `rbp list` shows the ids.\n",
    )
    assert run_rbp("list", "--since", "someday").returncode == 2
    assert oct(db_path.stat().st_mode & 0o777) == "0o600"


def test_python_dash_m(db_path: Path) -> None:
    import sys

    open_journal(db_path).close()  # `list` reads a journal; it never makes one
    result = subprocess.run(
        [sys.executable, "-m", "rbp_journal", "list", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "[]\n")


def read_until(fd: int, marker: bytes, timeout: float = 20) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        if time.monotonic() > deadline:
            raise AssertionError(f"never saw {marker!r}; got {seen[-500:]!r}")
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    return seen


@pytest.mark.slow  # 2-11 s of real processes: CI runs it (RBP_RUN_SLOW=1); see conftest
def test_ctrl_c_in_a_terminal_keeps_a_draft(run_rbp) -> None:
    pid, fd = pty.fork()
    if pid == 0:
        command = installed_rbp()
        os.execvpe(command[0], [*command, "reflect", "--client", "C-014"], os.environ)
    read_until(fd, b"Enter uses C-014")  # a code not used before is confirmed
    os.write(fd, b"\r")
    read_until(fd, b"1 of 12")
    os.write(fd, b"We met in the kitchen.\r\r")
    read_until(fd, b"2 of 12")
    os.write(fd, b"4\r")
    read_until(fd, b"3 of 12")
    read_until(fd, b"1-5")  # the question is waiting for keys
    os.write(fd, b"\x03")  # Ctrl-C as the keyboard sends it (a signal sent at random moments
    # can land inside an interpreter callback that swallows it: not what a person does)
    tail = read_until(fd, b"--resume")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 130
    assert b"kept as draft #1" in tail
    assert b"Traceback" not in tail
    drafts = json.loads(run_rbp("list", "--drafts", "--json").stdout)
    assert [d["id"] for d in drafts] == [1]
    shown = json.loads(run_rbp("show", "1", "--json").stdout)
    assert [(a["prompt_id"], a["text"], a["rating"]) for a in shown["answers"]] == [
        ("what_happened", "We met in the kitchen.", None),
        ("listened", None, 4),
    ]
