"""Hypothesis strategies: generated tools with rules from the whole condition language, nested."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from neglect_cli.definition import Tool, check_tool

SEVERITIES = ["info", "consult", "urgent", "immediate"]


def _negates(cond: dict[str, Any], negated: bool = False) -> bool:
    """Whether a rating-based condition sits under an odd number of `not`s."""
    ((key, value),) = cond.items()
    if key in ("all", "any"):
        return any(_negates(part, negated) for part in value)
    if key == "not":
        return _negates(value, not negated)
    if key in ("context", "coverage_below", "child_seen"):
        return False
    return negated


def conditions(items: list[str], domains: list[str], bands: list[str], top: int) -> st.SearchStrategy[dict[str, Any]]:
    value = st.integers(1, top)
    band = st.sampled_from(bands)
    maybe_domain = st.none() | st.sampled_from(domains)

    def scoped(test: dict[str, Any], domain: str | None) -> dict[str, Any]:
        return test if domain is None else {**test, "domain": domain}

    def countable(domain: str | None) -> int:
        """A count above the items in scope is refused (the rule could never fire)."""
        return len([i for i in items if domain is None or i.startswith(domain + ".")])

    leaves = st.one_of(
        st.builds(lambda i, v: {"item": {"id": i, "at_least": v}}, st.sampled_from(items), value),
        st.builds(lambda v, d: {"any_item": scoped({"at_least": v}, d)}, value, maybe_domain),
        st.builds(
            lambda v, c, d: {"items_count": scoped({"at_least": v, "count": min(c, countable(d))}, d)},
            value,
            st.integers(1, 3),
            maybe_domain,
        ),
        st.builds(lambda d, b: {"domain": {"id": d, "band_at_least": b}}, st.sampled_from(domains), band),
        st.builds(lambda b, c: {"domains_count": {"band_at_least": b, "count": c}}, band, st.integers(1, len(domains))),
        st.builds(lambda b: {"overall": {"band_at_least": b}}, band),
        st.builds(
            lambda v, c, h: {"domains_with_item": {"at_least": v, "count": c, "hardship": h}},
            value,
            st.integers(1, len(domains)),
            st.sampled_from(["include", "exclude", "only"]),
        ),
        st.builds(
            lambda v, some, h: {"any_item": {"at_least": v, "items": some, "hardship": h}},
            value,
            st.lists(st.sampled_from(items), min_size=1, max_size=3, unique=True),
            st.sampled_from(["include", "exclude", "only"]),
        ),
        st.builds(
            lambda test, months: {"context": {"id": "age_months", test: months}},
            st.sampled_from(["at_least", "at_most", "equals"]),
            st.integers(0, 216),
        ),
        st.builds(lambda b: {"context": {"id": "flag", "equals": b}}, st.booleans()),
        st.builds(lambda k: {"context": {"id": "kind", "equals": k}}, st.sampled_from(["x", "y"])),
        st.builds(lambda k: {"context": {"id": "factors", "includes": k}}, st.sampled_from(["a", "b"])),
        st.builds(
            lambda fact, known: {"context": {"id": fact, "known": known}},
            st.sampled_from(["flag", "kind", "factors"]),
            st.booleans(),
        ),
        st.builds(lambda x: {"coverage_below": x}, st.sampled_from([0.25, 0.5, 0.75, 1.0])),
        st.builds(
            lambda test, value: {"child_seen": {test: value}},
            st.sampled_from(["seen", "alone", "recorded", "uses_words"]),
            st.booleans(),
        ),
        st.builds(
            lambda test, value, days: {"child_seen": {test: value, "within_days": days}},
            st.sampled_from(["seen", "alone"]),
            st.booleans(),
            st.sampled_from([0, 28, 63]),
        ),
    )
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, min_size=1, max_size=3).map(lambda parts: {"all": parts}),
            st.lists(children, min_size=1, max_size=3).map(lambda parts: {"any": parts}),
            children.map(lambda inner: {"not": inner}),
        ),
        max_leaves=5,
    )


@st.composite
def tools(draw: st.DrawFn) -> Tool:
    top = draw(st.integers(2, 6))
    domains: list[dict[str, Any]] = []
    for d in range(draw(st.integers(1, 4))):
        items = []
        for i in range(draw(st.integers(1, 4))):
            item: dict[str, Any] = {
                "id": f"d{d}.i{i}",
                "prompt": "Prompt",
                "weight": draw(st.sampled_from([1, 2, 3, 0.5, 0.1, 1.5])),
            }
            if draw(st.integers(0, 3)) == 0:
                low = draw(st.integers(0, 200))
                item["ages"] = {"min_months": low, "max_months": draw(st.none() | st.integers(low, 216))}
            items.append(item)
        domains.append({"id": f"d{d}", "title": f"Domain {d}", "items": items})
    steps = [1 + q / 4 for q in range(4 * (top - 1))]  # quarter steps below the top of the scale
    edges = sorted(draw(st.sets(st.sampled_from(steps), max_size=min(4, len(steps)))))
    edges.append(draw(st.sampled_from([top, top + 0.5])))
    bands = [{"id": f"b{j}", "label": f"Band {j}", "up_to": edge} for j, edge in enumerate(edges)]
    band_ids = [str(b["id"]) for b in bands]
    item_ids = [i["id"] for d in domains for i in d["items"]]
    domain_ids = [d["id"] for d in domains]
    rules = []
    rule_conditions = conditions(item_ids, domain_ids, band_ids, top)
    for r in range(draw(st.integers(0, 4))):
        when = draw(rule_conditions)
        rule: dict[str, Any] = {
            "id": f"r{r}",
            "severity": draw(st.sampled_from(SEVERITIES)),
            "title": "Rule",
            "prompt": "Prompt",
            "when": when,
        }
        minimum = draw(st.none() | st.sampled_from(band_ids))
        if minimum is not None and not _negates(when):
            rule["minimum_band"] = minimum
        rules.append(rule)
    data = {
        "schema": "neglect-tool/3",  # `known` in a context test is format 3
        "id": "generated",
        "version": "1",
        "title": "Generated",
        "sections": ["seen"],  # so that rules may read `child_seen`
        "scale": {"levels": [{"value": v, "label": f"Level {v}"} for v in range(1, top + 1)]},
        "context": [
            {"id": "age_months", "type": "integer", "min": 0, "max": 216, "required": True},
            {"id": "flag", "type": "boolean"},
            {"id": "kind", "type": "choice", "choices": ["x", "y"]},
            {"id": "factors", "type": "multichoice", "choices": ["a", "b"]},
            {"id": "poor", "type": "boolean"},
        ],
        "hardship": {"fact": "poor", "ask_from": 1},  # so that rules may filter on hardship
        "domains": domains,
        "scoring": {
            "domain": draw(st.sampled_from(["mean", "max"])),
            "overall": draw(st.sampled_from(["max_domain", "mean_domains"])),
            "min_coverage": draw(st.sampled_from([0.1, 0.5, 0.6, 1])),
        },
        "bands": bands,
        "escalations": rules,
    }
    tool = Tool.model_validate(data)
    assert check_tool(tool) == [], check_tool(tool)
    return tool
