"""`neglect diff`: what changed between two assessments of one child, for supervision."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from ..diffing import Assessment, BandOrder


class DiffFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    md = "md"


def diff(
    old: Path = typer.Argument(..., help="The earlier record (JSON)."),
    new: Path = typer.Argument(..., help="The later record (JSON)."),
    fmt: DiffFormat = typer.Option(DiffFormat.terminal, "--format", "-f", help="terminal, json or md"),
    exit_code: bool = typer.Option(
        False, "--exit-code", help="Exit 1 when anything changed (bands, scores, escalations, answers), 0 when not."
    ),
    show_all: bool = typer.Option(
        False, "--all", help="Show every item, not only those whose rating or status changed."
    ),
    force: bool = typer.Option(False, "--force", help="Compare records of different cases (under a warning)."),
) -> None:
    """Compare two records of the same child: levels of need, domains, items, escalations, overrides and drift."""
    from ..diffing import compare
    from ..errors import UserError

    older, newer = read_assessment(old), read_assessment(new)
    a, b = older.record.case.ref, newer.record.case.ref
    if a != b and not force:
        raise UserError(
            f"these records are of different cases: {older.file} is {a}, {newer.file} is {b}. "
            "A diff compares two assessments of one child; pass --force to compare them anyway."
        )
    result = compare(older, newer, band_order(older), band_order(newer))
    if fmt is DiffFormat.json:
        from ..output import print_json

        warn_all(result.warnings)
        print_json(result.as_json())
    elif fmt is DiffFormat.md:
        import sys

        from ..render.diffview import diff_markdown

        warn_all(result.warnings)
        sys.stdout.write(diff_markdown(result, show_all=show_all))
    else:
        from ..render.diffview import diff_terminal

        diff_terminal(result, show_all=show_all)
    if exit_code and result.changed:
        raise typer.Exit(1)


def read_assessment(path: Path) -> Assessment:
    """Load a record (schema problems are exit 2) and check its integrity (problems are kept, not fatal)."""
    from ..diffing import Assessment
    from ..record import integrity_problems, load_record

    loaded = load_record(path)
    return Assessment(file=loaded.path, record=loaded.record, integrity_problems=integrity_problems(loaded))


def band_order(assessment: Assessment) -> BandOrder | None:
    """The band order of the record's own tool, else of the newest tool with the same id, else None."""
    from ..diffing import BandOrder
    from ..errors import UserError
    from ..loading import find_tool

    ref = assessment.record.tool
    try:
        return BandOrder.from_tool(find_tool(ref.ref).tool, exact=True)
    except UserError:
        pass
    try:
        return BandOrder.from_tool(find_tool(ref.id).tool, exact=False)
    except UserError:
        return None


def warn_all(warnings: list[str]) -> None:
    from ..output import warn

    for message in warnings:
        warn(message)
