"""The tool format (`schema: neglect-tool/1`, `/2`, `/3`) as pydantic models, and its semantic checks.

Conditions are typed models discriminated by their single key; nothing in a
tool file is ever evaluated as code.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    Tag,
    ValidationError,
    model_validator,
)

from .errors import UserError
from .loading import Document, as_mapping, validation_problems
from .text import check_note

SEVERITIES: tuple[str, ...] = ("immediate", "urgent", "consult", "info")
Severity = Literal["info", "consult", "urgent", "immediate"]


def reading_order(severity: object, raised: object, floor: int | None = None) -> tuple[int, bool, int]:
    """Where an escalation prompt stands in what a practitioner reads (a sort key; sort stably): the most
    severe first and, within a severity, the prompts that raised the level before the rest, the highest
    floor first (the prompt that set the final level leads), tool order otherwise. `floor` is the rank of the
    prompt's `minimum_band` in its tool's order of bands (None: no floor, or the tool is not available).
    Results and records keep their own order (severity, then tool order): only views sort."""
    rank = SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)
    first = raised is True
    return rank, not first, -floor if first and floor is not None else 0


ContextType = Literal["integer", "choice", "multichoice", "boolean", "date", "text"]

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
ItemId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_.-]*$", max_length=128)]
#: Text people read (tab and newline allowed): never control characters, terminal escapes or bidi overrides.
Prose = Annotated[str, AfterValidator(check_note)]
Text = Annotated[str, Field(min_length=1, max_length=20_000), AfterValidator(check_note)]
# YAML 1.1 reads `yes`/`no` as booleans, and pydantic would take them as 1 and 0.
Whole = Annotated[int, Strict()]
# Likewise `true` and "2" are not numbers, nor "yes" a true/false value: no silent coercion.
Number = Annotated[float, Strict()]
Flag = Annotated[bool, Strict()]


def words(identifier: str) -> str:
    """An id in words: `not_brought_count` -> `not brought count`."""
    return identifier.replace("_", " ").replace("-", " ")


def value_words(value: Any) -> str:
    """A fact's value as a person reads it: yes/no, choices in words, lists joined."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(value_words(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return words(value)
    return str(value)


class Model(BaseModel):
    # Built on first use, once for the whole tool (each model built at import would build its parts again).
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


# --- conditions ---------------------------------------------------------------------


#: Which ratings an item condition counts by their hardship mark (tool format 2): every rating
#: (`include`), only those not mainly caused by money or housing (`exclude`), or only those (`only`).
HardshipFilter = Literal["include", "exclude", "only"]


class ItemTest(Model):
    id: ItemId
    at_least: Whole
    hardship: HardshipFilter = "include"


class AnyItemTest(Model):
    at_least: Whole
    domain: Id | None = None
    items: list[ItemId] | None = Field(default=None, min_length=1)
    hardship: HardshipFilter = "include"


class ItemsCountTest(Model):
    at_least: Whole
    count: Whole = Field(ge=1)
    domain: Id | None = None
    items: list[ItemId] | None = Field(default=None, min_length=1)
    hardship: HardshipFilter = "include"


class DomainsWithItemTest(Model):
    """At least `count` domains each have an item rated `at_least` or more (breadth on ratings, not averages)."""

    at_least: Whole
    count: Whole = Field(ge=1)
    hardship: HardshipFilter = "include"


class DomainTest(Model):
    id: Id
    band_at_least: Id


class DomainsCountTest(Model):
    band_at_least: Id
    count: Whole = Field(ge=1)


class OverallTest(Model):
    band_at_least: Id


class ChildSeenTest(Model):
    """Tool format 3: what the record says of seeing the child. `alone: false` holds when the child was
    recorded as not seen alone (or not seen at all); `seen: false` when recorded as not seen. Nothing
    recorded: false, like a missing context fact; `recorded: false` holds exactly then. `uses_words: false`
    when the child is recorded as not (yet) using words. `within_days` (with `seen` or `alone`): a child
    last seen more than that many days before the assessment counts as not seen, and not seen alone."""

    seen: Flag | None = None
    alone: Flag | None = None
    recorded: Flag | None = None
    uses_words: Flag | None = None
    within_days: Whole | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_test(self) -> ChildSeenTest:
        if sum(test is not None for test in (self.seen, self.alone, self.recorded, self.uses_words)) != 1:
            raise ValueError("a child_seen condition needs exactly one of seen, alone, recorded, uses_words")
        if self.within_days is not None and self.seen is None and self.alone is None:
            raise ValueError("within_days goes with seen or alone (how recently the child was seen)")
        return self


