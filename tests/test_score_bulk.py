"""`neglect score` at scale: folders and `-` as inputs, worker processes with the same bytes out,
rows streamed, a warning before a huge table, and a progress bar only on a terminal."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import CASES, PINNED_EPOCH, TESTS, Neglect
from neglect_cli.bulk import TABLE_ROWS_WARNING, CsvRows, JsonRows, ProgressBar

CORPUS = TESTS / "bad_inputs"
# Valid cases of two tools, then every bad answers file: rows, errors and skipped files interleave.
INPUTS = [
    *sorted(CASES.glob("*.yaml")),
    CORPUS / "good" / "answers.yaml",
    *sorted(p for p in (CORPUS / "answers").iterdir() if p.is_file()),
]


def case_files() -> list[Path]:
    return sorted(CASES.glob("*.yaml"))


def neglect_process(*args: object, tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`neglect ARGS` as its own process, as a trainer runs it (stdout and stderr are pipes)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEGLECT_")}
    env |= {"NO_COLOR": "1", "COLUMNS": "100", "SOURCE_DATE_EPOCH": PINNED_EPOCH}
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    return subprocess.run(
        [sys.executable, "-m", "neglect_cli", *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


# --- --jobs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_worker_processes_give_the_same_bytes_in_input_order(tmp_path: Path, fmt: str) -> None:
    runs = {}
    for jobs in ("1", "2", "0"):
        out = tmp_path / f"records-{jobs}"
        runs[jobs] = neglect_process("score", "--format", fmt, "--jobs", jobs, "--out", out, *INPUTS, tmp_path=tmp_path)
    one = runs["1"]
    assert one.returncode == 2  # the bad files are reported and skipped
    assert "Traceback" not in one.stderr and "internal error" not in one.stderr
    assert "TRAIN-001" in one.stdout and "CORPUS-001" in one.stdout
    for jobs in ("2", "0"):
        assert runs[jobs].returncode == one.returncode
        assert runs[jobs].stdout == one.stdout, f"--jobs {jobs} printed other rows"
        assert runs[jobs].stderr == one.stderr, f"--jobs {jobs} printed other messages"
        written = {p.name: p.read_bytes() for p in (tmp_path / f"records-{jobs}").iterdir()}
        assert written == {p.name: p.read_bytes() for p in (tmp_path / "records-1").iterdir()}
    if fmt == "json":
        assert [row["file"] for row in json.loads(one.stdout)][: len(case_files())] == [str(p) for p in case_files()]


def test_negative_jobs_is_a_usage_error(neglect: Neglect) -> None:
    ran = neglect("score", "--jobs", "-1", CASES)
    assert ran.exit_code == 2
    assert "--jobs must be 0 (every core) or a positive number" in ran.stderr


# --- inputs: folders and - --------------------------------------------------------------------


def test_a_folder_is_searched_for_answers_files_in_sorted_order(neglect: Neglect, tmp_path: Path) -> None:
    case = yaml.safe_load((CASES / "01-universal-well-cared-for.yaml").read_text(encoding="utf-8"))
    top = tmp_path / "cohort"
    for relative in ("b.yaml", "a.yml", "sub/zz/e.yaml", ".hidden/skipped.yaml", "sub/.skipped.yaml"):
        path = top / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(case), encoding="utf-8")
    (top / "sub" / "c.json").write_text(json.dumps(case, default=str), encoding="utf-8")
    (top / "notes.txt").write_text("not an answers file\n", encoding="utf-8")

    ran = neglect("score", top, "--format", "json")

    assert ran.exit_code == 0, ran.stderr
    expected = [top / "a.yml", top / "b.yaml", top / "sub" / "c.json", top / "sub" / "zz" / "e.yaml"]
    assert [row["file"] for row in json.loads(ran.stdout)] == [str(p) for p in expected]


def test_records_written_into_a_folder_of_cases_are_left_out_of_its_search(neglect: Neglect, tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "case.yaml").write_bytes((CASES / "01-universal-well-cared-for.yaml").read_bytes())
    assert neglect("score", cases, "--out", cases / "records", "--format", "csv").exit_code == 0

    again = neglect("score", cases, "--format", "json")

    assert again.exit_code == 0, again.stderr
    assert [row["ref"] for row in json.loads(again.stdout)] == ["TRAIN-001"]
    assert "left out 1 record file(s) found in the folders" in again.stderr
    (record,) = (cases / "records").iterdir()
    named = neglect("score", record, "--format", "json")  # named on its own, it is read and refused
    assert named.exit_code == 2


def test_dash_reads_the_paths_to_score_from_stdin(neglect: Neglect) -> None:
    listing = "".join(f"{p}\n" for p in case_files()[1:]) + "\n"  # a blank line is skipped
    ran = neglect("score", case_files()[0], "-", "--format", "json", input=listing)
    assert ran.exit_code == 0, ran.stderr
    assert [row["file"] for row in json.loads(ran.stdout)] == [str(p) for p in case_files()]


def test_dash_takes_nul_separated_paths_as_find_print0_writes_them(neglect: Neglect) -> None:
    listing = "".join(f"{p}\0" for p in case_files())
    ran = neglect("score", "-", "--format", "json", input=listing)
    assert ran.exit_code == 0, ran.stderr
    assert [row["file"] for row in json.loads(ran.stdout)] == [str(p) for p in case_files()]


def test_a_list_of_paths_saved_with_a_byte_order_mark_and_crlf_is_read(neglect: Neglect) -> None:
    # the independent check (hostile2): a list saved by Windows Notepad (`neglect score - < list.txt`) began
    # with a BOM, and its first path was "no such file"
    listing = "\ufeff" + "".join(f"{p}\r\n" for p in case_files())
    ran = neglect("score", "-", "--format", "json", input=listing)
    assert ran.exit_code == 0, ran.stderr
    assert [row["file"] for row in json.loads(ran.stdout)] == [str(p) for p in case_files()]


def test_a_folder_named_on_stdin_is_searched_too(neglect: Neglect) -> None:
    ran = neglect("score", "-", "--format", "csv", input=f"{CASES}\n")
    assert ran.exit_code == 0, ran.stderr
    assert len(list(csv.DictReader(io.StringIO(ran.stdout)))) == len(case_files())


def test_nothing_on_stdin_is_an_error(neglect: Neglect) -> None:
    ran = neglect("score", "-", input="")
    assert ran.exit_code == 2
    assert "no answers files" in ran.stderr


# --- output ------------------------------------------------------------------------------------


def peak_memory_mb(*args: object, listing: str, tmp_path: Path) -> float:
    """Peak RSS of one `neglect ARGS` process reading `listing` on stdin."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEGLECT_")}
    env |= {"NO_COLOR": "1", "SOURCE_DATE_EPOCH": PINNED_EPOCH, "XDG_STATE_HOME": str(tmp_path / "state")}
    command = [sys.executable, "-m", "neglect_cli", *map(str, args)]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env)
    assert proc.stdin is not None
    proc.stdin.write(listing.encode())
    proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return usage.ru_maxrss / 1024  # KiB on Linux


