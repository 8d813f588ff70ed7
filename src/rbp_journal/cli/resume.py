"""`rbp reflect --resume`: carrying on with an unfinished draft, or reopening words that were
kept because they could not be stored (an editor's text, a refused payload, one answer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from rbp_journal.cli import ask, common, editing
from rbp_journal.cli.questions import Sitting, sit
from rbp_journal.errors import NoDraft

if TYPE_CHECKING:
    from rbp_journal.journal import Journal
    from rbp_journal.journal.recording import KeptText
    from rbp_journal.models.reflection import ReflectionSummary


def resume(j: Journal) -> int:
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
    return sit(Sitting.of(j, draft, prompt_set), start)


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
    return editing.store_written(j, prompt_set, filled, kept, _only_reflection(words))


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
    rid = sit(sitting, start)
    j.recording.forget(kept)
    return rid
