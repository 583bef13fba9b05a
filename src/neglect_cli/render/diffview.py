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
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..diffing import Diff
from ..output import color_enabled
from ..trending import Trend
from . import SEVERITY_STYLE
from .changes import (
    ARROW,
    EVENTS_HEADING,
    NEEDS_LABEL,
    NO_FLAGS,
    NOTHING_CHANGED,
    NOTHING_EITHER_SIDE,
    SERIES_HEADING,
    SERIES_NOTE,
    PlansView,
    diff_view,
    trend_view,
)

if TYPE_CHECKING:
    from ..chronology import Entry

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


def _plans(con: Console, plans: PlansView | None) -> None:
    """Plan drift as of a date, one hanging line each."""
    if plans is not None:
        _heading(con, plans.heading)
        _rows(con, [("-", line) for line in plans.lines])


def _plans_markdown(plans: PlansView | None) -> list[str]:
    from .markdown import md_escape

    if plans is None:
        return []
    return [f"## {plans.heading}", "", *(f"- {md_escape(line)}" for line in plans.lines), ""]


def diff_terminal(diff: Diff, *, show_all: bool = False, plans: PlansView | None = None) -> None:
    """Print a diff for a supervisor: header, warnings, level of need, drift, domains, escalations, items,
    and what drifts in the plans."""
    view = diff_view(diff, show_all=show_all, plans=plans)
    con = _console()
    con.print(Text(f"Case {view.ref}: {view.old_date} {ARROW} {view.new_date}, {view.apart} apart", style="bold"))
    _rows(
        con,
        [
            (Text(side.label, style="bold"), side.assessed_on, Text(f"{side.assessor} · {side.tool} · {side.file}"))
            for side in view.sides
        ],
    )
    _warnings(con, view.warnings)

    con.print()
    con.print(
        Text.assemble(
            ("Level of need: ", "bold"),
            (view.direction_words.upper(), DIRECTION_STYLE[view.direction]),
            (f"  {view.final}", "bold"),
        )
    )
    facts: list[tuple[Text | str, ...]] = [(what.lower(), text) for what, text in view.level]
    if view.provisional:
        facts.append((Text("PROVISIONAL", style="bold red"), Text(view.provisional, style="bold red")))
    _rows(con, facts)

    if view.drift is not None:
        con.print()
        _rows(con, [(Text("DRIFT", style="bold red"), Text(view.drift))], indent=0)
    elif view.drift_note:
        con.print(Text(view.drift_note, style="dim"))

    _heading(con, "Domains")
    table = Table(box=table_box(con), show_edge=con.is_terminal, pad_edge=con.is_terminal)
    table.add_column("Domain", ratio=1)
    table.add_column("Score", no_wrap=True)
    table.add_column("Change", justify="right", no_wrap=True)
    table.add_column("Band", no_wrap=True)
    table.add_column("Direction", no_wrap=True)
    for d in view.domains:
        table.add_row(d.title, d.scores, d.delta, d.bands, Text(d.direction_words, style=DIRECTION_STYLE[d.direction]))
    con.print(table)
    if view.domains_key:
        con.print(Text(view.domains_key, style="dim"))

    _heading(con, "Escalations")
    if not view.escalations:
        con.print(f"  {NOTHING_EITHER_SIDE}")
    _rows(
        con,
        [
            (
                Text(e.kind, style="bold red" if e.kind == "appeared" else "green" if e.kind == "cleared" else ""),
                Text(e.severity, style=SEVERITY_STYLE.get(e.severity.lower(), "")),
                Text(e.prompt),
            )
            for e in view.escalations
        ],
    )

    _heading(con, "Practitioner overrides")
    if not view.overrides:
        con.print(f"  {NOTHING_EITHER_SIDE}")
    _rows(
        con,
        [(Text(o.label, style="bold"), Text(f"{o.words}. Rationale: {o.rationale}")) for o in view.overrides],
    )

    if view.context:
        _heading(con, "Case facts that changed")
        _rows(con, [(fact.what, f"{fact.old} {ARROW} {fact.new}") for fact in view.context])

    _heading(con, "Items")
    con.print(view.items_summary + (view.items_hint or ""))
    # One line per item (its rating old → new), then each side's note at the full width under it:
    # side-by-side columns of evidence made a diff of 16 items some 180 lines long at 80 columns.
    for item in view.items:
        _rows(
            con,
            [
                (
                    Text(item.name, style="bold"),
                    Text.assemble(
                        (item.change, DIRECTION_STYLE[item.direction]),
                        f": {_pair(item.old_rating, item.new_rating)}",
                    ),
                )
            ],
            indent=0,
        )
        notes = [
            (Text(label, style="bold"), Text(note))
            for label, note in (("OLD", item.old_note), ("NEW", item.new_note))
            if note
        ]
        _rows(con, notes)
    for line in view.item_lines:
        con.print(line)
    if view.not_comparable:
        _rows(con, [("-", reason) for reason in view.not_comparable])

    if view.world:
        _heading(con, "The child's world")
        _rows(con, [(Text(c.section, style="bold"), f"{c.what}: {c.old} {ARROW} {c.new}") for c in view.world])

    if view.voice is not None:
        _heading(con, "The child's voice")
        _rows(con, [(Text("OLD", style="bold"), view.voice[0]), (Text("NEW", style="bold"), view.voice[1])])

    _plans(con, view.plans)

    con.print()
    if view.nothing_changed:
        con.print(Text(NOTHING_CHANGED, style="bold"))
    con.print(Text(view.disclaimer, style="italic dim"))
    _finish(con)


