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

from ..diffing import AnswerSide, Diff
from ..output import color_enabled
from ..text import visible_data
from ..trending import Trend
from . import SEVERITY_STYLE
from .changes import (
    ARROW,
    DIRECTION_WORDS,
    DISCLAIMER,
    NO_NOTE,
    band_id_text,
    band_key,
    band_label,
    band_runs,
    days_text,
    delta_text,
    escalation_lines,
    fact_text,
    final_cell,
    flag_lines,
    item_change_words,
    item_direction,
    items_summary,
    no_drift_reason,
    note_text,
    override_words,
    pair,
    pct_text,
    quoted,
    raised_by,
    rating_range,
    rating_text,
    score_text,
    series_scores,
    shown_items,
    sparkline,
    trend_bands,
    trend_heading,
    world_value,
)

DIRECTION_STYLE = {
    "improved": "bold green",
    "unchanged": "bold yellow",
    "worsened": "bold red",
    "not_comparable": "dim",
}


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


def _heading(con: Console, text: str) -> None:
    con.print()
    con.print(Text(text, style="bold underline"))


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
        Text(
            f"Case {ref}: {old.assessed_on} {ARROW} {new.assessed_on}, {days_text(diff.days_elapsed)} apart",
            style="bold",
        )
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
    labels = pair(band_label(order, o.band.old), band_label(order, o.band.new))
    con.print(
        Text.assemble(
            ("Level of need: ", "bold"),
            (DIRECTION_WORDS[o.direction].upper(), DIRECTION_STYLE[o.direction]),
            (f"  {labels}", "bold"),
        )
    )
    facts: list[tuple[Text | str, ...]] = [
        ("final band", pair(band_label(order, o.band.old), band_label(order, o.band.new)))
    ]
    if o.computed_band != o.band or o.escalated_band != o.band:
        facts.append(("computed", pair(band_label(order, o.computed_band.old), band_label(order, o.computed_band.new))))
        raised = raised_by(diff)
        facts.append(
            (
                "after escalation",
                pair(band_label(order, o.escalated_band.old), band_label(order, o.escalated_band.new))
                + (f" (raised by {', '.join(raised)})" if raised else ""),
            )
        )
    facts.append(
        ("score", f"{score_text(o.score.old)} {ARROW} {score_text(o.score.new)} ({delta_text(o.score.delta)})")
    )
    facts.append(("coverage", f"{pct_text(o.coverage.old)} {ARROW} {pct_text(o.coverage.new)}"))
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
            f"{score_text(d.score.old)} {ARROW} {score_text(d.score.new)}",
            delta_text(d.score.delta),
            pair(band_id_text(d.band.old), band_id_text(d.band.new)),
            Text(DIRECTION_WORDS[d.direction], style=DIRECTION_STYLE[d.direction]),
        )
    con.print(table)
    key = band_key(order, [band for d in diff.domains for band in (d.band.old, d.band.new)])
    if key:
        con.print(Text(key, style="dim"))

    _heading(con, "Escalations")
    lines = list(escalation_lines(diff))
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
                Text(f"{override_words(order, override, before)}. Rationale: {override.rationale}"),
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
        _rows(con, [(fact.id, f"{fact_text(fact.old)} {ARROW} {fact_text(fact.new)}") for fact in diff.context])

    _heading(con, "Items")
    con.print(items_summary(diff, show_all))
    # One line per item (its rating old → new), then each side's note at the full width under it:
    # side-by-side columns of evidence made a diff of 16 items some 180 lines long at 80 columns.
    for item in shown_items(diff, show_all):
        direction = item_direction(item)
        _rows(
            con,
            [
                (
                    Text.assemble((item.item, "bold"), (f" (was {item.was})" if item.was else "", "")),
                    Text.assemble(
                        (item_change_words(item), DIRECTION_STYLE[direction]),
                        f": {pair(rating_text(item.old), rating_text(item.new))}",
                    ),
                )
            ],
            indent=0,
        )
        notes = [
            (Text(label, style="bold"), Text(note))
            for label, side, other in (("OLD", item.old, item.new), ("NEW", item.new, item.old))
            if (note := note_text(side, other)) and note != NO_NOTE
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
                    f"{change.what}: {world_value(change.old)} {ARROW} {world_value(change.new)}",
                )
                for change in diff.world
            ],
        )

    if diff.child_voice.changed or show_all:
        _heading(con, "The child's voice")
        _rows(
            con,
            [
                (Text("OLD", style="bold"), quoted(diff.child_voice.old)),
                (Text("NEW", style="bold"), quoted(diff.child_voice.new)),
            ],
        )

    con.print()
    if not diff.changed:
        con.print(Text("Nothing in the assessment changed between these records.", style="bold"))
    con.print(Text(DISCLAIMER, style="italic dim"))
    _finish(con)


