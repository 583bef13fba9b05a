"""`neglect trend`: one child's assessments over time, with drift and delay, relapse and persistent escalations."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from .options import format_option


class TrendFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    md = "md"


def trend(
    records: list[Path] = typer.Argument(
        ..., help="Record files (JSON), or folders of them; or one case ref in the record store."
    ),
    fmt: TrendFormat = format_option(TrendFormat.terminal, "terminal, json or md"),
    force: bool = typer.Option(False, "--force", help="Show records of different cases together (under a warning)."),
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
        lineage_of,
        read_assessment,
        show_plan_drift,
        stored_assessments,
    )
    from ..errors import UserError
    from ..trending import trend as build_trend
    from .diff import warn_all

    if len(records) == 1 and is_case_ref(records[0]):
        assessments = stored_assessments(str(records[0]), training=training)
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
    if len(refs) > 1 and not force:
        raise UserError(
            f"these records are of {len(refs)} different cases ({', '.join(refs)}). "
            "A trend follows one child; pass --force to show them together anyway."
        )
    newest = max(assessments, key=lambda a: (a.record.case.assessed_on, a.record.created_at))
    result = build_trend(assessments, band_order(newest), lineage_of(assessments))
    if fmt is TrendFormat.json:
        from ..output import print_json

        warn_all(result.warnings)
        data = result.as_json()
        data["plans"] = show_plan_drift(assessments, as_of=as_of, fmt="json")
        print_json(data)
    elif fmt is TrendFormat.md:
        import sys

        from ..render.diffview import trend_markdown

        warn_all(result.warnings)
        sys.stdout.write(trend_markdown(result))
        show_plan_drift(assessments, as_of=as_of, fmt="md")
    else:
        from ..render.diffview import trend_terminal

        trend_terminal(result)
        show_plan_drift(assessments, as_of=as_of, fmt="terminal")
