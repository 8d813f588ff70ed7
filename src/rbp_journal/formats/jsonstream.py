"""A JSON text read a value at a time: `rbp import` of a 100,000-reflection export holds one
reflection's text, not the file (reading it whole took 290 MiB for 10,000).

The standard library's decoder (raw_decode) runs over a window of the stream that is refilled
as it is used up; each value's line is known, for error messages. Lines whose whole text is
one value can be handed on as text (pydantic reads JSON text faster than json can decode it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from rbp_journal import json_input

CHUNK = 1 << 16
_DECODER = json.JSONDecoder()
_SPACE = " \t\r\n"


class BadJson(Exception):
    """The text is not JSON (or not the JSON expected) at `line`."""

    def __init__(self, line: int) -> None:
        super().__init__(f"bad JSON at line {line}")
        self.line = line


class Reader:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.text = ""  # read and not yet used, from self.pos
        self.pos = 0
        self.line = 1  # the line self.text starts on
        self.done = False

    def more(self, at_least: int = CHUNK) -> bool:
        """Read more of the stream into the window; False at its end."""
        if self.done:
            return False
        chunk = self.stream.read(max(at_least, CHUNK))
        if not chunk:
            self.done = True
            return False
        self.line += self.text.count("\n", 0, self.pos)
        self.text = self.text[self.pos :] + chunk
        self.pos = 0
        return True

    def here(self) -> int:
        """The line the next character is on."""
        return self.line + self.text.count("\n", 0, self.pos)

    def peek_text(self, size: int) -> str:
        """The next `size` characters after any whitespace, without using them up."""
        while len(self.text) - self.pos < size + 64 and self.more():
            pass
        return self.text[self.pos :].lstrip()[:size]

    def skip_space(self) -> None:
        while True:
            text, pos = self.text, self.pos  # locals: this runs twice a record
            end = len(text)
            while pos < end and text[pos] in _SPACE:
                pos += 1
            self.pos = pos
            if pos < end or not self.more():
                return

    def take(self, sign: str) -> bool:
        """Use up `sign` if it comes next (after whitespace); the text may not end here."""
        self.skip_space()
        if self.text.startswith(sign, self.pos):
            self.pos += len(sign)
            return True
        if self.pos >= len(self.text):
            raise BadJson(self.here())
        return False

    def expect(self, sign: str) -> None:
        if not self.take(sign):
            raise BadJson(self.here())

    def value(self) -> Any:
        """The next JSON value, reading more of the stream until it is whole."""
        self.skip_space()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                if self.more(len(self.text)):  # perhaps cut off by the window's end
                    continue
                raise BadJson(self.line + error.lineno - 1) from None
            except (RecursionError, ValueError) as error:  # JSON, but not what can be stored
                raise json_input.decode_error(error) from None
            if end == len(self.text) and self.more():
                continue  # a number or word at the window's end may go on
            start, self.pos = self.pos, end
            return json_input.checked(self.text[start:end], value)

    def rest_of_line(self) -> str:
        """The rest of the current line (after whitespace), without a trailing comma; not
        used up (`skip` it once it has been read as a value)."""
        self.skip_space()
        while (end := self.text.find("\n", self.pos)) < 0 and self.more():
            pass
        line = self.text[self.pos : end if end >= 0 else len(self.text)].rstrip()
        return line[:-1].rstrip() if line.endswith(",") else line

    def skip(self, size: int) -> None:
        self.pos += size

    def end(self) -> None:
        """Nothing but whitespace may follow."""
        self.skip_space()
        if self.pos < len(self.text):
            raise BadJson(self.here())

    def lines(self) -> Iterator[tuple[int, str]]:
        """Each line of the rest of the text, with its number."""
        while True:
            end = self.text.find("\n", self.pos)
            if end < 0 and self.more():
                continue
            line = self.here()
            if end < 0:
                rest, self.pos = self.text[self.pos :], len(self.text)
                if rest:
                    yield line, rest
                return
            text, self.pos = self.text[self.pos : end], end + 1
            yield line, text
