"""What a diff or a trend says, for every renderer: `diff_view` and `trend_view` turn the `diffing.Diff` and
`trending.Trend` models into `DiffView` and `TrendView`, every word and fact shown, as `view.build_view`
does for reports. Terminal and Markdown (`diffview`) and HTML (`changeshtml`) lay those out and nothing
else, so the formats cannot say different things; none works out a band label, a direction or a flag
sentence itself.

Pure: no terminal, no markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..definition import reading_order
from ..diffing import AnswerSide, Diff, Direction, EscalationRef, ItemDiff, OrderUsed
from ..scoring import Override
from ..trending import NEED_AT_LEAST, Series, Trend, TrendPoint

if TYPE_CHECKING:
    from ..chronology import Entry
    from ..plandrift import PlanDrift

DISCLAIMER = (
    "This tool supports professional judgement; it does not replace it. "
    "Discuss these changes, and any decision they inform, in supervision."
)


DIRECTION_WORDS = {
    "improved": "improved",
    "unchanged": "unchanged",
    "worsened": "worsened",
    "not_comparable": "cannot compare",
}


STATUS_WORDS = {
    "answered": "answered",
    "not_known": "not known",
    "not_applicable": "does not apply at this age",
    "does_not_apply": "does not apply to this child",  # tool format 2: answered so, with a reason
    "unanswered": "not answered",
}


NO_NOTE = "(no evidence note)"


SPARKS = "▁▂▃▄▅▆▇█"


ARROW = "→"


PLANS_HEADING = "Plans"


@dataclass(frozen=True, slots=True)
class PlansView:
    """What drifts in the children's plans as of a date (`plandrift`), one line each, most pressing first:
    actions overdue, a need in a third plan, outcomes not achieved, assessments waiting for a sign-off."""

    as_of: str
    lines: list[str]

    @property
    def heading(self) -> str:
        return f"{PLANS_HEADING} (as of {self.as_of})"


def plans_view(as_of: dt.date, drift: Sequence[PlanDrift]) -> PlansView | None:
    """The plan drift a diff or trend shows (its text made safe to show); None when nothing drifts."""
    from ..plandrift import drift_lines
    from ..text import visible

    if not drift:
        return None
    return PlansView(as_of.isoformat(), [visible(line) for line in drift_lines(drift)])


def score_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def delta_text(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) < 0.005:
        return "±0.00"
    return f"{value:+.2f}"


def pct_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def band_id_text(value: str | None) -> str:
    """A band's id, for table cells (a key under the table gives the labels)."""
    return value or "not scored"


def band_label(order: OrderUsed, value: str | None) -> str:
    """A band as the reports name it ("Level 2 — early help"); its id when the tool is not available."""
    return "not scored" if value is None else order.label(value) or value


def band_key(order: OrderUsed, bands: Iterable[str | None]) -> str | None:
    """'level-2 = Level 2 — early help; …' for the bands a table shows by id, in the tool's order."""
    shown = set(bands)
    pairs = [f"{b.id} = {b.label}" for b in order.bands if b.id in shown and b.label != b.id]
    return "Bands: " + "; ".join(pairs) if pairs else None


def pair(old: str, new: str) -> str:
    return old if old == new else f"{old} {ARROW} {new}"


def days_text(days: int) -> str:
    weeks, rest = divmod(abs(days), 7)
    text = f"{abs(days)} day{'s' if abs(days) != 1 else ''}"
    if weeks:
        text += f" ({weeks} week{'s' if weeks != 1 else ''}" + (
            f" {rest} day{'s' if rest != 1 else ''})" if rest else ")"
        )
    return text  # "apart" either way; a NEW dated before OLD has its own warning


def rating_text(side: AnswerSide | None) -> str:
    if side is None:
        return "item not in this tool version"
    if side.status == "answered" and side.value is not None:
        return f"{side.value} {side.label}" if side.label else str(side.value)
    return STATUS_WORDS.get(side.status, side.status)


def note_text(side: AnswerSide | None, other: AnswerSide | None) -> str:
    """The evidence note (or why not known, or why it does not apply); "(no evidence note)" only when the other
    side has one."""
    if side is None:
        return ""
    if side.status == "not_known":
        return f"Reason not known: {side.reason}" if side.reason else ""
    if side.status == "does_not_apply":
        return f"Why it does not apply: {side.reason}" if side.reason else ""
    if side.status == "answered":
        source = f" (source: {side.source})" if side.source else ""
        if side.evidence:
            return side.evidence + source
        return (NO_NOTE if other is not None and (other.evidence or other.reason) else "") + source
    return ""


