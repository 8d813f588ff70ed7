"""`rbp reflect`: a guided reflection, asked prompt by prompt, from a file, or in $EDITOR."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from rbp_journal import dates, privacy
from rbp_journal.cli import ask, common, guard
from rbp_journal.cli.keyboard import at_terminal

if TYPE_CHECKING:
    from rbp_journal.journal import Journal
    from rbp_journal.journal.answers import Options
    from rbp_journal.models.prompts import PromptSet
    from rbp_journal.models.reflection import (
        ReflectionHeader,
    )

EXAMPLES = """

Examples:

  rbp reflect --client C-014 --setting home-visit

  rbp reflect --set crisis --tag first-visit --date yesterday

  rbp reflect --answers session.json      (or - to read the JSON from stdin)

  rbp reflect --resume

A written answer ends with Enter on an empty line (a paste keeps its blank lines; Esc Enter
types one). `back` at any question returns to the one before. Ctrl-C keeps a draft.

Dates are said back (friday → Fri 27 Nov). For a promise, friday is the coming one and
next friday the Friday of next week; 27/11 is day first.
"""


app = typer.Typer(rich_markup_mode=None)


@app.command("reflect", epilog=EXAMPLES)
def reflect(
    set_id: Annotated[
        str | None, typer.Option("--set", help="Prompt set id (default core; `rbp prompts list`).")
    ] = None,
    client: Annotated[
        str | None,
        typer.Option(
            help="The person's code, never a name: C-014 (c-014 is the same person).",
            callback=common.client_code,
        ),
    ] = None,
    setting: Annotated[
        common.Setting | None, typer.Option(help="Where the session happened.")
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help=f"Session date (default today): {dates.WHEN_HELP}."),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", help="A tag; repeat for more.", callback=common.checked_tags),
    ] = None,
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers", metavar="FILE", help="Answers as JSON from FILE, or - for stdin."
        ),
    ] = None,
    editor: Annotated[bool, typer.Option("--editor", help="Write it all in $EDITOR.")] = False,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Continue an unfinished draft, or reopen a kept text."),
    ] = False,
    mask: Annotated[
        bool, typer.Option("--mask", help="With --answers: store identifying details masked.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="With --answers: store nothing if any are found.")
    ] = False,
) -> None:
    """Reflect on a session, one question at a time; prints the new reflection's id."""
    from rbp_journal.journal.answers import Options  # pydantic: see common.journal()

    given = Options(
        set_id=set_id,
        client=client,
        setting=setting.value if setting else None,
        session_date=dates.parse_optional(date),
        tags=tag or [],
    )
    _warn_if_name(given.client)
    j = common.journal(create=True)
    if answers is not None:
        rid = _from_answers(j, answers, given, mask=mask, strict=strict)
    elif resume:
        from rbp_journal.cli.resume import resume as carry_on  # see _with_editor

        rid = carry_on(j)
    elif editor:
        rid = _with_editor(j, given)
    else:
        _warn_if_tags_name(j, given.tags)  # the other paths check tags with the answers
        rid = _interactive(j, given, date)
    sys.stdout.write(f"{rid}\n")


def _warn_if_name(client: str | None) -> None:
    if client and privacy.looks_like_name(client):
        common.say(
            f"--client {client!r} looks like a name. Use a code such as C-014 "
            "(`rbp clients` lists those in use).",
            style="yellow",
        )


def _warn_if_tags_name(j: Journal, tags: list[str]) -> None:
    """A --tag that names someone is stored and exported like an answer: say so before asking."""
    found = privacy.find_fields({tag: tag for tag in tags}, guard.allow_list(), j.guard.caseload())
    for tag, findings in found.items():
        if findings:
            common.say(
                f"--tag {tag!r} may identify someone ({findings[0].mask}); tags are kept and "
                "exported like answers. `rbp scan --mask` masks it later.",
                style="yellow",
            )


