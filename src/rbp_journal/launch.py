"""The `rbp` entry point: answers `--version` before anything heavy is imported, stops
quietly when whoever reads stdout has gone (`rbp export | head -1`), as Unix tools do, and
leaves its objects to the operating system at exit."""

from __future__ import annotations

import gc
import os
import sys

SIGPIPE_STATUS = 141  # 128 + SIGPIPE: what a shell reports for `yes | head -1`


def main() -> None:
    try:
        try:
            run()
        finally:
            sys.stdout.flush()  # here, not at exit, so a closed pipe is met inside the guard
            # Python's last collection at exit frees every module, class and function one by
            # one (~100 ms once pydantic is loaded); the process ending frees them at once.
            # Journals are closed and files written by then: nothing waits on a finaliser.
            gc.freeze()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(SIGPIPE_STATUS)


def run() -> None:
    if "_RBP_COMPLETE" in os.environ:
        from rbp_journal import completion  # a TAB: values answered before Typer loads

        if completion.answered():
            return
    if sys.argv[1:] == ["--version"]:
        from rbp_journal import __version__

        sys.stdout.write(f"rbp {__version__}\n")
        return
    # rbp uses no pydantic plugins; looking for them costs an entry-point scan on every start
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from rbp_journal.cli import app

    app()
