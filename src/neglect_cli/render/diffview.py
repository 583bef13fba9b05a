"""Supervisor views on screen and on paper: a diff of two records, a trend over several.

Terminal output uses rich: colour only on a terminal (never with NO_COLOR),
plain ASCII tables when piped, wrapped to COLUMNS (80 when unset) so it reads
in a log or an email. Markdown is for pasting into a supervision note. JSON is
the models' own dump (see `diffing`), printed by the commands.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..diffing import AnswerSide, Diff, Direction, ItemDiff, OrderUsed
from ..output import color_enabled
from ..scoring import Override
from ..text import visible_data
from ..trending import Series, Trend, TrendPoint
from . import SEVERITY_STYLE

DISCLAIMER = (
    "This tool supports professional judgement; it does not replace it. "
    "Discuss these changes, and any decision they inform, in supervision."
)
DIRECTION_STYLE = {
    "improved": "bold green",
    "unchanged": "bold yellow",
    "worsened": "bold red",
    "not_comparable": "dim",
}
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


def _console() -> Console:
    """A console on stdout: live on a terminal; otherwise into a buffer that `_finish` trims and writes."""
    if sys.stdout.isatty():
        colour = color_enabled(sys.stdout)
        return Console(file=sys.stdout, no_color=not colour, highlight=False, emoji=False, markup=False)
    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() and int(columns) >= 40 else 80
    return Console(
        file=io.StringIO(), no_color=True, force_terminal=False, highlight=False, emoji=False, markup=False, width=width
    )


def _finish(con: Console) -> None:
    """Piped output: drop the padding rich leaves at the end of lines."""
    if isinstance(con.file, io.StringIO):
        text = "\n".join(line.rstrip() for line in con.file.getvalue().splitlines())
        sys.stdout.write(text + "\n")


def table_box(con: Console) -> box.Box:
    return box.ROUNDED if con.is_terminal else box.ASCII2


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _delta(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) < 0.005:
        return "±0.00"
    return f"{value:+.2f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _band(value: str | None) -> str:
    """A band's id, for table cells (a key under the table gives the labels)."""
    return value or "not scored"


def _label(order: OrderUsed, value: str | None) -> str:
    """A band as the reports name it ("Level 2 — early help"); its id when the tool is not available."""
    return "not scored" if value is None else order.label(value) or value


def _band_key(order: OrderUsed, bands: Iterable[str | None]) -> str | None:
    """'level-2 = Level 2 — early help; …' for the bands a table shows by id, in the tool's order."""
    shown = set(bands)
    pairs = [f"{b.id} = {b.label}" for b in order.bands if b.id in shown and b.label != b.id]
    return "Bands: " + "; ".join(pairs) if pairs else None


def _pair(old: str, new: str) -> str:
    return old if old == new else f"{old} {ARROW} {new}"


def _days(days: int) -> str:
    weeks, rest = divmod(abs(days), 7)
    text = f"{abs(days)} day{'s' if abs(days) != 1 else ''}"
    if weeks:
        text += f" ({weeks} week{'s' if weeks != 1 else ''}" + (
            f" {rest} day{'s' if rest != 1 else ''})" if rest else ")"
        )
    return text  # "apart" either way; a NEW dated before OLD has its own warning


def _rating(side: AnswerSide | None) -> str:
    if side is None:
        return "item not in this tool version"
    if side.status == "answered" and side.value is not None:
        return f"{side.value} {side.label}" if side.label else str(side.value)
    return STATUS_WORDS.get(side.status, side.status)


def _note(side: AnswerSide | None, other: AnswerSide | None) -> str:
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


def _item_direction(item: ItemDiff) -> Direction:
    old = item.old.value if item.old and item.old.status == "answered" else None
    new = item.new.value if item.new and item.new.status == "answered" else None
    if old is None or new is None:
        return "not_comparable" if item.change != "none" else "unchanged"
    return "worsened" if new > old else "improved" if new < old else "unchanged"


def _item_change_words(item: ItemDiff) -> str:
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
            return DIRECTION_WORDS[_item_direction(item)]
        case "source":
            return "same rating, source changed"
        case "evidence":
            return "same rating, evidence changed"
    return "no change"


