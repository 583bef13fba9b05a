"""Scoring many answers files: the inputs a trainer has, worker processes, rows streamed out.

`run_score` is `neglect score` itself, called by the typer command and, for its commonest forms,
before the CLI framework loads (`quickscore`).

Inputs are files, folders (searched for answers files) and `-` (paths on stdin), so
that 100,000 files never meet the argument-length limit. Files are scored in
this process or in worker processes; either way outcomes come back in input order, so
the output is the same bytes whatever the number of workers. JSON and CSV rows leave as
they come: memory stays flat however many files there are.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import marshal
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any, Protocol, TextIO

from .answers import load_answers, missing_plan, score_answers

# Only `neglect score` imports this module, and it needs all of these (imported here, not for each file);
# the record module only where records are written or a last plan is reviewed (`score_file`).
from .errors import UserError
from .render.checks import check_row
from .render.tabular import csv_row, score_rows
from .text import json_safe

ANSWERS_SUFFIXES = (".yaml", ".yml", ".json")
#: Above this many rows the table is slow to draw and held whole in memory: CSV and JSON stream.
TABLE_ROWS_WARNING = 5000


# --- the command ---------------------------------------------------------------------------


def run_score(
    files: Sequence[str],
    fmt: str,
    *,
    out: Path | None = None,
    redact: bool = False,
    force: bool = False,
    jobs: int = 1,
    check: bool = False,
) -> int:
    """`neglect score`: score every answers file named, print the rows in `fmt` (table, json or csv), write
    a record per case into `out` when given. Returns the exit code: 0; 1 when `check` finds a case that
    differs from its `expect:`; 2 when a file was invalid. Raises UserError for what stops the whole run."""
    from .clock import now, today
    from .output import error, info, warn
    from .render.checks import CheckRows
    from .store import WriteError

    workers = resolve_jobs(jobs)
    found = expand_inputs(files, sys.stdin)
    if found.records_left_out:
        info(f"left out {found.records_left_out} record file(s) found in the folders: records are not answers files")
    paths = found.paths
    if not paths:
        raise UserError("no answers files (*.yaml, *.yml, *.json) found in " + ", ".join(files))
    if fmt == "table" and len(paths) > TABLE_ROWS_WARNING and not check:
        warn(
            f"a table of {len(paths):,} rows is slow to draw and is held in memory until the end; "
            "use --format csv or --format json, which stream"
        )
    if out is not None:
        from .record import check_replaceable
        from .store import atomic_write, private_dir

        private_dir(out, tighten=False)  # an existing folder (even /tmp) keeps its mode
    settings = Settings(today=today(), now=now(), records=out is not None, redact=redact, check=check)
    checked = CheckRows(fmt, sys.stdout) if check else None
    rows = checked if checked is not None else row_writer(fmt, sys.stdout)
    failed = 0
    unsealed = 0  # scored and shown, but no record written: the level needs a plan
    progress = ProgressBar(len(paths), enabled=not (fmt == "json" and sys.stdout.isatty()))
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
        return 2
    if checked is not None and checked.differ:
        return 1
    return 0


# --- inputs ------------------------------------------------------------------------------


@dataclass(slots=True)
class Inputs:
    """The answers files to score, in order, and how many records a folder search left out."""

    paths: list[str]
    records_left_out: int = 0


def expand_inputs(inputs: Iterable[str], stdin: TextIO) -> Inputs:
    """Every answers file named: files as given, folders searched (recursively, in sorted order, hidden
    files and folders left out) for *.yaml, *.yml and *.json, and `-` read as paths from stdin: one a
    line, or separated by NUL bytes (`find -print0`) when there is one.

    Records that `score --out` wrote into a folder of cases are JSON too: a folder search leaves them
    out (and counts them), where a record named on its own is read, and refused, as an answers file."""
    found = Inputs([])
    for given in inputs:
        if given == "-":
            listing = stdin.read().removeprefix("\ufeff")  # a list saved by Notepad starts with a BOM
            separator = "\0" if "\0" in listing else "\n"
            for name in listing.split(separator):
                if separator == "\n":
                    name = name.removesuffix("\r")
                if name.strip() and name != "-":
                    _add(name, found)
        else:
            _add(given, found)
    return found


def _add(given: str, found: Inputs) -> None:
    if not os.path.isdir(given):
        found.paths.append(given)  # a file, or a name that does not exist: reading it says which
        return
    for folder, subfolders, names in os.walk(given):  # symlinked folders are not followed: no loops
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(names):
            if name.endswith(ANSWERS_SUFFIXES) and not name.startswith("."):
                path = os.path.join(folder, name)
                if name.endswith(".json") and os.path.isfile(path) and _is_record(path):
                    found.records_left_out += 1
                else:  # a broken link, a loop of links or a pipe is named, as on the command line, never dropped
                    found.paths.append(path)


_RECORD_START = b'{\n  "schema": "neglect-record/'  # how every record this program writes begins


def _is_record(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(_RECORD_START)) == _RECORD_START
    except OSError:
        return False  # reading it again says what is wrong


def resolve_jobs(jobs: int) -> int:
    """Worker processes for `--jobs N`: 0 means one per core this process may use."""
    if jobs < 0:
        raise UserError("--jobs must be 0 (every core) or a positive number of worker processes")
    if jobs:
        return jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# --- scoring one file (in this process or a worker) ------------------------------------------


@dataclass(frozen=True, slots=True)
class Settings:
    """What every file is scored with: one clock reading for the whole run, and the record options."""

    today: dt.date
    now: dt.datetime
    records: bool = False
    redact: bool = False
    check: bool = False  # rows say how each case compares with its `expect:` (`score --check`)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One file's result: its table/CSV/JSON rows, or the message saying why it was skipped; and the
    record to write (its file name and text) when records are asked for."""

    rows: list[dict[str, Any]]
    problem: str | None = None
    record: tuple[str, str] | None = None
    warning: str | None = None  # scored, but a level that needs a plan has none (no record is sealed)


