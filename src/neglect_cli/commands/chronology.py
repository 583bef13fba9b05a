"""`neglect chronology add|import|show CASE`: a child's significant events over time, kept in the record store."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .history import STORE_HELP
from .options import force_option, format_option, out_option, redact_option

if TYPE_CHECKING:
    import datetime as dt

    from ..chronology import Entry
    from ..recordstore import RecordStore

app = typer.Typer(
    help="A child's chronology: significant events from every agency, kept in the record store.",
    no_args_is_help=True,
)


def register(command: Callable[..., Any]) -> None:
    """Attach the subcommands (wrapped by the CLI's error guard)."""
    command(app, "add")(add)
    command(app, "import")(import_csv)
    command(app, "show")(show)


class ChronologyFormat(StrEnum):
    terminal = "terminal"
    md = "md"
    markdown = "markdown"
    json = "json"
    html = "html"


BY_HELP = "Who is adding the entry (a worker's name or role), kept with it."


def add(
    case_ref: str = typer.Argument(..., metavar="CASE", help="The child's case reference."),
    date: str | None = typer.Option(None, "--date", help="When it happened: DD/MM/YYYY or YYYY-MM-DD."),
    category: str | None = typer.Option(None, "--category", help="What kind of event (see `chronology show --help`)."),
    agency: str | None = typer.Option(
        None, "--agency", help="The source agency (school, health visiting, police ...)."
    ),
    event: str | None = typer.Option(None, "--event", help="What happened."),
    impact: str | None = typer.Option(None, "--impact", help="The impact on the child."),
    by: str | None = typer.Option(None, "--by", help=BY_HELP),
    supersedes: int | None = typer.Option(None, "--supersedes", help="Correct entry #N: the new entry supersedes it."),
    reason: str | None = typer.Option(None, "--reason", help="Why entry #N is corrected (with --supersedes)."),
    store: str | None = typer.Option(None, "--store", help=STORE_HELP, show_default=False),
) -> None:
    """Add one entry. Asks for whatever is not given, on a terminal; a script gives every flag.
    Entries are never changed: a correction is a new entry that supersedes the old one (--supersedes N)."""
    from ..chronology import checked_entry
    from ..clock import today
    from ..errors import Problem, UserError
    from ..output import info
    from ..recordstore import check_case_ref, open_store

    check_case_ref(case_ref)
    if (supersedes is None) != (reason is None):
        raise UserError("a correction needs both --supersedes N and --reason")
    given = {"date": date, "category": category, "agency": agency, "event": event, "by": by}
    missing = [name for name, value in given.items() if value is None]
    if missing:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise UserError(
                "missing " + ", ".join(f"--{m}" for m in missing) + "; there is no terminal to ask, so give them all"
            )
        date, category, agency, event, impact, by = _ask(date, category, agency, event, impact, by)
    assert date is not None and category is not None and agency is not None and event is not None and by is not None
    entry, problems = checked_entry(
        date=date,
        category=category,
        source_agency=agency,
        event=event,
        impact=impact or "",
        added_by=by,
        today=today(),
        supersedes=supersedes,
        reason=reason,
    )
    if entry is None:
        flags = {"source agency": "--agency", "impact on the child": "--impact", "added by": "--by"}
        raise UserError([Problem(msg, file="command line", field=flags.get(f, f"--{f}")) for f, msg in problems])
    opened = open_store(store)
    try:
        (new_id,), _ = opened.add_entries(case_ref, [entry])
    finally:
        opened.close()
    note = f", superseding #{supersedes} (both are kept)" if supersedes is not None else ""
    info(f"entry #{new_id} added to the chronology of case {case_ref}{note}")


def _ask(
    date: str | None,
    category: str | None,
    agency: str | None,
    event: str | None,
    impact: str | None,
    by: str | None,
) -> tuple[str, str, str, str, str, str]:
    """Ask on the terminal for what was not given on the command line."""
    import questionary

    from ..chronology import AUTOMATIC, CATEGORIES, MAX_LINE, MAX_TEXT, parse_date, text_problem
    from ..clock import today

    def valid_date(text: str) -> bool | str:
        try:
            parse_date(text, today())
        except ValueError as exc:
            return str(exc)
        return True

    def valid(limit: int, *, required: bool = True) -> Callable[[str], bool | str]:
        def check(text: str) -> bool | str:
            if required and not text.strip():
                return "please give this"
            return text_problem(text, multiline=False, limit=limit) or True

        return check

    if date is None:
        date = questionary.text("Date (DD/MM/YYYY or YYYY-MM-DD):", validate=valid_date).unsafe_ask()
    if category is None:
        choices = [questionary.Choice(label, value=cid) for cid, label in CATEGORIES.items() if cid != AUTOMATIC]
        category = questionary.select("Category:", choices=choices).unsafe_ask()
    if agency is None:
        agency = questionary.text("Source agency:", validate=valid(MAX_LINE)).unsafe_ask()
    if event is None:
        event = questionary.text("What happened:", validate=valid(MAX_TEXT)).unsafe_ask()
    if impact is None:
        impact = questionary.text(
            "Impact on the child (Enter if not known):", validate=valid(MAX_TEXT, required=False)
        ).unsafe_ask()
    if by is None:
        by = questionary.text("Added by (your name or role):", validate=valid(MAX_LINE)).unsafe_ask()
    return str(date), str(category), str(agency), str(event), str(impact or ""), str(by)


def import_csv(
    case_ref: str = typer.Argument(..., metavar="CASE", help="The child's case reference."),
    file: Path = typer.Argument(
        ...,
        metavar="FILE.csv",
        help="A CSV file (UTF-8) with a header row: date, source agency, event, impact on the child, category.",
    ),
    by: str = typer.Option(..., "--by", help=BY_HELP),
    store: str | None = typer.Option(None, "--store", help=STORE_HELP, show_default=False),
) -> None:
    """Add every row of a CSV file, all or nothing: one bad row (a date, a category, a cell a spreadsheet
    would read as a formula) and nothing is imported. Rows already in the chronology are skipped."""
    from ..chronology import read_csv, text_problem
    from ..clock import today
    from ..errors import UserError
    from ..output import info
    from ..recordstore import check_case_ref, open_store

    check_case_ref(case_ref)
    problem = text_problem(by, multiline=False, limit=200)
    if problem:
        raise UserError(problem, file="--by")
    entries = read_csv(file, added_by=by, today=today())
    opened = open_store(store)
    try:
        added, skipped = opened.add_entries(case_ref, entries)
    finally:
        opened.close()
    info(
        f"{len(added)} entr{'y' if len(added) == 1 else 'ies'} added to the chronology of case {case_ref}"
        + (f"; {skipped} already there, skipped" if skipped else "")
    )


def show(
    case_ref: str = typer.Argument(..., metavar="CASE", help="The child's case reference."),
    fmt: ChronologyFormat | None = format_option(
        None, "terminal (default), markdown, json or html (from --out's suffix when not given)."
    ),
    out: Path | None = out_option("Write to this file (0600) instead of printing it."),
    force: bool = force_option("Replace an existing --out file."),
    redact: bool = redact_option("Leave out the free text (event, impact, reasons)."),
    all_entries: bool = typer.Option(False, "--all", help="Show superseded entries too (marked)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Count up to this date (YYYY-MM-DD; default today)."),
    training: bool = typer.Option(False, "--training", help="Include assessments of scripted training cases."),
    store: str | None = typer.Option(None, "--store", help=STORE_HELP, show_default=False),
) -> None:
    """The child's chronology, oldest first, with every assessment in the store added by itself; the
    number of appointments the child was not brought to in the last 12 months, and the first concern.
    Categories: not-brought, missed-home-visit, referral, neglect-referral (a referral to children's social
    care for neglect), plan-started, plan-ended, cp-plan-started-CATEGORY and cp-plan-ended-CATEGORY (a child
    protection plan, CATEGORY one of neglect, emotional-abuse, physical-abuse, sexual-abuse: one entry for
    each category of a plan under several), school-exclusion, school-absence, missing-episode, injury,
    police-call-out, housing-move, change-of-worker, other."""

    from ..chronology import redacted, summary
    from ..clock import today
    from ..dates import date_option
    from ..recordstore import check_case_ref, open_store

    check_case_ref(case_ref)
    if fmt is None:
        suffixes = {".html": "html", ".htm": "html", ".md": "md", ".json": "json"}
        fmt = ChronologyFormat(suffixes.get(out.suffix.lower(), "terminal") if out is not None else "terminal")
    when = date_option("--as-of", as_of) if as_of else today()  # YYYY-MM-DD or DD/MM/YYYY, as every date
    opened = open_store(store, create=False)
    try:
        entries = case_timeline(opened, case_ref, training=training, include_superseded=all_entries)
    finally:
        opened.close()
    facts = summary(entries, when)
    if redact:
        entries = redacted(entries)
    text = render(case_ref, entries, facts, when, fmt)
    if out is None or str(out) == "-":  # `-o -` is standard output, as for `report`
        sys.stdout.write(text)
        return
    from ..output import info
    from ..store import atomic_write

    atomic_write(out, text, force=force)
    info(f"chronology written: {out} (0600)" + (", redacted" if redact else ""))


def render(case_ref: str, entries: list[Entry], facts: Any, when: dt.date, fmt: ChronologyFormat) -> str:
    from ..render import chronology as view

    if fmt is ChronologyFormat.json:
        return view.chronology_json(case_ref, entries, facts, when)
    if fmt in (ChronologyFormat.md, ChronologyFormat.markdown):
        return view.chronology_markdown(case_ref, entries, facts, when)
    if fmt is ChronologyFormat.html:
        return view.chronology_html(case_ref, entries, facts, when)
    import shutil

    return view.chronology_text(case_ref, entries, facts, when, shutil.get_terminal_size((80, 24)).columns)


def case_timeline(
    opened: RecordStore, case_ref: str, *, training: bool, include_superseded: bool = False
) -> list[Entry]:
    """A child's chronology entries and stored assessments (records in force), oldest first."""
    from ..chronology import assessment_entry, timeline

    stored = opened.chronology(case_ref)
    assessments = []
    for row in opened.history_rows(case_ref, training=training):
        if row["superseded_by"]:
            continue
        tool = opened.rows.tool_of({"tool": {"id": row["tool_id"], "version": row["tool_version"]}})
        rank = None
        if tool is not None:
            rank = next((n for n, band in enumerate(tool.bands) if band.id == row["final_band"]), None)
        assessments.append(assessment_entry({**row, "final_rank": rank}, len(tool.bands) if tool is not None else None))
    return timeline(stored, assessments, include_superseded=include_superseded)
