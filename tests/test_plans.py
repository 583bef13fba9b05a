"""The plan an assessment ends with: answers files carry it, records keep it, verify checks it (issue 16)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import CASES, Neglect
from helpers.minitool import FIXTURES, mini_data, problems_of

PLANS = FIXTURES / "plans"
PLANS_TOOL = PLANS / "mini-plans.yaml"


@pytest.fixture(autouse=True)
def plans_tool_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """`verify` finds the record's tool by id."""
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(PLANS))


def case(tmp_path: Path, plan: dict[str, Any] | None, **answers: Any) -> Path:
    """An answers file for mini-plans: food 4 and home 3 give the top level (plan required, review in 4 weeks)."""
    data: dict[str, Any] = {
        "tool": str(PLANS_TOOL),
        "case": {"ref": "PLAN-001", "assessed_on": "2026-11-02"},
        "context": {"age_months": 60},
        "answers": answers
        or {
            "physical.food": {"value": 4, "evidence": "Fridge empty on two visits."},
            "physical.home": 3,
            "emotional.warmth": 2,
            "emotional.mood": 2,
            "medical.appointments": 1,
        },
    }
    if plan is not None:
        data["plan"] = plan
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def need(item: str = "physical.food", by: str = "2026-11-16", **changes: Any) -> dict[str, Any]:
    return {
        "item": item,
        "outcome": "The child has breakfast and a hot meal every day; school see no hunger.",
        "actions": [{"what": "Food bank referral and free school meals claim", "who": "Social worker", "by": by}],
        "contingency": "If the child is still hungry at school at the review, hold a strategy discussion.",
        **changes,
    }


def assess(neglect: Neglect, answers: Path, out: Path, *extra: str) -> dict[str, Any]:
    ran = neglect("assess", "--answers", answers, "--out", out, *extra)
    assert ran.exit_code == 0, ran.output
    return dict(json.loads(out.read_text(encoding="utf-8")))


def test_a_plan_in_an_answers_file_is_kept_in_the_record_with_the_review_date_the_level_asks(
    neglect: Neglect, tmp_path: Path
) -> None:
    record = assess(neglect, case(tmp_path, {"needs": [need()]}), tmp_path / "r.json")
    assert record["schema"] == "neglect-record/3"
    assert record["result"]["overall"]["band"] == "top"
    plan = record["plan"]
    assert plan["review_on"] == "2026-11-30"  # the top level's 4 weeks from 2026-11-02
    assert plan["needs"][0]["item"] == "physical.food"
    assert plan["needs"][0]["actions"] == [
        {"what": "Food bank referral and free school meals claim", "who": "Social worker", "by": "2026-11-16"}
    ]
    assert neglect("verify", tmp_path / "r.json").exit_code == 0


def test_a_level_that_requires_a_plan_is_not_sealed_without_one_and_the_message_names_the_level(
    neglect: Neglect, tmp_path: Path
) -> None:
    ran = neglect("assess", "--answers", case(tmp_path, None), "--out", tmp_path / "r.json")
    assert ran.exit_code == 2
    message = " ".join(ran.stderr.split())
    assert "answers.yaml:7: plan: these answers give Top" in message  # at `answers:`; the level is never hidden
    assert "that level needs a plan before a record is sealed: add plan: with its needs" in message
    assert "or defer it with plan: {deferred_to: {meeting: NAME, date: YYYY-MM-DD}}" in message
    assert not (tmp_path / "r.json").exists()


def test_a_child_protection_case_refused_for_want_of_a_plan_still_names_its_most_pressing_prompt(
    neglect: Neglect, tmp_path: Path
) -> None:
    case_file = yaml.safe_load((CASES / "04-child-protection-left-alone.yaml").read_text(encoding="utf-8"))
    case_file.pop("plan")
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case_file, sort_keys=False), encoding="utf-8")
    ran = neglect("assess", "--answers", path, "--out", tmp_path / "r.json")
    assert ran.exit_code == 2
    message = " ".join(ran.stderr.split())
    assert "these answers give Level 4 — child protection" in message
    assert "(the most pressing: IMMEDIATE, The child may be in danger now)" in message


def test_score_of_a_case_without_a_required_plan_still_scores_and_warns(neglect: Neglect, tmp_path: Path) -> None:
    ran = neglect("score", case(tmp_path, None), "--format", "csv")
    assert ran.exit_code == 0, ran.stderr
    assert ",top," in ran.stdout  # the level is given as for any case
    assert "warning:" in ran.stderr and "these answers give Top" in " ".join(ran.stderr.split())


def test_score_out_shows_the_level_but_writes_no_record_without_a_required_plan(
    neglect: Neglect, tmp_path: Path
) -> None:
    ran = neglect("score", case(tmp_path, None), "--format", "csv", "--out", tmp_path / "records")
    assert ran.exit_code == 2
    assert ",top," in ran.stdout
    assert "no record written" in ran.stderr and "1 record(s) not written: their level needs a plan" in ran.stderr
    assert list((tmp_path / "records").iterdir()) == []


def test_a_plan_deferred_to_a_meeting_lets_the_record_be_sealed(neglect: Neglect, tmp_path: Path) -> None:
    deferred = {"deferred_to": {"meeting": "Child in need meeting", "date": "2026-11-09"}}
    ran = neglect("assess", "--answers", case(tmp_path, deferred), "--out", tmp_path / "r.json")
    assert ran.exit_code == 0, ran.stderr
    assert neglect("verify", tmp_path / "r.json").exit_code == 0


