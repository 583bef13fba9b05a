"""Properties of scoring over generated tools and answers (hypothesis).

The strategy builds valid tools from scratch: any scale size, domains and items
with weights and age ranges, bands at quarter steps, and escalation rules drawn
from the whole condition language, nested.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.strategies import tools
from neglect_cli.definition import Tool
from neglect_cli.scoring import Result, score

# A quick run by default; NEGLECT_PROPERTY_EXAMPLES=2000 for a thorough one.
SETTINGS = settings(
    max_examples=int(os.environ.get("NEGLECT_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def assessments(draw: st.DrawFn) -> tuple[Tool, dict[str, int | None], dict[str, Any]]:
    """A tool, ratings (value, None for not known, or absent) and context facts."""
    tool = draw(tools())
    top = tool.scale.top
    ratings: dict[str, int | None] = {}
    for item in tool.items():
        choice = draw(st.integers(0, 5))
        if choice == 0:
            continue
        ratings[item.id] = None if choice == 1 else draw(st.integers(1, top))
    context: dict[str, Any] = {"age_months": draw(st.integers(0, 216))}
    for fact, strategy in (
        ("flag", st.booleans()),
        ("kind", st.sampled_from(["x", "y"])),
        ("factors", st.sampled_from([[], ["a"], ["b"], ["a", "b"]])),
    ):
        if draw(st.booleans()):
            context[fact] = draw(strategy)
    return tool, ratings, context


def band_positions(tool: Tool, result: Result) -> tuple[list[int | None], int | None, int | None]:
    def index(band: str | None) -> int | None:
        return None if band is None else tool.band_index(band)

    overall = result.overall
    return [index(d.band) for d in result.domains], index(overall.computed_band), index(overall.escalated_band)


def not_lower(after: int | None, before: int | None) -> bool:
    return before is None or (after is not None and after >= before)


@SETTINGS
@given(assessments(), st.data())
def test_raising_any_single_rating_never_lowers_a_band(
    case: tuple[Tool, dict[str, int | None], dict[str, Any]], data: st.DataObject
) -> None:
    tool, ratings, context = case
    raisable = [item_id for item_id, value in ratings.items() if value is not None and value < tool.scale.top]
    if not raisable:
        return
    item_id = data.draw(st.sampled_from(raisable))
    old = ratings[item_id]
    assert old is not None
    raised = {**ratings, item_id: data.draw(st.integers(old + 1, tool.scale.top))}
    before_domains, before_computed, before_escalated = band_positions(tool, score(tool, ratings, context))
    after_domains, after_computed, after_escalated = band_positions(tool, score(tool, raised, context))
    assert all(not_lower(a, b) for a, b in zip(after_domains, before_domains, strict=True))
    assert not_lower(after_computed, before_computed)
    assert not_lower(after_escalated, before_escalated)


@SETTINGS
@given(assessments())
def test_escalations_never_lower_a_band(case: tuple[Tool, dict[str, int | None], dict[str, Any]]) -> None:
    tool, ratings, context = case
    result = score(tool, ratings, context)
    _, computed, escalated = band_positions(tool, result)
    assert not_lower(escalated, computed)
    assert result.overall.band == result.overall.escalated_band  # no override given
    raised_to = [tool.band_index(e.minimum_band) for e in result.escalations if e.minimum_band]
    if raised_to:
        assert escalated == max([*raised_to, *([computed] if computed is not None else [])])
    else:
        assert escalated == computed


@SETTINGS
@given(assessments(), st.data())
def test_not_known_answers_never_change_a_score(
    case: tuple[Tool, dict[str, int | None], dict[str, Any]], data: st.DataObject
) -> None:
    tool, ratings, context = case
    unanswered = [item.id for item in tool.items() if item.id not in ratings]
    if not unanswered:
        return
    marked = data.draw(st.lists(st.sampled_from(unanswered), min_size=1, unique=True))
    with_not_known = {**ratings, **dict.fromkeys(marked)}
    before, after = score(tool, ratings, context), score(tool, with_not_known, context)
    assert [(d.score, d.band, d.coverage) for d in before.domains] == [
        (d.score, d.band, d.coverage) for d in after.domains
    ]
    assert before.overall == after.overall
    assert before.escalations == after.escalations


@SETTINGS
@given(assessments())
def test_scoring_is_deterministic(case: tuple[Tool, dict[str, int | None], dict[str, Any]]) -> None:
    tool, ratings, context = case
    first = score(tool, ratings, context).model_dump_json()
    assert score(tool, ratings, context).model_dump_json() == first
    reordered = dict(reversed(list(ratings.items())))
    assert score(tool, reordered, dict(reversed(list(context.items())))).model_dump_json() == first
    rebuilt = Tool.model_validate(tool.model_dump(by_alias=True))
    assert score(rebuilt, ratings, context).model_dump_json() == first


@SETTINGS
@given(assessments())
def test_coverage_is_a_share_and_scores_stay_on_the_scale(
    case: tuple[Tool, dict[str, int | None], dict[str, Any]],
) -> None:
    tool, ratings, context = case
    result = score(tool, ratings, context)
    assert 0 <= result.overall.coverage <= 1
    for d in result.domains:
        assert 0 <= d.coverage <= 1
        assert d.answered + d.not_known <= d.applicable
        if d.score is not None:
            assert 1 <= d.score <= tool.scale.top
    if result.overall.score is not None:
        assert 1 <= result.overall.score <= tool.scale.top
        assert result.overall.computed_band == tool.band_for(result.overall.score).id