def _heading(con: Console, text: str) -> None:
    con.print()
    con.print(Text(text, style="bold underline"))


def _shown_items(diff: Diff, show_all: bool) -> list[ItemDiff]:
    if show_all:
        return [i for i in diff.items if not (i.change == "none" and i.old and i.old.status == "not_applicable")]
    return [i for i in diff.items if i.shown_by_default]


def _items_summary(diff: Diff, show_all: bool, *, hint: bool = True) -> str:
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


def _escalation_lines(diff: Diff) -> Iterable[tuple[str, str, str, str]]:
    for kind, entries in (
        ("appeared", diff.escalations.appeared),
        ("persisted", diff.escalations.persisted),
        ("cleared", diff.escalations.cleared),
    ):
        for e in entries:
            yield kind, e.severity, e.title, e.id


# --- diff, terminal ---------------------------------------------------------------------------


def _rows(con: Console, rows: Iterable[tuple[Text | str, ...]], indent: int = 2) -> None:
    """Label/value rows with a hanging indent, so wrapped lines stay under their value."""
    grid = Table.grid(padding=(0, 1), pad_edge=False)
    grid.add_column(width=max(indent - 1, 0)) if indent > 1 else None
    rows = list(rows)
    if not rows:
        return
    for i in range(len(rows[0])):
        grid.add_column(no_wrap=i < len(rows[0]) - 1)
    for row in rows:
        grid.add_row(*(("",) if indent > 1 else ()), *row)
    con.print(grid)


def _warnings(con: Console, warnings: list[str]) -> None:
    if warnings:
        con.print()
        _rows(con, [(Text("WARNING", style="bold red"), Text(message, style="bold")) for message in warnings], indent=0)


