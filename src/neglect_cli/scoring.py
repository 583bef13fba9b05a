"""Scoring: tool + ratings + context -> Result. Pure: no I/O, no clock, no printing.

Semantics are DESIGN §4: applicability by age; weighted mean or max per
domain over answered items; "not known" never scored; coverage per domain
and overall; bands at full precision; escalations only raise; an override
sets the final band with a rationale, kept beside the computed values.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Mapping
from fractions import Fraction
from typing import Any

from pydantic import BaseModel, ConfigDict

from .definition import (
    SEVERITIES,
    AllCondition,
    AnyCondition,
    AnyItemCondition,
    ContextCondition,
    ContextFact,
    CoverageBelowCondition,
    DomainCondition,
    DomainsCountCondition,
    DomainsWithItemCondition,
    ItemCondition,
    ItemsCountCondition,
    NotCondition,
    OverallCondition,
    Tool,
    describe,
    exact_number,
)

#: item id -> rating on the scale, or None for "not known". Items left out are unanswered.
Ratings = Mapping[str, int | None]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class DomainResult(_Out):
    id: str
    title: str
    score: float | None
    band: str | None
    coverage: float
    applicable: int
    answered: int
    not_known: int
    incomplete: bool
    does_not_apply: int = 0  # answered "does not apply": left out of the score and of coverage


class OverallResult(_Out):
    score: float | None
    computed_band: str | None
    escalated_band: str | None
    band: str | None
    coverage: float
    incomplete: bool


class EscalationResult(_Out):
    id: str
    severity: str
    title: str
    prompt: str
    minimum_band: str | None
    because: list[str]
    raised: bool = False  # this rule's minimum band is above the level from the scores alone


class Override(_Out):
    band: str
    rationale: str
    agreed_by: str | None = None  # the manager or supervisor who agreed (required to lower the level)
    agreed_on: dt.date | None = None


class Result(_Out):
    domains: list[DomainResult]
    overall: OverallResult
    escalations: list[EscalationResult]
    override: Override | None


def is_applicable(tool: Tool, item_id: str, context: Mapping[str, Any]) -> bool:
    """An item applies unless it has an age range and the child's age lies outside it."""
    return item_id in applicable_items(tool, context)


def applicable_items(tool: Tool, context: Mapping[str, Any]) -> frozenset[str]:
    """Ids of the tool's items that apply to this child."""
    age = context.get("age_months")
    if not isinstance(age, int) or isinstance(age, bool):
        return tool.applicable_ids(None)  # age unknown: ask rather than silently skip
    return tool.applicable_ids(age)


def _domain_results(
    tool: Tool,
    ratings: Ratings,
    context: Mapping[str, Any],
    does_not_apply: Collection[str],
    hardship: Collection[str],
) -> list[tuple[DomainResult, Fraction | None]]:
    # Exact arithmetic: a mean of exactly 1.5 must fall in `up_to: 1.5` however the weights are written.
    out = []
    min_coverage = exact_number(tool.scoring.min_coverage)
    applies = applicable_items(tool, context)
    unscored_hardship = tool.scoring.hardship == "exclude"
    for domain in tool.domains:
        applicable = answered = not_known = left_out = 0
        total: int | Fraction = 0  # whole numbers while the weights are whole (fast), exact fractions otherwise
        weights: int | Fraction = 0
        largest: int | None = None
        for item in domain.items:
            if item.id not in applies:
                continue
            if item.id in does_not_apply:
                left_out += 1
                continue
            applicable += 1
            if item.id not in ratings:
                continue
            value = ratings[item.id]
            if value is None:
                not_known += 1
                continue
            answered += 1
            if unscored_hardship and item.id in hardship:
                continue  # answered, but left out of the score: the need is mainly down to money or housing
            weight = _exact_weight(item.weight)
            total += value * weight
            weights += weight
            largest = value if largest is None else max(largest, value)
        score: Fraction | None = None
        if weights:
            if tool.scoring.domain == "max":
                score = Fraction(largest or 0)
            elif isinstance(total, int) and isinstance(weights, int):
                score = Fraction(total, weights)
            else:
                score = Fraction(total) / weights
        coverage = Fraction(answered, applicable) if applicable else Fraction(1)
        result = DomainResult(
            id=domain.id,
            title=domain.title,
            score=float(score) if score is not None else None,
            band=tool.band_for(score).id if score is not None else None,
            coverage=float(coverage),
            applicable=applicable,
            answered=answered,
            not_known=not_known,
            incomplete=applicable > 0 and coverage < min_coverage,
            does_not_apply=left_out,
        )
        out.append((result, score))
    return out


