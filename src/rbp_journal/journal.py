"""The use cases: record a reflection (at once or answer by answer as a draft), read, list,
delete, follow-ups, and the journal's health.

Everything here takes plain values and returns models; nothing prints or asks. Values are
checked against the prompt set before anything is written, and each use case is one
transaction, so a refusal leaves the journal exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pydantic import ValidationError

if TYPE_CHECKING:
    from rbp_journal.cpd import CpdInput, CpdRecord, Depth, Peer, Prefill, RegistrationYear
    from rbp_journal.cpd import Status as CpdStatus
    from rbp_journal.privacy import Caseload, Finding

from rbp_journal import encryption, paths, prompt_library
from rbp_journal import review as reviewing
from rbp_journal import store as storage
from rbp_journal.errors import (
    CpdNotFound,
    FollowupNotFound,
    InvalidAnswers,
    RbpError,
    ReflectionNotFound,
    SearchSyntax,
    UsageError,
)
from rbp_journal.models import (
    SETTINGS,
    Answer,
    AnswersPayload,
    ClientSeen,
    Excerpt,
    Followup,
    FollowupIn,
    FollowupRecord,
    FollowupStatus,
    Health,
    Prompt,
    PromptSet,
    Reflection,
    ReflectionFilter,
    ReflectionHeader,
    ReflectionRecord,
    ReflectionSummary,
    ScanHit,
    SearchHit,
    check_client_code,
)
from rbp_journal.store import PassphrasePrompt, Store, open_store

AnswerValue = str | int | None


@dataclass(frozen=True)
class Options:
    """What the person gave on the command line for a new reflection."""

    set_id: str | None = None
    client: str | None = None
    setting: str | None = None
    session_date: dt.date | None = None
    tags: list[str] = field(default_factory=list)


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class ClientContext:
    """What to bring back when a person is met again: open promises, last lesson."""

    open_followups: list[Followup]
    last_differently: str | None


class Journal:
    def __init__(
        self,
        store: Store,
        library: prompt_library.Library | None = None,
        passphrase: PassphrasePrompt | None = None,
    ) -> None:
        self.store = store
        self._library = library
        self._passphrase = passphrase
        self._caseload: Caseload | None = None  # issue 18: read on first check, see caseload()

    @property
    def library(self) -> prompt_library.Library:
        if self._library is None:
            self._library = prompt_library.load()
        return self._library

    def close(self) -> None:
        self.store.close()

    # --- recording ----------------------------------------------------------------------

    def record(self, payload: AnswersPayload, today: dt.date | None = None) -> int:
        """Store a whole reflection at once, or nothing if any part of it is wrong."""
        prompt_set = self.library.get(payload.set)
        header = ReflectionHeader(
            set_id=prompt_set.id,
            set_version=prompt_set.version,
            session_date=payload.date or today or dt.date.today(),
            client=payload.client,
            setting=payload.setting,
            tags=payload.tags,
        )
        answers = answers_for(prompt_set, payload.answers)
        with self.store.write():
            rid = self.store.insert_reflection(header, new_uid(), "done")
            for answer in answers:
                self.store.put_answer(rid, answer)
            for followup in payload.followups:
                self.store.add_followup(rid, followup)
        return rid

    def start_draft(self, header: ReflectionHeader) -> int:
        with self.store.write():
            return self.store.insert_reflection(header, new_uid(), "draft")

    def save_answer(
        self, rid: int, prompt_set: PromptSet, prompt: Prompt, value: AnswerValue
    ) -> None:
        """Save (commit) one answer of a draft, so an interruption loses nothing before it."""
        answer = make_answer(prompt_set, prompt, value)
        if answer is not None:
            with self.store.write():
                self.store.put_answer(rid, answer)

    def add_followup(self, rid: int | None, followup: FollowupIn) -> int:
        with self.store.write():
            if rid is not None and self.store.reflection(rid) is None:
                raise ReflectionNotFound(rid)
            return self.store.add_followup(rid, followup)

    def finish(self, rid: int) -> Reflection:
        reflection = self.reflection(rid)
        prompt_set = self.library.get(reflection.set_id)
        missing = missing_required(prompt_set, reflection)
        if missing:
            raise InvalidAnswers(f"The answer to {missing!r} is required.")
        with self.store.write():
            self.store.set_status(rid, "done")
        return self.reflection(rid)

    def client_context(self, client: str) -> ClientContext:
        last = self.store.latest_reflection_id(client)
        answer = self.reflection(last).answer("differently") if last is not None else None
        return ClientContext(
            open_followups=self.store.followups(client=client),
            last_differently=answer.text if answer else None,
        )

    def drafts(self) -> list[ReflectionSummary]:
        """Unfinished drafts, newest session first."""
        return self.store.reflections(ReflectionFilter(drafts=True))

    # --- reading ------------------------------------------------------------------------

    def reflection(self, rid: int) -> Reflection:
        reflection = self.store.reflection(rid)
        if reflection is None:
            raise ReflectionNotFound(rid)
        return reflection

    def reflections(self, query: ReflectionFilter) -> list[ReflectionSummary]:
        return self.store.reflections(query)

    def update(self, rid: int, payload: AnswersPayload) -> Reflection:
        """Write back an edited reflection: header, tags, answers and promises, in one go."""
        current = self.reflection(rid)
        if payload.set != current.set_id:
            raise InvalidAnswers(
                f"The set of a reflection cannot change (it is {current.set_id!r})."
            )
        prompt_set = self.library.get(current.set_id)
        header = current.model_copy(
            update={
                "session_date": payload.date or current.session_date,
                "client": payload.client,
                "setting": payload.setting,
                "tags": payload.tags,
            }
        )
        answers = [
            _as_asked(answer, current) for answer in answers_for(prompt_set, payload.answers)
        ]
        with self.store.write():
            self.store.update_header(rid, header)
            for answer in answers:
                self.store.put_answer(rid, answer)
            self.store.delete_answers(rid, keep=[answer.prompt_id for answer in answers])
            self._sync_followups(rid, current.followups, payload.followups)
        return self.reflection(rid)

    def _sync_followups(self, rid: int, current: list[Followup], edited: list[FollowupIn]) -> None:
        """Match promises by text: new ones are added, changed dates and states saved, and
        one no longer listed is dropped rather than deleted."""
        by_text = {followup.text: followup for followup in current}
        for promise in edited:
            old = by_text.pop(promise.text, None)
            if old is None:
                self.store.add_followup(rid, promise)
                continue
            if old.due != promise.due:
                self.store.set_followup_due(old.id, promise.due)
            if old.status != promise.status:
                self.store.close_followup(old.id, promise.status, None)
        for gone in by_text.values():
            if gone.status == "open":
                self.store.close_followup(gone.id, "dropped", None)

    def search(self, text: str, query: ReflectionFilter) -> list[SearchHit]:
        """Best matches first; a query FTS5 cannot parse is tried again as plain words."""
        if not text.strip():
            raise UsageError("Give a word or two to search for.")
        try:
            return self.store.search(text, query)
        except SearchSyntax:
            words = plain_words(text)
            return self.store.search(words, query) if words else []

    def export(
        self, query: ReflectionFilter, redact: bool = False, allow: Iterable[str] = ()
    ) -> Iterator[ReflectionRecord]:
        caseload = self.caseload() if redact else None
        for record in self.store.iter_records(query):
            yield redacted(record, allow, caseload) if redact else record

    def scan(self, query: ReflectionFilter, allow: Iterable[str] = ()) -> list[ScanHit]:
        """Identifying details already stored, by reflection and field (answers, promises,
        tags), each reflection's fields checked together."""
        from rbp_journal import privacy

        allowed, caseload = list(allow), self.caseload()
        hits = []
        for reflection in self.store.iter_reflections(query):
            fields = _stored_fields(reflection)
            found = privacy.find_fields(
                {key: text for key, (_, text) in fields.items()}, allowed, caseload
            )
            hits += [
                ScanHit(
                    reflection_id=reflection.id,
                    session_date=reflection.session_date,
                    client=reflection.client,
                    where=fields[key][0],
                    kind=finding.kind,
                    text=finding.text,
                    mask=finding.mask,
                )
                for key, findings in found.items()
                for finding in findings
            ]
        return hits

    def mask_stored(self, query: ReflectionFilter, allow: Iterable[str] = ()) -> int:
        """Mask every identifying detail in the matching reflections (answers, promises and
        tags), in one transaction, after a backup copy of the journal; returns how many
        fields changed."""
        from rbp_journal import privacy

        allowed, caseload = list(allow), self.caseload()
        self.store.backup(self.store.path.with_name(f"{self.store.path.name}.before-scan.bak"))
        changed = 0
        with self.store.write():
            self.store.conn.execute("PRAGMA secure_delete = ON")
            for reflection in list(self.store.iter_reflections(query)):
                fields = _stored_fields(reflection)
                texts = {key: text for key, (_, text) in fields.items()}
                found = privacy.find_fields(texts, allowed, caseload)
                masked = {key: privacy.mask(texts[key], found[key]) for key in texts}
                for answer in reflection.answers:
                    if answer.text and masked[("answer", answer.prompt_id)] != answer.text:
                        text = masked[("answer", answer.prompt_id)]
                        self.store.set_answer_text(reflection.id, answer.prompt_id, text)
                        changed += 1
                for followup in reflection.followups:
                    if masked[("promise", str(followup.id))] != followup.text:
                        self.store.set_followup_text(
                            followup.id, masked[("promise", str(followup.id))]
                        )
                        changed += 1
                tags = [masked[("tag", tag)] for tag in reflection.tags]
                if tags != reflection.tags:
                    self.store.set_tags(reflection.id, tags)
                    changed += sum(a != b for a, b in zip(tags, reflection.tags, strict=True))
            self.store.forget_unused_tags()
        return changed

    # --- the practitioner's caseload (issue 18) ------------------------------------------
    # Names held keyed in the journal (see privacy/caseload.py); the guard catches them in
    # every form. Plain values in, counts out: the names themselves are never returned.

    def caseload(self) -> Caseload:
        if self._caseload is None:
            self._caseload = self.store.caseload()
        return self._caseload

    def add_names(self, lines: Iterable[str]) -> int:
        """Hold each word of each line (a name, surname or nickname); returns how many were
        new."""
        digests = list(self.caseload().digests_for(lines))
        with self.store.write():
            added = self.store.add_caseload(digests)
        self._caseload = None
        return added

    def remove_names(self, lines: Iterable[str]) -> int:
        """Forget each word of each line; returns how many were held."""
        digests = list(self.caseload().digests_for(lines))
        with self.store.write():
            removed = self.store.remove_caseload(digests)
        self._caseload = None
        return removed

    def names_held(self) -> int:
        return self.store.caseload_size()

    def clients(self) -> list[ClientSeen]:
        return self.store.clients()

    def import_records(self, records: Iterable[ReflectionRecord]) -> ImportSummary:
        """Add new reflections and update changed ones by uid, all in one transaction."""
        summary = ImportSummary()
        with self.store.write():
            for record in records:
                existing = self.store.id_for_uid(record.uid)
                if existing is None:
                    self.store.put_reflection(record)
                    summary.added += 1
                elif self._newer(existing, record):
                    self.store.put_reflection(record)
                    summary.updated += 1
                else:
                    summary.skipped += 1
        return summary

    def _newer(self, rid: int, record: ReflectionRecord) -> bool:
        """Whether an imported copy was changed after ours (an older copy never wins)."""
        current = self.store.reflection(rid)
        assert current is not None
        mine = ReflectionRecord.of(current)
        differs = mine.model_dump(exclude={"id"}) != record.model_dump(exclude={"id"})
        return differs and record.updated > mine.updated

    def delete(self, rid: int) -> None:
        with self.store.write():
            if not self.store.delete_reflection(rid):
                raise ReflectionNotFound(rid)

    # --- follow-ups ---------------------------------------------------------------------

    def followups(self, client: str | None = None, include_closed: bool = False) -> list[Followup]:
        return self.store.followups(client=client, include_closed=include_closed)

    def close_followup(self, fid: int, status: FollowupStatus, note: str | None = None) -> Followup:
        with self.store.write():
            if not self.store.close_followup(fid, status, note):
                raise FollowupNotFound(fid)
        followup = self.store.followup(fid)
        assert followup is not None
        return followup

    # --- supervision ---------------------------------------------------------------------

    def review(
        self, period: reviewing.Period, client: str | None = None, today: dt.date | None = None
    ) -> reviewing.Review:
        from rbp_journal import config

        figures = self.store.aggregates(client)
        before = period.before()
        allow = config.allow_list()  # read once: it is a file read, and a review masks many texts
        caseload = self.caseload()
        weekly = reviewing.series(
            figures.weekly_means(period.end, reviewing.SPARK_WEEKS), reviewing.SPARK_WEEKS
        )
        facts = reviewing.Facts(
            counts=figures.counts(period.start, period.end),
            now=figures.theme_means(period.start, period.end),
            before=figures.theme_means(before.start, before.end),
            weekly={theme: means for theme, (means, _) in weekly.items()},
            stand_out=figures.stand_out(period.start, period.end),
            followups=_masked_head(self.store.followups(client=client), allow, caseload),
            differently=[
                _masked(e, allow, caseload)
                for e in figures.excerpts(period.start, period.end, reviewing.DIFFERENTLY_PROMPTS)
            ],
            today=today or dt.date.today(),
            depths=list(self.depths(period.start, period.end, client).values()),
        )
        return reviewing.build(period, client, facts)

    def trends(
        self, weeks: int, theme: str | None = None, today: dt.date | None = None
    ) -> reviewing.Trends:
        end = today or dt.date.today()
        figures = self.store.aggregates()
        rows = figures.weekly_means(end, weeks, theme)
        start = end - dt.timedelta(days=7 * weeks - 1)
        polarities = {t: f.polarity for t, f in figures.theme_means(start, end).items()}
        return reviewing.trends(rows, end, weeks, polarities)

    # --- health -------------------------------------------------------------------------

    def health(self) -> Health:
        path = self.store.path
        integrity = self.store.integrity_check()
        return Health(
            path=str(path),
            mode=oct(path.stat().st_mode & 0o777),
            size=path.stat().st_size,
            schema_steps=self.store.schema_version(),
            integrity=integrity,
            counts=self.store.counts() if integrity == ["ok"] else {},  # damage may stop counts
            backups=[str(backup) for backup in self.store.backups()],
            encryption=self.store.key.marker.cipher if self.store.key else None,
        )

    def backup(self, target: Path) -> None:
        if target.exists():
            raise RbpError(f"{target} already exists; choose a new name or move it first.")
        self.store.backup(target)

    def restore(self, backup: Path) -> Path:
        """Put a backup in place of the journal, keeping the current file aside first;
        returns where the current file went."""
        if not backup.is_file():
            raise RbpError(f"{backup} is not a file; `rbp doctor` lists the backups.")
        # refuses anything that is not a healthy rbp journal (or a wrong passphrase); an
        # encrypted backup is tried with the journal's own passphrase first
        own = self.store.key.secret if self.store.key else None
        try:
            checked = open_store(backup, self._passphrase, secret=own)
        except encryption.WrongPassphrase:
            checked = open_store(backup, self._passphrase)
        try:
            problems = [line for line in checked.integrity_check() if line != "ok"]
        finally:
            checked.close()
        if problems:
            raise RbpError(f"{backup} fails its integrity check ({problems[0]}); choose another.")
        path = self.store.path
        self.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.store.close()
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = path.with_name(f"{path.name}.replaced-{stamp}")
        path.rename(aside)
        for side in ("-wal", "-shm"):
            path.with_name(path.name + side).unlink(missing_ok=True)
        shutil.copyfile(backup, path)
        path.chmod(0o600)
        marker = encryption.read_marker(backup) if checked.key else None
        if marker is not None:
            encryption.write_marker(path, marker)
        else:
            encryption.marker_path(path).unlink(missing_ok=True)
        return aside

    def plain_texts_left(self) -> list[Path]:
        """Editor texts rbp wrote beside the journal that are still there (after a crash, or
        kept because they could not be read back): plain text, even when the journal is not."""
        return sorted(self.store.path.parent.glob("rbp-*.md"))

    # --- CPD ----------------------------------------------------------------------------

    def cpd_prefill(self, ids: Sequence[int]) -> Prefill:
        """What a CPD record built from these reflections can start from: their words, the
        latest date, and the standard parts and domains their themes evidence."""
        from rbp_journal import cpd

        sources = [self.reflection(rid) for rid in ids]
        said = [a for r in sources for a in r.answers if a.text and a.kind == "text"]
        described = [a.text or "" for a in said if a.prompt_id in cpd.DESCRIPTIVE_PROMPTS]
        learnt = [a.text or "" for a in said if a.prompt_id not in cpd.DESCRIPTIVE_PROMPTS]
        themes = {a.theme for r in sources for a in r.answers if a.text or a.rating}
        standards, domains = cpd.suggested_claims(themes, sources[0].setting if sources else None)
        return cpd.Prefill(
            title=" ".join(" ".join(text.split()) for text in described)[:300],
            date=max((r.session_date for r in sources), default=dt.date.today()),
            learnt="\n\n".join(learnt),
            standards=standards,
            domains=domains,
        )

    def cpd_add(self, record: CpdInput) -> int:
        sources = [self.reflection(rid) for rid in record.sources]
        with self.store.write():
            return self.store.insert_cpd(record, new_uid(), sources)

    def cpd_peer(self, cid: int, peer: Peer) -> CpdRecord:
        with self.store.write():
            if not self.store.set_cpd_peer(cid, peer):
                raise CpdNotFound(cid)
        return self.cpd_record(cid)

    def cpd_record(self, cid: int) -> CpdRecord:
        found = self.store.cpd_records(cid=cid)
        if not found:
            raise CpdNotFound(cid)
        return found[0]

    def cpd_records(self, year: RegistrationYear, redact: bool = False) -> list[CpdRecord]:
        records = self.store.cpd_records(year.start, year.end)
        if not redact:
            return records
        from rbp_journal import config, privacy

        allow, caseload = config.allow_list(), self.caseload()
        fields = ("title", "learnt", "impact_practice", "impact_people")
        masked = []
        for record in records:
            texts = {f: getattr(record, f) for f in fields}
            if record.peer:
                texts["outcome"] = record.peer.outcome
            found = privacy.find_fields(texts, allow, caseload)  # every mention, all fields
            update: dict[str, object] = {f: privacy.mask(texts[f], found[f]) for f in fields}
            if record.peer:
                outcome = privacy.mask(texts["outcome"], found["outcome"])
                update["peer"] = record.peer.model_copy(update={"outcome": outcome})
            masked.append(record.model_copy(update=update))
        return masked

    def cpd_status(self, year: RegistrationYear, today: dt.date) -> CpdStatus:
        from rbp_journal import cpd

        evidence = self.store.year_evidence(year.start, year.end)
        return cpd.status(year, today, self.cpd_records(year), evidence)

    def depths(self, start: dt.date, end: dt.date, client: str | None = None) -> dict[int, Depth]:
        """How far each finished reflection of the period went: past description or not."""
        from rbp_journal import cpd

        written = self.store.text_words(start, end, client)
        return {rid: cpd.depth(set_id, words) for rid, (set_id, words) in written.items()}

    def purge_count(self, before: dt.date) -> int:
        """How many finished reflections a purge before `before` would delete."""
        return self.store.count_before(before)

    def purge(self, before: dt.date, keep_cpd: bool, backup: bool) -> tuple[int, int, Path | None]:
        """Delete finished reflections from before `before` (secure_delete, then VACUUM so the
        words are gone from the file); a backup first unless told not to."""
        copy = None
        if backup:
            stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
            paths.make_private_dir(self.store.backup_folder)
            copy = self.store.backup_folder / f"{self.store.path.stem}-{stamp}-before-purge.db"
            self.store.backup(copy)
        with self.store.write():
            reflections, records = self.store.purge_before(before, keep_cpd)
        self.store.compact()
        return reflections, records, copy

    # --- encryption at rest -------------------------------------------------------------

    def encrypt(self, secret: str, remember: bool = False) -> list[Path]:
        """Encrypt the journal, and rbp's plain backups of it, in place; returns the backups."""
        path = self.store.path
        if self.store.key is not None:
            raise RbpError(f"{path} is already encrypted; `rbp passphrase` changes the passphrase.")
        marker = encryption.make_marker(secret, keyring=remember)
        plain_backups = [b for b in self.store.backups() if not encryption.marker_path(b).exists()]
        self._convert(None, secret, marker)
        for backup in plain_backups:
            _convert_file(backup, None, secret, marker, expected=None)
        if remember:
            encryption.keyring_set(path, secret)
        return plain_backups

    def decrypt(self) -> None:
        """Store the journal unencrypted again (its backups stay encrypted)."""
        if self.store.key is None:
            raise RbpError(f"{self.store.path} is not encrypted.")
        self._convert(self.store.key.secret, None, None)

    def change_passphrase(self, secret: str, remember: bool = False) -> list[Path]:
        """Re-encrypt the journal and its encrypted backups under a new passphrase."""
        key = self.store.key
        if key is None:
            raise RbpError(f"{self.store.path} is not encrypted; `rbp encrypt` does that.")
        marker = encryption.make_marker(secret, keyring=remember or key.marker.keyring)
        changed = []
        for backup in self.store.backups():
            if encryption.marker_path(backup).exists():
                copy = open_store(backup, secret=key.secret)
                storage.rekey(copy, secret)
                copy.close()
                encryption.write_marker(backup, marker)
                changed.append(backup)
        storage.rekey(self.store, secret)
        encryption.write_marker(self.store.path, marker)
        self.store.key = storage.Key(marker, secret)
        if remember:
            encryption.keyring_set(self.store.path, secret)
        return changed

    def _convert(self, old: str | None, new: str | None, marker: encryption.Marker | None) -> None:
        path = self.store.path
        expected = storage.table_counts(self.store)
        self.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.store.close()
        _convert_file(path, old, new, marker, expected)
        self.store = open_store(path, secret=new)


