"""Terminal output with rich: tool listings, tool details and the assessment summary.

Colour and box drawing only on a terminal (and never with NO_COLOR); piped
output is plain text that reads well in a log or an email.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..output import color_enabled

if TYPE_CHECKING:
    from ..loading import ToolSource
    from ..record import Record

DISCLAIMER = "This tool supports professional judgement; it does not replace it. Discuss the assessment in supervision."
SEVERITY_STYLE = {"immediate": "bold white on red", "urgent": "bold red", "consult": "yellow", "info": "cyan"}
BAND_STYLES = ("green", "yellow", "dark_orange", "red", "magenta", "bright_red")


def console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    tty = color_enabled(stream)
    return Console(
        file=stream,
        no_color=not tty,
        force_terminal=tty,
        highlight=False,
        width=None if tty else 100,
        emoji=False,
        soft_wrap=not tty,
    )


def table_box(con: Console) -> box.Box:
    return box.ROUNDED if con.is_terminal else box.ASCII2


def band_style(index: int | None) -> str:
    if index is None:
        return "dim"
    return BAND_STYLES[min(index, len(BAND_STYLES) - 1)]


def fmt_score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def tools_table(rows: list[dict[str, Any]]) -> None:
    con = console()
    table = Table(box=table_box(con), title="Tools")
    for column in ("id", "version", "title", "domains", "items", "source"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["id"], row["version"], row["title"], ", ".join(row["domains"]), str(row["items"]), row["source"]
        )
    con.print(table)


def show_tool(source: ToolSource) -> None:
    from ..definition import describe

    tool = source.tool
    con = console()
    con.print(Text(f"{tool.title}", style="bold"))
    con.print(f"{tool.id} {tool.version}  ·  {source.path}")
    if tool.description:
        con.print(tool.description.strip())
    con.print()
    con.print(Text("Scale", style="bold"))
    for level in tool.scale.levels:
        con.print(f"  {level.value}  {level.label}" + (f" — {level.description.strip()}" if level.description else ""))
    if tool.scale.allow_not_known:
        con.print("  ?  Not known (a reason is recorded)")
    if tool.context:
        con.print()
        con.print(Text("Case facts asked first", style="bold"))
        for fact in tool.context:
            extra = f" [{', '.join(fact.choices)}]" if fact.choices else ""
            need = ", required" if fact.required else ""
            con.print(f"  {fact.id} ({fact.type}{need}){extra}: {fact.question}")
    for domain in tool.domains:
        con.print()
        con.print(Text(f"{domain.title} ({domain.id})", style="bold underline"))
        if domain.description:
            con.print(domain.description.strip())
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
            con.print(Text(f"  {item.id}", style="bold") + Text(f"  {'; '.join(meta)}" if meta else "", style="dim"))
            con.print(f"    {item.prompt.strip()}")
            if item.guidance:
                con.print(Text(f"    Guidance: {item.guidance.strip()}", style="dim"))
            for value, text in sorted((item.anchors or {}).items()):
                con.print(f"    {value} = {text.strip()}")
    con.print()
    con.print(
        Text(
            f"Scoring: domain {tool.scoring.domain}, overall {tool.scoring.overall}, "
            f"minimum coverage {tool.scoring.min_coverage:.0%}",
            style="bold",
        )
    )
    con.print()
    con.print(Text("Levels of need", style="bold"))
    for i, band in enumerate(tool.bands):
        review = f"; review within {band.review_weeks} weeks" if band.review_weeks else ""
        con.print(Text(f"  {band.label}", style=band_style(i)) + Text(f" (score up to {band.up_to:g}{review})"))
        if band.guidance:
            con.print(f"    {band.guidance.strip()}")
    if tool.escalations:
        con.print()
        con.print(Text("Escalation rules", style="bold"))
        for rule in tool.escalations:
            raise_to = (
                f"; raises the level to at least {tool.band(rule.minimum_band).label}" if rule.minimum_band else ""
            )
            con.print(Text(f"  [{rule.severity}] {rule.title} ({rule.id})", style=SEVERITY_STYLE[rule.severity]))
            con.print(f"    when {describe(rule.when, tool)}{raise_to}")
            con.print(f"    {rule.prompt.strip()}")
    if tool.reflection:
        con.print()
        con.print(Text("Reflection prompts for supervision", style="bold"))
        for prompt in tool.reflection:
            con.print(f"  • {prompt.strip()}")


def summary(record: Record, con: Console | None = None) -> None:
    """The assessment summary: domain profile, overall band, escalations, reflection."""
    con = con or console()
    result = record.result
    band_order = _band_order(record)
    con.print(
        Text(
            f"Case {record.case.ref} — assessed {record.case.assessed_on.isoformat()} "
            f"with {record.tool.id} {record.tool.version}",
            style="bold",
        )
    )
    table = Table(box=table_box(con), show_edge=con.is_terminal)
    table.add_column("Domain")
    table.add_column("Score", justify="right")
    table.add_column("Band")
    table.add_column("Coverage", justify="right")
    for d in result.domains:
        flag = " (incomplete)" if d.incomplete else ""
        table.add_row(
            d.title,
            fmt_score(d.score),
            Text(d.band or "not scored", style=band_style(band_order.get(d.band or ""))),
            f"{d.coverage:.0%} ({d.answered}/{d.applicable}){flag}",
        )
    con.print(table)
    o = result.overall
    con.print(
        Text("Overall: ", style="bold")
        + Text(o.band or "not scored", style=band_style(band_order.get(o.band or "")) + " bold")
        + Text(
            f"   (score {fmt_score(o.score)}; computed {o.computed_band or '—'}, "
            f"after escalation {o.escalated_band or '—'}, coverage {o.coverage:.0%})"
        )
    )
    if o.incomplete:
        con.print(
            Text(
                "INCOMPLETE: too few items answered to rely on this result. Gather more information before deciding.",
                style="bold red",
            )
        )
    if result.override is not None:
        con.print(
            Text(
                f"Practitioner override: final band {result.override.band}. Rationale: {result.override.rationale}",
                style="bold",
            )
        )
    for esc in result.escalations:
        body = Text(esc.prompt.strip())
        if esc.because:
            body += Text("\nBecause: " + "; ".join(esc.because), style="dim")
        title = f"{esc.severity.upper()}: {esc.title}"
        if con.is_terminal:
            con.print(Panel(body, title=title, title_align="left", border_style=SEVERITY_STYLE[esc.severity]))
        else:
            con.print(title)
            con.print(body)
            con.print()
    if record.reflection:
        con.print(Text("For supervision:", style="bold"))
        for prompt in record.reflection:
            con.print(f"  • {prompt.strip()}")
    con.print(Text(DISCLAIMER, style="italic dim"))


def _band_order(record: Record) -> dict[str, int]:
    """Band ids in ascending order, as far as the record shows them (tool order when loadable)."""
    try:
        from ..loading import find_tool

        tool = find_tool(f"{record.tool.id}@{record.tool.version}").tool
        return {b.id: i for i, b in enumerate(tool.bands)}
    except Exception:  # noqa: BLE001 - colour is a nicety; an unknown tool only loses it
        return {}
