"""The tool models and the semantic validator (DESIGN §3), on small hand-written tools."""

from __future__ import annotations

from typing import Any

import pytest

from helpers import DEFINITIONS
from helpers.minitool import MINI, TOOLS, build, mini, mini_data, problems_of, problems_of_text
from neglect_cli.definition import TOOL_SCHEMAS, Tool, describe, lowering_floors
from neglect_cli.toolfiles import load_tool_file


def rule(when: Any, **extra: Any) -> dict[str, Any]:
    return {"id": "r", "severity": "info", "title": "T", "prompt": "P", "when": when, **extra}


def problems_with_rule(when: Any, **extra: Any) -> list[str]:
    data = mini_data()
    data["escalations"] = [rule(when, **extra)]
    return problems_of(data)


# --- the shipped tools and the fixture ------------------------------------------------


@pytest.mark.parametrize("name", ["neglect-core.yaml", "neglect-screening.yaml"])
def test_shipped_tools_are_valid(name: str) -> None:
    source = load_tool_file(DEFINITIONS / name)
    assert source.tool.schema_ in TOOL_SCHEMAS
    assert len(source.sha256) == 64


def test_core_tool_has_four_domains_of_at_least_six_items() -> None:
    tool = load_tool_file(DEFINITIONS / "neglect-core.yaml").tool
    assert [d.id for d in tool.domains] == ["physical", "emotional", "educational", "medical"]
    assert all(len(d.items) >= 6 for d in tool.domains)


def test_mini_fixture_is_valid_and_indexed() -> None:
    tool = load_tool_file(MINI).tool
    assert [i.id for i in tool.items()][:2] == ["physical.food", "physical.home"]
    food = tool.item("physical.food")
    assert food is not None and food.weight == 2
    assert tool.item("nope.nothing") is None
    assert tool.band_index("high") == 2 and tool.band("mid").label == "Middle"
    note = tool.fact("note")
    assert note is not None and note.question == "note"  # prompt defaults to id
    assert tool.domain("medical") is not None and tool.domain("social") is None


def test_defaults_for_optional_fields() -> None:
    data = mini_data()
    del data["escalations"], data["reflection"], data["context"]
    for domain in data["domains"]:
        for item in domain["items"]:
            item.pop("ages", None)
    tool = build(data)
    item = tool.item("physical.home")
    assert item is not None and item.weight == 1 and item.evidence_from is None and item.ages is None
    assert tool.escalations == [] and tool.reflection == [] and tool.context == []


# --- schema errors ---------------------------------------------------------------------


def test_unknown_key_is_an_error_naming_line_and_field() -> None:
    text = MINI.read_text(encoding="utf-8").replace("        weight: 2\n", "        weight: 2\n        wieght: 3\n")
    (problem,) = problems_of_text(text)
    assert problem.field == "domains[0].items[0].wieght"
    assert "unknown key" in problem.message
    assert problem.line == text.splitlines().index("        wieght: 3") + 1


@pytest.mark.parametrize("key", ["schema", "id", "version", "title", "scale", "domains", "scoring", "bands"])
def test_required_top_level_keys(key: str) -> None:
    data = mini_data()
    del data[key]
    assert f"{key}: required but missing" in problems_of(data)


def test_context_fact_needs_id_and_type_but_not_prompt() -> None:
    data = mini_data()
    data["context"].append({"id": "extra"})
    assert problems_of(data) == ["context[7].type: required but missing"]


def test_yaml_11_booleans_and_numbers_where_text_is_expected_get_a_hint() -> None:
    text = MINI.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.10").replace("id: mini", "id: no")
    problems = {p.field: p.message for p in problems_of_text(text)}
    assert "YAML read `1.10` as a number; put the value in quotes" in problems["version"]
    assert "YAML read `no` as true/false" in problems["id"]


