"""Any answers payload is either stored exactly as given or not stored at all."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rbp_journal.errors import InvalidAnswers
from rbp_journal.journal import open_journal
from rbp_journal.models.reflection import AnswersPayload

CORE_IDS = [
    "what_happened",
    "listened",
    "empathy",
    "trust",
    "power",
    "voice",
    "culture",
    "assumptions",
    "assumptions_note",
    "emotional_load",
    "differently",
    "promises",
]
values = st.one_of(
    st.none(),
    st.integers(min_value=-2, max_value=8),
    st.text(max_size=60),
    st.sampled_from(["A plain answer.", "  ", "Ünïcödé — نص عربي — 😊"]),
)
payloads = st.fixed_dictionaries(
    {"answers": st.dictionaries(st.sampled_from([*CORE_IDS, "bogus"]), values, max_size=12)}
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=payloads)
def test_stored_exactly_or_not_at_all(tmp_path: Path, data: dict) -> None:
    journal = open_journal(tmp_path / "prop.db")
    conn = journal.store.connection.conn
    before = (
        conn.execute("SELECT count(*) FROM answers").fetchone()[0],
        conn.execute("SELECT count(*) FROM reflections").fetchone()[0],
    )
    try:
        rid = journal.recording.record(AnswersPayload.model_validate(data))
    except InvalidAnswers:
        after = (
            conn.execute("SELECT count(*) FROM answers").fetchone()[0],
            conn.execute("SELECT count(*) FROM reflections").fetchone()[0],
        )
        assert after == before
        journal.close()
        return
    stored = {
        a.prompt_id: a.rating if a.rating is not None else a.text
        for a in journal.reading.reflection(rid).answers
    }
    expected = {
        key: value.strip("\n") if isinstance(value, str) else value
        for key, value in data["answers"].items()
        if value is not None and not (isinstance(value, str) and not value.strip())
    }
    assert stored == expected
    journal.close()