def open_journal(
    db: str | Path | None = None, passphrase: PassphrasePrompt | None = None
) -> Journal:
    return Journal(open_store(paths.journal_path(db), passphrase), passphrase=passphrase)


def _convert_file(
    path: Path,
    old: str | None,
    new: str | None,
    marker: encryption.Marker | None,
    expected: dict[str, int] | None,
) -> None:
    """Encrypt or decrypt one journal file: converted into a new file, checked (integrity and
    the same rows), then renamed over the old one, whose bytes are overwritten."""
    temp = path.with_name(path.name + ".converting")
    for leftover in (temp, encryption.marker_path(temp)):
        leftover.unlink(missing_ok=True)
    storage.convert(path, temp, old, new)
    if marker is not None:
        encryption.write_marker(temp, marker)
    check = open_store(temp, secret=new)
    try:
        problems = [line for line in check.integrity_check() if line != "ok"]
        counts = storage.table_counts(check)
    finally:
        check.close()
    if problems or (expected is not None and counts != expected):
        storage.shred(temp)
        encryption.marker_path(temp).unlink(missing_ok=True)
        raise RbpError(f"The converted copy of {path} did not check out; {path} is unchanged.")
    if marker is not None:
        os.replace(encryption.marker_path(temp), encryption.marker_path(path))
    storage.replace_shredding(temp, path)
    if marker is None:
        encryption.marker_path(path).unlink(missing_ok=True)