def item_direction(item: ItemDiff) -> Direction:
    old = item.old.value if item.old and item.old.status == "answered" else None
    new = item.new.value if item.new and item.new.status == "answered" else None
    if old is None or new is None:
        return "not_comparable" if item.change != "none" else "unchanged"
    return "worsened" if new > old else "improved" if new < old else "unchanged"


def item_change_words(item: ItemDiff) -> str:
    match item.change:
        case "added":
            return "new in this tool version"
        case "removed":
            return "not in the new tool version"
        case "status":
            old = STATUS_WORDS.get(item.old.status if item.old else "", "")
            new = STATUS_WORDS.get(item.new.status if item.new else "", "")
            return f"{old} {ARROW} {new}"
        case "value":
            return DIRECTION_WORDS[item_direction(item)]
        case "source":
            return "same rating, source changed"
        case "evidence":
            return "same rating, evidence changed"
    return "no change"


def shown_items(diff: Diff, show_all: bool) -> list[ItemDiff]:
    if show_all:
        return [i for i in diff.items if not (i.change == "none" and i.old and i.old.status == "not_applicable")]
    return [i for i in diff.items if i.shown_by_default]


def items_summary(diff: Diff, show_all: bool, *, hint: bool = True) -> str:
    rated = [i for i in diff.items if i.shown_by_default and i.change != "source"]
    sources = [i for i in diff.items if i.change == "source"]
    notes = [i for i in diff.items if i.change == "evidence"]
    applicable = [i for i in diff.items if not (i.new and i.new.status == "not_applicable")]
    text = f"{len(rated)} of {len(applicable)} items changed rating or status"
    if sources:
        text += f"; {len(sources)} kept their rating with evidence from a different source"
    if notes:
        text += f"; {len(notes)} kept their rating with a new or edited note"
    if not show_all and hint:
        text += " (--all shows every item)"
    return text


def escalation_lines(diff: Diff) -> Iterable[tuple[str, str, str, str]]:
    """(kind, severity, title, id) of each escalation that appeared, persisted or cleared, in reading order
    within each kind, as a report reads them (`definition.reading_order`): the most severe first, and within
    a severity the prompts that raised their record's level, the highest floor first. Without a tool's order
    of bands, the prompts that set the level (`raised_by`) count as the raised ones. The diff itself keeps the
    records' order."""
    o = diff.overall
    ranks = {band.id: rank for rank, band in enumerate(diff.band_order.bands)}
    for kind, entries, escalated, computed in (
        ("appeared", diff.escalations.appeared, o.escalated_band.new, o.computed_band.new),
        ("persisted", diff.escalations.persisted, o.escalated_band.new, o.computed_band.new),
        ("cleared", diff.escalations.cleared, o.escalated_band.old, o.computed_band.old),
    ):
        setting = set(_raised_to(entries, escalated, computed))
        for e in sorted(entries, key=lambda e: _reading_order(e, ranks, computed, setting)):
            yield kind, e.severity, e.title, e.id


def _reading_order(
    e: EscalationRef, ranks: dict[str, int], computed: str | None, setting: set[str]
) -> tuple[int, bool, int]:
    floor, scores = ranks.get(e.minimum_band or ""), ranks.get(computed or "")
    if floor is None or scores is None:
        return reading_order(e.severity, e.id in setting)
    return reading_order(e.severity, floor > scores, floor)


def raised_by(diff: Diff) -> list[str]:
    """The new record's escalations whose minimum band is the band it was raised to."""
    o = diff.overall
    current = [*diff.escalations.appeared, *diff.escalations.persisted]
    return _raised_to(current, o.escalated_band.new, o.computed_band.new)


def _raised_to(escalations: Iterable[EscalationRef], escalated: str | None, computed: str | None) -> list[str]:
    if escalated is None or escalated == computed:
        return []
    return [e.id for e in escalations if e.minimum_band == escalated]


def fact_text(value: object) -> str:
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def world_value(text: str | None) -> str:
    return "not recorded" if text is None else text


def quoted(text: str | None) -> str:
    return f"“{text}”" if text else "not recorded"


def sparkline(scores: list[float | None], low: float, high: float) -> str:
    """One block character per score on the scale from low to high; a space where there is no score."""
    span = high - low
    out = []
    for value in scores:
        if value is None:
            out.append(" ")
            continue
        share = 0.0 if span <= 0 else min(max((value - low) / span, 0.0), 1.0)
        out.append(SPARKS[round(share * (len(SPARKS) - 1))])
    return "".join(out)


