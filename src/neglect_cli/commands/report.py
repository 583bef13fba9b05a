"""`neglect report`: a record as a summary people read — on the terminal, in Markdown, or as printable HTML."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .options import force_option, format_option, out_option, redact_option

if TYPE_CHECKING:
    from ..record import LoadedRecord, Record
    from ..render.planview import SignoffView
    from ..render.view import ChronologySection
    from ..toolfiles import ToolSource


class Audience(StrEnum):
    practitioner = "practitioner"
    family = "family"


class ReportFormat(StrEnum):
    terminal = "terminal"
    md = "md"
    html = "html"


SUFFIX_FORMATS = {
    ".md": ReportFormat.md,
    ".markdown": ReportFormat.md,
    ".html": ReportFormat.html,
    ".htm": ReportFormat.html,
}


def report(
    record: Path = typer.Argument(
        ...,
        help="A record file (JSON) written by `neglect assess` or `neglect score --out`; or a case ref in the "
        "record store (its latest assessment).",
    ),
    fmt: ReportFormat | None = format_option(
        None,
        "terminal (default), md or html. With --out, guessed from the file's suffix when not given.",
    ),
    out: Path | None = out_option("Write the report to this file (0600) instead of printing it."),
    redact: bool = redact_option(),
    force: bool = force_option("Replace an existing --out file."),
    training: bool = typer.Option(False, "--training", help="With a case ref: include training records."),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="The report's date (YYYY-MM-DD or DD/MM/YYYY; default today): a plan action past its date with no "
        "review yet shows as overdue.",
    ),
    audience: Audience = typer.Option(
        Audience.practitioner,
        "--for",
        help="practitioner (default), or family: a plain-language copy for parents and carers (what is going well, "
        "the worries, what will happen and by when; no scores or levels).",
    ),
) -> None:
    """Show a record as a report: domain profile, level of need, escalations, the child's voice, reflection."""
    from ..assessments import is_case_ref, later_review, stored_assessments
    from ..clock import today
    from ..dates import date_option
    from ..output import info, warn
    from ..record import LoadedRecord, load_record, verify_record
    from ..render import report_text, show_record
    from ..render.planview import PlanProgress
    from ..toolfiles import find_record_tool

    dash = out is not None and str(out) == "-"
    out = _stdout_if_dash(out)  # `-o -` means standard output, as everywhere else
    if is_case_ref(record):
        latest = stored_assessments(str(record), training=training)[-1]
        loaded = LoadedRecord(record=latest.record, path=latest.file, raw={})
        problems = latest.integrity_problems  # verify's checks, made when the store was read
        signed = None
        chronology = _chronology(str(record), training=training, redact=redact)
        reviewed = None  # the latest assessment: no later one has reviewed its plan
    else:
        loaded = load_record(record)
        problems = verify_record(loaded, missing_tool_ok=True)  # what `neglect verify` would find, said up front
        signed = _signoff_beside(record, loaded, redact=redact)
        chronology = None
        reviewed = later_review(record, loaded.record.integrity.sha256) if loaded.record.plan is not None else None
    progress = PlanProgress(as_of=date_option("--as-of", as_of) if as_of else today(), review=reviewed)
    for problem in problems:
        warn(f"{loaded.path}: {problem}; the report is marked as unreliable (check it with `neglect verify`)")
    source = find_record_tool(loaded.record.tool.id, loaded.record.tool.version)
    if source is None:
        warn(f"{loaded.path}: tool {loaded.record.tool.ref} is not available here; bands are shown by id")
    if fmt is None:
        fmt = (
            SUFFIX_FORMATS.get(out.suffix.lower(), ReportFormat.terminal) if out is not None else ReportFormat.terminal
        )
    if out is None and fmt is ReportFormat.html and not dash and sys.stdout.isatty():
        from ..output import refuse_html_on_terminal

        refuse_html_on_terminal(_html_name(record, loaded.record))
    if audience is Audience.family:
        _family_copy(loaded, source, fmt, out, redact=redact, force=force)
        return
    if out is None:
        show_record(
            loaded.record,
            fmt.value,
            source=source,
            redact=redact,
            integrity_problems=problems,
            signoff=signed,
            chronology=chronology,
            progress=progress,
        )
        return
    from ..store import atomic_write

    text = report_text(
        loaded.record,
        fmt.value,
        source=source,
        redact=redact,
        integrity_problems=problems,
        signoff=signed,
        chronology=chronology,
        progress=progress,
    )
    atomic_write(out, text, force=force)
    info(f"report written: {out} (0600)" + (", redacted" if redact else ""))
    if fmt is ReportFormat.html and sys.stderr.isatty():
        info("open it in a browser and print to PDF (A4) for a conference or a case file")


def _family_copy(
    loaded: LoadedRecord, source: ToolSource | None, fmt: ReportFormat, out: Path | None, *, redact: bool, force: bool
) -> None:
    """`--for family`: the plain-language copy, printed or written (0600)."""
    from ..output import info
    from ..render.family import family_report
    from ..render.view import redacted

    tool = source.tool if source is not None else None
    record = redacted(loaded.record, tool) if redact else loaded.record
    text = family_report(record, tool, fmt.value)
    if out is None:
        sys.stdout.write(text)
        return
    from ..store import atomic_write

    atomic_write(out, text, force=force)
    info(f"family copy written: {out} (0600)" + (", redacted" if redact else ""))


def _chronology(case_ref: str, *, training: bool, redact: bool) -> ChronologySection | None:
    """The child's chronology from the store, to show beside the report (None when it has no entries)."""
    from ..chronology import AUTOMATIC, redacted, summary
    from ..clock import today
    from ..recordstore import open_store
    from ..render.chronology import report_section
    from .chronology import case_timeline

    opened = open_store(create=False)
    try:
        entries = case_timeline(opened, case_ref, training=training)
    finally:
        opened.close()
    if all(e.category == AUTOMATIC for e in entries):
        return None  # assessments alone: `neglect history` lists them
    when = today()
    facts = summary(entries, when)
    return report_section(redacted(entries) if redact else entries, facts, when)


def _signoff_beside(path: Path, loaded: LoadedRecord, *, redact: bool) -> SignoffView | None:
    """The supervisor's sign-off beside the record file, with whatever verify finds wrong with it."""
    from ..errors import UserError
    from ..output import warn
    from ..render.planview import signoff_view
    from ..signoff import addendum_problems, find_addendum

    try:
        found = find_addendum(path)
    except UserError as exc:
        warn(f"the sign-off beside {loaded.path} cannot be read: {exc.problems[0].message}")
        return None
    if found is None:
        return None
    return signoff_view(found.addendum, addendum_problems(found, loaded.record), redact=redact)


def _html_name(given: Path, record: Record) -> str:
    """Where to suggest writing the HTML: beside a record file, or named after the case and date."""
    import re
    import shlex

    if given.is_file():
        return shlex.quote(str(given.with_suffix(".html")))
    ref = re.sub(r"[^A-Za-z0-9._-]", "_", record.case.ref)[:64]  # a name a shell and a file system take
    return f"{ref}_{record.case.assessed_on.isoformat()}.html"


def _stdout_if_dash(out: Path | None) -> Path | None:
    return None if out is not None and str(out) == "-" else out
