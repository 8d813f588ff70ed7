"""`rbp reflect`: a guided reflection, asked prompt by prompt, from a file, or in $EDITOR."""

from __future__ import annotations

import datetime as dt
import sys
from functools import partial
from typing import TYPE_CHECKING, Annotated

import typer

from rbp_journal import dates, privacy
from rbp_journal.cli import ask, common, editing, guard
from rbp_journal.errors import IdentifyingDetails, InvalidAnswers, NoDraft
from rbp_journal.formats import template
from rbp_journal.formats.answers import read_payload
from rbp_journal.journal.answers import Options, header_for, next_prompt, overlay

if TYPE_CHECKING:
    from rbp_journal.journal import Journal
    from rbp_journal.models.prompts import PromptSet
    from rbp_journal.models.reflection import AnswersPayload, Reflection, ReflectionHeader

EXAMPLES = """

Examples:

  rbp reflect --client C-014 --setting home-visit

  rbp reflect --set crisis --tag first-visit

  rbp reflect --answers session.json      (or - to read the JSON from stdin)

  rbp reflect --resume
"""


app = typer.Typer(rich_markup_mode=None)


@app.command("reflect", epilog=EXAMPLES)
def reflect(
    set_id: Annotated[
        str | None, typer.Option("--set", help="Prompt set id (default core; `rbp prompts list`).")
    ] = None,
    client: Annotated[
        str | None,
        typer.Option(help="The person's code, never a name: C-014.", callback=common.client_code),
    ] = None,
    setting: Annotated[
        common.Setting | None, typer.Option(help="Where the session happened.")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Session date (default today).")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag; repeat for more.")] = None,
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers", metavar="FILE", help="Answers as JSON from FILE, or - for stdin."
        ),
    ] = None,
    editor: Annotated[bool, typer.Option("--editor", help="Write it all in $EDITOR.")] = False,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the last unfinished draft.")
    ] = False,
    mask: Annotated[
        bool, typer.Option("--mask", help="With --answers: store identifying details masked.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="With --answers: store nothing if any are found.")
    ] = False,
) -> None:
    """Reflect on a session, one question at a time; prints the new reflection's id."""
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
        payload = read_payload(common.read_text(answers, "the answers file"), answers)
        payload = _guarded(overlay(payload, given), mask=mask, strict=strict)
        words = payload.model_dump(mode="json")
        rid = j.recording.keeping_words(lambda: j.recording.record(payload), words)
    elif editor:
        rid = _with_editor(j, given)
    else:
        rid = _interactive(j, given, resume)
    sys.stdout.write(f"{rid}\n")


def _choose_draft(j: Journal) -> Reflection:
    """The draft to continue: the only one, or the one the person picks (newest first)."""
    drafts = j.recording.drafts()
    if not drafts:
        raise NoDraft()
    if len(drafts) > 1:
        common.say("Unfinished drafts:", style="bold")
        for number, draft in enumerate(drafts, start=1):
            what = " ".join((draft.excerpt or "").split())[:60]
            common.say(f"  {number}  #{draft.id} {draft.session_date} {draft.client or '-'} {what}")
        while True:
            typed = ask.line("Which one (Enter for 1)? ").strip() or "1"
            if typed.isdigit() and 1 <= int(typed) <= len(drafts):
                return j.reading.reflection(drafts[int(typed) - 1].id)
            common.say(f"Type a number from 1 to {len(drafts)}.", style="yellow")
    return j.reading.reflection(drafts[0].id)


def _warn_if_name(client: str | None) -> None:
    if client and privacy.looks_like_name(client):
        common.say(
            f"--client {client!r} looks like a name. Use a code such as C-014 "
            "(`rbp clients` lists those in use).",
            style="yellow",
        )


def _guarded(payload: AnswersPayload, mask: bool, strict: bool) -> AnswersPayload:
    """Apply the privacy guard to a non-interactive reflection: list, then mask or refuse."""
    found = privacy.details(payload, guard.allow_list())
    if not found:
        return payload
    guard.report(found)
    if strict:
        raise IdentifyingDetails(len(found))
    if mask:
        common.say("Stored with these masked.", style="dim")
        return privacy.redact(payload, guard.allow_list())
    common.say("Stored as given; --mask stores them masked, `rbp scan --mask` masks them later.")
    return payload


def _with_editor(j: Journal, given: Options) -> int:
    prompt_set = j.library.get(given.set_id or "core")
    header = header_for(prompt_set, given)
    text = editing.edit(template.render(prompt_set, header), j.path.parent)
    payload = editing.parse_or_keep(j, text, prompt_set)
    return j.recording.record(guard.settle(payload))


def _interactive(j: Journal, given: Options, resume: bool) -> int:
    if resume:
        draft = _choose_draft(j)
        prompt_set = j.library.get(draft.set_id)
        rid, start = draft.id, next_prompt(prompt_set, draft)
        common.say(f"Resuming draft #{rid} from question {start + 1}.", style="bold")
    else:
        prompt_set = j.library.get(given.set_id or "core")
        header = header_for(prompt_set, given)
        if header.client:
            _revisit_promises(j, header.client)
        rid, start = j.recording.start_draft(header), 0
        _show_header(prompt_set, header)
    try:
        _ask_prompts(j, rid, prompt_set, start)
        reflection = j.recording.finish(rid)
    except KeyboardInterrupt:
        common.say(
            f"\nStopped. What you wrote is kept as draft #{rid}; "
            "`rbp reflect --resume` continues it.",
            style="yellow",
        )
        raise typer.Exit(130) from None
    _show_summary(reflection)
    return rid


def _show_header(prompt_set: PromptSet, header: ReflectionHeader) -> None:
    bits = [prompt_set.title, header.session_date.isoformat()]
    bits += [b for b in (header.client, header.setting) if b]
    common.say(" · ".join(bits), style="bold")
    common.say("Ctrl-C stops at any point and keeps what you wrote as a draft.", style="dim")


def _ask_prompts(j: Journal, rid: int, prompt_set: PromptSet, start: int) -> None:
    total = len(prompt_set.prompts)
    for number, prompt in enumerate(prompt_set.prompts[start:], start=start + 1):
        common.say("")
        common.say(f"{number} of {total} · {prompt.theme}", style="dim")
        common.say(prompt.text + ("" if prompt.required else "  (optional)"), "bold", wrap=True)
        if prompt.help:
            common.say(prompt.help, style="italic", wrap=True)
        if prompt.kind == "followups":
            while (promise := ask.promise(dt.date.today())) is not None:
                text = guard.check(promise.text)
                if text is not None:
                    j.supervision.add_followup(rid, promise.model_copy(update={"text": text}))
            continue
        while True:
            value = {"rating": ask.rating, "choice": ask.choice}.get(prompt.kind, ask.text)(prompt)
            if isinstance(value, str) and prompt.kind == "text":
                value = guard.check(value)
                if value is None:
                    continue

            try:
                words = {"draft": rid, "prompt": prompt.id, "answer": value}
                save = partial(j.recording.save_answer, rid, prompt_set, prompt, value)
                j.recording.keeping_words(save, words)
                break
            except InvalidAnswers as error:
                common.say(str(error), style="yellow")


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


def _show_summary(reflection: Reflection) -> None:
    ratings = [a for a in reflection.answers if a.rating is not None]
    common.say("")
    common.say(
        f"Saved reflection #{reflection.id}: {len(reflection.answers)} answers, "
        f"{len(ratings)} ratings, {len(reflection.followups)} promises.",
        style="green",
    )
    common.say(f"Read it with `rbp show {reflection.id}`; `rbp followups` lists what you promised.")
