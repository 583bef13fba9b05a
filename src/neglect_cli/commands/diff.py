"""`neglect diff`: what changed between two assessments of one child, for supervision."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from .options import format_option


class DiffFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    md = "md"


def diff(
    old: Path = typer.Argument(..., help="The earlier record (JSON), or a case ref in the record store."),
    new: Path | None = typer.Argument(
        None, help="The later record (JSON); not given with a case ref.", show_default=False
    ),
    fmt: DiffFormat = format_option(DiffFormat.terminal, "terminal, json or md"),
    exit_code: bool = typer.Option(
        False, "--exit-code", help="Exit 1 when anything changed (bands, scores, escalations, answers), 0 when not."
    ),
    show_all: bool = typer.Option(
        False, "--all", help="Show every item, not only those whose rating or status changed."
    ),
    force: bool = typer.Option(False, "--force", help="Compare records of different cases (under a warning)."),
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
    from ..assessments import band_order, lineage_of, read_assessment, show_plan_drift, stored_pair
    from ..diffing import compare
    from ..errors import UserError

    if new is None:
        older, newer = stored_pair(str(old), since, training=training)
    else:
        if since is not None:
            raise UserError("--from goes with a case ref, not with two record files")
        older, newer = read_assessment(old), read_assessment(new)
    a, b = older.record.case.ref, newer.record.case.ref
    if a != b and not force:
        raise UserError(
            f"these records are of different cases: {older.file} is {a}, {newer.file} is {b}. "
            "A diff compares two assessments of one child; pass --force to compare them anyway."
        )
    result = compare(older, newer, band_order(older), band_order(newer), lineage_of([older, newer]))
    if fmt is DiffFormat.json:
        from ..output import print_json

        warn_all(result.warnings)
        data = result.as_json()
        data["plans"] = show_plan_drift([older, newer], as_of=as_of, fmt="json")
        print_json(data)
    elif fmt is DiffFormat.md:
        import sys

        from ..render.diffview import diff_markdown

        warn_all(result.warnings)
        sys.stdout.write(diff_markdown(result, show_all=show_all))
        show_plan_drift([older, newer], as_of=as_of, fmt="md")
    else:
        from ..render.diffview import diff_terminal

        diff_terminal(result, show_all=show_all)
        show_plan_drift([older, newer], as_of=as_of, fmt="terminal")
    if exit_code and result.changed:
        raise typer.Exit(1)


def warn_all(warnings: list[str]) -> None:
    from ..output import warn

    for message in warnings:
        warn(message)