def new_uid() -> str:
    return str(uuid.uuid4())


def answers_for(prompt_set: PromptSet, given: Mapping[str, AnswerValue]) -> list[Answer]:
    """Check a whole answers mapping against its set; the first problem names its key."""
    for key in given:
        prompt = prompt_set.prompt(key)
        if prompt is None:
            raise InvalidAnswers(
                f"answers.{key}: the set {prompt_set.id!r} has no prompt with this id."
            )
        if prompt.kind == "followups":
            raise InvalidAnswers(
                f'answers.{key}: promises go in the top-level "followups" list, '
                'as {"text": ..., "due": "YYYY-MM-DD"}.'
            )
    answers = []
    for prompt in prompt_set.prompts:
        if prompt.kind == "followups":
            continue
        answer = make_answer(prompt_set, prompt, given.get(prompt.id))
        if answer is None and prompt.required:
            raise InvalidAnswers(f"answers.{prompt.id}: this answer is required.")
        if answer is not None:
            answers.append(answer)
    return answers


def make_answer(prompt_set: PromptSet, prompt: Prompt, value: AnswerValue) -> Answer | None:
    """Turn one given value into an Answer, None for a skipped one, or name what is wrong."""
    position = prompt_set.prompts.index(prompt) + 1
    base = {
        "position": position,
        "prompt_id": prompt.id,
        "theme": prompt.theme,
        "kind": prompt.kind,
        "question": prompt.text,
    }
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if prompt.kind == "rating":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise InvalidAnswers(
                f"answers.{prompt.id}: a rating is a whole number from 1 to 5, not {value!r}."
            )
        return Answer(**base, rating=value, label=prompt.label(value), polarity=prompt.polarity)
    if not isinstance(value, str):
        raise InvalidAnswers(f"answers.{prompt.id}: expected text, not {value!r}.")
    if prompt.kind == "choice" and prompt.choices and value not in prompt.choices:
        raise InvalidAnswers(
            f"answers.{prompt.id}: choose one of {', '.join(prompt.choices)}, not {value!r}."
        )
    return Answer(**base, text=value)