def diff_terminal(diff: Diff, *, show_all: bool = False) -> None:
    """Print a diff for a supervisor: header, warnings, level of need, drift, domains, escalations, items."""
    diff = visible_data(diff)  # text from records is shown, never obeyed, by the terminal
    con = _console()
    old, new = diff.old, diff.new
    ref = old.case_ref if diff.same_case else f"{old.case_ref} and {new.case_ref}"
    con.print(
        Text(f"Case {ref}: {old.assessed_on} {ARROW} {new.assessed_on}, {_days(diff.days_elapsed)} apart", style="bold")
    )
    _rows(
        con,
        [
            (
                Text(label, style="bold"),
                str(side.assessed_on),
                Text(f"{side.assessor or 'assessor not recorded'} · {side.tool.id} {side.tool.version} · {side.file}"),
            )
            for label, side in (("OLD", old), ("NEW", new))
        ],
    )
    _warnings(con, diff.warnings)

    o = diff.overall
    con.print()
    order = diff.band_order
    labels = _pair(_label(order, o.band.old), _label(order, o.band.new))
    con.print(
        Text.assemble(
            ("Level of need: ", "bold"),
            (DIRECTION_WORDS[o.direction].upper(), DIRECTION_STYLE[o.direction]),
            (f"  {labels}", "bold"),
        )
    )
    facts: list[tuple[Text | str, ...]] = [("final band", _pair(_label(order, o.band.old), _label(order, o.band.new)))]
    if o.computed_band != o.band or o.escalated_band != o.band:
        facts.append(("computed", _pair(_label(order, o.computed_band.old), _label(order, o.computed_band.new))))
        raised = _raised_by(diff)
        facts.append(
            (
                "after escalation",
                _pair(_label(order, o.escalated_band.old), _label(order, o.escalated_band.new))
                + (f" (raised by {', '.join(raised)})" if raised else ""),
            )
        )
    facts.append(("score", f"{_score(o.score.old)} {ARROW} {_score(o.score.new)} ({_delta(o.score.delta)})"))
    facts.append(("coverage", f"{_pct(o.coverage.old)} {ARROW} {_pct(o.coverage.new)}"))
    if o.incomplete.old or o.incomplete.new:
        which = "both" if o.incomplete.old and o.incomplete.new else ("OLD" if o.incomplete.old else "NEW")
        facts.append(
            (
                Text("PROVISIONAL", style="bold red"),
                Text(f"{which}: not enough known — too few items answered; that level is not final.", style="bold red"),
            )
        )
    _rows(con, facts)

    if diff.drift.flagged:
        con.print()
        _rows(con, [(Text("DRIFT", style="bold red"), Text(diff.drift.message or ""))], indent=0)
    elif diff.drift.message:
        con.print(Text(diff.drift.message, style="dim"))

    _heading(con, "Domains")
    table = Table(box=table_box(con), show_edge=con.is_terminal, pad_edge=con.is_terminal)
    table.add_column("Domain", ratio=1)
    table.add_column("Score", no_wrap=True)
    table.add_column("Change", justify="right", no_wrap=True)
    table.add_column("Band", no_wrap=True)
    table.add_column("Direction", no_wrap=True)
    for d in diff.domains:
        table.add_row(
            d.title,
            f"{_score(d.score.old)} {ARROW} {_score(d.score.new)}",
            _delta(d.score.delta),
            _pair(_band(d.band.old), _band(d.band.new)),
            Text(DIRECTION_WORDS[d.direction], style=DIRECTION_STYLE[d.direction]),
        )
    con.print(table)
    key = _band_key(order, [band for d in diff.domains for band in (d.band.old, d.band.new)])
    if key:
        con.print(Text(key, style="dim"))

    _heading(con, "Escalations")
    lines = list(_escalation_lines(diff))
    if not lines:
        con.print("  none on either side")
    _rows(
        con,
        [
            (
                Text(kind, style="bold red" if kind == "appeared" else "green" if kind == "cleared" else ""),
                Text(severity.upper(), style=SEVERITY_STYLE.get(severity, "")),
                Text(f"{title} ({esc_id})"),
            )
            for kind, severity, title, esc_id in lines
        ],
    )

    _heading(con, "Practitioner overrides")
    if diff.overrides.old is None and diff.overrides.new is None:
        con.print("  none on either side")
    _rows(
        con,
        [
            (
                Text(label, style="bold"),
                Text(f"{_override_words(order, override, before)}. Rationale: {override.rationale}"),
            )
            for label, override, before in (
                ("OLD", diff.overrides.old, diff.overall.escalated_band.old),
                ("NEW", diff.overrides.new, diff.overall.escalated_band.new),
            )
            if override is not None
        ],
    )

    if diff.context:
        _heading(con, "Case facts that changed")
        _rows(con, [(fact.id, f"{_fact(fact.old)} {ARROW} {_fact(fact.new)}") for fact in diff.context])

    _heading(con, "Items")
    con.print(_items_summary(diff, show_all))
    # One line per item (its rating old → new), then each side's note at the full width under it:
    # side-by-side columns of evidence made a diff of 16 items some 180 lines long at 80 columns.
    for item in _shown_items(diff, show_all):
        direction = _item_direction(item)
        _rows(
            con,
            [
                (
                    Text.assemble((item.item, "bold"), (f" (was {item.was})" if item.was else "", "")),
                    Text.assemble(
                        (_item_change_words(item), DIRECTION_STYLE[direction]),
                        f": {_pair(_rating(item.old), _rating(item.new))}",
                    ),
                )
            ],
            indent=0,
        )
        notes = [
            (Text(label, style="bold"), Text(note))
            for label, side, other in (("OLD", item.old, item.new), ("NEW", item.new, item.old))
            if (note := _note(side, other)) and note != NO_NOTE
        ]
        _rows(con, notes)
    if diff.items_added:
        con.print(f"Items new in {new.tool.id} {new.tool.version}: {', '.join(diff.items_added)}")
    if diff.items_removed:
        con.print(f"Items no longer in {new.tool.id} {new.tool.version}: {', '.join(diff.items_removed)}")
    if diff.items_not_comparable:
        con.print(f"Items that cannot be compared one to one ({old.tool.version} {ARROW} {new.tool.version}):")
        _rows(con, [("-", n.reason) for n in diff.items_not_comparable])

    if diff.world:
        _heading(con, "The child's world")
        _rows(
            con,
            [
                (
                    Text(change.section, style="bold"),
                    f"{change.what}: {_world_value(change.old)} {ARROW} {_world_value(change.new)}",
                )
                for change in diff.world
            ],
        )

    if diff.child_voice.changed or show_all:
        _heading(con, "The child's voice")
        _rows(
            con,
            [
                (Text("OLD", style="bold"), _quoted(diff.child_voice.old)),
                (Text("NEW", style="bold"), _quoted(diff.child_voice.new)),
            ],
        )

    con.print()
    if not diff.changed:
        con.print(Text("Nothing in the assessment changed between these records.", style="bold"))
    con.print(Text(DISCLAIMER, style="italic dim"))
    _finish(con)


