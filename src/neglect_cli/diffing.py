"""Supervisor views, pure: what changed between two records (the trend over a series is in trending.py).

No I/O here. The caller reads the records, checks their integrity and looks up
their tools, and passes in what it found (`Assessment`, `BandOrder`); the
functions return typed models (`Diff`, `Trend`) that the renderers print and
`--format json` dumps as they are. Higher scores and later bands mean more
concern, so a negative score delta is an improvement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .definition import Tool
from .lineage import Lineage, match_items
from .record import AnswerRecord, Record, ToolRef
from .scoring import EscalationResult, Override, Result
from .world import world_changes

DIFF_SCHEMA = "neglect-diff/1"

Direction = Literal["improved", "unchanged", "worsened", "not_comparable"]
OrderSource = Literal["tool", "same_tool_other_version", "score"]
ItemChange = Literal["added", "removed", "status", "value", "source", "evidence", "none"]

#: score changes smaller than this are shown as 0.00 and count as no change in direction words
_VISIBLE = 0.005


class Output(BaseModel):
    # Built on first use: a diff never builds the trend models, nor a trend most of the diff ones.
    model_config = ConfigDict(frozen=True, populate_by_name=True, defer_build=True)


# --- inputs ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assessment:
    """One record as the caller read it: file name, validated record, integrity problems found."""

    file: str
    record: Record
    integrity_problems: list[str] = field(default_factory=list)


class BandInfo(Output):
    id: str
    label: str
    review_weeks: int | None


def band_name(bands: Sequence[BandInfo], band: str) -> str:
    """The band's label from the tool ("Level 2 — early help"), else its id."""
    return next((b.label for b in bands if b.id == band), band)


class BandOrder(Output):
    """How bands compare: their order in a tool, or (no tool available) by score alone."""

    source: OrderSource
    tool: str | None
    bands: list[BandInfo]
    scale: dict[int, str] = Field(default_factory=dict, exclude=True)
    low: int | None = Field(default=None, exclude=True)
    high: int | None = Field(default=None, exclude=True)

    @classmethod
    def from_tool(cls, tool: Tool, *, exact: bool) -> BandOrder:
        """The band order of a tool; `exact=False` when it is another version of the record's tool."""
        return cls(
            source="tool" if exact else "same_tool_other_version",
            tool=tool.ref,
            bands=[BandInfo(id=b.id, label=b.label, review_weeks=b.review_weeks) for b in tool.bands],
            scale={level.value: level.label for level in tool.scale.levels},
            low=tool.scale.values[0],
            high=tool.scale.values[-1],
        )

    @classmethod
    def by_score(cls) -> BandOrder:
        return cls(source="score", tool=None, bands=[])

    def rank(self, band: str | None) -> int | None:
        return next((i for i, b in enumerate(self.bands) if b.id == band), None)

    def knows(self, bands: set[str]) -> bool:
        return self.source != "score" and bands <= {b.id for b in self.bands}

    def review_weeks(self, band: str | None) -> int | None:
        return next((b.review_weeks for b in self.bands if b.id == band), None)

    def band_name(self, band: str) -> str:
        return band_name(self.bands, band)

    def label(self, value: int | None) -> str | None:
        return self.scale.get(value) if value is not None else None


# --- the diff model ---------------------------------------------------------------------


class Side(Output):
    """The header facts of one record."""

    file: str
    case_ref: str
    assessed_on: dt.date
    assessor: str | None
    supervisor: str | None
    tool: ToolRef
    created_at: str
    redacted: bool
    integrity_ok: bool
    integrity_problems: list[str]


class BandChange(Output):
    old: str | None
    new: str | None
    changed: bool
    direction: Direction


class NumberChange(Output):
    old: float | None
    new: float | None
    #: new − old, rounded to 4 places; None when either side has no value
    delta: float | None


class FlagChange(Output):
    old: bool
    new: bool


class OverallDiff(Output):
    band: BandChange
    computed_band: BandChange
    escalated_band: BandChange
    score: NumberChange
    coverage: NumberChange
    incomplete: FlagChange
    direction: Direction


class DomainDiff(Output):
    id: str
    title: str
    present: Literal["both", "old", "new"]
    score: NumberChange
    band: BandChange
    coverage: NumberChange
    direction: Direction


