"""Follow-up commands the CLI prints run as printed, however the program was started, and HTML never
lands on a terminal.

Someone who installed with the README's first command has `.venv/bin/neglect` but no `neglect` on
PATH: the commands printed after saving must name the program the way it really runs.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import CASES, PINNED_EPOCH

SCRIPT = Path(sys.executable).parent / "neglect"
CASE = CASES / "04-child-protection-left-alone.yaml"


def bare_env(tmp_path: Path, path: str) -> dict[str, str]:
    """An environment whose PATH is only `path` (no venv activated), with private homes."""
    return {
        "PATH": path,
        "HOME": str(tmp_path / "home"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "SOURCE_DATE_EPOCH": PINNED_EPOCH,
        "NO_COLOR": "1",
        "COLUMNS": "80",
    }


def next_commands(stderr: str) -> list[str]:
    """The indented command lines under `next:`."""
    lines = stderr.splitlines()
    start = lines.index("next:") + 1
    return [line.strip() for line in lines[start:] if line.startswith("  ")]


@pytest.mark.parametrize(
    ("how", "argv"),
    [
        ("the venv's script, venv not activated", [str(SCRIPT)]),
        ("python -m neglect_cli", [sys.executable, "-m", "neglect_cli"]),
    ],
)
def test_the_commands_printed_after_saving_run_as_printed(tmp_path: Path, how: str, argv: list[str]) -> None:
    if not SCRIPT.is_file():
        pytest.skip(f"no console script beside {sys.executable}")
    env = bare_env(tmp_path, "/usr/bin:/bin")
    record = tmp_path / "rec.json"
    saved = subprocess.run(
        [*argv, "assess", "--answers", str(CASE), "--out", str(record)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert saved.returncode == 0, saved.stderr
    commands = next_commands(saved.stderr)
    assert len(commands) == 2, saved.stderr
    assert not any(c.startswith("neglect ") for c in commands), f"{how}: `neglect` is not on this PATH"
    assert not any("--format html" in c for c in commands)  # a file, never HTML on the terminal
    for command in commands:
        ran = subprocess.run(shlex.split(command), env=env, cwd=tmp_path, capture_output=True, text=True, check=False)
        assert ran.returncode == 0, f"{command}\n{ran.stderr}"
    assert (tmp_path / "rec.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    history = subprocess.run(
        shlex.split(commands[1]), env=env, cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert "TRAIN-004" in history.stdout and "2026-02-16" in history.stdout  # a training case: --training given


def test_neglect_on_path_is_suggested_as_plain_neglect(tmp_path: Path) -> None:
    if not SCRIPT.is_file():
        pytest.skip(f"no console script beside {sys.executable}")
    env = bare_env(tmp_path, f"{SCRIPT.parent}:/usr/bin:/bin")
    saved = subprocess.run(
        ["neglect", "assess", "--answers", str(CASE), "--out", str(tmp_path / "rec.json")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert saved.returncode == 0, saved.stderr
    report, history = next_commands(saved.stderr)
    assert report == f"neglect report {tmp_path / 'rec.json'} --out {tmp_path / 'rec.html'}"
    assert history == "neglect history TRAIN-004 --training"


def report_on_a_terminal(tmp_path: Path, *args: str) -> tuple[int, str]:
    pexpect = pytest.importorskip("pexpect")
    record = tmp_path / "rec.json"
    if not record.exists():
        env = bare_env(tmp_path, os.environ.get("PATH", "/usr/bin:/bin"))
        subprocess.run(
            [sys.executable, "-m", "neglect_cli", "assess", "--answers", str(CASE), "--out", str(record)],
            env=env,
            capture_output=True,
            check=True,
        )
    child = pexpect.spawn(
        sys.executable,
        ["-m", "neglect_cli", "report", str(record), *args],
        env=bare_env(tmp_path, os.environ.get("PATH", "/usr/bin:/bin")),
        cwd=str(tmp_path),
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=30,
    )
    output = child.read()
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else -1), output


def test_html_report_on_a_terminal_is_refused_with_the_file_to_write_instead(tmp_path: Path) -> None:
    code, output = report_on_a_terminal(tmp_path, "--format", "html")
    assert code == 2
    assert "<html" not in output and "<style" not in output
    assert f"--out {tmp_path / 'rec.html'}" in " ".join(output.split())


def test_html_report_with_out_dash_on_a_terminal_is_printed_as_asked(tmp_path: Path) -> None:
    code, output = report_on_a_terminal(tmp_path, "--format", "html", "--out", "-")
    assert code == 0
    assert output.lstrip().startswith("<!DOCTYPE html>")


def test_html_caseload_on_a_terminal_is_refused(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "neglect_cli", "caseload", "--format", "html"],
        env=bare_env(tmp_path, os.environ.get("PATH", "/usr/bin:/bin")),
        cwd=str(tmp_path),
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=30,
    )
    output = child.read()
    child.close()
    assert child.exitstatus == 2, output
    assert "<html" not in output and "--out caseload_" in output


@pytest.mark.parametrize("command", ["diff", "trend"])
def test_html_diff_or_trend_on_a_terminal_is_refused_and_piped_is_printed(tmp_path: Path, command: str) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = bare_env(tmp_path, os.environ.get("PATH", "/usr/bin:/bin"))
    records = []
    for stem in ("10a-drift-first-review", "10b-drift-second-review"):
        records.append(str(tmp_path / f"{stem}.json"))
        subprocess.run(
            [sys.executable, "-m", "neglect_cli", "assess", "--answers", str(CASES / f"{stem}.yaml"), "--out"]
            + [records[-1]],
            env=env,
            capture_output=True,
            check=True,
        )
    child = pexpect.spawn(
        sys.executable,
        ["-m", "neglect_cli", command, *records, "--format", "html"],
        env=env,
        cwd=str(tmp_path),
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=30,
    )
    output = child.read()
    child.close()
    assert child.exitstatus == 2, output
    assert "<html" not in output and f"--out TRAIN-010_{command}_2026-09-07.html" in " ".join(output.split())
    piped = subprocess.run(
        [sys.executable, "-m", "neglect_cli", command, *records, "--format", "html"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert piped.returncode == 0 and piped.stdout.startswith("<!DOCTYPE html>")
