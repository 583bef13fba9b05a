"""Scoring semantics, DESIGN §4: pure, exact at band edges, escalations only raise, overrides kept apart."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from helpers.minitool import ANSWERS, mini, mini_data, with_rule
from neglect_cli.answers import load_answers
from neglect_cli.definition import Tool
from neglect_cli.record import assess_answers, dumps_record
from neglect_cli.scoring import Override, Result, is_applicable, score

CHILD = {"age_months": 60}
BABY = {"age_months": 6}
TEEN = {"age_months": 180}


def domain(result: Result, domain_id: str) -> Any:
    return next(d for d in result.domains if d.id == domain_id)


def quiet() -> Tool:
    """The mini tool without its rules, so bands are the computed ones."""
    return mini(escalations=[])


# --- applicability ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("context", "sleep", "whereabouts"),
    [(BABY, True, False), ({"age_months": 23}, True, False), ({"age_months": 24}, False, False), (TEEN, False, True)],
)
def test_items_apply_by_age(context: dict[str, Any], sleep: bool, whereabouts: bool) -> None:
    tool = quiet()
    assert is_applicable(tool, "physical.sleep", context) is sleep
    assert is_applicable(tool, "physical.whereabouts", context) is whereabouts
    assert is_applicable(tool, "physical.food", context)


def test_items_with_ages_apply_when_the_age_is_not_known() -> None:
    # asked rather than silently skipped; the answers file check makes age_months required
    assert is_applicable(quiet(), "physical.sleep", {})
    assert is_applicable(quiet(), "physical.sleep", {"age_months": None})


def test_unknown_items_are_not_applicable() -> None:
    assert not is_applicable(quiet(), "physical.toys", CHILD)


def test_not_applicable_items_are_left_out_of_scores_and_coverage() -> None:
    result = score(quiet(), {"physical.home": 1, "physical.sleep": 5}, CHILD)
    physical = domain(result, "physical")
    assert physical.applicable == 2 and physical.answered == 1
    assert physical.score == 1 and physical.band == "low"
    assert result.escalations == []


# --- domain scores ---------------------------------------------------------------------------


def test_domain_mean_is_weighted() -> None:
    # food has weight 2: (4*2 + 1) / 3 = 3
    result = score(quiet(), {"physical.food": 4, "physical.home": 1}, CHILD)
    assert domain(result, "physical").score == 3
    assert domain(result, "physical").band == "high"


def test_domain_max_takes_the_largest_rating() -> None:
    data = mini_data()
    data["scoring"]["domain"] = "max"
    data["escalations"] = []
    result = score(Tool.model_validate(data), {"physical.food": 1, "physical.home": 4}, CHILD)
    assert domain(result, "physical").score == 4


def test_not_known_is_not_scored_as_zero() -> None:
    result = score(quiet(), {"emotional.warmth": 3, "emotional.mood": None}, CHILD)
    emotional = domain(result, "emotional")
    assert emotional.score == 3
    assert (emotional.answered, emotional.not_known, emotional.coverage) == (1, 1, 0.5)


def test_a_domain_with_nothing_answered_has_no_score_and_no_band() -> None:
    result = score(quiet(), {"emotional.warmth": None, "physical.home": 2}, CHILD)
    emotional = domain(result, "emotional")
    assert emotional.score is None and emotional.band is None and emotional.coverage == 0
    medical = domain(result, "medical")
    assert medical.score is None and medical.band is None and medical.answered == 0
    assert result.overall.score == 2 and result.overall.computed_band == "mid"


def test_nothing_answered_gives_no_score_no_band_and_an_incomplete_result() -> None:
    result = score(quiet(), {}, CHILD)
    overall = result.overall
    assert overall.score is None
    assert overall.computed_band is None and overall.escalated_band is None and overall.band is None
    assert overall.coverage == 0 and overall.incomplete


# --- overall ---------------------------------------------------------------------------------


def test_overall_max_domain_is_the_worst_domain() -> None:
    ratings = {"physical.food": 1, "physical.home": 1, "emotional.mood": 4, "medical.appointments": 2}
    result = score(quiet(), ratings, CHILD)
    assert result.overall.score == 4 and result.overall.computed_band == "top"


def test_good_care_in_one_domain_does_not_cancel_neglect_in_another() -> None:
    ratings = {"physical.food": 1, "physical.home": 1, "emotional.mood": 4, "emotional.warmth": 4}
    result = score(quiet(), ratings, CHILD)
    assert [d.band for d in result.domains] == ["low", "top", None]
    assert result.overall.computed_band == "top"


def test_overall_mean_domains_averages_scored_domains_only() -> None:
    data = mini_data()
    data["scoring"]["overall"] = "mean_domains"
    data["escalations"] = []
    tool = Tool.model_validate(data)
    # physical (4*2+1)/3 = 3, emotional 2, medical unanswered: (3 + 2) / 2 = 2.5 -> mid
    result = score(tool, {"physical.food": 4, "physical.home": 1, "emotional.mood": 2}, CHILD)
    assert result.overall.score == 2.5 and result.overall.computed_band == "mid"


# --- coverage and incomplete ---------------------------------------------------------------


def test_coverage_is_answered_over_applicable_per_domain_and_overall() -> None:
    result = score(quiet(), {"physical.food": 2, "emotional.mood": None, "emotional.warmth": 1}, CHILD)
    assert [d.coverage for d in result.domains] == [0.5, 0.5, 0.0]
    assert result.overall.coverage == pytest.approx(2 / 5)


def test_low_coverage_marks_incomplete_without_changing_bands() -> None:
    full = score(quiet(), {"physical.food": 3, "physical.home": 3, "emotional.mood": 3, "emotional.warmth": 3}, CHILD)
    partial = score(quiet(), {"physical.food": 3, "physical.home": 3}, CHILD)
    assert partial.overall.coverage == pytest.approx(0.4) and partial.overall.incomplete
    assert partial.overall.computed_band == full.overall.computed_band == "high"
    assert domain(partial, "physical").band == domain(full, "physical").band


def test_coverage_exactly_at_the_minimum_is_complete() -> None:
    # min_coverage 0.5: 1 of 2 emotional items answered is not incomplete
    result = score(
        quiet(), {"physical.food": 1, "physical.home": 1, "emotional.mood": 1, "medical.appointments": 1}, CHILD
    )
    assert domain(result, "emotional").coverage == 0.5 and not domain(result, "emotional").incomplete
    assert not result.overall.incomplete


def test_one_incomplete_domain_makes_the_result_incomplete() -> None:
    ratings = {"physical.food": 1, "physical.home": 1, "emotional.mood": 1, "emotional.warmth": 1}
    result = score(quiet(), ratings, CHILD)
    assert result.overall.coverage == pytest.approx(0.8)
    assert domain(result, "medical").incomplete and result.overall.incomplete


# --- bands at full precision -------------------------------------------------------------------


def with_weights(food: float, home: float) -> Tool:
    data = mini_data()
    data["escalations"] = []
    data["domains"][0]["items"][0]["weight"] = food
    data["domains"][0]["items"][1]["weight"] = home
    return Tool.model_validate(data)


def test_score_exactly_on_a_band_edge_falls_in_the_lower_band() -> None:
    result = score(quiet(), {"emotional.mood": 1, "emotional.warmth": 2}, CHILD)
    assert domain(result, "emotional").score == 1.5
    assert domain(result, "emotional").band == "low"
    assert result.overall.computed_band == "low"


def test_score_just_above_a_band_edge_falls_in_the_next_band() -> None:
    # (1*1 + 2*1.000001) / 2.000001 = 1.50000025
    result = score(with_weights(1, 1.000001), {"physical.food": 1, "physical.home": 2}, CHILD)
    physical = domain(result, "physical")
    assert 1.5 < physical.score < 1.5000003
    assert physical.band == "mid" and result.overall.computed_band == "mid"


def test_decimal_weights_do_not_tip_an_exact_score_over_the_edge() -> None:
    # In binary floating point (1*0.1 + 2*0.1) / 0.2 is 1.5000000000000002; the author meant 1.5.
    result = score(with_weights(0.1, 0.1), {"physical.food": 1, "physical.home": 2}, CHILD)
    assert domain(result, "physical").score == 1.5
    assert domain(result, "physical").band == "low"


def test_decimal_band_edges_are_the_decimals_written() -> None:
    data = mini_data()
    data["escalations"] = []
    data["bands"][0]["up_to"] = 1.2
    data["domains"][0]["items"][0]["weight"] = 4
    tool = Tool.model_validate(data)
    # (1*4 + 2*1) / 5 = 1.2 exactly
    result = score(tool, {"physical.food": 1, "physical.home": 2}, CHILD)
    assert domain(result, "physical").band == "low"


def test_display_rounding_does_not_move_a_band() -> None:
    # 2.5000001 would display as 2.50 but is above the mid edge
    result = score(with_weights(1, 1.0000004), {"physical.food": 2, "physical.home": 3}, CHILD)
    assert f"{domain(result, 'physical').score:.2f}" == "2.50"
    assert domain(result, "physical").band == "high"


# --- escalations -----------------------------------------------------------------------------------


def rule(rule_id: str, severity: str, when: dict[str, Any], minimum_band: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": rule_id, "severity": severity, "title": rule_id, "prompt": "P", "when": when}
    if minimum_band:
        out["minimum_band"] = minimum_band
    return out


ANY = {"any_item": {"at_least": 1}}


def test_escalations_are_reported_in_severity_order_then_tool_order() -> None:
    tool = mini(
        escalations=[
            rule("i1", "info", ANY),
            rule("c1", "consult", ANY),
            rule("u1", "urgent", ANY),
            rule("m1", "immediate", ANY),
            rule("i2", "info", ANY),
            rule("m2", "immediate", ANY),
        ]
    )
    result = score(tool, {"physical.home": 1}, CHILD)
    assert [e.id for e in result.escalations] == ["m1", "m2", "u1", "c1", "i1", "i2"]


def test_escalation_raises_to_its_minimum_band_and_keeps_the_computed_band() -> None:
    tool = with_rule({"item": {"id": "physical.home", "at_least": 2}}, minimum_band="high", severity="urgent")
    result = score(tool, {"physical.home": 2}, CHILD)
    assert result.overall.computed_band == "mid"
    assert result.overall.escalated_band == "high"
    assert result.overall.band == "high"
    (fired,) = result.escalations
    assert (fired.id, fired.severity, fired.minimum_band, fired.because) == (
        "r",
        "urgent",
        "high",
        ["Home rated 2"],
    )


def test_escalations_never_lower_the_band() -> None:
    tool = with_rule(ANY, minimum_band="low")
    result = score(tool, {"emotional.mood": 4}, CHILD)
    assert [e.id for e in result.escalations] == ["r"]
    assert result.overall.computed_band == result.overall.escalated_band == result.overall.band == "top"


def test_the_highest_minimum_band_of_the_fired_rules_wins() -> None:
    tool = mini(
        escalations=[rule("a", "info", ANY, "high"), rule("b", "info", ANY, "top"), rule("c", "info", ANY, "mid")]
    )
    assert score(tool, {"physical.home": 1}, CHILD).overall.escalated_band == "top"


def test_a_rule_without_minimum_band_only_prompts() -> None:
    tool = with_rule(ANY)
    result = score(tool, {"physical.home": 1}, CHILD)
    assert [e.id for e in result.escalations] == ["r"]
    assert result.overall.escalated_band == "low"


def test_an_escalation_gives_a_band_when_nothing_was_scored() -> None:
    tool = with_rule({"context": {"id": "previous_plan", "equals": True}}, minimum_band="mid")
    result = score(tool, {"physical.home": None}, {**CHILD, "previous_plan": True})
    assert result.overall.computed_band is None
    assert result.overall.escalated_band == "mid" and result.overall.band == "mid"


def test_incomplete_and_escalation_together_still_raise() -> None:
    tool = mini()  # red flag: any item at 5 raises to top
    result = score(tool, {"medical.appointments": 5}, CHILD)
    assert result.overall.incomplete
    assert result.overall.escalated_band == "top"
    assert [e.id for e in result.escalations] == ["red-flag", "low-coverage"]


# --- override ---------------------------------------------------------------------------------------


def test_override_can_lower_the_final_band_and_keeps_computed_and_escalated() -> None:
    tool = with_rule(ANY, minimum_band="high")
    override = Override(band="low", rationale="Concern explained by a one-off illness in the family.")
    result = score(tool, {"physical.home": 2}, CHILD, override)
    assert (result.overall.computed_band, result.overall.escalated_band, result.overall.band) == ("mid", "high", "low")
    assert result.override == override


def test_override_can_raise_the_final_band() -> None:
    override = Override(band="top", rationale="Information from police not yet reflected in the ratings.")
    result = score(quiet(), {"physical.home": 1}, CHILD, override)
    assert (result.overall.computed_band, result.overall.escalated_band, result.overall.band) == ("low", "low", "top")


def test_without_override_the_final_band_is_the_escalated_band() -> None:
    result = score(quiet(), {"physical.home": 3}, CHILD)
    assert result.override is None
    assert result.overall.band == result.overall.escalated_band == "high"


# --- purity and determinism --------------------------------------------------------------------------


def test_scoring_does_not_change_its_inputs() -> None:
    tool = mini()
    ratings = {"physical.food": 4, "emotional.mood": None}
    context = {**CHILD, "factors": ["violence"]}
    before = (tool.model_dump(), dict(ratings), dict(context))
    score(tool, ratings, context)
    assert before == (tool.model_dump(), ratings, context)


def test_answer_order_does_not_change_the_result() -> None:
    tool = mini()
    ratings = {"physical.food": 5, "physical.home": 4, "emotional.mood": 5, "medical.appointments": 3}
    reordered = dict(reversed(list(ratings.items())))
    a, b = score(tool, ratings, CHILD), score(tool, reordered, CHILD)
    assert a.model_dump_json() == b.model_dump_json()


def test_identical_answers_files_give_byte_identical_records() -> None:
    now = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
    path = ANSWERS / "mini-case.yaml"
    first = assess_answers(load_answers(path, today=dt.date(2026, 11, 24)), now=now)[1]
    second = assess_answers(load_answers(path, today=dt.date(2026, 11, 24)), now=now)[1]
    assert dumps_record(first).encode() == dumps_record(second).encode()


def test_record_keeps_a_stable_key_order() -> None:
    now = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
    _, sealed = assess_answers(load_answers(ANSWERS / "mini-case.yaml", today=dt.date(2026, 11, 24)), now=now)
    record = sealed.as_json()
    assert list(record) == [
        "schema",
        "tool",
        "case",
        "context",
        "answers",
        "result",
        "child_voice",
        "plan",
        "review",
        "reflection",
        "redacted",
        "created_at",
        "neglect_cli_version",
        "integrity",
    ]
    assert list(record["result"]) == ["domains", "overall", "escalations", "override"]
    assert list(record["result"]["overall"]) == [
        "score",
        "computed_band",
        "escalated_band",
        "band",
        "coverage",
        "incomplete",
    ]
    assert [row["item"] for row in record["answers"]][:3] == ["physical.food", "physical.home", "physical.sleep"]
    assert record["context"]["factors"] == ["alcohol", "violence"]  # multichoice in the tool's order
    assert record["created_at"] == "2026-11-24T09:30:00Z"


def test_integrity_hash_survives_the_json_round_trip_of_awkward_floats() -> None:
    import json

    from neglect_cli.record import canonical, seal

    body = {"scores": [1.0, 3.6666666666666665, 0.1 + 0.2, 1e-7, 2.5], "n": 2**53 - 1, "text": "é\u2028"}
    sealed = seal(body)
    reread = json.loads(dumps_record(sealed))
    reread.pop("integrity")
    assert canonical(reread) == canonical(body)
    assert seal(reread)["integrity"] == sealed["integrity"]
