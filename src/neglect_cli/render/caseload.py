"""The caseload queue as plain text, Markdown or one printable HTML page."""

from __future__ import annotations

import html
from collections.abc import Callable

from ..caseload import Caseload, Entry
from ..text import screen_width, visible, wrap

DISCLAIMER = "This tool supports professional judgement; it does not replace it."


def _heading(caseload: Caseload, filters: str) -> str:
    count = caseload.children
    return f"Caseload as of {caseload.as_of}: {count} child{'ren' if count != 1 else ''}{filters}"


def _levels(caseload: Caseload) -> str:
    """The children by level of need, highest first (a lowered level awaiting sign-off counts at the higher)."""
    return "By level of need: " + (" · ".join(f"{label} {n}" for label, n in caseload.levels) or "none")


def _line(e: Entry) -> str:
    return f"{e.case_ref}  #{e.record_id} {e.assessed_on} {e.assessor or 'assessor not given'}: {e.why}"


def caseload_text(caseload: Caseload, filters: str = "", width: int | None = None) -> str:
    """Plain text, one block per section, each child's line wrapped under itself to `width` (the
    screen's, 80 when it cannot be told); empty sections say "none"."""
    width = width or screen_width()
    lines = [*wrap(_heading(caseload, filters), width), *wrap(_levels(caseload), width), ""]
    for section in caseload.sections:
        lines.extend(wrap(f"{section.title}: {len(section.entries)}", width))
        for e in section.entries:
            lines.extend(wrap(_line(e), width, "  ", "      "))
        if not section.entries:
            lines.append("  none")
        lines.append("")
    lines.extend(wrap(DISCLAIMER, width))
    return visible("\n".join(lines)) + "\n"  # what a record carries is shown, never obeyed


def caseload_markdown(caseload: Caseload, escape: Callable[[str], str], filters: str = "") -> str:
    lines = [f"# {escape(_heading(caseload, filters))}", "", escape(_levels(caseload)), ""]
    for section in caseload.sections:
        lines += [f"## {escape(section.title)} ({len(section.entries)})", ""]
        if not section.entries:
            lines += ["None.", ""]
            continue
        lines += ["| Case | Record | Assessed | Assessor | Why |", "| --- | ---: | --- | --- | --- |"]
        for e in section.entries:
            cells = [e.case_ref, f"#{e.record_id}", e.assessed_on, e.assessor or "", e.why]
            lines.append("| " + " | ".join(escape(c) for c in cells) + " |")
        lines.append("")
    lines += [f"*{DISCLAIMER}*", ""]
    return visible("\n".join(lines))


_CSS = """
body{font:11pt/1.4 system-ui,sans-serif;margin:2em;color:#111}
h1{font-size:16pt}h2{font-size:13pt;margin-top:1.5em;page-break-after:avoid}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #999;padding:3px 6px;text-align:left;vertical-align:top}
tr{page-break-inside:avoid}.none{color:#555}@page{size:A4;margin:15mm}
"""


def caseload_html(caseload: Caseload, filters: str = "") -> str:
    """One self-contained page (inline CSS, no scripts, fonts, images or links) to print for supervision."""
    e_ = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{e_(_heading(caseload, filters))}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e_(_heading(caseload, filters))}</h1>",
        f"<p>{e_(_levels(caseload))}</p>",
    ]
    for section in caseload.sections:
        parts.append(f"<h2>{e_(section.title)} ({len(section.entries)})</h2>")
        if not section.entries:
            parts.append('<p class="none">None.</p>')
            continue
        parts.append("<table><tr><th>Case</th><th>Record</th><th>Assessed</th><th>Assessor</th><th>Why</th></tr>")
        for e in section.entries:
            cells = [e.case_ref, f"#{e.record_id}", e.assessed_on, e.assessor or "", e.why]
            parts.append("<tr>" + "".join(f"<td>{e_(c)}</td>" for c in cells) + "</tr>")
        parts.append("</table>")
    parts += [f"<p><em>{e_(DISCLAIMER)}</em></p>", "</body></html>", ""]
    return visible("\n".join(parts))
