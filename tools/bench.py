"""Benchmarks for neglect-cli: start-up, bulk scoring, draft saving, diff and trend, the record store.

    python tools/bench.py [--runs N] [--quick] [--no-peer] [--only GROUP]

Every comparison is measured in this one run, side by side: the rows being
compared are timed in turns (A, B, A, B, ...) so that a busy machine slows
them alike. Whole-process times include Python's own start-up, as a user sees
them. Prints one table (median, min and max of the runs, the ratio to the
reference row and the target) and exits 1 when a target is missed.

The peer (cookiecutter) is installed with pip into a throwaway venv in a temp
folder; without network it is shown as n/a. Benchmarks are not tests: CI does
not run them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent
sys.path.insert(0, str(TOOLS))

import gen_cases  # noqa: E402 - the sibling script, found through the line above

try:
    import neglect_cli  # noqa: F401
except ImportError:  # run from a clone without the package installed
    sys.path.insert(0, str(ROOT / "src"))

PYTHON = sys.executable
BULK = 1000
BULK_LARGE = 10_000
BULK_HUGE = 100_000  # memory is shown flat up to here (10,000 with --quick)
TREND_RECORDS = 50
STORE_SIZES = ((10_000, 2_000), (100_000, 20_000))  # records, children: five assessments each
IMPORT_FILES = 10_000
STORE_AS_OF = "2026-11-24"

# Child processes write bytecode as an installed package has it: the first (warm-up) run compiles.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV |= {"NO_COLOR": "1", "COLUMNS": "100"}
ENV.pop("NEGLECT_SIGNING_KEY", None)
ENV.pop("NEGLECT_TOOLS_PATH", None)


def neglect_command() -> list[str]:
    """The `neglect` console script next to this Python (what users run), else `python -m neglect_cli`."""
    script = Path(PYTHON).with_name("neglect")
    return [str(script)] if script.exists() else [PYTHON, "-m", "neglect_cli"]


# --- measuring ------------------------------------------------------------------------------


#: CPU time (user + sys, s) of every process `run_once` timed, by its argv: what a busy machine inflates least.
CPU_TIMES: dict[tuple[str, ...], list[float]] = {}


def run_once(argv: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """Wall time (s), exit code and peak RSS (KiB) of one whole process (its CPU time goes to CPU_TIMES)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or ENV)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    CPU_TIMES.setdefault(tuple(argv), []).append(usage.ru_utime + usage.ru_stime)
    proc.stderr.close()
    if proc.returncode not in (0, 1):
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise RuntimeError(f"{' '.join(argv[:3])} ... exited {proc.returncode}: {tail[0][:200]}")
    peak = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss  # bytes on macOS
    return elapsed, proc.returncode, peak


# Runs a command and prints its peak RSS (KiB). A process forked from this one starts with this one's pages
# counted in its peak (the bench holds 100,000 paths), so the command is started from a small Python instead.
PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_rss(argv: Sequence[str]) -> float:
    """Peak RSS (MB) of one whole process running `argv`."""
    done = subprocess.run([PYTHON, "-c", PEAK, *argv], capture_output=True, text=True, env=ENV, check=True)
    kib = int(done.stdout.strip())
    return (kib / 1024 if sys.platform == "darwin" else kib) / 1024  # bytes on macOS


def time_side_by_side(
    commands: dict[str, list[str]], runs: int, warmup: int = 2, cpu: dict[str, list[float]] | None = None
) -> dict[str, list[float]]:
    """Time each command `runs` times, in turns, after `warmup` untimed runs each; their CPU times
    (user + sys) go into `cpu` when it is given."""
    for argv in commands.values():
        for _ in range(warmup):
            run_once(argv)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(run_once(argv)[0])
            if cpu is not None:
                cpu.setdefault(name, []).append(CPU_TIMES[tuple(argv)][-1])
    return times


