"""Precision and recall of `rbp_journal.privacy` on the labelled corpus, kind by kind.

    python benchmarks/privacy_scores.py [CORPUS.jsonl] [--misses]

Each corpus line is {"text": ..., "spans": [{"kind": ..., "text": ...}]}. A finding counts as
right when its kind and its exact text match an expected span of the same line; a right text
under the wrong kind is a false positive for one kind and a miss for the other. The test suite
loads `score_corpus` from this file, so the figures printed here are the ones it asserts on.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rbp_journal import privacy

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "identifiers.jsonl"


@dataclass
class Counts:
    """True positives, false positives and misses for one kind, with the texts behind them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score_corpus(path: Path = CORPUS) -> dict[str, Counts]:
    """Counts for every kind in `privacy.KINDS`, and for all kinds together under "all"."""
    scores = {kind: Counts() for kind in (*privacy.KINDS, "all")}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        expected = Counter((span["kind"], span["text"]) for span in row["spans"])
        found = Counter((f.kind, f.text) for f in privacy.find(row["text"]))
        for kind, text in found | expected:
            hit = min(found[kind, text], expected[kind, text])
            for counts in (scores[kind], scores["all"]):
                counts.tp += hit
                counts.fp += found[kind, text] - hit
                counts.fn += expected[kind, text] - hit
            if found[kind, text] > hit:
                scores[kind].false_positives.append(f"{text!r} in {row['text']!r}")
            if expected[kind, text] > hit:
                scores[kind].misses.append(f"{text!r} in {row['text']!r}")
    return scores


def main(argv: list[str]) -> None:
    paths = [arg for arg in argv if not arg.startswith("--")]
    path = Path(paths[0]) if paths else CORPUS
    scores = score_corpus(path)
    print(f"{path.name}: {len(path.read_text(encoding='utf-8').splitlines())} lines\n")
    print(f"{'kind':<10}{'TP':>6}{'FP':>6}{'FN':>6}{'precision':>12}{'recall':>9}")
    for kind, counts in scores.items():
        if kind == "all":
            print("-" * 49)
        print(
            f"{kind:<10}{counts.tp:>6}{counts.fp:>6}{counts.fn:>6}"
            f"{counts.precision:>12.3f}{counts.recall:>9.3f}"
        )
    if "--misses" in argv:
        for kind in privacy.KINDS:
            for text in scores[kind].false_positives:
                print(f"FP {kind:<9}{text}")
            for text in scores[kind].misses:
                print(f"FN {kind:<9}{text}")


if __name__ == "__main__":
    main(sys.argv[1:])
