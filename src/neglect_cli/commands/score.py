"""`neglect score`: bulk scoring of scripted cases for trainers."""

from __future__ import annotations

import gc
import sys
from enum import StrEnum
from pathlib import Path

import typer


class ScoreFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def score(
    files: list[Path] = typer.Argument(..., help="Answers files (or folders of *.yaml answers files)."),
    fmt: ScoreFormat = typer.Option(ScoreFormat.table, "--format", "-f", help="table, json or csv"),
    out: Path = typer.Option(None, "--out", "-o", help="Also write one record per case into this folder."),
    redact: bool = typer.Option(False, "--redact", help="Leave free text out of written records."),
    force: bool = typer.Option(False, "--force", help="Replace existing records in --out."),
) -> None:
    """Score many answers files at once. Invalid files are reported and skipped; exit 2 if any was invalid."""
    from ..clock import now, today
    from ..errors import UserError
    from ..output import error
    from ..record import assess_answers, default_record_name, dumps_record, load_answers, score_answers
    from ..render.tabular import score_rows, write_score_output

    paths = expand_paths(files)
    if not paths:
        raise UserError("no answers files (*.yaml) found in " + ", ".join(str(f) for f in files))
    if out is not None:
        from ..store import private_dir

        private_dir(out)
    stamp, day = now(), today()
    rows = []
    failed = 0
    progress = _progress(len(paths))
    # What start-up built (modules, models, tools) outlives the loop: the collector need not walk it each time.
    gc.freeze()
    try:
        for path in paths:
            try:
                loaded = load_answers(path, today=day)
                if out is None:
                    result = score_answers(loaded)  # no record to write, so none is built or sealed
                else:
                    from ..store import atomic_write

                    result, record = assess_answers(loaded, now=stamp, redact=redact)
                    atomic_write(out / default_record_name(loaded.answers.case), dumps_record(record), force=force)
            except UserError as exc:
                failed += 1
                if progress is not None:
                    from ..text import visible

                    progress.console.print(visible(str(exc)), markup=False, highlight=False, style="red")
                else:
                    error(str(exc))
            else:
                # a small row per case, rather than every parsed file, so memory stays low
                rows.extend(score_rows([(str(path), loaded, result)]))
            if progress is not None:
                progress.advance(progress.task_ids[0])
    finally:
        gc.unfreeze()
        if progress is not None:
            progress.stop()
    write_score_output(rows, fmt.value)
    if failed:
        error(f"{failed} of {len(paths)} file(s) were invalid and skipped")
        raise typer.Exit(2)


def expand_paths(files: list[Path]) -> list[Path]:
    """Files as given, folders expanded to their *.yaml files (sorted)."""
    out: list[Path] = []
    for path in files:
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            out.append(path)
    return out


def _progress(total: int):  # type: ignore[no-untyped-def]
    """A progress bar on stderr when it is a terminal and there are many files."""
    from ..output import color_enabled

    if total < 50 or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import Progress

    progress = Progress(console=Console(stderr=True, no_color=not color_enabled(sys.stderr)), transient=True)
    progress.add_task("scoring", total=total)
    progress.start()
    return progress