# --- the table ------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    samples: list[float] = field(default_factory=list)  # seconds, or the row's own unit
    unit: str = "ms"
    reference: Row | None = None
    max_ratio: float | None = None  # pass when median <= max_ratio * reference median
    limit: float | None = None  # pass when median <= limit (seconds, or the unit)
    at_least: float | None = None  # pass when median >= at_least
    note: str = ""  # n/a reason, or extra words for the target column

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    def ratio(self) -> float | None:
        if self.reference is None or self.median is None or not self.reference.median:
            return None
        return self.median / self.reference.median

    def passed(self) -> bool | None:
        """True/False against the target; None when there is no target or nothing to compare."""
        if self.median is None:
            return None
        checks: list[bool] = []
        if self.max_ratio is not None:
            ratio = self.ratio()
            if ratio is None:
                return None
            checks.append(ratio <= self.max_ratio)
        if self.limit is not None:
            checks.append(self.median <= self.limit)
        if self.at_least is not None:
            checks.append(self.median >= self.at_least)
        return all(checks) if checks else None

    def target(self) -> str:
        parts = []
        if self.max_ratio is not None and self.reference is not None:
            parts.append(f"<= {self.max_ratio:g} x {self.reference.name}")
        if self.limit is not None:
            parts.append(f"<= {self.show(self.limit)}")
        if self.at_least is not None:
            parts.append(f">= {self.show(self.at_least)}")
        if self.note and self.samples:
            parts.append(self.note)
        if parts:
            return "; ".join(parts)
        return "no target" if self.reference is not None else "reference"

    def show(self, value: float) -> str:
        if self.unit == "ms":
            return f"{value * 1000:.1f} ms"
        if self.unit in ("cases/s", "records/s"):
            return f"{value:,.0f} {self.unit}"
        if self.unit == "MB":
            return f"{value:.1f} MB"
        if self.unit == "µs":
            return f"{value * 1e6:.0f} µs"
        if self.unit == "M instr":
            return f"{value:,.0f} M instr"
        return f"{value:.2f} {self.unit}"


