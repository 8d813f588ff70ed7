"""Small rules about words, shared by every layer: plurals, excerpts, client codes, tags, and
what a terminal or a document may be shown of a person's text."""

from __future__ import annotations

import re

_CLIENT_CODE = re.compile(r"^[\w][\w.\-/]*$")
# C0 controls but tab and newline, DEL, and C1 controls: a terminal acts on them (ESC starts
# sequences that retitle windows, clear screens, or write links); documents have no use for them
_CONTROLS = re.compile(r"\r\n?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# where a tag cannot go: control characters and line or paragraph separators
_NOT_IN_TAGS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


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


def visible(text: str) -> str:
    """Text as it may be shown: line ends as newlines, every other control character as its
    visible picture (ESC as ␛), so nothing a person stored can act on a terminal."""
    return _CONTROLS.sub(_picture, text) if _CONTROLS.search(text) else text


def _picture(match: re.Match[str]) -> str:
    char = match.group()
    if char[0] == "\r":
        return "\n"
    code = ord(char)
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"


def check_tag(value: str) -> str:
    """A tag as given, or a ValueError: a tag is one line of printable text."""
    if _NOT_IN_TAGS.search(value):
        raise ValueError("a tag is one line of printable text, without control characters")
    return value
