"""`neglect drafts list|discard`, and how `neglect assess` treats drafts and partial answers without a terminal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from helpers import TESTS, Neglect
from helpers.scripted import scripted_walk
from helpers.terminal import terminal_env

TOOL = TESTS / "interview" / "walk-tool.yaml"


def interrupted_walk(tmp_path: Path, ref: str, ratings: list[str]) -> Path:
    """A walk stopped by Ctrl-D after some ratings; returns the draft's path."""
    script = [ref, "", "", "", "30", "engaged", [], "no", "", "", *ratings]
    outcome, _ = scripted_walk(script, tool=str(TOOL), out=tmp_path)
    assert outcome.status == "interrupted" and outcome.draft_path is not None
    return outcome.draft_path


def test_drafts_list_with_no_drafts_says_so(neglect: Neglect) -> None:
    ran = neglect("drafts", "list")
    assert ran.exit_code == 0
    assert "no drafts" in ran.stderr


def test_drafts_list_shows_case_tool_progress_and_when_saved(neglect: Neglect, tmp_path: Path) -> None:
    interrupted_walk(tmp_path, "CASE-1", ["1", "1"])
    ran = neglect("drafts", "list")
    assert ran.exit_code == 0
    assert ran.stdout == "CASE-1  walk-test 1.0.0  2/4 answered  saved 2026-11-24 00:00 UTC\n"
    assert "neglect assess --resume CASE-1" not in ran.stdout  # hints go to stderr
    assert "neglect assess --resume" in ran.stderr


def test_drafts_list_as_json(neglect: Neglect, tmp_path: Path) -> None:
    path = interrupted_walk(tmp_path, "CASE-1", ["1"])
    ran = neglect("drafts", "list", "--format", "json")
    assert ran.exit_code == 0
    assert json.loads(ran.stdout) == [
        {
            "case_ref": "CASE-1",
            "tool": "walk-test@1.0.0",
            "answered": 1,
            "applicable": 4,
            "saved_at": "2026-11-24T00:00:00Z",
            "path": str(path),
            "problem": None,
            "open_in": None,
        }
    ]


def test_a_damaged_draft_is_listed_with_its_problem(neglect: Neglect, tmp_path: Path) -> None:
    path = interrupted_walk(tmp_path, "CASE-1", ["1"])
    (path.parent / "BROKEN.json").write_text('{"schema": "neglect-draft/1", "tool": 3}', encoding="utf-8")
    ran = neglect("drafts", "list")
    assert ran.exit_code == 0
    assert "CASE-1  walk-test" in ran.stdout
    assert "BROKEN.json: cannot be read" in ran.stdout


def test_drafts_discard_removes_the_draft(neglect: Neglect, tmp_path: Path) -> None:
    path = interrupted_walk(tmp_path, "CASE-1", ["1"])
    ran = neglect("drafts", "discard", "CASE-1")
    assert ran.exit_code == 0
    assert "discarded the draft for CASE-1" in ran.stderr
    assert not path.exists()


def test_drafts_discard_of_an_unknown_case_is_an_error(neglect: Neglect) -> None:
    ran = neglect("drafts", "discard", "NOPE-9")
    assert ran.exit_code == 2
    assert "no draft for 'NOPE-9'" in ran.stderr


def test_answers_and_resume_together_are_refused(neglect: Neglect, tmp_path: Path) -> None:
    ran = neglect("assess", "--answers", TESTS / "interview" / "walk-tool.yaml", "--resume", "CASE-1")
    assert ran.exit_code == 2
    assert "either --answers or --resume" in ran.stderr


def test_partial_answers_without_a_terminal_exit_2_listing_the_missing_items(neglect: Neglect, tmp_path: Path) -> None:
    answers = tmp_path / "partial.yaml"
    answers.write_text(
        f"tool: {TOOL}\ncase: {{ref: CASE-1, assessed_on: 2026-11-20}}\ncontext: {{age_months: 30}}\n"
        "answers:\n  physical.food: 1\n  medical.teeth: 1\n",
        encoding="utf-8",
    )
    ran = neglect("assess", "--answers", answers, input="")
    assert ran.exit_code == 2
    assert "physical.home, medical.appointments" in ran.stderr
    assert "no terminal to ask" in ran.stderr


def test_resume_without_a_terminal_exits_2_at_once(tmp_path: Path) -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "neglect_cli", "assess", "--resume"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=terminal_env(tmp_path),
        timeout=60,
    )
    assert ran.returncode == 2
    assert "needs a terminal" in ran.stderr
