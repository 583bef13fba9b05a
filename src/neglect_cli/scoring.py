"""Scoring: tool + ratings + context -> Result. Pure: no I/O, no clock, no printing.

Semantics are DESIGN §4: applicability by age; weighted mean or max per
domain over answered items; "not known" never scored; coverage per domain
and overall; bands at full precision; escalations only raise; an override
sets the final band with a rationale, kept beside the computed values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from pydantic import BaseModel, ConfigDict

from .definition import (
    SEVERITIES,
    AllCondition,
    AnyCondition,
    AnyItemCondition,
    CapacityCondition,
    ChildSeenCondition,
    ChildSeenTest,
    ContextCondition,
    ContextFact,
    ContextTest,
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


@dataclass(frozen=True, slots=True)
class ChildSeen:
    """What a record's world sections say that rules may read (tool format 3): whether the child was
    seen and seen alone (`child_seen`), how many days before the assessment the child was last seen, and
    last seen on their own when the record gives those dates, and whether change is happening in the
    child's timescale (`capacity`). None where nothing is recorded."""

    seen: bool | None = None
    alone: bool | None = None
    timescale: str | None = None
    uses_words: bool | None = None
    last_seen_days: int | None = None
    #: days before the assessment the child was last seen on their own, when the record says which dates
    #: were alone (`seen_alone_on`; review 6, 3.5); None: not said, and "seen alone" reads as it always did
    last_alone_days: int | None = None

    def as_of(self, within_days: int | None) -> ChildSeen:
        """As a `child_seen` test with `within_days` reads it: a child last seen more than that many days
        before the assessment is not seen (nor seen alone) for it, and a child last seen on their own more
        than that many days before it is not seen alone for it. Unchanged without `within_days`, or when
        no date is known."""
        if within_days is None or self.seen is not True:
            return self
        days = self.last_seen_days
        if days is not None and days > within_days:
            return ChildSeen(seen=False, alone=False, timescale=self.timescale, uses_words=self.uses_words)
        alone_days = self.last_alone_days
        if self.alone and alone_days is not None and alone_days > within_days:
            return dataclasses.replace(self, alone=False)
        return self


def alone_long_before(within_days: int | None) -> str:
    """Why a `child_seen: {alone: false, within_days: N}` test holds for a child seen on their own only more
    than N days before the assessment (the dates seen alone given: review 6, 3.5). Records without those dates
    keep the test's own words, so they re-score to what they hold."""
    return f"the child was last seen on their own more than {within_days} days before the assessment"


class _Out(BaseModel):
    # Built on first use (once, for the whole result), not each model at import.
    model_config = ConfigDict(frozen=True, defer_build=True)


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


def score(
    tool: Tool,
    ratings: Ratings,
    context: Mapping[str, Any],
    override: Override | None = None,
    *,
    does_not_apply: Collection[str] = frozenset(),
    hardship: Collection[str] = frozenset(),
    seen: ChildSeen | None = None,
) -> Result:
    """Score one assessment. Same inputs, same result, always.

    `does_not_apply`: items the practitioner answered "does not apply" (left out of scores and
    coverage). `hardship`: rated items whose unmet need is mainly caused by money or housing.
    `seen`: whether the child was seen, and seen alone (read by `child_seen` conditions only).

    The tool's rules are compiled once per process (`_compiled`) into plain functions, so that a
    case costs one pass over its answers; the result is the same, byte for byte, as `score_reference`.
    """
    compiled = _compiled(tool)
    if compiled is None:
        return score_reference(
            tool, ratings, context, override, does_not_apply=does_not_apply, hardship=hardship, seen=seen
        )
    return compiled.score(ratings, context, override, does_not_apply, hardship, seen or ChildSeen())


# --- the compiled scorer -----------------------------------------------------------------------

#: Compiled tools by id(), each kept with its tool (so the id is not reused while it is here).
_COMPILED: dict[int, tuple[Tool, _CompiledTool | None]] = {}
_COMPILED_MAX = 64