def yes_no_word(value: Any) -> Any:
    """`yes`/`no` as words: YAML 1.1 reads a bare `no` as false, where a choice means the word."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


class CapacityTest(Model):
    """Tool format 3: what the record's `capacity` section says of change in the child's timescale
    (`timescale: no`: change is not happening in time for the child). Nothing recorded: false."""

    timescale: Annotated[Literal["yes", "partly", "no", "not_known"], BeforeValidator(yes_no_word)]


ContextValue = bool | int | float | dt.date | str


def _one_value(value: Any) -> Any:
    # Checked before the union so that a wrong value gets one message, not one per member type.
    if isinstance(value, str):
        return check_note(value)
    if value is None or isinstance(value, bool | int | float | dt.date):
        return value
    raise ValueError("must be a single value: true/false, a number, a date or one of the fact's choices")


def _bound(value: Any) -> Any:
    if value is None or (isinstance(value, int | float | dt.date) and not isinstance(value, bool)):
        return value
    if isinstance(value, str):
        from .dates import ACCEPTED, parse_date

        try:
            return parse_date(value)
        except ValueError:
            raise ValueError(f"must be a number or a date ({ACCEPTED})") from None
    raise ValueError("must be a number or a date (YYYY-MM-DD)")


Bound = Annotated[Whole | Annotated[float, Strict()] | dt.date | None, BeforeValidator(_bound)]


#: How a `capacity` condition reads in a reason, by the timescale it tests.
CAPACITY_WORDS: dict[str, str] = {
    "yes": "change for the child is happening in the child's timescale",
    "partly": "change for the child is only partly happening in the child's timescale",
    "no": "change for the child is not happening in the child's timescale",
    "not_known": "whether change is happening in the child's timescale is not known",
}

#: The tests a `context` condition may make, one per condition.
CONTEXT_TESTS: tuple[str, ...] = ("equals", "at_least", "at_most", "includes", "known")


class ContextTest(Model):
    id: Id
    equals: Annotated[ContextValue | None, BeforeValidator(_one_value)] = None
    at_least: Bound = None
    at_most: Bound = None
    includes: Prose | None = None
    # tool format 3: whether the fact has an answer at all (`known: false`: left blank, not recorded)
    known: Flag | None = None

    @model_validator(mode="after")
    def _one_test(self) -> ContextTest:
        given = [k for k in CONTEXT_TESTS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("a context condition needs exactly one of " + ", ".join(CONTEXT_TESTS))
        return self

    @property
    def test(self) -> str:
        # spelled out rather than a loop over the names: scoring asks this for every case
        if self.equals is not None:
            return "equals"
        if self.at_least is not None:
            return "at_least"
        if self.at_most is not None:
            return "at_most"
        if self.includes is not None:
            return "includes"
        if self.known is not None:
            return "known"
        raise ValueError("a context condition needs exactly one of " + ", ".join(CONTEXT_TESTS))


class ItemCondition(Model):
    item: ItemTest


class AnyItemCondition(Model):
    any_item: AnyItemTest


class ItemsCountCondition(Model):
    items_count: ItemsCountTest


class DomainCondition(Model):
    domain: DomainTest


class DomainsCountCondition(Model):
    domains_count: DomainsCountTest


class DomainsWithItemCondition(Model):
    domains_with_item: DomainsWithItemTest


class OverallCondition(Model):
    overall: OverallTest


class ContextCondition(Model):
    context: ContextTest


class ChildSeenCondition(Model):
    child_seen: ChildSeenTest


class CapacityCondition(Model):
    capacity: CapacityTest


class CoverageBelowCondition(Model):
    coverage_below: Number = Field(gt=0, le=1)


class AllCondition(Model):
    all_: list[Condition] = Field(alias="all", min_length=1)


class AnyCondition(Model):
    any_: list[Condition] = Field(alias="any", min_length=1)


class NotCondition(Model):
    not_: Condition = Field(alias="not")


CONDITION_KEYS: tuple[str, ...] = (
    "item",
    "any_item",
    "items_count",
    "domain",
    "domains_count",
    "domains_with_item",
    "overall",
    "context",
    "child_seen",
    "capacity",
    "coverage_below",
    "all",
    "any",
    "not",
)


def _condition_shape(value: Any) -> Any:
    """Name the problem when a condition mapping has no key, several keys or an unknown one."""
    if isinstance(value, dict):
        keys = [str(key)[:40] for key in value]
        if len(keys) != 1:
            given = f" ({', '.join(keys)})" if keys else ""
            raise ValueError(
                f"a condition has exactly one key, this one has {len(keys)}{given}; combine conditions with all/any"
            )
        if keys[0] not in CONDITION_KEYS:
            raise ValueError(f"unknown condition {keys[0]!r}; use one of: {', '.join(CONDITION_KEYS)}")
    return value


def _condition_key(value: Any) -> str | None:
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        return key if key in CONDITION_KEYS else None
    if isinstance(value, BaseModel):
        return _KEY_OF_MODEL.get(type(value))
    return None


Condition = Annotated[
    Annotated[ItemCondition, Tag("item")]
    | Annotated[AnyItemCondition, Tag("any_item")]
    | Annotated[ItemsCountCondition, Tag("items_count")]
    | Annotated[DomainCondition, Tag("domain")]
    | Annotated[DomainsCountCondition, Tag("domains_count")]
    | Annotated[DomainsWithItemCondition, Tag("domains_with_item")]
    | Annotated[OverallCondition, Tag("overall")]
    | Annotated[ContextCondition, Tag("context")]
    | Annotated[ChildSeenCondition, Tag("child_seen")]
    | Annotated[CapacityCondition, Tag("capacity")]
    | Annotated[CoverageBelowCondition, Tag("coverage_below")]
    | Annotated[AllCondition, Tag("all")]
    | Annotated[AnyCondition, Tag("any")]
    | Annotated[NotCondition, Tag("not")],
    Discriminator(
        _condition_key,
        custom_error_type="condition",
        custom_error_message="a condition is a mapping with exactly one key, one of: " + ", ".join(CONDITION_KEYS),
    ),
    BeforeValidator(_condition_shape),
]

_KEY_OF_MODEL: dict[type[BaseModel], str] = {
    ItemCondition: "item",
    AnyItemCondition: "any_item",
    ItemsCountCondition: "items_count",
    DomainCondition: "domain",
    DomainsCountCondition: "domains_count",
    DomainsWithItemCondition: "domains_with_item",
    OverallCondition: "overall",
    ContextCondition: "context",
    ChildSeenCondition: "child_seen",
    CapacityCondition: "capacity",
    CoverageBelowCondition: "coverage_below",
    AllCondition: "all",
    AnyCondition: "any",
    NotCondition: "not",
}

# The recursive conditions (all, any, not) are completed with the Tool model on its first use.


# --- the tool -----------------------------------------------------------------------


class Level(Model):
    value: Whole
    label: Text
    description: Prose | None = None


class Scale(Model):
    levels: list[Level] = Field(min_length=2, max_length=20)
    allow_not_known: Flag = True

    @property
    def values(self) -> list[int]:
        return [level.value for level in self.levels]

    @property
    def top(self) -> int:
        return max(self.values)

    def label(self, value: int) -> str:
        return next((lv.label for lv in self.levels if lv.value == value), str(value))


class ContextFact(Model):
    id: Id
    prompt: Prose | None = None
    type: ContextType
    min: Whole | None = None
    max: Whole | None = None
    required: Flag = False
    choices: list[Id] | None = None
    # tool format 2: how reasons and rules name the fact in plain words
    label: Annotated[str, Field(min_length=1, max_length=200), AfterValidator(check_note)] | None = None
    wording: Annotated[str, Field(min_length=1, max_length=500), AfterValidator(check_note)] | None = None
    # tool format 3: asked only when an earlier fact passes this test (`{id: material_hardship, equals: true}`);
    # otherwise not asked, not required, and an answers file may not give it
    ask_if: ContextTest | None = None
    # tool format 3: recorded to monitor fairness (who is assessed, at what level); no rule may read it
    monitoring: Flag = False

    @property
    def question(self) -> str:
        return self.prompt or self.id

    @property
    def name(self) -> str:
        """The fact in plain words: its label, or its id with spaces."""
        return self.label or words(self.id)

    def says(self, value: Any) -> str:
        """A reason in plain words for the value this fact has (free text is never repeated)."""
        shown = "given" if self.type == "text" else value_words(value)
        if self.wording:
            return self.wording.replace("{value}", shown)
        return f"{self.name}: {shown}"


class Ages(Model):
    min_months: Whole = Field(default=0, ge=0)
    max_months: Whole | None = Field(default=None, ge=0)

    def covers(self, months: int) -> bool:
        return months >= self.min_months and (self.max_months is None or months <= self.max_months)


class Item(Model):
    id: ItemId
    title: Annotated[str, Field(min_length=1, max_length=120), AfterValidator(check_note)] | None = None  # format 2
    prompt: Text
    guidance: Prose | None = None
    anchors: dict[int, Text] | None = None
    ages: Ages | None = None
    weight: Number = Field(default=1.0, gt=0, le=100)
    evidence_from: Whole | None = None
    may_not_apply: Flag = False  # tool format 2: the practitioner may answer "does not apply"
    # tool format 3: the ids of earlier versions' items this one replaces (renamed, split or merged);
    # an item that kept its id lists nothing
    formerly: list[ItemId] | None = Field(default=None, min_length=1, max_length=64)

    @property
    def domain_id(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def name(self) -> str:
        """What a person calls the item: its title, or the end of its id in words."""
        return self.title or words(self.id.split(".", 1)[1]).capitalize()


class Domain(Model):
    id: Id
    title: Text
    description: Prose | None = None
    items: list[Item] = Field(min_length=1)
    # tool format 3: with the `seen` section, the walk asks what the child says or shows about this domain
    voice: Text | None = None

    @property
    def voice_question(self) -> str:
        """What the walk asks of the child's voice in this domain (the tool's words, or plain default ones)."""
        return self.voice or f"What does the child say, or show, about {self.title.lower()}?"


class Scoring(Model):
    domain: Literal["mean", "max"] = "mean"
    overall: Literal["max_domain", "mean_domains"] = "max_domain"
    min_coverage: Number = Field(default=0.6, gt=0, le=1)
    # tool format 2: `exclude` leaves ratings marked as mainly caused by money or housing out of the
    # domain scores (they still count as answered), so hardship alone never raises a level by averaging
    hardship: Literal["include", "exclude"] = "include"


class Band(Model):
    id: Id
    label: Text
    up_to: Number = Field(allow_inf_nan=False)
    guidance: Prose | None = None
    review_weeks: Whole | None = Field(default=None, ge=1, le=520)
    plan_required: Flag = False  # tool format 3: an assessment ending at this level needs a plan


class Escalation(Model):
    id: Id
    severity: Severity
    title: Text
    prompt: Text
    when: Condition
    minimum_band: Id | None = None


class HardshipMark(Model):
    """Tool format 2: when the walk asks whether a rating is mainly down to money or housing."""

    fact: Id  # a boolean context fact: the family faces material hardship
    ask_from: Whole  # asked for ratings at or above this value while the fact is true


#: Tool format 3 is shared by issues 14, 16 and 18: each adds its keys to it (and to format_3_features).
TOOL_SCHEMAS = ("neglect-tool/1", "neglect-tool/2", "neglect-tool/3")

#: Tool format 3: the parts of an assessment beyond the items that a tool asks for (`sections:`).
#: seen: whether and how the child was seen, and their voice per domain; household: the adults in the
#: child's life; sources: where each rating's evidence came from; strengths: what is going well and what
#: keeps the child safe now; capacity: the carers' response to help and capacity to change; identity:
#: optional monitoring facts (ethnicity, language, interpreter, disability, no recourse to public funds).
SECTIONS: tuple[str, ...] = ("seen", "household", "sources", "strengths", "capacity", "identity")
Section = Literal["seen", "household", "sources", "strengths", "capacity", "identity"]

#: Context fact ids that describe who a family is, not how a child is cared for: recorded for
#: monitoring only, never read by a rule (whatever `monitoring` says).
IDENTITY_FACT_WORDS: tuple[str, ...] = (
    "ethnicity",
    "ethnic",
    "language",
    "interpreter",
    "disability",
    "religion",
    "faith",
    "nationality",
    "immigration",
    "recourse",
    "nrpf",
    "asylum",
    "gender",
    "sexuality",
)


class Tool(Model):
    """A neglect tool: scale, context facts, domains of items, scoring, bands, rules."""

    schema_: Literal["neglect-tool/1", "neglect-tool/2", "neglect-tool/3"] = Field(alias="schema")
    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$", max_length=64)]  # DESIGN §3: [a-z0-9-]+
    version: Annotated[str, Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z.+-]*$", max_length=32)]
    title: Text
    description: Prose | None = None
    scale: Scale
    context: list[ContextFact] = Field(default_factory=list)
    domains: list[Domain] = Field(min_length=1)
    scoring: Scoring
    bands: list[Band] = Field(min_length=1)
    escalations: list[Escalation] = Field(default_factory=list)
    reflection: list[Text] = Field(default_factory=list)
    hardship: HardshipMark | None = None  # tool format 2
    sections: list[Section] = Field(default_factory=list)  # tool format 3

    def asks(self, section: str) -> bool:
        """Whether the tool asks for this section (tool format 3: `sections:`)."""
        return section in self.sections

    @property
    def ref(self) -> str:
        """`id@version`, as `--tool` and `tools show` take it."""
        return f"{self.id}@{self.version}"

    def items(self) -> Iterator[Item]:
        for domain in self.domains:
            yield from domain.items

    def item(self, item_id: str) -> Item | None:
        return self._index()[0].get(item_id)

    def domain(self, domain_id: str) -> Domain | None:
        return next((d for d in self.domains if d.id == domain_id), None)

    def fact(self, fact_id: str) -> ContextFact | None:
        # by a dict cached like _index (checking every answers file asks this for each fact); first one wins
        cached: tuple[object, dict[str, ContextFact]] | None = self.__dict__.get("_cached_facts")
        if cached is None or cached[0] is not self.context:
            cached = (self.context, {f.id: f for f in reversed(self.context)})
            object.__setattr__(self, "_cached_facts", cached)
        return cached[1].get(fact_id)

    def band_index(self, band_id: str) -> int:
        return self._index()[1][band_id]

    def band(self, band_id: str) -> Band:
        return self.bands[self.band_index(band_id)]

    def band_for(self, score: float | Fraction) -> Band:
        """The first band whose `up_to` is at or above the score (full precision).

        `up_to` is compared as the decimal the author wrote, so a score of exactly
        2.7 is within `up_to: 2.7` whatever binary rounding would say.
        """
        exact = score if isinstance(score, Fraction) else Fraction(score)
        num, den = exact.numerator, exact.denominator
        for band in self.bands:
            up_to = exact_number(band.up_to)
            if num * up_to.denominator <= up_to.numerator * den:  # exact <= up_to, in whole numbers (fast)
                return band
        return self.bands[-1]

    def applicable_ids(self, age_months: int | None) -> frozenset[str]:
        """Ids of the items that apply at this age (every item when the age is not known), cached per age."""
        cached: tuple[object, dict[int | None, frozenset[str]]] | None = self.__dict__.get("_cached_applicable")
        if cached is None or cached[0] is not self.domains:
            cached = (self.domains, {})
            object.__setattr__(self, "_cached_applicable", cached)
        by_age = cached[1]
        ids = by_age.get(age_months)
        if ids is None:
            ids = frozenset(
                item.id
                for item in self.items()
                if age_months is None or item.ages is None or item.ages.covers(age_months)
            )
            if len(by_age) < 1024:
                by_age[age_months] = ids
        return ids

    def _index(self) -> tuple[dict[str, Item], dict[str, int]]:
        # Cached by hand in __dict__ (frozen model; a private attribute would take part in ==),
        # and rebuilt when `model_copy(update=...)` has swapped the lists it was built from.
        cached: tuple[object, object, dict[str, Item], dict[str, int]] | None = self.__dict__.get("_cached_index")
        if cached is None or cached[0] is not self.domains or cached[1] is not self.bands:
            cached = (
                self.domains,
                self.bands,
                {item.id: item for item in self.items()},
                {band.id: i for i, band in enumerate(self.bands)},
            )
            object.__setattr__(self, "_cached_index", cached)
        return cached[2], cached[3]


@functools.lru_cache(maxsize=4096)  # scoring asks for the same weights and thresholds for every case
def exact_number(number: float) -> Fraction:
    """A number from a tool file as the decimal its author wrote (0.1 is one tenth, not its binary neighbour)."""
    return Fraction(repr(number)) if isinstance(number, float) else Fraction(number)


# --- semantic checks ----------------------------------------------------------------


def tool_from_document(doc: Document) -> Tool:
    """Validate a parsed tool file: schema first, then every semantic rule, all problems at once."""
    data = as_mapping(doc, "tool file")
    try:
        tool = Tool.model_validate(data)
    except ValidationError as exc:
        raise UserError(validation_problems(exc, doc)) from None
    problems = [doc.problem(message, loc) for loc, message in check_tool(tool)]
    if problems:
        raise UserError(problems)
    return tool


def _duplicates(ids: list[str]) -> list[tuple[int, str]]:
    seen: set[str] = set()
    out = []
    for index, value in enumerate(ids):
        if value in seen:
            out.append((index, value))
        seen.add(value)
    return out


def check_tool(tool: Tool) -> list[tuple[tuple[Any, ...], str]]:
    """Rules the schema cannot express. Returns (location, message) pairs, empty when valid."""
    out: list[tuple[tuple[Any, ...], str]] = []
    values = tool.scale.values
    expected = list(range(1, len(values) + 1))
    if values != expected:
        out.append((("scale", "levels"), f"values must be consecutive integers from 1 (got {values})"))
    top = max(values)

    for i, value in _duplicates([d.id for d in tool.domains]):
        out.append((("domains", i, "id"), f"duplicate domain id {value!r}"))
    for i, value in _duplicates([f.id for f in tool.context]):
        out.append((("context", i, "id"), f"duplicate context id {value!r}"))
    for i, value in _duplicates([b.id for b in tool.bands]):
        out.append((("bands", i, "id"), f"duplicate band id {value!r}"))
    for i, value in _duplicates([e.id for e in tool.escalations]):
        out.append((("escalations", i, "id"), f"duplicate escalation id {value!r}"))

    seen_items: set[str] = set()
    has_ages = False
    loc: tuple[Any, ...]
    for d, domain in enumerate(tool.domains):
        for i, item in enumerate(domain.items):
            loc = ("domains", d, "items", i)
            if not item.id.startswith(domain.id + "."):
                out.append(((*loc, "id"), f"item id {item.id!r} must start with {domain.id + '.'!r}"))
            if item.id in seen_items:
                out.append(((*loc, "id"), f"duplicate item id {item.id!r}"))
            seen_items.add(item.id)
            for key in item.anchors or {}:
                if key not in values:
                    out.append(((*loc, "anchors"), f"key {key} is not a scale value"))
            if item.evidence_from is not None and item.evidence_from not in values:
                out.append(((*loc, "evidence_from"), f"{item.evidence_from} is not a scale value"))
            if item.ages is not None:
                has_ages = True
                ages = item.ages
                if ages.max_months is not None and ages.max_months < ages.min_months:
                    out.append(((*loc, "ages"), "max_months is below min_months"))

    for f, fact in enumerate(tool.context):
        loc = ("context", f)
        if fact.type in ("choice", "multichoice"):
            if not fact.choices:
                out.append(((*loc, "choices"), f"a {fact.type} fact needs choices"))
            else:
                for _, value in _duplicates(fact.choices):
                    out.append(((*loc, "choices"), f"duplicate choice {value!r}"))
        elif fact.choices is not None:
            out.append(((*loc, "choices"), f"choices only apply to choice and multichoice, not {fact.type}"))
        if fact.type != "integer" and (fact.min is not None or fact.max is not None):
            out.append(((*loc,), f"min and max only apply to integer facts, not {fact.type}"))
        if fact.min is not None and fact.max is not None and fact.min > fact.max:
            out.append(((*loc, "min"), "min is above max"))
        if fact.ask_if is not None:
            earlier = {other.id for other in tool.context[:f]}
            if fact.ask_if.id not in earlier and tool.fact(fact.ask_if.id) is not None:
                out.append(((*loc, "ask_if", "id"), f"{fact.ask_if.id!r} must be a fact asked before {fact.id!r}"))
            else:
                out.extend(_check_context_test(tool, fact.ask_if, (*loc, "ask_if")))
    if has_ages:
        age = tool.fact("age_months")
        if age is None or age.type != "integer" or not age.required:
            out.append((("context",), "items with `ages` need a required integer context fact `age_months`"))

    ups = [b.up_to for b in tool.bands]
    for i in range(1, len(ups)):
        if ups[i] <= ups[i - 1]:
            out.append((("bands", i, "up_to"), f"bands must ascend strictly by up_to ({ups[i]} <= {ups[i - 1]})"))
    if ups[-1] < top:
        out.append((("bands", len(ups) - 1, "up_to"), f"the last band must reach the top of the scale ({top})"))

    band_ids = {b.id for b in tool.bands}
    for e, rule in enumerate(tool.escalations):
        loc = ("escalations", e)
        if rule.minimum_band is not None and rule.minimum_band not in band_ids:
            out.append(((*loc, "minimum_band"), f"unknown band {rule.minimum_band!r}"))
        out.extend(_check_condition(tool, rule.when, (*loc, "when")))

    if tool.hardship is not None:
        marker = tool.fact(tool.hardship.fact)
        if marker is None or marker.type != "boolean":
            out.append((("hardship", "fact"), f"{tool.hardship.fact!r} must be a boolean context fact"))
        if tool.hardship.ask_from not in values:
            out.append((("hardship", "ask_from"), f"{tool.hardship.ask_from} is not a scale value"))
    out.extend(_check_formerly(tool))
    for i, value in _duplicates(list(tool.sections)):
        out.append((("sections", i), f"section {value!r} is listed twice"))
    if tool.schema_ == "neglect-tool/1":
        out.extend((loc, f"{what} needs `schema: neglect-tool/2`") for loc, what in format_2_features(tool))
    if tool.schema_ != "neglect-tool/3":
        out.extend((loc, f"{what} needs `schema: neglect-tool/3`") for loc, what in format_3_features(tool))
    return out


def _check_formerly(tool: Tool) -> list[tuple[tuple[Any, ...], str]]:
    """`formerly` names ids this version no longer has, each once per item: an item keeps its id across
    versions, so an id still in use cannot have been replaced. (Whether each id was an item of an earlier
    version is checked where earlier versions can be found: `toolfiles.unknown_formerly`.)"""
    out: list[tuple[tuple[Any, ...], str]] = []
    for d, domain in enumerate(tool.domains):
        for i, item in enumerate(domain.items):
            ids = item.formerly or []
            for k, old_id in _duplicates(ids):
                out.append((("domains", d, "items", i, "formerly", k), f"{old_id!r} is listed twice in formerly"))
            for k, old_id in enumerate(ids):
                if old_id == item.id:
                    out.append(
                        (
                            ("domains", d, "items", i, "formerly", k),
                            f"{old_id!r} is this item's own id: an item that keeps its id lists nothing in formerly",
                        )
                    )
                elif tool.item(old_id) is not None:
                    out.append(
                        (
                            ("domains", d, "items", i, "formerly", k),
                            f"{old_id!r} is still an item of this tool: formerly lists only ids it no longer has",
                        )
                    )
    return out


def format_3_features(tool: Tool) -> list[tuple[tuple[Any, ...], str]]:
    """Where a tool uses what tool format 3 added (a format-1 or format-2 tool may not)."""
    found: list[tuple[tuple[Any, ...], str]] = [
        (("context", f, "ask_if"), "`ask_if`") for f, fact in enumerate(tool.context) if fact.ask_if is not None
    ]
    found += [
        (("bands", b, "plan_required"), "`plan_required`") for b, band in enumerate(tool.bands) if band.plan_required
    ]
    found += [
        (("domains", d, "items", i, "formerly"), "`formerly` on an item")
        for d, domain in enumerate(tool.domains)
        for i, item in enumerate(domain.items)
        if item.formerly is not None
    ]
    if tool.sections:
        found.append((("sections",), "`sections`"))
    for f, fact in enumerate(tool.context):
        if fact.monitoring:
            found.append((("context", f, "monitoring"), "`monitoring`"))
    for d, domain in enumerate(tool.domains):
        if domain.voice is not None:
            found.append((("domains", d, "voice"), "`voice` on a domain"))
    for e, rule in enumerate(tool.escalations):
        found.extend(_format_3_conditions(rule.when, ("escalations", e, "when")))
    found += [
        (("context", f, "ask_if", "known"), "`known` in a context test")
        for f, fact in enumerate(tool.context)
        if fact.ask_if is not None and fact.ask_if.known is not None
    ]
    return found


def _format_3_conditions(cond: BaseModel, loc: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    match cond:
        case ChildSeenCondition():
            return [((*loc, "child_seen"), "`child_seen`")]
        case ContextCondition(context=t) if t.known is not None:
            return [((*loc, "context", "known"), "`known` in a context test")]
        case CapacityCondition():
            return [((*loc, "capacity"), "`capacity`")]
        case AllCondition(all_=parts) | AnyCondition(any_=parts):
            key = "all" if isinstance(cond, AllCondition) else "any"
            return [found for i, part in enumerate(parts) for found in _format_3_conditions(part, (*loc, key, i))]
        case NotCondition(not_=inner):
            return _format_3_conditions(inner, (*loc, "not"))
    return []


def is_identity_fact(fact: ContextFact) -> bool:
    """A fact recorded for monitoring only: marked `monitoring`, or named for who a family is."""
    return fact.monitoring or any(word in fact.id for word in IDENTITY_FACT_WORDS)


def format_2_features(tool: Tool) -> list[tuple[tuple[Any, ...], str]]:
    """Where a tool uses what tool format 2 added (a format-1 tool may not)."""
    found: list[tuple[tuple[Any, ...], str]] = []
    if tool.hardship is not None:
        found.append((("hardship",), "`hardship`"))
    if tool.scoring.hardship != "include":
        found.append((("scoring", "hardship"), "`hardship` in scoring"))
    for f, fact in enumerate(tool.context):
        for key in ("label", "wording"):
            if getattr(fact, key) is not None:
                found.append((("context", f, key), f"`{key}`"))
    for d, domain in enumerate(tool.domains):
        for i, item in enumerate(domain.items):
            if item.title is not None:
                found.append((("domains", d, "items", i, "title"), "`title` on an item"))
            if item.may_not_apply:
                found.append((("domains", d, "items", i, "may_not_apply"), "`may_not_apply`"))
    for e, rule in enumerate(tool.escalations):
        found.extend(_format_2_conditions(rule.when, ("escalations", e, "when")))
    return found


def _format_2_conditions(cond: BaseModel, loc: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    match cond:
        case DomainsWithItemCondition():
            return [((*loc, "domains_with_item"), "`domains_with_item`")]
        case ItemCondition(item=t) if t.hardship != "include":
            return [((*loc, "item", "hardship"), "`hardship` in a condition")]
        case AnyItemCondition(any_item=t) | ItemsCountCondition(items_count=t):
            key = "any_item" if isinstance(cond, AnyItemCondition) else "items_count"
            out = []
            if t.items is not None:
                out.append(((*loc, key, "items"), "`items` in a condition"))
            if t.hardship != "include":
                out.append(((*loc, key, "hardship"), "`hardship` in a condition"))
            return out
        case AllCondition(all_=parts) | AnyCondition(any_=parts):
            key = "all" if isinstance(cond, AllCondition) else "any"
            return [found for i, part in enumerate(parts) for found in _format_2_conditions(part, (*loc, key, i))]
        case NotCondition(not_=inner):
            return _format_2_conditions(inner, (*loc, "not"))
    return []


def _check_condition(tool: Tool, cond: BaseModel, loc: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    out: list[tuple[tuple[Any, ...], str]] = []
    values = tool.scale.values
    band_ids = {b.id for b in tool.bands}
    domain_ids = {d.id for d in tool.domains}

    def scale_value(at: int, where: tuple[Any, ...]) -> None:
        if at not in values:
            out.append((where, f"at_least {at} is not a scale value"))

    def band(band_id: str, where: tuple[Any, ...]) -> None:
        if band_id not in band_ids:
            out.append((where, f"unknown band {band_id!r}"))

    def domain_count(count: int, where: tuple[Any, ...]) -> None:
        if count > len(tool.domains):
            out.append((where, f"count {count} is more than the tool's {len(tool.domains)} domains"))

    def domain(domain_id: str | None, where: tuple[Any, ...]) -> None:
        if domain_id is not None and domain_id not in domain_ids:
            out.append((where, f"unknown domain {domain_id!r}"))

    match cond:
        case ItemCondition(item=t):
            if tool.item(t.id) is None:
                out.append(((*loc, "item", "id"), f"unknown item {t.id!r}"))
            scale_value(t.at_least, (*loc, "item", "at_least"))
        case AnyItemCondition(any_item=t) | ItemsCountCondition(items_count=t):
            key = "any_item" if isinstance(cond, AnyItemCondition) else "items_count"
            scale_value(t.at_least, (*loc, key, "at_least"))
            domain(t.domain, (*loc, key, "domain"))
            for i, item_id in enumerate(t.items or []):
                if tool.item(item_id) is None:
                    out.append(((*loc, key, "items", i), f"unknown item {item_id!r}"))
                elif t.domain is not None and not item_id.startswith(t.domain + "."):
                    out.append(((*loc, key, "items", i), f"item {item_id!r} is not in domain {t.domain!r}"))
        case DomainsWithItemCondition(domains_with_item=t):
            scale_value(t.at_least, (*loc, "domains_with_item", "at_least"))
            domain_count(t.count, (*loc, "domains_with_item", "count"))
        case DomainCondition(domain=t):
            domain(t.id, (*loc, "domain", "id"))
            band(t.band_at_least, (*loc, "domain", "band_at_least"))
        case DomainsCountCondition(domains_count=t):
            band(t.band_at_least, (*loc, "domains_count", "band_at_least"))
            domain_count(t.count, (*loc, "domains_count", "count"))
        case OverallCondition(overall=t):
            band(t.band_at_least, (*loc, "overall", "band_at_least"))
        case ContextCondition(context=t):
            out.extend(_check_context_test(tool, t, (*loc, "context")))
        case ChildSeenCondition():
            if not tool.asks("seen"):
                out.append(((*loc, "child_seen"), "`child_seen` needs the `seen` section (add it to `sections`)"))
        case CapacityCondition():
            if not tool.asks("capacity"):
                out.append(((*loc, "capacity"), "`capacity` needs the `capacity` section (add it to `sections`)"))
        case AllCondition(all_=parts) | AnyCondition(any_=parts):
            key = "all" if isinstance(cond, AllCondition) else "any"
            for i, part in enumerate(parts):
                out.extend(_check_condition(tool, part, (*loc, key, i)))
        case NotCondition(not_=inner):
            out.extend(_check_condition(tool, inner, (*loc, "not")))
    return out


def _check_context_test(tool: Tool, t: ContextTest, loc: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    fact = tool.fact(t.id)
    if fact is None:
        return [((*loc, "id"), f"unknown context fact {t.id!r}")]
    if is_identity_fact(fact):
        return [
            (
                (*loc, "id"),
                f"{t.id!r} describes who a family is (recorded for monitoring only): no rule may use it",
            )
        ]
    test = t.test
    where = (*loc, test)
    if test == "known":
        return []  # any fact may be asked about: answered or left blank
    if test == "includes":
        if fact.type != "multichoice":
            return [(where, f"`includes` only applies to multichoice facts; {t.id!r} is {fact.type}")]
        if t.includes not in (fact.choices or []):
            return [(where, f"{t.includes!r} is not one of {t.id!r}'s choices")]
        return []
    if test in ("at_least", "at_most"):
        bound = getattr(t, test)
        if fact.type == "integer" and isinstance(bound, float | int) and not isinstance(bound, bool):
            return []
        if fact.type == "date" and isinstance(bound, dt.date):
            return []
        return [(where, f"`{test}` needs an integer or date fact and a bound of that type; {t.id!r} is {fact.type}")]
    value = t.equals
    ok = {
        "boolean": isinstance(value, bool),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "choice": isinstance(value, str) and value in (fact.choices or []),
        "date": isinstance(value, dt.date),
        "text": isinstance(value, str),
        "multichoice": False,
    }[fact.type]
    if not ok:
        if fact.type == "multichoice":
            return [(where, f"use `includes` for multichoice fact {t.id!r}")]
        if fact.type == "choice":
            return [(where, f"not one of {t.id!r}'s choices ({', '.join(fact.choices or [])})")]
        article = "an" if fact.type == "integer" else "a"
        return [(where, f"{t.id!r} is {article} {fact.type} fact; the value does not fit")]
    return []


#: Conditions that only ever hold more as ratings get worse (the level from the scores rises with them).
_RATING_CONDITIONS = (
    ItemCondition,
    AnyItemCondition,
    ItemsCountCondition,
    DomainCondition,
    DomainsCountCondition,
    DomainsWithItemCondition,
    OverallCondition,
)


def _negated_ratings(cond: BaseModel, negated: bool = False) -> list[BaseModel]:
    """The rating conditions under an odd number of `not`s: a worse rating can make the whole false."""
    match cond:
        case AllCondition(all_=parts) | AnyCondition(any_=parts):
            return [leaf for part in parts for leaf in _negated_ratings(part, negated)]
        case NotCondition(not_=inner):
            return _negated_ratings(inner, not negated)
    return [cond] if negated and isinstance(cond, _RATING_CONDITIONS) else []


def _holds_whenever(cond: BaseModel, test: ItemTest) -> bool:
    """Whether `cond` surely holds whenever the item of `test` is rated as it asks (read from the form alone)."""
    match cond:
        case ItemCondition(item=t):
            return t.id == test.id and t.at_least <= test.at_least and t.hardship in ("include", test.hardship)
        case AnyItemCondition(any_item=t):
            return (
                t.at_least <= test.at_least
                and (t.domain is None or test.id.startswith(t.domain + "."))
                and (t.items is None or test.id in t.items)
                and t.hardship in ("include", test.hardship)
            )
        case AnyCondition(any_=parts):
            return any(_holds_whenever(part, test) for part in parts)
        case AllCondition(all_=parts):
            return all(_holds_whenever(part, test) for part in parts)
    return False


def lowering_floors(tool: Tool) -> list[tuple[tuple[Any, ...], str]]:
    """Rules whose floor (`minimum_band`) holds only while a rating is NOT high: a worse rating turns the rule
    off and, unless another rule raises the level as far at that rating, gives a LOWER level. DESIGN §3 allows
    `not` anywhere, so these are warnings (`neglect tools validate`), not errors: a worse rating should never
    give a lower level, and the author is told where it could."""
    band_ids = {b.id for b in tool.bands}
    return [
        (("escalations", e, "minimum_band"), message)
        for e, rule in enumerate(tool.escalations)
        if rule.minimum_band in band_ids
        for message in _lowering_floor(tool, rule)
    ]


def _lowering_floor(tool: Tool, rule: Escalation) -> list[str]:
    assert rule.minimum_band is not None
    floor = tool.band_index(rule.minimum_band)
    out = []
    for leaf in _negated_ratings(rule.when):
        if isinstance(leaf, ItemCondition) and any(
            other is not rule
            and other.minimum_band is not None
            and tool.band_index(other.minimum_band) >= floor
            and _holds_whenever(other.when, leaf.item)
            for other in tool.escalations
        ):
            continue  # e.g. "4 but not 5": at 5 a rule of its own raises the level at least as far
        what = (
            f"{leaf.item.id} is NOT rated {leaf.item.at_least} or more"
            if isinstance(leaf, ItemCondition)
            else f"this is NOT so: {describe(leaf, tool)}"
        )
        out.append(
            f"this rule raises the level only while {what}, so a worse rating could turn it off and lower the "
            "level: take the rating test out of `not`, or add a rule without `not` that raises the level as "
            "far at that rating"
        )
    return out


def idle_parts(tool: Tool) -> list[tuple[tuple[Any, ...], str]]:
    """Parts of a valid tool that can never take effect: a band no score can fall in, a rule test no case can
    pass, a hardship filter in a tool that marks no rating. Warnings (`neglect tools validate`), not errors:
    they change no score, and a tool in use with one must still load so that its records verify."""
    out: list[tuple[tuple[Any, ...], str]] = []
    lowest = min(tool.scale.values)
    for i, band in enumerate(tool.bands):
        if band.up_to < lowest:  # scores are averages or maxima of ratings: never below the lowest
            message = f"{band.up_to} is below the scale's lowest value ({lowest}): no score can fall in this band"
            out.append((("bands", i, "up_to"), message))
    if tool.hardship is None and tool.scoring.hardship != "include":
        out.append(
            (
                ("scoring", "hardship"),
                "`hardship: exclude` needs the tool's `hardship:` mark (without it no rating is ever marked)",
            )
        )
    for f, fact in enumerate(tool.context):
        if fact.ask_if is not None:
            out.extend(_idle_context_test(tool, fact.ask_if, ("context", f, "ask_if")))
    for e, rule in enumerate(tool.escalations):
        loc = ("escalations", e, "when")
        out.extend(_idle_condition(tool, rule.when, loc))
        if tool.hardship is None:
            out.extend(
                (where, "a `hardship` filter needs the tool's `hardship:` mark (without it no rating is ever marked)")
                for where, what in _format_2_conditions(rule.when, loc)
                if what == "`hardship` in a condition"
            )
    return out


def _idle_condition(tool: Tool, cond: BaseModel, loc: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    match cond:
        case ItemsCountCondition(items_count=t):
            counted = _countable_items(tool, t)
            if t.count > counted:
                message = f"count {t.count} is more than the {counted} items it counts, so the rule could never fire"
                return [((*loc, "items_count", "count"), message)]
        case ContextCondition(context=t):
            return _idle_context_test(tool, t, (*loc, "context"))
        case AllCondition(all_=parts) | AnyCondition(any_=parts):
            key = "all" if isinstance(cond, AllCondition) else "any"
            return [found for i, part in enumerate(parts) for found in _idle_condition(tool, part, (*loc, key, i))]
        case NotCondition(not_=inner):
            return _idle_condition(tool, inner, (*loc, "not"))
    return []


def _idle_context_test(tool: Tool, t: ContextTest, loc: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    fact = tool.fact(t.id)
    if fact is None or fact.type != "integer" or t.test not in ("at_least", "at_most", "equals"):
        return []
    bound = getattr(t, t.test)
    if isinstance(bound, bool) or not isinstance(bound, int | float):
        return []
    return _beyond_range(fact, t.test, bound, (*loc, t.test))


def _beyond_range(
    fact: ContextFact, test: str, bound: float, where: tuple[Any, ...]
) -> list[tuple[tuple[Any, ...], str]]:
    """A test on an integer fact that no answer in the fact's own min..max could pass: a typo, never meant."""
    above = fact.max is not None and test in ("at_least", "equals") and bound > fact.max
    below = fact.min is not None and test in ("at_most", "equals") and bound < fact.min
    if above:
        return [(where, f"{bound} is above the most {fact.id} can be ({fact.max}), so the test could never hold")]
    if below:
        return [(where, f"{bound} is below the least {fact.id} can be ({fact.min}), so the test could never hold")]
    return []