def test_a_yes_is_not_taken_as_a_scale_value() -> None:
    problems = problems_with_rule({"item": {"id": "physical.food", "at_least": True}})
    assert problems == ["escalations[0].when.item.at_least: expected a whole number, but YAML read as true/false"]


def test_band_up_to_must_be_a_finite_number() -> None:
    data = mini_data()
    data["bands"][-1]["up_to"] = float("nan")
    assert problems_of(data) == ["bands[3].up_to: Input should be a finite number"]


def test_condition_errors_are_located_inside_flow_mappings() -> None:
    text = MINI.read_text(encoding="utf-8").replace(
        "when: {any_item: {at_least: 5}}", "when: {all: [{any_item: {at_least: 5}}, {item: {id: physical.food}}]}"
    )
    (problem,) = problems_of_text(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "{all: [" in row)
    assert problem.field == "escalations[1].when.all[1].item.at_least"
    assert problem.message == "required but missing"
    # the tag pydantic adds for the union is dropped, so the position is the `item:` key, not `all:`
    assert (problem.line, problem.column) == (line, text.splitlines()[line - 1].index("{item:") + 2)


def test_anchor_key_that_is_not_a_number_is_located() -> None:
    text = MINI.read_text(encoding="utf-8").replace("anchors: {1: Fed well., 5: Hungry.}", "anchors: {one: Fed well.}")
    (problem,) = problems_of_text(text)
    assert problem.field == "domains[0].items[0].anchors.one"
    assert problem.message.startswith("invalid key: ")
    assert problem.line == next(i for i, row in enumerate(text.splitlines(), 1) if "anchors:" in row)


# --- the condition language ----------------------------------------------------------------


def test_condition_with_two_keys_is_refused_with_a_hint() -> None:
    problems = problems_with_rule({"item": {"id": "physical.food", "at_least": 2}, "any_item": {"at_least": 3}})
    assert problems == [
        "escalations[0].when: a condition has exactly one key, this one has 2 (item, any_item); "
        "combine conditions with all/any"
    ]


def test_condition_with_no_key_is_refused() -> None:
    assert problems_with_rule({}) == [
        "escalations[0].when: a condition has exactly one key, this one has 0; combine conditions with all/any"
    ]


def test_unknown_condition_key_is_named() -> None:
    (problem,) = problems_with_rule({"not": {"itme": {"id": "physical.food", "at_least": 2}}})
    assert problem.startswith("escalations[0].when.not: unknown condition 'itme'; use one of: item, any_item")


def test_condition_that_is_not_a_mapping_is_refused() -> None:
    (problem,) = problems_with_rule("physical.food >= 3")
    assert problem.startswith("escalations[0].when: a condition is a mapping with exactly one key")


def test_conditions_nest_and_parse_into_typed_models() -> None:
    tool = mini(
        escalations=[
            rule(
                {
                    "all": [
                        {"any": [{"item": {"id": "physical.food", "at_least": 3}}, {"coverage_below": 0.5}]},
                        {"not": {"context": {"id": "frequency", "equals": "rare"}}},
                    ]
                }
            )
        ]
    )
    assert describe(tool.escalations[0].when, tool) == (
        "all of (any of (Food is rated 3 or more; fewer than 50% of the items that apply are answered); "
        "not (frequency is rare))"
    )


def test_empty_all_is_refused() -> None:
    (problem,) = problems_with_rule({"all": []})
    assert problem.startswith("escalations[0].when.all: List should have at least 1 item")


@pytest.mark.parametrize(
    "test",
    [{}, {"equals": 3, "at_least": 2}, {"equals": None}],
    ids=["none", "two", "null"],
)
def test_context_condition_needs_exactly_one_test(test: dict[str, Any]) -> None:
    problems = problems_with_rule({"context": {"id": "duration", **test}})
    assert problems == [
        "escalations[0].when.context: a context condition needs exactly one of equals, at_least, at_most, includes, "
        "known"
    ]