class AnswerSide(Output):
    status: str
    value: int | None
    label: str | None
    evidence: str | None
    reason: str | None
    source: str | None = None  # where the evidence came from, in words (record format 3)


class ItemDiff(Output):
    item: str
    domain: str
    change: ItemChange
    old: AnswerSide | None
    new: AnswerSide | None
    was: str | None = None  # the earlier record's id, when the item was renamed (`formerly`)

    @property
    def shown_by_default(self) -> bool:
        return self.change in ("added", "removed", "status", "value", "source")


class ItemNotComparable(Output):
    """An item that only one record has and that no later item replaced one to one (`formerly`)."""

    item: str
    side: Literal["old", "new"]
    reason: str


class FactDiff(Output):
    id: str
    old: Any
    new: Any


class TextChange(Output):
    old: str | None
    new: str | None
    changed: bool


class WorldChange(Output):
    """One change in the child's world sections (record format 3), in words."""

    section: str
    what: str
    old: str | None
    new: str | None


class EscalationRef(Output):
    id: str
    severity: str
    title: str
    minimum_band: str | None


class EscalationsDiff(Output):
    appeared: list[EscalationRef]
    cleared: list[EscalationRef]
    persisted: list[EscalationRef]


class OverridesDiff(Output):
    old: Override | None
    new: Override | None


class DriftCheck(Output):
    """Whether review came later than the old band asks while the level of need got no better."""

    flagged: bool | None  # None: cannot tell (no band, or no review period known)
    days_elapsed: int
    review_weeks: int | None
    old_band: str | None
    new_band: str | None
    message: str | None


class OrderUsed(Output):
    source: OrderSource
    tool: str | None
    bands: list[BandInfo]
    #: lowest and highest value on the tool's rating scale, when the tool is known
    scale_range: tuple[int, int] | None

    @classmethod
    def of(cls, order: BandOrder) -> OrderUsed:
        scale = (order.low, order.high) if order.low is not None and order.high is not None else None
        return cls(source=order.source, tool=order.tool, bands=list(order.bands), scale_range=scale)

    def label(self, band: str | None) -> str | None:
        return None if band is None else band_name(self.bands, band)


class Diff(Output):
    """Everything that changed between an older and a newer record (`schema: neglect-diff/1`)."""

    schema_: Literal["neglect-diff/1"] = Field(default="neglect-diff/1", alias="schema")
    old: Side
    new: Side
    same_case: bool
    same_tool: bool
    days_elapsed: int
    band_order: OrderUsed
    warnings: list[str]
    changed: bool
    overall: OverallDiff
    domains: list[DomainDiff]
    items: list[ItemDiff]
    items_added: list[str]
    items_removed: list[str]
    items_not_comparable: list[ItemNotComparable] = Field(default_factory=list)
    context: list[FactDiff]
    child_voice: TextChange
    world: list[WorldChange] = Field(default_factory=list)
    escalations: EscalationsDiff
    overrides: OverridesDiff
    drift: DriftCheck

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


# --- comparing ------------------------------------------------------------------------


def _side(a: Assessment) -> Side:
    r = a.record
    return Side(
        file=a.file,
        case_ref=r.case.ref,
        assessed_on=r.case.assessed_on,
        assessor=r.case.assessor,
        supervisor=r.case.supervisor,
        tool=r.tool,
        created_at=r.created_at,
        redacted=r.redacted,
        integrity_ok=not a.integrity_problems,
        integrity_problems=list(a.integrity_problems),
    )


def _delta(old: float | None, new: float | None) -> float | None:
    return None if old is None or new is None else round(new - old, 4)


def _numbers(old: float | None, new: float | None) -> NumberChange:
    return NumberChange(old=old, new=new, delta=_delta(old, new))


def by_score(old: float | None, new: float | None) -> Direction:
    if old is None or new is None:
        return "unchanged" if old is None and new is None else "not_comparable"
    if abs(new - old) < _VISIBLE:
        return "unchanged"
    return "worsened" if new > old else "improved"


