"""JSON someone hands rbp (answers, CPD records, imports), read so that what could never be
stored is refused in one sentence, before anything is written: nesting deeper than Python's
parser goes (RecursionError), a number longer than Python reads (4,300 digits), and a lone
surrogate (`"\\ud800"`), which JSON allows and UTF-8, and so SQLite, cannot hold.
"""

from __future__ import annotations

import json
from typing import Any


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
    except RecursionError:
        raise UnreadableJson("nesting deeper than rbp reads") from None
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise UnreadableJson("a number longer than 4,300 digits") from None
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        found = error.object[error.start : error.end].encode("unicode_escape").decode()
        raise UnreadableJson(f"a lone surrogate ({found}), which is not text") from None
    except RecursionError:
        raise UnreadableJson("nesting deeper than rbp reads") from None
    return data