def _compiled(tool: Tool) -> _CompiledTool | None:
    """The tool compiled for scoring, or None when `score_reference` must score it (a tool that
    `check_tool` would refuse: a duplicate id, a band that does not exist)."""
    entry = _COMPILED.get(id(tool))
    if entry is not None and entry[0] is tool:
        return entry[1]
    try:
        compiled: _CompiledTool | None = _CompiledTool(tool)
    except _NotCompiled:
        compiled = None
    if len(_COMPILED) >= _COMPILED_MAX:
        del _COMPILED[next(iter(_COMPILED))]
    _COMPILED[id(tool)] = (tool, compiled)
    return compiled


class _NotCompiled(Exception):
    """The tool is left to the reference scorer."""


#: A compiled condition: the reasons in plain words when it holds, None when it does not.
_Check = Callable[["_Case"], "list[str] | None"]

_HARDSHIP_MARK = " (mainly money or housing)"
#: Hardship filters as numbers: count every rating, only those not marked, only those marked.
_INCLUDE, _EXCLUDE, _ONLY = 0, 1, 2
_FILTERS = {"include": _INCLUDE, "exclude": _EXCLUDE, "only": _ONLY}


class _Case:
    """One case as the compiled conditions read it (what `_Facts` holds, built in the same pass as the domains)."""

    __slots__ = ("ratings", "hardship", "context", "domain_bands", "computed", "coverage", "seen", "_above")

    def __init__(
        self,
        ratings: dict[str, Any],
        hardship: Collection[str],
        context: Mapping[str, Any],
        domain_bands: dict[str, str | None],
        computed: str | None,
        coverage: Fraction,
        seen: ChildSeen,
    ) -> None:
        self.seen = seen
        self.ratings = ratings  # rated items that apply and were not answered "does not apply", in tool order
        self.hardship = hardship
        self.context = context
        self.domain_bands = domain_bands
        self.computed = computed
        self.coverage = coverage
        self._above: dict[int, list[str]] = {}

    def above(self, at_least: int) -> list[str]:
        """Rated items at or above `at_least`, in tool order (worked out once per case and value; not to be changed)."""
        found = self._above.get(at_least)
        if found is None:
            found = self._above[at_least] = [item_id for item_id, value in self.ratings.items() if value >= at_least]
        return found


