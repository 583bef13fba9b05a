"""Review 4 (1.8, 1.9): a provisional report names the domains with too few items answered, says how to
see the child for their age and how they communicate, and that red flags do not wait for the missing answers.
The words are built from the record, never from one tool: a tool in the first format gets them too."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import CASES, TESTS, Neglect

MINI_CASE = TESTS / "fixtures" / "answers" / "mini-case.yaml"
MINI_TOOL = TESTS / "fixtures" / "tools" / "mini.yaml"
RED_FLAGS = "The red flags below do not wait for the missing answers"


def variant(source: Path, folder: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    path = folder / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def assessed(neglect: Neglect, case: Path, folder: Path) -> dict[str, Any]:
    out = folder / "record.json"
    ran = neglect("assess", "--answers", case, "--out", out, "--partial", "--force")
    assert ran.exit_code == 0, ran.output
    return {"path": out, "data": json.loads(out.read_text(encoding="utf-8"))}


def banner(neglect: Neglect, record: Path, fmt: str) -> str:
    """The provisional banner of a report, in one line."""
    ran = neglect("report", record, "--format", fmt)
    assert ran.exit_code == 0, ran.output
    text = " ".join(ran.stdout.replace("&#x27;", "'").split())
    marker = {
        "terminal": "PROVISIONAL — NOT ENOUGH KNOWN:",
        "md": "**Provisional — not enough known:**",
        "html": "<strong>Provisional — not enough known:</strong>",
    }[fmt]
    assert marker in text, fmt
    start = text.index(marker)
    ends = [i for i in (text.find(" Still not known:", start), text.find("Still not known:", start)) if i > 0]
    return text[start : min(ends)] if ends else text[start : start + 1200]


def no_health_answers(data: dict[str, Any]) -> None:
    data["answers"] = {k: v for k, v in data["answers"].items() if not k.startswith("medical.")}


@pytest.mark.parametrize("fmt", ["terminal", "md", "html"])
def test_a_baby_in_danger_with_a_domain_unanswered_gets_the_domain_the_red_flags_and_observation(
    neglect: Neglect, tmp_path: Path, fmt: str
) -> None:
    record = assessed(neglect, variant(CASES / "14-first-sight-baby-sofa.yaml", tmp_path, no_health_answers), tmp_path)
    overall = record["data"]["result"]["overall"]
    assert overall["incomplete"] and overall["band"] == "level-4"  # the level is not lowered by what is missing
    said = banner(neglect, record["path"], fmt)
    assert "Too few items are answered in the Health care domain (0 of 5 answered)" in said
    assert "observe the baby with and without their carers" in said and "health visitor and GP" in said
    assert "see the child on their own" not in said
    assert RED_FLAGS in said


def not_yet_seen_alone(data: dict[str, Any]) -> None:
    no_health_answers(data)
    data["child"]["seen_alone"] = False


def test_a_school_age_child_is_to_be_seen_on_their_own(neglect: Neglect, tmp_path: Path) -> None:
    record = assessed(
        neglect, variant(CASES / "04-child-protection-left-alone.yaml", tmp_path, not_yet_seen_alone), tmp_path
    )
    said = banner(neglect, record["path"], "md")
    assert "Too few items are answered in the Health care domain (0 of 5 answered)" in said
    assert "see the child on their own, in a way that suits their age" in said
    assert "observe the" not in said
    assert RED_FLAGS in said  # the child was found alone at night: an immediate prompt


def test_an_older_child_without_words_is_observed_with_their_carer(neglect: Neglect, tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        no_health_answers(data)
        data["child"] = {
            "seen": True,
            "seen_alone": False,
            "seen_on": ["2026-02-10"],
            "uses_words": False,
            "observed": "Watched the child play with the carer.",
        }

    record = assessed(neglect, variant(CASES / "04-child-protection-left-alone.yaml", tmp_path, change), tmp_path)
    said = banner(neglect, record["path"], "md")
    assert "observe the child with and without their carers" in said and "those who know how they communicate" in said
    assert "see the child on their own" not in said


def test_without_an_urgent_prompt_nothing_is_said_about_red_flags(neglect: Neglect, tmp_path: Path) -> None:
    record = assessed(neglect, CASES / "11-incomplete-low-coverage.yaml", tmp_path)
    severities = {e["severity"] for e in record["data"]["result"]["escalations"]}
    assert not severities & {"immediate", "urgent"}
    said = banner(neglect, record["path"], "md")
    assert RED_FLAGS not in said
    assert "in these domains to rely on this result: Physical care, supervision and safety (5 of 9 answered);" in said


def test_a_tool_in_the_first_format_gets_the_same_words(neglect: Neglect, tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["tool"] = str(MINI_TOOL)
        data["context"]["age_months"] = 12
        data["answers"]["physical.food"] = {"value": 5, "evidence": "No food in the home."}
        data["answers"]["emotional.mood"] = {"not_known": "Not yet seen."}

    record = assessed(neglect, variant(MINI_CASE, tmp_path, change), tmp_path)
    said = banner(neglect, record["path"], "md")
    assert "Too few items are answered in the Emotional care domain (0 of 2 answered)" in said
    assert "observe the baby with and without their carers" in said
    assert RED_FLAGS in said


def test_a_toddler_under_two_with_some_words_is_still_observed_and_the_health_visitor_asked(
    neglect: Neglect, tmp_path: Path
) -> None:
    """A child under two cannot yet tell anyone what happens at home, whatever words they have: the banner
    says to observe them, as the "To check:" line for being seen alone does (`world.observed_rather_than_told`)."""

    def change(data: dict[str, Any]) -> None:
        no_health_answers(data)
        data["context"]["age_months"] = 20
        data["answers"].pop("physical.safe_sleep")  # for a baby up to 12 months
        data["plan"]["needs"] = [n for n in data["plan"]["needs"] if n["item"] != "physical.safe_sleep"]
        data["child"]["uses_words"] = True

    record = assessed(neglect, variant(CASES / "14-first-sight-baby-sofa.yaml", tmp_path, change), tmp_path)
    said = banner(neglect, record["path"], "md")
    assert "observe the baby with and without their carers" in said and "health visitor and GP" in said
    assert "see the child on their own" not in said
