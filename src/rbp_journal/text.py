"""Small rules about words, shared by every layer: plurals, excerpts, the one rule for what typed text
may hold, and client codes.

`clean` is the only rule for control characters, whatever the path the words came by
(typed, pasted, `--answers`, import, the editor): a terminal's escape sequences (an arrow key
a program did not understand, the markers of a bracketed paste) go whole, other control
characters go one by one, line ends become "\\n", and tabs and newlines stay.
"""

from __future__ import annotations

import difflib
import re
from typing import NamedTuple

_CLIENT_CODE = re.compile(r"^[\w][\w.\-/]*$")
# ESC [ … final byte (CSI: arrows, Home/End, paste markers), ESC ] … BEL or ESC \ (OSC),
# ESC and one more byte (Alt-x, SS3 keys), or any other C0/C1 control but tab and newline
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?"
    r"|\x1bO[^\t\n]?|\x1b[^\t\n]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]",
)


def plural(count: int, word: str, many: str | None = None) -> str:
    """`3 reflections`, `1 reflection`."""
    return f"{count} {word if count == 1 else many or word + 's'}"


class Cleaned(NamedTuple):
    text: str
    dropped: int  # control characters left out (an escape sequence counts as one)


def clean(text: str) -> Cleaned:
    """`text` without control characters; tabs and newlines kept, CR LF and CR made LF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    dropped = 0

    def drop(_: re.Match[str]) -> str:
        nonlocal dropped
        dropped += 1
        return ""

    return Cleaned(_ESCAPES.sub(drop, text), dropped)


def dropped_note(where: str, dropped: int) -> str:
    """The one line that says control characters were left out of something."""
    what = plural(dropped, "control character")
    return f"{where}: {what} (a key or escape code the terminal sent) left out"


def normal_code(value: str) -> str:
    """A client code as stored: one person whatever the case it was typed in."""
    return value.strip().upper()


def check_client_code(value: str | None) -> str | None:
    """A client code normalised (upper case), or a ValueError saying what a code looks like."""
    if value is None:
        return None
    if not _CLIENT_CODE.match(value.strip()):
        raise ValueError(
            "a client code is one word of letters, digits, '-', '.' or '/', like C-014"
        )
    return normal_code(value)


def excerpt(text: str, limit: int = 160) -> str:
    """A person's text on one line, cut at `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def near_codes(code: str, codes: list[str], limit: int = 3) -> list[str]:
    """Codes in use that look like `code` mistyped, closest first."""
    by_key = {normal_code(c): c for c in codes}
    close = difflib.get_close_matches(normal_code(code), list(by_key), n=limit, cutoff=0.6)
    return [by_key[key] for key in close if key != normal_code(code)]
