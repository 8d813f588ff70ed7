"""A realistic month of reflections, written through rbp's own writing path (`Journal.record`
with an `AnswersPayload`, as `rbp reflect --answers` does), for the review's transcript tests
and for looking at the review by hand:

    python tests/realistic_month.py /tmp/month.db   # then: RBP_DB=/tmp/month.db rbp review

Fifty reflections over five weeks ending `today`, sixteen of them in the last seven days: a
week of three crisis calls, two multi-agency meetings and a court day, listening falling and
the emotional load rising, trust holding and the person's voice coming up. Twelve promises are
overdue. Some "what would I do differently" answers are "n/a"; one carries a phone number that
every review must mask. Seeded, and dated relative to `today`, so every day gives the same
shape. Client codes only; no names.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rbp_journal.journal import Journal, open_journal
from rbp_journal.models.reflection import AnswersPayload

SEED = 2026
PHONE = "020 7946 0958"
WHAT = (
    "Home visit with {client} and their mother; most of the hour went on rent arrears.",
    "Phone call from {client}'s foster carer about contact arrangements this weekend.",
    "Office appointment with {client} to go over the care plan and what happens next.",
    "Core group meeting for {client} with school, health visitor and housing.",
    "Joint visit with the health visitor; {client} was quiet and the baby was unsettled.",
    "Short check-in with {client} after last week's worries about the school run.",
    "Video call with {client} and the advocate about the benefits appeal.",
)
CRISIS = (
    "Called out at 7pm: {client} had been told to leave the hostel and had nowhere to go.",
    "Police asked for a joint visit after a neighbour rang; {client} was frightened and angry.",
    "A&E rang about {client}, found alone at the station; we found an emergency placement.",
)
DIFFERENTLY = (
    "Let the silence run before I move on to the next question.",
    "Ask {client} what they want from the visit before I set the agenda.",
    "Name what I have to write down, and why, before I start writing.",
    "Bring the interpreter in from the start, not halfway through.",
    "Write the plan in {client}'s own words and read it back to them.",
    "Slow down when they seem guarded; I rushed the ending again.",
    "Check the school's account with {client} before I take it as the whole story.",
)
NOTHING = ("n/a", "None.", "-")
PROMISES = (
    "Send the referral to the housing team",
    "Ring the school about attendance",
    "Write to the GP surgery about the medication review",
    "Chase the benefits office for a decision",
    "Book the next visit and confirm it in writing",
    "Find out about the respite offer and let them know",
)


@dataclass(frozen=True)
class Month:
    today: dt.date
    ids: list[int]
    in_week: int


def build(journal: Journal, today: dt.date) -> Month:
    rng = random.Random(SEED)
    ids: list[int] = []
    promised: list[tuple[int, int]] = []  # (reflection id, days back of its session)
    week = _last_week(rng)
    earlier = _earlier_weeks(rng)
    for back, kind in earlier + week:
        day = today - dt.timedelta(days=back)
        rid, promises = _record(journal, rng, day, back, kind)
        ids.append(rid)
        promised += [(rid, back)] * promises
    _close_some(journal, today)
    return Month(today=today, ids=ids, in_week=len(week))


def _last_week(rng: random.Random) -> list[tuple[int, str]]:
    kinds = ["crisis"] * 3 + ["meeting"] * 2 + ["court"] + ["home-visit"] * 6
    kinds += ["office"] * 2 + ["phone"] * 2
    rng.shuffle(kinds)
    days = [6, 6, 5, 5, 4, 4, 3, 3, 3, 2, 2, 1, 1, 1, 0, 0]
    return list(zip(days, kinds, strict=True))


def _earlier_weeks(rng: random.Random) -> list[tuple[int, str]]:
    kinds = ["home-visit"] * 14 + ["office"] * 6 + ["phone"] * 6 + ["video"] * 3
    kinds += ["meeting"] * 2 + ["audit", "driscoll", "self-care"]
    rng.shuffle(kinds)
    days = sorted((rng.randint(7, 34) for _ in kinds), reverse=True)
    return list(zip(days, kinds, strict=True))


def _rating(rng: random.Random, centre: float) -> int:
    return max(1, min(5, round(rng.gauss(centre, 0.6))))


def _record(
    journal: Journal, rng: random.Random, day: dt.date, back: int, kind: str
) -> tuple[int, int]:
    recent = back <= 6
    client = f"C-{rng.randint(1, 12):03d}"
    setting = {"audit": "office", "driscoll": "office", "self-care": "office"}.get(kind, kind)
    payload: dict[str, Any] = {
        "client": None if kind in ("audit", "self-care") else client,
        "date": day.isoformat(),
        "setting": setting,
    }
    if kind == "crisis":
        payload["set"] = "crisis"
        payload["answers"] = _crisis(rng, client)
    elif kind == "audit":
        payload["set"] = "practice-audit"
        payload["answers"] = _audit(rng)
    elif kind == "driscoll":
        payload["set"] = "driscoll"
        payload["answers"] = {
            "what": rng.choice(WHAT).format(client=client),
            "so_what": "They answered before I had finished asking; I was leading them.",
            "now_what": "Ask one open question and wait for the answer.",
        }
    elif kind == "self-care":
        payload["set"] = "self-care"
        payload["answers"] = {
            "emotional_impact": 4,
            "staying_with_me": "The week's visits are sitting heavily; I am sleeping badly.",
        }
    else:
        payload["set"] = "core"
        payload["answers"] = _core(rng, client, kind, recent)
    promises = _promises(rng, day, back) if kind not in ("audit", "self-care") else []
    if promises:
        payload["followups"] = promises
    rid = journal.recording.record(AnswersPayload.model_validate(payload))
    return rid, len(promises)


def _core(rng: random.Random, client: str, kind: str, recent: bool) -> dict[str, Any]:
    centre = {
        "listened": (2.9, 4.1),
        "empathy": (3.8, 3.9),
        "trust": (4.1, 4.0),
        "power": (3.2, 3.4),
        "voice": (3.4, 2.6),
        "assumptions": (3.5, 3.6),
        "emotional_load": (4.1, 2.8),
    }
    answers: dict[str, Any] = {
        key: _rating(rng, now if recent else before) for key, (now, before) in centre.items()
    }
    if kind in ("meeting", "court"):
        answers["what_happened"] = (
            f"Core group meeting for {client} with school, health visitor and housing."
            if kind == "meeting"
            else f"Court hearing for {client}; I gave evidence and the parents were upset."
        )
    else:
        answers["what_happened"] = rng.choice(WHAT).format(client=client)
    if rng.random() < 0.35:
        answers["culture"] = _rating(rng, 3.5)
    answers["differently"] = _differently(rng, client, recent)
    return answers


def _differently(rng: random.Random, client: str, recent: bool) -> str:
    if rng.random() < 0.2:
        return rng.choice(NOTHING)
    if recent and rng.random() < 0.15:
        return f"Ring the school office on {PHONE} before the visit, not after."
    return rng.choice(DIFFERENTLY).format(client=client)


def _crisis(rng: random.Random, client: str) -> dict[str, Any]:
    return {
        "what_happened": rng.choice(CRISIS).format(client=client),
        "role_clear": _rating(rng, 3.8),
        "pace_explained": _rating(rng, 3.2),
        "possible": _rating(rng, 3.6),
        "listened": _rating(rng, 2.6),
        "voice": _rating(rng, 3.0),
        "whirlwind": _rating(rng, 3.4),
        "what_next": "I will ring tomorrow morning and visit on Friday.",
        "emotional_load": 5,
        "differently": "Say out loud what I can and cannot promise tonight.",
    }


def _audit(rng: random.Random) -> dict[str, Any]:
    keys = [
        "role_clarity",
        "equality",
        "honesty",
        "transparency",
        "partnership",
        "plain_words",
        "ask_view",
        "respect_wishes",
        "listen_first",
        "feelings_named",
        "interest",
        "strengths",
        "culture",
        "open_to_wrong",
        "dont_know",
        "did_what_i_said",
        "punctual",
        "regular_contact",
    ]
    answers: dict[str, Any] = {key: _rating(rng, 3.7) for key in keys}
    answers["differently"] = "Keep to the times I give; I was late twice this month."
    return answers


def _promises(rng: random.Random, day: dt.date, back: int) -> list[dict[str, str]]:
    if rng.random() < 0.45:
        return []
    due = day + dt.timedelta(days=rng.choice((2, 3, 5, 7, 10)))
    return [{"text": rng.choice(PROMISES), "due": due.isoformat()}]


def _close_some(journal: Journal, today: dt.date) -> None:
    """Keep three promises and drop one, leaving twelve overdue."""
    opened = journal.supervision.followups()
    overdue = [f for f in opened if f.due and f.due < today]
    for f in overdue[: max(0, len(overdue) - 12 - 1)][:3]:
        journal.supervision.close_followup(f.id, "done", "done, a little late")
    overdue = [f for f in journal.supervision.followups() if f.due and f.due < today]
    for f in overdue[: max(0, len(overdue) - 12)]:
        journal.supervision.close_followup(f.id, "dropped")


def main(path: str) -> None:
    journal = open_journal(Path(path))
    try:
        month = build(journal, dt.date.today())
    finally:
        journal.close()
    print(f"{len(month.ids)} reflections, {month.in_week} in the last week: {path}")


if __name__ == "__main__":
    main(sys.argv[1])
