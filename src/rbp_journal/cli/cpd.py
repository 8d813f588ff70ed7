"""`rbp cpd …`: CPD records built from reflections, for the registration year."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from rbp_journal import dates
from rbp_journal.cli import ask, common, files
from rbp_journal.cpd_rules import FORM_FIELDS, RegistrationYear, form_values
from rbp_journal.errors import BadDate
from rbp_journal.formats import cpd as cpd_formats
from rbp_journal.formats.answers import read_model
from rbp_journal.models.cpd import ACTIVITY_TYPES, CpdInput, Peer, framework

if TYPE_CHECKING:
    from rbp_journal.journal import Journal

app = typer.Typer(
    help="CPD records for your registration: built from reflections, ready to paste.",
    no_args_is_help=True,
    rich_markup_mode=None,
    epilog="Examples:\n\n  rbp cpd status\n\n  rbp cpd add --from 12 --from 15\n\n"
    "  rbp cpd export --format markdown > cpd-2026.md",
)
Year = Annotated[
    int | None,
    typer.Option(
        min=2,  # a year runs from 1 December of the year before: year 1 has none
        max=9999,
        help="The registration year, by the year it ends in (default: the current one).",
    ),
]
AnswersFile = Annotated[
    str | None,
    typer.Option("--answers", metavar="FILE|-", help="The record as JSON, for scripts."),
]


def _year(year: int | None) -> RegistrationYear:
    return RegistrationYear(year) if year else RegistrationYear.of(dt.date.today())


@app.command(
    "add",
    epilog="Examples:\n\n  rbp cpd add --from 12 --from 15\n\n  rbp cpd add --answers record.json",
)
def add(
    sources: Annotated[
        list[int] | None,
        typer.Option("--from", metavar="ID", help="A reflection it builds on (repeatable)."),
    ] = None,
    answers: AnswersFile = None,
) -> None:
    """Record a piece of CPD, pre-filled from the reflections it builds on."""
    j = common.journal(create=True)
    if answers is not None:
        record = read_model(CpdInput, _read(answers), f"The record in {_name(answers)}")
        if sources:
            record = record.model_copy(update={"sources": sorted({*record.sources, *sources})})
    else:
        record = _guided(j, sources or [])
    cid = j.cpd.add(record)
    common.say(f"Saved CPD record #{cid}.", style="green")
    typer.echo(cid)


def _guided(j: Journal, sources: list[int]) -> CpdInput:
    """The short flow: each answer pre-filled where the reflections say it (Enter keeps it)."""
    start = j.cpd.prefill(sources)
    common.say("A CPD record. Enter keeps what is in [brackets].", style="bold")
    for number, kind in enumerate(ACTIVITY_TYPES, start=1):
        common.say(f"  {number}  {kind}")
    kind_number = _pick("Type of activity", len(ACTIVITY_TYPES), default=2 if not sources else 1)
    title = _text("Describe it in a line", start.title)
    relevance = _text("Why is it relevant to you", "")
    when = _day("When", start.date.isoformat())
    learnt = _text("What did you learn", start.learnt)
    impact_practice = _text("What difference does it make to your practice", "")
    impact_people = _text("And to the people you work with", "")
    for part in framework("swe-cpd").parts:
        common.say(f"  {part.id}  {part.title}: {part.description}")
    standards = _standards(" ".join(start.standards))
    data: dict[str, object] = {
        "type": ACTIVITY_TYPES[kind_number - 1], "title": title, "relevance": relevance,
        "date": when.isoformat(),
        "learnt": learnt, "impact_practice": impact_practice, "impact_people": impact_people,
        "standards": standards.replace(",", " ").split(), "domains": start.domains, "from": sources,
    }  # fmt: skip
    if ask.yes("Did you talk it through with a peer?"):
        data["peer"] = _peer_answers().model_dump(mode="json")
    return read_model(CpdInput, json.dumps(data), "The record")


def _standards(suggested: str) -> str:
    """Standard parts, asked again (not lost at the end) until each one is known."""
    known = framework("swe-cpd").ids()
    while True:
        typed = _text("Which standard parts does it meet (e.g. 4.2 4.6)", suggested)
        unknown = [part for part in typed.replace(",", " ").split() if part not in known]
        if not unknown:
            return typed
        common.say(f"{', '.join(unknown)}: the parts are {', '.join(known)}.", style="yellow")


def _text(question: str, default: str) -> str:
    shown = f" [{default[:70]}{'…' if len(default) > 70 else ''}]" if default else ""
    while True:
        typed = ask.line(f"{question}?{shown} ").strip()
        if typed or default:
            return typed or default
        common.say("A sentence is enough.", style="yellow")


def _day(question: str, default: str) -> dt.date:
    """A date, asked again (not lost at the end) until it reads."""
    while True:
        try:
            return dates.parse(_text(question, default), dt.date.today())
        except BadDate as error:
            common.say(str(error), style="yellow")


def _pick(question: str, count: int, default: int) -> int:
    while True:
        typed = ask.line(f"{question} [1-{count}, Enter for {default}]: ").strip()
        if not typed:
            return default
        if typed.isdigit() and 1 <= int(typed) <= count:
            return int(typed)
        common.say(f"Type one number from 1 to {count}.", style="yellow")


def _peer_answers() -> Peer:
    role = _text("The peer's role (e.g. senior practitioner, team manager)", "")
    when = _day("When did you talk", "today")
    outcome = _text("What came out of it", "")
    name = ask.line("Their name, only if they want it recorded (Enter to leave out): ").strip()
    return Peer(role=role, date=when, outcome=outcome, name=name or None)


@app.command("peer", epilog="Examples:\n\n  rbp cpd peer 3\n\n  rbp cpd peer 3 --answers peer.json")
def peer(
    cid: Annotated[int, typer.Argument(metavar="ID", help="The CPD record (`rbp cpd list`).")],
    answers: AnswersFile = None,
) -> None:
    """Record the peer reflection on a CPD record: their role, when, what came of it."""
    j = common.journal()
    j.cpd.record(cid)  # an unknown id is said before any question
    if answers is not None:
        given = read_model(Peer, _read(answers), f"The peer reflection in {_name(answers)}")
    else:
        given = _peer_answers()
    j.cpd.peer(cid, given)
    common.say(f"Peer reflection added to CPD record #{cid}.", style="green")


@app.command("list", epilog="Examples:\n\n  rbp cpd list\n\n  rbp cpd list --year 2025 --json")
def list_records(
    year: Year = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
) -> None:
    """List the CPD records of a registration year."""
    period = _year(year)
    records = common.journal().cpd.records(period)
    if as_json:
        common.print_json([r.model_dump(mode="json") for r in records])
        return
    if not records:
        common.say(f"No CPD records between {period.start} and {period.end}.")
    for r in records:
        peer = " · peer reflection" if r.peer else ""
        common.show(
            f"#{r.id}  {r.date}  {r.type}: {r.title[:60]}  [{', '.join(r.standards)}]{peer}"
        )


@app.command("show", epilog="Example:\n\n  rbp cpd show 3")
def show(
    cid: Annotated[int, typer.Argument(metavar="ID", help="The CPD record (`rbp cpd list`).")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
) -> None:
    """Show one CPD record, field by field as the form asks."""
    record = common.journal().cpd.record(cid)
    if as_json:
        common.print_json(record.model_dump(mode="json"))
        return
    values = form_values(record)
    for key, label in FORM_FIELDS:
        if values[key].strip():
            common.show(f"{label}:", style="bold")
            common.show(f"  {values[key]}")
    if record.peer and record.peer.name:
        common.show(f"Peer's name (kept here, never exported): {record.peer.name}", style="dim")
    built = ", ".join(
        f"#{s.reflection_id}" if s.reflection_id else f"{s.session_date} (purged)"
        for s in record.sources
    )
    if built:
        common.show(f"Built from reflections {built}", style="dim")


@app.command("status", epilog="Examples:\n\n  rbp cpd status\n\n  rbp cpd status --json")
def status(
    year: Year = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
) -> None:
    """Where you stand this registration year: records, peer reflection, gaps and what fills them."""
    report = common.journal().cpd.status(_year(year), dt.date.today())
    if as_json:
        common.print_json({**asdict(report), "needs": report.needs} | {
            "start": report.start.isoformat(), "end": report.end.isoformat()})  # fmt: skip
        return
    out = common.out()
    out.print(
        f"Registration year {report.start} to {report.end}: {report.days_left} days left.",
        style="bold",
    )
    out.print(
        f"CPD records: {report.records} (two needed) · with peer reflection: {report.with_peer} (one needed) · reflections this year: {report.reflections}"
    )
    for need in report.needs:
        out.print(f"  Still to do: {need}", style="yellow", markup=False)
    for heading, gaps in (("Standard parts with no CPD record yet", report.parts_gaps),
                          ("Capability domains with no evidence yet", report.domain_gaps)):  # fmt: skip
        out.print()
        out.print(heading if gaps else f"{heading}: none.", style="bold")
        for gap in gaps:
            could = ", ".join(f"#{rid}" for rid in gap.could_fill)
            fill = f"reflections that could fill it: {could}" if could else "no reflection yet"
            out.print(f"  {gap.id} {gap.title} · {fill}", markup=False)
            out.print(f"      {gap.description}", style="dim", markup=False, soft_wrap=True)


class CpdFormat(StrEnum):
    markdown = "markdown"
    json = "json"
    csv = "csv"


def _read(source: str) -> str:
    return common.read_text(source, "the answers file")


def _name(source: str) -> str:
    return "stdin" if source == "-" else source


@app.command(
    "export",
    epilog="Examples:\n\n  rbp cpd export --format markdown > cpd.md\n\n  rbp cpd export --format csv --year 2025 --output cpd-2025.csv",
)
def export(
    fmt: Annotated[CpdFormat, typer.Option("--format", help="What to write.")] = CpdFormat.markdown,
    year: Year = None,
    output: Annotated[str | None, typer.Option(help="A file to write (default stdout).")] = None,
) -> None:
    """Export a year's CPD records in the form's shape, identifying details masked."""
    period = _year(year)
    records = common.journal().cpd.records(period, redact=True)
    text = {
        CpdFormat.markdown: lambda: cpd_formats.export_markdown(records, period),
        CpdFormat.json: lambda: cpd_formats.export_json(records, period),
        CpdFormat.csv: lambda: cpd_formats.export_csv(records),
    }[fmt]()
    with files.output(output) as out:
        out.write(text)
