"""Reading what a person types: edited lines in a terminal, plain lines from a pipe.

In a terminal rbp reads through prompt_toolkit: ←/→, Home/End, Ctrl-A/E/W/U/K, backspace over
whole characters (é, emoji), a bracketed paste taken as one piece whatever blank lines it
holds, and ↑/↓ through earlier answers to the same question — the same on Linux, macOS and
Windows, where the standard `readline` does not exist. It is imported when the first question
is asked, never at start-up (it costs about 150 ms). From a pipe (scripts, tests) lines are
read as they come; the rules of an answer are the same in both (see ask.py): an empty line
ends a written answer, `back` alone goes to the previous question, end of input stops.

Both readers raise Stopped (a KeyboardInterrupt) on Ctrl-C or end of input, carrying what was
typed of the answer so far, so the caller can keep it in the draft.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Sequence
from functools import cache
from typing import TYPE_CHECKING, Protocol

from rbp_journal.cli.common import err

if TYPE_CHECKING:
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent


Words = Collection[str]


class Stopped(KeyboardInterrupt):
    """The person stopped (Ctrl-C, or Ctrl-D / end of input on an empty answer)."""

    def __init__(self, partial: str = "") -> None:
        super().__init__()
        self.partial = partial


class Keyboard(Protocol):
    def line(self, prompt: str, default: str = "", history: Sequence[str] = ()) -> str:
        """One line: Enter gives it."""

    def text(
        self, prompt: str, default: str = "", history: Sequence[str] = (), words: Words = ()
    ) -> str:
        """A written answer of any length: Enter on an empty line (or Ctrl-D) gives it; one
        of `words` typed alone (`back`) is given by a single Enter."""


@cache
def keyboard() -> Keyboard:
    """Line editing when a person is at a terminal; plain lines from anything else."""
    if sys.stdin.isatty() and sys.stderr.isatty():
        return Terminal()
    return Plain()


def at_terminal() -> bool:
    """Whether a person is typing (so a doubt can be asked about, not just noted)."""
    return isinstance(keyboard(), Terminal)


class Plain:
    """Lines from stdin. A default (an earlier answer) is kept by an empty line."""

    def line(self, prompt: str, default: str = "", history: Sequence[str] = ()) -> str:
        return self._read(prompt) or default

    def text(
        self, prompt: str, default: str = "", history: Sequence[str] = (), words: Words = ()
    ) -> str:
        lines: list[str] = []
        while True:
            try:
                typed = self._read(prompt)
            except Stopped:
                raise Stopped("\n".join(lines)) from None
            if not lines and typed.strip().lower() in words:
                return typed
            if not typed.strip():
                return "\n".join(lines) if lines else default
            lines.append(typed)

    @staticmethod
    def _read(prompt: str) -> str:
        if prompt:
            err().print(prompt, end="", markup=False, style="bold")
        try:
            return input()
        except (EOFError, KeyboardInterrupt):
            raise Stopped() from None


class Terminal:
    """prompt_toolkit, writing to stderr (stdout carries the new reflection's id)."""

    def __init__(self) -> None:
        # prompt_toolkit: only a person at a terminal pays for it, when first asked something
        from prompt_toolkit.output import create_output

        self.output = create_output(stdout=sys.stderr)
        # no menus here need to know the cursor's row; asking for it (CPR) makes terminals
        # that cannot answer print a warning after a two-second wait
        if hasattr(self.output, "enable_cpr"):
            self.output.enable_cpr = False
        # the Enter rules of a written answer, and the keys every question shares
        self.words: Words = ()
        self.bindings = {True: _bindings(self, written=True), False: _bindings(self, False)}

    def line(self, prompt: str, default: str = "", history: Sequence[str] = ()) -> str:
        return " ".join(self._prompt(prompt, default, history, multiline=False).splitlines())

    def text(
        self, prompt: str, default: str = "", history: Sequence[str] = (), words: Words = ()
    ) -> str:
        self.words = words
        return self._prompt(prompt, default, history, multiline=True)

    def _prompt(self, prompt: str, default: str, history: Sequence[str], multiline: bool) -> str:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import InMemoryHistory

        session: PromptSession[str] = PromptSession(
            output=self.output,
            history=InMemoryHistory(list(reversed(history))),
            key_bindings=self.bindings[multiline],
            multiline=multiline,
            prompt_continuation=lambda width, line, wrap: " " * width,
        )
        return session.prompt(prompt, default=default)


def _bindings(terminal: Terminal, written: bool) -> KeyBindings:
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()
    if written:
        _written_answer(terminal, bindings)

    @bindings.add("c-d")
    def _done(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        if buffer.text.strip():
            buffer.text = buffer.text.rstrip()
            buffer.validate_and_handle()
        else:
            event.app.exit(exception=Stopped(""))

    @bindings.add("c-c")
    @bindings.add("<sigint>")  # a SIGINT from elsewhere (kill -INT) keeps the words too
    def _stop(event: KeyPressEvent) -> None:
        event.app.exit(exception=Stopped(event.current_buffer.text))

    return bindings


def _written_answer(terminal: Terminal, bindings: KeyBindings) -> None:
    @bindings.add("enter")
    def _enter(event: KeyPressEvent) -> None:
        """Enter on an empty last line gives the answer; anywhere else it starts a new line
        at the end (it never splits the line a typo was just fixed in: Esc Enter does)."""
        buffer = event.current_buffer
        lines = buffer.text.split("\n")
        word = buffer.text.strip().lower() in terminal.words
        if not buffer.text.strip() or word or (len(lines) > 1 and not lines[-1].strip()):
            buffer.text = buffer.text.rstrip()
            buffer.validate_and_handle()
        else:
            buffer.cursor_position = len(buffer.text)
            buffer.insert_text("\n")

    @bindings.add("escape", "enter")
    def _paragraph(event: KeyPressEvent) -> None:
        """Esc Enter: a new line where the cursor is, even on an empty line (a paragraph
        break typed by hand)."""
        event.current_buffer.insert_text("\n")
