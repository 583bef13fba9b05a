"""`neglect score --check`: a training set as a regression check. Each case's `expect:` (level, prompts,
provisional) against what comes out; differences listed; exit 0 all as expected, 1 any differs, 2 bad input."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from helpers import CASES, Neglect

TODDLER = CASES / "02-early-help-toddler.yaml"  # level-2; cumulative-needs, additional-need
LOW_COVERAGE = CASES / "11-incomplete-low-coverage.yaml"  # provisional


def with_expect(tmp_path: Path, case: Path, expect: str | None, name: str | None = None) -> Path:
    """A copy of a shipped case whose `expect:` line is replaced (None: removed)."""
    text = re.sub(r"^expect:.*\n", "" if expect is None else f"expect: {expect}\n", case.read_text(), flags=re.M)
    path = tmp_path / (name or case.name)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_case_that_comes_out_otherwise_is_listed_with_each_difference_and_exit_1(
    neglect: Neglect, tmp_path: Path
) -> None:
    expect = "{level: level-3, prompts: [cumulative-needs, serious-concern], provisional: true}"
    wrong = with_expect(tmp_path, TODDLER, expect)
    ran = neglect("score", wrong, LOW_COVERAGE, "--check")
    assert ran.exit_code == 1, ran.output
    assert ran.stdout.splitlines() == [
        f"DIFFERS  TRAIN-002  {wrong}",
        "  level: expected level-3; got level-2",
        "  prompts: expected cumulative-needs, serious-concern; got cumulative-needs, additional-need (missing "
        "serious-concern; also additional-need)",
        "  provisional: expected yes; got no",
        "2 case(s): 1 as expected, 1 differ, 0 unchecked",
    ]


def test_every_key_of_expect_is_optional_and_a_case_without_one_is_reported_unchecked(
    neglect: Neglect, tmp_path: Path
) -> None:
    level_only = with_expect(tmp_path, TODDLER, "{level: level-2}", "level-only.yaml")
    empty = with_expect(tmp_path, TODDLER, "{}", "empty.yaml")
    none = with_expect(tmp_path, TODDLER, None, "none.yaml")
    ran = neglect("score", level_only, empty, none, "--check")
    assert ran.exit_code == 0, ran.output
    assert ran.stdout.splitlines() == [
        f"unchecked  TRAIN-002  {none}: no `expect:` in the file",
        "3 case(s): 2 as expected, 0 differ, 1 unchecked",
    ]


def test_check_as_json_and_csv_gives_every_case_with_its_differences(neglect: Neglect, tmp_path: Path) -> None:
    wrong = with_expect(tmp_path, TODDLER, "{level: level-1}")
    ran = neglect("score", wrong, LOW_COVERAGE, "--check", "--format", "json")
    assert ran.exit_code == 1
    assert json.loads(ran.stdout) == [
        {
            "file": str(wrong),
            "ref": "TRAIN-002",
            "check": "differs",
            "differences": [{"what": "level", "expected": "level-1", "got": "level-2"}],
        },
        {"file": str(LOW_COVERAGE), "ref": "TRAIN-011", "check": "as expected", "differences": []},
    ]
    ran = neglect("score", wrong, LOW_COVERAGE, "--check", "--format", "csv")
    assert ran.exit_code == 1
    rows = list(csv.reader(io.StringIO(ran.stdout)))
    assert rows == [
        ["file", "ref", "check", "what", "expected", "got"],
        [str(wrong), "TRAIN-002", "differs", "level", "level-1", "level-2"],
        [str(LOW_COVERAGE), "TRAIN-011", "as expected", "", "", ""],
    ]


def test_check_with_worker_processes_gives_the_same_output(neglect: Neglect, tmp_path: Path) -> None:
    wrong = with_expect(tmp_path, TODDLER, "{prompts: []}")
    one = neglect("score", CASES, wrong, "--check", "--jobs", "1")
    many = neglect("score", CASES, wrong, "--check", "--jobs", "3")
    assert one.exit_code == many.exit_code == 1
    assert one.stdout == many.stdout and "DIFFERS  TRAIN-002" in many.stdout


@pytest.mark.parametrize(
    ("expect", "line"),
    [
        ("{level: level-9}", "expect.level: unknown band 'level-9': neglect-core has level-1, level-2, level-3, level-4"),  # noqa: E501
        (
            "{prompts: [cumulative-needs, no-such-rule]}",
            "expect.prompts[1]: unknown escalation 'no-such-rule' (`neglect tools show neglect-core` lists them)",
        ),
        ("{band: level-2}", "expect.band: unknown key"),
        ("{provisional: maybe}", "expect.provisional: Input should be a valid boolean"),
    ],
)
def test_a_bad_expectation_is_refused_with_file_line_and_field_exit_2(
    neglect: Neglect, tmp_path: Path, expect: str, line: str
) -> None:
    bad = with_expect(tmp_path, TODDLER, expect)
    number = bad.read_text().splitlines().index(f"expect: {expect}") + 1
    for args in (("score", bad, "--check"), ("score", bad), ("assess", "--answers", bad, "--out", tmp_path / "r.json")):
        ran = neglect(*args)
        assert ran.exit_code == 2, ran.output
        assert f"{bad}:{number}:" in ran.stderr and line in ran.stderr, ran.stderr