@pytest.mark.parametrize(
    ("fact", "test"),
    [
        ("previous_plan", {"equals": True}),
        ("previous_plan", {"equals": False}),
        ("duration", {"equals": 0}),
        ("duration", {"at_least": 6}),
        ("duration", {"at_most": 2.5}),
        ("frequency", {"equals": "often"}),
        ("factors", {"includes": "alcohol"}),
        ("first_seen", {"at_least": "2026-01-01"}),
        ("note", {"equals": "given"}),
    ],
)
def test_context_conditions_that_fit_the_fact_type(fact: str, test: dict[str, Any]) -> None:
    assert problems_with_rule({"context": {"id": fact, **test}}) == []


@pytest.mark.parametrize(
    ("fact", "test", "message"),
    [
        ("previous_plan", {"equals": 1}, "'previous_plan' is a boolean fact; the value does not fit"),
        ("duration", {"equals": True}, "'duration' is an integer fact; the value does not fit"),
        ("duration", {"includes": "x"}, "`includes` only applies to multichoice facts; 'duration' is integer"),
        ("frequency", {"equals": "sometimes"}, "not one of 'frequency''s choices (rare, often)"),
        ("frequency", {"at_least": 1}, "`at_least` needs an integer or date fact and a bound of that type"),
        ("factors", {"equals": "alcohol"}, "use `includes` for multichoice fact 'factors'"),
        ("factors", {"includes": "gambling"}, "'gambling' is not one of 'factors''s choices"),
        ("first_seen", {"at_most": 3}, "`at_most` needs an integer or date fact and a bound of that type"),
        ("missing_fact", {"equals": 1}, "unknown context fact 'missing_fact'"),
    ],
)
def test_context_conditions_that_do_not_fit_are_refused(fact: str, test: dict[str, Any], message: str) -> None:
    (problem,) = problems_with_rule({"context": {"id": fact, **test}})
    assert message in problem


def test_context_bounds_keep_their_integer_type_in_plain_words() -> None:
    tool = mini(escalations=[rule({"context": {"id": "duration", "at_least": 6}})])
    assert describe(tool.escalations[0].when, tool) == "duration is 6 or more"


def test_context_bound_yes_is_not_a_number() -> None:
    assert problems_with_rule({"context": {"id": "duration", "at_least": True}}) == [
        "escalations[0].when.context.at_least: must be a number or a date (YYYY-MM-DD)"
    ]


def test_context_equals_takes_one_value() -> None:
    assert problems_with_rule({"context": {"id": "factors", "equals": ["alcohol"]}}) == [
        "escalations[0].when.context.equals: must be a single value: true/false, a number, a date "
        "or one of the fact's choices"
    ]


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ({"item": {"id": "physical.toys", "at_least": 3}}, "when.item.id: unknown item 'physical.toys'"),
        ({"item": {"id": "physical.food", "at_least": 6}}, "when.item.at_least: at_least 6 is not a scale value"),
        ({"any_item": {"at_least": 3, "domain": "social"}}, "when.any_item.domain: unknown domain 'social'"),
        ({"items_count": {"at_least": 0, "count": 2}}, "when.items_count.at_least: at_least 0 is not a scale value"),
        ({"domain": {"id": "social", "band_at_least": "mid"}}, "when.domain.id: unknown domain 'social'"),
        ({"domain": {"id": "medical", "band_at_least": "l2"}}, "when.domain.band_at_least: unknown band 'l2'"),
        (
            {"domains_count": {"band_at_least": "mid", "count": 4}},
            "when.domains_count.count: count 4 is more than the tool's 3 domains",
        ),
        ({"overall": {"band_at_least": "red"}}, "when.overall.band_at_least: unknown band 'red'"),
        ({"not": {"any": [{"overall": {"band_at_least": "x"}}]}}, "when.not.any[0].overall.band_at_least: unknown"),
    ],
)
def test_rules_naming_unknown_things_are_refused(when: dict[str, Any], message: str) -> None:
    (problem,) = problems_with_rule(when)
    assert message in problem