def print_table(rows: list[Row]) -> None:
    header = ("benchmark", "median", "min", "max", "ratio", "target", "result")
    lines = [header]
    for row in rows:
        if not row.samples:
            lines.append((row.name, "n/a", "", "", "", row.note or "n/a", "n/a"))
            continue
        ratio = row.ratio()
        verdict = {True: "pass", False: "FAIL", None: "-"}[row.passed()]
        lines.append(
            (
                row.name,
                row.show(row.median or 0),
                row.show(min(row.samples)),
                row.show(max(row.samples)),
                f"{ratio:.2f}" if ratio is not None else "",
                row.target(),
                verdict,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for index, line in enumerate(lines):
        print("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)) + " |")
        if index == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {system}"


# --- benchmark groups ------------------------------------------------------------------------


def peer_cookiecutter(work: Path) -> tuple[list[str] | None, str]:
    """Install cookiecutter into a throwaway venv; its command, or None and why not."""
    venv = work / "peer-venv"
    try:
        subprocess.run([PYTHON, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=120)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        done = subprocess.run([*pip, "cookiecutter"], capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"n/a (could not make a venv: {type(exc).__name__})"
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["pip failed"])[-1][:80]
        return None, f"n/a (pip install cookiecutter failed: {reason})"
    return [str(venv / "bin" / "cookiecutter"), "--help"], ""


def startup_rows(runs: int, work: Path, peer: bool) -> list[Row]:
    neglect = neglect_command()
    commands = {
        "import typer": [PYTHON, "-c", "import typer"],
        "neglect --version": [*neglect, "--version"],
        "neglect --help": [*neglect, "--help"],
    }
    note = "n/a (skipped with --no-peer)"
    if peer:
        cookiecutter, note = peer_cookiecutter(work)
        if cookiecutter is not None:
            commands["cookiecutter --help"] = cookiecutter
    times = time_side_by_side(commands, runs)
    typer = Row('python -c "import typer"', times["import typer"])
    rows = [
        typer,
        Row("neglect --version", times["neglect --version"], reference=typer, max_ratio=1.3),
        Row("neglect --help", times["neglect --help"], reference=typer, max_ratio=2.0),
    ]
    peer_row = Row("cookiecutter --help (peer)", times.get("cookiecutter --help", []), note=note)
    rows.append(peer_row)
    rows.append(
        Row(
            "neglect --help vs peer",
            times["neglect --help"] if peer_row.samples else [],
            reference=peer_row,
            max_ratio=0.5,
            note=note,
        )
    )
    return rows


FLOOR = """
import sys, yaml
from pathlib import Path
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
for path in sorted(Path(sys.argv[1]).glob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=loader)
"""


def linked(source: list[Path], folder: Path) -> Path:
    """A folder of hard links to `source`: the same files, no more disk."""
    folder.mkdir()
    for path in source:
        os.link(path, folder / path.name)
    return folder


def bulk_rows(runs: int, work: Path, huge: int) -> list[Row]:
    """`neglect score` against the YAML floor on one core, with worker processes, and its memory up to `huge` files."""
    everything = sorted(gen_cases.write_cases(huge, work / f"cases-{huge}"))
    large = (
        linked(everything[:BULK_LARGE], work / f"cases-{BULK_LARGE}") if huge > BULK_LARGE else work / f"cases-{huge}"
    )
    bulk = linked(everything[:BULK], work / f"cases-{BULK}")
    one = linked(everything[:1], work / "cases-1")

    neglect = neglect_command()
    score = [*neglect, "score"]
    cpu: dict[str, list[float]] = {}
    times = time_side_by_side(
        {
            "floor": [PYTHON, "-c", FLOOR, str(bulk)],
            "csv": [*score, "--format", "csv", str(bulk)],
            "json": [*score, "--format", "json", str(bulk)],
            "arguments": [*score, "--format", "json", *map(str, sorted(bulk.iterdir()))],
            "table": [*score, str(bulk)],
            "one": [*score, "--format", "json", str(one)],
        },
        runs=max(3, runs // 3),
        warmup=1,
        cpu=cpu,
    )
    floor = Row(f"YAML floor: read + yaml.load {BULK} files", times["floor"])
    floor_cpu = Row("YAML floor, CPU time (user + sys)", cpu["floor"])
    rows = [
        floor,
        Row(f"neglect score {BULK} files (--format csv)", times["csv"], reference=floor, max_ratio=1.5),
        Row(f"neglect score {BULK} files (--format json)", times["json"], reference=floor, max_ratio=1.5),
        Row(
            f"neglect score {BULK} files, rate (csv)",
            [BULK / t for t in times["csv"]],
            unit="cases/s",
            at_least=1500,
            note="whole process, one core",
        ),
        Row(f"neglect score {BULK} files given as {BULK} arguments (json)", times["arguments"], reference=floor),
        Row(f"neglect score {BULK} files (table, default)", times["table"], reference=floor),
        Row("neglect score 1 file (json): start-up", times["one"], reference=floor, note="no target"),
        # The same runs' CPU time: a busy machine inflates it far less than wall time.
        floor_cpu,
        Row("neglect score, CPU time (json)", cpu["json"], reference=floor_cpu, max_ratio=1.5),
        Row("neglect score 1 file, CPU time (start-up)", cpu["one"], reference=floor_cpu, note="no target"),
    ]

    # 10,000 files: start-up weighs less (the ratio to the floor tends to the cost per file), and worker
    # processes, the same files on one core and on every core.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    times = time_side_by_side(
        {
            "floor": [PYTHON, "-c", FLOOR, str(large)],
            "one": [*score, "--format", "csv", str(large)],
            "all": [*score, "--format", "csv", "--jobs", "0", str(large)],
        },
        runs=3,
        warmup=1,
    )
    large_floor = Row(f"YAML floor: read + yaml.load {BULK_LARGE:,} files", times["floor"])
    serial = Row(f"neglect score {BULK_LARGE:,} files (csv, --jobs 1)", times["one"], reference=large_floor)
    parallel = Row(f"neglect score {BULK_LARGE:,} files (csv, --jobs 0: {cores} cores)", times["all"], reference=serial)
    if serial.median and parallel.median:
        parallel.note = f"speed-up x{serial.median / parallel.median:.2f}; no target"
    rows += [large_floor, serial, parallel]

    # Memory: the peak RSS of the whole process at 1, 1,000 and `huge` files; JSON and CSV stream, so it stays flat.
    for fmt in ("csv", "json"):
        peaks = {
            count: peak_rss([*score, "--format", fmt, str(folder)])
            for count, folder in ((1, one), (BULK, bulk), (huge, work / f"cases-{huge}"))
        }
        rows.append(
            Row(
                f"peak RSS, score {huge:,} files (--format {fmt})",
                [peaks[huge]],
                unit="MB",
                limit=peaks[BULK] + 25,
                note=f"at 1 / {BULK:,} files: {peaks[1]:.0f} / {peaks[BULK]:.0f} MB; flat: + 25 MB at most",
            )
        )
    return rows


def case_rows(work: Path) -> list[Row]:
    """What one case costs inside `neglect score`, step by step, in-process: CPU time per case
    (`time.process_time`) over 1,000 generated cases, the best of five passes. The rows add up to
    about what a case adds to the whole process; start-up is the rest."""
    import datetime as dt
    import io

    import yaml

    from neglect_cli.answers import load_answers, score_answers
    from neglect_cli.bulk import JsonRows
    from neglect_cli.loading import parse_yaml
    from neglect_cli.render.tabular import score_rows
    from neglect_cli.scoring import score, score_reference

    folder = work / "cases-steps"
    paths = sorted(gen_cases.write_cases(BULK, folder))
    today = dt.date.today()
    datas = [path.read_bytes() for path in paths]
    loaded = [load_answers(path, today=today) for path in paths]
    args = [(a.tool, a.ratings(), a.context, a.does_not_apply(), a.hardship()) for a in loaded]
    results = [score_answers(a) for a in loaded]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def per_case(step: Callable[[], object], passes: int = 5) -> list[float]:
        step()
        samples = []
        for _ in range(passes):
            start = time.process_time()
            step()
            samples.append((time.process_time() - start) / BULK)
        return [min(samples)]

    def rows_out() -> None:
        out = JsonRows(io.StringIO())
        for path, answers, result in zip(paths, loaded, results, strict=True):
            for row in score_rows([(str(path), answers, result)]):
                out.add(row)
        out.finish()

    floor = Row(
        "per case: yaml.load (CSafeLoader), the floor's step",
        per_case(lambda: [yaml.load(d, Loader=loader) for d in datas]),
        unit="µs",
    )
    return [
        floor,
        Row(
            "per case: read the file",
            per_case(lambda: [path.read_bytes() for path in paths]),
            unit="µs",
            note="no target",
        ),
        Row(
            "per case: YAML to data (parse_yaml)",
            per_case(lambda: [parse_yaml(d, "case.yaml") for d in datas]),
            reference=floor,
            unit="µs",
            note="no target",
        ),
        Row(
            "per case: load_answers (read, YAML, validate, check)",
            per_case(lambda: [load_answers(path, today=today) for path in paths]),
            reference=floor,
            unit="µs",
            note="no target",
        ),
        Row(
            "per case: score (compiled rules)",
            per_case(lambda: [score(t, r, c, None, does_not_apply=d, hardship=h) for t, r, c, d, h in args]),
            reference=floor,
            unit="µs",
            note="no target",
        ),
        Row(
            "per case: score_reference (rules read one by one)",
            per_case(lambda: [score_reference(t, r, c, None, does_not_apply=d, hardship=h) for t, r, c, d, h in args]),
            reference=floor,
            unit="µs",
            note="no target",
        ),
        Row("per case: row and JSON out", per_case(rows_out), reference=floor, unit="µs", note="no target"),
    ]


def draft_rows(work: Path) -> list[Row]:
    """Saving the draft after an answer, in-process, as the interview does it; and all the work
    between an answer and the next prompt (save, then re-score for new escalations)."""
    os.environ["XDG_STATE_HOME"] = str(work / "state")
    from neglect_cli.toolfiles import find_tool

    source = find_tool("neglect-core")
    case = gen_cases.make_case(source.tool, 1, 2026)
    answer, save, what, after_answer = draft_saver(source, case)
    items = [item.id for item in source.tool.items()]

    def timed(step: Callable[[], object], runs: int = 300) -> list[float]:
        step()
        samples = []
        for index in range(runs):
            answer(items[index % len(items)], 1 + index % 5)
            start = time.perf_counter()
            step()
            samples.append(time.perf_counter() - start)
        return samples

    rows = [Row(f"save draft after an answer ({what})", timed(save), limit=0.005)]
    if after_answer is not None:
        rows.append(
            Row("answer to next prompt: save + escalation check", timed(after_answer), limit=0.1, note="not felt")
        )
    return rows


def draft_saver(source: Any, case: Any) -> Any:
    """How to give an answer, how to save, what saves, and the walk's whole step after an answer:
    the interview's own save when it exists, else the draft module's, else `store.atomic_write`."""
    now = dt.datetime.now(dt.UTC)
    try:
        from neglect_cli.answers import AnswerEntry, CaseInfo
        from neglect_cli.drafts import Draft, DraftTool
    except ImportError:
        from neglect_cli.store import atomic_write, private_dir

        folder = private_dir(Path(os.environ["XDG_STATE_HOME"]) / "neglect-cli" / "drafts")
        data = dict(case, case={**case["case"], "assessed_on": str(case["case"]["assessed_on"])})

        def set_value(item: str, value: int) -> None:
            data["answers"][item] = {"value": value, "evidence": "Seen on a visit."}

        def write() -> None:
            atomic_write(folder / "GEN-000001.json", json.dumps(data, indent=2) + "\n")

        return set_value, write, "store.atomic_write", None
    draft = Draft(
        tool=DraftTool(id=source.tool.id, version=source.tool.version, sha256=source.sha256, path=str(source.path)),
        case=CaseInfo.model_validate(case["case"]),
        context=case["context"],
        answers={k: AnswerEntry.model_validate(v) for k, v in case["answers"].items()},
    )

    def answer(item: str, value: int) -> None:
        draft.answers[item] = AnswerEntry(value=value, evidence="Seen on a visit.")

    try:
        from neglect_cli.interview import Walk

        quiet = SimpleNamespace(alert=lambda *args, **kwargs: None)  # a prompter that shows nothing
        walk = Walk(source=source, draft=draft, prompter=quiet, now=lambda: now)

        def after_answer() -> None:
            walk.save()
            walk.announce_escalations()

        return answer, walk.save, "interview Walk.save", after_answer
    except (ImportError, TypeError, AttributeError):
        from neglect_cli.drafts import save_draft

        return answer, lambda: save_draft(draft, now=now), "drafts.save_draft", None


def command_exists(name: str) -> bool:
    try:
        return run_once([*neglect_command(), name, "--help"])[1] == 0
    except RuntimeError:
        return False


# What any typer command with two path arguments costs before it does anything: typer 0.29 turns
# arguments into values with pydantic, so this is python + typer + pydantic: the floor for a diff.
TYPER_FLOOR = """
from pathlib import Path
import typer
app = typer.Typer()
@app.command()
def main(old: Path, new: Path, flag: bool = False) -> None:
    pass
app()
"""


def review_rows(runs: int, work: Path) -> list[Row]:
    """`neglect diff` of two records and `neglect trend` over 50 records of one child."""
    floor = Row("bare typer app taking 2 paths (floor)")
    rows = [
        floor,
        Row("neglect diff, 2 records", reference=floor),
        Row("neglect diff, time over the floor"),
        Row(f"neglect trend, {TREND_RECORDS} records"),
    ]
    available = {"diff": command_exists("diff"), "trend": command_exists("trend")}
    if not any(available.values()):
        for row in rows[1:]:
            row.note = "n/a (command not available)"
        return rows[1:]
    records = make_records(work)
    paths = sorted(records.glob("*.json"))
    commands = {"floor": [PYTHON, "-c", TYPER_FLOOR, str(paths[-2]), str(paths[-1])]}
    if available["diff"]:
        commands["diff"] = [*neglect_command(), "diff", str(paths[-2]), str(paths[-1])]
    if available["trend"]:
        commands["trend"] = [*neglect_command(), "trend", str(records)]
    times = time_side_by_side(commands, runs)
    floor.samples = times["floor"]
    diff_times = times.get("diff", [])
    # The 0.15 s for the whole process is below what this stack costs before any work
    # (python + typer 0.29 + pydantic: the floor row), so a diff is judged against that floor, as
    # start-up is against `import typer`: a ratio holds on a slower machine, where a time would not.
    rows[1].samples, rows[1].max_ratio = diff_times, 2.0
    # What a diff adds to the floor, for scale: each diff run paired with the floor run beside it.
    rows[2].samples = [d - f for d, f in zip(diff_times, floor.samples, strict=False)]
    rows[2].note = "paired with the floor run beside it; no target"
    rows[3].samples, rows[3].limit = times.get("trend", []), 0.5
    for row, name in zip(rows[1:], ("diff", "diff", "trend"), strict=True):
        if not available[name]:
            row.samples, row.note = [], "n/a (command not available)"
    return rows


def make_records(work: Path) -> Path:
    """Fifty reviews of one child, a month apart, scored into records by `neglect score --out`."""
    import yaml

    from neglect_cli.toolfiles import find_tool

    tool = find_tool("neglect-core").tool
    answers = work / "trend-answers"
    answers.mkdir()
    first = dt.date(2022, 1, 10)
    for index in range(TREND_RECORDS):
        case = gen_cases.make_case(tool, 500 + index, 2026)
        case["case"] = {
            "ref": "BENCH-TREND",
            "assessed_on": first + dt.timedelta(days=30 * index),
            "assessor": case["case"]["assessor"],
        }
        case.pop("override", None)
        case["plan"] = gen_cases.make_plan(case["answers"], case["case"]["assessed_on"], random.Random(index))
        text = yaml.safe_dump(case, sort_keys=False, allow_unicode=True)
        (answers / f"review-{index:02d}.yaml").write_text(text, encoding="utf-8")
    records = work / "trend-records"
    subprocess.run(
        [*neglect_command(), "score", "--format", "csv", "--out", str(records), str(answers)],
        check=True,
        stdout=subprocess.DEVNULL,
        env=ENV,
    )
    return records


# --- instructions ----------------------------------------------------------------------------


def instructions(argv: Sequence[str]) -> float | None:
    """Instructions (millions) one whole process runs, counted by valgrind's cachegrind; None without valgrind.
    A count, not a time: the same on a busy machine as on an idle one (after one plain run to compile)."""
    if shutil.which("valgrind") is None:
        return None
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    for line in done.stderr.splitlines():
        if "I" in line and "refs:" in line:
            return int(line.rsplit(":", 1)[1].replace(",", "").strip()) / 1e6
    return None


def instruction_rows(work: Path) -> list[Row]:
    """`neglect score` against the YAML floor in instructions (valgrind): what no other work on the machine changes.
    One run each under valgrind (about 50 times slower than a plain run). Instructions are not time (libyaml's C
    does more per cycle than the interpreter), so these rows show where a change goes, not the target."""
    paths = sorted(gen_cases.write_cases(BULK, work / "cases-instructions"))
    bulk, one = work / "cases-instructions", linked(paths[:1], work / "cases-instructions-1")
    score = [*neglect_command(), "score", "--format", "json"]
    counted = {
        "floor": instructions([PYTHON, "-c", FLOOR, str(bulk)]),
        "floor one": instructions([PYTHON, "-c", FLOOR, str(one)]),
        "score": instructions([*score, str(bulk)]),
        "one": instructions([*score, str(one)]),
    }
    if None in counted.values():
        return [Row("instructions", note="n/a (valgrind not installed: apt-get install valgrind)")]
    found = {name: count or 0.0 for name, count in counted.items()}
    floor = Row(f"YAML floor, {BULK} files: instructions", [found["floor"]], unit="M instr")
    per_case = (found["score"] - found["one"]) / (BULK - 1)
    floor_case = (found["floor"] - found["floor one"]) / (BULK - 1)
    return [
        floor,
        Row(
            f"neglect score {BULK} files (json): instructions",
            [found["score"]],
            unit="M instr",
            reference=floor,
            note="instructions are not time: no target",
        ),
        Row("neglect score 1 file: instructions (start-up)", [found["one"]], unit="M instr", note="no target"),
        Row("YAML floor 1 file: instructions (start-up)", [found["floor one"]], unit="M instr", note="no target"),
        Row(
            "per case: instructions, score / floor",
            [per_case / floor_case],
            unit="x",
            note=f"{per_case:.2f} / {floor_case:.2f} M instr a case; no target",
        ),
    ]


# --- the record store -------------------------------------------------------------------------


def store_bodies(work: Path, count: int = 200) -> list[dict[str, object]]:
    """`count` different unsealed records of generated cases, built with the record functions (no CLI)."""
    import yaml

    from neglect_cli.answers import load_answers
    from neglect_cli.record import assess_answers
    from neglect_cli.toolfiles import find_tool

    tool = find_tool("neglect-core").tool
    folder = work / "store-answers"
    folder.mkdir(exist_ok=True)
    bodies = []
    for index in range(count):
        path = folder / f"case-{index}.yaml"
        case = gen_cases.make_case(tool, 9000 + index, 2026)
        if case.get("override"):  # a lowered level needs who agreed and when
            case["override"] |= {"agreed_by": "Team Manager", "agreed_on": dt.date(2024, 1, 1)}
        path.write_text(yaml.safe_dump(case, sort_keys=False), "utf-8")
        loaded = load_answers(path, today=dt.date(2030, 1, 1))
        _, record = assess_answers(loaded, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        bodies.append(record.body())
    return bodies


def store_records(bodies: list[dict[str, object]], records: int, children: int) -> Iterator[dict[str, object]]:
    """`records` sealed records of `children` children (BENCH-00000 ...), each seen every 12 weeks."""
    from neglect_cli.record import seal

    first = dt.date(2025, 6, 2)
    for index in range(records):
        child, visit = index % children, index // children
        body = bodies[index % len(bodies)]
        day = first + dt.timedelta(days=visit * 84 + child % 70)
        case = {**body["case"], "ref": f"BENCH-{child:05d}", "assessed_on": day.isoformat()}  # type: ignore[dict-item]
        yield seal({**body, "case": case})


def cpu_once(argv: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + sys, s) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def build_store(path: Path, bodies: list[dict[str, object]], records: int, children: int) -> None:
    from neglect_cli.recordstore import RecordStore

    store = RecordStore(str(path))
    batch: list[dict[str, object]] = []
    for record in store_records(bodies, records, children):
        batch.append(record)
        if len(batch) == 2000:
            store.save_many(batch)
            batch.clear()
    if batch:
        store.save_many(batch)
    store.close()


def store_rows(runs: int, work: Path) -> list[Row]:
    """history and caseload on SQLite stores of 10,000 and 100,000 records; import of 10,000 files."""
    if not command_exists("history"):
        return [Row("neglect history CASE", note="n/a (command not available)")]
    bodies = store_bodies(work)
    neglect = neglect_command()
    stores = {}
    for records, children in STORE_SIZES:
        print(f"  building a store of {records:,} records of {children:,} children ...", file=sys.stderr, flush=True)
        stores[records] = work / f"store-{records}.sqlite3"
        build_store(stores[records], bodies, records, children)
    commands = {"version": [*neglect, "--version"]}
    envs = {"version": ENV}
    for records in stores:
        commands[f"history {records}"] = [*neglect, "history", "BENCH-00042"]
        envs[f"history {records}"] = ENV | {"NEGLECT_STORE": str(stores[records])}
    largest = max(stores)
    commands["history md"] = [*neglect, "history", "BENCH-00042", "--format", "md"]
    envs["history md"] = envs[f"history {largest}"]
    for name, argv in commands.items():
        for _ in range(2):
            run_once(argv, envs[name])
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(run_once(argv, envs[name])[0])
    version = Row("neglect --version (store rows)", times["version"])
    rows = [version]
    for records in stores:
        rows.append(
            Row(
                f"neglect history CASE, {records:,} records",
                times[f"history {records}"],
                reference=version,
                max_ratio=1.5,
            )
        )
    rows.append(
        Row(
            f"neglect history CASE --format md, {largest:,}",
            times["history md"],
            reference=version,
            note="the full CLI (typer, SQLAlchemy): no target",
        )
    )
    caseload = [*neglect, "caseload", "--as-of", STORE_AS_OF]
    env = envs[f"history {largest}"]
    run_once(caseload, env)
    walls, cpus = [], []
    for _ in range(max(3, runs // 4)):
        wall, cpu = cpu_once(caseload, env)
        walls.append(wall)
        cpus.append(cpu)
    rows.append(
        Row(
            f"neglect caseload, {largest:,} records",
            walls,
            limit=2.0,
            note=f"{largest // 5:,} children, as of {STORE_AS_OF}, to /dev/null",
        )
    )
    rows.append(Row("neglect caseload, CPU time (user + sys)", cpus, note="what a busy machine does not inflate"))
    folder = work / "import-files"
    folder.mkdir()
    from neglect_cli.record import dumps_record

    for index, record in enumerate(store_records(bodies, IMPORT_FILES, IMPORT_FILES // 5)):
        (folder / f"record-{index:05d}.json").write_text(dumps_record(record), encoding="utf-8")
    rates, cpu_rates = [], []
    for attempt in range(3):
        target = work / f"import-{attempt}.sqlite3"
        elapsed, cpu = cpu_once([*neglect, "store", "import", str(folder)], ENV | {"NEGLECT_STORE": str(target)})
        rates.append(IMPORT_FILES / elapsed)
        cpu_rates.append(IMPORT_FILES / cpu)
        target.unlink()
    rows.append(
        Row(
            f"neglect store import {IMPORT_FILES:,} files, rate",
            rates,
            unit="records/s",
            at_least=1000,
            note="whole process, into an empty store",
        )
    )
    rows.append(
        Row(
            "neglect store import, records per CPU-second",
            cpu_rates,
            unit="records/s",
            note="all processes' CPU time (the workers too): what a busy machine does not inflate",
        )
    )
    return rows


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed runs per start-up row (default 21)")
    parser.add_argument("--quick", action="store_true", help="fewer runs: a rough look, not numbers to publish")
    parser.add_argument("--no-peer", action="store_true", help="do not install cookiecutter (no network)")
    parser.add_argument(
        "--only",
        choices=[
            "start-up",
            "bulk scoring",
            "per case",
            "instructions",
            "draft saving",
            "diff and trend",
            "record store",
        ],
        help="one group of rows",
    )
    args = parser.parse_args(argv)
    runs = 5 if args.quick else args.runs

    print(f"machine: {machine()}")
    print(f"neglect: {' '.join(neglect_command())}")
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="neglect-bench-"))
    groups: list[tuple[str, Callable[[], list[Row]]]] = [
        ("start-up", lambda: startup_rows(runs, work, peer=not args.no_peer)),
        ("bulk scoring", lambda: bulk_rows(runs, work, BULK_LARGE if args.quick else BULK_HUGE)),
        ("per case", lambda: case_rows(work)),
        ("instructions", lambda: instruction_rows(work)),
        ("draft saving", lambda: draft_rows(work)),
        ("diff and trend", lambda: review_rows(runs, work)),
        ("record store", lambda: store_rows(runs, work)),
    ]
    if args.only:
        groups = [group for group in groups if group[0] == args.only]
    rows: list[Row] = []
    try:
        for title, measure in groups:
            if args.only and title != args.only:
                continue
            print(f"measuring {title} ...", file=sys.stderr, flush=True)
            rows += measure()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print_table(rows)
    missed = [row.name for row in rows if row.passed() is False]
    print(
        f"\n{len(missed)} target(s) missed{': ' + ', '.join(missed) if missed else ''}; "
        f"took {time.perf_counter() - started:.0f} s"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
