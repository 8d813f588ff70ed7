"""Synthetic journals for the benchmarks, written through rbp's own store.

    python benchmarks/generate.py [--sizes 1000,10000,100000] [--rebuild]

Builds `benchmarks/.cache/journal-<N>.db` for each size (kept between runs; `--rebuild` makes
them again), the JSON exports of the 10,000 and 100,000 journals that the import benchmark
reads (`export-<N>.json`, written by `rbp export` itself), and, for the comparison with jrnl,
the same reflections as jrnl text journals (`jrnl-<N>.txt`). Everything is synthetic and seeded:
client codes only, no names, no identifying details. `run.py` imports this module.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rbp_journal import prompt_library
from rbp_journal.journal.answers import make_answer
from rbp_journal.models.prompts import PromptSet
from rbp_journal.models.reflection import FollowupIn, ReflectionHeader
from rbp_journal.store import Store, open_store

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
SIZES = (1_000, 10_000, 100_000)
IMPORT_SIZE = 10_000  # the import jrnl is compared on
IMPORT_SIZES = (10_000, 100_000)
BATCH = 2_000
YEARS = 30
SEED = 20_240_601

COMMON_WORD = "family"  # in about four reflections out of five
RARE_WORD = "trampoline"  # in exactly RARE_COUNT reflections, whatever the size
RARE_COUNT = 5
CLIENTS = tuple(f"C-{number:03d}" for number in range(1, 61))
BENCH_CLIENT = "C-007"
BENCH_TAG = "court"
TAGS = (
    "court",
    "safeguarding",
    "housing",
    "school",
    "mental-health",
    "substance-use",
    "domestic-abuse",
    "carer",
    "transition",
    "benefits",
    "interpreter",
    "placement",
    "review-meeting",
    "duty",
    "disability",
)
TAG_WEIGHTS = (9, 12, 8, 7, 8, 5, 6, 6, 4, 5, 3, 4, 6, 7, 4)
SETTINGS = ("home-visit", "office", "phone", "video", "crisis", "meeting", "court", "other")
SETTING_WEIGHTS = (30, 15, 18, 8, 5, 12, 5, 2)
RATED = ("listened", "empathy", "trust", "power", "voice", "culture", "assumptions")

# --- vocabulary: roles, places and topics, never people's names ---------------------------

ROLES = (
    "mother",
    "father",
    "grandparent",
    "foster carer",
    "key worker",
    "class teacher",
    "support worker",
    "GP",
    "housing officer",
    "advocate",
    "older sibling",
    "health visitor",
    "youth worker",
    "interpreter",
)
PLACES = (
    "the kitchen",
    "the front room",
    "the contact centre",
    "the school office",
    "a cafe near the estate",
    "the hospital ward",
    "the team office",
    "the car",
    "the park",
)
TOPICS = (
    "rent arrears",
    "the school run",
    "contact arrangements",
    "the care plan",
    "medication",
    "the benefits appeal",
    "a new tenancy",
    "bedtime routines",
    "the court hearing",
    "attendance",
    "the respite offer",
    "money for the gas meter",
    "the move to secondary school",
    "a referral to the mental health team",
    "the assessment timeline",
)
FEELINGS = (
    "anxious",
    "angry",
    "tired",
    "relieved",
    "guarded",
    "hopeful",
    "flat",
    "overwhelmed",
    "embarrassed",
    "calm",
)
SERVICES = (
    "housing team",
    "school",
    "GP surgery",
    "food bank",
    "benefits office",
    "legal team",
    "health visiting service",
    "youth service",
)
OPENINGS = (
    "Planned {setting} with {client} and their {role}.",
    "Unplanned call from {client}'s {role} about {topic}.",
    "Review with {client}; the {role} joined for the second half.",
    "Met {client} in {place} to go over {topic}.",
    "Short check-in with {client} after last week's worries about {topic}.",
    "Joint visit with the {role} to see {client} in {place}.",
)
MIDDLES = (
    "They seemed {feeling} when we got to {topic}.",
    "Most of the time went on {topic}, less on what they wanted to talk about.",
    "The {role} did a lot of the talking and {client} went quiet.",
    "We agreed to look at {topic} again next time.",
    "I noticed I was {feeling} myself and rushed the ending.",
    "There was a long silence after I asked about {topic}, and I let it run.",
    "{client} raised {topic} before I did, which felt like progress.",
    "I explained my role and what I have to write down.",
    "The {role} disagreed with me about {topic} and I did not hide my view.",
)
COMMON_SENTENCES = (
    f"We talked about how the {COMMON_WORD} is managing the week.",
    f"The wider {COMMON_WORD} came up when we discussed {{topic}}.",
    f"{{client}} said the {COMMON_WORD} feels {{feeling}} about {{topic}}.",
    f"I asked who in the {COMMON_WORD} helps with {{topic}}.",
)
ASSUMPTIONS = (
    "I assumed the {role} was the one making decisions; if {client} speaks first next time "
    "I was wrong.",
    "I thought {topic} was the main worry. A different first question would test that.",
    "I assumed {client} had understood the letter about {topic}. Asking them to explain it "
    "back would show me.",
    "I expected them to be {feeling} about {topic}; they were not, and I should ask why.",
    "I took the {role}'s account as the whole story.",
)
DIFFERENTLY = (
    "Ask about {topic} at the start, not the end.",
    "Leave more silence before moving on.",
    "Name what I have to record and why, before I start writing.",
    "Check what {client} wants from the visit before setting the agenda.",
    "Bring the {role} in earlier, but let {client} answer first.",
    "Slow down when they seem {feeling}.",
    "Write the plan in {client}'s own words and read it back.",
)
PROMISES = (
    "Send the referral to the {service}",
    "Ring the {role} back about {topic}",
    "Write to the {service} about {topic}",
    "Book the next visit and confirm it in writing",
    "Chase the {service} for a reply",
    "Find out about {topic} and let {client} know",
)
NOTES = ("sent on time", "done a day late", "confirmed by phone", None, None)


@dataclass(frozen=True)
class Promise:
    text: str
    due: dt.date | None
    status: str  # open, done or dropped
    note: str | None


@dataclass(frozen=True)
class Synthetic:
    """One synthetic reflection: what a person would have typed into `rbp reflect`."""

    uid: str
    session_date: dt.date
    client: str
    setting: str
    tags: tuple[str, ...]
    values: dict[str, str | int]
    promises: tuple[Promise, ...]


@dataclass
class Made:
    reflections: int = 0
    answers: int = 0
    promises: int = 0


def reflections(n: int, today: dt.date, seed: int = SEED) -> Iterator[Synthetic]:
    """`n` reflections, oldest first, spread over YEARS years ending `today`."""
    rng = random.Random(seed + n)
    span = YEARS * 365
    offsets = sorted((rng.randrange(span) for _ in range(n)), reverse=True)
    rare = {n * k // (RARE_COUNT + 1) for k in range(1, RARE_COUNT + 1)}
    bases = {client: {p: rng.uniform(2.2, 4.3) for p in RATED} for client in CLIENTS}
    for index, offset in enumerate(offsets):
        day = today - dt.timedelta(days=offset)
        client = rng.choice(CLIENTS)
        yield Synthetic(
            uid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            session_date=day,
            client=client,
            setting=rng.choices(SETTINGS, SETTING_WEIGHTS)[0],
            tags=_tags(rng),
            values=_values(rng, client, bases[client], index in rare, 1 - offset / span),
            promises=_promises(rng, client, day, today),
        )


def _tags(rng: random.Random) -> tuple[str, ...]:
    count = rng.choice((0, 1, 1, 1, 2, 2, 3))
    chosen: list[str] = []
    while len(chosen) < count:
        tag = rng.choices(TAGS, TAG_WEIGHTS)[0]
        if tag not in chosen:
            chosen.append(tag)
    return tuple(chosen)


def _fill(rng: random.Random, template: str, client: str) -> str:
    return template.format(
        client=client,
        role=rng.choice(ROLES),
        place=rng.choice(PLACES),
        topic=rng.choice(TOPICS),
        feeling=rng.choice(FEELINGS),
        service=rng.choice(SERVICES),
        setting=rng.choice(("home visit", "office meeting", "phone call", "video call")),
    )


def _happened(rng: random.Random, client: str, rare: bool) -> str:
    sentences = [_fill(rng, rng.choice(OPENINGS), client)]
    sentences += [_fill(rng, t, client) for t in rng.sample(MIDDLES, rng.randint(1, 3))]
    if rng.random() < 0.8:
        sentences.insert(
            rng.randint(1, len(sentences)), _fill(rng, rng.choice(COMMON_SENTENCES), client)
        )
    if rare:
        sentences.append(f"The younger child showed me the {RARE_WORD} in the garden.")
    return " ".join(sentences)


def _values(
    rng: random.Random, client: str, base: dict[str, float], rare: bool, progress: float
) -> dict[str, str | int]:
    """Every answer of the core set; ratings drift up a little over a career."""
    values: dict[str, str | int] = {"what_happened": _happened(rng, client, rare)}
    for prompt_id in RATED:
        if prompt_id == "culture" and rng.random() < 0.2:
            continue
        values[prompt_id] = _rating(rng, base[prompt_id] + 0.6 * progress)
    if rng.random() < 0.6:
        values["assumptions_note"] = _fill(rng, rng.choice(ASSUMPTIONS), client)
    values["emotional_load"] = _rating(rng, 2.6)
    values["differently"] = _fill(rng, rng.choice(DIFFERENTLY), client)
    return values


def _rating(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.9))))


def _promises(rng: random.Random, client: str, day: dt.date, today: dt.date) -> tuple[Promise, ...]:
    if rng.random() >= 0.3:
        return ()
    made = []
    for _ in range(rng.choice((1, 1, 1, 2))):
        due = day + dt.timedelta(days=rng.randint(2, 28)) if rng.random() < 0.9 else None
        old = (today - (due or day)).days > 60
        weights = (4, 84, 12) if old else (75, 25, 0)
        status = rng.choices(("open", "done", "dropped"), weights)[0]
        note = rng.choice(NOTES) if status == "done" else None
        made.append(Promise(_fill(rng, rng.choice(PROMISES), client), due, status, note))
    return tuple(made)


# --- writing rbp journals -----------------------------------------------------------------


def core_set() -> PromptSet:
    # Only the bundled sets: a `core` of the benchmarking user's own must not change the data.
    return prompt_library.load(user_dir=CACHE / "no-user-prompts").get("core")


def write_journal(path: Path, n: int, today: dt.date) -> Made:
    """Write `n` reflections to a new journal at `path` through rbp's store."""
    building = path.with_name(path.name + ".building")
    remove_db(building)
    prompt_set = core_set()
    store = open_store(building)
    made = Made()
    try:
        items = reflections(n, today)
        while chunk := [item for _, item in zip(range(BATCH), items, strict=False)]:
            with store.write():
                for item in chunk:
                    _write_one(store, prompt_set, item, made)
        store.connection.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    remove_db(path)
    building.replace(path)
    return made


