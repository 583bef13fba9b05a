"""The assessment as CommonMark (with a GFM-style table or two), to paste into a case note.

Every piece of text that comes from a record or a tool file goes through `md_escape`, so a note
that contains `*`, `<script>` or `| --- |` reads as the words that were written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..text import visible
from .view import DISCLAIMER, NO_ESCALATION, REDACTED, BandView, ChronologySection, ReportView, percent, score_text
from .worldview import blocks_markdown

if TYPE_CHECKING:
    from ..record import Record
    from ..toolfiles import ToolSource

# Characters that can start markup anywhere in a line (CommonMark + GFM tables and strikethrough).
_INLINE = re.compile(r"([\\`*\[\]<>|~#])")
# "_" only opens or closes emphasis at a word boundary; snake_case ids stay readable.
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# An entity or character reference (`&amp;`, `&#60;`) would be decoded.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What turns the start of a line into a list item, heading underline or block.
_LINE_START = re.compile(r"^([-+=])|^(\d+)([.)])")
BAR_CELLS = 10


def md_escape(text: str, *, line_start: bool = False) -> str:
    """User or tool text as inline Markdown that renders as exactly that text (on one line), with
    control characters and bidi overrides shown (`\\x1b`, `<U+202E>`) rather than written raw.

    `line_start`: the text begins a line, where `-`, `+`, `=` or `1.` would start a block.
    """
    text = " ".join(visible(text).split())
    if text == REDACTED:
        return text  # no link definitions are ever written, so "[redacted]" stays literal text
    text = _INLINE.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _ENTITY.sub(r"\\&", text)
    if line_start:
        text = _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)
    return text


def record_markdown(record: Record, source: ToolSource | None, *, redact: bool = False) -> str:
    """The Markdown report of a record (`source` None when its tool is not available here)."""
    from . import report_text

    return report_text(record, "md", source=source, redact=redact)


def _band(band: BandView | None, missing: str = "not scored") -> str:
    return md_escape(band.label) if band is not None else missing


def _bar(score: float | None, low: int, high: int) -> str:
    if score is None:
        return ""
    share = (score - low) / (high - low) if high > low else 1.0
    filled = max(0, min(BAR_CELLS, round(share * BAR_CELLS)))
    return "█" * filled + "░" * (BAR_CELLS - filled)


def view_markdown(view: ReportView) -> str:
    """Lay the report view out as Markdown."""
    out: list[str] = [f"# Neglect assessment — case {md_escape(view.case_ref)}", ""]
    for problem in view.integrity_problems:
        out += [
            f"> **Warning: {md_escape(problem)}.** Do not rely on this report until the record is checked.",
            "",
        ]
    tool = (
        f"{md_escape(view.tool_title)} ({md_escape(view.tool_id)} {md_escape(view.tool_version)})"
        if view.tool_title is not None
        else f"{md_escape(view.tool_id)} {md_escape(view.tool_version)} (not available here: bands shown by id)"
    )
    out.append(f"- **Assessed on:** {view.assessed_on}")
    if view.assessor:
        out.append(f"- **Assessor:** {md_escape(view.assessor)}")
    if view.supervisor:
        out.append(f"- **Supervisor:** {md_escape(view.supervisor)}")
    out.append(f"- **Tool:** {tool}")
    out.append(f"- **Record:** written {md_escape(view.created_at)}, sha256 {view.record_sha256[:16]}…")
    if view.redacted:
        out.append("- **Redacted:** evidence, free text, the child's voice and rationales are removed.")
    out += ["", f"*{DISCLAIMER}*", ""]

    out += ["## Level of need", "", f"**{view.level_title}: {_band(view.band)}**", ""]
    if view.override_words:
        out += [f"**{md_escape(view.override_words)}**", ""]
    for line in view.attention:  # one quote each: consecutive quoted lines would run into one paragraph
        out += [f"> **To check:** {md_escape(line)}", ""]
    out += ["| Step | Level |", "| --- | --- |"]
    out.append(f"| Computed from scores ({md_escape(view.score_words)}) | {_band(view.computed_band)} |")
    out.append(f"| After escalation rules | {_band(view.escalated_band)} |")
    if view.override_band is not None:
        out.append(f"| Practitioner override | {_band(view.override_band)} |")
    out.append("")
    line = f"Coverage: {percent(view.coverage)} ({view.answered} of {view.applicable} items answered)."
    if view.review:
        line += f" Review {view.review}."
    out += [line, ""]
    if view.incomplete:
        out += [
            "> **Provisional — not enough known:** " + md_escape(view.provisional_words),
            "",
        ]
        if view.still_unknown:
            out += ["**Still not known:** " + "; ".join(md_escape(item.name) for item in view.still_unknown), ""]
    if view.override_band is not None:
        out += [f"**Why the practitioner overrode the level:** {md_escape(view.override_rationale or '')}", ""]
    if view.band is not None and view.band.guidance:
        out += [f"**What this level means:** {md_escape(view.band.guidance)}", ""]

    out += ["## Domains", ""]
    if view.hardship_note:
        out += [md_escape(view.hardship_note), ""]
    scale = view.scale
    profile = f" Profile ({scale[0]}–{scale[1]}) |" if scale else ""
    out += [
        f"| Domain | Score |{profile} Band | Coverage |",
        "| --- | ---: |" + (" --- |" if scale else "") + " --- | ---: |",
    ]
    for d in view.domains:
        coverage = d.coverage_text + (" **incomplete**" if d.incomplete else "")
        bar = f" {_bar(d.score, *scale)} |" if scale else ""
        out.append(f"| {md_escape(d.title)} | {score_text(d.score)} |{bar} {_band(d.band)} | {coverage} |")
    out.append("")

    out += ["## Escalation prompts", ""]
    if not view.escalations:
        out += [NO_ESCALATION, ""]
    else:
        for e in view.escalations:
            out += [
                f"### {md_escape(e.severity_words)}: {md_escape(e.title)}",
                "",
                md_escape(e.prompt, line_start=True),
                "",
            ]
            if e.because:
                out.append("- Because: " + "; ".join(md_escape(b) for b in e.because))
            if e.floor_words:
                out.append(f"- {md_escape(e.floor_words)}")
            if e.because or e.minimum_band is not None:
                out.append("")

    out += _still_not_known(view)

    if view.child_voice or view.world_block("child_day") is None:
        out += ["## The child's voice", ""]
        if view.child_voice == REDACTED:
            out += [REDACTED, ""]
        elif view.child_voice:
            out += [f"> “{md_escape(view.child_voice)}”", ""]
        else:
            out += ["Not recorded. Has the child been seen and heard on their own?", ""]
    out += blocks_markdown(view.world, md_escape)

    if view.facts:
        out += ["## Case facts", "", "| Fact | Value |", "| --- | --- |"]
        out += [f"| {md_escape(f.label)} | {md_escape(f.value)} |" for f in view.facts]
        out.append("")

    out += ["## Answers", ""]
    for d in view.domains:
        items = view.items_in(d.id)
        if not items:
            continue
        out += [f"### {md_escape(d.title)}", ""]
        for item in items:
            if item.status == "not_applicable":
                continue
            out.append(f"- **{md_escape(item.name or item.id)}**: {md_escape(item.rating)}")
            if item.evidence:
                out.append(f"  - Evidence: {md_escape(item.evidence)}")
            if item.source:
                out.append(f"  - Source: {md_escape(item.source)}")
            if item.reason:
                why = "Why it does not apply" if item.status == "does_not_apply" else "Why not known"
                out.append(f"  - {why}: {md_escape(item.reason)}")
        skipped = [item.name or item.id for item in items if item.status == "not_applicable"]
        if skipped:
            out.append(f"- Not applicable at this age: {', '.join(md_escape(i) for i in skipped)}")
        out.append("")

    from .planview import plan_markdown

    out += plan_markdown(view.plan, view.signoff, md_escape)
    if view.chronology is not None:
        out += _chronology(view.chronology)
    if view.reflection:
        out += ["## For supervision", ""] + [f"- {md_escape(p)}" for p in view.reflection] + [""]
    out += ["---", "", f"*{DISCLAIMER}*", ""]
    return "\n".join(out)


def _chronology(section: ChronologySection) -> list[str]:
    """The child's chronology beside the report of a case in the store: the counts, then a table of the entries."""
    out = ["## Chronology", ""]
    out += [f"- {md_escape(line)}" for line in section.counts] + [""]
    out += [
        "| Date | Category | Source agency | Event | Impact on the child | Entry |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for e in section.entries:
        cells = [e.occurred_on, e.category_label, e.source_agency, e.event, e.impact, e.shown_id + e.notes]
        out.append("| " + " | ".join(md_escape(c).replace("|", "\\|") for c in cells) + " |")
    return [*out, ""]


def _still_not_known(view: ReportView) -> list[str]:
    """What is still to find out: items not known or not answered (with why), and case facts not known."""
    out = ["## Still not known", ""]
    if not view.still_unknown and not view.unknown_facts:
        return [*out, "Every item that applies is answered and every case fact is known.", ""]
    for item in view.still_unknown:
        why = md_escape(item.reason) if item.reason else "not answered"
        out.append(f"- **{md_escape(item.name or item.id)}**: {why}")
    if view.unknown_facts:
        out.append("- **Case facts not known:** " + "; ".join(md_escape(f.label) for f in view.unknown_facts))
    return [*out, ""]
