"""The walk asks for the plan after the summary and any override, and a draft keeps it (issue 16)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import TESTS, Neglect
from helpers.scripted import ScriptedPrompter, TypedThen, scripted_walk
from neglect_cli.interview import WalkOutcome

PLANS = TESTS / "fixtures" / "plans"
TOOL = PLANS / "walk-plans.yaml"
CASE = ["PLAN-1", "", "A. Worker", ""]  # case ref, date (Enter: today, 2026-11-24), assessor, supervisor
FACTS = ["30", "engaged", ["substance_misuse"], "no", "2026-11-01", ""]
# food 3 (a need), home 1, appointments 3 (a need), teeth 1: the level is High, which requires a plan
ITEMS = ["3", "No food in the house on two visits", "1", "3", "Two dental checks missed", "1"]
REVIEW = ["", "k"]  # no child's voice, keep the level
OUTCOME = "The child has breakfast and tea every day and is not hungry at nursery."
ACTION = ["Food bank referral and a slow cooker", "Family support worker", "2026-12-01", "n"]
CONTINGENCY = "If the child is still hungry at nursery by the review, the case goes to a strategy discussion."
RECORD_NAME = "PLAN-1_2026-11-24.json"


@pytest.fixture(autouse=True)
def plans_tool_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(PLANS))


def walk(tmp_path: Path, script: list[Any], **options: Any) -> tuple[WalkOutcome, ScriptedPrompter]:
    return scripted_walk(script, tool=options.pop("tool", str(TOOL)), out=tmp_path, **options)


def record(tmp_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((tmp_path / RECORD_NAME).read_text(encoding="utf-8"))
    return data


def test_the_walk_asks_for_the_plan_after_the_override_and_writes_it(neglect: Neglect, tmp_path: Path) -> None:
    plan = ["p", ["physical.food"], OUTCOME, *ACTION, CONTINGENCY, ""]
    outcome, prompter = walk(tmp_path, CASE + FACTS + ITEMS + REVIEW + plan + ["s"])
    assert outcome.status == "written"
    assert prompter.index("choose", "Does the level of need match") < prompter.index("choose", "The plan")
    assert "High asks for a review within 4 weeks: by 2026-12-22." in prompter.shown("say")
    written = record(tmp_path)["plan"]
    assert written == {
        "needs": [
            {
                "item": "physical.food",
                "outcome": OUTCOME,
                "actions": [{"what": ACTION[0], "who": ACTION[1], "by": "2026-12-01"}],
                "contingency": CONTINGENCY,
            }
        ],
        "review_on": "2026-12-22",
        "review_later_because": None,
        "deferred_to": None,
    }
    assert neglect("verify", tmp_path / RECORD_NAME).exit_code == 0


def test_the_walk_says_what_to_fix_in_a_plan(tmp_path: Path) -> None:
    plan = [
        "p",
        ["physical.food", "medical.appointments"],
        "Mother to engage with the health visitor",  # refused: about an adult, not the child
        OUTCOME,
        "Food bank referral",
        "Mrs Example",  # refused: a name
        "Family support worker",
        "2026-11-01",  # refused: before the assessment
        "2026-12-01",
        "n",
        "",  # refused: no contingency
        CONTINGENCY,
        "The child's teeth are checked and treated; no pain when eating.",
        "Book and go to the dentist together",
        "Mother",
        "2026-12-10",
        "n",
        "If the checks are missed again, a child in need meeting within two weeks.",
        "2027-02-01",  # later than the level asks
        "",  # refused: putting it back needs a reason
        "The dentist's first appointment is in late January.",
        "s",
    ]
    outcome, prompter = walk(tmp_path, CASE + FACTS + ITEMS + REVIEW + plan)
    assert outcome.status == "written"
    invalid = prompter.shown("invalid")
    assert invalid[0].startswith("say what will be different for the child (what someone would see)")
    assert invalid[1] == "give a role (Mother, Health visitor, Social worker), never a name"
    assert invalid[2] == "2026-11-01 is before the assessment (2026-11-24): give a later date"
    assert invalid[3].startswith("say what will happen")
    assert invalid[4] == "putting the review back needs a reason"
    written = record(tmp_path)["plan"]
    assert [need["item"] for need in written["needs"]] == ["physical.food", "medical.appointments"]
    assert written["review_on"] == "2027-02-01"
    assert written["review_later_because"] == "The dentist's first appointment is in late January."


def test_the_plan_may_be_deferred_to_a_meeting(neglect: Neglect, tmp_path: Path) -> None:
    plan = ["m", "Child in need meeting", "2026-12-03", "s"]
    outcome, _ = walk(tmp_path, CASE + FACTS + ITEMS + REVIEW + plan)
    assert outcome.status == "written"
    written = record(tmp_path)["plan"]
    assert written["deferred_to"] == {"meeting": "Child in need meeting", "date": "2026-12-03"}
    assert neglect("verify", tmp_path / RECORD_NAME).exit_code == 0


def test_ctrl_c_in_the_plan_keeps_it_in_the_draft_and_resume_offers_it_again(tmp_path: Path) -> None:
    plan = ["p", ["physical.food"], OUTCOME, *ACTION, TypedThen("If the child is still")]
    outcome, _ = walk(tmp_path, CASE + FACTS + ITEMS + REVIEW + plan)
    assert outcome.status == "interrupted"
    from neglect_cli.drafts import draft_path, load_draft

    kept = load_draft(draft_path("PLAN-1")).plan
    assert kept is not None and kept.needs[0].outcome == OUTCOME
    assert kept.needs[0].actions[0].by.isoformat() == "2026-12-01"

    resumed = ["", "", "", ["physical.food"], "", "k", CONTINGENCY, "", "s"]
    outcome, prompter = walk(tmp_path, resumed, tool=None, resume="PLAN-1")
    assert outcome.status == "written"
    assert OUTCOME in prompter.defaults  # the outcome typed before Ctrl-C is offered again
    assert record(tmp_path)["plan"]["needs"][0]["contingency"] == CONTINGENCY


def test_a_level_that_needs_no_plan_asks_for_none(tmp_path: Path) -> None:
    outcome, prompter = walk(tmp_path, CASE + FACTS + ["1", "1", "1", "1"] + REVIEW + ["s"])
    assert outcome.status == "written"
    assert "The plan" not in prompter.shown("choose")
    assert record(tmp_path)["plan"] is None