class _CompiledTool:
    """A tool's scoring rules as plain Python: items by domain with exact weights (per age), bands as
    whole-number thresholds, escalation rules as functions of a case. Built once per tool."""

    def __init__(self, tool: Tool) -> None:
        self.tool = tool
        domain_ids = [d.id for d in tool.domains]
        item_ids = [item.id for item in tool.items()]
        band_ids = [b.id for b in tool.bands]
        if any(len(set(ids)) != len(ids) for ids in (domain_ids, item_ids, band_ids)):
            raise _NotCompiled
        self.band_rank = {band_id: rank for rank, band_id in enumerate(band_ids)}
        self.band_labels = {b.id: b.label for b in tool.bands}
        # each band's `up_to` as the exact decimal its author wrote, a whole-number fraction
        self.thresholds = [(up.numerator, up.denominator, b.id) for b in tool.bands for up in [exact_number(b.up_to)]]
        self.last_band = tool.bands[-1].id
        self.domain_titles = {d.id: d.title for d in tool.domains}
        self.item_names = {item.id: item.name for item in tool.items()}
        self.item_domains = {item_id: item_id.split(".", 1)[0] for item_id in item_ids}
        self.item_ids = item_ids
        self.min_coverage = exact_number(tool.scoring.min_coverage)
        self.by_max = tool.scoring.domain == "max"
        self.overall_max = tool.scoring.overall == "max_domain"
        self.unscored_hardship = tool.scoring.hardship == "exclude"
        self.plans: dict[int | None, list[tuple[str, str, list[tuple[str, int | Fraction]]]]] = {}
        self.rules = []
        for rule in tool.escalations:
            minimum = rule.minimum_band
            if minimum is not None and minimum not in self.band_rank:
                raise _NotCompiled
            self.rules.append(
                (
                    SEVERITIES.index(rule.severity),
                    rule,
                    self.condition(rule.when),
                    None if minimum is None else self.band_rank[minimum],
                )
            )

    # --- per case ---

    def plan(self, context: Mapping[str, Any]) -> list[tuple[str, str, list[tuple[str, int | Fraction]]]]:
        """The items that apply at the child's age, by domain, with exact weights (cached per age)."""
        age = context.get("age_months")
        if not isinstance(age, int) or isinstance(age, bool):
            age = None
        plan = self.plans.get(age)
        if plan is None:
            applies = self.tool.applicable_ids(age)
            plan = [
                (d.id, d.title, [(item.id, _exact_weight(item.weight)) for item in d.items if item.id in applies])
                for d in self.tool.domains
            ]
            if len(self.plans) < 1024:
                self.plans[age] = plan
        return plan

    def band_for(self, score: Fraction) -> str:
        num, den = score.numerator, score.denominator
        for up_num, up_den, band_id in self.thresholds:
            if num * up_den <= up_num * den:  # score <= up_to, in whole numbers
                return band_id
        return self.last_band

    def score(
        self,
        ratings: Ratings,
        context: Mapping[str, Any],
        override: Override | None,
        does_not_apply: Collection[str],
        hardship: Collection[str],
        seen: ChildSeen,
    ) -> Result:
        min_coverage = self.min_coverage
        unscored_hardship = self.unscored_hardship
        by_max = self.by_max
        rated: dict[str, Any] = {}
        domains: list[dict[str, Any]] = []
        scored: list[Fraction] = []
        domain_bands: dict[str, str | None] = {}
        all_applicable = all_answered = 0
        any_incomplete = False
        missing = _MISSING
        cover_num, cover_den = min_coverage.numerator, min_coverage.denominator
        for domain_id, title, items in self.plan(context):
            applicable = answered = not_known = left_out = 0
            total: int | Fraction = 0
            weights: int | Fraction = 0
            largest = None
            for item_id, weight in items:
                if item_id in does_not_apply:
                    left_out += 1
                    continue
                applicable += 1
                value: Any = ratings.get(item_id, missing)
                if value is missing:
                    continue
                if value is None:
                    not_known += 1
                    continue
                answered += 1
                rated[item_id] = value
                if unscored_hardship and item_id in hardship:
                    continue
                total += value * weight
                weights += weight
                largest = value if largest is None else max(largest, value)
            exact: Fraction | None = None
            if weights:
                if by_max:
                    exact = Fraction(largest or 0)
                elif isinstance(total, int) and isinstance(weights, int):
                    exact = Fraction(total, weights)
                else:
                    exact = Fraction(total) / weights
                scored.append(exact)
            band = self.band_for(exact) if exact is not None else None
            # coverage answered/applicable (1 when nothing applies), compared with min_coverage in whole numbers
            incomplete = applicable > 0 and answered * cover_den < cover_num * applicable
            any_incomplete = any_incomplete or incomplete
            domain_bands[domain_id] = band
            all_applicable += applicable
            all_answered += answered
            domains.append(
                {
                    "id": domain_id,
                    "title": title,
                    "score": float(exact) if exact is not None else None,
                    "band": band,
                    "coverage": answered / applicable if applicable else 1.0,  # what float(Fraction) gives
                    "applicable": applicable,
                    "answered": answered,
                    "not_known": not_known,
                    "incomplete": incomplete,
                    "does_not_apply": left_out,
                }
            )
        overall_score: Fraction | None = None
        if scored:
            overall_score = max(scored) if self.overall_max else sum(scored, Fraction(0)) / len(scored)
        computed = self.band_for(overall_score) if overall_score is not None else None
        coverage = Fraction(all_answered, all_applicable) if all_applicable else Fraction(1)
        incomplete = coverage < min_coverage or any_incomplete

        case = _Case(rated, hardship, context, domain_bands, computed, coverage, seen)
        rank = self.band_rank
        computed_rank = None if computed is None else rank[computed]
        fired: list[tuple[int, dict[str, Any]]] = []
        escalated_rank = computed_rank
        for severity, rule, check, minimum in self.rules:
            because = check(case)
            if because is None:
                continue
            fired.append(
                (
                    severity,
                    {
                        "id": rule.id,
                        "severity": rule.severity,
                        "title": rule.title,
                        "prompt": rule.prompt,
                        "minimum_band": rule.minimum_band,
                        "because": list(dict.fromkeys(because)),  # each reason once, in order
                        "raised": minimum is not None and (computed_rank is None or minimum > computed_rank),
                    },
                )
            )
            if minimum is not None and (escalated_rank is None or minimum > escalated_rank):
                escalated_rank = minimum
        fired.sort(key=_first)  # stable: tool order within a severity
        escalated = computed if escalated_rank is None else self.tool.bands[escalated_rank].id
        final = override.band if override is not None else escalated

        # One validation builds the whole result (a model per part would cost a call each).
        return Result.model_validate(
            {
                "domains": domains,
                "overall": {
                    "score": float(overall_score) if overall_score is not None else None,
                    "computed_band": computed,
                    "escalated_band": escalated,
                    "band": final,
                    "coverage": float(coverage),
                    "incomplete": incomplete,
                },
                "escalations": [result for _, result in fired],
                "override": override,
            }
        )

    # --- conditions, compiled ---

    def condition(self, cond: BaseModel) -> _Check:
        """One condition as a function of a case (the same truth and reasons as `evaluate`)."""
        match cond:
            case ItemCondition(item=t):
                return self.item(t.id, t.at_least, _FILTERS[t.hardship])
            case AnyItemCondition(any_item=t):
                return self.items_count(1, t.at_least, _FILTERS[t.hardship], self.scope(t.domain, t.items))
            case ItemsCountCondition(items_count=t):
                return self.items_count(t.count, t.at_least, _FILTERS[t.hardship], self.scope(t.domain, t.items))
            case DomainsWithItemCondition(domains_with_item=t):
                return self.domains_with_item(t.count, t.at_least, _FILTERS[t.hardship])
            case DomainCondition(domain=t):
                return self.domain(t.id, self.threshold(t.band_at_least))
            case ChildSeenCondition(child_seen=t):
                return _child_seen(t, describe(cond, self.tool))
            case CapacityCondition(capacity=t):
                return _capacity(t.timescale, describe(cond, self.tool))
            case DomainsCountCondition(domains_count=t):
                return self.domains_count(t.count, self.threshold(t.band_at_least))
            case OverallCondition(overall=t):
                return self.overall(self.threshold(t.band_at_least))
            case ContextCondition(context=t):
                return self.context(t)
            case CoverageBelowCondition(coverage_below=x):
                return _coverage_below(x)
            case AllCondition(all_=parts):
                return _all([self.condition(part) for part in parts])
            case AnyCondition(any_=parts):
                return _any([self.condition(part) for part in parts])
            case NotCondition(not_=inner):
                return _not(self.condition(inner), describe(cond, self.tool))
        raise _NotCompiled

    def threshold(self, band_id: str) -> int:
        rank = self.band_rank.get(band_id)
        if rank is None:
            raise _NotCompiled  # the reference raises KeyError when it meets it
        return rank

    def scope(self, domain: str | None, items: list[str] | None) -> frozenset[str] | None:
        """The items a condition looks at; None for every item."""
        if domain is None and items is None:
            return None
        return frozenset(
            item_id
            for item_id in self.item_ids
            if (domain is None or item_id.startswith(domain + ".")) and (items is None or item_id in items)
        )

    def rated(self, hits: list[str], case: _Case) -> list[str]:
        names, values, hardship = self.item_names, case.ratings, case.hardship
        return [
            f"{names[item_id]} rated {values[item_id]}{_HARDSHIP_MARK if item_id in hardship else ''}"
            for item_id in hits
        ]

    def item(self, item_id: str, at_least: int, keep: int) -> _Check:
        def check(case: _Case) -> list[str] | None:
            value = case.ratings.get(item_id)
            if value is None or not value >= at_least:
                return None
            if keep != _INCLUDE and (item_id in case.hardship) != (keep == _ONLY):
                return None
            return self.rated([item_id], case)

        return check

    def items_count(self, count: int, at_least: int, keep: int, scope: frozenset[str] | None) -> _Check:
        def check(case: _Case) -> list[str] | None:
            if len(case.above(at_least)) < count:
                return None  # too few ratings that high anywhere, whatever the scope and the filter
            hits = _hits(case, at_least, keep, scope)
            return self.rated(hits, case) if len(hits) >= count else None

        return check

    def domains_with_item(self, count: int, at_least: int, keep: int) -> _Check:
        item_domains = self.item_domains

        def check(case: _Case) -> list[str] | None:
            if len(case.above(at_least)) < count:
                return None  # fewer ratings that high than domains needed
            hits = _hits(case, at_least, keep, None)
            if len({item_domains[item_id] for item_id in hits}) < count:
                return None
            return self.rated(hits, case)

        return check

    def domain_words(self, domain_id: str, band: str) -> str:
        return f"{self.domain_titles[domain_id]} scores at {self.band_labels[band]}"

    def domain(self, domain_id: str, threshold: int) -> _Check:
        rank = self.band_rank

        def check(case: _Case) -> list[str] | None:
            band = case.domain_bands.get(domain_id)
            if band is None or rank[band] < threshold:
                return None
            return [self.domain_words(domain_id, band)]

        return check

    def domains_count(self, count: int, threshold: int) -> _Check:
        rank = self.band_rank

        def check(case: _Case) -> list[str] | None:
            hits = [
                self.domain_words(domain_id, band)
                for domain_id, band in case.domain_bands.items()
                if band is not None and rank[band] >= threshold
            ]
            return hits if len(hits) >= count else None

        return check

    def overall(self, threshold: int) -> _Check:
        rank, labels = self.band_rank, self.band_labels

        def check(case: _Case) -> list[str] | None:
            band = case.computed
            if band is None or rank[band] < threshold:
                return None
            return [f"the level from the scores alone is {labels[band]}"]

        return check

    def context(self, t: ContextTest) -> _Check:
        fact_id, test = t.id, t.test
        expected = getattr(t, test)
        fact = self.tool.fact(fact_id)
        if test == "known":
            known_said = known_words(fact.name if fact is not None else fact_id, bool(expected))

            def known(case: _Case) -> list[str] | None:
                return [known_said] if (case.context.get(fact_id) is not None) is expected else None

            return known
        matches = _context_test(test, expected)

        def says(shown: Any) -> str:
            return f"{fact_id}: {shown}" if fact is None else fact.says(shown)  # free text never in reasons

        if test == "includes":  # the choice that matched, not the whole list: the same words every time
            reason = says(expected)

            def check_includes(case: _Case) -> list[str] | None:
                value = case.context.get(fact_id)
                return None if value is None or not matches(value) else [reason]

            return check_includes
        # The words for each value met, worked out once (by type too: True and 1 are equal keys, not the same words).
        said: dict[tuple[type, Any], str] = {}

        def check(case: _Case) -> list[str] | None:
            value = case.context.get(fact_id)
            if value is None or not matches(value):
                return None
            try:
                key = (type(value), value)
                words = said.get(key)
            except TypeError:  # a list (a multichoice fact tested with `equals`): not kept
                return [says(value)]
            if words is None:
                words = says(value)
                if len(said) < 1024:
                    said[key] = words
            return [words]

        return check