def _write_one(store: Store, prompt_set: PromptSet, item: Synthetic, made: Made) -> None:
    header = ReflectionHeader(
        set_id=prompt_set.id,
        set_version=prompt_set.version,
        session_date=item.session_date,
        client=item.client,
        setting=item.setting,
        tags=list(item.tags),
    )
    rid = store.reflections.insert(header, item.uid, "done")
    made.reflections += 1
    for prompt in prompt_set.prompts:
        answer = make_answer(prompt_set, prompt, item.values.get(prompt.id))
        if answer is not None:
            store.reflections.put_answer(rid, answer)
            made.answers += 1
    for promise in item.promises:
        fid = store.followups.add(rid, FollowupIn(text=promise.text, due=promise.due))
        if promise.status != "open":
            store.followups.close(fid, promise.status, promise.note)  # type: ignore[arg-type]
        made.promises += 1


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- writing jrnl journals ----------------------------------------------------------------

JRNL_TIMEFORMAT = "%Y-%m-%d %H:%M"


def jrnl_entry(item: Synthetic, prompt_set: PromptSet) -> str:
    """One reflection as a jrnl entry: title, answers, tags and the client as @-tags."""
    happened = str(item.values["what_happened"])
    title, _, rest = happened.partition(". ")
    lines = [f"[{item.session_date.isoformat()} 09:00] {title}.", rest, ""]
    for prompt in prompt_set.prompts:
        value = item.values.get(prompt.id)
        if value is None or prompt.id == "what_happened":
            continue
        shown = f"{value}/5 ({prompt.label(value)})" if isinstance(value, int) else value
        lines.append(f"{prompt.text} {shown}")
    lines += [f"- [{'x' if p.status == 'done' else ' '}] {p.text}" for p in item.promises]
    lines.append(" ".join(f"@{tag}" for tag in (item.client, item.setting, *item.tags)))
    return "\n".join(lines) + "\n\n"