def band_runs(bands: list[str | None]) -> str:
    """Band series with repeats folded: level-2 ×2 → level-3 (ids: a key under the table gives the labels)."""
    parts: list[tuple[str, int]] = []
    for band in bands:
        name = band_id_text(band)
        if parts and parts[-1][0] == name:
            parts[-1] = (name, parts[-1][1] + 1)
        else:
            parts.append((name, 1))
    return f" {ARROW} ".join(name if count == 1 else f"{name} ×{count}" for name, count in parts)


def series_scores(series: Series) -> str:
    return " ".join(score_text(s) for s in series.scores)


def rating_range(trend: Trend) -> tuple[float, float]:
    if trend.band_order.scale_range is not None:
        low, high = trend.band_order.scale_range
        return float(low), float(high)
    values = [s for series in trend.series for s in series.scores if s is not None]
    return (min(values), max(values)) if values else (0.0, 1.0)


def flag_lines(trend: Trend) -> list[tuple[str, str]]:
    """(label, sentence) per flag raised, in plain words."""
    flags, order = trend.flags, trend.band_order
    out: list[tuple[str, str]] = []
    if flags.drift_and_delay.flagged:
        out.append(("DRIFT AND DELAY", flags.drift_and_delay.message or ""))
    if flags.needs_that_move.flagged:
        out.append(("NEEDS THAT MOVE", flags.needs_that_move.message or ""))
    for r in flags.relapse:
        out.append(
            (
                "RELAPSE",
                f"the level of need improved from {band_label(order, r.before.band)} ({r.before.assessed_on}) to "
                f"{band_label(order, r.improved.band)} ({r.improved.assessed_on}), then went back to "
                f"{band_label(order, r.back.band)} "
                f'({r.back.assessed_on}). This is the "start again" pattern: ask what helped, why it did not '
                "last, and what would make change stick this time.",
            )
        )
    for p in flags.persistent_escalations:
        where = (
            f"in every assessment ({p.count} of {trend.count})"
            if p.in_every
            else f"in {p.longest_run} assessments in a row ({p.count} of {trend.count} in all)"
        )
        out.append(("PERSISTENT ESCALATION", f"{p.severity.upper()} {p.title} ({p.id}) {where}."))
    for late in flags.late_reviews:
        out.append(
            (
                "LATE REVIEW",
                f"{days_text(late.days)} between {late.after} and {late.next}; {band_label(order, late.band)} asks for "
                "a review "
                f"within {late.review_weeks} week{'s' if late.review_weeks != 1 else ''}.",
            )
        )
    return out


def needs_text(trend: Trend) -> str:
    """Each assessment's date and the items rated NEED_AT_LEAST or more then ("none" when there were none):
    "2023-11-20 Hygiene and personal care; 2024-11-18 Dental care"."""
    return "; ".join(
        f"{p.assessed_on} "
        + (", ".join(n.title + (" (mainly money or housing)" if n.hardship else "") for n in p.needs) or "none")
        for p in trend.assessments
    )


def no_drift_reason(trend: Trend) -> str:
    d = trend.flags.drift_and_delay
    if d.assessments < 3:
        return "Drift and delay needs three or more assessments to judge."
    if d.months_spanned < 6:
        return f"Drift and delay is judged over six months or more; these assessments span {d.months_spanned} months."
    return "Drift and delay: at least one assessment showed a lower level of need than the first."


def trend_heading(trend: Trend) -> str:
    months = trend.flags.drift_and_delay.months_spanned
    return (
        f"{trend.count} assessments from {trend.first_assessed_on} to {trend.last_assessed_on}: "
        f"{days_text(trend.days_spanned)}, {months} full month{'s' if months != 1 else ''}"
    )


def trend_bands(trend: Trend) -> list[str | None]:
    """Every band a trend's tables show: computed and final per assessment, and each series'."""
    points = [b for p in trend.assessments for b in (p.overall.computed_band, p.overall.band)]
    return points + [b for series in trend.series for b in series.bands]


