"""CPD: frameworks, records from reflections, peer reflection, coverage, export, depth, purge."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from rbp_journal import cpd_rules as cpd
from rbp_journal.cpd_rules import RegistrationYear
from rbp_journal.journal import Journal, open_journal
from rbp_journal.models.cpd import framework

from conftest import CORE_ANSWERS, add_reflection

RECORD: dict[str, Any] = {
    "type": "reflective practice",
    "title": "Letting the young person lead the school-morning plan",
    "relevance": "Plans for C-014 were made about the young person, not with them.",
    "date": "2026-10-12",
    "learnt": "Asking the young person first changed who spoke. Mrs Khan rang from 07700 900123.",
    "impact_practice": "I open visits by asking the young person what they want to cover.",
    "impact_people": "The young person led the plan for school mornings.",
    "standards": ["4.8", "4.1"],
    "domains": ["rights-justice"],
}
PEER = {"role": "senior practitioner", "date": "2026-11-02", "outcome": "Whose voice leads a plan."}


def reflect(journal: Journal, day: str, **answers: Any) -> int:
    return add_reflection(journal, answers, date=day)


def add_record(rbp, answers_file, *sources: int, **changes: Any) -> Any:
    """`rbp cpd add --answers` with RECORD (changed as asked), built on `sources`."""
    froms = [part for rid in sources for part in ("--from", str(rid))]
    return rbp(["cpd", "add", *froms, "--answers", str(answers_file({**RECORD, **changes}))])


def test_frameworks_are_bundled_and_complete() -> None:
    swe, pcf = framework("swe-cpd"), framework("pcf")
    assert swe.ids() == [f"4.{n}" for n in range(1, 9)]
    assert len(pcf.ids()) == 9
    assert all(item.title and item.description for item in (*swe.items, *pcf.items))
    # the bundled themes map to the domains they evidence
    assert cpd.suggested_claims({"power"})[1] == ["rights-justice"]
    assert cpd.suggested_claims({"culture"})[1] == ["diversity-equality"]
    assert "critical-reflection" in cpd.suggested_claims({"assumptions"})[1]
    assert "professionalism" in cpd.suggested_claims({"emotional-load"})[1]


@pytest.mark.parametrize(
    ("day", "year"),
    [("2026-11-29", 2026), ("2026-11-30", 2026), ("2026-12-01", 2027), ("2025-12-01", 2026)],
)
def test_registration_year_boundaries(day: str, year: int) -> None:
    found = RegistrationYear.of(dt.date.fromisoformat(day))
    assert found.year == year
    assert found.start == dt.date(year - 1, 12, 1) and found.end == dt.date(year, 11, 30)


def test_records_land_in_the_right_year(rbp, answers_file) -> None:
    for day in ("2026-11-29", "2026-11-30", "2026-12-01"):
        assert add_record(rbp, answers_file, date=day).exit_code == 0
    year_2026 = json.loads(rbp("cpd list --year 2026 --json").stdout)
    year_2027 = json.loads(rbp("cpd list --year 2027 --json").stdout)
    assert [r["date"] for r in year_2026] == ["2026-11-29", "2026-11-30"]
    assert [r["date"] for r in year_2027] == ["2026-12-01"]


def test_a_year_without_peer_reflection_says_so(rbp, answers_file) -> None:
    assert add_record(rbp, answers_file).exit_code == 0
    assert add_record(rbp, answers_file, date="2026-10-20").exit_code == 0
    status = json.loads(rbp("cpd status --year 2026 --json").stdout)
    assert status["records"] == 2 and status["with_peer"] == 0
    assert status["needs"] == ["a peer reflection on at least one record (`rbp cpd peer ID`)"]
    assert rbp("cpd peer 1 --answers -", input=json.dumps(PEER)).exit_code == 0
    status = json.loads(rbp("cpd status --year 2026 --json").stdout)
    assert status["with_peer"] == 1 and status["needs"] == []


def test_coverage_shows_planted_gaps_and_what_could_fill_them(rbp, journal: Journal) -> None:
    without_culture = [reflect(journal, f"2026-0{m}-10") for m in (3, 4, 5)]  # culture is optional
    status = json.loads(rbp("cpd status --year 2026 --json").stdout)
    domains = {gap["id"]: gap for gap in status["domain_gaps"]}
    # no culture rating, no multi-agency meeting or court, nothing of leadership: three gaps
    assert set(domains) == {
        "diversity-equality",
        "contexts-organisations",
        "professional-leadership",
    }
    assert domains["diversity-equality"]["could_fill"] == []
    parts = {gap["id"]: gap for gap in status["parts_gaps"]}
    assert set(parts) == set(framework("swe-cpd").ids())  # no CPD record claims any yet
    assert parts["4.8"]["could_fill"] == without_culture[::-1]  # newest first
    with_culture = reflect(journal, "2026-06-10", culture=4)
    status = json.loads(rbp("cpd status --year 2026 --json").stdout)
    assert "diversity-equality" not in {gap["id"] for gap in status["domain_gaps"]}
    assert with_culture in {gap["id"]: gap for gap in status["parts_gaps"]}["4.4"]["could_fill"]
    shown = rbp("cpd status --year 2026").stdout
    assert "Professional leadership" in shown and f"#{with_culture}" in shown


def test_add_from_reflections_with_the_guided_flow(rbp, journal: Journal) -> None:
    rid = reflect(journal, "2026-09-01")
    typed = (
        "\n".join(
            [
                "9",
                "1",
                "",
                "My plans were written for families, not with them.",
                "the 31st of Smarch",
                "",
                "",
                "I ask the young person first now.",
                "The plans are theirs.",
                "4.9",
                "",
                "n",
            ]
        )
        + "\n"
    )
    result = rbp(["cpd", "add", "--from", str(rid)], input=typed)
    assert result.exit_code == 0, result.stderr
    assert "Type one number from 1 to 8" in result.stderr  # "9" was asked again
    assert "4.9: the parts are 4.1" in result.stderr  # so was "4.9", with nothing lost
    assert "Cannot read the date 'the 31st of Smarch'" in result.stderr  # and the date
    record = json.loads(rbp("cpd show 1 --json").stdout)
    assert record["type"] == "reflective practice"
    assert record["title"].startswith("Met the family at home")  # pre-filled from what happened
    assert record["learnt"] == CORE_ANSWERS["answers"]["differently"]
    assert record["date"] == "2026-09-01"
    assert record["relevance"] == "My plans were written for families, not with them."
    assert "4.8" in record["standards"] and record["sources"][0]["reflection_id"] == rid


def test_invalid_records_are_refused_whole(rbp, answers_file, db_path: Path) -> None:
    for bad, words in (({**RECORD, "standards": ["4.9"]}, "4.9 not in Social Work England"),
                       ({**RECORD, "type": "nap"}, "choose one of"),
                       ({k: v for k, v in RECORD.items() if k != "learnt"}, "learnt: is missing")):  # fmt: skip
        result = rbp(["cpd", "add", "--answers", str(answers_file(bad))])
        assert result.exit_code == 1 and words in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert json.loads(rbp("cpd list --json").stdout) == []
    assert (
        rbp(["cpd", "add", "--from", "99", "--answers", str(answers_file(RECORD))]).exit_code == 1
    )
    assert rbp("cpd peer 7 --answers -", input=json.dumps(PEER)).exit_code == 1
    assert rbp("cpd show 7").exit_code == 1


def test_export_has_the_forms_fields_masked(rbp, answers_file) -> None:
    assert add_record(rbp, answers_file).exit_code == 0
    rbp("cpd peer 1 --answers -", input=json.dumps({**PEER, "name": "Sam Okafor"}))
    markdown = rbp("cpd export --format markdown --year 2026").stdout
    for label, value in (
        ("Type of CPD", "reflective practice"),
        ("Description of the activity", RECORD["title"]),
        ("Why it is relevant to me", "Plans for [client] were made about the young person, not with them."),
        ("Date", "2026-10-12"),
        ("What I learnt", "Asking the young person first changed who spoke. Mrs [name] rang from [phone]."),
        ("The impact on my practice and the people I work with",
         f"{RECORD['impact_practice']}\n\n{RECORD['impact_people']}"),
        ("What I learnt from discussing it with a peer",
         "With a senior practitioner on 2026-11-02: Whose voice leads a plan."),
        ("CPD standard parts met", "4.1 Feedback; 4.8 Values and ethics"),
        ("PCF domains", "Rights, justice and economic wellbeing"),
    ):  # fmt: skip
        assert f"**{label}**\n\n{value}\n" in markdown
    assert "07700" not in markdown and "Khan" not in markdown
    assert "Sam" not in markdown and "Okafor" not in markdown and "C-014" not in markdown
    document = json.loads(rbp("cpd export --format json --year 2026").stdout)
    (record,) = document["records"]
    assert record["standards"] == ["4.1", "4.8"] and record["peer"]["role"] == "senior practitioner"
    assert "[phone]" in record["learnt"] and "name" not in record["peer"]
    assert "Okafor" not in json.dumps(document)
    csv_text = rbp("cpd export --format csv --year 2026").stdout.splitlines()
    assert csv_text[0].startswith(
        "Type of CPD,Description of the activity,Why it is relevant to me,Date,What I learnt"
    )
    assert "[phone]" in csv_text[1]


def test_depth_of_reflection() -> None:
    assert cpd.depth("gibbs", {"description": 40, "feelings": 20}) == "descriptive"
    assert cpd.depth("core", {"what_happened": 30, "differently": 2}) == "descriptive"
    assert cpd.depth("core", {"what_happened": 30, "differently": 9}) == "past description"
    assert cpd.depth("journal", {"entry": 300}) == "free"
    assert cpd.depth_note(["descriptive", "descriptive", "past description"]) is not None
    assert cpd.depth_note(["descriptive", "past description", "past description"]) is None
    assert cpd.depth_note(["descriptive", "descriptive"]) is None  # too few to say


def test_review_notes_a_descriptive_period_gently(rbp, journal: Journal) -> None:
    today = dt.date.today().isoformat()
    for _ in range(3):
        reflect(journal, today, differently="Not sure.")
    report = json.loads(rbp("review --week --format json").stdout)
    assert report["depth_note"].startswith("3 of 3 reflections stayed with what happened")
    assert "stayed with describing" in rbp("show 1").stdout
    assert json.loads(rbp("show 1 --json").stdout)["depth"] == "descriptive"
    reflect(
        journal, today, differently="Ask the young person first, before the parents, every time."
    )
    reflect(journal, today, differently="Slow down when they seem guarded and name it kindly.")
    reflect(journal, today, differently="Check the plan in their own words before I leave.")
    assert json.loads(rbp("review --week --format json").stdout)["depth_note"] is None


PURGED = "The caravan by the canal had no heating that winter"


def test_purge_removes_the_words_from_the_file(
    rbp, journal: Journal, db_path: Path, answers_file
) -> None:
    old = reflect(journal, "2019-03-04", what_happened=PURGED)
    reflect(journal, "2026-03-04")
    journal.close()
    assert add_record(rbp, answers_file, old, date="2019-03-10").exit_code == 0
    wal = Path(f"{db_path}-wal")
    assert PURGED.encode() in db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    refused = rbp("purge --before 2020-01-01", input="n\n")
    assert refused.exit_code == 1 and "Delete 1 reflection from before 2020-01-01" in refused.stderr
    done = rbp("purge --before 2020-01-01 --keep-cpd --no-backup --yes")
    assert done.exit_code == 0, done.stderr
    assert "Purged 1 reflections and 0 CPD records" in done.stderr
    files = [db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")]
    assert all(PURGED.encode() not in f.read_bytes() for f in files if f.exists())
    assert json.loads(rbp("search caravan --json").stdout) == []
    assert [r["id"] for r in json.loads(rbp("list --json").stdout)] == [2]
    record = json.loads(rbp("cpd show 1 --json").stdout)  # kept, and says where it came from
    assert record["sources"][0]["reflection_id"] is None
    assert record["sources"][0]["session_date"] == "2019-03-04"
    assert open_journal(db_path).store.connection.integrity_check() == ["ok"]


def test_purge_without_keep_cpd_drops_records_built_only_from_purged(
    rbp, journal: Journal, answers_file
) -> None:
    old = reflect(journal, "2019-03-04")
    new = reflect(journal, "2026-03-04")
    journal.close()
    assert add_record(rbp, answers_file, old, date="2019-03-10").exit_code == 0
    assert add_record(rbp, answers_file, old, new).exit_code == 0
    result = rbp("purge --before 2020-01-01 --yes")
    assert result.exit_code == 0 and "Purged 1 reflections and 1 CPD records" in result.stderr
    assert "before-purge" in result.stderr  # a backup first
    assert [r["id"] for r in json.loads(rbp("cpd list --year 2026 --json").stdout)] == [2]
    assert rbp("cpd show 1").exit_code == 1


def test_peer_reflection_asked_in_the_terminal(rbp, answers_file) -> None:
    assert add_record(rbp, answers_file).exit_code == 0
    result = rbp("cpd peer 1", input="team manager\n\nWe looked at whose plan it was.\n\n")
    assert result.exit_code == 0, result.stderr
    peer = json.loads(rbp("cpd show 1 --json").stdout)["peer"]
    assert peer == {"role": "team manager", "date": dt.date.today().isoformat(),
                    "outcome": "We looked at whose plan it was.", "name": None}  # fmt: skip