def write_jrnl(path: Path, n: int, today: dt.date) -> None:
    prompt_set = core_set()
    building = path.with_name(path.name + ".building")
    with building.open("w", encoding="utf-8") as handle:
        for item in reflections(n, today):
            handle.write(jrnl_entry(item, prompt_set))
    building.replace(path)


def jrnl_config(journal: Path, config: Path, version: str) -> Path:
    """A jrnl config for one journal file: plain output, no editor, no colour.

    `version` is jrnl's own ("4.6"): with another, jrnl rewrites the file on its first run.
    """
    config.write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\nhighlight: false\n"
        "indent_character: '|'\n"
        f"journals:\n  default:\n    journal: {journal}\n"
        f"linewrap: 79\ntagsymbols: '#@'\ntemplate: false\ntimeformat: '{JRNL_TIMEFORMAT}'\n"
        f"version: '{version}'\n",
        encoding="utf-8",
    )
    return config


# --- the cache ----------------------------------------------------------------------------


def journal_path(n: int) -> Path:
    return CACHE / f"journal-{n}.db"


def jrnl_path(n: int) -> Path:
    return CACHE / f"jrnl-{n}.txt"


def export_path(n: int = IMPORT_SIZE) -> Path:
    return CACHE / f"export-{n}.json"


def rbp_script() -> Path:
    return Path(sys.executable).with_name("rbp")


