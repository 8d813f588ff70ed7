"""One reflection asked question by question in the terminal: going back, promises, a summary.

Every answer is committed to the draft as it is given, so Ctrl-C loses nothing: what was typed
of the answer in hand is saved too, and `--resume` reopens that question with it filled in.
`back` at any question returns to the one before with its answer to edit; promises made in
this sitting are reopened one by one the same way. Before saving, a summary lists every
answer, and a question's number changes its answer.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

import typer

from rbp_journal import dates
from rbp_journal.cli import ask, common, guard
from rbp_journal.errors import InvalidAnswers
from rbp_journal.journal.answers import AnswerValue, offered_promise
from rbp_journal.models.reflection import FollowupIn
from rbp_journal.text import clean, plural

if TYPE_CHECKING:
    from rbp_journal.journal import Journal
    from rbp_journal.models.prompts import Prompt, PromptSet
    from rbp_journal.models.reflection import Reflection


@dataclass
class Sitting:
    """The reflection being written: its draft, its answers so far, its promises."""

    j: Journal
    rid: int
    prompt_set: PromptSet
    today: dt.date
    values: dict[str, AnswerValue] = field(default_factory=dict)
    promises: list[tuple[int, FollowupIn]] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)  # names found so far: caught again later

    @classmethod
    def of(cls, j: Journal, draft: Reflection, prompt_set: PromptSet) -> Sitting:
        sitting = cls(j, draft.id, prompt_set, dt.date.today())
        for answer in draft.answers:
            sitting.values[answer.prompt_id] = (
                answer.rating if answer.rating is not None else answer.text
            )
        sitting.promises = [
            (f.id, FollowupIn(text=f.text, due=f.due))
            for f in draft.followups
            if f.status == "open"
        ]
        return sitting

    # --- the questions -------------------------------------------------------------------

    def ask_from(self, start: int) -> None:
        """Ask every question from `start`; `back` steps to the one before."""
        index = start
        while index < len(self.prompt_set.prompts):
            try:
                self.ask(index)
                index += 1
            except ask.Back:
                if index == 0:
                    common.say("This is the first question.", style="dim")
                index = max(0, index - 1)

    def ask(self, index: int) -> None:
        prompt = self.prompt_set.prompts[index]
        total = len(self.prompt_set.prompts)
        common.say("")
        common.say(f"{index + 1} of {total} · {prompt.theme}", style="dim")
        common.say(prompt.text + ("" if prompt.required else "  (optional)"), "bold", wrap=True)
        if prompt.help:
            common.say(prompt.help, style="italic", wrap=True)
        if prompt.kind == "followups":
            self.ask_promises()
            return
        while True:
            value = self._one(prompt)
            if isinstance(value, str) and prompt.kind == "text":
                checked = guard.check(value, self.j.guard.caseload(), self.seen)
                if checked is None:
                    continue
                value = checked
            try:
                self.save(prompt, value)
                break
            except InvalidAnswers as error:
                common.say(str(error), style="yellow")
        self._offer_promise(prompt, value)

    def _one(self, prompt: Prompt) -> AnswerValue:
        current = self.values.get(prompt.id)
        if prompt.kind == "rating":
            return ask.rating(prompt, current if isinstance(current, int) else None)
        if prompt.kind == "choice":
            return ask.choice(prompt, current if isinstance(current, str) else None)
        history = self.j.reading.earlier_answers(prompt.id)
        try:
            return ask.text(prompt, current if isinstance(current, str) else None, history)
        except ask.Stopped as stop:
            partial_text = clean(stop.partial).text.strip("\n").rstrip()
            if partial_text.strip():
                self.save(prompt, partial_text)
            raise

    def save(self, prompt: Prompt, value: AnswerValue) -> None:
        j = self.j
        if value is None:
            if self.values.pop(prompt.id, None) is not None:
                j.recording.clear_answer(self.rid, prompt.id)
            return
        words = {"draft": self.rid, "prompt": prompt.id, "answer": value}
        j.recording.keeping_words(
            partial(j.recording.save_answer, self.rid, self.prompt_set, prompt, value), words
        )
        self.values[prompt.id] = value

    def _offer_promise(self, prompt: Prompt, value: AnswerValue) -> None:
        offer = offered_promise(prompt, value, self.today)
        if offer is None or any(made.text == offer.text for _, made in self.promises):
            return
        if ask.yes(f"Add “{offer.text}” as a promise due today?", default=True):
            self.promises.append((self.j.supervision.add_followup(self.rid, offer), offer))
            common.say(f"  Added, due today ({dates.shown(self.today, self.today)}).", "dim")

    # --- promises ------------------------------------------------------------------------

    def ask_promises(self) -> None:
        """New promises until an empty one; `back` reopens the last one made, then the one
        before it, then the previous question."""
        for _, made in self.promises:
            due = f" (due {dates.shown(made.due, self.today)})" if made.due else ""
            common.say(f"  made: {made.text}{due}", style="dim")
        history = self.j.reading.earlier_promises()
        editing = len(self.promises)
        while True:
            current = self.promises[editing][1] if editing < len(self.promises) else None
            try:
                typed = ask.promise(self.today, current, history)
            except ask.Back:
                if editing == 0:
                    raise
                editing -= 1
                continue
            if current is None and typed is None:
                return
            self._keep_promise(editing, typed)
            editing = len(self.promises)

    def _keep_promise(self, index: int, typed: FollowupIn | None) -> None:
        if typed is not None:
            text = guard.check(typed.text, self.j.guard.caseload(), self.seen)
            if text is None:
                return
            typed = typed.model_copy(update={"text": text})
        if index < len(self.promises):
            fid = self.promises[index][0]
            self.j.supervision.revise_followup(fid, typed)
            if typed is None:
                del self.promises[index]
            else:
                self.promises[index] = (fid, typed)
        elif typed is not None:
            self.promises.append((self.j.supervision.add_followup(self.rid, typed), typed))

    # --- the last look -------------------------------------------------------------------

    def review(self) -> None:
        """List what was answered; a question's number changes it; Enter saves."""
        while True:
            self.show_summary()
            typed = ask.line("Enter saves it; a question's number changes that answer: ")
            if not typed:
                return
            prompts = self.prompt_set.prompts
            if typed.isdigit() and 1 <= int(typed) <= len(prompts):
                with contextlib.suppress(ask.Back):  # back from here is back to this list
                    self.ask(int(typed) - 1)
            elif typed.lower() == ask.BACK:
                self.ask_from(len(prompts) - 1)
            else:
                common.say(f"Type a number from 1 to {len(prompts)}, or Enter.", style="yellow")

    def show_summary(self) -> None:
        width = max(60, common.err().width - 1)
        asked = min(36, max(len(p.text) for p in self.prompt_set.prompts))
        common.say("")
        common.say("Your answers:", style="bold")
        for number, prompt in enumerate(self.prompt_set.prompts, start=1):
            question = _cut(prompt.text, asked).ljust(asked)
            common.say(_cut(f"{number:>3}  {question}  {self._shown(prompt)}", width))
        if self.promises and all(p.kind != "followups" for p in self.prompt_set.prompts):
            made = "promises".ljust(asked)  # offered by an answer, in a set without the question
            common.say(_cut(f"     {made}  {self._promises_shown()}", width))

    def _promises_shown(self) -> str:
        made = [
            p.text + (f" ({dates.shown(p.due, self.today)})" if p.due else "")
            for _, p in self.promises
        ]
        return "; ".join(made) or "—"

    def _shown(self, prompt: Prompt) -> str:
        if prompt.kind == "followups":
            return self._promises_shown()
        value = self.values.get(prompt.id)
        if value is None:
            return "—"
        if isinstance(value, int):
            return f"{value} {prompt.label(value)}"
        return " ".join(value.split())


def _cut(text: str, width: int) -> str:
    """`text` in at most `width` characters, cut with an ellipsis."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def sit(sitting: Sitting, start: int) -> int:
    """Ask from question `start` to the end, then the summary; saved, or kept as a draft on
    Ctrl-C. Returns the reflection's id."""
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


def _show_saved(reflection: Reflection) -> None:
    ratings = [a for a in reflection.answers if a.rating is not None]
    common.say("")
    common.say(
        f"Saved reflection #{reflection.id}: {plural(len(reflection.answers), 'answer')}, "
        f"{plural(len(ratings), 'rating')}, {plural(len(reflection.followups), 'promise')}.",
        style="green",
    )
    common.say(f"Read it with `rbp show {reflection.id}`; `rbp followups` lists what you promised.")
