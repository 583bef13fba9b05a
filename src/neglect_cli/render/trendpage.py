"""The trend as one printable HTML page: levels over time and the child's chronology on one timeline,
then the assessments, each domain over time and the flags. The chronology's events come from the record
store when the trend was asked for a case ref; a trend of record files shows the levels alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..chronology import AUTOMATIC, Entry
from ..text import visible_data
from ..trending import Trend
from .changes import band_label as _label
from .changes import band_runs as _runs
from .changes import flag_lines as _flag_lines
from .changes import trend_heading as _trend_heading
from .chronology import e_, entries_table, page, timeline_figure


def assessment_entries(trend: Trend) -> list[Entry]:
    """Each assessment of the trend as a timeline entry, with its final level's place in the tool's bands."""
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
                event=f"Assessment: {_label(order, band)}",
                impact="",
                added_by=point.assessor or "",
                added_at=point.created_at,
                level=_label(order, band),
                level_rank=ids.index(band) if band in ids else None,
                level_count=len(ids) or None,
            )
        )
    return out


def trend_html(trend: Trend, events: Sequence[Entry] | None, as_of: dt.date) -> str:
    """A complete page. `events`: the chronology from the store (None: the trend came from files)."""
    trend = visible_data(trend)
    order = trend.band_order
    kept = [e for e in events or [] if e.superseded_by is None and e.category != AUTOMATIC]
    body = [f"<p>{e_(_trend_heading(trend))}.</p>"]
    body += [f'<p class="flag">Warning: {e_(w)}</p>' for w in trend.warnings]
    caption = (
        "Levels of need over time (top) and the chronology's key events by kind (below), on one date axis; "
        "the tables below say the same in words."
        if events is not None
        else "Levels of need over time. Give the case ref instead of files (neglect trend CASE) to add the "
        "chronology's events from the record store."
    )
    body.append(timeline_figure([*assessment_entries(trend), *kept], as_of, caption))
    body.append("<h2>Assessments</h2>")
    rows = [
        "<table><thead><tr><th>Assessed on</th><th>Assessor</th><th>Tool</th><th>Level</th>"
        '<th class="num">Prompts</th></tr></thead><tbody>'
    ]
    for p in trend.assessments:
        rows.append(
            f"<tr><td>{e_(p.assessed_on.isoformat())}</td><td>{e_(p.assessor or '—')}</td>"
            f"<td>{e_(p.tool.id + ' ' + p.tool.version)}</td><td>{e_(_label(order, p.overall.band))}</td>"
            f'<td class="num">{len(p.escalations)}</td></tr>'
        )
    rows.append("</tbody></table>")
    body.append("".join(rows))
    body.append("<h2>Each domain over time (oldest first)</h2>")
    rows = ["<table><thead><tr><th>Domain</th><th>Levels</th></tr></thead><tbody>"]
    for s in trend.series:
        rows.append(f"<tr><td>{e_(s.title)}</td><td>{e_(_runs([_label(order, b) for b in s.bands]))}</td></tr>")
    rows.append("</tbody></table>")
    body.append("".join(rows))
    body.append("<h2>Flags</h2>")
    flags = _flag_lines(trend)
    body += [f'<p class="flag"><strong>{e_(label)}:</strong> {e_(text)}</p>' for label, text in flags] or [
        '<p class="muted">No drift and delay, relapse, persistent escalation or late review flagged.</p>'
    ]
    if events is not None:
        body.append("<h2>Key events from the chronology</h2>")
        body.append(entries_table(kept))
    return page(f"Trend for case {', '.join(trend.case_refs)}", body)


def events_markdown(events: Sequence[Entry]) -> str:
    """The chronology's events (assessments are the trend's own) as a Markdown section for the trend."""
    from .markdown import md_escape

    kept = [e for e in events if e.superseded_by is None and e.category != AUTOMATIC]
    lines = ["## Key events from the chronology", ""]
    if not kept:
        return "\n".join([*lines, "None recorded: `neglect chronology add` adds them.", ""]) + "\n"
    lines += ["| Date | Category | Source agency | Event |", "| --- | --- | --- | --- |"]
    for e in kept:
        cells = [e.occurred_on, e.category_label, e.source_agency, e.event]
        lines.append("| " + " | ".join(md_escape(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join([*lines, ""]) + "\n"