def _context_test(test: str, expected: Any) -> Callable[[Any], bool]:
    """`_context_matches` for one test and expected value, with what depends on them alone worked out once."""
    if test == "includes":
        return lambda value: isinstance(value, list | tuple) and expected in value
    if test == "equals":
        expects_bool = isinstance(expected, bool)
        return lambda value: isinstance(value, bool) == expects_bool and bool(value == expected)
    expects_date = isinstance(expected, dt.date)
    if test == "at_least":
        return lambda value: (
            not isinstance(value, bool) and isinstance(value, dt.date) == expects_date and bool(value >= expected)
        )
    return lambda value: (
        not isinstance(value, bool) and isinstance(value, dt.date) == expects_date and bool(value <= expected)
    )


_MISSING = object()


def _first(pair: tuple[int, dict[str, Any]]) -> int:
    return pair[0]


def _hits(case: _Case, at_least: int, keep: int, scope: frozenset[str] | None) -> list[str]:
    """Rated items in scope at or above `at_least` that the hardship filter counts, in tool order."""
    found = case.above(at_least)
    if scope is not None:
        found = [item_id for item_id in found if item_id in scope]
    if keep == _INCLUDE:
        return found
    marked = keep == _ONLY
    hardship = case.hardship
    return [item_id for item_id in found if (item_id in hardship) == marked]


