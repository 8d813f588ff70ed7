"""Small rules about words, shared by every layer: plurals, excerpts, client codes."""

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


def excerpt(text: str, limit: int = 160) -> str:
    """A person's text on one line, cut at `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
