"""The `rbp` entry point: answers `--version` before anything heavy is imported."""

from __future__ import annotations

import os
import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from rbp_journal import __version__

        sys.stdout.write(f"rbp {__version__}\n")
        return
    # rbp uses no pydantic plugins; looking for them costs an entry-point scan on every start
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from rbp_journal.cli import app

    app()