def override_words(order: OrderUsed, override: Override, before: str | None) -> str:
    """An override with both levels and who agreed: what a supervisor must see at a glance."""
    ids = [b.id for b in order.bands]
    rank_before = ids.index(before) if before in ids else None
    rank_after = ids.index(override.band) if override.band in ids else None
    if before is None or rank_before is None or rank_after is None or rank_before == rank_after:
        words = f"level set to {band_label(order, override.band)} by override"
    else:
        moved = "LOWERED" if rank_after < rank_before else "raised"
        words = f"level {moved} by override from {band_label(order, before)} to {band_label(order, override.band)}"
    if override.agreed_by:
        when = f" on {override.agreed_on.isoformat()}" if override.agreed_on else ""
        words += f", agreed by {override.agreed_by}{when}"
    elif rank_before is not None and rank_after is not None and rank_after < rank_before:
        words += " (no second person recorded)"
    return words


def final_cell(point: TrendPoint) -> str:
    o = point.overall
    if point.override is not None:
        moved = ""
        if o.escalated_band is not None and o.band is not None and o.escalated_band != o.band:
            moved = f" from {band_id_text(o.escalated_band)}"
        return f"{band_id_text(o.band)} (override{moved})"
    return band_id_text(o.band)


# --- the view models: every word and fact a diff or trend shows, for every renderer -------------------

NOTHING_EITHER_SIDE = "None on either side."
NO_FLAGS = "No drift and delay, needs that move, relapse, persistent escalation or late review flagged."
NEEDS_LABEL = f"Needs rated {NEED_AT_LEAST} or more"
SERIES_NOTE = "The overall series shows the final band, after escalations and any override."
NOTHING_CHANGED = "Nothing in the assessment changed between these records."
SERIES_HEADING = "Over time, oldest first"
EVENTS_HEADING = "Key events from the chronology"


@dataclass(frozen=True, slots=True)
class SideView:
    """One of the two records of a diff."""

    label: str  # OLD or NEW
    assessed_on: str
    assessor: str  # "not recorded" when the record names none
    tool: str  # "neglect-core 3.1.0"
    file: str


@dataclass(frozen=True, slots=True)
class DomainRow:
    title: str
    scores: str  # "2.00 → 2.50"
    delta: str
    bands: str  # band ids, old → new (the key under the table gives the labels)
    direction: Direction
    direction_words: str


@dataclass(frozen=True, slots=True)
class EscalationRow:
    kind: str  # appeared, persisted, cleared
    severity: str  # upper case
    prompt: str  # "title (id)"


@dataclass(frozen=True, slots=True)
class OverrideRow:
    label: str  # OLD or NEW
    words: str  # both levels and who agreed
    rationale: str


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """A case fact or a part of the child's world: what, old → new."""

    section: str  # "" for case facts
    what: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class ItemRow:
    name: str  # "item.id (was old.id)"
    change: str  # in words
    direction: Direction
    old_rating: str
    new_rating: str
    old_note: str  # "" when there is nothing to say
    new_note: str


@dataclass(frozen=True, slots=True)
class DiffView:
    """Everything a diff shows, in words: the terminal, Markdown and HTML renderers lay out only this."""

    ref: str  # the case ref, or "A and B" for two cases shown together under --force
    old_date: str
    new_date: str
    apart: str  # "35 days (5 weeks)"
    sides: list[SideView]
    warnings: list[str]
    direction: Direction
    direction_words: str
    final: str  # the final band's labels, old → new
    level: list[tuple[str, str]]  # (what, old → new): final band, computed and after escalation when they differ, ...
    provisional: str | None
    drift: str | None  # a sentence, when drift is flagged
    drift_note: str | None  # why there is no drift, when it was judged
    domains: list[DomainRow]
    domains_key: str | None
    escalations: list[EscalationRow]
    overrides: list[OverrideRow]
    context: list[ChangeRow]
    items_summary: str  # without the --all hint
    items_hint: str | None  # " (--all shows every item)" when not every item is shown
    items: list[ItemRow]
    item_lines: list[str]  # items new to or gone from the tool version, and how many cannot be compared
    not_comparable: list[str]
    world: list[ChangeRow]
    voice: tuple[str, str] | None  # (old, new) quoted, when the child's voice changed or --all
    nothing_changed: bool
    plans: PlansView | None = None  # plan drift as of a date (None: nothing drifts, or not asked)
    disclaimer: str = DISCLAIMER