def _raised_by(diff: Diff) -> list[str]:
    """The new record's escalations whose minimum band is the band it was raised to."""
    o = diff.overall
    if o.escalated_band.new is None or o.escalated_band.new == o.computed_band.new:
        return []
    current = [*diff.escalations.appeared, *diff.escalations.persisted]
    return [e.id for e in current if e.minimum_band == o.escalated_band.new]


def _cell(side: AnswerSide | None, other: AnswerSide | None) -> Text:
    text = Text(_rating(side), style="bold")
    note = _note(side, other)
    if note:
        text += Text("\n" + note)
    return text


def _fact(value: object) -> str:
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def _world_value(text: str | None) -> str:
    return "not recorded" if text is None else text


def _quoted(text: str | None) -> str:
    return f"“{text}”" if text else "not recorded"


# --- diff, markdown -----------------------------------------------------------------------------


def diff_markdown(diff: Diff, *, show_all: bool = False) -> str:
    """The diff as CommonMark, for a supervision note."""
    from .markdown import md_escape  # here, not at the top: the terminal diff need not load the report view

    diff = visible_data(diff)
    old, new = diff.old, diff.new
    o, order = diff.overall, diff.band_order
    ref = old.case_ref if diff.same_case else f"{old.case_ref} and {new.case_ref}"
    out = [
        f"# Changes for case {md_escape(ref)}: {old.assessed_on} to {new.assessed_on}",
        "",
        f"{_days(diff.days_elapsed)} apart.",
        "",
        "| | Assessed on | Assessor | Tool | File |",
        "| --- | --- | --- | --- | --- |",
    ]
    for label, side in (("OLD", old), ("NEW", new)):
        out.append(
            f"| {label} | {side.assessed_on} | {md_escape(side.assessor or '—')} | "
            f"{md_escape(side.tool.id)} {md_escape(side.tool.version)} | {md_escape(side.file)} |"
        )
    out.append("")
    for message in diff.warnings:
        out += [f"> **Warning:** {md_escape(message)}", ""]
    out += [
        "## Level of need",
        "",
        f"**{DIRECTION_WORDS[o.direction].capitalize()}: "
        f"{md_escape(_pair(_label(order, o.band.old), _label(order, o.band.new)))}**",
        "",
        f"- Final band: {md_escape(_pair(_label(order, o.band.old), _label(order, o.band.new)))}",
        f"- Computed: {md_escape(_pair(_label(order, o.computed_band.old), _label(order, o.computed_band.new)))}",
        f"- After escalation: "
        f"{md_escape(_pair(_label(order, o.escalated_band.old), _label(order, o.escalated_band.new)))}",
        f"- Score: {_score(o.score.old)} {ARROW} {_score(o.score.new)} ({_delta(o.score.delta)})",
        f"- Coverage: {_pct(o.coverage.old)} {ARROW} {_pct(o.coverage.new)}",
        "",
    ]
    if o.incomplete.old or o.incomplete.new:
        which = "both" if o.incomplete.old and o.incomplete.new else ("OLD" if o.incomplete.old else "NEW")
        out += [f"> **Provisional — not enough known ({which}):** too few items answered; that level is not final.", ""]
    if diff.drift.flagged:
        out += [f"> **Drift:** {md_escape(diff.drift.message or '')}", ""]
    out += [
        "## Domains",
        "",
        "| Domain | Score | Change | Band | Direction |",
        "| --- | --- | ---: | --- | --- |",
    ]
    for d in diff.domains:
        out.append(
            f"| {md_escape(d.title)} | {_score(d.score.old)} {ARROW} {_score(d.score.new)} | {_delta(d.score.delta)} | "
            f"{md_escape(_pair(_band(d.band.old), _band(d.band.new)))} | {DIRECTION_WORDS[d.direction]} |"
        )
    key = _band_key(order, [band for d in diff.domains for band in (d.band.old, d.band.new)])
    if key:
        out += ["", md_escape(key)]
    out += ["", "## Escalations", ""]
    lines = list(_escalation_lines(diff))
    out += [
        f"- {kind}: {severity.upper()} {md_escape(title)} ({md_escape(esc_id)})"
        for kind, severity, title, esc_id in lines
    ]
    if not lines:
        out.append("None on either side.")
    out += ["", "## Practitioner overrides", ""]
    if diff.overrides.old is None and diff.overrides.new is None:
        out.append("None on either side.")
    for label, override, before in (
        ("OLD", diff.overrides.old, diff.overall.escalated_band.old),
        ("NEW", diff.overrides.new, diff.overall.escalated_band.new),
    ):
        if override is not None:
            words = md_escape(_override_words(order, override, before))
            out.append(f"- {label}: **{words}**. {md_escape(override.rationale)}")
    out.append("")
    if diff.context:
        out += ["## Case facts that changed", ""]
        out += [
            f"- {md_escape(f.id)}: {md_escape(_fact(f.old))} {ARROW} {md_escape(_fact(f.new))}" for f in diff.context
        ]
        out.append("")
    out += ["## Items", "", md_escape(_items_summary(diff, show_all, hint=False)) + ".", ""]
    shown = _shown_items(diff, show_all)
    if shown:
        out += [f"| Item | Change | OLD {old.assessed_on} | NEW {new.assessed_on} |", "| --- | --- | --- | --- |"]
        for item in shown:
            cells = []
            for answer, other in ((item.old, item.new), (item.new, item.old)):
                note = _note(answer, other)
                cells.append(f"**{md_escape(_rating(answer))}**" + (f" — {md_escape(note)}" if note else ""))
            name = md_escape(item.item) + (f" (was {md_escape(item.was)})" if item.was else "")
            out.append(f"| {name} | {md_escape(_item_change_words(item))} | {cells[0]} | {cells[1]} |")
        out.append("")
    if diff.items_added:
        out += [f"Items new in {md_escape(new.tool.version)}: {md_escape(', '.join(diff.items_added))}", ""]
    if diff.items_removed:
        out += [f"Items no longer in {md_escape(new.tool.version)}: {md_escape(', '.join(diff.items_removed))}", ""]
    if diff.items_not_comparable:
        out += [
            f"Items that cannot be compared one to one ({md_escape(old.tool.version)} {ARROW} "
            f"{md_escape(new.tool.version)}):",
            "",
            *(f"- {md_escape(n.reason)}" for n in diff.items_not_comparable),
            "",
        ]
    if diff.world:
        out += ["## The child's world", ""]
        out += [
            f"- {md_escape(c.section)}, {md_escape(c.what)}: {md_escape(_world_value(c.old))} {ARROW} "
            f"{md_escape(_world_value(c.new))}"
            for c in diff.world
        ]
        out.append("")
    if diff.child_voice.changed or show_all:
        out += [
            "## The child's voice",
            "",
            f"- OLD: {md_escape(_quoted(diff.child_voice.old))}",
            f"- NEW: {md_escape(_quoted(diff.child_voice.new))}",
            "",
        ]
    out += [f"*{DISCLAIMER}*", ""]
    return "\n".join(out)


