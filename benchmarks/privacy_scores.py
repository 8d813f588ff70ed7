"""Precision, recall and F1 of `rbp_journal.privacy`, kind by kind, on the labelled corpora.

    python benchmarks/privacy_scores.py [CORPUS.jsonl ...] [--misses] [--timing]

Each corpus line is {"text": ..., "spans": [{"kind": ..., "text": ...}]}; a span's place is the
next whole-word occurrence of its text (a name mentioned twice is labelled twice). Two ways of
counting:

- strict: a finding is right when its kind and its exact span match a label;
- overlapping: a finding is right when it overlaps a label of its kind, and a label is caught
  when a finding of its kind overlaps it ("Mrs Khan" found for the label "Khan").

The corpora: identifiers.jsonl (the first, 405 lines), and for issue 18
reflections_heldout.jsonl (298 lines written before any code and not tuned on),
reflections_tuning.jsonl (308 lines tuned on) and reflections_fresh.jsonl (127 lines written
after the finders and committed before they were scored; the README gives that first score).
With no CORPUS given, each is scored and then all of them together. The test suite
loads this file, so the figures printed here are the ones it asserts on. `--timing` prints how
long a 300-word answer takes to check and how long `rbp scan` takes on 10,000 reflections.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rbp_journal import privacy

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
CORPUS = DATA / "identifiers.jsonl"
HELD_OUT = DATA / "reflections_heldout.jsonl"
TUNING = DATA / "reflections_tuning.jsonl"
FRESH = DATA / "reflections_fresh.jsonl"
CORPORA = (CORPUS, HELD_OUT, TUNING, FRESH)

Span = tuple[str, int, int]


@dataclass
class Counts:
    """Findings right (tp) and wrong (fp), labels caught and missed (fn), for one kind, with
    the texts behind them. Counted strictly, tp equals caught; counted by overlap, two findings
    may share one label, so precision counts findings and recall counts labels."""

    tp: int = 0
    fp: int = 0
    caught: int = 0
    fn: int = 0
    false_positives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.caught / (self.caught + self.fn) if self.caught + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def rows(paths: Iterable[Path]) -> list[dict[str, object]]:
    return [
        json.loads(line)
        for path in paths
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def labelled(row: dict[str, object]) -> list[Span]:
    """Each label with its place: the n-th label of a text is its n-th whole-word occurrence."""
    text = str(row["text"])
    seen: dict[str, int] = {}
    found = []
    for span in row["spans"]:  # type: ignore[attr-defined]
        kind, words = span["kind"], span["text"]
        places = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(words)}(?!\w)", text)]
        places = places or [m.start() for m in re.finditer(re.escape(words), text)]
        nth = seen.get(words, 0)
        seen[words] = nth + 1
        start = places[min(nth, len(places) - 1)]
        found.append((kind, start, start + len(words)))
    return found


def score(paths: Iterable[Path], overlap: bool = False) -> dict[str, Counts]:
    """Counts for every kind in `privacy.KINDS`, and for all kinds together under "all"."""
    scores = {kind: Counts() for kind in (*privacy.KINDS, "all")}
    for row in rows(paths):
        text = str(row["text"])
        expected = labelled(row)
        found: list[Span] = [(f.kind, f.start, f.end) for f in privacy.find(text)]
        for kind, start, end in found:
            right = any(
                k == kind and ((s < end and start < e) if overlap else (s, e) == (start, end))
                for k, s, e in expected
            )
            for counts in (scores[kind], scores["all"]):
                counts.tp += right
                counts.fp += not right
            if not right:
                scores[kind].false_positives.append(f"{text[start:end]!r} in {text!r}")
        for kind, start, end in expected:
            caught = any(
                k == kind and ((s < end and start < e) if overlap else (s, e) == (start, end))
                for k, s, e in found
            )
            for counts in (scores[kind], scores["all"]):
                counts.caught += caught
                counts.fn += not caught
            if not caught:
                scores[kind].misses.append(f"{text[start:end]!r} in {text!r}")
    return scores


def score_corpus(path: Path = CORPUS) -> dict[str, Counts]:
    """Strict counts on one corpus file (kept for the first corpus's tests)."""
    return score([path])


def table(title: str, paths: Sequence[Path]) -> str:
    strict = score(paths)
    loose = score(paths, overlap=True)
    lines = [
        f"{title}: {len(rows(paths))} lines",
        f"{'kind':<10}{'labels':>7}{'strict P':>10}{'R':>7}{'F1':>7}{'overlap P':>11}{'R':>7}{'F1':>7}",
    ]
    for kind, counts in strict.items():
        if kind == "all":
            lines.append("-" * 66)
        over = loose[kind]
        lines.append(
            f"{kind:<10}{counts.caught + counts.fn:>7}{counts.precision:>10.3f}"
            f"{counts.recall:>7.3f}{counts.f1:>7.3f}"
            f"{over.precision:>11.3f}{over.recall:>7.3f}{over.f1:>7.3f}"
        )
    return "\n".join(lines)


def timing() -> None:
    """A 300-word answer checked in process, then `rbp scan` of 10,000 reflections as a person
    runs it: the benchmark journal as generated (client codes, few names), and the same journal
    with every text answer replaced by sentences of the labelled corpora (names everywhere)."""
    sentences = [str(row["text"]) for row in rows([HELD_OUT, TUNING, FRESH])]
    answer, words = [], 0
    for sentence in sentences:
        answer.append(sentence)
        words += len(sentence.split())
        if words >= 300:
            break
    text = " ".join(answer)
    import subprocess

    cold = subprocess.run(
        [sys.executable, "-c", _COLD, text], capture_output=True, text=True, check=True
    ).stdout.split()
    runs = 50
    start = time.perf_counter()
    for _ in range(runs):
        privacy.find(text)
    warm = (time.perf_counter() - start) / runs
    print(
        f"\n{len(text.split())}-word answer: {warm * 1000:.1f} ms a check; the first check in a "
        f"process {float(cold[1]):.0f} ms more (importing the finders {float(cold[0]):.0f} ms "
        "and reading the word lists, both only when text is checked)"
    )
    _time_scan(sentences)


# Run in a fresh interpreter: what the first check costs a command that has not paid for it.
_COLD = """
import sys, time
t = time.perf_counter()
from rbp_journal import privacy
imported = time.perf_counter() - t
t = time.perf_counter()
privacy.find(sys.argv[1])
print(imported * 1000, (time.perf_counter() - t) * 1000)
"""


def _time_scan(sentences: list[str]) -> None:
    import os
    import random
    import shutil
    import sqlite3
    import subprocess
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import generate

    source = generate.ensure_journal(10_000)
    with tempfile.TemporaryDirectory() as scratch:
        for label in ("as generated", "answers from the corpora"):
            path = Path(scratch) / f"{label.split()[0]}.db"
            shutil.copyfile(source, path)
            if label != "as generated":
                rng = random.Random(18)
                conn = sqlite3.connect(path)
                ids = [r[0] for r in conn.execute("SELECT id FROM answers WHERE text IS NOT NULL")]
                conn.executemany(
                    "UPDATE answers SET text = ? WHERE id = ?",
                    [(" ".join(rng.sample(sentences, 3)), i) for i in ids],
                )
                conn.commit()
                conn.close()
            env = {**os.environ, "RBP_DB": str(path), "NO_COLOR": "1"}
            start = time.perf_counter()
            result = subprocess.run(
                [str(generate.rbp_script()), "scan", "--json"],
                env=env,
                capture_output=True,
                check=True,
            )
            elapsed = time.perf_counter() - start
            hits = len(json.loads(result.stdout))
            print(f"rbp scan of 10,000 reflections, {label}: {elapsed:.1f} s ({hits:,} details)")


def main(argv: list[str]) -> None:
    paths = [Path(arg) for arg in argv if not arg.startswith("--")]
    groups = [(p.name, [p]) for p in paths] if paths else [(p.name, [p]) for p in CORPORA]
    if not paths:
        groups.append(("the whole corpus", list(CORPORA)))
    for title, group in groups:
        print(table(title, group) + "\n")
    if "--misses" in argv:
        every = paths or list(CORPORA)
        strict, loose = score(every), score(every, overlap=True)
        for kind in privacy.KINDS:
            for text in loose[kind].false_positives:
                print(f"FP {kind:<9}{text}")
            for text in strict[kind].misses:
                print(f"FN {kind:<9}{text}")
    if "--timing" in argv:
        timing()


if __name__ == "__main__":
    main(sys.argv[1:])
