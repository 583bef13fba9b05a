"""The walk starts with the review of the child's last plan when the store holds one (issue 16)."""

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
CASE = ["PLAN-1", "", "A. Worker", ""]  # today is 2026-11-24
FOOD_REVIEW = ["d", "p", "n", "Nursery say the child is still hungry most mornings."]
TEETH_REVIEW = ["d", "y", "Seen by the dentist on 18 November; two fillings done."]
FACTS = ["30", "engaged", ["substance_misuse"], "no", "2026-11-01", ""]
ITEMS = ["3", "Still no food in the house on the visit of 20 November", "1", "1", "1"]
FINISH = ["", "k"]  # no child's voice, keep the level
PLAN = [
    "p",
    ["physical.food"],
    "The child has breakfast and tea every day and is not hungry at nursery.",
    "Weekly food shop together",
    "Family support worker",
    "2026-12-01",
    "n",
    "If the child is still hungry at nursery, a strategy discussion.",
    "",
    "s",
]


@pytest.fixture(autouse=True)
def earlier_assessment(neglect: Neglect, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """PLAN-1's assessment of 2026-11-01, with its plan, in the store."""
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(PLANS))
    ran = neglect("assess", "--answers", PLANS / "walk-earlier.yaml", "--out", tmp_path / "earlier.json")
    assert ran.exit_code == 0, ran.output


def walk(tmp_path: Path, script: list[Any], **options: Any) -> tuple[WalkOutcome, ScriptedPrompter]:
    (tmp_path / "out").mkdir(exist_ok=True)
    return scripted_walk(script, tool=options.pop("tool", str(TOOL)), out=tmp_path / "out", **options)


def written(tmp_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((tmp_path / "out" / "PLAN-1_2026-11-24.json").read_text(encoding="utf-8"))
    return data


def test_the_walk_reviews_the_last_plan_first_and_shows_earlier_ratings_only_after_new_ones(
    neglect: Neglect, tmp_path: Path
) -> None:
    outcome, prompter = walk(tmp_path, CASE + FOOD_REVIEW + TEETH_REVIEW + FACTS + ITEMS + FINISH + PLAN)
    assert outcome.status == "written"
    assert prompter.index("heading", "Review of the last plan (assessment of 2026-11-01)") < prompter.index(
        "text", "Age in months?"
    )
    earlier = "At the last assessment (2026-11-01) this was rated 3 (Serious worry): the same now."
    # shown after the food rating was given, never before it
    assert prompter.index("choose", "Rating for Food") < prompter.index("say", earlier)
    review = written(tmp_path)["review"]
    earlier_record = json.loads((tmp_path / "earlier.json").read_text(encoding="utf-8"))
    assert review["previous_sha256"] == earlier_record["integrity"]["sha256"]
    food, teeth = review["needs"]
    assert (food["achieved"], [a["status"] for a in food["actions"]]) == (False, ["done", "partly"])
    assert (teeth["achieved"], [a["status"] for a in teeth["actions"]]) == (True, ["done"])
    assert teeth["evidence"] == "Seen by the dentist on 18 November; two fillings done."
    assert neglect("verify", tmp_path / "out" / "PLAN-1_2026-11-24.json").exit_code == 0


def test_ctrl_c_in_the_review_keeps_each_need_reviewed_and_resumes_with_the_next(tmp_path: Path) -> None:
    outcome, _ = walk(tmp_path, CASE + FOOD_REVIEW + ["d", "y", TypedThen("Seen by the")])
    assert outcome.status == "interrupted"
    from neglect_cli.drafts import draft_path, load_draft

    kept = load_draft(draft_path("PLAN-1")).review
    assert kept is not None and [need.item for need in kept.needs] == ["physical.food"]

    outcome, prompter = walk(tmp_path, TEETH_REVIEW + FACTS + ITEMS + FINISH + PLAN, tool=None, resume="PLAN-1")
    assert outcome.status == "written"
    needs = [text for text in prompter.shown("heading") if text.startswith("Need: ")]
    assert needs[0] == "Need: Appointments"  # the food need reviewed before Ctrl-C is not asked again
    assert [need["item"] for need in written(tmp_path)["review"]["needs"]] == ["physical.food", "medical.appointments"]


def test_a_child_with_no_earlier_plan_is_not_asked_for_a_review(tmp_path: Path) -> None:
    script = ["PLAN-9", "", "A. Worker", ""] + FACTS + ["1", "1", "1", "1"] + FINISH + ["s"]
    outcome, prompter = walk(tmp_path, script)
    assert outcome.status == "written"
    assert not any(text.startswith("Review of the last plan") for text in prompter.shown("heading"))