@pytest.mark.skipif(sys.platform != "linux", reason="peak RSS in KiB as Linux reports it")
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv_rows_are_not_held_in_memory(tmp_path: Path, fmt: str) -> None:
    """Held, 10,000 rows took over 20 MB (CSV) and 60 MB (JSON); streamed, only the list of paths grows."""
    case = CASES / "01-universal-well-cared-for.yaml"
    few = peak_memory_mb("score", "--format", fmt, "-", listing=f"{case}\n" * 20, tmp_path=tmp_path)
    many = peak_memory_mb("score", "--format", fmt, "-", listing=f"{case}\n" * 10_000, tmp_path=tmp_path)
    assert many - few < 6, f"{many - few:.1f} MB more for 10,000 rows than for 20"


@pytest.mark.parametrize("count", [0, 1, 3])
def test_json_rows_written_one_at_a_time_are_the_bytes_of_the_whole_list(count: int) -> None:
    rows = [{"ref": f"CASE-{i}", "score": i / 3, "band": None, "incomplete": i == 1, "tool": "ö"} for i in range(count)]
    out = io.StringIO()
    writer = JsonRows(out)
    for row in rows:
        writer.add(row)
    writer.finish()
    assert out.getvalue() == json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("spill_bytes", [CsvRows.SPILL_BYTES, 100], ids=["in memory", "spilled to disk"])