@functools.lru_cache(maxsize=1024)
def _exact_weight(weight: float) -> int | Fraction:
    exact = exact_number(weight)
    return exact.numerator if exact.denominator == 1 else exact


class _Facts:
    """What conditions are evaluated against."""

    def __init__(
        self,
        tool: Tool,
        ratings: Ratings,
        context: Mapping[str, Any],
        domains: list[DomainResult],
        computed_band: str | None,
        coverage: Fraction,
        hardship: Collection[str],
        does_not_apply: Collection[str],
    ) -> None:
        self.tool = tool
        # In tool order, so that reasons do not depend on the order answers were given in.
        applies = applicable_items(tool, context)
        self.ratings = {
            item.id: value
            for item in tool.items()
            if (value := ratings.get(item.id)) is not None and item.id in applies and item.id not in does_not_apply
        }
        self.hardship = hardship
        self.context = context
        self.domain_bands = {d.id: d.band for d in domains}
        self.band_rank = {band.id: rank for rank, band in enumerate(tool.bands)}
        self.computed_band = computed_band
        self.coverage = coverage

    def at_or_above(self, band: str | None, threshold: str) -> bool:
        return band is not None and self.band_rank[band] >= self.band_rank[threshold]

    def counts(self, item_id: str, hardship: str) -> bool:
        """Whether a rating counts under a condition's hardship filter."""
        if hardship == "include":
            return True
        return (item_id in self.hardship) == (hardship == "only")

    def hits(
        self, at_least: int, hardship: str, domain: str | None = None, items: list[str] | None = None
    ) -> list[str]:
        """Ids of the items rated at or above `at_least` within the condition's scope, in tool order."""
        return [
            item_id
            for item_id, value in self.ratings.items()
            if value is not None
            and value >= at_least
            and (domain is None or item_id.startswith(domain + "."))
            and (items is None or item_id in items)
            and self.counts(item_id, hardship)
        ]

    def rated(self, item_ids: list[str]) -> list[str]:
        """Reasons in plain words: each item's title and rating."""
        out = []
        for item_id in item_ids:
            item = self.tool.item(item_id)
            name = item.name if item is not None else item_id
            mark = " (mainly money or housing)" if item_id in self.hardship else ""
            out.append(f"{name} rated {self.ratings[item_id]}{mark}")
        return out

    def domain_words(self, domain_id: str, band: str | None) -> str:
        domain = self.tool.domain(domain_id)
        title = domain.title if domain is not None else domain_id
        label = self.tool.band(band).label if band is not None else "no band"
        return f"{title} scores at {label}"


def fact_asked(fact: ContextFact, context: Mapping[str, Any]) -> bool:
    """Whether a context fact is asked, given the facts before it (tool format 3 `ask_if`; always without one)."""
    test = fact.ask_if
    return test is None or _context_matches(context.get(test.id), test.test, getattr(test, test.test))


def _context_matches(value: Any, test: str, expected: Any) -> bool:
    if value is None:
        return False
    if test == "includes":
        return isinstance(value, list | tuple) and expected in value
    if test == "equals":
        if isinstance(value, bool) != isinstance(expected, bool):
            return False
        return bool(value == expected)
    if isinstance(value, bool):
        return False
    if isinstance(expected, dt.date) != isinstance(value, dt.date):
        return False
    if test == "at_least":
        return bool(value >= expected)
    return bool(value <= expected)


