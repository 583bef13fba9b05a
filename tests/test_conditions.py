"""Every condition kind of DESIGN §3, evaluated by scoring against hand-built tools."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest

from helpers.minitool import mini, with_rule
from neglect_cli.scoring import score

CHILD = {"age_months": 60}  # five years old: the baby and adolescent items do not apply


def fires(
    when: dict[str, Any], ratings: Mapping[str, int | None], context: dict[str, Any] | None = None
) -> list[str] | None:
    """The reasons given when rule `r` fires, or None when it does not."""
    tool = with_rule(when)
    result = score(tool, ratings, CHILD if context is None else context)
    fired = [e for e in result.escalations if e.id == "r"]
    return fired[0].because if fired else None


# --- item ---------------------------------------------------------------------------


def test_item_fires_at_and_above_its_threshold() -> None:
    when = {"item": {"id": "physical.food", "at_least": 3}}
    assert fires(when, {"physical.food": 3}) == ["Food rated 3"]
    assert fires(when, {"physical.food": 5}) == ["Food rated 5"]
    assert fires(when, {"physical.food": 2}) is None


def test_item_does_not_fire_when_not_known_or_unanswered() -> None:
    when = {"item": {"id": "physical.food", "at_least": 1}}
    assert fires(when, {"physical.food": None}) is None
    assert fires(when, {}) is None


def test_item_does_not_fire_when_not_applicable_at_this_age() -> None:
    when = {"item": {"id": "physical.sleep", "at_least": 3}}
    assert fires(when, {"physical.sleep": 5}, {"age_months": 30}) is None
    assert fires(when, {"physical.sleep": 5}, {"age_months": 6}) == ["Sleep rated 5"]


# --- any_item and items_count ------------------------------------------------------------


def test_any_item_fires_on_any_item_and_lists_each_one_in_tool_order() -> None:
    when = {"any_item": {"at_least": 4}}
    ratings = {"medical.appointments": 5, "physical.home": 2, "physical.food": 4}
    assert fires(when, ratings) == ["Food rated 4", "Appointments rated 5"]
    assert fires(when, {"physical.food": 3, "emotional.mood": 3}) is None


def test_any_item_can_be_limited_to_a_domain() -> None:
    when = {"any_item": {"at_least": 4, "domain": "emotional"}}
    assert fires(when, {"physical.food": 5, "emotional.mood": 3}) is None
    assert fires(when, {"physical.food": 5, "emotional.mood": 4}) == ["Mood rated 4"]


def test_items_count_needs_count_items_at_or_above_the_threshold() -> None:
    when = {"items_count": {"at_least": 3, "count": 2}}
    assert fires(when, {"physical.food": 3, "emotional.mood": 2}) is None
    assert fires(when, {"physical.food": 3, "emotional.mood": 4}) == ["Food rated 3", "Mood rated 4"]


def test_items_count_in_a_domain_counts_only_that_domain() -> None:
    when = {"items_count": {"at_least": 3, "count": 2, "domain": "physical"}}
    assert fires(when, {"physical.food": 3, "emotional.mood": 4, "emotional.warmth": 4}) is None
    assert fires(when, {"physical.food": 3, "physical.home": 4}) == ["Food rated 3", "Home rated 4"]


def test_not_known_items_do_not_count() -> None:
    when = {"items_count": {"at_least": 1, "count": 2}}
    assert fires(when, {"physical.food": 1, "physical.home": None}) is None


# --- domain, domains_count, overall -----------------------------------------------------------


def test_domain_fires_at_that_band_or_higher() -> None:
    when = {"domain": {"id": "emotional", "band_at_least": "high"}}
    assert fires(when, {"emotional.warmth": 3, "emotional.mood": 3}) == ["Emotional care scores at High"]
    assert fires(when, {"emotional.warmth": 5, "emotional.mood": 5}) == ["Emotional care scores at Top"]
    assert fires(when, {"emotional.warmth": 2, "emotional.mood": 3}) is None  # 2.5 is mid


def test_domain_without_a_score_does_not_fire() -> None:
    when = {"domain": {"id": "medical", "band_at_least": "low"}}
    assert fires(when, {"medical.appointments": None, "physical.food": 5}) is None
    assert fires(when, {"medical.appointments": 1}) == ["Health care scores at Low"]


def test_domains_count_is_cumulative_harm_across_domains() -> None:
    when = {"domains_count": {"band_at_least": "high", "count": 2}}
    ratings = {"physical.food": 3, "physical.home": 3, "emotional.mood": 4, "medical.appointments": 2}
    assert fires(when, ratings) == ["Physical care scores at High", "Emotional care scores at Top"]
    assert fires(when, {**ratings, "emotional.mood": 2}) is None


def test_overall_uses_the_computed_band_before_escalations() -> None:
    when = {"overall": {"band_at_least": "high"}}
    assert fires(when, {"medical.appointments": 3}) == ["the level from the scores alone is High"]
    assert fires(when, {"medical.appointments": 2}) is None


def test_overall_ignores_bands_raised_by_other_rules() -> None:
    rules = [
        {
            "id": "raise",
            "severity": "immediate",
            "title": "Raise",
            "prompt": "P",
            "when": {"item": {"id": "physical.home", "at_least": 2}},
            "minimum_band": "top",
        },
        {"id": "r", "severity": "info", "title": "R", "prompt": "P", "when": {"overall": {"band_at_least": "high"}}},
    ]
    result = score(mini(escalations=rules), {"physical.home": 2}, CHILD)
    assert result.overall.computed_band == "mid" and result.overall.escalated_band == "top"
    assert [e.id for e in result.escalations] == ["raise"]


def test_overall_does_not_fire_when_nothing_is_answered() -> None:
    assert fires({"overall": {"band_at_least": "low"}}, {}) is None


# --- context ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("test", "context", "expected"),
    [
        ({"equals": True}, {"previous_plan": True}, ["previous plan: yes"]),
        ({"equals": True}, {"previous_plan": False}, None),
        ({"equals": False}, {"previous_plan": False}, ["previous plan: no"]),
    ],
)
def test_context_equals_on_a_boolean_fact(test: dict[str, Any], context: dict[str, Any], expected: Any) -> None:
    assert fires({"context": {"id": "previous_plan", **test}}, {}, {**CHILD, **context}) == expected


def test_an_integer_one_never_equals_true_and_true_never_equals_one() -> None:
    assert fires({"context": {"id": "previous_plan", "equals": True}}, {}, {**CHILD, "previous_plan": 1}) is None
    assert fires({"context": {"id": "duration", "equals": 1}}, {}, {**CHILD, "duration": True}) is None
    assert fires({"context": {"id": "duration", "equals": 1}}, {}, {**CHILD, "duration": 1}) == ["duration: 1"]


def test_context_equals_on_a_choice_fact() -> None:
    when = {"context": {"id": "frequency", "equals": "often"}}
    assert fires(when, {}, {**CHILD, "frequency": "often"}) == ["frequency: often"]
    assert fires(when, {}, {**CHILD, "frequency": "rare"}) is None


@pytest.mark.parametrize(
    ("test", "value", "fired"),
    [
        ({"at_least": 6}, 6, True),
        ({"at_least": 6}, 5, False),
        ({"at_most": 6}, 6, True),
        ({"at_most": 6}, 7, False),
        ({"at_least": 5.5}, 6, True),
        ({"at_least": 0}, 0, True),
    ],
)
def test_context_bounds_on_an_integer_fact(test: dict[str, Any], value: int, fired: bool) -> None:
    reasons = fires({"context": {"id": "duration", **test}}, {}, {**CHILD, "duration": value})
    assert reasons == ([f"duration: {value}"] if fired else None)


def test_context_bounds_on_a_date_fact() -> None:
    context = {**CHILD, "first_seen": dt.date(2026, 3, 1)}
    assert fires({"context": {"id": "first_seen", "at_least": "2026-03-01"}}, {}, context) == ["first seen: 2026-03-01"]
    assert fires({"context": {"id": "first_seen", "at_most": "2026-02-28"}}, {}, context) is None
    assert fires({"context": {"id": "first_seen", "equals": dt.date(2026, 3, 1)}}, {}, context) is not None


def test_context_includes_on_a_multichoice_fact() -> None:
    when = {"context": {"id": "factors", "includes": "violence"}}
    # the reason names the choice that matched
    assert fires(when, {}, {**CHILD, "factors": ["alcohol", "violence"]}) == ["factors: violence"]
    assert fires(when, {}, {**CHILD, "factors": ["alcohol"]}) is None
    assert fires(when, {}, {**CHILD, "factors": []}) is None


def test_context_age_bound_uses_the_age_fact() -> None:
    when = {"context": {"id": "age_months", "at_most": 23}}
    assert fires(when, {}, {"age_months": 23}) == ["age months: 23"]
    assert fires(when, {}, {"age_months": 24}) is None


@pytest.mark.parametrize(
    "test",
    [
        {"id": "previous_plan", "equals": False},
        {"id": "previous_plan", "equals": True},
        {"id": "duration", "at_most": 100},
        {"id": "duration", "at_least": 0},
        {"id": "frequency", "equals": "rare"},
        {"id": "factors", "includes": "alcohol"},
        {"id": "first_seen", "at_most": "2100-01-01"},
        {"id": "note", "equals": "x"},
    ],
)
def test_a_missing_context_fact_is_false(test: dict[str, Any]) -> None:
    assert fires({"context": test}, {"physical.food": 5}, CHILD) is None
    assert fires({"context": test}, {"physical.food": 5}, {**CHILD, test["id"]: None}) is None


def test_a_missing_fact_under_not_is_true() -> None:
    when = {"not": {"context": {"id": "previous_plan", "equals": True}}}
    assert fires(when, {}, CHILD) == ["not (previous plan is yes)"]


def test_text_facts_are_never_echoed_in_reasons() -> None:
    secret = "Mum said the boyfriend hits her"
    reasons = fires({"context": {"id": "note", "equals": secret}}, {}, {**CHILD, "note": secret})
    assert reasons == ["note: given"]


# --- coverage_below -------------------------------------------------------------------------------


def test_coverage_below_compares_overall_coverage_strictly() -> None:
    # five applicable items at 60 months
    when = {"coverage_below": 0.6}
    reason = "only 40% of the items that apply are answered (fewer than 60%)"
    assert fires(when, {"physical.food": 1, "physical.home": 1}) == [reason]
    assert fires(when, {"physical.food": 1, "physical.home": 1, "medical.appointments": 1}) is None  # exactly 60%
    assert fires(when, {"physical.food": 1, "physical.home": 1, "medical.appointments": None}) is not None


# --- all / any / not ---------------------------------------------------------------------------------

HIGH_FOOD = {"item": {"id": "physical.food", "at_least": 4}}
HIGH_HOME = {"item": {"id": "physical.home", "at_least": 4}}
PLAN = {"context": {"id": "previous_plan", "equals": True}}


def test_all_needs_every_part_and_gives_every_reason() -> None:
    when = {"all": [HIGH_FOOD, PLAN]}
    assert fires(when, {"physical.food": 4}, {**CHILD, "previous_plan": True}) == [
        "Food rated 4",
        "previous plan: yes",
    ]
    assert fires(when, {"physical.food": 4}, {**CHILD, "previous_plan": False}) is None
    assert fires(when, {"physical.food": 3}, {**CHILD, "previous_plan": True}) is None


def test_any_needs_one_part_and_gives_the_reasons_of_those_that_held() -> None:
    when = {"any": [HIGH_FOOD, HIGH_HOME, PLAN]}
    assert fires(when, {"physical.food": 1, "physical.home": 4}) == ["Home rated 4"]
    assert fires(when, {"physical.food": 4, "physical.home": 5}) == ["Food rated 4", "Home rated 5"]
    assert fires(when, {"physical.food": 3, "physical.home": 3}) is None


def test_not_inverts_and_explains_in_plain_words() -> None:
    when = {"not": HIGH_FOOD}
    assert fires(when, {"physical.food": 3}) == ["not (Food is rated 4 or more)"]
    assert fires(when, {"physical.food": 4}) is None


def test_combinators_nest() -> None:
    # (food >= 4 or home >= 4) and not (a previous plan) and (any emotional item >= 2 or coverage < 50%)
    when = {
        "all": [
            {"any": [HIGH_FOOD, HIGH_HOME]},
            {"not": PLAN},
            {"any": [{"any_item": {"at_least": 2, "domain": "emotional"}}, {"coverage_below": 0.5}]},
        ]
    }
    ratings = {"physical.food": 4, "physical.home": 1, "emotional.mood": 2, "emotional.warmth": 1}
    assert fires(when, ratings) == [
        "Food rated 4",
        "not (previous plan is yes)",
        "Mood rated 2",
    ]
    assert fires(when, ratings, {**CHILD, "previous_plan": True}) is None
    assert fires(when, {**ratings, "emotional.mood": 1}) is None
    # two of five answered: coverage 40% < 50% stands in for the emotional part
    assert fires(when, {"physical.food": 4, "physical.home": 1}) is not None


def test_double_negation_is_the_condition_itself() -> None:
    when = {"not": {"not": HIGH_FOOD}}
    assert fires(when, {"physical.food": 4}) is not None
    assert fires(when, {"physical.food": 3}) is None
