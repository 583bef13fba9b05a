"""Tools of my own in the documented formats, named the way the docs allow (by path, relative to the
answers file, or by `id@version` on NEGLECT_TOOLS_PATH), run through the commands a user would: the
second independent check (hostile2).

The tools (tests/fixtures/other_tools/independent/tools/): `harbour` (format 1: three domains, a four-point
scale, weights, ages, `mean_domains`, and a rule of every format-1 condition kind), `meadow` 1.0.0
(format 2: hardship with its filters, does-not-apply) and 2.0.0 (format 3: a six-point scale, every section
of the child's world, `ask_if`, `known`, `plan_required`, `formerly`, `child_seen` with `within_days`,
`capacity`). The harbour cases name their tool by path (`tool: ../tools/harbour.yaml`), as `neglect
template` writes it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from helpers import TESTS, Neglect

FIXTURES = TESTS / "fixtures" / "other_tools" / "independent"
TOOLS = FIXTURES / "tools"
ANSWERS = FIXTURES / "answers"


def test_the_tools_are_valid_and_every_case_comes_out_as_it_expects(
    neglect: Neglect, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(TOOLS))  # meadow is named by id@version
    ran = neglect("tools", "validate", *sorted(TOOLS.glob("*.yaml")))
    assert ran.exit_code == 0, ran.output
    ran = neglect("score", ANSWERS, "--check")
    assert ran.exit_code == 0, ran.output
    assert "5 case(s): 4 as expected, 0 differ, 1 unchecked" in ran.stdout


def test_a_record_made_with_a_tool_named_by_path_keeps_its_levels_and_review_date_in_the_store(
    neglect: Neglect, tmp_path: Path
) -> None:
    # the tool is named by path in the answers file and is not on NEGLECT_TOOLS_PATH: the store looked
    # it up by id@version, found nothing, and kept the record with no labels and no review date, so the
    # caseload never listed the child's review as overdue (Act asks for one within 3 weeks)
    ran = neglect("assess", "--answers", ANSWERS / "harbour-b.yaml", "--out", tmp_path / "b.json")
    assert ran.exit_code == 0, ran.output

    history = neglect("history", "HB-001", "--training", "--format", "json")
    assert history.exit_code == 0, history.output
    (row,) = json.loads(history.stdout)["assessments"]
    assert (row["final_label"], row["review_due"]) == ("Act", "2026-06-08")

    caseload = neglect("caseload", "--training", "--as-of", "2026-06-30", "--format", "json")
    assert caseload.exit_code == 0, caseload.output
    overdue = json.loads(caseload.stdout)["sections"]["overdue"]["entries"]
    assert [(c["case_ref"], c["why"]) for c in overdue] == [("HB-001", "review was due 2026-06-08: overdue by 22 days")]


def test_tools_list_never_breaks_a_tools_path(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # README: "A path or URL is never broken"; the source column folded a long path across lines
    folder = tmp_path / "a-partnership-folder-with-a-long-name" / "neglect-tools"
    folder.mkdir(parents=True)
    (folder / "harbour.yaml").write_bytes((TOOLS / "harbour.yaml").read_bytes())
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(folder))
    monkeypatch.setenv("COLUMNS", "80")
    ran = neglect("tools", "list")
    assert ran.exit_code == 0, ran.output
    assert str(folder / "harbour.yaml") in ran.stdout.splitlines()[-1]
    assert all(len(line) <= 80 for line in ran.stdout.splitlines()[:-1])


def test_a_tools_path_entry_that_is_not_a_folder_is_named(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # NEGLECT_TOOLS_PATH set to the tool file itself (or a folder that is not there) was passed over without a
    # word: `tools list` did not show the tool, and a case naming it by id said only "unknown tool"
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", f"{TOOLS / 'meadow-2.yaml'}{os.pathsep}{tmp_path / 'nowhere'}")
    listed = neglect("tools", "list")
    assert listed.exit_code == 0, listed.output
    assert f"NEGLECT_TOOLS_PATH: {TOOLS / 'meadow-2.yaml'} is a file, not a folder: give the folder" in listed.stderr
    assert f"NEGLECT_TOOLS_PATH: {tmp_path / 'nowhere'}: no such folder" in listed.stderr
    ran = neglect("score", ANSWERS / "meadow-b.yaml")
    assert ran.exit_code == 2
    assert "unknown tool 'meadow@2.0.0'" in ran.stderr and "is a file, not a folder" in ran.stderr
