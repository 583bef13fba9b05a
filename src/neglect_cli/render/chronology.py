"""A child's chronology as plain text (fits 80 columns), Markdown, JSON or one printable HTML page with an
inline SVG timeline. The timeline (`timeline_svg`) is shared with the HTML trend: levels over time above,
the chronology's events below, on one date axis."""

from __future__ import annotations

import datetime as dt
import html
import json
import textwrap
from collections.abc import Callable, Sequence

from ..chronology import AUTOMATIC, LANES, PLAN_ENDS, PLAN_STARTS, Entry, Summary
from ..text import json_safe, visible
from .view import ChronologySection, band_colour

DISCLAIMER = "This tool supports professional judgement; it does not replace it."
LANE_COLOURS = {
    "Assessments and plans": "#1565c0",
    "Health and visits": "#ad1457",
    "School": "#00695c",
    "Safety and home": "#4e342e",
}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def heading(case_ref: str, entries: Sequence[Entry]) -> str:
    return f"Chronology of case {case_ref}: {_count(len(entries), 'entry').replace('entrys', 'entries')}, oldest first"


def summary_lines(summary: Summary, as_of: dt.date) -> list[str]:
    lines = [f"Not brought to an appointment in the 12 months to {as_of.isoformat()}: {summary.not_brought_12_months}"]
    if summary.first_concern_on:
        lines.append(
            f"First concern recorded: {summary.first_concern_on} "
            f"({_count(summary.concern_months or 0, 'month')} before {as_of.isoformat()})"
        )
    else:
        lines.append("First concern recorded: none in the chronology")
    return lines


def _tags(e: Entry) -> str:
    return e.notes


def _ident(e: Entry) -> str:
    return e.shown_id


def chronology_text(case_ref: str, entries: Sequence[Entry], summary: Summary, as_of: dt.date, width: int) -> str:
    """Plain text, one block per entry, every line at most `width` columns (the terminal's, 80 or less)."""
    width = max(50, min(width, 100))
    wrap = textwrap.TextWrapper(width=width, subsequent_indent=" " * 12, break_long_words=True)
    lines: list[str] = []
    for line in [heading(case_ref, entries), *summary_lines(summary, as_of)]:
        lines += wrap.wrap(line) or [""]
    lines.append("")
    if not entries:
        lines += ["No entries yet: `neglect chronology add` or `neglect chronology import` adds them.", ""]
    lines += entry_lines(entries, width)
    lines.append(DISCLAIMER)
    return visible("\n".join(lines)) + "\n"


def entry_lines(entries: Sequence[Entry], width: int, *, added: bool = True) -> list[str]:
    """Each entry as a block of lines at most `width` columns, a blank line after each."""
    wrap = textwrap.TextWrapper(width=width, subsequent_indent=" " * 12, break_long_words=True)
    lines: list[str] = []
    for e in entries:
        lines += wrap.wrap(f"{e.occurred_on}  {e.category_label} · {e.source_agency}  {_ident(e)}{_tags(e)}")
        body = [("event", e.event)]
        if e.impact:
            body.append(("impact", e.impact))
        if e.reason:
            body.append(("reason", e.reason))
        for label, value in body:
            first = f"  {label:<8}  "
            para = textwrap.TextWrapper(
                width=width, initial_indent=first, subsequent_indent=" " * len(first), break_long_words=True
            )
            for n, part in enumerate(value.split("\n")):
                para.initial_indent = first if n == 0 else " " * len(first)
                lines += para.wrap(part) or [para.initial_indent.rstrip()]
        if added and e.category != AUTOMATIC:
            lines += wrap.wrap(f"  added by {e.added_by}, {e.added_at}")
        lines.append("")
    return lines


# --- beside a report of a case in the store (`neglect report CASE`) ----------------------------


def report_section(entries: Sequence[Entry], summary: Summary, as_of: dt.date) -> ChronologySection:
    """The chronology section of a report: the entries as given (already redacted when asked) and the counts."""
    return ChronologySection(entries=list(entries), counts=summary_lines(summary, as_of), as_of=as_of)