def _countable_items(tool: Tool, t: ItemsCountTest) -> int:
    """How many different items an `items_count` test can count: its `items`, its domain's, or the tool's."""
    if t.items is not None:
        return len(set(t.items))
    if t.domain is not None:
        found = tool.domain(t.domain)
        return len(found.items) if found is not None else len(list(tool.items()))
    return len(list(tool.items()))


# --- plain words ------------------------------------------------------------------------


def asked_when(fact: ContextFact, tool: Tool) -> str:
    """When a fact with `ask_if` is asked, in plain words ("the family faces material hardship")."""
    return describe(ContextCondition(context=fact.ask_if), tool) if fact.ask_if is not None else "always"


def describe(cond: BaseModel, tool: Tool) -> str:
    """A condition in plain words (item titles, domain titles, fact labels, band labels), for people."""

    def band_label(band_id: str) -> str:
        return tool.band(band_id).label if band_id in {b.id for b in tool.bands} else band_id

    def item_name(item_id: str) -> str:
        item = tool.item(item_id)
        return item.name if item is not None else item_id

    def domain_title(domain_id: str) -> str:
        domain = tool.domain(domain_id)
        return domain.title if domain is not None else domain_id

    def scope(domain: str | None) -> str:
        return f" in {domain_title(domain)}" if domain else ""

    def rated(at_least: int) -> str:
        return f"rated {at_least}" if at_least == tool.scale.top else f"rated {at_least} or more"

    match cond:
        case ItemCondition(item=t):
            return f"{item_name(t.id)} is {rated(t.at_least)}{HARDSHIP_WORDS[t.hardship]}"
        case AnyItemCondition(any_item=t) if t.items:
            names = ", ".join(item_name(i) for i in t.items)
            return f"any of these items is {rated(t.at_least)}{HARDSHIP_WORDS[t.hardship]}: {names}"
        case AnyItemCondition(any_item=t):
            return f"any item{scope(t.domain)} is {rated(t.at_least)}{HARDSHIP_WORDS[t.hardship]}"
        case ItemsCountCondition(items_count=t) if t.items:
            names = ", ".join(item_name(i) for i in t.items)
            return f"at least {t.count} of these items are {rated(t.at_least)}{HARDSHIP_WORDS[t.hardship]}: " + names
        case ItemsCountCondition(items_count=t):
            return f"at least {t.count} items{scope(t.domain)} are {rated(t.at_least)}" + HARDSHIP_WORDS[t.hardship]
        case DomainsWithItemCondition(domains_with_item=t):
            return f"at least {t.count} domains each have an item {rated(t.at_least)}" + HARDSHIP_WORDS[t.hardship]
        case DomainCondition(domain=t):
            return f"the {domain_title(t.id)} domain scores at {band_label(t.band_at_least)} or higher"
        case DomainsCountCondition(domains_count=t):
            return f"at least {t.count} domains score at {band_label(t.band_at_least)} or higher"
        case OverallCondition(overall=t):
            return f"the level from the scores alone is {band_label(t.band_at_least)} or higher"
        case ContextCondition(context=t):
            fact = tool.fact(t.id)
            name = fact.name if fact is not None else words(t.id)
            value = getattr(t, t.test)
            if t.test == "known":
                return f"{name} is recorded" if value else f"{name} is not recorded"
            if fact is not None and fact.wording and fact.type == "boolean":
                return fact.wording if value is True else f"not: {fact.wording}"
            if t.test in ("at_least", "at_most") and not isinstance(value, dt.date):
                return f"{name} is {value_words(value)} or {'more' if t.test == 'at_least' else 'less'}"
            test_words = {"equals": "is", "at_least": "is at least", "at_most": "is at most", "includes": "includes"}
            return f"{name} {test_words[t.test]} {value_words(value)}"
        case ChildSeenCondition(child_seen=t) if t.within_days is not None:
            days = t.within_days
            if t.alone is False or t.seen is False:
                what = "not seen on their own" if t.alone is False else "not seen"
                return f"the child was {what} (or was last seen more than {days} days before the assessment)"
            what = "seen alone" if t.alone else "seen"
            return f"the child was {what} in the {days} days before the assessment"
        case ChildSeenCondition(child_seen=t) if t.alone is not None:
            return "the child was seen alone" if t.alone else "the child was not seen on their own"
        case ChildSeenCondition(child_seen=t) if t.uses_words is not None:
            return "the child uses words" if t.uses_words else "the child does not use words"
        case ChildSeenCondition(child_seen=t) if t.recorded is not None:
            return f"whether the child was seen is {'recorded' if t.recorded else 'not recorded'}"
        case ChildSeenCondition(child_seen=t):
            return "the child was seen" if t.seen else "the child was not seen"
        case CapacityCondition(capacity=t):
            return CAPACITY_WORDS[t.timescale]
        case CoverageBelowCondition(coverage_below=x):
            return f"fewer than {x:.0%} of the items that apply are answered"
        case AllCondition(all_=parts):
            return "all of (" + "; ".join(describe(p, tool) for p in parts) + ")"
        case AnyCondition(any_=parts):
            return "any of (" + "; ".join(describe(p, tool) for p in parts) + ")"
        case NotCondition(not_=AnyCondition(any_=parts)):
            return "none of (" + "; ".join(describe(p, tool) for p in parts) + ")"
        case NotCondition(not_=inner):
            return "not (" + describe(inner, tool) + ")"
    raise AssertionError(f"unhandled condition {type(cond).__name__}")


