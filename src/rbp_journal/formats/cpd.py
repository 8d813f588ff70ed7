"""A year's CPD records in the form's shape: markdown, JSON and CSV. The markdown is escaped
like every markdown rbp writes, a field with nothing in it is left out, and CSV cells that a
spreadsheet would run are neutralised."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from rbp_journal.cpd_rules import FORM_FIELDS, RegistrationYear, form_values
from rbp_journal.formats.export import spreadsheet_cell
from rbp_journal.formats.markdown import escape, one_line
from rbp_journal.models.cpd import CpdRecord


def export_markdown(records: Sequence[CpdRecord], year: RegistrationYear) -> str:
    lines = [f"# CPD records, registration year {year.start} to {year.end}", ""]
    if not records:
        lines += ["No CPD records in this year.", ""]
    for record in records:
        values = form_values(record)
        lines += [f"## {record.date}: {escape(one_line(record.title))}", ""]
        for key, label in FORM_FIELDS:
            if values[key].strip():
                lines += [f"**{label}**", "", escape(values[key]), ""]
    return "\n".join(lines)


def export_json(records: Sequence[CpdRecord], year: RegistrationYear) -> str:
    document = {
        "format": "rbp-cpd",
        "version": 2,
        "year": {"start": year.start.isoformat(), "end": year.end.isoformat()},
        "records": [
            {"id": r.id, **{key: value for key, value in form_values(r).items() if key != "peer"},
             "impact_practice": r.impact_practice, "impact_people": r.impact_people,
             "standards": r.standards, "domains": r.domains,
             "peer": r.peer.model_dump(mode="json", exclude={"name"}) if r.peer else None}
            for r in records
        ],
    }  # fmt: skip
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def export_csv(records: Sequence[CpdRecord]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([label for _, label in FORM_FIELDS])
    for record in records:
        values = form_values(record)
        writer.writerow([spreadsheet_cell(values[key]) for key, _ in FORM_FIELDS])
    return buffer.getvalue()
