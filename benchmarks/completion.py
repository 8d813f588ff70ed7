"""The time of one TAB: `rbp` answering bash completion for values, as a shell runs it (a new
process per TAB), on a synthetic journal of clients and tags. Prints the median and the worst of
20 runs for each kind of value; the aim is under 150 ms."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rbp_journal.journal import open_journal
from rbp_journal.models.reflection import AnswersPayload

CASES = {
    "client codes": "rbp list --client ",
    "tags": "rbp export --tag ",
    "prompt sets": "rbp reflect --set ",
    "formats": "rbp export --format ",
    "settings": "rbp reflect --setting ",
    "a command (Typer's own)": "rbp li",
}


def main() -> None:
    rbp = Path(sys.executable).with_name("rbp")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "journal.db"
        journal = open_journal(db)
        for n in range(300):
            journal.recording.record(AnswersPayload.model_validate(
                {"set": "journal", "client": f"C-{n:03d}", "tags": [f"tag-{n % 40}"],
                 "answers": {"entry": "words"}}))  # fmt: skip
        journal.close()
        for name, line in CASES.items():
            words = line.split(" ")
            env = {**os.environ, "RBP_DB": str(db), "_RBP_COMPLETE": "complete_bash",
                   "COMP_WORDS": "\n".join(words), "COMP_CWORD": str(len(words) - 1)}  # fmt: skip
            times = []
            for _ in range(20):
                start = time.perf_counter()
                subprocess.run([str(rbp)], env=env, capture_output=True, check=True)
                times.append((time.perf_counter() - start) * 1000)
            print(
                f"{name:26s} median {statistics.median(times):5.0f} ms   worst {max(times):5.0f} ms"
            )


if __name__ == "__main__":
    main()
