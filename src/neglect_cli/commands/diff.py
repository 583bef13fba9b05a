"""`neglect diff`: what changed between two assessments of one child, for supervision."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    import datetime as dt

    from ..diffing import Diff
    from ..plandrift import PlanDrift

from .options import force_option, format_option, mixed_cases_option, out_option


class DiffFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    md = "md"
    html = "html"


def diff(
    old: Path = typer.Argument(..., help="The earlier record (JSON), or a case ref in the record store."),
    new: Path | None = typer.Argument(
        None, help="The later record (JSON); not given with a case ref.", show_default=False
    ),
    fmt: DiffFormat | None = format_option(
        None, "terminal (default), json, md or html (a page to print; from --out's suffix when not given)."
    ),
    out: Path | None = out_option("Write to this file (0600) instead of printing it."),
    force: bool = force_option("Replace an existing --out file."),
    exit_code: bool = typer.Option(
        False, "--exit-code", help="Exit 1 when anything changed (bands, scores, escalations, answers), 0 when not."
    ),
    show_all: bool = typer.Option(
        False, "--all", help="Show every item, not only those whose rating or status changed."
    ),
    mixed_cases: bool = mixed_cases_option("Compare records of different cases (under a warning)."),
    since: str | None = typer.Option(
        None, "--from", help="With a case ref: compare the latest with the last assessment on or before this date."
    ),
    training: bool = typer.Option(False, "--training", help="With a case ref: include training records."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="The date plan drift is judged on (actions overdue, sign-off waiting); default today."
    ),
) -> None:
    """Compare two records of the same child: levels of need, domains, items, escalations, overrides and drift.

    With a case ref instead of files: the child's latest assessment in the store against the one before it
    (or the last one on or before --from DATE)."""
    from ..assessments import band_order, lineage_of, plan_drift_as_of, read_assessment, stored_pair
    from ..diffing import compare
    from ..errors import UserError

    if new is None:
        older, newer = stored_pair(str(old), since, training=training)
    else:
        if since is not None:
            raise UserError("--from goes with a case ref, not with two record files")
        older, newer = read_assessment(old), read_assessment(new)
    a, b = older.record.case.ref, newer.record.case.ref
    if a != b and not mixed_cases:
        raise UserError(
            f"these records are of different cases: {older.file} is {a}, {newer.file} is {b}. "
            "A diff compares two assessments of one child; pass --mixed-cases to compare them anyway"
            + (" (--force no longer does: it replaces an existing --out file, as in every command)" if force else "")
            + "."
        )
    result = compare(older, newer, band_order(older), band_order(newer), lineage_of([older, newer]))
    drift = plan_drift_as_of([older, newer], as_of)
    where = (newer.record.case.ref, str(newer.record.case.assessed_on))
    show(result, fmt, out, *where, drift, force=force, show_all=show_all)
    if exit_code and result.changed:
        raise typer.Exit(1)


def show(
    result: Diff,
    fmt: DiffFormat | None,
    out: Path | None,
    case_ref: str,
    assessed_on: str,
    drift: tuple[dt.date, list[PlanDrift]],
    *,
    force: bool = False,
    **options: bool,
) -> None:
    """Print the diff or write it to `out`, in the format asked for or named by `out`'s suffix, with the plan
    drift as of its date (`drift`) in every format."""
    import re
    import sys

    from ..output import deliver, print_json, warn_all
    from ..render.changes import plans_view

    if fmt is None:
        suffixes = {".html": DiffFormat.html, ".htm": DiffFormat.html, ".md": DiffFormat.md, ".json": DiffFormat.json}
        fmt = suffixes.get(out.suffix.lower(), DiffFormat.terminal) if out is not None else DiffFormat.terminal
    plans = plans_view(*drift)
    if fmt is DiffFormat.terminal:
        from ..render.diffview import diff_terminal

        diff_terminal(result, plans=plans, **options)
        return
    warn_all(result.warnings)
    if fmt is DiffFormat.json:
        data = result.as_json()
        data["plans"] = [d.as_json() for d in drift[1]]
        if out is None:
            print_json(data)
            return
        import json

        from ..text import json_safe

        text = json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
    elif fmt is DiffFormat.md:
        from ..render.diffview import diff_markdown

        text = diff_markdown(result, plans=plans, **options)
    else:
        from ..render.changeshtml import diff_html

        text = diff_html(result, plans=plans, **options)
    if fmt is DiffFormat.md and out is None:
        sys.stdout.write(text)
        return
    name = re.sub(r"[^A-Za-z0-9._-]", "_", case_ref)[:64]
    html = fmt is DiffFormat.html
    deliver(text, out, html=html, suggested_out=f"{name}_diff_{assessed_on}.html", what="diff", force=force)
