"""Tool format 3 (issue 14): the sections a tool asks for, per-domain voice prompts, the `child_seen`
condition, and identity facts that no rule may read."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.minitool import build, mini_data, problems_of
from neglect_cli.definition import describe
from neglect_cli.scoring import ChildSeen, score


def format_3(**changes: Any) -> dict[str, Any]:
    data = mini_data()
    data.update(schema="neglect-tool/3", sections=["seen", "household", "sources", "strengths", "capacity"])
    data.update(changes)
    return data


SEE_ALONE = {
    "id": "see-alone",
    "severity": "consult",
    "title": "See the child on their own before deciding",
    "prompt": "Arrange to see the child on their own.",
    "when": {"all": [{"overall": {"band_at_least": "mid"}}, {"child_seen": {"alone": False}}]},
}


def test_a_format_2_tool_may_not_use_what_format_3_added() -> None:
    data = format_3(schema="neglect-tool/2")
    data["domains"][0]["voice"] = "What does the child say about meals?"
    problems = problems_of(data)
    assert "sections: `sections` needs `schema: neglect-tool/3`" in problems
    assert "domains[0].voice: `voice` on a domain needs `schema: neglect-tool/3`" in problems


def test_a_domain_without_a_voice_prompt_gets_a_plain_default() -> None:
    data = format_3()
    data["domains"][1]["voice"] = "What does the child say or show about how they feel at home?"
    tool = build(data)
    assert tool.domains[1].voice_question == "What does the child say or show about how they feel at home?"
    assert tool.domains[0].voice_question == "What does the child say, or show, about physical care?"


@pytest.mark.parametrize("fact_id", ["ethnicity", "home_language", "disability", "nrpf"])
def test_no_rule_may_read_an_identity_fact(fact_id: str) -> None:
    data = format_3()
    data["context"].append({"id": fact_id, "type": "text"})
    when = {"context": {"id": fact_id, "equals": "x"}}
    data["escalations"] = [{"id": "r", "severity": "info", "title": "R", "prompt": "P", "when": when}]
    problems = problems_of(data)
    assert any("(recorded for monitoring only): no rule may use it" in p for p in problems), problems


def test_no_rule_may_read_a_fact_marked_for_monitoring() -> None:
    data = format_3()
    data["context"].append({"id": "family_group", "type": "choice", "choices": ["a", "b"], "monitoring": True})
    data["escalations"] = [
        {
            "id": "r",
            "severity": "info",
            "title": "R",
            "prompt": "P",
            "when": {"any": [{"context": {"id": "family_group", "equals": "a"}}]},
        }
    ]
    assert any("no rule may use it" in p for p in problems_of(data))


def test_child_seen_needs_the_seen_section() -> None:
    data = format_3(sections=["household"], escalations=[SEE_ALONE])
    assert any("`child_seen` needs the `seen` section" in p for p in problems_of(data))


def test_not_seen_alone_above_the_lowest_level_raises_a_consult_prompt_and_never_changes_the_level() -> None:
    tool = build(format_3(escalations=[SEE_ALONE]))
    ratings = {"physical.food": 3, "physical.home": 3, "emotional.warmth": 3}
    context = {"age_months": 60}
    not_alone = score(tool, ratings, context, seen=ChildSeen(seen=True, alone=False))
    alone = score(tool, ratings, context, seen=ChildSeen(seen=True, alone=True))
    not_seen = score(tool, ratings, context, seen=ChildSeen(seen=False, alone=False))
    nothing = score(tool, ratings, context)
    assert [e.id for e in not_alone.escalations] == ["see-alone"]
    assert not_alone.escalations[0].severity == "consult"
    assert not_alone.escalations[0].because[-1] == "the child was not seen on their own"
    assert [e.id for e in not_seen.escalations] == ["see-alone"]
    assert alone.escalations == [] and nothing.escalations == []
    assert not_alone.overall.band == alone.overall.band == nothing.overall.band == "high"
    low = score(tool, {"physical.food": 1, "emotional.warmth": 1}, context, seen=ChildSeen(seen=True, alone=False))
    assert low.escalations == []  # at the tool's lowest level: no prompt


def test_child_seen_reads_in_plain_words() -> None:
    tool = build(format_3(escalations=[SEE_ALONE]))
    assert describe(tool.escalations[0].when, tool) == (
        "all of (the level from the scores alone is Middle or higher; the child was not seen on their own)"
    )


@settings(max_examples=200, deadline=None)
@given(data=st.data(), age=st.integers(min_value=0, max_value=216))
def test_what_is_recorded_of_seeing_the_child_never_lowers_a_level(data: st.DataObject, age: int) -> None:
    from neglect_cli.toolfiles import find_tool

    tool = find_tool("neglect-core@3.0.0").tool
    applies = tool.applicable_ids(age)
    ratings = {
        item.id: data.draw(st.integers(min_value=1, max_value=tool.scale.top), label=item.id)
        for item in tool.items()
        if item.id in applies
    }
    context = {"age_months": age}
    order = [band.id for band in tool.bands]
    bands = {
        str(seen): score(tool, ratings, context, seen=seen).overall.band
        for seen in (None, ChildSeen(seen=True, alone=True), ChildSeen(seen=True, alone=False), ChildSeen(False, False))
    }
    base = bands["None"]
    assert base is not None  # every applicable item is rated
    lowest = order.index(base)
    assert all(order.index(band) >= lowest for band in bands.values() if band is not None), bands


@settings(max_examples=100, deadline=None)
@given(data=st.data(), age=st.integers(min_value=0, max_value=216))
def test_the_compiled_scorer_reads_child_seen_as_the_reference_does(data: st.DataObject, age: int) -> None:
    from neglect_cli.scoring import score_reference
    from neglect_cli.toolfiles import find_tool

    tool = find_tool("neglect-core@3.0.0").tool
    ratings = {
        item.id: data.draw(st.integers(min_value=1, max_value=tool.scale.top), label=item.id)
        for item in tool.items()
        if item.id in tool.applicable_ids(age)
    }
    for seen in (None, ChildSeen(True, True), ChildSeen(True, False), ChildSeen(False, False), ChildSeen(True, None)):
        compiled = score(tool, ratings, {"age_months": age}, seen=seen)
        assert compiled == score_reference(tool, ratings, {"age_months": age}, seen=seen)