def section_lines(section: ChronologySection, width: int) -> list[str]:
    """The section as plain lines for the terminal report (at most `width` columns, 50 to 100)."""
    width = max(50, min(width, 100))
    wrap = textwrap.TextWrapper(width=width, subsequent_indent="    ", break_long_words=True)
    lines: list[str] = []
    for line in section.counts:
        lines += wrap.wrap(line)
    lines.append("")
    return [visible(line) for line in lines + entry_lines(section.entries, width, added=False)][:-1]


def section_html(section: ChronologySection) -> str:
    """The section in HTML: the counts, the timeline and a table of the entries (the report's CSS and CSP)."""
    counts = "<ul>" + "".join(f"<li>{e_(line)}</li>" for line in section.counts) + "</ul>"
    style = "<style>.chronology .text { white-space: pre-line; } .chronology figcaption { font-size: 9.5pt; }</style>"
    return (
        f'<section class="chronology">{style}<h2>Chronology</h2>{counts}'
        f"{timeline_figure(section.entries, section.as_of)}{entries_table(section.entries)}</section>"
    )


def chronology_markdown(case_ref: str, entries: Sequence[Entry], summary: Summary, as_of: dt.date) -> str:
    from .markdown import md_escape

    lines = [f"# {md_escape(heading(case_ref, entries))}", ""]
    lines += [f"- {md_escape(line)}" for line in summary_lines(summary, as_of)] + [""]
    lines += [
        "| Date | Category | Source agency | Event | Impact on the child | Entry | Added by |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for e in entries:
        cells = [
            e.occurred_on,
            e.category_label,
            e.source_agency,
            e.event,
            e.impact,
            _ident(e) + _tags(e),
            "" if e.category == AUTOMATIC else f"{e.added_by}, {e.added_at}",
        ]
        lines.append("| " + " | ".join(md_escape(c).replace("|", "\\|") for c in cells) + " |")
    lines += ["", f"*{DISCLAIMER}*", ""]
    return "\n".join(lines)


def chronology_json(case_ref: str, entries: Sequence[Entry], summary: Summary, as_of: dt.date) -> str:
    data = {
        "case_ref": case_ref,
        "as_of": as_of.isoformat(),
        "summary": summary.as_json(),
        "entries": [e.as_json() for e in entries],
    }
    return json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


# --- HTML ---------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 15mm; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 11pt/1.4 system-ui, sans-serif; color: #111; max-width: 190mm; margin: 0 auto; padding: 6mm; }
h1 { font-size: 17pt; } h2 { font-size: 13pt; margin-top: 1.4em; border-bottom: 2px solid #111;
  break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; }
th, td { border: 1px solid #999; padding: 3px 6px; text-align: left; vertical-align: top; }
thead th { background: #eee; } tr { break-inside: avoid; }
figure { margin: .6em 0; break-inside: avoid; } figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 9.5pt; color: #424242; }
.text { white-space: pre-line; } .muted { color: #555; } .superseded { color: #555; text-decoration: line-through; }
.flag { border-left: 6px solid #b71c1c; background: #fdecea; padding: .3em .6em; margin: .4em 0; }
.disclaimer { font-style: italic; border-left: 4px solid #555; padding: .3em .6em; background: #f4f4f4; }
.badge { display: inline-block; padding: 0 .4em; border-radius: .25em; border: 1px solid #111; font-weight: 600; }
"""


def e_(text: str) -> str:
    return html.escape(visible(text))


def page(title: str, body: Sequence[str]) -> str:
    """A complete, self-contained HTML page: inline CSS, no scripts, nothing loaded from anywhere."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en-GB"><head><meta charset="utf-8">',
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e_(title)}</title><style>{CSS}</style></head><body>",
            f"<h1>{e_(title)}</h1>",
            f'<p class="disclaimer">{e_(DISCLAIMER)}</p>',
            *body,
            f"<footer><p><em>{e_(DISCLAIMER)}</em></p></footer>",
            "</body></html>",
            "",
        ]
    )


def chronology_html(case_ref: str, entries: Sequence[Entry], summary: Summary, as_of: dt.date) -> str:
    body = ["<ul>" + "".join(f"<li>{e_(line)}</li>" for line in summary_lines(summary, as_of)) + "</ul>"]
    body.append(timeline_figure(entries, as_of))
    body.append("<h2>Entries</h2>")
    body.append(entries_table(entries))
    return page(heading(case_ref, entries), body)


def entries_table(entries: Sequence[Entry]) -> str:
    rows = [
        "<table><thead><tr><th>Date</th><th>Category</th><th>Source agency</th><th>Event</th>"
        "<th>Impact on the child</th><th>Entry</th></tr></thead><tbody>"
    ]
    for e in entries:
        kind = ' class="superseded"' if e.superseded_by is not None else ""
        reason = f'<br><span class="muted">reason: {e_(e.reason)}</span>' if e.reason else ""
        added = "" if e.category == AUTOMATIC else f'<br><span class="muted">{e_(e.added_by)}, {e_(e.added_at)}</span>'
        rows.append(
            f"<tr{kind}><td>{e_(e.occurred_on)}</td><td>{e_(e.category_label)}</td><td>{e_(e.source_agency)}</td>"
            f'<td class="text">{e_(e.event)}{reason}</td><td class="text">{e_(e.impact)}</td>'
            f"<td>{e_(_ident(e) + _tags(e))}{added}</td></tr>"
        )
    if not entries:
        rows.append('<tr><td colspan="6" class="muted">No entries yet.</td></tr>')
    rows.append("</tbody></table>")
    return "".join(rows)


def timeline_figure(entries: Sequence[Entry], as_of: dt.date, caption: str | None = None) -> str:
    svg = timeline_svg(entries, as_of)
    text = caption or (
        "Timeline: each assessment's level (top) and the chronology's events by kind (below), on one date axis. "
        "The table lists every entry in words."
    )
    return f"<figure>{svg}<figcaption>{e_(text)}</figcaption></figure>"


def _short_level(label: str) -> str:
    return label.split(" — ")[0].split(" - ")[0][:18]


def timeline_svg(entries: Sequence[Entry], as_of: dt.date) -> str:
    """Assessments (their levels as a step line) and events (one lane per kind), on one date axis."""
    shown = [e for e in entries if e.superseded_by is None]
    dates = [dt.date.fromisoformat(e.occurred_on) for e in shown]
    start = min(dates, default=as_of)
    end = max([*dates, as_of]) if dates else as_of
    start = dt.date(start.year, start.month, 1)
    if (end - start).days < 90:
        start = start - dt.timedelta(days=90)
    span = max((end - start).days, 1)
    width, left, right = 760, 170, 20
    assessments = [e for e in shown if e.category == AUTOMATIC]
    levels = max((e.level_count or 0 for e in assessments), default=0)
    level_h = 26 * levels if assessments and levels else (30 if assessments else 0)
    lane_h, top = 30, 12
    height = top + level_h + lane_h * len(LANES) + 40

    def x(day: str | dt.date) -> float:
        d = dt.date.fromisoformat(day) if isinstance(day, str) else day
        return round(left + (width - left - right) * (d - start).days / span, 1)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Timeline of assessments and events from {start.isoformat()} to {end.isoformat()}" '
        'font-family="system-ui, sans-serif" font-size="11">'
    ]
    # the level lanes: one row per band, highest at the top
    if assessments:
        rows = levels or 1
        for rank in range(rows):
            y = top + level_h - (rank + 1) * (level_h / rows)
            out.append(
                f'<rect x="{left}" y="{y:.1f}" width="{width - left - right}" height="{level_h / rows:.1f}" '
                f'fill="{"#fafafa" if rank % 2 else "#f0f0f0"}"/>'
            )
        out.append(f'<text x="8" y="{top + 14}" font-weight="600">Level of need</text>')
        points = []
        for e in assessments:
            rank = e.level_rank if e.level_rank is not None else 0
            y = top + level_h - (rank + 0.5) * (level_h / rows)
            points.append((x(e.occurred_on), y, e))
        if len(points) > 1:
            path = " ".join(f"{'M' if i == 0 else 'L'}{px},{py:.1f}" for i, (px, py, _) in enumerate(points))
            out.append(f'<path d="{path}" fill="none" stroke="#424242" stroke-width="1.5"/>')
        for px, py, e in points:
            fill, ink = band_colour(e.level_rank, e.level_count)
            out.append(
                f'<circle cx="{px}" cy="{py:.1f}" r="6" fill="{fill}" stroke="#111"><title>'
                f"{e_(e.occurred_on)}: {e_(e.level or '')}</title></circle>"
            )
            anchor = "end" if px > width - 120 else "start"
            dx = -9 if anchor == "end" else 9
            out.append(
                f'<text x="{px + dx}" y="{py + 4:.1f}" text-anchor="{anchor}" font-size="10">'
                f"{e_(_short_level(e.level or 'not scored'))}</text>"
            )
    # the event lanes
    y0 = top + level_h + 6
    for n, (lane, kinds) in enumerate(LANES.items()):
        y = y0 + n * lane_h
        colour = LANE_COLOURS[lane]
        out.append(
            f'<line x1="{left}" y1="{y + lane_h / 2}" x2="{width - right}" y2="{y + lane_h / 2}" stroke="#ccc"/>'
        )
        out.append(f'<text x="8" y="{y + lane_h / 2 + 4}">{e_(lane)}</text>')
        lane_entries = [e for e in shown if e.category in kinds and e.category != AUTOMATIC]
        out += _plan_bars(lane_entries, x, y, lane_h, end)
        for e in assessments if lane == "Assessments and plans" else []:
            cx, cy = x(e.occurred_on), y + lane_h / 2
            out.append(
                f'<rect x="{cx - 4}" y="{cy - 4}" width="8" height="8" fill="#fff" stroke="{colour}" '
                f'stroke-width="2"><title>{e_(e.occurred_on)}: assessment</title></rect>'
            )
        for e in lane_entries:
            cx, cy = x(e.occurred_on), y + lane_h / 2
            r = 6
            shape = (
                f'<path d="M{cx},{cy - r} L{cx + r},{cy} L{cx},{cy + r} L{cx - r},{cy} Z" fill="{colour}" '
                f'stroke="#fff" stroke-width="1"><title>{e_(e.occurred_on)}: {e_(e.category_label)} '
                f"({e_(e.source_agency)})</title></path>"
            )
            out.append(shape)
    # the axis
    axis_y = y0 + len(LANES) * lane_h + 4
    out.append(f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="#111"/>')
    for tick, label in _ticks(start, end):
        tx = x(tick)
        out.append(f'<line x1="{tx}" y1="{top}" x2="{tx}" y2="{axis_y + 4}" stroke="#ddd"/>')
        out.append(f'<text x="{tx}" y="{axis_y + 18}" text-anchor="middle" font-size="10">{e_(label)}</text>')
    out.append("</svg>")
    return "".join(out)


def _plan_bars(
    entries: Sequence[Entry], place: Callable[[str | dt.date], float], y: float, lane_h: float, end: dt.date
) -> list[str]:
    """A bar from each plan's start to its end (or to today, while it is open)."""
    bars: list[tuple[str, str]] = []
    open_on: str | None = None
    for e in sorted(entries, key=lambda e: e.occurred_on):
        if e.category in PLAN_STARTS and open_on is None:
            open_on = e.occurred_on
        elif e.category in PLAN_ENDS and open_on is not None:
            bars.append((open_on, e.occurred_on))
            open_on = None
    if open_on is not None:
        bars.append((open_on, end.isoformat()))
    out = []
    for begin, finish in bars:
        x1, x2 = place(begin), place(finish)
        out.append(
            f'<rect x="{x1}" y="{y + lane_h / 2 - 3}" width="{max(x2 - x1, 1):.1f}" height="6" fill="#90caf9">'
            f"<title>plan {e_(begin)} to {e_(finish)}</title></rect>"
        )
    return out


def _ticks(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Year starts on a long axis; quarters on one of two years or less."""
    step = 3 if (end - start).days <= 2 * 366 else 12
    ticks = []
    year, month = start.year, 1
    while dt.date(year, month, 1) <= end:
        day = dt.date(year, month, 1)
        if day >= start:
            ticks.append((day, str(year) if month == 1 else f"{MONTHS[month - 1]} {year}"))
        month += step
        if month > 12:
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return ticks
