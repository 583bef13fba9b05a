"""How one child's case moves over a series of assessments: domains over time, drift and delay, relapse,
persistent escalations. Pure, like diffing.py, whose inputs (`Assessment`, `BandOrder`) it shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import Field

from .diffing import (
    Assessment,
    BandOrder,
    Direction,
    ItemNotComparable,
    OrderUsed,
    Output,
    bands_in,
    by_band,
    by_score,
    choose_order,
)
from .lineage import Lineage, match_items
from .record import Record, ToolRef
from .scoring import OverallResult, Override

TREND_SCHEMA = "neglect-trend/1"
#: calendar months that make "six months or more" for drift and delay over a series
DRIFT_MONTHS = 6
#: assessments needed before a series can show drift and delay
DRIFT_MIN_ASSESSMENTS = 3
#: consecutive assessments carrying the same escalation that make it persistent
PERSISTENT_RUN = 3
#: a rating at or above this is a need the trend names under each assessment (review 8, 3b): on neglect-core's
#: scale, 3 is the first rating of a need not met
NEED_AT_LEAST = 3
#: different items with such a need over the series (none marked as mainly money or housing) that make
#: "needs that move", when no one assessment had them all
NEEDS_THAT_MOVE_AREAS = 3


# --- the trend model --------------------------------------------------------------------


class PointDomain(Output):
    id: str
    title: str
    score: float | None
    band: str | None
    coverage: float


class Need(Output):
    """An item rated `NEED_AT_LEAST` or more in one assessment, under the newest record's id."""

    item: str
    title: str  # what a person calls the item: its title in the tool, or its id in words
    domain: str
    value: int
    hardship: bool  # marked as mainly caused by money or housing


class TrendPoint(Output):
    file: str
    case_ref: str
    assessed_on: dt.date
    created_at: str
    assessor: str | None
    tool: ToolRef
    integrity_ok: bool
    overall: OverallResult  # the record's own overall result, as stored
    domains: list[PointDomain]
    escalations: list[str]
    override: Override | None
    #: the items rated NEED_AT_LEAST or more, in the tool's order
    needs: list[Need] = Field(default_factory=list)


class Series(Output):
    """One domain (or `overall`) across the assessments, oldest first."""

    id: str
    title: str
    scores: list[float | None]
    bands: list[str | None]
    #: first assessment compared with the last
    direction: Direction


class Mark(Output):
    assessed_on: dt.date
    band: str | None
    score: float | None


class Relapse(Output):
    """Improved from `before` to `improved`, then `back` at a band at least as high as `before`."""

    before: Mark
    improved: Mark
    back: Mark


class PersistentEscalation(Output):
    id: str
    severity: str
    title: str
    count: int
    longest_run: int
    in_every: bool


class LateReview(Output):
    after: dt.date
    next: dt.date
    days: int
    band: str
    review_weeks: int


class DriftAndDelay(Output):
    flagged: bool
    assessments: int
    days_spanned: int
    months_spanned: int
    first_band: str | None
    message: str | None


class ItemSeries(Output):
    """One item's rating at each assessment, under the newest record's id (a renamed item's earlier
    ratings included: `was` names its earlier ids). None: not rated then (not known, not applicable,
    not answered, or not comparable)."""

    id: str
    domain: str
    was: list[str]
    values: list[int | None]


class NeedsThatMove(Output):
    """A need rated NEED_AT_LEAST or more in NEEDS_THAT_MOVE_AREAS or more different items over the series, no
    one assessment having them all: each is put right and another goes unmet (review 8, 3b). Ratings marked as
    mainly money or housing are left out, as the rules leave them out."""

    flagged: bool
    items: list[str]  # every item with such a need, under the newest record's id, in the order first seen
    message: str | None


class TrendFlags(Output):
    drift_and_delay: DriftAndDelay
    relapse: list[Relapse]
    persistent_escalations: list[PersistentEscalation]
    late_reviews: list[LateReview]
    needs_that_move: NeedsThatMove


class Trend(Output):
    """One case over time, oldest first (`schema: neglect-trend/1`)."""

    schema_: Literal["neglect-trend/1"] = Field(default="neglect-trend/1", alias="schema")
    case_refs: list[str]
    same_case: bool
    count: int
    first_assessed_on: dt.date
    last_assessed_on: dt.date
    days_spanned: int
    band_order: OrderUsed
    warnings: list[str]
    assessments: list[TrendPoint]
    series: list[Series]
    flags: TrendFlags
    items: list[ItemSeries] = Field(default_factory=list)
    items_not_comparable: list[ItemNotComparable] = Field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