# --- trend ----------------------------------------------------------------------------------------


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


def _runs(bands: list[str | None]) -> str:
    """Band series with repeats folded: level-2 ×2 → level-3 (ids: a key under the table gives the labels)."""
    parts: list[tuple[str, int]] = []
    for band in bands:
        name = _band(band)
        if parts and parts[-1][0] == name:
            parts[-1] = (name, parts[-1][1] + 1)
        else:
            parts.append((name, 1))
    return f" {ARROW} ".join(name if count == 1 else f"{name} ×{count}" for name, count in parts)


def _scores(series: Series) -> str:
    return " ".join(_score(s) for s in series.scores)


def _range(trend: Trend) -> tuple[float, float]:
    if trend.band_order.scale_range is not None:
        low, high = trend.band_order.scale_range
        return float(low), float(high)
    values = [s for series in trend.series for s in series.scores if s is not None]
    return (min(values), max(values)) if values else (0.0, 1.0)


def _flag_lines(trend: Trend) -> list[tuple[str, str]]:
    """(label, sentence) per flag raised, in plain words."""
    flags, order = trend.flags, trend.band_order
    out: list[tuple[str, str]] = []
    if flags.drift_and_delay.flagged:
        out.append(("DRIFT AND DELAY", flags.drift_and_delay.message or ""))
    for r in flags.relapse:
        out.append(
            (
                "RELAPSE",
                f"the level of need improved from {_label(order, r.before.band)} ({r.before.assessed_on}) to "
                f"{_label(order, r.improved.band)} ({r.improved.assessed_on}), then went back to "
                f"{_label(order, r.back.band)} "
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
                f"{_days(late.days)} between {late.after} and {late.next}; {_label(order, late.band)} asks for "
                "a review "
                f"within {late.review_weeks} week{'s' if late.review_weeks != 1 else ''}.",
            )
        )
    return out


