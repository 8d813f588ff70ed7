"""Opening text in the person's editor, and keeping their words if it cannot be read back.

The temporary file lives beside the journal (an owner-only folder), not in a shared /tmp.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from rbp_journal import template
from rbp_journal.cli.common import say
from rbp_journal.errors import InvalidAnswers, RbpError
from rbp_journal.models import AnswersPayload, PromptSet


def editor_command() -> list[str]:
    chosen = os.environ.get("EDITOR") or os.environ.get("VISUAL")
    if chosen:
        return shlex.split(chosen)
    return ["notepad"] if os.name == "nt" else ["vi"]


def edit(text: str, folder: Path) -> str:
    """Let the person edit `text` in their editor and return what they saved."""
    fd, name = tempfile.mkstemp(prefix="rbp-", suffix=".md", dir=folder)
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            finished = subprocess.run([*editor_command(), str(path)], check=False)
        except OSError as error:
            raise RbpError(
                f"Could not start the editor {editor_command()[0]!r} ({error.strerror}); "
                "set $EDITOR to one you have."
            ) from None
        if finished.returncode != 0:
            raise RbpError(
                f"The editor exited with status {finished.returncode}; nothing was saved."
            )
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)


def parse_or_keep(text: str, prompt_set: PromptSet, folder: Path) -> AnswersPayload:
    """Parse an edited template; if it cannot be read, keep the words in a file and say where."""
    try:
        return template.parse(text, prompt_set)
    except InvalidAnswers as error:
        kept = keep(text, folder)
        raise InvalidAnswers(
            f"{str(error).removesuffix(' Nothing was saved.')} Your text is kept in {kept}."
        ) from None


def keep(text: str, folder: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    fd, name = tempfile.mkstemp(prefix=f"rbp-unsaved-{stamp}-", suffix=".md", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    say(f"Kept your text in {name}", style="yellow")
    return Path(name)