def by_band(order: BandOrder, old: str | None, new: str | None) -> Direction | None:
    """Direction from band positions; None when the order cannot place both bands."""
    if old == new:
        return "unchanged"
    a, b = order.rank(old), order.rank(new)
    if a is None or b is None:
        return None if old is not None and new is not None else "not_comparable"
    return "worsened" if b > a else "improved"


def _band_change(
    order: BandOrder, old: str | None, new: str | None, old_score: float | None, new_score: float | None
) -> BandChange:
    direction = by_band(order, old, new)
    if direction is None:
        direction = by_score(old_score, new_score)
    return BandChange(old=old, new=new, changed=old != new, direction=direction)


def _answer(row: AnswerRecord, order: BandOrder) -> AnswerSide:
    return AnswerSide(
        status=row.status,
        value=row.value,
        label=order.label(row.value),
        evidence=row.evidence,
        reason=row.reason,
        source=row.source.words if row.source is not None else None,
    )


def _item_change(old: AnswerRecord, new: AnswerRecord) -> ItemChange:
    if old.status != new.status:
        return "status"
    if old.value != new.value:
        return "value"
    if old.source != new.source:
        return "source"
    if old.evidence != new.evidence or old.reason != new.reason:
        return "evidence"
    return "none"


def _escalation(e: EscalationResult) -> EscalationRef:
    return EscalationRef(id=e.id, severity=e.severity, title=e.title, minimum_band=e.minimum_band)


def bands_in(record: Record) -> set[str]:
    o = record.result.overall
    found = {o.band, o.computed_band, o.escalated_band} | {d.band for d in record.result.domains}
    return {b for b in found if b is not None}


def choose_order(orders: Sequence[BandOrder | None], bands: set[str]) -> BandOrder:
    """The first order that places every band seen, a record's own tool version before another
    version of it; otherwise comparison by score."""
    usable = [order for order in orders if order is not None and order.knows(bands)]
    usable.sort(key=lambda order: order.source != "tool")  # stable: keeps the caller's preference
    return usable[0] if usable else BandOrder.by_score()


def _substance(result: Result) -> tuple[object, ...]:
    """What counts as a change of result: bands, scores, coverage, completeness, which rules fired, the
    override. Not the wording of prompts or reasons, which a reworded tool changes on its own."""
    return (
        result.overall,
        [(d.id, d.score, d.band, d.coverage, d.incomplete) for d in result.domains],
        sorted((e.id, e.minimum_band or "") for e in result.escalations),
        result.override,
    )


def days_between(old: dt.date, new: dt.date) -> int:
    return (new - old).days


def _drift(
    diff_days: int,
    old_band: str | None,
    new_band: str | None,
    not_better: bool | None,
    weeks: int | None,
    name: Callable[[str], str],
) -> DriftCheck:
    if old_band is None or new_band is None or not_better is None:
        return DriftCheck(
            flagged=None,
            days_elapsed=diff_days,
            review_weeks=weeks,
            old_band=old_band,
            new_band=new_band,
            message=None,
        )
    if weeks is None:
        return DriftCheck(
            flagged=None,
            days_elapsed=diff_days,
            review_weeks=None,
            old_band=old_band,
            new_band=new_band,
            message=f"No review period is known for {name(old_band)}, so drift cannot be judged from the dates.",
        )
    flagged = not_better and diff_days > weeks * 7
    message = None
    if flagged:
        now = f"no better: still {name(new_band)}" if old_band == new_band else f"worse: now {name(new_band)}"
        message = (
            f"{diff_days} days ({_weeks(diff_days)}) passed between these assessments, longer than the "
            f"{weeks}-week review period for {name(old_band)}, and the level of need is {now}. "
            "Discuss drift and delay in supervision: what has actually changed for the child in that time, "
            "what will happen next, by when, and who will check?"
        )
    return DriftCheck(
        flagged=flagged,
        days_elapsed=diff_days,
        review_weeks=weeks,
        old_band=old_band,
        new_band=new_band,
        message=message,
    )


def _weeks(days: int) -> str:
    weeks, rest = divmod(abs(days), 7)
    text = f"{weeks} week{'s' if weeks != 1 else ''}"
    if rest:
        text += f" {rest} day{'s' if rest != 1 else ''}"
    return text