def test_coverage_below_must_be_a_share() -> None:
    (problem,) = problems_with_rule({"coverage_below": 1.5})
    assert problem.startswith("escalations[0].when.coverage_below: Input should be less than or equal to 1")


def test_unknown_minimum_band_is_refused() -> None:
    assert problems_with_rule({"coverage_below": 0.5}, minimum_band="level-9") == [
        "escalations[0].minimum_band: unknown band 'level-9'"
    ]


def test_a_raising_rule_may_use_not_around_ratings() -> None:
    # DESIGN §3 allows `not` anywhere; such a rule can switch off as concern rises, which is the
    # author's choice (the property tests generate only monotone raising rules).
    assert problems_with_rule({"not": {"any_item": {"at_least": 4}}}, minimum_band="high") == []


@pytest.mark.parametrize(
    "when",
    [
        {"not": {"context": {"id": "previous_plan", "equals": True}}},
        {"not": {"not": {"any_item": {"at_least": 4}}}},
        {"all": [{"any_item": {"at_least": 4}}, {"not": {"coverage_below": 0.5}}]},
    ],
)
def test_negating_facts_or_double_negation_is_allowed_in_a_raising_rule(when: dict[str, Any]) -> None:
    assert problems_with_rule(when, minimum_band="high") == []


def test_an_informational_rule_may_negate_ratings() -> None:
    assert problems_with_rule({"not": {"any_item": {"at_least": 2}}}) == []


# --- semantic rules -------------------------------------------------------------------------


def test_scale_must_be_consecutive_from_one() -> None:
    data = mini_data()
    data["scale"]["levels"][2]["value"] = 7
    problems = problems_of(data)
    assert "scale.levels: values must be consecutive integers from 1 (got [1, 2, 7, 4, 5])" in problems


def test_item_id_must_start_with_its_domain() -> None:
    data = mini_data()
    data["domains"][1]["items"][0]["id"] = "physical.warmth"
    assert problems_of(data) == ["domains[1].items[0].id: item id 'physical.warmth' must start with 'emotional.'"]


def test_duplicate_ids_are_refused_everywhere() -> None:
    data = mini_data()
    data["domains"][0]["items"][1]["id"] = "physical.food"
    data["context"][1]["id"] = "age_months"
    data["bands"][1]["id"] = "low"
    data["escalations"][1]["id"] = "info-rule"
    data["domains"].append({**data["domains"][2]})
    problems = problems_of(data)
    assert "domains[0].items[1].id: duplicate item id 'physical.food'" in problems
    assert "context[1].id: duplicate context id 'age_months'" in problems
    assert "bands[1].id: duplicate band id 'low'" in problems
    assert "escalations[1].id: duplicate escalation id 'info-rule'" in problems
    assert "domains[3].id: duplicate domain id 'medical'" in problems


def test_anchor_keys_and_evidence_from_must_be_scale_values() -> None:
    data = mini_data()
    data["domains"][0]["items"][0]["anchors"] = {1: "Fine.", 7: "Off the scale."}
    data["domains"][0]["items"][0]["evidence_from"] = 6
    assert problems_of(data) == [
        "domains[0].items[0].anchors: key 7 is not a scale value",
        "domains[0].items[0].evidence_from: 6 is not a scale value",
    ]


def test_bands_must_ascend_and_reach_the_top_of_the_scale() -> None:
    data = mini_data()
    data["bands"][1]["up_to"] = 1.5
    data["bands"][3]["up_to"] = 4.5
    assert problems_of(data) == [
        "bands[1].up_to: bands must ascend strictly by up_to (1.5 <= 1.5)",
        "bands[3].up_to: the last band must reach the top of the scale (5)",
    ]


@pytest.mark.parametrize("value", [0, 1.01, -0.5])
def test_min_coverage_must_be_in_zero_to_one(value: float) -> None:
    data = mini_data()
    data["scoring"]["min_coverage"] = value
    (problem,) = problems_of(data)
    assert problem.startswith("scoring.min_coverage: Input should be")


