"""`neglect score`: bulk scoring of scripted cases for trainers."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from .options import force_option, format_option, out_option, redact_option


class ScoreFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def score(
    # Plain strings: typer checks each path argument with pydantic, a cost per file that `read_bytes` makes anyway.
    files: list[str] = typer.Argument(
        ...,
        help="Answers files, folders (searched for *.yaml, *.yml, *.json) or - to read paths from stdin, one a line.",
        show_default=False,
        metavar="FILE|FOLDER|-",
    ),
    fmt: ScoreFormat = format_option(ScoreFormat.table, "table, json or csv"),
    out: Path | None = out_option("Also write one record per case into this folder."),
    redact: bool = redact_option("Leave free text out of written records."),
    force: bool = force_option("Replace existing records in --out."),
    jobs: int = typer.Option(
        1, "--jobs", "-j", help="Worker processes (0: one per core). The output is the same, in input order."
    ),
    check: bool = typer.Option(
        False,
        "--check",
        help="Compare each case with its `expect:` and print the differences; exit 1 when any differs.",
    ),
) -> None:
    """Score many answers files at once. Invalid files are reported and skipped; exit 2 if any was invalid.

    With --check: each case's level, prompts and provisional flag against its `expect:`; exit 0 when
    every expectation is met, 1 when any case differs, 2 when a file is invalid.
    """
    from ..bulk import run_score

    code = run_score(files, fmt.value, out=out, redact=redact, force=force, jobs=jobs, check=check)
    if code:
        raise typer.Exit(code)
