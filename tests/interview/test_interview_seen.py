"""The walk reads "seen" as the record will (neglect-core 3.2.0, `child_seen: {within_days}`): a child last
seen long before the assessment is announced as not seen the moment the dates are given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import TESTS
from helpers.scripted import ScriptedPrompter
from helpers.walktool import walk

WORLD_TOOL = str(TESTS / "interview" / "world-tool.yaml")
NOT_SEEN = """\
  - id: not-seen
    severity: urgent
    title: The child has not been seen
    prompt: See the child.
    when: {child_seen: {seen: false, within_days: 63}}
"""


def seen_on(tmp_path: Path, dates: str) -> ScriptedPrompter:
    """Walk the world test tool (assessed 2026-11-24, the tests' today) up to the seen section's dates."""
    tool = (TESTS / "interview" / "world-tool.yaml").read_text(encoding="utf-8")
    path = tmp_path / "tool.yaml"
    path.write_text(tool.replace("reflection:\n", NOT_SEEN + "reflection:\n", 1), encoding="utf-8")
    alone = [dates.split(",")[-1].strip()] if "," in dates else []  # several dates: which were alone (the last)
    script = ["W-2", "", "", "", "60", "y", "y", dates, *alone, "y"]  # then it stops (end of script)
    _, prompter = walk(tmp_path, script, tool=str(path))
    return prompter


@pytest.mark.parametrize(
    ("dates", "announced"), [("2026-03-20", True), ("2026-03-20, 2026-09-22", False), ("2026-09-21", True)]
)
def test_a_child_last_seen_more_than_63_days_before_is_announced_as_not_seen(
    tmp_path: Path, dates: str, announced: bool
) -> None:
    prompter = seen_on(tmp_path, dates)
    assert ("urgent: The child has not been seen" in prompter.shown("alert")) is announced


def test_the_walk_asks_which_dates_were_alone_and_takes_only_dates_seen(tmp_path: Path) -> None:
    """Review 6, 3.5: seen alone, on several dates, the walk asks which were on their own (no default: Enter picks
    nothing), refuses a date the child was not seen and one after the assessment, and keeps the answer in the draft."""
    script = ["W-3", "", "", "", "170", "y", "y", "2026-09-21, 2026-11-20"]
    script += ["", "2026-10-01", "2026-12-01", "21/09/2026", "y"]  # then it stops (end of script)
    _, prompter = walk(tmp_path, script, tool=WORLD_TOOL)
    assert "On which of these dates did you see the child on their own?" in prompter.shown("text")
    assert prompter.shown("invalid") == [
        "give at least one of the dates seen: 2026-09-21, 2026-11-20",
        "2026-10-01 is not one of the dates seen: give one of 2026-09-21, 2026-11-20",
        "2026-12-01 is after the assessment's date (2026-11-24): give only dates the child was seen on or before it, "
        "or correct the assessment date",
    ]
    kept = json.loads((tmp_path / "state" / "neglect-cli" / "drafts" / "W-3.json").read_text(encoding="utf-8"))
    assert kept["world"]["child"]["seen_alone_on"] == ["2026-09-21"]


@pytest.mark.parametrize(("seen", "alone"), [("n", "2026-11-20"), ("y", None)], ids=["not-alone", "one-date"])
def test_the_walk_asks_no_alone_dates_when_not_seen_alone_or_seen_once(
    tmp_path: Path, seen: str, alone: str | None
) -> None:
    dates = "2026-09-21, 2026-11-20" if alone else "2026-11-20"
    _, prompter = walk(tmp_path, ["W-4", "", "", "", "170", "y", seen, dates, "y"], tool=WORLD_TOOL)
    assert "On which of these dates did you see the child on their own?" not in prompter.shown("text")
    kept = json.loads((tmp_path / "state" / "neglect-cli" / "drafts" / "W-4.json").read_text(encoding="utf-8"))
    assert "seen_alone_on" not in kept["world"]["child"]
