"""`neglect trend`: one child's assessments over time, with drift and delay, relapse and persistent escalations."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .options import deprecated_alias, force_option, format_option, mixed_cases_option, out_option, redact_option

if TYPE_CHECKING:
    import datetime as dt

    from ..chronology import Entry
    from ..plandrift import PlanDrift
    from ..trending import Trend


class TrendFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    md = "md"
    html = "html"


def trend(
    records: list[Path] = typer.Argument(
        ..., help="Record files (JSON), or folders of them; or one case ref in the record store."
    ),
    fmt: TrendFormat | None = format_option(
        None, "terminal (default), json, md or html (from --out's suffix when not given)."
    ),
    out: Path | None = out_option("Write to this file (0600) instead of printing it."),
    force: bool = force_option("Replace an existing --out file."),
    redact: bool = redact_option("Leave out the chronology's free text (events, impact)."),
    mixed_cases: bool = mixed_cases_option("Show records of different cases together (under a warning)."),
    replace: bool = deprecated_alias("--replace"),
    training: bool = typer.Option(False, "--training", help="With a case ref: include training records."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="The date plan drift is judged on (actions overdue, sign-off waiting); default today."
    ),
) -> None:
    """Order the records of one case by date and show each domain over time, with drift, relapse and persistence."""
    from ..assessments import (
        band_order,
        expand_records,
        is_case_ref,
        item_names,
        lineage_of,
        plan_drift_as_of,
        read_assessment,
        stored_assessments,
    )
    from ..errors import UserError
    from ..trending import trend as build_trend
    from .options import deprecated

    if replace:  # trend's own spelling in 0.1.0: the same meaning, so old scripts do what they did
        deprecated("--replace", "--force", "replace an existing --out file")
        force = True
    events = None
    if len(records) == 1 and is_case_ref(records[0]):
        assessments = stored_assessments(str(records[0]), training=training)
        events = chronology_events(str(records[0]), redact=redact)
        if len(assessments) < 2:
            raise UserError(f"a trend needs two or more records; case {records[0]} has {len(assessments)}")
    else:
        skipped: list[tuple[Path, str]] = []
        paths = expand_records(records, skipped)
        if skipped:
            from ..output import info

            info(
                f"skipped {len(skipped)} file{'s' if len(skipped) != 1 else ''} that "
                f"{'are not records' if len(skipped) != 1 else 'is not a record'}: "
                + "; ".join(f"{p} ({why})" for p, why in skipped)
            )
        if len(paths) < 2:
            raise UserError(f"a trend needs two or more records; found {len(paths)}")
        assessments = [read_assessment(path) for path in paths]
    refs = list(dict.fromkeys(a.record.case.ref for a in assessments))
    if len(refs) > 1 and not mixed_cases:
        raise UserError(
            f"these records are of {len(refs)} different cases ({', '.join(refs)}). "
            "A trend follows one child; pass --mixed-cases to show them together anyway"
            + (" (--force no longer does: it replaces an existing --out file, as in every command)" if force else "")
            + "."
        )
    newest = max(assessments, key=lambda a: (a.record.case.assessed_on, a.record.created_at))
    result = build_trend(assessments, band_order(newest), lineage_of(assessments), item_names(newest))
    drift = plan_drift_as_of(assessments, as_of)
    if fmt is None:
        suffixes = {".html": "html", ".htm": "html", ".md": "md", ".json": "json"}
        fmt = TrendFormat(suffixes.get(out.suffix.lower(), "terminal") if out is not None else "terminal")
    if out is not None or fmt is not TrendFormat.terminal:
        write_trend(result, events, fmt, out, drift, force=force)
        return
    from ..render.changes import plans_view
    from ..render.diffview import trend_terminal

    trend_terminal(result, events, plans_view(*drift))


def chronology_events(case_ref: str, *, redact: bool) -> list[Entry]:
    """The child's chronology from the record store (entries only: the trend has the assessments)."""
    from ..chronology import redacted
    from ..recordstore import open_store

    opened = open_store(create=False)
    try:
        entries = opened.chronology(case_ref)
    finally:
        opened.close()
    return redacted(entries) if redact else entries


def write_trend(
    result: Trend,
    events: list[Entry] | None,
    fmt: TrendFormat,
    out: Path | None,
    drift: tuple[dt.date, list[PlanDrift]],
    *,
    force: bool,
) -> None:
    """The trend as text in a file (`--out`) or on standard output (json, md, html), with the plan drift as of
    its date (`drift`) in every format."""
    import json
    import sys

    from ..clock import today
    from ..output import warn_all
    from ..render.changes import plans_view
    from ..text import json_safe

    warn_all(result.warnings)
    plans = plans_view(*drift)
    if fmt is TrendFormat.html:
        if out is None or str(out) == "-":
            import re

            from ..output import refuse_html_on_terminal

            if out is None:
                name = re.sub(r"[^A-Za-z0-9._-]", "_", result.case_refs[0] if result.case_refs else "case")[:64]
                refuse_html_on_terminal(f"{name}_trend_{result.last_assessed_on}.html")
            out = None
        from ..render.changeshtml import trend_html

        # a case in the store adds its levels and the chronology's key events on one timeline
        text = trend_html(result, events, today(), plans)
    elif fmt is TrendFormat.md:
        from ..render.diffview import trend_markdown

        text = trend_markdown(result, events, plans)
    elif fmt is TrendFormat.json:
        data = result.as_json() | {"plans": [d.as_json() for d in drift[1]]}
        text = json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
    else:
        from ..errors import UserError

        raise UserError("--out writes md, json or html; the terminal view is for the screen")
    if out is None:
        sys.stdout.write(text)
        return
    from ..output import info
    from ..store import atomic_write

    atomic_write(out, text, force=force)
    info(f"trend written: {out} (0600)")