def diff_view(diff: Diff, *, show_all: bool = False, plans: PlansView | None = None) -> DiffView:
    """The words and facts of a diff (its text made safe to show: shown, never obeyed), with the plan drift
    (`plans_view`) when there is any."""
    from ..text import visible_data

    diff = visible_data(diff)
    old, new, o, order = diff.old, diff.new, diff.overall, diff.band_order
    final = pair(band_label(order, o.band.old), band_label(order, o.band.new))
    level = [("Final band", final)]
    if o.computed_band != o.band or o.escalated_band != o.band:
        level.append(("Computed", pair(band_label(order, o.computed_band.old), band_label(order, o.computed_band.new))))
        raised = raised_by(diff)
        after = pair(band_label(order, o.escalated_band.old), band_label(order, o.escalated_band.new))
        level.append(("After escalation", after + (f" (raised by {', '.join(raised)})" if raised else "")))
    scores = f"{score_text(o.score.old)} {ARROW} {score_text(o.score.new)}"
    level.append(("Score", f"{scores} ({delta_text(o.score.delta)})"))
    level.append(("Coverage", f"{pct_text(o.coverage.old)} {ARROW} {pct_text(o.coverage.new)}"))
    provisional = None
    if o.incomplete.old or o.incomplete.new:
        which = "both" if o.incomplete.old and o.incomplete.new else ("OLD" if o.incomplete.old else "NEW")
        provisional = f"{which}: not enough known — too few items answered; that level is not final."
    item_lines = []
    if diff.items_added:
        item_lines.append(f"Items new in {new.tool.id} {new.tool.version}: {', '.join(diff.items_added)}")
    if diff.items_removed:
        item_lines.append(f"Items no longer in {new.tool.id} {new.tool.version}: {', '.join(diff.items_removed)}")
    if diff.items_not_comparable:
        item_lines.append(f"Items that cannot be compared one to one ({old.tool.version} {ARROW} {new.tool.version}):")
    return DiffView(
        ref=old.case_ref if diff.same_case else f"{old.case_ref} and {new.case_ref}",
        old_date=str(old.assessed_on),
        new_date=str(new.assessed_on),
        apart=days_text(diff.days_elapsed),
        sides=[
            SideView(
                label,
                str(side.assessed_on),
                side.assessor or "not recorded",
                f"{side.tool.id} {side.tool.version}",
                side.file,
            )
            for label, side in (("OLD", old), ("NEW", new))
        ],
        warnings=list(diff.warnings),
        direction=o.direction,
        direction_words=DIRECTION_WORDS[o.direction],
        final=final,
        level=level,
        provisional=provisional,
        drift=(diff.drift.message or "") if diff.drift.flagged else None,
        drift_note=None if diff.drift.flagged else diff.drift.message,
        domains=[
            DomainRow(
                d.title,
                f"{score_text(d.score.old)} {ARROW} {score_text(d.score.new)}",
                delta_text(d.score.delta),
                pair(band_id_text(d.band.old), band_id_text(d.band.new)),
                d.direction,
                DIRECTION_WORDS[d.direction],
            )
            for d in diff.domains
        ],
        domains_key=band_key(order, [band for d in diff.domains for band in (d.band.old, d.band.new)]),
        escalations=[
            EscalationRow(kind, severity.upper(), f"{title} ({esc_id})")
            for kind, severity, title, esc_id in escalation_lines(diff)
        ],
        overrides=[
            OverrideRow(label, override_words(order, override, before), override.rationale)
            for label, override, before in (
                ("OLD", diff.overrides.old, o.escalated_band.old),
                ("NEW", diff.overrides.new, o.escalated_band.new),
            )
            if override is not None
        ],
        context=[ChangeRow("", f.id, fact_text(f.old), fact_text(f.new)) for f in diff.context],
        items_summary=items_summary(diff, show_all, hint=False),
        items_hint=None if show_all else " (--all shows every item)",
        items=[
            ItemRow(
                item.item + (f" (was {item.was})" if item.was else ""),
                item_change_words(item),
                item_direction(item),
                rating_text(item.old),
                rating_text(item.new),
                _note(item.old, item.new),
                _note(item.new, item.old),
            )
            for item in shown_items(diff, show_all)
        ],
        item_lines=item_lines,
        not_comparable=[n.reason for n in diff.items_not_comparable],
        world=[ChangeRow(c.section, c.what, world_value(c.old), world_value(c.new)) for c in diff.world],
        voice=(quoted(diff.child_voice.old), quoted(diff.child_voice.new))
        if diff.child_voice.changed or show_all
        else None,
        nothing_changed=not diff.changed,
        plans=plans,
    )


def _note(side: AnswerSide | None, other: AnswerSide | None) -> str:
    """A side's note as every format shows it: "(no evidence note)" is left out (the rating says enough)."""
    note = note_text(side, other)
    return "" if note == NO_NOTE else note