def test_csv_rows_that_waited_for_the_header_come_out_as_written(spill_bytes: int) -> None:
    rows = [{"ref": f"CASE-{i}", "score": i / 3, "band": None, "incomplete": i % 2 == 0} for i in range(50)]
    rows[10] |= {"extra": 'ö, "quoted"'}  # a column that only a later row has
    out = io.StringIO()
    writer = CsvRows(out)
    writer.SPILL_BYTES = spill_bytes
    for row in rows:
        writer.add(row)
    writer.finish()
    expected = io.StringIO()
    plain = csv.DictWriter(expected, fieldnames=["ref", "score", "band", "incomplete", "extra"], lineterminator="\n")
    plain.writeheader()
    plain.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
    assert out.getvalue() == expected.getvalue()


def test_csv_of_cases_scored_with_two_tools_has_every_column(neglect: Neglect) -> None:
    good = CORPUS / "good" / "answers.yaml"  # the corpus's mini tool: physical and emotional domains only
    ran = neglect("score", good, CASES / "01-universal-well-cared-for.yaml", "--format", "csv")
    assert ran.exit_code == 0, ran.stderr
    header = ran.stdout.splitlines()[0].split(",")
    rows = list(csv.DictReader(io.StringIO(ran.stdout)))
    assert [row["ref"] for row in rows] == ["CORPUS-001", "TRAIN-001"]
    # the second tool's domains join the header, which the rows of the first tool came before
    assert header.index("emotional_band") < header.index("overall_score") < header.index("medical_score")
    assert rows[0]["medical_score"] == "" and rows[1]["medical_score"] != ""


def test_a_huge_table_warns_and_suggests_csv_or_json(neglect: Neglect, tmp_path: Path) -> None:
    # Files that do not exist fail at once: the warning comes before any file is read.
    listing = "".join(f"{tmp_path / f'missing-{i}.yaml'}\n" for i in range(TABLE_ROWS_WARNING + 1))
    ran = neglect("score", "-", input=listing)
    assert ran.exit_code == 2
    assert f"a table of {TABLE_ROWS_WARNING + 1:,} rows is slow" in ran.stderr
    assert "use --format csv or --format json" in ran.stderr
    quiet = neglect("score", "-", "--format", "csv", input=listing)
    assert "slow" not in quiet.stderr


def test_a_normal_table_has_no_warning(neglect: Neglect) -> None:
    ran = neglect("score", CASES)
    assert ran.exit_code == 0
    assert "warning" not in ran.stderr


# --- progress ----------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def run_bar(stream: io.StringIO, seconds_per_file: float, total: int = 20, enabled: bool = True) -> ProgressBar:
    clock = Clock()
    bar = ProgressBar(total, stream, clock=clock, enabled=enabled)
    for _ in range(total):
        clock.now += seconds_per_file
        bar.advance()
    bar.close()
    return bar


def test_progress_shows_on_a_terminal_once_a_run_has_taken_a_second() -> None:
    screen = Terminal()
    assert run_bar(screen, seconds_per_file=0.2).shown
    assert "scoring" in screen.getvalue()


def test_progress_never_shows_for_a_quick_run() -> None:
    screen = Terminal()
    assert not run_bar(screen, seconds_per_file=0.01).shown
    assert screen.getvalue() == ""


def test_progress_never_shows_on_a_pipe_or_a_file() -> None:
    pipe = io.StringIO()
    assert not run_bar(pipe, seconds_per_file=1.0).shown
    assert pipe.getvalue() == ""


def test_progress_never_shows_when_rows_stream_to_the_same_terminal() -> None:
    screen = Terminal()
    assert not run_bar(screen, seconds_per_file=1.0, enabled=False).shown


def test_messages_during_progress_keep_their_error_prefix() -> None:
    screen = Terminal()
    clock = Clock()
    bar = ProgressBar(5, screen, clock=clock)
    clock.now += 2
    bar.advance()
    bar.message("cases/x.yaml:3:1: YAML syntax error")
    bar.close()
    assert "error: cases/x.yaml:3:1: YAML syntax error" in screen.getvalue()


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path) -> None:
    """`neglect score … | head -1`: rows stream, so the reader can go before the last one is written."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEGLECT_")}
    env |= {"NO_COLOR": "1", "XDG_STATE_HOME": str(tmp_path / "state")}
    listing = "".join(f"{p}\n" for p in case_files()) * 100  # far more than a pipe holds
    proc = subprocess.Popen(
        [sys.executable, "-m", "neglect_cli", "score", "-", "--format", "json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdin.write(listing.encode())
    proc.stdin.close()
    assert proc.stdout.readline() == b"[\n"
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert "internal error" not in err and "Traceback" not in err
