"""A diff or a trend as one self-contained, printable HTML page for a supervision pack, styled like the
report: the report's CSS, badges and escaping, case and page number on every printed page, no scripts.

One section function per section, in the order the page shows them; the words come from `changes`.
"""

from __future__ import annotations

from ..diffing import Diff, OrderUsed
from ..text import visible_data
from ..trending import Trend
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
    items_summary,
    no_drift_reason,
    note_text,
    override_words,
    pair,
    pct_text,
    quoted,
    raised_by,
    rating_text,
    score_text,
    series_scores,
    shown_items,
    trend_bands,
    trend_heading,
)
from .html import CSS, band_css, escape, page_css

#: Directions as the report colours bands: worse in red, better in green, the words always printed.
DIRECTION_CSS = """
.direction { font-weight: 700; white-space: nowrap; }
.dir-worsened { color: #b71c1c; } .dir-improved { color: #1b5e20; } .dir-unchanged { color: #5d4037; }
.dir-not_comparable { color: #555555; }
.date { white-space: nowrap; }
"""


def _page(title: str, case_ref: str, dates: str, body: list[str]) -> str:
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
            *body,
            f'<footer><p class="disclaimer">{escape(DISCLAIMER)}</p></footer>',
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


def diff_html(diff: Diff, *, show_all: bool = False) -> str:
    """The diff as a printable page: the same sections as on the terminal, in the same order."""
    diff = visible_data(diff)  # text from records is shown, never obeyed
    old, new = diff.old, diff.new
    ref = old.case_ref if diff.same_case else f"{old.case_ref} and {new.case_ref}"
    title = f"Changes in a child's assessment — case {ref}"
    body = [
        "<header>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(f'{old.assessed_on} {ARROW} {new.assessed_on}, {days_text(diff.days_elapsed)} apart')}</p>",
        _diff_sides(diff),
        _warnings(diff.warnings),
        "</header>",
        "<main>",
        _diff_level(diff),
        _diff_domains(diff),
        _diff_escalations(diff),
        _diff_overrides(diff),
        _diff_context(diff),
        _diff_items(diff, show_all),
        _diff_voice(diff, show_all),
        "</main>",
    ]
    return _page(title, ref, f"{old.assessed_on} and {new.assessed_on}", body)


def _diff_sides(diff: Diff) -> str:
    rows = [
        [
            label,
            escape(str(side.assessed_on)),
            escape(side.assessor or "not recorded"),
            f"<code>{escape(f'{side.tool.id} {side.tool.version}')}</code>",
            f"<code>{escape(side.file)}</code>",
        ]
        for label, side in (("OLD", diff.old), ("NEW", diff.new))
    ]
    return _table(["", "Assessed on", "Assessor", "Tool", "File"], rows)


def _diff_level(diff: Diff) -> str:
    o, order = diff.overall, diff.band_order
    out = ['<section aria-labelledby="level">', '<h2 id="level">Level of need</h2>']
    words = pair(band_label(order, o.band.old), band_label(order, o.band.new))
    out.append(f'<p class="final">{_direction(o.direction)} {escape(words)}</p>')
    rows = [["Final band", escape(words)]]
    if o.computed_band != o.band or o.escalated_band != o.band:
        computed = pair(band_label(order, o.computed_band.old), band_label(order, o.computed_band.new))
        rows.append(["Computed", escape(computed)])
        raised = raised_by(diff)
        after = pair(band_label(order, o.escalated_band.old), band_label(order, o.escalated_band.new))
        rows.append(["After escalation", escape(after + (f" (raised by {', '.join(raised)})" if raised else ""))])
    score = f"{score_text(o.score.old)} {ARROW} {score_text(o.score.new)} ({delta_text(o.score.delta)})"
    rows.append(["Score", escape(score)])
    rows.append(["Coverage", escape(f"{pct_text(o.coverage.old)} {ARROW} {pct_text(o.coverage.new)}")])
    out.append(_table(["", "Old → new"], rows))
    if o.incomplete.old or o.incomplete.new:
        which = "both" if o.incomplete.old and o.incomplete.new else ("OLD" if o.incomplete.old else "NEW")
        out.append(
            f'<p class="alert"><strong>Provisional ({which}):</strong> not enough known — too few items '
            "answered; that level is not final.</p>"
        )
    if diff.drift.flagged:
        out.append(f'<p class="alert"><strong>Drift:</strong> {escape(diff.drift.message or "")}</p>')
    elif diff.drift.message:
        out.append(f'<p class="muted">{escape(diff.drift.message)}</p>')
    out.append("</section>")
    return "\n".join(out)


