"""The `rbp` entry point: answers `--version` before anything heavy is imported, and stops
quietly when whoever reads stdout has gone (`rbp export | head -1`), as Unix tools do."""

from __future__ import annotations

import os
import sys

SIGPIPE_STATUS = 141  # 128 + SIGPIPE: what a shell reports for `yes | head -1`


def main() -> None:
    try:
        try:
            run()
        finally:
            sys.stdout.flush()  # here, not at exit, so a closed pipe is met inside the guard
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