def score_file(settings: Settings, path: str) -> Outcome:
    """Load, check and score one answers file. A file the user can fix gives its message, never an exception."""
    try:
        loaded = load_answers(Path(path), today=settings.today)
        record = None
        result = score_answers(loaded)
        missing = missing_plan(loaded, result)  # the level is scored and shown all the same
        if settings.records and missing is None:
            from .record import assess_answers, default_record_name, dumps_record

            result, sealed = assess_answers(loaded, now=settings.now, redact=settings.redact, result=result)
            record = (default_record_name(loaded.answers.case), dumps_record(sealed))
        elif loaded.answers.review is not None:
            from .record import reviewed_plan

            reviewed_plan(loaded)  # the last plan's review is checked all the same (file:line)
    except UserError as exc:
        return Outcome([], str(exc))
    warning = None if missing is None else str(missing) + ("; no record written" if settings.records else "")
    # a small row per case, rather than the parsed file, is all that leaves this function
    if settings.check:
        return Outcome([check_row(path, loaded, result)], record=record, warning=warning)
    return Outcome(score_rows([(path, loaded, result)]), record=record, warning=warning)


def outcomes(paths: Sequence[str], settings: Settings, jobs: int) -> Iterator[Outcome]:
    """Each file's outcome, in the order of `paths`, from `jobs` processes (1: this one)."""
    work = partial(score_file, settings)
    jobs = min(jobs, len(paths))
    if jobs <= 1:
        yield from map(work, paths)
        return
    import multiprocessing

    # fork: workers start at once with everything this process has loaded (spawn would import it all again)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    # Chunks big enough to keep the pipes quiet, small enough that the last workers do not wait alone.
    chunk = max(1, min(64, len(paths) // (jobs * 16)))
    with context.Pool(jobs, initializer=_worker_start) as pool:
        yield from pool.imap(work, paths, chunksize=chunk)


def _worker_start() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the pool; workers must not each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# --- rows out ----------------------------------------------------------------------------------


class RowWriter(Protocol):
    def add(self, row: dict[str, Any]) -> None: ...

    def finish(self) -> None: ...


class JsonRows:
    """A JSON array written a row at a time: the same bytes as `print_json(rows)` (controls and bidi
    characters written as \\u escapes, never raw)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.count = 0

    def add(self, row: dict[str, Any]) -> None:
        text = json_safe(json.dumps(row, indent=2, ensure_ascii=False)).replace("\n", "\n  ")
        self.out.write(("[\n  " if not self.count else ",\n  ") + text)
        self.count += 1

    def finish(self) -> None:
        self.out.write("\n]\n" if self.count else "[]\n")


class CsvRows:
    """CSV whose columns are every column any row has, in order of first appearance.

    Files scored with different tools have different domain columns, and the header comes
    first, so rows wait until the end: compactly (marshal) in memory up to a few MB, then in
    an unnamed temporary file (never a name on disk, so nothing is left behind if the process
    is killed). Memory stays flat however many rows there are.
    """

    SPILL_BYTES = 4 * 1024 * 1024

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.columns: dict[str, None] = {}
        self.spool: IO[bytes] = io.BytesIO()
        self.count = 0

    def add(self, row: dict[str, Any]) -> None:
        if not row.keys() <= self.columns.keys():
            for column in row:
                self.columns.setdefault(column)
        blob = marshal.dumps(row)  # text, numbers, booleans and None: all marshal holds, and read back as such
        self.spool.write(len(blob).to_bytes(4, "little") + blob)
        self.count += 1
        if isinstance(self.spool, io.BytesIO) and self.spool.tell() > self.SPILL_BYTES:
            import tempfile

            disk = tempfile.TemporaryFile()
            disk.write(self.spool.getbuffer())
            self.spool = disk

    def finish(self) -> None:
        if not self.count:  # every file was invalid: the errors say so; an empty header says nothing
            return
        # every cell as a spreadsheet should show it: no formula, no raw control character
        writer = csv.DictWriter(self.out, fieldnames=list(self.columns), lineterminator="\n")
        writer.writeheader()
        self.spool.seek(0)
        read = self.spool.read
        for _ in range(self.count):
            row = marshal.loads(read(int.from_bytes(read(4), "little")))
            writer.writerow(csv_row(row))  # shown, never obeyed; no cell a spreadsheet reads as a formula
        self.spool.close()


class TableRows:
    """The terminal table: drawn once every row is in, so rows are kept (hence the warning for large runs)."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)

    def finish(self) -> None:
        from .render.tabular import write_score_output

        write_score_output(self.rows, "table")


def row_writer(fmt: str, out: TextIO) -> RowWriter:
    if fmt == "json":
        return JsonRows(out)
    if fmt == "csv":
        return CsvRows(out)
    return TableRows()


# --- progress ----------------------------------------------------------------------------------


class ProgressBar:
    """A progress bar on `stream` when it is a terminal, shown once the run has taken `after` seconds
    (a quick run never flashes one); never on a pipe or a file, nor when `enabled` is false (rows
    streaming to the same terminal are progress enough). Messages go above it while it shows."""

    def __init__(
        self,
        total: int,
        stream: TextIO | None = None,
        *,
        after: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        enabled: bool = True,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total = total
        self.done = 0
        self.clock = clock
        self.show_at = clock() + after
        self.live = enabled and bool(getattr(self.stream, "isatty", lambda: False)())
        self.bar: Any = None
        self.shown = False

    def advance(self) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(self.bar.task_ids[0], completed=self.done)
        elif self.live and self.done < self.total and self.clock() >= self.show_at:
            self._show()

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from .output import color_enabled

        console = Console(file=self.stream, no_color=not color_enabled(self.stream))
        self.bar = Progress(
            TextColumn("scoring"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.bar.add_task("scoring", total=self.total, completed=self.done)
        self.bar.start()
        self.shown = True

    def message(self, text: str, *, warning: bool = False) -> None:
        """An error line (or a warning), above the bar while it shows."""
        if self.bar is None:
            from .output import error, warn

            (warn if warning else error)(text)
            return
        from .text import visible

        prefix = "warning: " if warning else "error: "
        lines = visible(text).splitlines() or [""]
        shown = "\n".join((prefix if i == 0 else "  ") + line for i, line in enumerate(lines))
        style = "yellow" if warning else "red"
        self.bar.console.print(shown, markup=False, highlight=False, style=style, soft_wrap=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
