"""The small vocabularies every layer speaks: themes, settings, kinds, polarities, statuses.

Plain tuples and Literal types, no pydantic: the read path (views.py) and the trends use them
without loading the validating models (base.py re-exports them for those).
"""

from __future__ import annotations

from typing import Literal

THEMES = (
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
)
SETTINGS = ("home-visit", "office", "phone", "video", "crisis", "meeting", "court", "other")

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
Kind = Literal["text", "rating", "choice", "followups"]
Polarity = Literal["better", "heavier"]
Status = Literal["draft", "done"]
FollowupStatus = Literal["open", "done", "dropped"]