def _pair(old: str, new: str) -> str:
    return old if old == new else f"{old} {ARROW} {new}"


# --- diff, markdown -----------------------------------------------------------------------------


def diff_markdown(diff: Diff, *, show_all: bool = False, plans: PlansView | None = None) -> str:
    """The diff as CommonMark, for a supervision note, with what drifts in the plans."""
    from .markdown import md_escape  # here, not at the top: the terminal diff need not load the report view

    view = diff_view(diff, show_all=show_all, plans=plans)
    out = [
        f"# Changes for case {md_escape(view.ref)}: {view.old_date} to {view.new_date}",
        "",
        f"{view.apart} apart.",
        "",
        "| | Assessed on | Assessor | Tool | File |",
        "| --- | --- | --- | --- | --- |",
    ]
    for side in view.sides:
        out.append(
            f"| {side.label} | {side.assessed_on} | {md_escape(side.assessor)} | "
            f"{md_escape(side.tool)} | {md_escape(side.file)} |"
        )
    out.append("")
    for message in view.warnings:
        out += [f"> **Warning:** {md_escape(message)}", ""]
    out += ["## Level of need", "", f"**{view.direction_words.capitalize()}: {md_escape(view.final)}**", ""]
    out += [f"- {what}: {md_escape(text)}" for what, text in view.level]
    out.append("")
    if view.provisional:
        out += [f"> **Provisional:** {md_escape(view.provisional)}", ""]
    if view.drift is not None:
        out += [f"> **Drift:** {md_escape(view.drift)}", ""]
    elif view.drift_note:
        out += [f"*{md_escape(view.drift_note)}*", ""]
    out += [
        "## Domains",
        "",
        "| Domain | Score | Change | Band | Direction |",
        "| --- | --- | ---: | --- | --- |",
    ]
    out += [
        f"| {md_escape(d.title)} | {d.scores} | {d.delta} | {md_escape(d.bands)} | {d.direction_words} |"
        for d in view.domains
    ]
    if view.domains_key:
        out += ["", md_escape(view.domains_key)]
    out += ["", "## Escalations", ""]
    out += [f"- {e.kind}: {e.severity} {md_escape(e.prompt)}" for e in view.escalations]
    if not view.escalations:
        out.append(NOTHING_EITHER_SIDE)
    out += ["", "## Practitioner overrides", ""]
    if not view.overrides:
        out.append(NOTHING_EITHER_SIDE)
    out += [f"- {o.label}: **{md_escape(o.words)}**. Rationale: {md_escape(o.rationale)}" for o in view.overrides]
    out.append("")
    if view.context:
        out += ["## Case facts that changed", ""]
        out += [f"- {md_escape(f.what)}: {md_escape(f.old)} {ARROW} {md_escape(f.new)}" for f in view.context]
        out.append("")
    out += ["## Items", "", md_escape(view.items_summary) + ".", ""]
    if view.items:
        out += [f"| Item | Change | OLD {view.old_date} | NEW {view.new_date} |", "| --- | --- | --- | --- |"]
        for item in view.items:
            cells = [
                f"**{md_escape(rating)}**" + (f" — {md_escape(note)}" if note else "")
                for rating, note in ((item.old_rating, item.old_note), (item.new_rating, item.new_note))
            ]
            out.append(f"| {md_escape(item.name)} | {md_escape(item.change)} | {cells[0]} | {cells[1]} |")
        out.append("")
    for line in view.item_lines:
        out += [md_escape(line), ""]
    if view.not_comparable:
        out += [*(f"- {md_escape(reason)}" for reason in view.not_comparable), ""]
    if view.world:
        out += ["## The child's world", ""]
        out += [
            f"- {md_escape(c.section)}, {md_escape(c.what)}: {md_escape(c.old)} {ARROW} {md_escape(c.new)}"
            for c in view.world
        ]
        out.append("")
    if view.voice is not None:
        old, new = view.voice
        out += ["## The child's voice", "", f"- OLD: {md_escape(old)}", f"- NEW: {md_escape(new)}", ""]
    out += _plans_markdown(view.plans)
    if view.nothing_changed:
        out += [f"**{NOTHING_CHANGED}**", ""]
    out += [f"*{view.disclaimer}*", ""]
    return "\n".join(out)


