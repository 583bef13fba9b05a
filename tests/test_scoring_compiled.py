"""The compiled scorer (`scoring.score`) gives the same result as the reference reading of the
rules (`scoring.score_reference`), byte for byte, on generated tools and cases (hypothesis).

Generated tools come from test_properties' strategy (every kind of condition, nested, with
hardship filters), with the hardship scoring switched on or off; the shipped and retired tools
bring item titles, fact labels and wordings into the reasons. Cases are drawn loosely on purpose:
ratings for items that do not apply or do not exist, values off the scale, ages that are not
whole numbers, context facts of the wrong type, "does not apply" and hardship marks on any item.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.minitool import MINI
from helpers.strategies import tools
from neglect_cli.definition import CoverageBelowCondition, Tool
from neglect_cli.scoring import ChildSeen, Override, Result, score, score_reference
from neglect_cli.toolfiles import find_tool, load_tool_file

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = settings(
    max_examples=int(os.environ.get("NEGLECT_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def same(fast: Result, reference: Result) -> None:
    """Equal as models, and the same bytes as JSON and as Python sees them (1 is not 1.0)."""
    assert fast == reference
    assert fast.model_dump_json() == reference.model_dump_json()
    assert repr(fast) == repr(reference)


def agree(tool: Tool, ratings: dict[str, Any], context: dict[str, Any], override: Override | None, **sets: Any) -> None:
    """Both scorers give the same result, or both refuse the case with the same error (a context
    value of the wrong type, which `check_context` stops before scoring, cannot be compared)."""
    try:
        reference = score_reference(tool, ratings, context, override, **sets)
    except TypeError as exc:
        with pytest.raises(TypeError) as raised:
            score(tool, ratings, context, override, **sets)
        assert str(raised.value) == str(exc)
        return
    same(score(tool, ratings, context, override, **sets), reference)


def context_values(tool: Tool) -> st.SearchStrategy[dict[str, Any]]:
    """Context facts of the tool, mostly of their own type, sometimes of another."""
    odd = st.one_of(st.none(), st.booleans(), st.integers(-5, 300), st.floats(0, 100), st.text(max_size=5))
    facts: dict[str, st.SearchStrategy[Any]] = {}
    for fact in tool.context:
        own: st.SearchStrategy[Any]
        if fact.type == "integer":
            own = st.integers(fact.min if fact.min is not None else 0, fact.max if fact.max is not None else 60)
        elif fact.type == "boolean":
            own = st.booleans()
        elif fact.type == "choice":
            own = st.sampled_from(fact.choices or ["x"])
        elif fact.type == "multichoice":
            own = st.lists(st.sampled_from(fact.choices or ["x"]), unique=True)
        elif fact.type == "date":
            own = st.dates(dt.date(2020, 1, 1), dt.date(2027, 1, 1))
        else:
            own = st.text(max_size=20)
        facts[fact.id] = st.one_of(own, own, own, odd)
    return st.fixed_dictionaries({}, optional=facts)


@st.composite
def cases(draw: st.DrawFn, tool: Tool) -> tuple[dict[str, Any], dict[str, Any], frozenset[str], frozenset[str]]:
    """Ratings, context, "does not apply" and hardship-marked items for `tool`."""
    ids = [item.id for item in tool.items()]
    top = tool.scale.top
    value = st.one_of(st.none(), st.integers(1, top), st.integers(1, top), st.integers(0, top + 2))
    ratings = draw(st.dictionaries(st.sampled_from([*ids, "nowhere.item"]), value, max_size=len(ids) + 1))
    context = draw(context_values(tool))
    left_out = frozenset(draw(st.lists(st.sampled_from(ids), max_size=3)))
    hardship = frozenset(draw(st.lists(st.sampled_from(ids), max_size=4)))
    return ratings, context, left_out, hardship


overrides = st.none() | st.builds(
    lambda band: Override(band=band, rationale="Agreed at supervision after a home visit."),
    st.sampled_from(["b0", "b1", "level-1", "level-3", "universal"]),
)


#: What the world sections tell rules (`child_seen`, `capacity`): anything, including nothing recorded,
#: and a child last seen on either side of the days a `within_days` test names (0, 28, 63).
world_facts = st.builds(
    ChildSeen,
    seen=st.sampled_from([True, False, None]),
    alone=st.sampled_from([True, False, None]),
    timescale=st.none() | st.sampled_from(["yes", "partly", "no", "not_known"]),
    uses_words=st.none() | st.booleans(),
    last_seen_days=st.sampled_from([240, 64, 63, 62, 29, 28, 27, 1, 0, -1, None]),
)

@SETTINGS
@given(tools(), st.sampled_from(["include", "exclude"]), st.data())
def test_compiled_scoring_agrees_with_the_reference_on_generated_tools(
    tool: Tool, hardship_scoring: str, data: st.DataObject
) -> None:
    tool = tool.model_copy(update={"scoring": tool.scoring.model_copy(update={"hardship": hardship_scoring})})
    for _ in range(3):
        ratings, context, left_out, hardship = data.draw(cases(tool))
        seen = data.draw(world_facts)
        agree(tool, ratings, context, data.draw(overrides), does_not_apply=left_out, hardship=hardship, seen=seen)


SHIPPED = {
    "neglect-core": "neglect-core",
    "neglect-screening": "neglect-screening",
    "neglect-core-1.0.0": ROOT / "definitions/retired/neglect-core-1.0.0.yaml",
    "neglect-core-1.1.0": ROOT / "definitions/retired/neglect-core-1.1.0.yaml",
    "neglect-core-2.0.0": ROOT / "definitions/retired/neglect-core-2.0.0.yaml",
    "neglect-core-3.0.0": ROOT / "definitions/retired/neglect-core-3.0.0.yaml",
    "neglect-core-3.1.0": ROOT / "definitions/retired/neglect-core-3.1.0.yaml",
    "neglect-core-3.2.0": ROOT / "definitions/retired/neglect-core-3.2.0.yaml",
    "neglect-core-3.3.0": ROOT / "definitions/retired/neglect-core-3.3.0.yaml",
    "mini": MINI,
}


@functools.cache
def shipped(name: str) -> Tool:
    where = SHIPPED[name]
    return find_tool(where).tool if isinstance(where, str) else load_tool_file(where).tool




@pytest.mark.parametrize("name", sorted(SHIPPED))
@SETTINGS
@given(data=st.data())
def test_compiled_scoring_agrees_with_the_reference_on_the_shipped_tools(name: str, data: st.DataObject) -> None:
    tool = shipped(name)
    ratings, context, left_out, hardship = data.draw(cases(tool))
    seen = data.draw(world_facts)
    agree(tool, ratings, context, data.draw(overrides), does_not_apply=left_out, hardship=hardship, seen=seen)


def test_a_tool_the_checks_would_refuse_is_scored_by_the_reference_reading() -> None:
    # A rule's minimum band that no band has: the compiled scorer declines the tool, and scoring
    # still gives what the reference reading gives (nothing rated: the escalated band is the unknown one).
    tool = find_tool("neglect-core").tool
    rule = tool.escalations[0].model_copy(
        update={"minimum_band": "nowhere", "when": CoverageBelowCondition(coverage_below=1.0)}
    )
    odd = tool.model_copy(update={"escalations": [rule]})
    context = {"age_months": 30}
    same(score(odd, {}, context), score_reference(odd, {}, context))
    assert score(odd, {}, context).overall.escalated_band == "nowhere"
