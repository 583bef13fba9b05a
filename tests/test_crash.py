"""A bug is reported in one line with a crash log; neither the log nor `--debug` holds case text."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import TESTS, Neglect
from neglect_cli.store import state_dir

GOOD = TESTS / "bad_inputs" / "good"
ANSWERS = GOOD / "answers.yaml"
MARKER = "ZQXJ"


class CanonicalisationBug(RuntimeError):
    """Stands in for a bug deep in a dependency, whose message quotes the data it choked on."""


@pytest.fixture
def broken_dependency(monkeypatch: pytest.MonkeyPatch) -> None:
    """The JSON encoders that canonicalise every record before hashing (the standard library's,
    and rfc8785 for unusual values) fail, quoting the evidence they were given."""
    import json

    import rfc8785

    def dumps(data: object, *args: object, **kwargs: object) -> bytes:
        raise CanonicalisationBug(f"cannot encode {data!r}")

    monkeypatch.setattr(rfc8785, "dumps", dumps)
    monkeypatch.setattr(json, "dumps", dumps)


def crash_logs() -> list[Path]:
    return sorted((state_dir() / "crashes").glob("crash-*.log"))


@pytest.mark.usefixtures("broken_dependency")
def test_an_unexpected_error_is_one_line_with_a_crash_log_and_exit_1(neglect: Neglect, tmp_path: Path) -> None:
    ran = neglect("assess", "--answers", ANSWERS, "--out", tmp_path / "r.json")
    assert ran.exit_code == 1
    assert ran.stderr.count("\n") == 1, ran.stderr
    assert "internal error" in ran.stderr and "please report" in ran.stderr
    assert "Traceback" not in ran.output
    assert MARKER not in ran.output
    [log] = crash_logs()
    assert str(log) in ran.stderr
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    assert not (tmp_path / "r.json").exists()


@pytest.mark.usefixtures("broken_dependency")
def test_the_crash_log_has_the_frames_but_no_case_text(neglect: Neglect, tmp_path: Path) -> None:
    neglect("assess", "--answers", ANSWERS, "--out", tmp_path / "r.json")
    [log] = crash_logs()
    text = log.read_text()
    assert "Traceback (most recent call last):" in text
    assert "record.py" in text and "in seal" in text  # where it happened
    assert "CanonicalisationBug" in text  # what happened
    assert MARKER not in text and "fridge" not in text  # never what it was working on


@pytest.mark.usefixtures("broken_dependency")
def test_debug_shows_the_traceback_without_case_text(neglect: Neglect, tmp_path: Path) -> None:
    ran = neglect("--debug", "assess", "--answers", ANSWERS, "--out", tmp_path / "r.json")
    assert ran.exit_code == 1
    assert "Traceback (most recent call last):" in ran.stderr
    assert "in seal" in ran.stderr and "CanonicalisationBug" in ran.stderr
    assert MARKER not in ran.output


@pytest.mark.usefixtures("broken_dependency")
def test_each_crash_gets_its_own_log(neglect: Neglect, tmp_path: Path) -> None:
    neglect("assess", "--answers", ANSWERS, "--out", tmp_path / "a.json")
    neglect("verify", GOOD / "record.json")
    assert len(crash_logs()) == 2


def test_a_chained_exception_logs_both_without_messages() -> None:
    from neglect_cli.crash import safe_traceback

    try:
        try:
            raise KeyError(f"{MARKER} first")
        except KeyError as first:
            raise ValueError(f"{MARKER} second") from first
    except ValueError as exc:
        lines = safe_traceback(exc)
    text = "\n".join(lines)
    assert "builtins.KeyError" in text and "builtins.ValueError" in text
    assert text.count("Traceback (most recent call last):") == 2
    assert MARKER not in text


def test_user_errors_are_not_crashes(neglect: Neglect) -> None:
    ran = neglect("assess", "--answers", TESTS / "bad_inputs" / "answers" / "value-off-scale.yaml")
    assert ran.exit_code == 2
    assert "internal error" not in ran.output
    assert crash_logs() == []


CRASHING_PROCESS = """
import json, rfc8785, sys
def dumps(data, *args, **kwargs):
    raise RuntimeError("ZQXJ quoted evidence")
rfc8785.dumps = json.dumps = dumps
from neglect_cli.__main__ import main
main()
"""


def test_a_real_process_reports_a_crash_and_exits_1(tmp_path: Path) -> None:
    env = {**os.environ, "NEGLECT_TOOLS_PATH": str(GOOD / "tool")}
    ran = subprocess.run(
        [
            sys.executable,
            "-c",
            CRASHING_PROCESS,
            "assess",
            "--answers",
            str(ANSWERS),
            "--out",
            str(tmp_path / "r.json"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert ran.returncode == 1
    assert ran.stderr.startswith("error: internal error (RuntimeError) — please report — details in ")
    assert MARKER not in ran.stdout + ran.stderr
    assert "Traceback" not in ran.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="no RLIMIT_CORE")
def test_no_core_dumps_once_the_cli_has_started() -> None:
    code = (
        "import resource\n"
        "from neglect_cli.cli import run\n"
        "run(['tools', 'list', '--format', 'json'])\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE)[0])\n"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip().splitlines()[-1] == "0"