def _diff_domains(diff: Diff) -> str:
    rows = [
        [
            escape(d.title),
            escape(f"{score_text(d.score.old)} {ARROW} {score_text(d.score.new)}"),
            escape(delta_text(d.score.delta)),
            escape(pair(band_id_text(d.band.old), band_id_text(d.band.new))),
            _direction(d.direction),
        ]
        for d in diff.domains
    ]
    key = band_key(diff.band_order, [band for d in diff.domains for band in (d.band.old, d.band.new)])
    return (
        '<section aria-labelledby="domains"><h2 id="domains">Domains</h2>'
        + _table(["Domain", "Score", "Change", "Band", "Direction"], rows, numeric={2})
        + (f'<p class="muted">{escape(key)}</p>' if key else "")
        + "</section>"
    )


def _diff_escalations(diff: Diff) -> str:
    lines = list(escalation_lines(diff))
    out = ['<section aria-labelledby="escalations"><h2 id="escalations">Escalations</h2>']
    if not lines:
        out.append("<p>None on either side.</p>")
    else:
        rows = [[escape(kind), escape(severity.upper()), escape(f"{t} ({i})")] for kind, severity, t, i in lines]
        out.append(_table(["", "Severity", "Prompt"], rows))
    out.append("</section>")
    return "\n".join(out)


def _diff_overrides(diff: Diff) -> str:
    out = ['<section aria-labelledby="overrides"><h2 id="overrides">Practitioner overrides</h2>']
    shown = [
        (label, override, before)
        for label, override, before in (
            ("OLD", diff.overrides.old, diff.overall.escalated_band.old),
            ("NEW", diff.overrides.new, diff.overall.escalated_band.new),
        )
        if override is not None
    ]
    if not shown:
        out.append("<p>None on either side.</p>")
    for label, override, before in shown:
        words = override_words(diff.band_order, override, before)
        out.append(
            f'<p><strong>{label}: {escape(words)}.</strong> Rationale: <span class="text">'
            f"{escape(override.rationale)}</span></p>"
        )
    out.append("</section>")
    return "\n".join(out)


def _diff_context(diff: Diff) -> str:
    if not diff.context:
        return ""
    rows = [[escape(f.id), escape(f"{fact_text(f.old)} {ARROW} {fact_text(f.new)}")] for f in diff.context]
    return (
        '<section aria-labelledby="context"><h2 id="context">Case facts that changed</h2>'
        + _table(["Fact", "Old → new"], rows)
        + "</section>"
    )


def _diff_items(diff: Diff, show_all: bool) -> str:
    out = ['<section aria-labelledby="items"><h2 id="items">Items</h2>']
    out.append(f"<p>{escape(items_summary(diff, show_all, hint=False))}.</p>")
    rows = []
    for item in shown_items(diff, show_all):
        cells = []
        for side, other in ((item.old, item.new), (item.new, item.old)):
            note = note_text(side, other)
            text = f"<strong>{escape(rating_text(side))}</strong>"
            if note and note != NO_NOTE:
                text += f'<br><span class="text">{escape(note)}</span>'
            cells.append(text)
        name = escape(item.item) + (f" (was {escape(item.was)})" if item.was else "")
        rows.append([name, escape(item_change_words(item)), *cells])
    if rows:
        out.append(_table(["Item", "Change", f"OLD {diff.old.assessed_on}", f"NEW {diff.new.assessed_on}"], rows))
    if diff.items_added:
        out.append(f"<p>Items new in {escape(diff.new.tool.version)}: {escape(', '.join(diff.items_added))}</p>")
    if diff.items_not_comparable:
        versions = f"{diff.old.tool.version} {ARROW} {diff.new.tool.version}"
        reasons = "".join(f"<li>{escape(n.reason)}</li>" for n in diff.items_not_comparable)
        out.append(f"<p>Items that cannot be compared one to one ({escape(versions)}):</p><ul>{reasons}</ul>")
    if diff.items_removed:
        out.append(
            f"<p>Items no longer in {escape(diff.new.tool.version)}: {escape(', '.join(diff.items_removed))}</p>"
        )
    out.append("</section>")
    return "\n".join(out)


