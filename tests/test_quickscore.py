"""`neglect score` answered before the CLI framework loads (quickscore) says and does what the full CLI does.

Each comparison runs both in fresh processes: the entry point (`python -m neglect_cli`, which takes the
quick path for the forms it knows) and the typer app itself (`cli.run`, which never does).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import CASES, TESTS
from neglect_cli.quickscore import QuickScore, parse

FULL_CLI = "import sys; from neglect_cli.cli import run; sys.argv = ['neglect', *sys.argv[1:]]; sys.exit(run())"
# The entry point, listing on stderr every module it imported on the way out.
ENTRY_POINT = """
import atexit, json, sys
atexit.register(lambda: sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n"))
sys.argv = ["neglect", *sys.argv[1:]]
from neglect_cli.__main__ import main
main()
"""
BAD_ANSWERS = TESTS / "bad_inputs" / "answers" / "age-missing.yaml"


def run_both(args: list[str], stdin: str | None = None) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """The entry point's run (and the modules it loaded), after checking it matches the full CLI's byte for byte."""
    quick = subprocess.run(
        [sys.executable, "-c", ENTRY_POINT, "score", *args], input=stdin, capture_output=True, text=True, timeout=120
    )
    full = subprocess.run(
        [sys.executable, "-c", FULL_CLI, "score", *args], input=stdin, capture_output=True, text=True, timeout=120
    )
    quick_err, _, listed = quick.stderr.rpartition("\nMODULES ")
    assert listed, quick.stderr
    assert (quick.returncode, quick.stdout, quick_err) == (full.returncode, full.stdout, full.stderr)
    modules = {name.split(".", 1)[0] for name in json.loads(listed)}
    return quick, modules


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three shipped cases, and a fourth whose `expect:` the scores do not meet."""
    folder = tmp_path_factory.mktemp("quick-cases")
    for path in sorted(CASES.glob("0[1-3]-*.yaml")):
        shutil.copy(path, folder / path.name)
    first = (CASES / "01-universal-well-cared-for.yaml").read_text(encoding="utf-8")
    differs = first.replace("expect: {level: level-1,", "expect: {level: level-3,")
    assert differs != first
    (folder / "04-expects-too-much.yaml").write_text(differs, encoding="utf-8")
    return folder


FORMS = {
    "json": ["--format", "json"],
    "csv after the folder": ["-f", "csv"],
    "table": [],
    "csv, --jobs 2": ["--format=csv", "--jobs", "2"],
    "--check": ["--check"],
}


@pytest.mark.parametrize("form", FORMS, ids=list(FORMS))
def test_the_quick_path_prints_what_the_full_cli_prints(cases: Path, form: str) -> None:
    options = FORMS[form]
    args = [*options[2:], str(cases), *options[:2]] if form == "csv after the folder" else [*options, str(cases)]
    ran, modules = run_both(args)
    assert ran.returncode == (1 if form == "--check" else 0), ran.stderr
    assert "TRAIN-001" in ran.stdout
    assert "typer" not in modules  # answered before the framework loads


def test_invalid_and_missing_files_give_the_same_messages_and_exit_code(cases: Path, tmp_path: Path) -> None:
    ran, modules = run_both(["--format", "csv", str(cases), str(BAD_ANSWERS), str(tmp_path / "gone.yaml")])
    assert ran.returncode == 2
    assert f"{BAD_ANSWERS}:" in ran.stderr and "gone.yaml: no such file" in ran.stderr
    assert "2 of 6 file(s) were invalid and skipped" in ran.stderr
    assert "typer" not in modules


def test_the_whole_bad_input_corpus_gives_the_same_messages_both_ways() -> None:
    # Hostile files (alias bombs, deep nesting, duplicate keys, control characters...) are refused
    # by the same loading on the quick path, each with its file:line:column.
    corpus = TESTS / "bad_inputs" / "answers"
    ran, modules = run_both(["--format", "json", str(corpus)])
    assert ran.returncode == 2
    assert f"{corpus / 'alias.yaml'}:" in ran.stderr
    assert "typer" not in modules


def test_paths_on_stdin_and_an_empty_folder(cases: Path, tmp_path: Path) -> None:
    listing = "\n".join(str(path) for path in sorted(cases.iterdir())) + "\n"
    ran, _ = run_both(["--format", "json", "-"], stdin=listing)
    assert ran.returncode == 0 and len(json.loads(ran.stdout)) == 4
    (tmp_path / "empty").mkdir()
    ran, _ = run_both([str(tmp_path / "empty")])
    assert ran.returncode == 2 and "no answers files" in ran.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--out", "records", "case.yaml"],
        ["--redact", "case.yaml"],
        ["--force", "case.yaml"],
        ["--help"],
        ["-h"],
        ["--format", "xml", "case.yaml"],
        ["--format", "json", "--format", "csv", "case.yaml"],
        ["--jobs", "-1", "case.yaml"],
        ["--jobs", "two", "case.yaml"],
        ["--jobs"],
        ["--check", "--check", "case.yaml"],
        ["--", "case.yaml"],
        ["--format", "json"],
        [],
        ["case\x1b[2J.yaml"],
        ["case\u202e.yaml"],
    ],
    ids=repr,
)
def test_anything_else_is_left_to_the_full_cli(args: list[str]) -> None:
    assert parse(args) is None


def test_the_forms_it_answers() -> None:
    assert parse(["a.yaml", "-", "cases"]) == QuickScore(["a.yaml", "-", "cases"])
    assert parse(["-f", "csv", "a.yaml", "--jobs=0", "--check"]) == QuickScore(["a.yaml"], "csv", 0, True)
    assert parse(["--format=json", "a.yaml", "-j", "3"]) == QuickScore(["a.yaml"], "json", 3, False)


def test_usage_errors_still_come_from_the_full_cli() -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "neglect_cli", "score", "--format", "xml", "case.yaml"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 2
    assert "'xml' is not one of" in ran.stderr or "Invalid value" in ran.stderr
