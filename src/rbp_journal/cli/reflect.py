"""`rbp reflect`: a guided reflection, asked prompt by prompt, from a file, or in $EDITOR."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from rbp_journal import dates, privacy
from rbp_journal.cli import ask, common, editing, guard
from rbp_journal.cli.keyboard import at_terminal
from rbp_journal.cli.questions import Sitting
from rbp_journal.errors import NoDraft
from rbp_journal.text import plural

if TYPE_CHECKING:
    from rbp_journal.journal import Journal
    from rbp_journal.journal.answers import Options
    from rbp_journal.journal.recording import KeptText
    from rbp_journal.models.prompts import PromptSet
    from rbp_journal.models.reflection import (
        AnswersPayload,
        Reflection,
        ReflectionHeader,
        ReflectionSummary,
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
        rid = _resume(j)
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
    from rbp_journal.formats import template
    from rbp_journal.journal.answers import header_for

    prompt_set = j.library.get(given.set_id or "core")
    header = header_for(prompt_set, given)
    filled = editing.write(j, prompt_set, template.render(prompt_set, header))
    if filled is None:
        common.say("Nothing was stored: the template came back as it was sent.")
        raise typer.Exit(1)
    return _store_written(j, filled.payload)


def _store_written(j: Journal, payload: AnswersPayload, draft: int | None = None) -> int:
    if payload.client:
        code = ask.client_code(payload.client, j.reading.distinct("clients"))
        payload = payload.model_copy(update={"client": code})
    payload = guard.settle(payload, j.guard.caseload())
    if draft is None:
        return j.recording.record(payload)
    j.recording.update(draft, payload)
    j.recording.finish(draft)
    return draft


def _reopen(j: Journal, kept: KeptText) -> int:
    """Open a kept text again, whatever kept it: the editor's text, a refused `--answers`
    payload (both in the editor), or one answer of a draft that the disk would not take (at
    its question, filled in)."""
    from rbp_journal.formats import template
    from rbp_journal.journal.answers import Options, header_for
    from rbp_journal.models.reflection import AnswersPayload

    words = kept.words
    if isinstance(words.get("draft"), int) and "prompt" in words:
        return _resume_answer(j, kept)
    if isinstance(words.get("template"), str):
        prompt_set = j.library.get(str(words.get("set") or "core"))
        text = str(words["template"])
    else:
        fields = {k: v for k, v in words.items() if k in AnswersPayload.model_fields}
        payload = AnswersPayload.model_validate(fields)
        prompt_set = j.library.get(payload.set)
        given = Options(client=payload.client, setting=payload.setting,
                        session_date=payload.date, tags=payload.tags)  # fmt: skip
        text = template.render_payload(prompt_set, header_for(prompt_set, given), payload)
    filled = editing.write(j, prompt_set, text, kept=kept, words=_only_reflection(words))
    if filled is None:
        common.say(f"Nothing was stored; your text is still kept in {kept.path}.")
        raise typer.Exit(1)
    reflection = words.get("reflection")
    return _store_written(j, filled.payload, reflection if isinstance(reflection, int) else None)


def _only_reflection(words: dict[str, object]) -> dict[str, object]:
    return {"reflection": words["reflection"]} if "reflection" in words else {}


def _resume_answer(j: Journal, kept: KeptText) -> int:
    draft = j.reading.reflection(int(kept.words["draft"]))
    prompt_set = j.library.get(draft.set_id)
    sitting = Sitting.of(j, draft, prompt_set)
    prompt_id = str(kept.words["prompt"])
    sitting.values[prompt_id] = kept.words.get("answer")
    ids = [p.id for p in prompt_set.prompts]
    start = ids.index(prompt_id) if prompt_id in ids else 0
    common.say(f"Resuming draft #{draft.id} at question {start + 1}, with your kept words.")
    rid = _sit(sitting, start)
    j.recording.forget(kept)
    return rid


# --- question by question ---------------------------------------------------------------


def _interactive(j: Journal, given: Options, date_text: str | None) -> int:
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
    return _sit(Sitting(j, rid, prompt_set, today), 0)


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


def _sit(sitting: Sitting, start: int) -> int:
    j, rid = sitting.j, sitting.rid
    try:
        sitting.ask_from(start)
        sitting.review()
        reflection = j.recording.finish(rid)
    except KeyboardInterrupt:
        if j.recording.discard_if_empty(rid):
            common.say("\nStopped. Nothing was written, so nothing was kept.", style="yellow")
        else:
            common.say(
                f"\nStopped. What you wrote is kept as draft #{rid}; "
                "`rbp reflect --resume` continues it.",
                style="yellow",
                wrap=True,
            )
        raise typer.Exit(130) from None
    _show_saved(reflection)
    return rid


def _resume(j: Journal) -> int:
    from rbp_journal.journal.answers import next_prompt

    chosen = _choose_resumable(j)
    if not isinstance(chosen, int):
        return _reopen(j, chosen)
    draft = j.reading.reflection(chosen)
    prompt_set = j.library.get(draft.set_id)
    # the last question answered is asked again, filled in: it may have been cut short
    start = max(0, next_prompt(prompt_set, draft) - 1)
    common.say(f"Resuming draft #{draft.id} at question {start + 1}.", style="bold")
    common.say("Type back at any question for the one before; Ctrl-C stops again.", "dim")
    return _sit(Sitting.of(j, draft, prompt_set), start)


def _choose_resumable(j: Journal) -> int | KeptText:
    """The draft (its id) or kept text to continue: the only one, or the one picked."""
    drafts: list[ReflectionSummary] = j.recording.drafts()
    kept = j.recording.kept_texts()
    choices: list[int | KeptText] = [d.id for d in drafts] + list(kept)
    if not choices:
        raise NoDraft()
    if len(choices) == 1:
        return choices[0]
    common.say("Unfinished drafts and kept texts, newest first:", style="bold")
    for number, draft in enumerate(drafts, start=1):
        what = " ".join((draft.excerpt or "").split())[:50]
        common.say(f"  {number}  #{draft.id} {draft.session_date} {draft.client or '-'} {what}")
    for number, text in enumerate(kept, start=len(drafts) + 1):
        common.say(f"  {number}  kept text {text.path.name}")
    while True:
        try:
            typed = ask.line("Which one (Enter for 1)? ") or "1"
        except ask.Stopped:
            raise typer.Exit(130) from None
        if typed.isdigit() and 1 <= int(typed) <= len(choices):
            return choices[int(typed) - 1]
        common.say(f"Type a number from 1 to {len(choices)}.", style="yellow")


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


def _show_saved(reflection: Reflection) -> None:
    ratings = [a for a in reflection.answers if a.rating is not None]
    common.say("")
    common.say(
        f"Saved reflection #{reflection.id}: {plural(len(reflection.answers), 'answer')}, "
        f"{plural(len(ratings), 'rating')}, {plural(len(reflection.followups), 'promise')}.",
        style="green",
    )
    common.say(f"Read it with `rbp show {reflection.id}`; `rbp followups` lists what you promised.")