def compare(
    old: Assessment,
    new: Assessment,
    old_order: BandOrder | None,
    new_order: BandOrder | None,
    lineage: Lineage | None = None,
) -> Diff:
    """Compare an older and a newer record of (normally) the same child.

    Items are matched by id, and across two versions of a tool by the later version's `formerly`
    (`lineage`, found by the caller): a renamed item is compared with its earlier id, and items that
    cannot be compared one to one are named with the reason. Bands are compared by their position in
    the new record's tool, else the old one's (each as found by the caller), else by score.
    """
    a, b = old.record, new.record
    order = choose_order([new_order, old_order], bands_in(a) | bands_in(b))
    warnings: list[str] = []

    same_case = a.case.ref == b.case.ref
    if not same_case:
        warnings.append(
            f"these are different cases: OLD is {a.case.ref}, NEW is {b.case.ref}. "
            "They are compared only because --mixed-cases was given."
        )
    for label, side in (("OLD", old), ("NEW", new)):
        for problem in side.integrity_problems:
            warnings.append(
                f"{label} record {side.file} failed its checks (neglect verify): {problem}. Treat it with care."
            )
        if side.record.redacted:
            warnings.append(f"{label} record {side.file} is redacted: evidence notes and rationales are not shown.")

    old_items = {row.item: row for row in a.answers}
    new_items = {row.item: row for row in b.answers}
    versions_differ = a.tool.id == b.tool.id and a.tool.version != b.tool.version
    matching = match_items(list(old_items), list(new_items), lineage if versions_differ else None, a.tool.version)
    added = [new_id for old_id, new_id in matching.pairs if old_id is None and new_id is not None]
    removed = [old_id for old_id, new_id in matching.pairs if new_id is None and old_id is not None]
    same_tool = a.tool == b.tool
    if a.tool.id != b.tool.id:
        warnings.append(
            f"the records use different tools: OLD {a.tool.id} {a.tool.version}, NEW {b.tool.id} {b.tool.version}. "
            "Items, domains and bands are matched by id and may not mean the same thing."
        )
    elif a.tool.version != b.tool.version and lineage is not None:
        renamed = len(matching.renamed)
        warnings.append(
            f"the tool version changed: OLD {a.tool.id} {a.tool.version}, NEW {b.tool.version}. "
            f"Items are matched by id and by what each replaced ({renamed} renamed); "
            f"{len(matching.not_comparable)} cannot be compared one to one (listed under Items)."
        )
    elif a.tool.version != b.tool.version:
        warnings.append(
            f"the tool version changed: OLD {a.tool.id} {a.tool.version}, NEW {b.tool.version}. "
            f"Items are matched by id ({len(added)} added, {len(removed)} removed)."
        )
    elif a.tool.sha256 != b.tool.sha256:
        warnings.append(
            f"the tool file changed: both records say {a.tool.id} {a.tool.version} but its sha256 differs, "
            "so the tool was edited between the assessments."
        )

    days = days_between(a.case.assessed_on, b.case.assessed_on)
    if days < 0:
        warnings.append(
            f"NEW ({b.case.assessed_on}) is dated before OLD ({a.case.assessed_on}): the comparison runs backwards."
        )
    if order.source == "score":
        warnings.append(
            f"no tool available here places these bands (the records used {a.tool.id} {a.tool.version} and "
            f"{b.tool.id} {b.tool.version}), so bands are compared by score, not by their order."
        )
    elif order.source == "same_tool_other_version":
        warnings.append(
            f"the tool version used is not available here; bands are ordered as in {order.tool}, "
            "the newest version found."
        )

    # overall
    oa, ob = a.result.overall, b.result.overall
    final = _band_change(order, oa.band, ob.band, oa.score, ob.score)
    overall = OverallDiff(
        band=final,
        computed_band=_band_change(order, oa.computed_band, ob.computed_band, oa.score, ob.score),
        escalated_band=_band_change(order, oa.escalated_band, ob.escalated_band, oa.score, ob.score),
        score=_numbers(oa.score, ob.score),
        coverage=_numbers(oa.coverage, ob.coverage),
        incomplete=FlagChange(old=oa.incomplete, new=ob.incomplete),
        direction=final.direction,
    )

    # domains, in the new tool's order, then any only the old one had
    old_domains = {d.id: d for d in a.result.domains}
    new_domains = {d.id: d for d in b.result.domains}
    domains: list[DomainDiff] = []
    for domain_id in [*new_domains, *(d for d in old_domains if d not in new_domains)]:
        d_old, d_new = old_domains.get(domain_id), new_domains.get(domain_id)
        s_old = d_old.score if d_old else None
        s_new = d_new.score if d_new else None
        band = _band_change(order, d_old.band if d_old else None, d_new.band if d_new else None, s_old, s_new)
        direction = band.direction if band.changed else by_score(s_old, s_new)
        domains.append(
            DomainDiff(
                id=domain_id,
                title=(d_new or d_old).title,  # type: ignore[union-attr]
                present="both" if d_old and d_new else ("old" if d_old else "new"),
                score=_numbers(s_old, s_new),
                band=band,
                coverage=_numbers(d_old.coverage if d_old else None, d_new.coverage if d_new else None),
                direction=direction if d_old and d_new else "not_comparable",
            )
        )

    # items, in the new record's order, then any only the old one had
    old_labels = old_order if old_order is not None else order
    new_labels = new_order if new_order is not None else order
    items: list[ItemDiff] = []
    for old_id, new_id in matching.pairs:
        r_old = old_items[old_id] if old_id is not None else None
        r_new = new_items[new_id] if new_id is not None else None
        item_id = new_id if new_id is not None else old_id
        assert item_id is not None
        if r_old is None:
            change: ItemChange = "added"
        elif r_new is None:
            change = "removed"
        else:
            change = _item_change(r_old, r_new)
        items.append(
            ItemDiff(
                item=item_id,
                domain=(r_new or r_old).domain,  # type: ignore[union-attr]
                change=change,
                old=_answer(r_old, old_labels) if r_old else None,
                new=_answer(r_new, new_labels) if r_new else None,
                was=old_id if old_id is not None and old_id != new_id and new_id is not None else None,
            )
        )

    context = [
        FactDiff(id=key, old=a.context.get(key), new=b.context.get(key))
        for key in [*b.context, *(k for k in a.context if k not in b.context)]
        if a.context.get(key) != b.context.get(key)
    ]

    old_esc = {e.id: e for e in a.result.escalations}
    new_esc = {e.id: e for e in b.result.escalations}
    escalations = EscalationsDiff(
        appeared=[_escalation(e) for e in b.result.escalations if e.id not in old_esc],
        cleared=[_escalation(e) for e in a.result.escalations if e.id not in new_esc],
        persisted=[_escalation(e) for e in b.result.escalations if e.id in old_esc],
    )

    weeks = (old_order.review_weeks(oa.band) if old_order else None) or order.review_weeks(oa.band)
    if final.direction in ("improved", "worsened", "unchanged") and oa.band is not None and ob.band is not None:
        not_better: bool | None = final.direction != "improved"
    else:
        not_better = None
    if order.rank(oa.band) == 0 and order.rank(ob.band) == 0:
        not_better = False  # drift is no progress above universal: staying at the lowest level is not drift
    drift = _drift(days, oa.band, ob.band, not_better, weeks, order.band_name)

    child_voice = TextChange(old=a.child_voice, new=b.child_voice, changed=a.child_voice != b.child_voice)
    world = [WorldChange(section=s, what=w, old=o, new=n) for s, w, o, n in world_changes(a, b)]
    overrides = OverridesDiff(old=a.result.override, new=b.result.override)
    changed = (
        _substance(a.result) != _substance(b.result)
        or any(i.change != "none" for i in items)
        or bool(context)
        or child_voice.changed
        or bool(world)
    )
    return Diff(
        old=_side(old),
        new=_side(new),
        same_case=same_case,
        same_tool=same_tool,
        days_elapsed=days,
        band_order=OrderUsed.of(order),
        warnings=warnings,
        changed=changed,
        overall=overall,
        domains=domains,
        items=items,
        items_added=added,
        items_removed=removed,
        items_not_comparable=[
            ItemNotComparable(item=n.item, side=n.side, reason=n.reason) for n in matching.not_comparable
        ],
        context=context,
        child_voice=child_voice,
        world=world,
        escalations=escalations,
        overrides=overrides,
        drift=drift,
    )
