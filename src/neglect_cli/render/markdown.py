"""The assessment as CommonMark, to paste into a case note."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..record import Record

DISCLAIMER = "This tool supports professional judgement; it does not replace it. Discuss the assessment in supervision."
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|])")


def md_escape(text: str) -> str:
    """Escape Markdown punctuation so user text renders as text."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def record_markdown(record: Record) -> str:
    r = record.result
    o = r.overall
    out = [
        f"# Neglect assessment — case {md_escape(record.case.ref)}",
        "",
        f"- Assessed on: {record.case.assessed_on.isoformat()}",
        f"- Tool: {md_escape(record.tool.id)} {md_escape(record.tool.version)}",
    ]
    if record.case.assessor:
        out.append(f"- Assessor: {md_escape(record.case.assessor)}")
    out += [
        "",
        "## Level of need",
        "",
        f"**Final band: {md_escape(o.band or 'not scored')}** (score {_score(o.score)}; computed "
        f"{md_escape(o.computed_band or '—')}, after escalation {md_escape(o.escalated_band or '—')}; "
        f"coverage {o.coverage:.0%})",
        "",
    ]
    if o.incomplete:
        out += ["> **Incomplete:** too few items were answered to rely on this result.", ""]
    if r.override is not None:
        out += [f"Practitioner override to **{md_escape(r.override.band)}**: {md_escape(r.override.rationale)}", ""]
    out += ["## Domains", "", "| Domain | Score | Band | Coverage |", "| --- | ---: | --- | ---: |"]
    for d in r.domains:
        out.append(f"| {md_escape(d.title)} | {_score(d.score)} | {md_escape(d.band or '—')} | {d.coverage:.0%} |")
    out.append("")
    if r.escalations:
        out += ["## Escalations", ""]
        for e in r.escalations:
            out += [f"### {e.severity.upper()}: {md_escape(e.title)}", "", md_escape(e.prompt), ""]
            if e.because:
                out += ["Because: " + "; ".join(md_escape(b) for b in e.because), ""]
    if record.reflection:
        out += ["## For supervision", ""] + [f"- {md_escape(p)}" for p in record.reflection] + [""]
    out += [f"*{DISCLAIMER}*", ""]
    return "\n".join(out)