# --- trend ----------------------------------------------------------------------------------------


def trend_terminal(trend: Trend, events: Sequence[Entry] | None = None, plans: PlansView | None = None) -> None:
    """Print a trend: the assessments, each series (sparkline on a terminal), the flags, the chronology's key
    events (a case in the store), then what drifts in the plans."""
    view = trend_view(trend, events, plans=plans)
    con = _console()
    con.print(Text(f"Trend for case {view.ref}", style="bold"))
    con.print(view.heading)
    if view.tool:
        con.print(f"Tool: {view.tool}")
    _warnings(con, view.warnings)

    con.print()
    # No vertical rules here even on a terminal: seven columns must fit in 80.
    table = Table(box=box.SIMPLE_HEAD if con.is_terminal else box.ASCII2, show_edge=False, pad_edge=False)
    table.add_column("Date", no_wrap=True)
    # Records of more than one tool or version: each row names its tool under the assessor (a column of its
    # own would push the last one past 80 columns and cut it off).
    table.add_column("Assessor" if view.tool else "Assessor, tool", min_width=8, overflow="fold")
    table.add_column("Computed", no_wrap=True)
    table.add_column("Final band")  # "(override)" goes to a second line rather than squeeze the assessor
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Coverage", justify="right", no_wrap=True)
    table.add_column("Escalations", justify="right", no_wrap=True)
    for a in view.assessments:
        who = a.assessor if view.tool else f"{a.assessor}\n{a.tool}"
        row = [a.assessed_on + (" !" if a.checks_failed else ""), who]
        row += [a.computed, a.final, a.score, a.coverage + (" !" if a.provisional else ""), a.escalations]
        table.add_row(*row)
    con.print(table)
    if view.bands_key:
        con.print(Text(view.bands_key, style="dim"))
    if any(a.checks_failed for a in view.assessments):
        con.print(Text("! after a date: that record failed its checks (see the warning)", style="bold red"))
    if any(a.provisional for a in view.assessments):
        con.print(Text("! after coverage: provisional — not enough known to rely on that level", style="bold red"))

    _heading(con, SERIES_HEADING)
    for s in view.series:
        con.print(
            Text(s.title, style="bold")
            + Text("  ")
            + Text(s.direction_words, style=DIRECTION_STYLE[s.direction])
            + Text(" from first to last", style="dim")
        )
        scores = Text(s.scores)
        if con.is_terminal:
            scores = Text(s.spark, style="cyan") + Text("  ") + scores
        _rows(con, [("scores", scores), ("bands", Text(s.bands))])
    con.print(Text(SERIES_NOTE, style="dim"))
    con.print()
    con.print(Text(f"{NEEDS_LABEL}: ", style="bold") + Text(view.needs))

    _heading(con, "Flags")
    if not view.flags:
        con.print(NO_FLAGS)
    _rows(con, [(Text(label, style="bold red"), Text(sentence)) for label, sentence in view.flags], indent=0)
    if view.no_drift:
        con.print(Text(view.no_drift, style="dim"))
    if view.events is not None:
        _heading(con, EVENTS_HEADING)
        if not view.events:
            con.print("None recorded: `neglect chronology add` adds them.")
        _rows(
            con,
            [(e.occurred_on, Text(f"{e.category_label} · {e.source_agency}: {e.event}")) for e in view.events],
            indent=0,
        )
    _plans(con, view.plans)
    con.print()
    con.print(Text(view.disclaimer, style="italic dim"))
    _finish(con)


