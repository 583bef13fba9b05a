"""The walk reads "seen" as the record will (neglect-core 3.2.0, `child_seen: {within_days}`): a child last
seen long before the assessment is announced as not seen the moment the dates are given."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import TESTS
from helpers.scripted import ScriptedPrompter
from helpers.walktool import walk

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
    script = ["W-2", "", "", "", "60", "y", "y", dates, "y"]  # then it stops (end of script)
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