def test_a_level_that_does_not_require_a_plan_is_written_without_one(neglect: Neglect, tmp_path: Path) -> None:
    ratings = {"physical.food": 2, "physical.home": 2, "emotional.warmth": 1, "emotional.mood": 1}
    low = case(tmp_path, None, **ratings, **{"medical.appointments": 1})
    record = assess(neglect, low, tmp_path / "r.json")
    assert record["result"]["overall"]["band"] == "mid" and record["plan"] is None


def test_a_plan_may_be_deferred_to_a_named_meeting(neglect: Neglect, tmp_path: Path) -> None:
    plan = {"deferred_to": {"meeting": "Child in need meeting", "date": "2026-11-09"}}
    record = assess(neglect, case(tmp_path, plan), tmp_path / "r.json")
    assert record["plan"]["deferred_to"] == {"meeting": "Child in need meeting", "date": "2026-11-09"}
    assert record["plan"]["needs"] == [] and record["plan"]["review_on"] == "2026-11-30"
    assert neglect("verify", tmp_path / "r.json").exit_code == 0


def test_the_review_may_be_brought_forward_freely(neglect: Neglect, tmp_path: Path) -> None:
    record = assess(neglect, case(tmp_path, {"needs": [need()], "review_on": "2026-11-20"}), tmp_path / "r.json")
    assert record["plan"]["review_on"] == "2026-11-20"


def test_putting_the_review_back_needs_a_reason(neglect: Neglect, tmp_path: Path) -> None:
    later = {"needs": [need()], "review_on": "2026-12-14"}
    ran = neglect("assess", "--answers", case(tmp_path, later), "--out", tmp_path / "r.json")
    assert ran.exit_code == 2
    assert "plan.review_on: 2026-12-14 is later than 2026-11-30 (Top asks for a review within 4 weeks)" in ran.stderr
    with_reason = {**later, "review_later_because": "The core group meets on 14 December; review there."}
    record = assess(neglect, case(tmp_path, with_reason), tmp_path / "r.json")
    assert record["plan"]["review_on"] == "2026-12-14"
    assert neglect("verify", tmp_path / "r.json").exit_code == 0


def test_a_reason_for_putting_the_review_back_is_refused_when_it_is_not_put_back(
    neglect: Neglect, tmp_path: Path
) -> None:
    plan = {"needs": [need()], "review_later_because": "Holidays."}
    ran = neglect("assess", "--answers", case(tmp_path, plan), "--out", tmp_path / "r.json")
    assert ran.exit_code == 2 and "the review is not put back: remove review_later_because" in ran.stderr


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ({"needs": [need(by="2026-10-30")]}, "plan.needs[0].actions[0].by: 2026-10-30 is before the assessment"),
        ({"needs": [need(outcome="")]}, "plan.needs[0].outcome: say what will be different for the child"),
        ({"needs": [need(item="emotional.mood")]}, "plan.needs[0].item: Mood is rated 2: a plan's needs are items"),
        ({"needs": [need(), need()]}, "plan.needs[1].item: physical.food is in the plan twice"),
        ({"needs": [need(actions=[])]}, "plan.needs[0].actions: give at least one action"),
        ({"needs": [need(item="physical.nope")]}, "plan.needs[0].item: not an item of mini-plans"),
        ({"needs": []}, "plan: a plan needs at least one need (or deferred_to: {meeting, date})"),
        ({"needs": [need()], "review_on": "2026-11-02"}, "plan.review_on: the review must come after the assessment"),
    ],
)
def test_a_bad_plan_is_refused_with_what_to_fix(
    neglect: Neglect, tmp_path: Path, plan: dict[str, Any], message: str
) -> None:
    ran = neglect("assess", "--answers", case(tmp_path, plan), "--out", tmp_path / "r.json")
    assert ran.exit_code == 2, ran.output
    assert message in ran.stderr
    assert "answers.yaml:" in ran.stderr
    assert not (tmp_path / "r.json").exists()


def test_redaction_removes_the_plans_free_text_and_keeps_roles_and_dates(neglect: Neglect, tmp_path: Path) -> None:
    record = assess(neglect, case(tmp_path, {"needs": [need()]}), tmp_path / "r.json", "--redact")
    planned = record["plan"]["needs"][0]
    assert planned["outcome"] == planned["contingency"] == planned["actions"][0]["what"] == "[redacted]"
    assert planned["actions"][0]["who"] == "Social worker" and planned["actions"][0]["by"] == "2026-11-16"
    assert "breakfast" not in (tmp_path / "r.json").read_text(encoding="utf-8")


def test_a_record_whose_plan_was_edited_and_resealed_fails_verify(neglect: Neglect, tmp_path: Path) -> None:
    from neglect_cli.record import seal

    record = assess(neglect, case(tmp_path, {"needs": [need()]}), tmp_path / "r.json")
    record.pop("integrity")
    record["plan"]["needs"][0]["actions"][0]["by"] = "2026-10-01"
    (tmp_path / "r.json").write_text(json.dumps(seal(record)), encoding="utf-8")
    ran = neglect("verify", tmp_path / "r.json")
    assert ran.exit_code == 1
    assert "plan.needs[0].actions[0].by: 2026-10-01 is before the assessment (2026-11-02)" in ran.output


def test_plan_required_needs_tool_format_3() -> None:
    data = mini_data()
    data["bands"][2]["plan_required"] = True
    assert "bands[2].plan_required: `plan_required` needs `schema: neglect-tool/3`" in problems_of(data)
    data["schema"] = "neglect-tool/3"
    assert problems_of(data) == []