def trend_markdown(trend: Trend, events: Sequence[Entry] | None = None, plans: PlansView | None = None) -> str:
    """The trend as CommonMark, for a supervision note (with the chronology's key events for a case in the store,
    and what drifts in the plans)."""
    from .markdown import md_escape

    view = trend_view(trend, events, plans=plans)
    out = [f"# Trend for case {md_escape(view.ref)}", "", view.heading + ".", ""]
    if view.tool:
        out += [f"Tool: {md_escape(view.tool)}", ""]
    for message in view.warnings:
        out += [f"> **Warning:** {md_escape(message)}", ""]
    tool = "" if view.tool else " Tool |"
    out += [
        f"| Assessed on | Assessor |{tool} Computed | Final band | Score | Coverage | Escalations |",
        f"| --- | --- |{'' if view.tool else ' --- |'} --- | --- | ---: | ---: | ---: |",
    ]
    for a in view.assessments:
        flag = " (failed its checks)" if a.checks_failed else ""
        tool = "" if view.tool else f" {md_escape(a.tool)} |"
        out.append(
            f"| {a.assessed_on}{flag} | {md_escape(a.assessor)} |{tool} {md_escape(a.computed)} | "
            f"{md_escape(a.final)} | {a.score} | {a.coverage}{' (provisional)' if a.provisional else ''} | "
            f"{a.escalations} |"
        )
    if view.bands_key:
        out += ["", md_escape(view.bands_key)]
    out += [
        "",
        f"## {SERIES_HEADING}",
        "",
        "| Domain | Scores | Bands | First to last |",
        "| --- | --- | --- | --- |",
    ]
    out += [f"| {md_escape(s.title)} | {s.scores} | {md_escape(s.bands)} | {s.direction_words} |" for s in view.series]
    out += ["", SERIES_NOTE, "", f"**{NEEDS_LABEL}:** {md_escape(view.needs)}", "", "## Flags", ""]
    out += [f"- **{label}:** {md_escape(sentence)}" for label, sentence in view.flags]
    if not view.flags:
        out.append(NO_FLAGS)
    if view.no_drift:
        out += ["", md_escape(view.no_drift)]
    if view.events is not None:
        out += ["", f"## {EVENTS_HEADING}", ""]
        if not view.events:
            out.append("None recorded: `neglect chronology add` adds them.")
        else:
            out += ["| Date | Category | Source agency | Event |", "| --- | --- | --- | --- |"]
            for e in view.events:
                cells = [e.occurred_on, e.category_label, e.source_agency, e.event]
                out.append("| " + " | ".join(md_escape(c).replace("|", "\\|") for c in cells) + " |")
    if view.plans is not None:
        out += ["", *_plans_markdown(view.plans)[:-1]]
    out += ["", f"*{view.disclaimer}*", ""]
    return "\n".join(out)
