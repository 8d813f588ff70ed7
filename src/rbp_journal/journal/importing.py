"""Importing reflections and promises: records validated as they are read and stored a batch
at a time inside one transaction, so memory stays flat at any size and a bad record anywhere
still stores nothing. Split from recording.py, which writes what a person types.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

from rbp_journal import json_input
from rbp_journal.models.reflection import Followup, FollowupRecord, ReflectionRecord

if TYPE_CHECKING:
    from rbp_journal.journal import Journal

T = TypeVar("T")
IMPORT_BATCH = 500  # reflections validated and written together within an import


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


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off for a bulk import: validating makes no cycles (reference
    counting frees it all), and collections that scan every live object took a quarter of
    the time of importing 10,000 reflections."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _last_change(promise: Followup | FollowupRecord) -> tuple[dt.datetime, bool]:
    """When a promise last changed; of two changed in the same second, the closed one."""
    return promise.closed or promise.created, promise.closed is not None


class Importing:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def import_records(
        self,
        records: Iterable[ReflectionRecord],
        promises: Iterable[FollowupRecord] = (),
        earlier_uids: Mapping[str, str] | None = None,
        file_wins: bool = False,
        suspects: Container[int] | None = None,
    ) -> ImportSummary:
        """Add new reflections and update changed ones by uid, and the same for promises made
        without a reflection (known by when they were made and their words), all in one
        transaction. A reflection stored under one of `earlier_uids` takes its new uid first;
        with `file_wins` (a journal kept elsewhere, like jrnl's) any change in the file is an
        update, where otherwise only a copy changed later than ours is. `suspects` are the
        numbers (from 1) of the records whose JSON text may hold a control character, when the
        reader knows them; the others are left as they are (without it, each is looked at).

        Records are taken as they are read and validated, a batch at a time, so memory stays
        flat at any size and a bad record anywhere still stores nothing."""
        summary = ImportSummary()
        store = self.j.store
        codes = set(store.reflections.distinct("clients"))
        with _collector_paused(), store.write():
            with store.imports.bulk():
                scrubbed = self._scrubbed(records, summary, codes, suspects)
                for batch in _batches(scrubbed, IMPORT_BATCH):
                    self._import_batch(batch, summary, earlier_uids or {}, file_wins)
            for promise in promises:  # read after the reflections; written with triggers back
                self._import_promise(promise, summary)
        return summary

    def _scrubbed(
        self,
        records: Iterable[ReflectionRecord],
        summary: ImportSummary,
        codes: set[str],
        suspects: Container[int] | None,
    ) -> Iterator[ReflectionRecord]:
        """Each record with control characters left out (noted), and its client code noted
        when it is new here. Scrubbing walks every text of a record and was most of an
        import: only a record whose JSON shows a control character is scrubbed."""
        for number, record in enumerate(records, start=1):
            if (
                number in suspects
                if suspects is not None
                else json_input.may_hold_controls(record.model_dump_json())
            ):
                from rbp_journal.journal.answers import scrub  # rarely needed: see above

                record, notes = scrub(record)
                summary.notes += [f"reflection {number}, {note}" for note in notes]
            if record.client and record.client not in codes:
                codes.add(record.client)
                summary.new_codes.append(record.client)
            yield record

    def _import_batch(
        self,
        batch: Sequence[ReflectionRecord],
        summary: ImportSummary,
        earlier_uids: Mapping[str, str],
        file_wins: bool,
    ) -> None:
        imports = self.j.store.imports
        known = imports.known([record.uid for record in batch])
        new: dict[str, ReflectionRecord] = {}
        for record in batch:
            if record.uid in new:  # the same uid twice in one file: the first is written first
                imports.add(list(new.values()))
                known |= imports.known(list(new))
                new = {}
            here = known.get(record.uid)
            earlier = earlier_uids.get(record.uid)
            if here is None and earlier is not None:
                here = imports.known([earlier]).get(earlier)
                if here is not None:
                    self.j.store.reflections.set_uid(here[0], record.uid)
            if here is None:
                new[record.uid] = record
                summary.added += 1
            elif self._changed(here, record, file_wins):
                imports.replace(here[0], record)
                summary.updated += 1
            else:
                summary.skipped += 1
        imports.add(list(new.values()))

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

    def _changed(self, here: tuple[int, str], record: ReflectionRecord, file_wins: bool) -> bool:
        """Whether an imported copy should replace ours: it differs, and was changed after
        ours (an older copy never wins) or comes from a journal kept elsewhere."""
        rid, updated = here
        if not file_wins and record.updated <= dt.datetime.fromisoformat(updated):
            return False  # no need to read ours: importing an export twice reads nothing
        mine = ReflectionRecord.of(self.j.reading.reflection(rid))
        times = {"id", "created", "updated"} if file_wins else {"id"}
        differs = mine.model_dump(exclude=times) != record.model_dump(exclude=times)
        return differs and (file_wins or record.updated > mine.updated)