@dataclass(frozen=True, slots=True)
class AssessmentRow:
    """One assessment of a trend."""

    assessed_on: str
    checks_failed: bool  # the record failed its checks (a warning says which)
    assessor: str  # "—" when not recorded
    tool: str
    computed: str  # band id
    final: str  # band id, "(override from …)" when overridden
    score: str
    coverage: str
    provisional: bool
    escalations: str  # how many prompts


@dataclass(frozen=True, slots=True)
class SeriesRow:
    title: str
    direction: Direction
    direction_words: str
    scores: str
    spark: str  # one block character per score (terminals draw it)
    bands: str  # band ids with repeats folded


@dataclass(frozen=True, slots=True)
class TrendView:
    """Everything a trend shows, in words: the terminal, Markdown and HTML renderers lay out only this.
    A case in the record store adds its chronology (`events`, and the timeline the HTML page draws)."""

    ref: str
    heading: str
    first: str
    last: str
    tool: str | None  # the one tool of every assessment; None when they differ (a column then)
    warnings: list[str]
    assessments: list[AssessmentRow]
    bands_key: str | None
    series: list[SeriesRow]
    needs: str  # each assessment's items rated NEED_AT_LEAST or more (`needs_text`), under NEEDS_LABEL
    flags: list[tuple[str, str]]
    no_drift: str | None  # why drift and delay is not flagged
    events: list[Entry] | None  # the chronology's key events (None: the trend came from record files)
    timeline: list[Entry]  # the assessments' levels and the key events, for the HTML timeline
    as_of: dt.date
    plans: PlansView | None = None  # plan drift as of a date (None: nothing drifts, or not asked)
    disclaimer: str = DISCLAIMER


def trend_view(
    trend: Trend,
    events: Sequence[Entry] | None = None,
    as_of: dt.date | None = None,
    plans: PlansView | None = None,
) -> TrendView:
    """The words and facts of a trend; `events`: the child's chronology from the store (None: record files);
    `plans`: the plan drift (`plans_view`), when there is any."""
    from ..chronology import AUTOMATIC
    from ..text import visible_data

    trend = visible_data(trend)
    low, high = rating_range(trend)
    tools = list(dict.fromkeys(f"{p.tool.id} {p.tool.version}" for p in trend.assessments))
    kept = None if events is None else [e for e in events if e.superseded_by is None and e.category != AUTOMATIC]
    return TrendView(
        ref=", ".join(trend.case_refs),
        heading=trend_heading(trend),
        first=str(trend.first_assessed_on),
        last=str(trend.last_assessed_on),
        tool=tools[0] if len(tools) == 1 else None,
        warnings=list(trend.warnings),
        assessments=[
            AssessmentRow(
                str(p.assessed_on),
                not p.integrity_ok,
                p.assessor or "—",
                f"{p.tool.id} {p.tool.version}",
                band_id_text(p.overall.computed_band),
                final_cell(p),
                score_text(p.overall.score),
                pct_text(p.overall.coverage),
                p.overall.incomplete,
                str(len(p.escalations)),
            )
            for p in trend.assessments
        ],
        bands_key=band_key(trend.band_order, trend_bands(trend)),
        series=[
            SeriesRow(
                s.title,
                s.direction,
                DIRECTION_WORDS[s.direction],
                series_scores(s),
                sparkline(s.scores, low, high),
                band_runs(s.bands),
            )
            for s in trend.series
        ],
        needs=needs_text(trend),
        flags=flag_lines(trend),
        no_drift=None if trend.flags.drift_and_delay.flagged else no_drift_reason(trend),
        events=kept,
        timeline=[*assessment_entries(trend), *(kept or [])],
        as_of=as_of or trend.last_assessed_on,
        plans=plans,
    )


def assessment_entries(trend: Trend) -> list[Entry]:
    """Each assessment of the trend as a timeline entry, with its final level's place in the tool's bands."""
    from ..chronology import AUTOMATIC, Entry

    order = trend.band_order
    ids = [b.id for b in order.bands]
    out = []
    for point in trend.assessments:
        band = point.overall.band
        out.append(
            Entry(
                id=None,
                case_ref=point.case_ref,
                occurred_on=point.assessed_on.isoformat(),
                category=AUTOMATIC,
                source_agency="Children's social care",
                event=f"Assessment: {band_label(order, band)}",
                impact="",
                added_by=point.assessor or "",
                added_at=point.created_at,
                level=band_label(order, band),
                level_rank=ids.index(band) if band in ids else None,
                level_count=len(ids) or None,
            )
        )
    return out