def _child_seen(t: ChildSeenTest, reason: str) -> _Check:
    """A `child_seen` condition, compiled (the same truth as `evaluate`)."""
    seen, alone, recorded, words, within = t.seen, t.alone, t.recorded, t.uses_words, t.within_days

    def check(case: _Case) -> list[str] | None:
        if words is not None:
            ok = case.seen.uses_words is words
        elif recorded is not None:
            ok = (case.seen.seen is not None) is recorded
        elif alone is not None:
            told = case.seen.as_of(within)
            not_alone = told.seen is False or told.alone is False
            ok = (told.seen is not False and told.alone is True) if alone else not_alone
            if ok and told.seen is True and told.alone is not case.seen.alone:  # seen alone only long before
                return [alone_long_before(within)]
        else:
            ok = case.seen.as_of(within).seen is seen
        return [reason] if ok else None

    return check


def _capacity(timescale: str, reason: str) -> _Check:
    """A `capacity` condition, compiled (the same truth as `evaluate`)."""

    def check(case: _Case) -> list[str] | None:
        return [reason] if case.seen.timescale == timescale else None

    return check


def _coverage_below(x: float) -> _Check:
    limit = exact_number(x)

    def check(case: _Case) -> list[str] | None:
        if not case.coverage < limit:
            return None
        return [f"only {float(case.coverage):.0%} of the items that apply are answered (fewer than {x:.0%})"]

    return check


