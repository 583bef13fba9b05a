"""Terminal output with rich: tool listings, tool details and the assessment summary.

Colour and box drawing only on a terminal (and never with NO_COLOR); piped
output is plain text, wrapped to COLUMNS (80 by default), that reads well in a
log, a pager or an email.
"""

from __future__ import annotations

import io
import sys
from typing import IO, TYPE_CHECKING, Any, cast

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..output import color_enabled
from ..text import screen_width, visible, visible_data, wrap
from . import SEVERITY_STYLE
from .view import (
    DISCLAIMER,
    NO_ESCALATION,
    REDACTED,
    BandView,
    ReportView,
    band_colour,
    build_view,
    percent,
    score_text,
    weeks,
)
from .worldview import print_blocks

if TYPE_CHECKING:
    from ..record import Record
    from ..toolfiles import ToolSource
    from .planview import PlanProgress, SignoffView
    from .view import ChronologySection

PANEL_BORDER = {"immediate": "bold red", "urgent": "red", "consult": "yellow", "info": "cyan"}
BAR_WIDTH = 20
# Plain output: a dashed line under table headers and nothing else.
PLAIN_BOX = box.Box("    \n    \n -- \n    \n    \n -- \n    \n    \n", ascii=True)


def _pipe_width() -> int:
    return screen_width()


