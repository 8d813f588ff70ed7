"""Writing reflections: whole at once, or answer by answer as a draft; editing, importing and
deleting them. Values are checked against the prompt set before anything is written, and
each use case is one transaction, so a refusal leaves the journal exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rbp_journal.errors import InvalidAnswers, ReflectionNotFound, StorageFailed
from rbp_journal.journal.answers import (
    AnswerValue,
    answers_for,
    as_asked,
    make_answer,
    missing_required,
    scrub,
)
from rbp_journal.models.prompts import Prompt, PromptSet
from rbp_journal.models.reflection import (
    AnswersPayload,
    Followup,
    FollowupIn,
    FollowupRecord,
    Reflection,
    ReflectionFilter,
    ReflectionHeader,
    ReflectionRecord,
    ReflectionSummary,
)
from rbp_journal.store import files

if TYPE_CHECKING:
    from rbp_journal.journal import Journal

T = TypeVar("T")


@dataclass
class ImportSummary:
    """What an import did, counted as it was done: reflections, and promises made without a
    reflection (`promises_*`)."""

    added: int = 0
    updated: int = 0
    skipped: int = 0
    promises_added: int = 0
    promises_updated: int = 0
    promises_skipped: int = 0
    notes: list[str] = field(default_factory=list)  # control characters left out
    new_codes: list[str] = field(default_factory=list)  # client codes not used before


@dataclass(frozen=True)
class KeptText:
    """Words kept in `unsaved/` because they could not be stored when they were written."""

    path: Path
    words: dict[str, Any]


@dataclass(frozen=True)
class ClientContext:
    """What to bring back when a person is met again: open promises, last lesson."""

    open_followups: list[Followup]
    last_differently: str | None


def _last_change(promise: Followup | FollowupRecord) -> tuple[dt.datetime, bool]:
    """When a promise last changed; of two changed in the same second, the closed one."""
    return promise.closed or promise.created, promise.closed is not None


def new_uid() -> str:
    return str(uuid.uuid4())


class Recording:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def record(self, payload: AnswersPayload, today: dt.date | None = None) -> int:
        """Store a whole reflection at once, or nothing if any part of it is wrong."""
        payload, _ = scrub(payload)
        prompt_set = self.j.library.get(payload.set)
        header = ReflectionHeader(
            set_id=prompt_set.id,
            set_version=prompt_set.version,
            session_date=payload.date or today or dt.date.today(),
            client=payload.client,
            setting=payload.setting,
            tags=payload.tags,
        )
        answers = answers_for(prompt_set, payload.answers)
        store = self.j.store
        with store.write():
            rid = store.reflections.insert(header, new_uid(), "done")
            for answer in answers:
                store.reflections.put_answer(rid, answer)
            for followup in payload.followups:
                store.followups.add(rid, followup)
        return rid

    def start_draft(self, header: ReflectionHeader) -> int:
        with self.j.store.write():
            return self.j.store.reflections.insert(header, new_uid(), "draft")

    def save_answer(
        self, rid: int, prompt_set: PromptSet, prompt: Prompt, value: AnswerValue
    ) -> None:
        """Save (commit) one answer of a draft, so an interruption loses nothing before it."""
        answer = make_answer(prompt_set, prompt, value)
        if answer is not None:
            with self.j.store.write():
                self.j.store.reflections.put_answer(rid, answer)

    def clear_answer(self, rid: int, prompt_id: str) -> None:
        """Take back the answer to one prompt of a draft (an optional one left empty)."""
        with self.j.store.write():
            self.j.store.reflections.delete_answer(rid, prompt_id)

    def discard_if_empty(self, rid: int) -> bool:
        """Delete a draft that holds nothing yet (stopped at its first question)."""
        draft = self.j.reading.reflection(rid)
        if draft.status != "draft" or draft.answers or draft.followups:
            return False
        self.delete(rid)
        return True

    def finish(self, rid: int) -> Reflection:
        reflection = self.j.reading.reflection(rid)
        prompt_set = self.j.library.get(reflection.set_id)
        missing = missing_required(prompt_set, reflection)
        if missing:
            raise InvalidAnswers(f"The answer to {missing!r} is required.")
        with self.j.store.write():
            self.j.store.reflections.set_status(rid, "done")
        return self.j.reading.reflection(rid)

    def drafts(self) -> list[ReflectionSummary]:
        """Unfinished drafts, newest session first."""
        return self.j.store.reflections.summaries(ReflectionFilter(drafts=True))

    def client_context(self, client: str) -> ClientContext:
        store = self.j.store
        last = store.reflections.latest_reflection_id(client)
        answer = self.j.reading.reflection(last).answer("differently") if last else None
        return ClientContext(
            open_followups=store.followups.find(client=client),
            last_differently=answer.text if answer else None,
        )

    def update(self, rid: int, payload: AnswersPayload) -> Reflection:
        """Write back an edited reflection: header, tags, answers and promises, in one go."""
        payload, _ = scrub(payload)
        current = self.j.reading.reflection(rid)
        if payload.set != current.set_id:
            raise InvalidAnswers(
                f"The set of a reflection cannot change (it is {current.set_id!r})."
            )
        prompt_set = self.j.library.get(current.set_id)
        header = current.model_copy(
            update={
                "session_date": payload.date or current.session_date,
                "client": payload.client,
                "setting": payload.setting,
                "tags": payload.tags,
            }
        )
        answers = [as_asked(answer, current) for answer in answers_for(prompt_set, payload.answers)]
        store = self.j.store
        with store.write():
            store.reflections.update_header(rid, header)
            for answer in answers:
                store.reflections.put_answer(rid, answer)
            store.reflections.delete_answers(rid, keep=[answer.prompt_id for answer in answers])
            self._sync_followups(rid, current.followups, payload.followups)
        return self.j.reading.reflection(rid)

    def _sync_followups(self, rid: int, current: list[Followup], edited: list[FollowupIn]) -> None:
        """Match promises by text: new ones are added, changed dates and states saved, and
        one no longer listed is dropped rather than deleted."""
        followups = self.j.store.followups
        by_text = {followup.text: followup for followup in current}
        for promise in edited:
            old = by_text.pop(promise.text, None)
            if old is None:
                followups.add(rid, promise)
                continue
            if old.due != promise.due:
                followups.set_due(old.id, promise.due)
            if old.status != promise.status:
                followups.close(old.id, promise.status, None)
        for gone in by_text.values():
            if gone.status == "open":
                followups.close(gone.id, "dropped", None)

    def import_records(
        self,
        records: Iterable[ReflectionRecord],
        promises: Iterable[FollowupRecord] = (),
        earlier_uids: Mapping[str, str] | None = None,
        file_wins: bool = False,
    ) -> ImportSummary:
        """Add new reflections and update changed ones by uid, and the same for promises made
        without a reflection (known by when they were made and their words), all in one
        transaction. A reflection stored under one of `earlier_uids` takes its new uid first;
        with `file_wins` (a journal kept elsewhere, like jrnl's) any change in the file is an
        update, where otherwise only a copy changed later than ours is."""
        summary = ImportSummary()
        reflections = self.j.store.reflections
        known = set(reflections.distinct("clients"))
        cleaned = []
        for number, record in enumerate(records, start=1):
            record, notes = scrub(record)
            summary.notes += [f"reflection {number}, {note}" for note in notes]
            cleaned.append(record)
            if record.client and record.client not in known:
                known.add(record.client)
                summary.new_codes.append(record.client)
        with self.j.store.write():
            for record in cleaned:
                existing = reflections.id_for_uid(record.uid)
                earlier = (earlier_uids or {}).get(record.uid)
                if existing is None and earlier is not None:
                    existing = reflections.id_for_uid(earlier)
                    if existing is not None:
                        reflections.set_uid(existing, record.uid)
                if existing is None:
                    self.j.store.records.put(record)
                    summary.added += 1
                elif self._changed(existing, record, file_wins):
                    self.j.store.records.put(record)
                    summary.updated += 1
                else:
                    summary.skipped += 1
            for promise in promises:
                self._import_promise(promise, summary)
        return summary

    def _import_promise(self, promise: FollowupRecord, summary: ImportSummary) -> None:
        followups = self.j.store.followups
        mine = followups.standalone_made(promise.text, promise.created)
        if mine is None:
            followups.put(None, promise)
            summary.promises_added += 1
        elif FollowupRecord.of(mine) != promise and _last_change(promise) > _last_change(mine):
            followups.put(None, promise, fid=mine.id)
            summary.promises_updated += 1
        else:
            summary.promises_skipped += 1

    def _changed(self, rid: int, record: ReflectionRecord, file_wins: bool) -> bool:
        """Whether an imported copy should replace ours: it differs, and was changed after
        ours (an older copy never wins) or comes from a journal kept elsewhere."""
        mine = ReflectionRecord.of(self.j.reading.reflection(rid))
        times = {"id", "created", "updated"} if file_wins else {"id"}
        differs = mine.model_dump(exclude=times) != record.model_dump(exclude=times)
        return differs and (file_wins or record.updated > mine.updated)

    def delete(self, rid: int) -> None:
        with self.j.store.write():
            if not self.j.store.reflections.delete(rid):
                raise ReflectionNotFound(rid)

    def keep(self, words: dict[str, Any]) -> Path:
        """Keep words that cannot be stored now in the journal's folder (owner-only, encrypted
        when the journal is: the one place for them); returns the file."""
        return files.keep_words(self.j.store.path, self.j.store.key, words)

    def kept_texts(self) -> list[KeptText]:
        """Every kept file of words, newest first, with what it holds."""
        store = self.j.store
        return [
            KeptText(path, files.read_kept(path, store.key))
            for path in reversed(files.kept_words(store.path))
        ]

    def forget(self, kept: KeptText) -> None:
        """Remove a kept file once its words are stored (overwritten first)."""
        files.forget_kept(kept.path)

    def keeping_words(self, save: Callable[[], T], words: dict[str, Any]) -> T:
        """Run a save; if the disk refuses it, keep the words and say where."""
        try:
            return save()
        except StorageFailed as error:
            kept = self.keep(words)
            raise StorageFailed(
                error.path, f"{error.reason}. Your words are kept in {kept}"
            ) from None