def _no_drift_reason(trend: Trend) -> str:
    d = trend.flags.drift_and_delay
    if d.assessments < 3:
        return "Drift and delay needs three or more assessments to judge."
    if d.months_spanned < 6:
        return f"Drift and delay is judged over six months or more; these assessments span {d.months_spanned} months."
    return "Drift and delay: at least one assessment showed a lower level of need than the first."


def _trend_heading(trend: Trend) -> str:
    months = trend.flags.drift_and_delay.months_spanned
    return (
        f"{trend.count} assessments from {trend.first_assessed_on} to {trend.last_assessed_on}: "
        f"{_days(trend.days_spanned)}, {months} full month{'s' if months != 1 else ''}"
    )


def _trend_bands(trend: Trend) -> list[str | None]:
    """Every band a trend's tables show: computed and final per assessment, and each series'."""
    points = [b for p in trend.assessments for b in (p.overall.computed_band, p.overall.band)]
    return points + [b for series in trend.series for b in series.bands]


def _override_words(order: OrderUsed, override: Override, before: str | None) -> str:
    """An override with both levels and who agreed: what a supervisor must see at a glance."""
    ids = [b.id for b in order.bands]
    rank_before = ids.index(before) if before in ids else None
    rank_after = ids.index(override.band) if override.band in ids else None
    if before is None or rank_before is None or rank_after is None or rank_before == rank_after:
        words = f"level set to {_label(order, override.band)} by override"
    else:
        moved = "LOWERED" if rank_after < rank_before else "raised"
        words = f"level {moved} by override from {_label(order, before)} to {_label(order, override.band)}"
    if override.agreed_by:
        when = f" on {override.agreed_on.isoformat()}" if override.agreed_on else ""
        words += f", agreed by {override.agreed_by}{when}"
    elif rank_before is not None and rank_after is not None and rank_after < rank_before:
        words += " (no second person recorded)"
    return words


def _final_cell(point: TrendPoint) -> str:
    o = point.overall
    if point.override is not None:
        moved = ""
        if o.escalated_band is not None and o.band is not None and o.escalated_band != o.band:
            moved = f" from {_band(o.escalated_band)}"
        return f"{_band(o.band)} (override{moved})"
    return _band(o.band)