class TrimmedLines:
    """A stream that drops the spaces rich pads lines with before they reach a pipe or a file."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.pending = ""

    def write(self, text: str) -> int:
        *done, self.pending = (self.pending + text).split("\n")
        if done:
            self.stream.write("".join(line.rstrip() + "\n" for line in done))
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.stream.write(self.pending)
            self.pending = ""
        self.stream.flush()

    def isatty(self) -> bool:
        return False


def console(stderr: bool = False) -> Console:
    """The console every screen prints to: colour and box drawing on a terminal, plain text wrapped to
    COLUMNS (80 by default) on a pipe, without trailing spaces."""
    stream = sys.stderr if stderr else sys.stdout
    tty = color_enabled(stream)
    return Console(
        file=stream if tty else cast("IO[str]", TrimmedLines(stream)),
        no_color=not tty,
        force_terminal=tty,
        highlight=False,
        width=None if tty else _pipe_width(),
        emoji=False,
        markup=False,
    )


def paragraph(con: Console, text: str, indent: int = 0, style: str = "", first: str | None = None) -> None:
    """Text wrapped to the console's width under a hanging indent (`first` starts the first line); a
    word longer than a line (a path) runs on rather than being cut."""
    lead = " " * indent if first is None else first
    for i, line in enumerate(wrap(visible(text), con.width, lead, " " * indent)):
        prefix = lead if i == 0 else " " * indent
        con.print(Text(prefix) + Text(line[len(prefix) :], style=style), no_wrap=True, overflow="ignore", crop=False)


def table_box(con: Console) -> box.Box:
    return box.ROUNDED if con.is_terminal else box.ASCII2


def band_style(index: int | None, count: int | None = None) -> str:
    """The rich style of a band label: the shared band colour as a badge (readable on light and dark)."""
    fill, ink = band_colour(index, count)
    return f"bold {ink} on {fill}"


def fmt_score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def list_box(con: Console) -> box.Box:
    """Tables that must fit 80 columns: a rule under the header and spaces between columns."""
    return box.SIMPLE_HEAD if con.is_terminal else PLAIN_BOX


def tools_table(rows: list[dict[str, Any]]) -> None:
    con = console()
    con.print(Text("Tools", style="bold"))
    table = Table(box=list_box(con), show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column("id", no_wrap=True)
    table.add_column("version", no_wrap=True)
    table.add_column("title", ratio=2, min_width=12)
    table.add_column("domains", ratio=1, min_width=10)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column("source", no_wrap=True)
    files: list[str] = []
    for row in visible_data(rows):  # a tool's path is whatever its file is called
        # a path is never broken across lines: each one is written whole under the table
        source = row["source"] if row["source"] == "shipped" else f"file {len(files) + 1}"
        if source != "shipped":
            files.append(f"file {len(files) + 1}: {row['source']}")
        table.add_row(row["id"], row["version"], row["title"], ", ".join(row["domains"]), str(row["items"]), source)
    con.print(table)
    for line in files:
        paragraph(con, line, indent=2)


SECTION_WORDS = {
    "seen": "whether the child was seen, and seen alone; the dates; what was observed of a child without words",
    "household": "each parent, carer or significant adult, by role and label (never a name)",
    "sources": "where each rating's evidence came from, and when",
    "strengths": "what is going well, and what keeps the child safe now",
    "capacity": "the carers' response to help and capacity to change",
    "identity": "optional identity facts, for monitoring only (never scored)",
}


def show_tool(source: ToolSource) -> None:
    """A whole tool for a tool author, wrapped to the screen: every line under its own heading."""
    from ..definition import asked_when, explain

    tool = source.tool
    con = console()
    con.print(Text(f"{tool.title}", style="bold"))
    paragraph(con, f"{tool.id} {tool.version}  ·  {source.path}")
    if tool.description:
        paragraph(con, " ".join(tool.description.split()))
    con.print()
    con.print(Text("Scale", style="bold"))
    for level in tool.scale.levels:
        words = level.label + (f" — {' '.join(level.description.split())}" if level.description else "")
        paragraph(con, words, 5, first=f"  {level.value}  ")
    if tool.scale.allow_not_known:
        paragraph(con, "Not known (a reason is recorded)", 5, first="  ?  ")
    if tool.context:
        con.print()
        con.print(Text("Case facts asked first", style="bold"))
        for fact in tool.context:
            extra = f" [{', '.join(fact.choices)}]" if fact.choices else ""
            need = ", required" if fact.required else ""
            if fact.ask_if is not None:
                need += f"; asked only when {asked_when(fact, tool)}"
            monitoring = " (for monitoring only: no rule may read it)" if fact.monitoring else ""
            question = " ".join(fact.question.split())
            paragraph(con, f"{fact.id} ({fact.type}{need}){extra}: {question}{monitoring}", 4, first="  ")
    if tool.sections:
        con.print()
        con.print(Text("The child's world, asked besides the items", style="bold"))
        for section in tool.sections:
            paragraph(con, f"{section}: {SECTION_WORDS[section]}", 4, first="  ")
    for domain in tool.domains:
        con.print()
        paragraph(con, f"{domain.title} ({domain.id})", style="bold underline" if con.is_terminal else "bold")
        if domain.description:
            paragraph(con, " ".join(domain.description.split()))
        if tool.asks("seen"):
            paragraph(con, f"The child's voice: {' '.join(domain.voice_question.split())}")
        for item in domain.items:
            con.print()
            meta = []
            if item.ages is not None:
                top = f"{item.ages.max_months}" if item.ages.max_months is not None else "…"
                meta.append(f"ages {item.ages.min_months}–{top} months")
            if item.weight != 1:
                meta.append(f"weight {item.weight:g}")
            if item.evidence_from is not None:
                meta.append(f"evidence from {item.evidence_from}")
            if item.may_not_apply:
                meta.append("may be answered 'does not apply'")
            paragraph(con, f"{item.name} ({item.id})", 4, "bold", first="  ")
            if meta:
                paragraph(con, "; ".join(meta), 4, "dim")
            paragraph(con, " ".join(item.prompt.split()), 4)
            if item.guidance:
                paragraph(con, "Guidance: " + " ".join(item.guidance.split()), 6, "dim", first="    ")
            for value, text in sorted((item.anchors or {}).items()):
                paragraph(con, " ".join(text.split()), 8, first=f"    {value} = ")
    con.print()
    paragraph(
        con,
        f"Scoring: domain {tool.scoring.domain}, overall {tool.scoring.overall}, "
        f"minimum coverage {tool.scoring.min_coverage:.0%}",
        style="bold",
    )
    con.print()
    con.print(Text("Levels of need", style="bold"))
    for i, band in enumerate(tool.bands):
        review = f"; review {weeks(band.review_weeks)}" if band.review_weeks else ""
        con.print(
            Text("  ")
            + Text(f"{band.label}", style=band_style(i, len(tool.bands)))
            + Text(f" (score up to {band.up_to:g}{review})")
        )
        if band.guidance:
            paragraph(con, " ".join(band.guidance.split()), 4)
    if tool.escalations:
        con.print()
        con.print(Text("Escalation rules", style="bold"))
        for rule in tool.escalations:
            paragraph(con, f"[{rule.severity}] {rule.title} ({rule.id})", 4, SEVERITY_STYLE[rule.severity], "  ")
            outline = explain(rule.when, tool)
            if len(outline) == 1:
                paragraph(con, f"When {outline[0][1]}.", 4)
            else:
                paragraph(con, f"When {outline[0][1]}", 4)
                for depth, line in outline[1:]:
                    at = 4 + 2 * depth
                    paragraph(con, line, at + 2, first=" " * at + "- ")
            if rule.minimum_band:
                paragraph(con, f"Raises the level to at least {tool.band(rule.minimum_band).label}.", 4)
            paragraph(con, " ".join(rule.prompt.split()), 4, "dim")
    if tool.reflection:
        con.print()
        con.print(Text("Reflection prompts for supervision", style="bold"))
        for prompt in tool.reflection:
            paragraph(con, " ".join(prompt.split()), 4, first="  • ")


def summary(
    record: Record,
    con: Console | None = None,
    *,
    source: ToolSource | None,
    redact: bool = False,
    integrity_problems: list[str] | None = None,
    signoff: SignoffView | None = None,
    chronology: ChronologySection | None = None,
    progress: PlanProgress | None = None,
) -> None:
    """Print the assessment summary. `source` is the record's tool (None when it is not available:
    band labels fall back to band ids)."""
    view = build_view(
        record,
        source,
        redact=redact,
        integrity_problems=integrity_problems,
        signoff=signoff,
        chronology=chronology,
        progress=progress,
    )
    if con is None and not color_enabled(sys.stdout):
        sys.stdout.write(summary_text(view, width=_pipe_width()))
        return
    print_summary(view, con or summary_console())


def summary_text(view: ReportView, width: int = 80) -> str:
    """The summary as plain text (no colour, no box drawing), for a file."""
    buffer = io.StringIO()
    con = Console(
        file=buffer, width=width, no_color=True, force_terminal=False, highlight=False, emoji=False, markup=False
    )
    print_summary(view, con)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def summary_console() -> Console:
    """The console the summary prints to (see `console`)."""
    return console()


def span(text: str, style: str) -> Text:
    """Styled text whose style stays its own when more text is appended (unlike `Text(style=)`)."""
    return Text.assemble((text, style))


def band_text(band: BandView | None, con: Console, missing: str = "not scored", *, pad: bool = True) -> Text:
    """A band as a coloured badge on a terminal; plain words otherwise (colour is never the only signal)."""
    if band is None:
        return Text(missing, style="dim")
    if con.is_terminal and band.index is not None:
        return span(f" {band.label} " if pad else band.label, band_style(band.index, band.count))
    return Text(band.label)


def bar(score: float | None, band: BandView | None, low: int, high: int, con: Console) -> Text:
    """A horizontal bar of the score on the scale's range, in the band's colour on a terminal."""
    if score is None:
        return Text("")
    width = BAR_WIDTH if con.width >= 110 else BAR_WIDTH // 2 if con.width >= 80 else BAR_WIDTH // 3
    share = (score - low) / (high - low) if high > low else 1.0
    filled = max(0, min(width, round(share * width)))
    if con.is_terminal:
        fill = band.fill if band else band_colour(None)[0]
        return Text.assemble(("█" * filled, fill), ("░" * (width - filled), "dim"))
    return Text("[" + "#" * filled + "." * (width - filled) + "]")


def print_summary(view: ReportView, con: Console) -> None:
    """Lay the report view out for a terminal (or plain text when `con` is not one)."""
    tty = con.is_terminal
    heading = "bold underline" if tty else "bold"

    def section(title: str) -> None:
        con.print()
        con.print(Text(title if tty else title.upper(), style=heading))

    for problem in view.integrity_problems:
        con.print(
            Text(f"WARNING: {problem}. Do not rely on this report until the record is checked.", style="bold red")
        )
    if view.integrity_problems:
        con.print()
    con.print(Text(f"Neglect assessment — case {view.case_ref}", style="bold"))
    by = f" by {view.assessor}" if view.assessor else ""
    tool = (
        f"{view.tool_title} ({view.tool_id} {view.tool_version})"
        if view.tool_found
        else (f"{view.tool_id} {view.tool_version} (tool not available here: bands shown by id)")
    )
    con.print(f"Assessed on {view.assessed_on}{by}, with {tool}")
    if view.supervisor:
        con.print(f"Supervisor: {view.supervisor}")
    if view.redacted:
        con.print(Text("Redacted: evidence, free text, the child's voice and rationales are removed.", style="dim"))

    section("Level of need")
    con.print(span(f"{view.level_title}: ", "bold red" if view.incomplete else "bold") + band_text(view.band, con))
    if view.override_words:
        con.print(span(view.override_words, "bold yellow" if tty else ""))
    for line in view.attention:
        con.print(span("To check: ", "bold yellow" if tty else "bold") + Text(line))
    rows = Table.grid(padding=(0, 2))
    rows.add_column(no_wrap=True)
    rows.add_column()
    rows.add_row("Computed from scores", band_text(view.computed_band, con) + Text(f"  {view.score_words}"))
    rows.add_row("After escalation rules", band_text(view.escalated_band, con))
    if view.override_band is not None:
        rows.add_row("Practitioner override", band_text(view.override_band, con))
    rows.add_row("Coverage", f"{percent(view.coverage)} ({view.answered} of {view.applicable} items answered)")
    if view.review:
        rows.add_row("Review", view.review)
    con.print(Padding(rows, (0, 0, 0, 2), expand=False))
    if view.incomplete:
        con.print()
        con.print(
            Text("PROVISIONAL — NOT ENOUGH KNOWN: " + view.provisional_words, style="bold red")
        )
        unknown = "; ".join(item.name for item in view.still_unknown)
        if unknown:
            con.print(span("Still not known: ", "bold") + Text(unknown))
    if view.override_band is not None:
        con.print()
        con.print(span("Why the practitioner overrode the level: ", "bold") + Text(view.override_rationale or ""))
    if view.band is not None and view.band.guidance:
        con.print()
        con.print(span("What this level means: ", "bold") + Text(view.band.guidance))

    section("Domains")
    if view.hardship_note:
        con.print(Text(view.hardship_note))
    table = Table(box=box.ROUNDED if tty else PLAIN_BOX, show_edge=tty, pad_edge=tty, expand=False)
    rows_out = [
        (
            Text(d.title),
            Text(score_text(d.score) + " ") + bar(d.score, d.band, *view.scale, con)
            if view.scale
            else Text(score_text(d.score)),
            band_text(d.band, con, pad=False),
            Text(
                d.coverage_text + ("\nincomplete" if d.incomplete else ""),
                style="bold red" if d.incomplete else "",
            ),
        )
        for d in view.domains
    ]
    headers = (
        "Domain",
        f"Score ({view.scale[0]}–{view.scale[1]})" if view.scale else "Score",
        "Band",
        "Coverage",
    )
    # Widths by hand: scores and coverage never wrap, a level of need stays on one line when it
    # can, and the domain title takes what is left (rich would squeeze the numbers instead).
    natural = [
        max([len(headers[i])] + [max(len(line) for line in row[i].plain.splitlines() or [""]) for row in rows_out])
        for i in range(len(headers))
    ]
    overhead = 3 * len(headers) + 1 if tty else 3 * len(headers) - 3
    room = con.width - overhead - natural[1] - natural[3]
    band_width = max(min(natural[2], room - 12), 10)
    table.add_column(headers[0], width=max(min(natural[0], room - band_width), 8))
    table.add_column(headers[1], no_wrap=True, width=natural[1])
    table.add_column(headers[2], width=band_width)
    table.add_column(headers[3], justify="right", no_wrap=True, width=natural[3])
    for row in rows_out:
        table.add_row(*row)
    con.print(table)

    section("Escalation prompts")
    if not view.escalations:
        con.print(Padding(Text(NO_ESCALATION), (0, 0, 0, 2), expand=False))
    else:
        for esc in view.escalations:
            body = span(esc.title + "\n", "bold") + Text(esc.prompt) if tty else Text(esc.prompt)
            if esc.because:
                body += span("\nBecause: " + "; ".join(esc.because), "dim" if tty else "")
            if esc.floor_words:
                body += Text("\n" + esc.floor_words)
            if tty:
                style = SEVERITY_STYLE.get(esc.severity, "")
                title = Text(f" {esc.severity_words.upper()} ", style=style)
                border = PANEL_BORDER.get(esc.severity, "")
                con.print(Panel(body, title=title, title_align="left", border_style=border))
            else:
                con.print()
                con.print(Text(f"[{esc.severity_words.upper()}] {esc.title}", style="bold"))
                con.print(Padding(body, (0, 0, 0, 2), expand=False))

    if view.child_voice or view.world_block("child_day") is None:
        section("The child's voice")
        if view.child_voice == REDACTED:
            con.print(Padding(Text(REDACTED), (0, 0, 0, 2), expand=False))
        elif view.child_voice:
            con.print(Padding(Text(f"“{view.child_voice.strip()}”", style="italic"), (0, 0, 0, 2), expand=False))
        else:
            con.print(
                Padding(
                    Text("Not recorded. Has the child been seen and heard on their own?"), (0, 0, 0, 2), expand=False
                )
            )
    print_blocks(view.world, con, section)

    from .planview import print_plan

    print_plan(view.plan, view.signoff, con, section)
    if view.chronology is not None:
        from .chronology import section_lines

        section("Chronology")
        for line in section_lines(view.chronology, con.width):
            con.print(Text(line), soft_wrap=True)
    if view.reflection:
        section("For supervision")
        bullets = Table.grid(padding=(0, 1))
        bullets.add_column(no_wrap=True)
        bullets.add_column()
        for prompt in view.reflection:
            bullets.add_row("•" if tty else "-", prompt)
        con.print(Padding(bullets, (0, 0, 0, 2), expand=False))
    con.print()
    con.print(Text(DISCLAIMER, style="italic"))
