"""Small rules about words, shared by every layer: plurals, excerpts, the one rule for what typed
text may hold, client codes, tags, and what a terminal or a document may be shown of a
person's text.

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
_SURROGATES = re.compile("[\ud800-\udfff]")
# C0 controls but tab and newline, DEL, and C1 controls: a terminal acts on them (ESC starts
# sequences that retitle windows, clear screens, or write links); documents have no use for them
_CONTROLS = re.compile(r"\r\n?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# where a tag cannot go: control characters and line or paragraph separators
_NOT_IN_TAGS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def plural(count: int, word: str, many: str | None = None) -> str:
    """`3 reflections`, `1 reflection`."""
    return f"{count} {word if count == 1 else many or word + 's'}"


class Cleaned(NamedTuple):
    text: str
    dropped: int  # control characters left out (an escape sequence counts as one)


def clean(text: str) -> Cleaned:
    """`text` without control characters; tabs and newlines kept, CR LF and CR made LF; a
    byte that was not UTF-8 read as Windows-1252 (what a terminal that is not UTF-8 sends)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _SURROGATES.search(text):
        text = _SURROGATES.sub(_byte_as_text, text)
    dropped = 0

    def drop(_: re.Match[str]) -> str:
        nonlocal dropped
        dropped += 1
        return ""

    return Cleaned(_ESCAPES.sub(drop, text), dropped)


def undecoded(text: str) -> int:
    """How many bytes Python could not decode `text` holds (as surrogates), which clean reads
    as Windows-1252."""
    return len(_SURROGATES.findall(text))


def _byte_as_text(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte Python's "surrogateescape" kept: é from Latin-1 …
        return bytes([code - 0xDC00]).decode("cp1252", errors="replace")
    return "\ufffd"  # a lone surrogate, which is not text: UTF-8 and SQLite cannot hold it


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
