"""Opening text in the person's editor, and keeping their words if it cannot be read back.

The file being edited lives beside the journal (an owner-only folder), not in a shared /tmp;
text that cannot be read back is kept where every unsaved word goes (journal.recording.keep).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from rbp_journal.errors import InvalidAnswers, RbpError
from rbp_journal.formats import template
from rbp_journal.models.prompts import PromptSet
from rbp_journal.models.reflection import AnswersPayload

if TYPE_CHECKING:
    from rbp_journal.journal import Journal


class EditorFailed(RbpError):
    """The editor could not be started, or did not finish cleanly."""


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
            raise EditorFailed(
                f"Could not start the editor {editor_command()[0]!r} ({error.strerror}); "
                "set $EDITOR to one you have."
            ) from None
        if finished.returncode != 0:
            raise EditorFailed(
                f"The editor exited with status {finished.returncode}; nothing was saved."
            )
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)


def parse_or_keep(j: Journal, text: str, prompt_set: PromptSet) -> AnswersPayload:
    """Parse an edited template; if it cannot be read, keep the words and say where."""
    try:
        return template.parse(text, prompt_set)
    except InvalidAnswers as error:
        kept = j.recording.keep({"set": prompt_set.id, "template": text})
        raise InvalidAnswers(f"{error.problem}. Your text is kept in {kept}") from None
