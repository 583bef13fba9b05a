"""`neglect trend`: one child's assessments over time, with drift and delay, relapse and persistent escalations."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from ..trending import Trend

from .options import format_option, out_option


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
        None, "terminal (default), json, md or html (a page to print; from --out's suffix when not given)."
    ),
    out: Path | None = out_option("Write to this file (0600; never over an existing one) instead of printing it."),
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
    last = str(newest.record.case.assessed_on)
    def plans(how: str) -> list[dict[str, str]]:
        return show_plan_drift(assessments, as_of=as_of, fmt=how)

    show(result, fmt, out, newest.record.case.ref, last, plans)


def show(
    result: Trend,
    fmt: TrendFormat | None,
    out: Path | None,
    case_ref: str,
    assessed_on: str,
    plans: Callable[[str], list[dict[str, str]]],
    **options: bool,
) -> None:
    """Print the trend or write it to `out`, in the format asked for or named by `out`'s suffix. Plan drift
    (`plans`) follows the terminal and Markdown output and is part of the JSON; a file written with --out
    holds the trend itself."""
    import re
    import sys

    from ..output import deliver, print_json, warn

    if fmt is None:
        suffixes = {
            ".html": TrendFormat.html,
            ".htm": TrendFormat.html,
            ".md": TrendFormat.md,
            ".json": TrendFormat.json,
        }
        fmt = suffixes.get(out.suffix.lower(), TrendFormat.terminal) if out is not None else TrendFormat.terminal
    if fmt is TrendFormat.terminal:
        from ..render.diffview import trend_terminal

        trend_terminal(result)
        plans("terminal")
        return
    for message in result.warnings:
        warn(message)
    if fmt is TrendFormat.json:
        data = result.as_json()
        data["plans"] = plans("json")
        if out is None:
            print_json(data)
            return
        import json

        from ..text import json_safe

        text = json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
    elif fmt is TrendFormat.md:
        from ..render.diffview import trend_markdown

        text = trend_markdown(result)
    else:
        from ..render.changeshtml import trend_html

        text = trend_html(result)
    if fmt is TrendFormat.md and out is None:
        sys.stdout.write(text)
        plans("md")
        return
    name = re.sub(r"[^A-Za-z0-9._-]", "_", case_ref)[:64]
    deliver(text, out, html=fmt is TrendFormat.html, suggested_out=f"{name}_trend_{assessed_on}.html", what="trend")