def chronological(assessments: Sequence[Assessment]) -> list[Assessment]:
    """Oldest first: by the date assessed, then by when the record was written."""
    return sorted(assessments, key=lambda a: (a.record.case.assessed_on, a.record.created_at))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (the month's last day when it is shorter)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def months_between(first: dt.date, last: dt.date) -> int:
    """Completed calendar months from `first` to `last`."""
    months = (last.year - first.year) * 12 + last.month - first.month
    while months > 0 and add_months(first, months) > last:
        months -= 1
    return max(months, 0)


def _point(a: Assessment, needs: list[Need]) -> TrendPoint:
    r = a.record
    o = r.result.overall
    return TrendPoint(
        file=a.file,
        case_ref=r.case.ref,
        assessed_on=r.case.assessed_on,
        created_at=r.created_at,
        assessor=r.case.assessor,
        tool=r.tool,
        integrity_ok=not a.integrity_problems,
        overall=o,
        domains=[
            PointDomain(id=d.id, title=d.title, score=d.score, band=d.band, coverage=d.coverage)
            for d in r.result.domains
        ],
        escalations=[e.id for e in r.result.escalations],
        override=r.result.override,
        needs=needs,
    )


def item_name(item_id: str) -> str:
    """An item named by its id, when its tool is not here: "physical.home_conditions" -> "Home conditions"."""
    from .definition import words

    return words(item_id.split(".", 1)[-1]).capitalize()


def _needs(record: Record, newest_ids: Mapping[str, str], names: Mapping[str, str]) -> list[Need]:
    """The items of one record rated NEED_AT_LEAST or more, under the newest record's ids where they match."""
    out = []
    for row in record.answers:
        if row.status != "answered" or row.value is None or row.value < NEED_AT_LEAST:
            continue
        item = newest_ids.get(row.item, row.item)
        title = names.get(item) or item_name(item)
        out.append(Need(item=item, title=title, domain=row.domain, value=row.value, hardship=row.hardship))
    return out


def _needs_that_move(points: list[TrendPoint]) -> NeedsThatMove:
    held = [{n.item for n in p.needs if not n.hardship} for p in points]
    items = list(dict.fromkeys(n.item for p in points for n in p.needs if not n.hardship))
    # a need that moves is put right in one assessment and another is unmet: no one assessment has them all
    flagged = len(items) >= NEEDS_THAT_MOVE_AREAS and not any(set(items) <= here for here in held)
    message = None
    if flagged:
        message = (
            f"a need has been rated {NEED_AT_LEAST} or more in {len(items)} different areas of care across these "
            "assessments: each one is put right and another goes unmet. Look at the whole pattern, not the latest "
            "need."
        )
    return NeedsThatMove(flagged=flagged, items=items, message=message)


def _series_direction(order: BandOrder, bands: list[str | None], scores: list[float | None]) -> Direction:
    banded = by_band(order, bands[0], bands[-1])
    if banded is not None and banded != "unchanged":
        return banded
    return by_score(scores[0], scores[-1])


def _levels(order: BandOrder, points: list[TrendPoint]) -> list[float | None]:
    """A comparable level of need per assessment: final band position, or score without a band order."""
    if order.source == "score":
        return [p.overall.score for p in points]
    return [None if (rank := order.rank(p.overall.band)) is None else float(rank) for p in points]


def _relapses(levels: list[float | None], points: list[TrendPoint]) -> list[Relapse]:
    found: list[Relapse] = []
    for k in range(2, len(levels)):
        lk = levels[k]
        if lk is None:
            continue
        hit: tuple[int, int] | None = None
        for j in range(k - 1, 0, -1):
            lj = levels[j]
            if lj is None:
                continue
            for i in range(j - 1, -1, -1):
                li = levels[i]
                # improved from i to j, back at or above i's level at k, and k is the return (not a stay)
                prev = levels[k - 1]
                if li is not None and lj < li <= lk and (prev is None or prev < li):
                    hit = (i, j)
                    break
            if hit:
                break
        if hit:
            i, j = hit
            found.append(Relapse(before=_mark(points[i]), improved=_mark(points[j]), back=_mark(points[k])))
    return found


def _mark(p: TrendPoint) -> Mark:
    return Mark(assessed_on=p.assessed_on, band=p.overall.band, score=p.overall.score)


def _persistent(points: list[TrendPoint], records: list[Record]) -> list[PersistentEscalation]:
    """Escalations raised in every assessment, or in PERSISTENT_RUN or more in a row."""
    about = {e.id: e for r in records for e in r.result.escalations}
    out = []
    for esc_id, esc in about.items():
        present = [esc_id in p.escalations for p in points]
        run = longest = 0
        for here in present:
            run = run + 1 if here else 0
            longest = max(longest, run)
        in_every = all(present) and len(points) >= 2
        if in_every or longest >= PERSISTENT_RUN:
            out.append(
                PersistentEscalation(
                    id=esc_id,
                    severity=esc.severity,
                    title=esc.title,
                    count=sum(present),
                    longest_run=longest,
                    in_every=in_every,
                )
            )
    return out


def trend(
    assessments: Sequence[Assessment],
    order: BandOrder | None,
    lineage: Lineage | None = None,
    names: Mapping[str, str] | None = None,
) -> Trend:
    """Order the records of one case by date and flag drift and delay, relapse, persistent escalations and
    needs that move from one item to another.

    Items are followed under the newest record's ids; across versions of a tool, through the latest
    version's `formerly` (`lineage`), and what cannot be compared one to one is named. `names`: what a
    person calls each item of the newest record's tool (`Item.name`); an item not in it is named by its id.

    Drift and delay: three or more assessments, the last at least six calendar
    months after the first, and no assessment's final band better than the first's.
    """
    ordered = chronological(assessments)
    if not ordered:
        raise ValueError("a trend needs at least one record")
    records = [a.record for a in ordered]
    bands: set[str] = set().union(*(bands_in(r) for r in records))
    used = choose_order([order], bands)
    items, not_comparable, newest_ids = _item_series(records, lineage)
    points = [
        _point(a, _needs(a.record, ids, names or {})) for a, ids in zip(ordered, newest_ids, strict=True)
    ]

    refs = list(dict.fromkeys(r.case.ref for r in records))
    warnings: list[str] = []
    if len(refs) > 1:
        warnings.append(
            f"these records are of {len(refs)} different cases ({', '.join(refs)}). "
            "They are shown together only because --mixed-cases was given."
        )
    for a in ordered:
        for problem in a.integrity_problems:
            warnings.append(f"record {a.file} failed its checks (neglect verify): {problem}. Treat it with care.")
    tools = list(dict.fromkeys(f"{r.tool.id} {r.tool.version}" for r in records))
    if len(tools) > 1 and lineage is not None:
        unmatched = ", ".join(dict.fromkeys(n.item for n in not_comparable)) or "none"
        warnings.append(
            f"the records use more than one version of the tool ({'; '.join(tools)}); items are matched by id and by "
            f"what each replaced. Cannot be compared one to one: {unmatched}."
        )
    elif len(tools) > 1:
        warnings.append(f"the records use more than one tool or version ({'; '.join(tools)}); items are matched by id.")
    elif len({r.tool.sha256 for r in records}) > 1:
        warnings.append(f"the tool {tools[0]} was edited between assessments (its sha256 differs).")
    if used.source == "score":
        warnings.append("no tool with these bands is available here, so levels are compared by score.")
    elif used.source == "same_tool_other_version":
        warnings.append(f"the tool version used is not available here; bands are ordered as in {used.tool}.")

    # series: overall first, then each domain in the newest record's order
    series = [
        Series(
            id="overall",
            title="Overall (final band)",
            scores=[p.overall.score for p in points],
            bands=[p.overall.band for p in points],
            direction=_series_direction(
                used, [points[0].overall.band, points[-1].overall.band], [p.overall.score for p in points]
            ),
        )
    ]
    domain_ids = list(dict.fromkeys(d.id for p in reversed(points) for d in p.domains))
    for domain_id in domain_ids:
        cells = [next((d for d in p.domains if d.id == domain_id), None) for p in points]
        title = next(c.title for c in reversed(cells) if c is not None)
        scores = [c.score if c else None for c in cells]
        d_bands = [c.band if c else None for c in cells]
        series.append(
            Series(
                id=domain_id,
                title=title,
                scores=scores,
                bands=d_bands,
                direction=_series_direction(used, d_bands, scores),
            )
        )

    levels = _levels(used, points)
    first, last = points[0].assessed_on, points[-1].assessed_on
    span_days = (last - first).days
    months = months_between(first, last)
    long_enough = len(points) >= DRIFT_MIN_ASSESSMENTS and last >= add_months(first, DRIFT_MONTHS)
    l0 = levels[0]
    never_better = l0 is not None and all(level is None or level >= l0 for level in levels[1:])
    # drift is no progress above universal: a series that stays at the lowest level is not drifting
    stayed_lowest = all(used.rank(p.overall.band) == 0 for p in points)
    drift_flag = long_enough and never_better and not stayed_lowest
    drift_message = None
    first_band = points[0].overall.band
    if drift_flag and first_band is not None:
        drift_message = (
            f"{len(points)} assessments over {months} months ({first} to {last}), and none shows a lower level "
            f"of need than the first ({used.band_name(first_band)}). Discuss drift and delay in supervision: what has "
            "changed for the child in their time, and what must happen now?"
        )
    drift = DriftAndDelay(
        flagged=drift_flag,
        assessments=len(points),
        days_spanned=span_days,
        months_spanned=months,
        first_band=points[0].overall.band,
        message=drift_message,
    )

    persistent = _persistent(points, records)

    late: list[LateReview] = []
    for before, after in zip(points, points[1:], strict=False):
        weeks = used.review_weeks(before.overall.band)
        gap = (after.assessed_on - before.assessed_on).days
        if weeks is not None and before.overall.band is not None and gap > weeks * 7:
            late.append(
                LateReview(
                    after=before.assessed_on,
                    next=after.assessed_on,
                    days=gap,
                    band=before.overall.band,
                    review_weeks=weeks,
                )
            )

    return Trend(
        case_refs=refs,
        same_case=len(refs) == 1,
        count=len(points),
        first_assessed_on=first,
        last_assessed_on=last,
        days_spanned=span_days,
        band_order=OrderUsed.of(used),
        warnings=warnings,
        assessments=points,
        series=series,
        flags=TrendFlags(
            drift_and_delay=drift,
            relapse=_relapses(levels, points),
            persistent_escalations=persistent,
            late_reviews=late,
            needs_that_move=_needs_that_move(points),
        ),
        items=items,
        items_not_comparable=not_comparable,
    )


def _item_series(
    records: list[Record], lineage: Lineage | None
) -> tuple[list[ItemSeries], list[ItemNotComparable], list[dict[str, str]]]:
    """Each item's ratings over the series, under the newest record's ids; what cannot be compared; and for
    each record, its item ids that match one of the newest record's (old id -> newest id)."""
    newest = records[-1]
    order = [row.item for row in newest.answers]
    domains = {row.item: row.domain for row in newest.answers}
    values: dict[str, list[int | None]] = {item_id: [] for item_id in order}
    was: dict[str, list[str]] = {item_id: [] for item_id in order}
    not_comparable: dict[tuple[str, str], ItemNotComparable] = {}
    newest_ids: list[dict[str, str]] = []
    for record in records:
        same_tool = record.tool.id == newest.tool.id
        use = lineage if same_tool and record.tool.version != newest.tool.version else None
        matching = match_items([row.item for row in record.answers], order, use, record.tool.version)
        rated = {row.item: row.value for row in record.answers if row.status == "answered"}
        earlier = {new_id: old_id for old_id, new_id in matching.pairs if new_id is not None and old_id is not None}
        newest_ids.append({old_id: new_id for new_id, old_id in earlier.items()})
        for item_id in order:
            old_id = earlier.get(item_id)
            values[item_id].append(rated.get(old_id) if old_id is not None else None)
            if old_id is not None and old_id != item_id and old_id not in was[item_id]:
                was[item_id].append(old_id)
        for n in matching.not_comparable:
            not_comparable.setdefault((n.item, n.reason), ItemNotComparable(item=n.item, side=n.side, reason=n.reason))
    # items never rated in the series (not applicable at any age seen, say) are left out
    series = [
        ItemSeries(id=i, domain=domains[i], was=was[i], values=values[i])
        for i in order
        if any(v is not None for v in values[i])
    ]
    return series, list(not_comparable.values()), newest_ids