def test_min_coverage_of_one_is_allowed() -> None:
    data = mini_data()
    data["scoring"]["min_coverage"] = 1
    assert problems_of(data) == []


def test_ages_need_a_required_integer_age_fact() -> None:
    data = mini_data()
    data["context"][0]["required"] = False
    assert problems_of(data) == ["context: items with `ages` need a required integer context fact `age_months`"]


def test_ages_range_must_not_be_inverted() -> None:
    data = mini_data()
    data["domains"][0]["items"][2]["ages"] = {"min_months": 24, "max_months": 12}
    assert problems_of(data) == ["domains[0].items[2].ages: max_months is below min_months"]


def test_choice_facts_need_choices_and_other_facts_may_not_have_them() -> None:
    data = mini_data()
    del data["context"][2]["choices"]
    data["context"][4]["choices"] = ["yes"]
    data["context"][6]["min"] = 1
    problems = problems_of(data)
    assert "context[2].choices: a choice fact needs choices" in problems
    assert "context[4].choices: choices only apply to choice and multichoice, not boolean" in problems
    assert "context[6]: min and max only apply to integer facts, not text" in problems
    # the rule on previous_plan still checks against the (now odd) fact without crashing
    assert len(problems) == 3


def test_all_problems_are_reported_in_one_pass() -> None:
    data = mini_data()
    data["domains"][1]["items"][0]["id"] = "physical.warmth"
    data["bands"][3]["up_to"] = 4
    data["escalations"][2]["when"] = {"domain": {"id": "social", "band_at_least": "mid"}}
    assert len(problems_of(data)) == 3


# --- the model itself ----------------------------------------------------------------------------


def test_index_cache_does_not_leak_into_equality_dumps_or_copies() -> None:
    tool = load_tool_file(MINI).tool
    fresh = Tool.model_validate(tool.model_dump(by_alias=True))
    assert tool.item("physical.food") is not None  # fills the cache
    assert tool == fresh
    assert tool.model_dump() == fresh.model_dump()
    smaller = tool.model_copy(update={"domains": tool.domains[:1]})
    assert smaller.item("medical.appointments") is None
    assert tool.item("medical.appointments") is not None


def test_tool_is_frozen() -> None:
    tool = load_tool_file(MINI).tool
    with pytest.raises(ValueError):
        tool.id = "other"  # type: ignore[misc]


def test_band_for_uses_the_first_band_at_or_above_the_score() -> None:
    tool = mini()
    assert [tool.band_for(s).id for s in (1, 1.5, 1.5000001, 2.5, 3.4999, 5)] == [
        "low",
        "low",
        "mid",
        "mid",
        "high",
        "top",
    ]


def test_describe_every_condition_kind_in_plain_words() -> None:
    tool = mini()
    cases: dict[str, dict[str, Any]] = {
        "Food is rated 3 or more": {"item": {"id": "physical.food", "at_least": 3}},
        "any item in Health care is rated 4 or more": {"any_item": {"at_least": 4, "domain": "medical"}},
        "at least 2 items are rated 3 or more": {"items_count": {"at_least": 3, "count": 2}},
        "the Emotional care domain scores at High or higher": {"domain": {"id": "emotional", "band_at_least": "high"}},
        "at least 2 domains score at Middle or higher": {"domains_count": {"band_at_least": "mid", "count": 2}},
        "the level from the scores alone is Top or higher": {"overall": {"band_at_least": "top"}},
        "previous plan is yes": {"context": {"id": "previous_plan", "equals": True}},
        "factors includes violence": {"context": {"id": "factors", "includes": "violence"}},
        "first seen is at most 2026-01-31": {"context": {"id": "first_seen", "at_most": "2026-01-31"}},
        "fewer than 60% of the items that apply are answered": {"coverage_below": 0.6},
    }
    for words, when in cases.items():
        t = with_rule_tool(when)
        assert describe(t.escalations[0].when, tool) == words