def evaluate(cond: BaseModel, facts: _Facts) -> tuple[bool, list[str]]:
    """Whether a condition holds, and (when it does) the reasons in plain words."""
    match cond:
        case ItemCondition(item=t):
            value = facts.ratings.get(t.id)
            ok = value is not None and value >= t.at_least and facts.counts(t.id, t.hardship)
            return ok, facts.rated([t.id]) if ok else []
        case AnyItemCondition(any_item=t):
            hits = facts.hits(t.at_least, t.hardship, t.domain, t.items)
            return bool(hits), facts.rated(hits)
        case ItemsCountCondition(items_count=t):
            hits = facts.hits(t.at_least, t.hardship, t.domain, t.items)
            ok = len(hits) >= t.count
            return ok, facts.rated(hits) if ok else []
        case DomainsWithItemCondition(domains_with_item=t):
            hits = facts.hits(t.at_least, t.hardship)
            domains = {item_id.split(".", 1)[0] for item_id in hits}
            ok = len(domains) >= t.count
            return ok, facts.rated(hits) if ok else []
        case DomainCondition(domain=t):
            band = facts.domain_bands.get(t.id)
            ok = facts.at_or_above(band, t.band_at_least)
            return ok, [facts.domain_words(t.id, band)] if ok else []
        case DomainsCountCondition(domains_count=t):
            hits = [
                facts.domain_words(domain_id, band)
                for domain_id, band in facts.domain_bands.items()
                if facts.at_or_above(band, t.band_at_least)
            ]
            ok = len(hits) >= t.count
            return ok, hits if ok else []
        case OverallCondition(overall=t):
            ok = facts.at_or_above(facts.computed_band, t.band_at_least)
            label = facts.tool.band(facts.computed_band).label if facts.computed_band is not None else ""
            return ok, [f"the level from the scores alone is {label}"] if ok else []
        case ContextCondition(context=t):
            value = facts.context.get(t.id)
            test = t.test
            if not _context_matches(value, test, getattr(t, test)):
                return False, []
            fact = facts.tool.fact(t.id)
            shown = t.includes if test == "includes" else value  # the choice that matched, not the whole list
            if fact is None:
                return True, [f"{t.id}: {shown}"]
            return True, [fact.says(shown)]  # free text never appears in reasons
        case CoverageBelowCondition(coverage_below=x):
            ok = facts.coverage < exact_number(x)
            reason = f"only {float(facts.coverage):.0%} of the items that apply are answered (fewer than {x:.0%})"
            return ok, [reason] if ok else []
        case AllCondition(all_=parts):
            reasons: list[str] = []
            for part in parts:
                ok, why = evaluate(part, facts)
                if not ok:
                    return False, []
                reasons.extend(why)
            return True, reasons
        case AnyCondition(any_=parts):
            matched = False
            reasons = []
            for part in parts:
                ok, why = evaluate(part, facts)
                if ok:
                    matched = True
                    reasons.extend(why)
            return matched, reasons
        case NotCondition(not_=inner):
            ok, _ = evaluate(inner, facts)
            return (not ok), [] if ok else [describe(cond, facts.tool)]
    raise AssertionError(f"unhandled condition {type(cond).__name__}")


def score(
    tool: Tool,
    ratings: Ratings,
    context: Mapping[str, Any],
    override: Override | None = None,
    *,
    does_not_apply: Collection[str] = frozenset(),
    hardship: Collection[str] = frozenset(),
) -> Result:
    """Score one assessment. Same inputs, same result, always.

    `does_not_apply`: items the practitioner answered "does not apply" (left out of scores and
    coverage). `hardship`: rated items whose unmet need is mainly caused by money or housing.
    """
    scored_domains = _domain_results(tool, ratings, context, does_not_apply, hardship)
    domains = [d for d, _ in scored_domains]
    scored = [exact for _, exact in scored_domains if exact is not None]
    overall_score: Fraction | None = None
    if scored:
        overall_score = max(scored) if tool.scoring.overall == "max_domain" else sum(scored, Fraction(0)) / len(scored)
    computed = tool.band_for(overall_score).id if overall_score is not None else None

    applicable = sum(d.applicable for d in domains)
    answered = sum(d.answered for d in domains)
    coverage = Fraction(answered, applicable) if applicable else Fraction(1)
    incomplete = coverage < exact_number(tool.scoring.min_coverage) or any(d.incomplete for d in domains)

    facts = _Facts(tool, ratings, context, domains, computed, coverage, hardship, does_not_apply)
    fired: list[EscalationResult] = []
    for rule in tool.escalations:
        ok, because = evaluate(rule.when, facts)
        if ok:
            fired.append(
                EscalationResult(
                    id=rule.id,
                    severity=rule.severity,
                    title=rule.title,
                    prompt=rule.prompt,
                    minimum_band=rule.minimum_band,
                    because=list(dict.fromkeys(because)),  # each reason once, in order
                    raised=rule.minimum_band is not None
                    and (computed is None or tool.band_index(rule.minimum_band) > tool.band_index(computed)),
                )
            )
    fired.sort(key=lambda e: SEVERITIES.index(e.severity))  # stable: tool order within a severity

    escalated = computed
    for rule_result in fired:
        if rule_result.minimum_band is None:
            continue
        if escalated is None or tool.band_index(rule_result.minimum_band) > tool.band_index(escalated):
            escalated = rule_result.minimum_band
    final = override.band if override is not None else escalated

    return Result(
        domains=domains,
        overall=OverallResult(
            score=float(overall_score) if overall_score is not None else None,
            computed_band=computed,
            escalated_band=escalated,
            band=final,
            coverage=float(coverage),
            incomplete=incomplete,
        ),
        escalations=fired,
        override=override,
    )