def missing_required(prompt_set: PromptSet, reflection: Reflection) -> str | None:
    answered = {answer.prompt_id for answer in reflection.answers}
    for prompt in prompt_set.prompts:
        if prompt.required and prompt.kind != "followups" and prompt.id not in answered:
            return prompt.id
    return None


def read_payload(raw: str, source: str) -> AnswersPayload:
    """Parse and check the JSON of `--answers`; the first problem is named by its key."""
    where = "stdin" if source == "-" else source
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise InvalidAnswers(
            f"The answers in {where} are not valid JSON (line {error.lineno}, column {error.colno})."
        ) from None
    try:
        return AnswersPayload.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "the top level"
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "is not a known key"
        raise InvalidAnswers(f"The answers in {where}: {key}: {message}.") from None


def overlay(payload: AnswersPayload, given: Options) -> AnswersPayload:
    """Command-line options win over the file's own values where both are given."""
    changes = {key: value for key, value in header_fields(given).items() if value}
    return payload.model_copy(update=changes)


def header_fields(given: Options) -> dict[str, object]:
    return {
        "set": given.set_id,
        "client": check_client(given.client),
        "setting": check_setting(given.setting),
        "date": given.session_date,
        "tags": given.tags,
    }


def header_for(
    prompt_set: PromptSet, given: Options, today: dt.date | None = None
) -> ReflectionHeader:
    return ReflectionHeader(
        set_id=prompt_set.id,
        set_version=prompt_set.version,
        session_date=given.session_date or today or dt.date.today(),
        client=check_client(given.client),
        setting=check_setting(given.setting),
        tags=given.tags,
    )


