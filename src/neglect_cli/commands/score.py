"""`neglect score`: bulk scoring of scripted cases for trainers."""

from __future__ import annotations

import gc
import json
import sys
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
    from ..bulk import TABLE_ROWS_WARNING, ProgressBar, Settings, expand_inputs, outcomes, resolve_jobs, row_writer
    from ..clock import now, today
    from ..errors import UserError
    from ..output import error, info, warn
    from ..render.checks import CheckRows
    from ..store import WriteError

    workers = resolve_jobs(jobs)
    found = expand_inputs(files, sys.stdin)
    if found.records_left_out:
        info(f"left out {found.records_left_out} record file(s) found in the folders: records are not answers files")
    paths = found.paths
    if not paths:
        raise UserError("no answers files (*.yaml, *.yml, *.json) found in " + ", ".join(files))
    if fmt is ScoreFormat.table and len(paths) > TABLE_ROWS_WARNING and not check:
        warn(
            f"a table of {len(paths):,} rows is slow to draw and is held in memory until the end; "
            "use --format csv or --format json, which stream"
        )
    if out is not None:
        from ..record import check_replaceable
        from ..store import atomic_write, private_dir

        private_dir(out, tighten=False)  # an existing folder (even /tmp) keeps its mode
    settings = Settings(today=today(), now=now(), records=out is not None, redact=redact, check=check)
    checked = CheckRows(fmt.value, sys.stdout) if check else None
    rows = checked if checked is not None else row_writer(fmt.value, sys.stdout)
    failed = 0
    unsealed = 0  # scored and shown, but no record written: the level needs a plan
    progress = ProgressBar(len(paths), enabled=not (fmt is ScoreFormat.json and sys.stdout.isatty()))
    # What start-up built (modules, models, tools) outlives the loop: the collector need not walk it each time,
    # and forked workers share it rather than copying it.
    gc.freeze()
    try:
        for outcome in outcomes(paths, settings, workers):
            problem = outcome.problem
            if out is not None and outcome.record is not None:
                name, text = outcome.record
                try:
                    if force and (out / name).is_file():  # --force replaces the same case's record, no other
                        check_replaceable(out / name, json.loads(text)["case"]["ref"])
                    atomic_write(out / name, text, force=force)
                except WriteError:
                    raise  # the --out folder cannot be written (read-only, full): every other case would fail too
                except UserError as exc:
                    problem = str(exc)
            if problem is not None:
                failed += 1
                progress.message(problem)
            else:
                if outcome.warning is not None:
                    unsealed += out is not None
                    progress.message(outcome.warning, warning=True)
                for row in outcome.rows:
                    rows.add(row)
            progress.advance()
    finally:
        gc.unfreeze()
        progress.close()
    rows.finish()
    if failed:
        error(f"{failed} of {len(paths)} file(s) were invalid and skipped")
    if unsealed:
        error(f"{unsealed} record(s) not written: their level needs a plan (add plan: or defer it to a meeting)")
    if failed or unsealed:
        raise typer.Exit(2)
    if checked is not None and checked.differ:
        raise typer.Exit(1)