def with_rule_tool(when: dict[str, Any]) -> Tool:
    return mini(escalations=[rule(when)])


def test_fixture_folder_holds_only_valid_tools() -> None:
    for path in sorted(TOOLS.glob("*.yaml")):
        load_tool_file(path)


@pytest.mark.parametrize("tool_id", ["my_tool", "My-Tool", "tool.v2"])
def test_a_tool_id_is_lowercase_letters_digits_and_hyphens(tool_id: str) -> None:
    data = mini_data()
    data["id"] = tool_id
    assert any(p.startswith("id:") for p in problems_of(data))


def floor_rule(rule_id: str, when: dict[str, Any], minimum_band: str) -> dict[str, Any]:
    return {
        "id": rule_id,
        "severity": "urgent",
        "title": "R",
        "prompt": "Act.",
        "when": when,
        "minimum_band": minimum_band,
    }


def floor_warnings(rules: list[dict[str, Any]]) -> list[str]:
    """What `tools validate` warns of: floors a worse rating could turn off (the tool stays valid)."""
    data = mini_data()
    data["escalations"] = rules
    return [f"{'.'.join(map(str, loc))}: {message}" for loc, message in lowering_floors(build(data))]


FOUR_NOT_FIVE = {
    "all": [{"item": {"id": "physical.food", "at_least": 4}}, {"not": {"item": {"id": "physical.food", "at_least": 5}}}]
}


def test_a_floor_that_a_worse_rating_turns_off_is_warned_of() -> None:
    """Food 4 gives High through the rule, food 5 (worse) only what the scores give."""
    assert floor_warnings([floor_rule("four-not-five", FOUR_NOT_FIVE, "high")]) == [
        "escalations.0.minimum_band: this rule raises the level only while physical.food is NOT rated 5 or more, "
        "so a worse rating could turn it off and lower the level: take the rating test out of `not`, or add a rule "
        "without `not` that raises the level as far at that rating"
    ]
    (warning,) = floor_warnings([floor_rule("below-mid", {"not": {"overall": {"band_at_least": "mid"}}}, "high")])
    assert "this rule raises the level only while this is NOT so: the level from the scores alone is" in warning
    prompt_only = {"id": "info", "severity": "info", "title": "R", "prompt": "P.", "when": FOUR_NOT_FIVE}
    assert floor_warnings([prompt_only]) == []  # a rule that sets no floor only adds a prompt


@pytest.mark.parametrize(
    "covering",
    [
        {"item": {"id": "physical.food", "at_least": 5}},
        {"any_item": {"at_least": 5, "domain": "physical"}},
        {"any": [{"context": {"id": "age_months", "at_most": 3}}, {"any_item": {"at_least": 4}}]},
    ],
)
def test_no_warning_when_another_rule_raises_the_level_as_far_at_the_worse_rating(covering: dict[str, Any]) -> None:
    """ "4 but not 5" is fine when 5 has a rule of its own raising the level at least as far (neglect-core's
    extra-familial-harm and red-flag-immediate)."""
    assert (
        floor_warnings([floor_rule("four-not-five", FOUR_NOT_FIVE, "high"), floor_rule("five", covering, "top")]) == []
    )
    not_as_far = floor_warnings(
        [floor_rule("four-not-five", FOUR_NOT_FIVE, "high"), floor_rule("five", covering, "mid")]
    )
    assert len(not_as_far) == 1 and "physical.food is NOT rated 5 or more" in not_as_far[0]


@pytest.mark.parametrize("name", ["neglect-core.yaml", "neglect-screening.yaml"])
def test_the_shipped_tools_have_no_floor_a_worse_rating_turns_off(name: str) -> None:
    assert lowering_floors(load_tool_file(DEFINITIONS / name).tool) == []