def check_client(code: str | None) -> str | None:
    try:
        return check_client_code(code.strip() if code else None)
    except ValueError as error:
        raise UsageError(f"--client {code!r}: {error}.") from None


def check_setting(setting: str | None) -> str | None:
    if setting is not None and setting not in SETTINGS:
        raise UsageError(f"--setting {setting!r} is not one of {', '.join(SETTINGS)}.")
    return setting


def next_prompt(prompt_set: PromptSet, draft: Reflection) -> int:
    """Index of the prompt after the last one answered in a draft."""
    answered = [a.position for a in draft.answers]
    promised = [
        position
        for position, prompt in enumerate(prompt_set.prompts, start=1)
        if prompt.kind == "followups" and draft.followups
    ]
    return max([0, *answered, *promised])


def plain_words(text: str) -> str:
    """A typed query as quoted words, which FTS5 always parses (all must match)."""
    return " ".join(f'"{word}"' for word in re.findall(r"\w+", text))


def _as_asked(answer: Answer, current: Reflection) -> Answer:
    """Keep the question as it was first asked, even if the set has been reworded since."""
    old = current.answer(answer.prompt_id)
    return answer.model_copy(update={"question": old.question}) if old else answer


@dataclass(frozen=True)
class Detail:
    """An identifying detail found in one field of a reflection."""

    where: str  # a prompt id, or "promise N"
    finding: Finding


