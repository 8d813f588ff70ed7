"""JSON someone hands rbp (answers, CPD records, imports), read so that what could never be
stored is refused in one sentence, before anything is written: nesting deeper than Python's
parser goes (RecursionError), a number longer than Python reads (4,300 digits), and a lone
surrogate (`"\\ud800"`), which JSON allows and UTF-8, and so SQLite, cannot hold.
"""

from __future__ import annotations

import json
import re
from typing import Any

_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_C1 = tuple(chr(code) for code in range(0x80, 0xA0))


class UnreadableJson(ValueError):
    """JSON that parses as far as the standard says, but cannot be stored; `problem` says
    why, as words that follow "holds" or "is"."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def loads(raw: str) -> Any:
    """json.loads, with the three refusals above as UnreadableJson (a JSONDecodeError for
    text that is not JSON at all is left as it is)."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        raise
    except (RecursionError, ValueError) as error:  # ValueError: "Exceeds the limit (4300 digits)"
        raise decode_error(error) from None
    return checked(raw, data)


def checked(raw: str, data: Any) -> Any:
    """`data`, decoded from `raw`, refused if it holds a lone surrogate (looked for only when
    `raw` escapes a surrogate at all: a pair, as an emoji is written, is whole text)."""
    if not _ESCAPED_SURROGATE.search(raw):
        return data
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        found = error.object[error.start : error.end].encode("unicode_escape").decode()
        raise UnreadableJson(f"a lone surrogate ({found}), which is not text") from None
    except RecursionError:
        raise UnreadableJson("nesting deeper than rbp reads") from None
    return data


def may_hold_controls(raw: str) -> bool:
    """Whether valid JSON text may hold a character `text.clean` leaves out or changes: a C0
    control but tab and newline (JSON escapes it: \\u00XX, \\b, \\f, or \\r, which clean makes
    a newline), DEL, or a C1 control (escaped or not). A value that holds none needs no
    scrubbing; a backslash a person typed may look like one, and is then scrubbed for nothing.
    Substring tests, not a regular expression: one took 0.6 s over the 10,000 export, these
    0.01 s."""
    if "\\" in raw and ("\\u00" in raw or "\\b" in raw or "\\f" in raw or "\\r" in raw):
        return True
    return "\x7f" in raw or (not raw.isascii() and any(char in raw for char in _C1))


def decode_error(error: ValueError | RecursionError) -> UnreadableJson:
    """What json's decoder raised beyond "not JSON", as the sentence rbp says."""
    if isinstance(error, RecursionError):
        return UnreadableJson("nesting deeper than rbp reads")
    return UnreadableJson("a number longer than 4,300 digits")
