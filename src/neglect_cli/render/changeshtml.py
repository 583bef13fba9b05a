"""A diff or a trend as one self-contained, printable HTML page for a supervision pack, styled like the
report: the report's CSS, badges and escaping, case and page number on every printed page, no scripts.

One section function per section, in the order the page shows them; the words come from `changes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..diffing import Diff
from ..trending import Trend
from .changes import (
    ARROW,
    DIRECTION_WORDS,
    EVENTS_HEADING,
    NEEDS_LABEL,
    NO_FLAGS,
    NOTHING_CHANGED,
    NOTHING_EITHER_SIDE,
    SERIES_HEADING,
    SERIES_NOTE,
    DiffView,
    PlansView,
    TrendView,
    diff_view,
    trend_view,
)
from .html import CSS, band_css, escape, page_css

if TYPE_CHECKING:
    import datetime as dt

    from ..chronology import Entry

#: Directions as the report colours bands: worse in red, better in green, the words always printed.
DIRECTION_CSS = """
.direction { font-weight: 700; white-space: nowrap; }
.dir-worsened { color: #b71c1c; } .dir-improved { color: #1b5e20; } .dir-unchanged { color: #5d4037; }
.dir-not_comparable { color: #555555; }
.date { white-space: nowrap; }
.superseded { color: #555555; text-decoration: line-through; }
figcaption { font-size: 9.5pt; color: #424242; }
"""


def _page(title: str, case_ref: str, dates: str, body: list[str], disclaimer: str) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en-GB">',
            "<head>",
            '<meta charset="utf-8">',
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>",
            f"<style>{CSS}{band_css()}\n{DIRECTION_CSS}\n{page_css(case_ref, dates, title.split(' — ')[0])}\n</style>",
            "</head>",
            "<body>",
            *(part for part in body if part),
            f'<footer><p class="disclaimer">{escape(disclaimer)}</p></footer>',
            "</body>",
            "</html>",
            "",
        ]
    )


def _direction(direction: str) -> str:
    return f'<span class="direction dir-{escape(direction)}">{escape(DIRECTION_WORDS[direction])}</span>'


def _warnings(warnings: list[str]) -> str:
    return "\n".join(
        f'<p class="alert" role="alert"><strong>Warning:</strong> {escape(message)}</p>' for message in warnings
    )


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> str:
    """A table of cells already escaped; the first cell of each row is its header."""
    numeric = numeric or set()
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if i in numeric else ""}>{escape(h)}</th>' for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = [f'<th scope="row">{row[0]}</th>']
        cells += [f"<td{num if i in numeric else ''}>{cell}</td>" for i, cell in enumerate(row) if i]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


# --- diff ---------------------------------------------------------------------------------------


def diff_html(diff: Diff, *, show_all: bool = False, plans: PlansView | None = None) -> str:
    """The diff as a printable page: the same sections as on the terminal, in the same order."""
    view = diff_view(diff, show_all=show_all, plans=plans)
    title = f"Changes in a child's assessment — case {view.ref}"
    body = [
        "<header>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(f'{view.old_date} {ARROW} {view.new_date}, {view.apart} apart')}</p>",
        _diff_sides(view),
        _warnings(view.warnings),
        "</header>",
        "<main>",
        _diff_level(view),
        _diff_domains(view),
        _diff_escalations(view),
        _diff_overrides(view),
        _diff_context(view),
        _diff_items(view),
        _diff_world(view),
        _diff_voice(view),
        _plans(view.plans),
        f"<p><strong>{escape(NOTHING_CHANGED)}</strong></p>" if view.nothing_changed else "",
        "</main>",
    ]
    return _page(title, view.ref, f"{view.old_date} and {view.new_date}", body, view.disclaimer)


def _diff_sides(view: DiffView) -> str:
    rows = [
        [
            side.label,
            escape(side.assessed_on),
            escape(side.assessor),
            f"<code>{escape(side.tool)}</code>",
            f"<code>{escape(side.file)}</code>",
        ]
        for side in view.sides
    ]
    return _table(["", "Assessed on", "Assessor", "Tool", "File"], rows)


def _diff_level(view: DiffView) -> str:
    out = ['<section aria-labelledby="level">', '<h2 id="level">Level of need</h2>']
    out.append(f'<p class="final">{_direction(view.direction)} {escape(view.final)}</p>')
    out.append(_table(["", "Old → new"], [[escape(what), escape(text)] for what, text in view.level]))
    if view.provisional:
        out.append(f'<p class="alert"><strong>Provisional:</strong> {escape(view.provisional)}</p>')
    if view.drift is not None:
        out.append(f'<p class="alert"><strong>Drift:</strong> {escape(view.drift)}</p>')
    elif view.drift_note:
        out.append(f'<p class="muted">{escape(view.drift_note)}</p>')
    out.append("</section>")
    return "\n".join(out)


def _diff_domains(view: DiffView) -> str:
    rows = [
        [escape(d.title), escape(d.scores), escape(d.delta), escape(d.bands), _direction(d.direction)]
        for d in view.domains
    ]
    return (
        '<section aria-labelledby="domains"><h2 id="domains">Domains</h2>'
        + _table(["Domain", "Score", "Change", "Band", "Direction"], rows, numeric={2})
        + (f'<p class="muted">{escape(view.domains_key)}</p>' if view.domains_key else "")
        + "</section>"
    )


def _diff_escalations(view: DiffView) -> str:
    out = ['<section aria-labelledby="escalations"><h2 id="escalations">Escalations</h2>']
    if not view.escalations:
        out.append(f"<p>{escape(NOTHING_EITHER_SIDE)}</p>")
    else:
        rows = [[escape(e.kind), escape(e.severity), escape(e.prompt)] for e in view.escalations]
        out.append(_table(["", "Severity", "Prompt"], rows))
    out.append("</section>")
    return "\n".join(out)


def _diff_overrides(view: DiffView) -> str:
    out = ['<section aria-labelledby="overrides"><h2 id="overrides">Practitioner overrides</h2>']
    if not view.overrides:
        out.append(f"<p>{escape(NOTHING_EITHER_SIDE)}</p>")
    for o in view.overrides:
        out.append(
            f'<p><strong>{o.label}: {escape(o.words)}.</strong> Rationale: <span class="text">'
            f"{escape(o.rationale)}</span></p>"
        )
    out.append("</section>")
    return "\n".join(out)


def _diff_context(view: DiffView) -> str:
    if not view.context:
        return ""
    rows = [[escape(f.what), escape(f"{f.old} {ARROW} {f.new}")] for f in view.context]
    return (
        '<section aria-labelledby="context"><h2 id="context">Case facts that changed</h2>'
        + _table(["Fact", "Old → new"], rows)
        + "</section>"
    )


def _diff_items(view: DiffView) -> str:
    out = ['<section aria-labelledby="items"><h2 id="items">Items</h2>']
    out.append(f"<p>{escape(view.items_summary)}.</p>")
    rows = []
    for item in view.items:
        cells = [
            f"<strong>{escape(rating)}</strong>" + (f'<br><span class="text">{escape(note)}</span>' if note else "")
            for rating, note in ((item.old_rating, item.old_note), (item.new_rating, item.new_note))
        ]
        rows.append([escape(item.name), escape(item.change), *cells])
    if rows:
        out.append(_table(["Item", "Change", f"OLD {view.old_date}", f"NEW {view.new_date}"], rows))
    out += [f"<p>{escape(line)}</p>" for line in view.item_lines]
    if view.not_comparable:
        out.append("<ul>" + "".join(f"<li>{escape(reason)}</li>" for reason in view.not_comparable) + "</ul>")
    out.append("</section>")
    return "\n".join(out)


def _diff_world(view: DiffView) -> str:
    if not view.world:
        return ""
    rows = [[escape(c.section), escape(c.what), escape(f"{c.old} {ARROW} {c.new}")] for c in view.world]
    return (
        '<section aria-labelledby="world"><h2 id="world">The child’s world</h2>'
        + _table(["Section", "What", "Old → new"], rows)
        + "</section>"
    )


def _diff_voice(view: DiffView) -> str:
    if view.voice is None:
        return ""
    old, new = view.voice
    return (
        '<section aria-labelledby="voice"><h2 id="voice">The child’s voice</h2>'
        f'<blockquote class="voice"><strong>OLD</strong> {escape(old)}</blockquote>'
        f'<blockquote class="voice"><strong>NEW</strong> {escape(new)}</blockquote>'
        "</section>"
    )


# --- trend --------------------------------------------------------------------------------------


def trend_html(
    trend: Trend, events: Sequence[Entry] | None = None, as_of: dt.date | None = None, plans: PlansView | None = None
) -> str:
    """The trend as a printable page: the assessments, each series over time, then the flags. A case in the
    record store (`events`: its chronology) adds the levels and key events on one timeline, and the events;
    then what drifts in the plans."""
    view = trend_view(trend, events, as_of, plans)
    title = f"Trend of a child's assessments — case {view.ref}"
    body = [
        "<header>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(view.heading)}.</p>",
        f"<p>Tool: <code>{escape(view.tool)}</code></p>" if view.tool else "",
        _warnings(view.warnings),
        "</header>",
        "<main>",
        _trend_timeline(view),
        _trend_assessments(view),
        _trend_series(view),
        _trend_flags(view),
        _trend_events(view),
        _plans(view.plans),
        "</main>",
    ]
    return _page(title, view.ref, f"{view.first} to {view.last}", body, view.disclaimer)


def _trend_timeline(view: TrendView) -> str:
    """Levels over time, and the chronology's key events on the same date axis for a case in the store."""
    from .chronology import timeline_figure

    caption = (
        "Levels of need over time (top) and the chronology's key events by kind (below), on one date axis; "
        "the tables below say the same in words."
        if view.events is not None
        else "Levels of need over time. Give the case ref instead of files (neglect trend CASE) to add the "
        "chronology's events from the record store."
    )
    return f'<section aria-label="Timeline">{timeline_figure(view.timeline, view.as_of, caption)}</section>'


def _trend_assessments(view: TrendView) -> str:
    rows = []
    for a in view.assessments:
        row = [
            f'<span class="date">{escape(a.assessed_on)}</span>'
            + (" <strong>(failed its checks)</strong>" if a.checks_failed else ""),
            escape(a.assessor),
        ]
        if not view.tool:
            row.append(f"<code>{escape(a.tool)}</code>")
        row += [
            escape(a.computed),
            escape(a.final),
            escape(a.score),
            escape(a.coverage) + (" <strong>provisional</strong>" if a.provisional else ""),
            escape(a.escalations),
        ]
        rows.append(row)
    headers = ["Assessed on", "Assessor", *([] if view.tool else ["Tool"])]
    headers += ["Computed", "Final band", "Score", "Coverage", "Escalations"]
    first_number = len(headers) - 3
    return (
        '<section aria-labelledby="assessments"><h2 id="assessments">Assessments</h2>'
        + _table(headers, rows, numeric={first_number, first_number + 1, first_number + 2})
        + (f'<p class="muted">{escape(view.bands_key)}</p>' if view.bands_key else "")
        + "</section>"
    )


def _trend_series(view: TrendView) -> str:
    rows = [[escape(s.title), escape(s.scores), escape(s.bands), _direction(s.direction)] for s in view.series]
    return (
        f'<section aria-labelledby="series"><h2 id="series">{escape(SERIES_HEADING)}</h2>'
        + _table(["", "Scores", "Bands", "First to last"], rows)
        + f'<p class="muted">{escape(SERIES_NOTE)}</p>'
        + f"<p><strong>{escape(NEEDS_LABEL)}:</strong> {escape(view.needs)}</p>"
        + "</section>"
    )


def _trend_flags(view: TrendView) -> str:
    out = ['<section aria-labelledby="flags"><h2 id="flags">Flags</h2>']
    if not view.flags:
        out.append(f"<p>{escape(NO_FLAGS)}</p>")
    out += [f'<p class="alert"><strong>{escape(label)}:</strong> {escape(text)}</p>' for label, text in view.flags]
    if view.no_drift:
        out.append(f'<p class="muted">{escape(view.no_drift)}</p>')
    out.append("</section>")
    return "\n".join(out)


def _trend_events(view: TrendView) -> str:
    if view.events is None:
        return ""
    from .chronology import entries_table

    return (
        f'<section aria-labelledby="events"><h2 id="events">{escape(EVENTS_HEADING)}</h2>'
        + entries_table(view.events)
        + "</section>"
    )


# --- both ---------------------------------------------------------------------------------------


def _plans(plans: PlansView | None) -> str:
    """What drifts in the plans as of a date, most pressing first."""
    if plans is None:
        return ""
    return (
        f'<section aria-labelledby="plans"><h2 id="plans">{escape(plans.heading)}</h2><ul>'
        + "".join(f"<li>{escape(line)}</li>" for line in plans.lines)
        + "</ul></section>"
    )
