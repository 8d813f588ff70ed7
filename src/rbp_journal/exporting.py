"""Writers that turn reflections into markdown and JSON for people and scripts.

Output here is plain text: no colour and no Rich markup, whatever the terminal.
"""

from __future__ import annotations

import json
from typing import Any

from rbp_journal.models import Reflection

FORMAT_VERSION = 1


def reflection_markdown(reflection: Reflection) -> str:
    title = " · ".join(
        bit
        for bit in (
            reflection.session_date.isoformat(),
            reflection.setting,
            reflection.client,
            reflection.set_id,
        )
        if bit
    )
    lines = [f"## Reflection {reflection.id}: {title}", ""]
    if reflection.tags:
        lines += [f"Tags: {', '.join(reflection.tags)}", ""]
    for answer in reflection.answers:
        lines += [f"### {answer.question}", ""]
        if answer.rating is not None:
            lines.append(f"{answer.rating}/5 — {answer.label or ''}".rstrip(" —"))
        else:
            lines.append(answer.text or "")
        lines.append("")
    if reflection.followups:
        lines += ["### Promises", ""]
        for followup in reflection.followups:
            due = f" (due {followup.due.isoformat()})" if followup.due else ""
            mark = "x" if followup.status == "done" else " "
            dropped = " — dropped" if followup.status == "dropped" else ""
            lines.append(f"- [{mark}] {followup.text}{due}{dropped}")
        lines.append("")
    return "\n".join(lines)


def reflection_data(reflection: Reflection) -> dict[str, Any]:
    return reflection.model_dump(mode="json")


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