def explain(cond: BaseModel, tool: Tool, depth: int = 0) -> list[tuple[int, str]]:
    """A condition as an outline for people: (depth, line) pairs, combinators as "all of these:" headings."""
    match cond:
        case AllCondition(all_=parts):
            heading = "all of these:"
        case AnyCondition(any_=parts):
            heading = "any of these:"
        case NotCondition(not_=AnyCondition(any_=parts)):
            heading = "none of these:"
        case NotCondition(not_=inner):
            heading, parts = "not this:", [inner]
        case _:
            return [(depth, describe(cond, tool))]
    out = [(depth, heading)]
    for part in parts:
        out.extend(explain(part, tool, depth + 1))
    return out


def reads_whole_domains(cond: BaseModel) -> bool:
    """Whether a condition looks at a domain's score, the overall level or coverage, or negates something:
    such a rule can stop holding as more items are answered, so during a walk it is only provisional."""
    match cond:
        case DomainCondition() | DomainsCountCondition() | OverallCondition() | CoverageBelowCondition():
            return True
        case NotCondition():
            return True
        case AllCondition(all_=parts) | AnyCondition(any_=parts):
            return any(reads_whole_domains(part) for part in parts)
    return False


def seen_windows(tool: Tool) -> set[int]:
    """The `within_days` the tool's `child_seen` tests name, wherever they stand in its rules (under `all`,
    `any` or `not`): how recently the tool counts a child as seen, or seen on their own, for an assessment."""

    def named(cond: BaseModel) -> set[int]:
        match cond:
            case ChildSeenCondition(child_seen=t) if t.within_days is not None:
                return {t.within_days}
            case AllCondition(all_=parts) | AnyCondition(any_=parts):
                return {days for part in parts for days in named(part)}
            case NotCondition(not_=inner):
                return named(inner)
        return set()

    return {days for rule in tool.escalations for days in named(rule.when)}


HARDSHIP_WORDS: dict[str, str] = {
    "include": "",
    "exclude": " (not counting needs mainly caused by money or housing)",
    "only": " where the unmet need is mainly caused by money or housing",
}


def tool_json_schema() -> str:
    """The JSON Schema of the tool format, generated from the models (stable text)."""
    import json

    schema = Tool.model_json_schema(by_alias=True, mode="validation")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
