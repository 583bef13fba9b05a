"""What a practitioner reads lists, within one severity, the escalation prompts that raised the level first,
while the record keeps its own order (severity, then tool order) so that it still re-scores to verify.

Review 6's case a1: a 7-month-old nobody has seen for months. `baby-not-seen` is what raised her to child
protection, and comes after other urgent prompts in the tool: a reader must meet it first."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from helpers import TESTS, Neglect

A1 = TESTS / "fixtures" / "levels" / "review6" / "a1-baby-7m-seen-only-at-new-birth-visit.yaml"
SEVERITIES = ["immediate", "urgent", "consult", "info"]


def words(text: str) -> str:
    """Text with its wrapping undone (tables and wrapped lines fold titles across lines)."""
    return " ".join(re.sub(r"[|+]", " ", text).split())


def reading_order(escalations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Most severe first; within a severity the prompts that raised the level, the highest floor first (the
    shipped tool's bands are `level-N`), then the rest, in tool order."""

    def floor(e: dict[str, Any]) -> int:
        return int(str(e["minimum_band"]).removeprefix("level-")) if e["raised"] else 0

    return [
        e
        for severity in SEVERITIES
        for raised in (True, False)
        for e in sorted(escalations, key=lambda e: -floor(e))
        if e["severity"] == severity and e["raised"] is raised
    ]


#: What stands just before a prompt's title where it heads the prompt: the summary and the terminal report's
#: "[URGENT — ACT TODAY] ", Markdown's "### Urgent — act today: ", HTML's "<span …>Urgent — act today</span>".
HEADING_ENDS = ("] ", ": ", "</span>")


def positions(text: str, needles: list[str], *, headings: bool = False) -> list[int]:
    """Where each needle first stands in the text, never where a longer needle that begins with it stands
    ("The child has not been seen" and "The child has not been seen and the carers are not engaging"). With
    `headings`, only where it heads a prompt: a prompt's text may begin with another prompt's title."""

    def first(needle: str) -> int:
        longer = [n for n in needles if len(n) > len(needle) and n.startswith(needle)]
        starts = HEADING_ENDS if headings else ("",)
        found = []
        for start in starts:
            at = text.find(start + needle)
            while at != -1 and any(text.startswith(start + n, at) for n in longer):
                at = text.find(start + needle, at + 1)
            if at != -1:
                found.append(at + len(start))
        return min(found, default=-1)

    found = [first(needle) for needle in needles]
    assert -1 not in found, [n for n, at in zip(needles, found, strict=True) if at == -1]
    return found


@pytest.fixture
def a1(neglect: Neglect, tmp_path: Path) -> tuple[Path, str, list[dict[str, Any]]]:
    """a1's record, the terminal summary `assess` printed, and the record's escalations in its own order."""
    record = tmp_path / "a1.json"
    ran = neglect("assess", "--answers", A1, "--out", record)
    assert ran.exit_code == 0, ran.output
    escalations = json.loads(record.read_text(encoding="utf-8"))["result"]["escalations"]
    # the case this proves: a prompt that raised the level stands, in the record, after a softer one
    urgent = [e for e in escalations if e["severity"] == "urgent"]
    assert any(e["raised"] for e in urgent) and not urgent[0]["raised"]
    return record, ran.stdout, escalations


def test_the_record_keeps_severity_then_tool_order_and_verifies(
    neglect: Neglect, a1: tuple[Path, str, list[dict[str, Any]]]
) -> None:
    record, _, escalations = a1
    urgent = [e["id"] for e in escalations if e["severity"] == "urgent"]
    assert urgent.index("baby-serious-concern") < urgent.index("baby-not-seen")
    assert neglect("verify", record).exit_code == 0


@pytest.mark.parametrize("fmt", ["assess", "terminal", "md", "html"])
def test_report_lists_the_prompt_that_raised_the_level_first_within_its_severity(
    neglect: Neglect, a1: tuple[Path, str, list[dict[str, Any]]], fmt: str
) -> None:
    record, summary, escalations = a1
    if fmt == "assess":
        shown = summary
    else:
        ran = neglect("report", record, "--format", fmt)
        assert ran.exit_code == 0, ran.output
        shown = ran.stdout
    titles = [e["title"] for e in reading_order(escalations)]
    assert titles != [e["title"] for e in escalations]
    at = positions(words(shown), titles, headings=True)
    assert at == sorted(at), titles
    raised = next(e for e in escalations if e["raised"] and e["severity"] == "urgent")
    assert titles[0] == raised["title"]


def test_diff_family_history_and_caseload_list_it_first_too(
    neglect: Neglect, a1: tuple[Path, str, list[dict[str, Any]]]
) -> None:
    record, _, escalations = a1
    ordered = reading_order(escalations)
    ids = [f"({e['id']})" for e in ordered]
    urgent_ids = [f"({e['id']})" for e in ordered if e["severity"] == "urgent"]
    tagged = [f"{e['severity'].upper()} {e['id']}" for e in ordered]

    for fmt in ("terminal", "md", "html"):
        ran = neglect("diff", record, record, "--format", fmt)
        assert ran.exit_code == 0, ran.output
        at = positions(words(ran.stdout), ids)
        assert at == sorted(at), (fmt, ids)

    assert neglect("family", "link", "FAM-A1", "PE6-A1").exit_code == 0
    for command in (("family", "show", "FAM-A1"), ("history", "PE6-A1")):
        ran = neglect(*command)
        assert ran.exit_code == 0, ran.output
        at = positions(words(ran.stdout), tagged)
        assert at == sorted(at), (command, tagged)

    ran = neglect("caseload", "--as-of", "2026-12-01")
    assert ran.exit_code == 0, ran.output
    at = positions(words(ran.stdout), urgent_ids)
    assert at == sorted(at), urgent_ids


H11 = TESTS / "fixtures" / "levels" / "review7" / "h11-order-baby-two-floors-same-severity.yaml"


def test_within_a_severity_the_prompt_that_set_the_final_level_leads_in_every_view(
    neglect: Neglect, tmp_path: Path
) -> None:
    """Review 7's h11: four urgent prompts raised the level, two to Level 3 and baby-not-seen and (since
    neglect-core 3.4.0) not-seen-access-refused to Level 4, the final level. Every view reads the two that set
    Level 4 first, then the two that raised to Level 3, each pair in tool order."""
    record = tmp_path / "h11.json"
    ran = neglect("assess", "--answers", H11, "--out", record, "--partial")
    assert ran.exit_code == 0, ran.output
    escalations = json.loads(record.read_text(encoding="utf-8"))["result"]["escalations"]
    raised = [e["id"] for e in escalations if e["severity"] == "urgent" and e["raised"]]
    # the record keeps tool order
    assert raised == ["baby-serious-concern", "engagement-concern", "baby-not-seen", "not-seen-access-refused"]
    ids = ["baby-not-seen", "not-seen-access-refused", "baby-serious-concern", "engagement-concern", "child-not-seen"]

    for fmt in ("terminal", "md", "html"):
        ran = neglect("diff", record, record, "--format", fmt)
        assert ran.exit_code == 0, ran.output
        at = positions(words(ran.stdout), [f"({i})" for i in ids])
        assert at == sorted(at), fmt
    assert neglect("family", "link", "FAM-H11", "PE7-H11").exit_code == 0
    for command in (("family", "show", "FAM-H11"), ("history", "PE7-H11")):
        ran = neglect(*command)
        assert ran.exit_code == 0, ran.output
        at = positions(words(ran.stdout), [f"URGENT {i}" for i in ids])
        assert at == sorted(at), command
