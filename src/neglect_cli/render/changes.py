"""What a diff or a trend says, in words, for every renderer: terminal and Markdown (`diffview`) and
HTML (`changeshtml`) lay these out; none works out a band label, a direction or a flag sentence itself.

Pure functions of the `diffing.Diff` and `trending.Trend` models: no terminal, no markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..diffing import AnswerSide, Diff, Direction, ItemDiff, OrderUsed
from ..scoring import Override
from ..trending import Series, Trend, TrendPoint

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
    "unanswered": "not answered",
}


NO_NOTE = "(no evidence note)"


SPARKS = "▁▂▃▄▅▆▇█"


ARROW = "→"


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
    """The evidence note (or why not known); "(no evidence note)" only when the other side has one."""
    if side is None:
        return ""
    if side.status == "not_known":
        return f"Reason not known: {side.reason}" if side.reason else ""
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
    for kind, entries in (
        ("appeared", diff.escalations.appeared),
        ("persisted", diff.escalations.persisted),
        ("cleared", diff.escalations.cleared),
    ):
        for e in entries:
            yield kind, e.severity, e.title, e.id


def raised_by(diff: Diff) -> list[str]:
    """The new record's escalations whose minimum band is the band it was raised to."""
    o = diff.overall
    if o.escalated_band.new is None or o.escalated_band.new == o.computed_band.new:
        return []
    current = [*diff.escalations.appeared, *diff.escalations.persisted]
    return [e.id for e in current if e.minimum_band == o.escalated_band.new]


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
