"""The privacy guard's side of the conversation: showing identifying details and asking what
to do with them (mask, keep, or retype), before anything is saved."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rbp_journal import config, privacy
from rbp_journal.cli import ask, common
from rbp_journal.errors import IdentifyingDetails

if TYPE_CHECKING:
    from rich.text import Text

    from rbp_journal.models.reflection import AnswersPayload
    from rbp_journal.privacy import Caseload, Detail


def allow_list() -> Sequence[str]:
    return config.allow_list()


def highlighted(text: str, spans: Sequence[tuple[int, int]]) -> Text:
    from rich.text import Text  # Rich: only a person at a terminal is shown this

    shown = Text(text)
    for start, end in spans:
        shown.stylize("reverse bold red", start, end)
    return shown


def check(text: str, caseload: Caseload | None = None, seen: list[str] | None = None) -> str | None:
    """The text to save (as typed or masked), or None when the person wants to retype it.

    `seen` holds the names found in this reflection's earlier answers, so that each later
    mention is caught too; names found here are added to it.
    """
    found = privacy.find(text, allow_list(), caseload, known=seen or ())
    if seen is not None:
        seen += [f.text for f in found if f.kind == "name"]
    if not found:
        return text
    kinds = ", ".join(dict.fromkeys(f.mask for f in found))
    common.say(f"This may identify someone: {kinds}.", style="yellow")
    common.err().print(highlighted(text, [(f.start, f.end) for f in found]))
    while True:
        choice = ask.line("[m]ask it (Enter), [k]eep it, or [r]etype? ").strip().lower()
        if choice in {"", "m", "mask"}:
            masked = privacy.mask(text, found)
            common.say(f"Saved as: {masked}", style="dim")
            return masked
        if choice in {"k", "keep"}:
            return text
        if choice in {"r", "retype"}:
            return None


def report(found: Sequence[Detail]) -> None:
    """List what the guard found in a whole reflection, one line a detail, on stderr."""
    common.say(f"{len(found)} identifying detail{'s' if len(found) != 1 else ''} found:", "yellow")
    for detail in found:
        common.say(f"  {detail.where}: {detail.finding.mask} {detail.finding.text!r}")


def settle(payload: AnswersPayload, caseload: Caseload | None = None) -> AnswersPayload:
    """For a reflection written whole in the editor: show what was found, mask or keep it."""
    found = privacy.details(payload, allow_list(), caseload)
    if not found:
        return payload
    report(found)
    choice = ask.line("[m]ask them (Enter) or [k]eep them? ").strip().lower()
    return payload if choice in {"k", "keep"} else privacy.redact(payload, allow_list(), caseload)


def guarded(
    payload: AnswersPayload, mask: bool, strict: bool, caseload: Caseload | None = None
) -> AnswersPayload:
    """The guard over words that came from a file or stdin (no one to ask): list what was
    found, then store it as given, masked (`--mask`), or not at all (`--strict`)."""
    found = privacy.details(payload, allow_list(), caseload)
    if not found:
        return payload
    report(found)
    if strict:
        raise IdentifyingDetails(len(found))
    if mask:
        common.say("Stored with these masked.", style="dim")
        return privacy.redact(payload, allow_list(), caseload)
    common.say("Stored as given; --mask stores them masked, `rbp scan --mask` masks them later.")
    return payload
