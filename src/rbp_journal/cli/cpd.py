"""`rbp cpd …` (CPD records from reflections) and `rbp purge` (retention)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from rbp_journal.cli import common

if TYPE_CHECKING:
    from rbp_journal.cpd import CpdInput, Peer, RegistrationYear
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
    typer.Option(help="The registration year, by the year it ends in (default: the current one)."),
]
AnswersFile = Annotated[
    str | None,
    typer.Option("--answers", metavar="FILE|-", help="The record as JSON, for scripts."),
]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="cpd")
    root.command(
        "purge",
        epilog="Examples:\n\n  rbp purge --before 2019-12-01 --keep-cpd\n\n"
        "  rbp purge --before '7 years ago' --yes",
    )(purge)


def _year(year: int | None) -> RegistrationYear:
    from rbp_journal.cpd import RegistrationYear

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
    from rbp_journal import cpd

    j = common.journal()
    if answers is not None:
        record = cpd.parse(cpd.CpdInput, common.read_answers(answers), answers)
        if sources:
            record = record.model_copy(update={"sources": sorted({*record.sources, *sources})})
    else:
        record = _guided(j, sources or [])
    cid = j.cpd_add(record)
    common.say(f"Saved CPD record #{cid}.", style="green")
    typer.echo(cid)


def _guided(j: Journal, sources: list[int]) -> CpdInput:
    """The short flow: each answer pre-filled where the reflections say it (Enter keeps it)."""
    import json

    from rbp_journal import cpd, dates
    from rbp_journal.cli import ask

    start = j.cpd_prefill(sources)
    common.say("A CPD record. Enter keeps what is in [brackets].", style="bold")
    for number, kind in enumerate(cpd.ACTIVITY_TYPES, start=1):
        common.say(f"  {number}  {kind}")
    kind_number = _pick(
        "Type of activity", len(cpd.ACTIVITY_TYPES), default=2 if not sources else 1
    )
    title = _text("Describe it in a line", start.title)
    when = dates.parse(_text("When", start.date.isoformat()), dt.date.today())
    learnt = _text("What did you learn", start.learnt)
    impact_practice = _text("What difference does it make to your practice", "")
    impact_people = _text("And to the people you work with", "")
    for part in cpd.framework("swe-cpd").parts:
        common.say(f"  {part.id}  {part.title}: {part.description}")
    standards = _standards(" ".join(start.standards))
    data: dict[str, object] = {
        "type": cpd.ACTIVITY_TYPES[kind_number - 1], "title": title, "date": when.isoformat(),
        "learnt": learnt, "impact_practice": impact_practice, "impact_people": impact_people,
        "standards": standards.replace(",", " ").split(), "domains": start.domains, "from": sources,
    }  # fmt: skip
    if ask.yes("Did you talk it through with a peer?"):
        data["peer"] = _peer_answers().model_dump(mode="json")
    return cpd.parse(cpd.CpdInput, json.dumps(data), "the record")


def _standards(suggested: str) -> str:
    """Standard parts, asked again (not lost at the end) until each one is known."""
    from rbp_journal import cpd

    known = cpd.framework("swe-cpd").ids()
    while True:
        typed = _text("Which standard parts does it meet (e.g. 4.2 4.6)", suggested)
        unknown = [part for part in typed.replace(",", " ").split() if part not in known]
        if not unknown:
            return typed
        common.say(f"{', '.join(unknown)}: the parts are {', '.join(known)}.", style="yellow")


def _text(question: str, default: str) -> str:
    from rbp_journal.cli import ask

    shown = f" [{default[:70]}{'…' if len(default) > 70 else ''}]" if default else ""
    while True:
        typed = ask.line(f"{question}?{shown} ").strip()
        if typed or default:
            return typed or default
        common.say("A sentence is enough.", style="yellow")


def _pick(question: str, count: int, default: int) -> int:
    from rbp_journal.cli import ask

    while True:
        typed = ask.line(f"{question} [1-{count}, Enter for {default}]: ").strip()
        if not typed:
            return default
        if typed.isdigit() and 1 <= int(typed) <= count:
            return int(typed)
        common.say(f"Type one number from 1 to {count}.", style="yellow")


def _peer_answers() -> Peer:
    from rbp_journal import dates
    from rbp_journal.cpd import Peer

    role = _text("The peer's role (e.g. senior practitioner, team manager)", "")
    when = dates.parse(_text("When did you talk", "today"), dt.date.today())
    outcome = _text("What came out of it", "")
    from rbp_journal.cli import ask

    name = ask.line("Their name, only if they want it recorded (Enter to leave out): ").strip()
    return Peer(role=role, date=when, outcome=outcome, name=name or None)


@app.command("peer", epilog="Examples:\n\n  rbp cpd peer 3\n\n  rbp cpd peer 3 --answers peer.json")
def peer(
    cid: Annotated[int, typer.Argument(metavar="ID", help="The CPD record (`rbp cpd list`).")],
    answers: AnswersFile = None,
) -> None:
    """Record the peer reflection on a CPD record: their role, when, what came of it."""
    j = common.journal()
    j.cpd_record(cid)  # an unknown id is said before any question
    if answers is not None:
        from rbp_journal import cpd

        given = cpd.parse(cpd.Peer, common.read_answers(answers), answers)
    else:
        given = _peer_answers()
    j.cpd_peer(cid, given)
    common.say(f"Peer reflection added to CPD record #{cid}.", style="green")


@app.command("list", epilog="Examples:\n\n  rbp cpd list\n\n  rbp cpd list --year 2025 --json")
def list_records(
    year: Year = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
) -> None:
    """List the CPD records of a registration year."""
    period = _year(year)
    records = common.journal().cpd_records(period)
    if as_json:
        common.print_json([r.model_dump(mode="json") for r in records])
        return
    if not records:
        common.say(f"No CPD records between {period.start} and {period.end}.")
    for r in records:
        peer = " · peer reflection" if r.peer else ""
        common.out().print(
            f"#{r.id}  {r.date}  {r.type}: {r.title[:60]}  [{', '.join(r.standards)}]{peer}",
            markup=False,
        )


@app.command("show", epilog="Example:\n\n  rbp cpd show 3")
def show(
    cid: Annotated[int, typer.Argument(metavar="ID", help="The CPD record (`rbp cpd list`).")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
) -> None:
    """Show one CPD record, field by field as the form asks."""
    from rbp_journal import cpd

    record = common.journal().cpd_record(cid)
    if as_json:
        common.print_json(record.model_dump(mode="json"))
        return
    values = cpd.form_values(record)
    for key, label in cpd.FORM_FIELDS:
        common.out().print(f"{label}:", style="bold")
        common.out().print(f"  {values[key]}", markup=False)
    built = ", ".join(
        f"#{s.reflection_id}" if s.reflection_id else f"{s.session_date} (purged)"
        for s in record.sources
    )
    if built:
        common.out().print(f"Built from reflections {built}", style="dim", markup=False)


@app.command("status", epilog="Examples:\n\n  rbp cpd status\n\n  rbp cpd status --json")
def status(
    year: Year = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
) -> None:
    """Where you stand this registration year: records, peer reflection, gaps and what fills them."""
    from dataclasses import asdict

    report = common.journal().cpd_status(_year(year), dt.date.today())
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


@app.command(
    "export",
    epilog="Examples:\n\n  rbp cpd export --format markdown > cpd.md\n\n  rbp cpd export --format csv --year 2025 --output cpd-2025.csv",
)
def export(
    fmt: Annotated[str, typer.Option("--format", help="markdown, json or csv.")] = "markdown",
    year: Year = None,
    output: Annotated[str | None, typer.Option(help="A file to write (default stdout).")] = None,
) -> None:
    """Export a year's CPD records in the form's shape, identifying details masked."""
    from rbp_journal import cpd
    from rbp_journal.errors import UsageError

    if fmt not in {"markdown", "json", "csv"}:
        raise UsageError(f"--format {fmt!r} is not one of markdown, json, csv.")
    period = _year(year)
    records = common.journal().cpd_records(period, redact=True)
    text = {
        "markdown": lambda: cpd.export_markdown(records, period),
        "json": lambda: cpd.export_json(records, period),
        "csv": lambda: cpd.export_csv(records),
    }[fmt]()
    with common.output(output) as out:
        out.write(text)


def purge(
    before: Annotated[str, typer.Option(help="Delete reflections from before this date.")],
    keep_cpd: Annotated[
        bool, typer.Option("--keep-cpd", help="Keep CPD records built from them.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
    no_backup: Annotated[
        bool, typer.Option("--no-backup", help="Do not copy the journal first.")
    ] = False,
) -> None:
    """Delete old reflections for good: overwritten, and the file compacted."""
    from rbp_journal import dates
    from rbp_journal.cli import ask

    day = dates.parse(before, dt.date.today())
    j = common.journal()
    count = j.purge_count(day)
    if not count:
        common.say(f"No reflections from before {day}; nothing to purge.")
        return
    kept = "kept" if keep_cpd else "deleted too when built only from them"
    if not yes:
        ask.confirm(
            f"Delete {count} reflection{'s' if count != 1 else ''} from before {day} for good "
            f"(CPD records {kept})?"
        )
    reflections, records, copy = j.purge(day, keep_cpd=keep_cpd, backup=not no_backup)
    common.say(f"Purged {reflections} reflections and {records} CPD records.", style="green")
    if copy is not None:
        common.say(
            f"A copy from before the purge is in {copy}; delete it when you no longer need it."
        )
    common.say("Older daily backups still hold the purged words; `rbp doctor` lists them.")