# --- the privacy guard over whole reflections (issue 18) -----------------------------------
# Every field of a reflection is checked together (privacy.find_fields): a name found in one
# answer, promise or tag is found wherever else it appears in that reflection.


def _payload_fields(payload: AnswersPayload) -> dict[tuple[str, str], str]:
    fields = {("answer", k): v for k, v in payload.answers.items() if isinstance(v, str)}
    fields |= {("promise", str(n)): f.text for n, f in enumerate(payload.followups, start=1)}
    fields |= {("tag", tag): tag for tag in payload.tags}
    return fields


def _stored_fields(
    reflection: Reflection | ReflectionRecord,
) -> dict[tuple[str, str], tuple[str, str]]:
    """A stored reflection's fields by key, each with where it is (as scan shows it)."""
    fields = {("answer", a.prompt_id): (a.prompt_id, a.text) for a in reflection.answers if a.text}
    promises: Sequence[Followup | FollowupRecord] = reflection.followups
    for n, f in enumerate(promises, start=1):
        number = f.id if isinstance(f, Followup) else n  # a record's promises have no id
        fields[("promise", str(number))] = (f"promise #{number}", f.text)
    fields |= {("tag", tag): ("tag", tag) for tag in reflection.tags}
    return fields


def _where(key: tuple[str, str]) -> str:
    kind, name = key
    return {"answer": name, "promise": f"promise {name}", "tag": f"tag {name!r}"}[kind]