def ensure_journal(n: int, rebuild: bool = False, today: dt.date | None = None) -> Path:
    path = journal_path(n)
    if path.exists() and not rebuild:
        print(f"journal-{n}.db: cached ({_mib(path):.1f} MiB; --rebuild to make it again)")
        return path
    CACHE.mkdir(exist_ok=True)
    jrnl_path(n).unlink(missing_ok=True)  # made from the same reflections: stale now
    export_path(n).unlink(missing_ok=True)
    started = time.perf_counter()
    made = write_journal(path, n, today or dt.date.today())
    took = time.perf_counter() - started
    print(
        f"journal-{n}.db: generated in {took:.1f} s ({made.reflections:,} reflections, "
        f"{made.answers:,} answers, {made.promises:,} follow-ups, {_mib(path):.1f} MiB)"
    )
    return path


def ensure_jrnl(n: int, rebuild: bool = False, today: dt.date | None = None) -> Path:
    path = jrnl_path(n)
    if path.exists() and not rebuild:
        return path
    CACHE.mkdir(exist_ok=True)
    started = time.perf_counter()
    write_jrnl(path, n, today or journal_day(n))
    print(f"jrnl-{n}.txt: written in {time.perf_counter() - started:.1f} s ({_mib(path):.1f} MiB)")
    return path


def journal_day(n: int) -> dt.date:
    """The day the cached rbp journal of size n was generated, so jrnl's data matches it."""
    path = journal_path(n)
    stamp = path.stat().st_mtime if path.exists() else time.time()
    return dt.date.fromtimestamp(stamp)


def ensure_export(n: int = IMPORT_SIZE, rebuild: bool = False) -> Path | None:
    """`rbp export --format json` of the journal of size n, or None (said why) if it fails."""
    target = export_path(n)
    if target.exists() and not rebuild:
        return target
    source = ensure_journal(n)
    partial = target.with_name(target.name + ".partial")
    argv = [str(rbp_script()), "--db", str(source), "export", "--format", "json"]
    with partial.open("wb") as out:
        done = subprocess.run(argv, stdout=out, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    if done.returncode != 0 or partial.stat().st_size == 0:
        partial.unlink()
        reason = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        print(f"export-{n}.json: `rbp export` failed ({reason[0]}); no import benchmark")
        return None
    partial.replace(target)
    print(f"export-{n}.json: written by rbp export ({_mib(target):.1f} MiB)")
    return target


def ensure_all(sizes: Sequence[int], rebuild: bool = False) -> dict[int, Path]:
    journals = {n: ensure_journal(n, rebuild) for n in sizes}
    for n in IMPORT_SIZES:
        if n in sizes:
            ensure_export(n, rebuild)
    return journals


def _mib(path: Path) -> float:
    return os.path.getsize(path) / 2**20


def parse_sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=list(SIZES))
    parser.add_argument("--rebuild", action="store_true", help="Generate even if cached.")
    parser.add_argument("--jrnl", action="store_true", help="Also write the jrnl journals.")
    args = parser.parse_args(argv)
    ensure_all(args.sizes, args.rebuild)
    for n in args.sizes if args.jrnl else ():
        ensure_jrnl(n, args.rebuild)


if __name__ == "__main__":
    main()