# --- from a file ------------------------------------------------------------------------


def _from_answers(j: Journal, source: str, given: Options, mask: bool, strict: bool) -> int:
    from rbp_journal.formats.answers import read_json, where
    from rbp_journal.journal.answers import payload_from, scrub

    data = read_json(common.read_text(source, "the answers file"), source)
    payload = payload_from(data, given, j.library, where=f"The answers in {where(source)}")
    payload, notes = scrub(payload)
    for note in notes:
        common.say(f"Note: {note}.", style="yellow")
    if payload.client:  # a script is never stopped to ask
        ask.client_code(payload.client, j.reading.distinct("clients"), confirm=False)
    payload = guard.guarded(payload, mask, strict, j.guard.caseload())
    words = payload.model_dump(mode="json")
    return j.recording.keeping_words(lambda: j.recording.record(payload), words)


# --- in the editor ----------------------------------------------------------------------


def _with_editor(j: Journal, given: Options) -> int:
    # the editor's and the questions' modules here, not at the top: `--answers` (what scripts
    # run) loads neither, nor the template format
    from rbp_journal.cli import editing
    from rbp_journal.formats import template
    from rbp_journal.journal.answers import header_for

    prompt_set = j.library.get(given.set_id or "core")
    header = header_for(prompt_set, given)
    filled = editing.write(j, prompt_set, template.render(prompt_set, header))
    if filled is None:
        common.say("Nothing was stored: the template came back as it was sent.")
        raise typer.Exit(1)
    return editing.store_written(j, prompt_set, filled)


# --- question by question ---------------------------------------------------------------


def _interactive(j: Journal, given: Options, date_text: str | None) -> int:
    from rbp_journal.cli.questions import Sitting, sit  # see _with_editor
    from rbp_journal.journal.answers import header_for

    prompt_set = j.library.get(given.set_id or "core")
    today = dt.date.today()
    try:
        header = _settled(j, header_for(prompt_set, given, today), date_text, today)
        if header.client:
            _revisit_promises(j, header.client)
    except ask.Stopped:
        common.say("\nStopped before the first question; nothing was stored.", style="yellow")
        raise typer.Exit(130) from None
    rid = j.recording.start_draft(header)
    _show_header(prompt_set, header)
    return sit(Sitting(j, rid, prompt_set, today), 0)


def _settled(
    j: Journal, header: ReflectionHeader, date_text: str | None, today: dt.date
) -> ReflectionHeader:
    """At a terminal: the session date said back (and asked about if it is in the future or
    ambiguous), and a new client code confirmed."""
    if header.client:
        code = ask.client_code(header.client, j.reading.distinct("clients"))
        header = header.model_copy(update={"client": code})
    if date_text and at_terminal():
        day = ask.settle(date_text, today, ahead=False)
        header = header.model_copy(update={"session_date": day})
    return header


def _show_header(prompt_set: PromptSet, header: ReflectionHeader) -> None:
    bits = [prompt_set.title, dates.shown(header.session_date)]
    bits += [b for b in (header.client, header.setting) if b]
    common.say(" · ".join(bits), style="bold")
    common.say("A written answer ends with Enter on an empty line; a paste keeps its", "dim")
    common.say("blank lines. Type back at any question to return to the one before;", "dim")
    common.say("Ctrl-C stops at any point and keeps what you wrote as a draft.", "dim")


def _revisit_promises(j: Journal, client: str) -> None:
    context = j.recording.client_context(client)
    if context.last_differently is not None:
        common.say(f"Last time with {client} you said you would do differently:", style="bold")
        common.say(f"  {context.last_differently}")
    if context.open_followups:
        common.say(f"Open promises to {client}:", style="bold")
    for followup in context.open_followups:
        due = f" (due {followup.due.isoformat()})" if followup.due else ""
        if ask.yes(f"  #{followup.id} {followup.text}{due}: done now?"):
            j.supervision.close_followup(followup.id, "done")