def details(
    payload: AnswersPayload, allow: Iterable[str] = (), caseload: Caseload | None = None
) -> list[Detail]:
    """Identifying details in the text answers, promises and tags of a payload."""
    from rbp_journal import privacy

    found = privacy.find_fields(_payload_fields(payload), allow, caseload)
    return [Detail(_where(key), f) for key, findings in found.items() for f in findings]


def masked(
    payload: AnswersPayload, allow: Iterable[str] = (), caseload: Caseload | None = None
) -> AnswersPayload:
    """The payload with every identifying detail replaced by its mask."""
    from rbp_journal import privacy

    fields = _payload_fields(payload)
    found = privacy.find_fields(fields, allow, caseload)
    mask = {key: privacy.mask(text, found[key]) for key, text in fields.items()}
    answers = {
        k: mask[("answer", k)] if isinstance(v, str) else v for k, v in payload.answers.items()
    }
    followups = [
        f.model_copy(update={"text": mask[("promise", str(n))]})
        for n, f in enumerate(payload.followups, start=1)
    ]
    tags = [mask[("tag", tag)] for tag in payload.tags]
    return payload.model_copy(update={"answers": answers, "followups": followups, "tags": tags})


def redacted(
    record: ReflectionRecord, allow: Iterable[str] = (), caseload: Caseload | None = None
) -> ReflectionRecord:
    """A record with every identifying detail in its answers, promises and tags masked."""
    from rbp_journal import privacy

    fields = _stored_fields(record)
    texts = {key: text for key, (_, text) in fields.items()}
    found = privacy.find_fields(texts, allow, caseload)
    mask = {key: privacy.mask(text, found[key]) for key, text in texts.items()}
    answers = [
        a.model_copy(update={"text": mask[("answer", a.prompt_id)]}) if a.text else a
        for a in record.answers
    ]
    followups = [
        f.model_copy(update={"text": mask[("promise", str(n))]})
        for n, f in enumerate(record.followups, start=1)
    ]
    tags = [mask[("tag", tag)] for tag in record.tags]
    return record.model_copy(update={"answers": answers, "followups": followups, "tags": tags})


Texted = TypeVar("Texted", Followup, Excerpt)


def _masked_head(
    followups: list[Followup], allow: tuple[str, ...], caseload: Caseload | None = None
) -> list[Followup]:
    """Masked, the promises a review shows; the rest are only counted, so left as they are."""
    shown = reviewing.PROMISES_SHOWN
    return [_masked(f, allow, caseload) for f in followups[:shown]] + followups[shown:]


def _masked(item: Texted, allow: tuple[str, ...], caseload: Caseload | None = None) -> Texted:
    """A review never shows more of a person than their client code."""
    from rbp_journal import privacy

    text = privacy.mask(item.text, allow=allow, caseload=caseload)
    return item.model_copy(update={"text": text})