def _cell(side: AnswerSide | None, other: AnswerSide | None) -> Text:
    text = Text(rating_text(side), style="bold")
    note = note_text(side, other)
    if note:
        text += Text("\n" + note)
    return text


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
        f"{days_text(diff.days_elapsed)} apart.",
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
        f"{md_escape(pair(band_label(order, o.band.old), band_label(order, o.band.new)))}**",
        "",
        f"- Final band: {md_escape(pair(band_label(order, o.band.old), band_label(order, o.band.new)))}",
        f"- Computed: "
        f"{md_escape(pair(band_label(order, o.computed_band.old), band_label(order, o.computed_band.new)))}",
        f"- After escalation: "
        f"{md_escape(pair(band_label(order, o.escalated_band.old), band_label(order, o.escalated_band.new)))}",
        f"- Score: {score_text(o.score.old)} {ARROW} {score_text(o.score.new)} ({delta_text(o.score.delta)})",
        f"- Coverage: {pct_text(o.coverage.old)} {ARROW} {pct_text(o.coverage.new)}",
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
            f"| {md_escape(d.title)} | {score_text(d.score.old)} {ARROW} {score_text(d.score.new)} | "
            f"{delta_text(d.score.delta)} | "
            f"{md_escape(pair(band_id_text(d.band.old), band_id_text(d.band.new)))} | {DIRECTION_WORDS[d.direction]} |"
        )
    key = band_key(order, [band for d in diff.domains for band in (d.band.old, d.band.new)])
    if key:
        out += ["", md_escape(key)]
    out += ["", "## Escalations", ""]
    lines = list(escalation_lines(diff))
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
            words = md_escape(override_words(order, override, before))
            out.append(f"- {label}: **{words}**. {md_escape(override.rationale)}")
    out.append("")
    if diff.context:
        out += ["## Case facts that changed", ""]
        out += [
            f"- {md_escape(f.id)}: {md_escape(fact_text(f.old))} {ARROW} {md_escape(fact_text(f.new))}"
            for f in diff.context
        ]
        out.append("")
    out += ["## Items", "", md_escape(items_summary(diff, show_all, hint=False)) + ".", ""]
    shown = shown_items(diff, show_all)
    if shown:
        out += [f"| Item | Change | OLD {old.assessed_on} | NEW {new.assessed_on} |", "| --- | --- | --- | --- |"]
        for item in shown:
            cells = []
            for answer, other in ((item.old, item.new), (item.new, item.old)):
                note = note_text(answer, other)
                cells.append(f"**{md_escape(rating_text(answer))}**" + (f" — {md_escape(note)}" if note else ""))
            name = md_escape(item.item) + (f" (was {md_escape(item.was)})" if item.was else "")
            out.append(f"| {name} | {md_escape(item_change_words(item))} | {cells[0]} | {cells[1]} |")
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
            f"- {md_escape(c.section)}, {md_escape(c.what)}: {md_escape(world_value(c.old))} {ARROW} "
            f"{md_escape(world_value(c.new))}"
            for c in diff.world
        ]
        out.append("")
    if diff.child_voice.changed or show_all:
        out += [
            "## The child's voice",
            "",
            f"- OLD: {md_escape(quoted(diff.child_voice.old))}",
            f"- NEW: {md_escape(quoted(diff.child_voice.new))}",
            "",
        ]
    out += [f"*{DISCLAIMER}*", ""]
    return "\n".join(out)


# --- trend ----------------------------------------------------------------------------------------


def trend_terminal(trend: Trend) -> None:
    """Print a trend: the assessments, each series (sparkline on a terminal), then the flags."""
    trend = visible_data(trend)
    con = _console()
    con.print(Text(f"Trend for case {', '.join(trend.case_refs)}", style="bold"))
    con.print(trend_heading(trend))
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
            band_id_text(o.computed_band),
            final_cell(point),
            score_text(o.score),
            pct_text(o.coverage) + (" !" if o.incomplete else ""),
            str(len(point.escalations)),
        ]
        table.add_row(*row)
    con.print(table)
    key = band_key(trend.band_order, trend_bands(trend))
    if key:
        con.print(Text(key, style="dim"))
    if not all(p.integrity_ok for p in trend.assessments):
        con.print(Text("! after a date: that record failed its checks (see the warning)", style="bold red"))
    if any(p.overall.incomplete for p in trend.assessments):
        con.print(Text("! after coverage: provisional — not enough known to rely on that level", style="bold red"))

    _heading(con, "Over time, oldest first")
    tty = con.is_terminal
    low, high = rating_range(trend)
    for s in trend.series:
        con.print(
            Text(s.title, style="bold")
            + Text("  ")
            + Text(DIRECTION_WORDS[s.direction], style=DIRECTION_STYLE[s.direction])
            + Text(" from first to last", style="dim")
        )
        scores = Text(series_scores(s))
        if tty:
            scores = Text(sparkline(s.scores, low, high), style="cyan") + Text("  ") + scores
        _rows(con, [("scores", scores), ("bands", Text(band_runs(s.bands)))])
    con.print(Text("The overall series shows the final band, after escalations and any override.", style="dim"))

    _heading(con, "Flags")
    lines = flag_lines(trend)
    if not lines:
        con.print("No drift and delay, relapse, persistent escalation or late review flagged.")
    _rows(con, [(Text(label, style="bold red"), Text(sentence)) for label, sentence in lines], indent=0)
    if not trend.flags.drift_and_delay.flagged:
        con.print(Text(no_drift_reason(trend), style="dim"))
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
        trend_heading(trend) + ".",
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
            f"{md_escape(final_cell(p))} | {score_text(o.score)} | {pct_text(o.coverage)}"
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
            f"| {md_escape(s.title)} | {series_scores(s)} | {md_escape(band_runs(s.bands))} | "
            f"{DIRECTION_WORDS[s.direction]} |"
        )
    key = band_key(trend.band_order, trend_bands(trend))
    if key:
        out += ["", md_escape(key)]
    out += ["", "## Flags", ""]
    lines = flag_lines(trend)
    out += [f"- **{label}:** {md_escape(sentence)}" for label, sentence in lines]
    if not lines:
        out.append("No drift and delay, relapse, persistent escalation or late review flagged.")
    if not trend.flags.drift_and_delay.flagged:
        out += ["", md_escape(no_drift_reason(trend))]
    out += ["", f"*{DISCLAIMER}*", ""]
    return "\n".join(out)
