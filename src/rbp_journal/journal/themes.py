"""Theme ratings over time (`rbp trends`): weekly means summed in SQL, as plain views.

Apart from supervision.py, which loads the review's rules, models and the privacy guard: a
trend needs none of them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rbp_journal import trends
from rbp_journal.models.views import Trends
from rbp_journal.models.vocabulary import Polarity

if TYPE_CHECKING:
    from rbp_journal.journal import Journal


class Themes:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def trends(self, weeks: int, theme: str | None = None, today: dt.date | None = None) -> Trends:
        """Each theme's mean a week for the `weeks` weeks ending `today`, oldest first."""
        end = today or dt.date.today()
        rows = self.j.store.weeks.means(end, weeks, theme)
        polarities: dict[str, Polarity] = {}
        means = []
        for name, back, mean, ratings, sessions, polarity in rows:
            # as the review's figures: a theme rated "heavier" in any week reads that way
            if polarity == "heavier" or name not in polarities:
                polarities[name] = "heavier" if polarity == "heavier" else "better"
            means.append((name, back, mean, ratings, sessions))
        return trends.trends(means, end, weeks, polarities)
