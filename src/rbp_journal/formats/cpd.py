"""A year's CPD records in the form's shape: markdown, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from rbp_journal.cpd_rules import FORM_FIELDS, RegistrationYear, form_values
from rbp_journal.models.cpd import CpdRecord


def export_markdown(records: Sequence[CpdRecord], year: RegistrationYear) -> str:
    lines = [f"# CPD records, registration year {year.start} to {year.end}", ""]
    if not records:
        lines += ["No CPD records in this year.", ""]
    for record in records:
        values = form_values(record)
        lines += [f"## {record.date}: {record.title}", ""]
        for key, label in FORM_FIELDS:
            lines += [f"**{label}**", "", values[key], ""]
    return "\n".join(lines)


def export_json(records: Sequence[CpdRecord], year: RegistrationYear) -> str:
    document = {
        "format": "rbp-cpd",
        "version": 1,
        "year": {"start": year.start.isoformat(), "end": year.end.isoformat()},
        "records": [
            {"id": r.id, **{key: value for key, value in form_values(r).items() if key != "peer"},
             "standards": r.standards, "domains": r.domains,
             "peer": r.peer.model_dump(mode="json") if r.peer else None}
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
        writer.writerow([values[key] for key, _ in FORM_FIELDS])
    return buffer.getvalue()