def _all(parts: list[_Check]) -> _Check:
    def check(case: _Case) -> list[str] | None:
        reasons: list[str] = []
        for part in parts:
            why = part(case)
            if why is None:
                return None
            reasons += why
        return reasons

    return check


def _any(parts: list[_Check]) -> _Check:
    def check(case: _Case) -> list[str] | None:
        reasons: list[str] | None = None
        for part in parts:
            why = part(case)
            if why is not None:
                reasons = why if reasons is None else reasons + why
        return reasons

    return check


def _not(inner: _Check, described: str) -> _Check:
    def check(case: _Case) -> list[str] | None:
        return None if inner(case) is not None else [described]

    return check


# --- the reference reading -------------------------------------------------------------------


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
        seen: ChildSeen,
    ) -> None:
        self.tool = tool
        self.seen = seen
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


def known_words(name: str, known: bool) -> str:
    """The reason a `known` context test gives: whether the fact was answered (never its value)."""
    return f"{name}: recorded" if known else f"{name}: not recorded"


def _context_matches(value: Any, test: str, expected: Any) -> bool:
    if test == "known":
        return (value is not None) is expected
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
            if test == "known":
                return True, [known_words(fact.name if fact is not None else t.id, bool(t.known))]
            shown = t.includes if test == "includes" else value  # the choice that matched, not the whole list
            if fact is None:
                return True, [f"{t.id}: {shown}"]
            return True, [fact.says(shown)]  # free text never appears in reasons
        case ChildSeenCondition(child_seen=t):
            seen = facts.seen.as_of(t.within_days)
            if t.uses_words is not None:
                ok = seen.uses_words is t.uses_words
            elif t.recorded is not None:
                ok = (seen.seen is not None) is t.recorded
            elif t.alone is not None:
                # not seen at all is not seen alone either; nothing recorded is not a finding
                not_alone = seen.seen is False or seen.alone is False
                alone = seen.seen is not False and seen.alone is True
                ok = alone if t.alone else not_alone
                if ok and seen.seen is True and seen.alone is not facts.seen.alone:  # seen alone only long before
                    return True, [alone_long_before(t.within_days)]
            else:
                ok = seen.seen is t.seen
            return ok, [describe(cond, facts.tool)] if ok else []
        case CapacityCondition(capacity=t):
            ok = facts.seen.timescale == t.timescale
            return ok, [describe(cond, facts.tool)] if ok else []
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


def score_reference(
    tool: Tool,
    ratings: Ratings,
    context: Mapping[str, Any],
    override: Override | None = None,
    *,
    does_not_apply: Collection[str] = frozenset(),
    hardship: Collection[str] = frozenset(),
    seen: ChildSeen | None = None,
) -> Result:
    """`score` read straight from DESIGN §4, condition by condition: the specification the compiled
    scorer is tested against (tests/test_scoring_compiled.py), and what scores a tool it does not take."""
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

    facts = _Facts(tool, ratings, context, domains, computed, coverage, hardship, does_not_apply, seen or ChildSeen())
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
