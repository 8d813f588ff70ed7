"""Small rules about words, shared by every layer: plurals and client codes."""

from __future__ import annotations

import re

_CLIENT_CODE = re.compile(r"^[\w][\w.\-/]*$")


def plural(count: int, word: str, many: str | None = None) -> str:
    """`3 reflections`, `1 reflection`."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def check_client_code(value: str | None) -> str | None:
    """A client code as given, or a ValueError saying what a code looks like."""
    if value is not None and not _CLIENT_CODE.match(value):
        raise ValueError(
            "a client code is one word of letters, digits, '-', '.' or '/', like C-014"
        )
    return value