def _diff_voice(diff: Diff, show_all: bool) -> str:
    if not (diff.child_voice.changed or show_all):
        return ""
    return (
        '<section aria-labelledby="voice"><h2 id="voice">The child’s voice</h2>'
        f'<blockquote class="voice"><strong>OLD</strong> {escape(quoted(diff.child_voice.old))}</blockquote>'
        f'<blockquote class="voice"><strong>NEW</strong> {escape(quoted(diff.child_voice.new))}</blockquote>'
        "</section>"
    )


# --- trend --------------------------------------------------------------------------------------


def trend_html(trend: Trend) -> str:
    """The trend as a printable page: the assessments, each series over time, then the flags."""
    trend = visible_data(trend)
    ref = ", ".join(trend.case_refs)
    title = f"Trend of a child's assessments — case {ref}"
    body = [
        "<header>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(trend_heading(trend))}.</p>",
        _warnings(trend.warnings),
        "</header>",
        "<main>",
        _trend_assessments(trend),
        _trend_series(trend),
        _trend_flags(trend),
        "</main>",
    ]
    return _page(title, ref, f"{trend.first_assessed_on} to {trend.last_assessed_on}", body)


def _trend_assessments(trend: Trend) -> str:
    rows = []
    for p in trend.assessments:
        o = p.overall
        rows.append(
            [
                f'<span class="date">{escape(str(p.assessed_on))}</span>'
                + ("" if p.integrity_ok else " <strong>(failed its checks)</strong>"),
                escape(p.assessor or "—"),
                f"<code>{escape(f'{p.tool.id} {p.tool.version}')}</code>",
                escape(band_id_text(o.computed_band)),
                escape(final_cell(p)),
                escape(score_text(o.score)),
                escape(pct_text(o.coverage)) + (" <strong>provisional</strong>" if o.incomplete else ""),
                str(len(p.escalations)),
            ]
        )
    headers = ["Assessed on", "Assessor", "Tool", "Computed", "Final band", "Score", "Coverage", "Escalations"]
    return (
        '<section aria-labelledby="assessments"><h2 id="assessments">Assessments</h2>'
        + _table(headers, rows, numeric={5, 6, 7})
        + _key(trend.band_order, trend_bands(trend))
        + "</section>"
    )


def _key(order: OrderUsed, bands: list[str | None]) -> str:
    key = band_key(order, bands)
    return f'<p class="muted">{escape(key)}</p>' if key else ""


def _trend_series(trend: Trend) -> str:
    rows = [
        [escape(s.title), escape(series_scores(s)), escape(band_runs(s.bands)), _direction(s.direction)]
        for s in trend.series
    ]
    return (
        '<section aria-labelledby="series"><h2 id="series">Over time, oldest first</h2>'
        + _table(["", "Scores", "Bands", "First to last"], rows)
        + '<p class="muted">The overall series shows the final band, after escalations and any override.</p>'
        + "</section>"
    )


def _trend_flags(trend: Trend) -> str:
    lines = flag_lines(trend)
    out = ['<section aria-labelledby="flags"><h2 id="flags">Flags</h2>']
    if not lines:
        out.append("<p>No drift and delay, relapse, persistent escalation or late review flagged.</p>")
    out += [f'<p class="alert"><strong>{escape(label)}:</strong> {escape(sentence)}</p>' for label, sentence in lines]
    if not trend.flags.drift_and_delay.flagged:
        out.append(f'<p class="muted">{escape(no_drift_reason(trend))}</p>')
    out.append("</section>")
    return "\n".join(out)