def trend_terminal(trend: Trend) -> None:
    """Print a trend: the assessments, each series (sparkline on a terminal), then the flags."""
    trend = visible_data(trend)
    con = _console()
    con.print(Text(f"Trend for case {', '.join(trend.case_refs)}", style="bold"))
    con.print(_trend_heading(trend))
    tools = list(dict.fromkeys(f"{p.tool.id} {p.tool.version}" for p in trend.assessments))
    if len(tools) == 1:
        con.print(f"Tool: {tools[0]}")
    _warnings(con, trend.warnings)

    con.print()
    # No vertical rules here even on a terminal: seven columns must fit in 80.
    table = Table(box=box.SIMPLE_HEAD if con.is_terminal else box.ASCII2, show_edge=False, pad_edge=False)
    table.add_column("Date", no_wrap=True)
    table.add_column("Assessor", min_width=8)
    if len(tools) > 1:
        table.add_column("Tool")
    table.add_column("Computed", no_wrap=True)
    table.add_column("Final band")  # "(override)" goes to a second line rather than squeeze the assessor
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Coverage", justify="right", no_wrap=True)
    table.add_column("Escalations", justify="right", no_wrap=True)
    for point in trend.assessments:
        o = point.overall
        row = [str(point.assessed_on) + ("" if point.integrity_ok else " !"), point.assessor or "—"]
        if len(tools) > 1:
            row.append(f"{point.tool.id} {point.tool.version}")
        row += [
            _band(o.computed_band),
            _final_cell(point),
            _score(o.score),
            _pct(o.coverage) + (" !" if o.incomplete else ""),
            str(len(point.escalations)),
        ]
        table.add_row(*row)
    con.print(table)
    key = _band_key(trend.band_order, _trend_bands(trend))
    if key:
        con.print(Text(key, style="dim"))
    if not all(p.integrity_ok for p in trend.assessments):
        con.print(Text("! after a date: that record failed its checks (see the warning)", style="bold red"))
    if any(p.overall.incomplete for p in trend.assessments):
        con.print(Text("! after coverage: provisional — not enough known to rely on that level", style="bold red"))

    _heading(con, "Over time, oldest first")
    tty = con.is_terminal
    low, high = _range(trend)
    for s in trend.series:
        con.print(
            Text(s.title, style="bold")
            + Text("  ")
            + Text(DIRECTION_WORDS[s.direction], style=DIRECTION_STYLE[s.direction])
            + Text(" from first to last", style="dim")
        )
        scores = Text(_scores(s))
        if tty:
            scores = Text(sparkline(s.scores, low, high), style="cyan") + Text("  ") + scores
        _rows(con, [("scores", scores), ("bands", Text(_runs(s.bands)))])
    con.print(Text("The overall series shows the final band, after escalations and any override.", style="dim"))

    _heading(con, "Flags")
    lines = _flag_lines(trend)
    if not lines:
        con.print("No drift and delay, relapse, persistent escalation or late review flagged.")
    _rows(con, [(Text(label, style="bold red"), Text(sentence)) for label, sentence in lines], indent=0)
    if not trend.flags.drift_and_delay.flagged:
        con.print(Text(_no_drift_reason(trend), style="dim"))
    con.print()
    con.print(Text(DISCLAIMER, style="italic dim"))
    _finish(con)


def trend_markdown(trend: Trend) -> str:
    """The trend as CommonMark, for a supervision note."""
    from .markdown import md_escape

    trend = visible_data(trend)
    out = [
        f"# Trend for case {md_escape(', '.join(trend.case_refs))}",
        "",
        _trend_heading(trend) + ".",
        "",
    ]
    for message in trend.warnings:
        out += [f"> **Warning:** {md_escape(message)}", ""]
    out += [
        "| Assessed on | Assessor | Tool | Final band | Score | Coverage | Escalations |",
        "| --- | --- | --- | --- | ---: | ---: | ---: |",
    ]
    for p in trend.assessments:
        o = p.overall
        flag = "" if p.integrity_ok else " (failed its checks)"
        out.append(
            f"| {p.assessed_on}{flag} | {md_escape(p.assessor or '—')} | {md_escape(p.tool.version)} | "
            f"{md_escape(_final_cell(p))} | {_score(o.score)} | {_pct(o.coverage)}"
            f"{' (provisional)' if o.incomplete else ''} | {len(p.escalations)} |"
        )
    out += [
        "",
        "## Over time (oldest first)",
        "",
        "| Domain | Scores | Bands | First to last |",
        "| --- | --- | --- | --- |",
    ]
    for s in trend.series:
        out.append(
            f"| {md_escape(s.title)} | {_scores(s)} | {md_escape(_runs(s.bands))} | {DIRECTION_WORDS[s.direction]} |"
        )
    key = _band_key(trend.band_order, _trend_bands(trend))
    if key:
        out += ["", md_escape(key)]
    out += ["", "## Flags", ""]
    lines = _flag_lines(trend)
    out += [f"- **{label}:** {md_escape(sentence)}" for label, sentence in lines]
    if not lines:
        out.append("No drift and delay, relapse, persistent escalation or late review flagged.")
    if not trend.flags.drift_and_delay.flagged:
        out += ["", md_escape(_no_drift_reason(trend))]
    out += ["", f"*{DISCLAIMER}*", ""]
    return "\n".join(out)
