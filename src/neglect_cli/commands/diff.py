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
    old: Path = typer.Argument(..., help="The earlier record (JSON), or a case ref in the record store."),
    new: Path = typer.Argument(None, help="The later record (JSON); not given with a case ref.", show_default=False),
    fmt: DiffFormat = typer.Option(DiffFormat.terminal, "--format", "-f", help="terminal, json or md"),
    exit_code: bool = typer.Option(
        False, "--exit-code", help="Exit 1 when anything changed (bands, scores, escalations, answers), 0 when not."
    ),
    show_all: bool = typer.Option(
        False, "--all", help="Show every item, not only those whose rating or status changed."
    ),
    force: bool = typer.Option(False, "--force", help="Compare records of different cases (under a warning)."),
    since: str = typer.Option(
        None, "--from", help="With a case ref: compare the latest with the last assessment on or before this date."
    ),
    training: bool = typer.Option(False, "--training", help="With a case ref: include training records."),
) -> None:
    """Compare two records of the same child: levels of need, domains, items, escalations, overrides and drift.

    With a case ref instead of files: the child's latest assessment in the store against the one before it
    (or the last one on or before --from DATE)."""
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


def is_case_ref(arg: Path) -> bool:
    """An argument names a record file when such a file exists, else a case ref in the store."""
    return not (arg.exists() or arg.is_symlink()) and arg.suffix.lower() != ".json"  # a broken link is a file


def stored_assessments(case_ref: str, *, training: bool) -> list[Assessment]:
    """A child's assessments in the store that no correction supersedes, oldest first (exit 2 if none)."""
    import json

    from ..diffing import Assessment
    from ..errors import UserError
    from ..record import LoadedRecord, Record, verify_record
    from ..recordstore import open_store

    opened = open_store(create=False)
    try:
        stored = [s for s in opened.case_records(case_ref, training=training) if s.superseded_by is None]
    finally:
        opened.close()
    if not stored:
        hint = "" if training else " (training records are left out: --training)"
        raise UserError(f"no record file {case_ref!r}, and no assessments of case {case_ref!r} in the store{hint}")
    out = []
    for item in stored:
        raw = json.loads(item.body)
        loaded = LoadedRecord(record=Record.model_validate(raw), path=f"store #{item.id}", raw=raw)
        out.append(Assessment(file=loaded.path, record=loaded.record, integrity_problems=verify_record(loaded)))
    return out


def stored_pair(case_ref: str, since: str | None, *, training: bool) -> tuple[Assessment, Assessment]:
    """The latest assessment of a child and the one before it (or the last on or before `since`)."""
    import datetime as dt

    from ..errors import UserError

    found = stored_assessments(case_ref, training=training)
    if len(found) < 2:
        raise UserError(f"case {case_ref!r} has one assessment in the store; a diff needs two")
    newer = found[-1]
    if since is None:
        return found[-2], newer
    try:
        day = dt.date.fromisoformat(since)
    except ValueError:
        raise UserError("--from: must be a date (YYYY-MM-DD)") from None
    earlier = [a for a in found[:-1] if a.record.case.assessed_on <= day]
    if not earlier:
        raise UserError(f"case {case_ref!r} has no assessment on or before {day} other than the latest")
    return earlier[-1], newer


def read_assessment(path: Path) -> Assessment:
    """Load a record (schema problems are exit 2) and run `verify`'s checks on it (problems are kept and
    shown as warnings, not fatal)."""
    from ..diffing import Assessment
    from ..record import load_record, verify_record

    loaded = load_record(path)
    problems = verify_record(loaded)
    return Assessment(file=loaded.path, record=loaded.record, integrity_problems=problems)


def band_order(assessment: Assessment) -> BandOrder | None:
    """The band order of the record's own tool, else of the newest tool with the same id, else None."""
    from ..diffing import BandOrder
    from ..errors import UserError
    from ..toolfiles import find_tool

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
