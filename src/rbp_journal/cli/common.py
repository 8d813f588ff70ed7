"""What every command shares: the chosen journal, the two consoles, JSON output.

Rich is imported only when a console is first used, so `--json` output and `--version`
never pay for it.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from rbp_journal.journal import Journal

state: dict[str, str | None] = {"db": None}


def journal() -> Journal:
    from rbp_journal.journal import open_journal

    return open_journal(state["db"])


@cache
def out() -> Console:
    """Data for the person on stdout."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


@cache
def err() -> Console:
    """Messages for the person on stderr."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def say(message: str, style: str = "", wrap: bool = True) -> None:
    """A message for the person; `wrap=False` keeps a path or a command on one line."""
    err().print(message, style=style or None, markup=False, soft_wrap=not wrap)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
