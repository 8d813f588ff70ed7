"""The floor for `rbp export --format markdown`: the same rows as markdown, bare sqlite3.

    python benchmarks/bare_export.py JOURNAL.db > out.md

One query joining reflections and answers, oldest first, written as headings and answers
with nothing else imported. `run.py` times it beside `rbp export` ("within 2x of bare
sqlite3", DESIGN.md).
"""

from __future__ import annotations

import sqlite3
import sys
from typing import TextIO

QUERY = """
SELECT r.id, r.session_date, r.setting, r.client, r.set_id, a.question, a.text, a.rating,
       a.label
FROM reflections r JOIN answers a ON a.reflection_id = r.id
WHERE r.status = 'done'
ORDER BY r.session_date, r.id, a.position
"""


def write_markdown(path: str, out: TextIO) -> int:
    write = out.write
    conn = sqlite3.connect(path)
    current = None
    count = 0
    for rid, day, setting, client, set_id, question, text, rating, label in conn.execute(QUERY):
        if rid != current:
            current = rid
            count += 1
            title = " · ".join(bit for bit in (day, setting, client, set_id) if bit)
            write(f"## Reflection {rid}: {title}\n\n")
        answer = f"{rating}/5 — {label or ''}".rstrip(" —") if rating is not None else text
        write(f"### {question}\n\n{answer or ''}\n\n")
    conn.close()
    return count


if __name__ == "__main__":
    write_markdown(sys.argv[1], sys.stdout)
