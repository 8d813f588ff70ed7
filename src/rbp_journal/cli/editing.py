"""Writing a whole reflection in the person's editor, without ever losing it.

The file being edited lives beside the journal (an owner-only folder), not in a shared /tmp.
When the edited text cannot be read, the editor opens again on the same text with each problem
written in as a comment beside its line, until it reads, or the person keeps it as a draft:
then it goes where every unsaved word goes (journal.recording.keep: `unsaved/`, encrypted
with the journal), and `rbp reflect --resume` reopens it. Leaving the editor without saving
stores nothing and says so; whatever was written in an earlier round is kept the same way.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from rbp_journal import dates
from rbp_journal.cli import ask, common, guard
from rbp_journal.errors import RbpError, StorageFailed
from rbp_journal.formats import template
from rbp_journal.models.prompts import PromptSet
from rbp_journal.models.reflection import AnswersPayload

if TYPE_CHECKING:
    from rbp_journal.journal import Journal
    from rbp_journal.journal.recording import KeptText


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Written:
    """What the editor gave back that reads: the reflection, and the text as saved (kept as
    a draft if it cannot be stored)."""

    payload: AnswersPayload
    text: str


class EditorFailed(RbpError):
    """The editor could not be started."""


def editor_command() -> list[str]:
    chosen = os.environ.get("EDITOR") or os.environ.get("VISUAL")
    if chosen:
        if os.name != "nt":
            return shlex.split(chosen)
        # Windows paths keep their backslashes; quotes only group words
        return [word.strip('"') for word in shlex.split(chosen, posix=False)]
    return ["notepad"] if os.name == "nt" else ["vi"]


def edit(text: str, folder: Path) -> str | None:
    """What the person saved in their editor, or None when they left it without saving (the
    text came back unchanged, or the editor stopped with a failure status, as vim's :cq)."""
    fd, name = tempfile.mkstemp(prefix="rbp-", suffix=".md", dir=folder)
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        try:
            finished = subprocess.run([*editor_command(), str(path)], check=False)
        except OSError as error:
            raise EditorFailed(
                f"Could not start the editor {editor_command()[0]!r} ({error.strerror}); "
                "set $EDITOR to one you have."
            ) from None
        if finished.returncode != 0:
            common.say(f"The editor stopped with status {finished.returncode}.", style="yellow")
            return None
        # an editor that writes CR LF (notepad) has not changed the text by that alone
        saved = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        return None if saved == text else saved
    finally:
        path.unlink(missing_ok=True)


def write(
    j: Journal,
    prompt_set: PromptSet,
    text: str,
    kept: KeptText | None = None,
    words: dict[str, Any] | None = None,
) -> Written | None:
    """Open the editor on `text` until what is saved reads; None when it came back unchanged
    at once (nothing written). Keeping the text as a draft ends the command (exit 1).
    `kept` is the file the text was reopened from; `words` what to keep beside the text."""
    current = text
    while True:
        edited = edit(current, j.path.parent)
        if edited is None:
            if current == text and kept is None:
                return None
            _keep(j, prompt_set, current, kept, words, "Nothing was stored")
        try:
            filled = template.read(edited, prompt_set)
        except template.Unreadable as error:
            current = template.annotate(edited, error.marks)
            _tell(error)
            if not _again("Enter opens the editor again to fix", "k keeps the text as a draft"):
                _keep(j, prompt_set, current, kept, words, "Nothing was stored yet")
            continue
        answer = _dates_answer(filled)
        if answer == "save":  # `kept` is forgotten once stored (store_written)
            return Written(filled.payload, edited)
        if answer == "keep":
            _keep(j, prompt_set, edited, kept, words, "Nothing was stored yet")
        current = edited


def _tell(error: template.Unreadable) -> None:
    count = len(error.marks)
    common.say(
        f"The text could not be read: {count} problem{'s' if count != 1 else ''}, "
        "each marked in it with <!-- rbp: … -->:",
        style="yellow",
    )
    for mark in error.marks:
        common.say(f"  line {mark.line + 1}: {mark.problem}", wrap=True)


def _again(go: str, stop: str) -> bool:
    try:
        typed = ask.line(f"{go}; {stop}: ").lower()
    except ask.Stopped:
        return False
    return typed not in {"k", "keep"}


def _dates_answer(filled: template.Filled) -> str:
    """Say back each date written as words; when one is ambiguous, or a due date is past or
    the session in the future, ask: "save" as shown, "edit" again, or "keep" as a draft."""
    today = dt.date.today()
    worried = False
    for typed, reading, ahead in filled.dates:
        if _ISO.fullmatch(typed.strip()):
            continue  # as rbp wrote it, or as precise as a date gets: taken as given
        said = dates.echo(typed, reading.day, today)
        worry = dates.concern(reading, today, ahead)
        common.say(f"  {said}: {worry}." if worry else f"  {said}", "yellow" if worry else "dim")
        worried = worried or worry is not None
    if not worried:
        return "save"
    try:
        typed = ask.line("Enter saves it as shown; e opens the editor again: ").lower()
    except ask.Stopped:
        return "keep"
    return "edit" if typed in {"e", "edit"} else "save"


def _keep(
    j: Journal,
    prompt_set: PromptSet,
    text: str,
    kept: KeptText | None,
    words: dict[str, Any] | None,
    opening: str,
) -> NoReturn:
    place = _kept_at(j, prompt_set, text, kept, words)
    common.say(
        f"{opening}. Your text is kept as a draft in {place}; `rbp reflect --resume` reopens it.",
        style="yellow",
    )
    raise typer.Exit(1)


def _kept_at(
    j: Journal,
    prompt_set: PromptSet,
    text: str,
    kept: KeptText | None,
    words: dict[str, Any] | None,
) -> Path:
    """Where `text` is kept: the file it was reopened from when unchanged, else a new one."""
    if kept is not None and kept.words.get("template") == text:
        return kept.path
    place = j.recording.keep({**(words or {}), "set": prompt_set.id, "template": text})
    if kept is not None:
        j.recording.forget(kept)
    return place


def store_written(
    j: Journal,
    prompt_set: PromptSet,
    written: Written,
    kept: KeptText | None = None,
    words: dict[str, Any] | None = None,
) -> int:
    """Store what the editor gave back (a new reflection, or a draft finished): a new client
    code confirmed, identifying details settled. Left at a question (Ctrl-C, Ctrl-D) or
    refused by the disk, the text is kept as a draft, as when it cannot be read."""
    payload = written.payload
    try:
        if payload.client:
            code = ask.client_code(payload.client, j.reading.distinct("clients"))
            payload = payload.model_copy(update={"client": code})
        payload = guard.settle(payload, j.guard.caseload())
    except (ask.Stopped, ask.Back):
        _keep(j, prompt_set, written.text, kept, words, "\nNothing was stored")
    draft = (words or {}).get("reflection")
    try:
        rid = _store(j, payload, draft if isinstance(draft, int) else None)
    except StorageFailed as error:
        place = _kept_at(j, prompt_set, written.text, kept, words)
        raise StorageFailed(error.path, f"{error.reason}. Your text is kept in {place}") from None
    if kept is not None:
        j.recording.forget(kept)
    return rid


def _store(j: Journal, payload: AnswersPayload, draft: int | None) -> int:
    if draft is None:
        return j.recording.record(payload)
    j.recording.update(draft, payload)
    j.recording.finish(draft)
    return draft
