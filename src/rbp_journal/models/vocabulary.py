"""The small vocabularies every layer speaks: themes, settings, kinds, polarities, statuses.

Plain tuples and Literal types, no pydantic: the read path (views.py) and the trends use them
without loading the validating models (base.py re-exports them for those).
"""

from __future__ import annotations

from typing import Literal, get_args

Theme = Literal[
    "listening",
    "empathy",
    "trust",
    "power",
    "voice",
    "culture",
    "assumptions",
    "honesty",
    "reliability",
    "emotional-load",
    "learning",
]
Setting = Literal["home-visit", "office", "phone", "video", "crisis", "meeting", "court", "other"]
THEMES: tuple[str, ...] = get_args(Theme)  # in the order the review shows them
SETTINGS: tuple[str, ...] = get_args(Setting)
Kind = Literal["text", "rating", "choice", "followups"]
Polarity = Literal["better", "heavier"]
Status = Literal["draft", "done"]
FollowupStatus = Literal["open", "done", "dropped"]
