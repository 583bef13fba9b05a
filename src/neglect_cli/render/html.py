"""The assessment as one self-contained, printable, accessible HTML page.

One file with inline CSS and an inline SVG chart: no scripts, no fonts, images or links from
anywhere else, and a Content-Security-Policy that would refuse them anyway. Every piece of text
from a record or a tool file goes through `escape`: control characters and bidi overrides
shown (`\\x1b`, `<U+202E>`), then `html.escape`. Colour is never the only signal: band
names are printed next to every bar and badge. Print CSS lays it out on A4 with page breaks
between the major sections and no row cut in half.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ..text import visible
from .view import (
    BAND_COLOURS,
    DISCLAIMER,
    NO_ESCALATION,
    REDACTED,
    UNKNOWN_COLOUR,
    BandView,
    ReportView,
    colour_slot,
    percent,
    score_text,
)
from .worldview import BLOCKS_CSS, blocks_html

if TYPE_CHECKING:
    from .view import EscalationView, ItemView

SEVERITY_COLOURS = {"immediate": "#b71c1c", "urgent": "#d84315", "consult": "#f9a825", "info": "#1565c0"}

CSS = """
@page { size: A4; margin: 16mm 14mm 16mm 14mm; }
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
html { background: #ffffff; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1a1a1a; max-width: 190mm; margin: 0 auto; padding: 8mm 6mm; }
h1 { font-size: 19pt; margin: 0 0 .4rem; }
h2 { font-size: 14pt; margin: 1.4rem 0 .5rem; padding-bottom: .15rem; border-bottom: 2px solid #1a1a1a; }
h3 { font-size: 12pt; margin: 1rem 0 .4rem; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
p { margin: .4rem 0; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .4rem 0; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
.disclaimer { font-style: italic; border-left: 4px solid #555; padding: .3rem .6rem; background: #f4f4f4; }
.alert { border: 3px solid #b71c1c; background: #fdecea; padding: .5rem .7rem; margin: .6rem 0;
  break-inside: avoid; }
.alert strong { color: #8e0000; }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: .25rem; font-weight: 600;
  border: 1px solid #1a1a1a; white-space: nowrap; }
.final { font-size: 15pt; margin: .5rem 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; }
th, td { border: 1px solid #9e9e9e; padding: .3rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #eeeeee; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr, li, blockquote, figure, .escalation, .keep { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
caption { text-align: left; font-size: 9.5pt; padding-bottom: .2rem; }
.col-item { width: 36%; } .col-rating { width: 20%; }
.prompt { display: block; font-weight: normal; color: #424242; font-size: 9.5pt; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Consolas, monospace; font-size: 9.5pt; }
.text { white-space: pre-line; }
.muted { color: #555555; }
.redacted { font-style: italic; color: #555555; }
figure { margin: .6rem 0; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 9.5pt; color: #424242; }
ul.legend { list-style: none; padding: 0; margin: .3rem 0; display: flex; flex-wrap: wrap; gap: .2rem 1rem;
  font-size: 9.5pt; }
.swatch { display: inline-block; width: .9em; height: .9em; border: 1px solid #1a1a1a; vertical-align: -.1em;
  margin-right: .3em; }
.escalation { border: 1px solid #9e9e9e; border-left-width: 8px; padding: .4rem .7rem; margin: .6rem 0; }
.escalation h3 { margin: .1rem 0 .3rem; }
.severity { display: block; font-size: 9.5pt; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; }
blockquote.voice { margin: .4rem 0; padding: .4rem .8rem; border-left: 4px solid #1565c0; background: #f1f6fc;
  font-size: 12pt; }
footer { margin-top: 1.5rem; padding-top: .4rem; border-top: 1px solid #9e9e9e; font-size: 9.5pt; }
.major { break-before: page; page-break-before: always; }
@media screen { .major { margin-top: 2.5rem; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { margin-top: 1rem; }
  th, td { padding: .2rem .4rem; }
}
"""


def css_string(text: str) -> str:
    """Text as a quoted CSS string: anything but letters, digits, spaces and plain punctuation as a
    six-digit escape and a space (which the escape takes as its end), so a case ref can neither end
    the string nor the <style> element."""
    safe = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:_-")
    return '"' + "".join(c if c in safe else f"\\{ord(c):06X} " for c in visible(text)) + '"'


def page_css(case_ref: str, assessed_on: str, title: str = "Neglect assessment") -> str:
    """Printed pages carry the case, the date and "Page N of M" in their margins (CSS paged media), so a
    loose page can always be put back with its report."""
    heading = css_string(f"{title} — case {case_ref}")
    date = css_string(f"Assessed on {assessed_on}")
    box = "font: 8.5pt system-ui, Arial, sans-serif; color: #424242;"
    return (
        "@page {"
        f" @top-left {{ content: {heading}; {box} }}"
        f" @top-right {{ content: {date}; {box} }}"
        f' @bottom-right {{ content: "Page " counter(page) " of " counter(pages); {box} }}'
        "}"
    )


def band_css() -> str:
    rules = [f".band-{i} {{ background: {fill}; color: {ink}; }}" for i, (fill, ink) in enumerate(BAND_COLOURS)]
    rules.append(f".band-x {{ background: {UNKNOWN_COLOUR[0]}; color: {UNKNOWN_COLOUR[1]}; }}")
    rules += [f".sev-{name} {{ border-left-color: {colour}; }}" for name, colour in SEVERITY_COLOURS.items()]
    return "\n".join(rules)


def _band_class(band: BandView | None) -> str:
    if band is None or band.index is None:
        return "band-x"
    return f"band-{colour_slot(band.index, band.count)}"


def badge(band: BandView | None, missing: str = "not scored") -> str:
    """A band as a coloured badge carrying its label (the words, not the colour, carry the meaning)."""
    if band is None:
        return f'<span class="muted">{escape(missing)}</span>'
    return f'<span class="badge {_band_class(band)}">{escape(band.label)}</span>'


def escape(text: str) -> str:
    """Text as HTML: control characters and bidi overrides shown (`\\x1b`, `<U+202E>`), markup escaped."""
    return html.escape(visible(text))


def _text(value: str | None) -> str:
    """Free text as escaped HTML, keeping its line breaks; redaction markers in italics."""
    if value is None:
        return ""
    if value.strip() == REDACTED:
        return f'<span class="redacted">{REDACTED}</span>'
    return f'<span class="text">{escape(value.strip())}</span>'


def view_html(view: ReportView) -> str:
    """Lay the report view out as a complete HTML document."""
    title = f"Neglect assessment — case {view.case_ref}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}{band_css()}{BLOCKS_CSS}\n{page_css(view.case_ref, view.assessed_on)}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(title)}</h1>",
    ]
    for problem in view.integrity_problems:
        parts.append(
            f'<p class="alert" role="alert"><strong>Warning: {escape(problem)}.</strong> '
            "Do not rely on this report until the record is checked.</p>"
        )
    parts.append(_meta(view))
    parts.append(f'<p class="disclaimer">{escape(DISCLAIMER)}</p>')
    parts.append("</header>")
    parts.append("<main>")
    parts.append(_level(view))
    parts.append(_domains(view))
    parts.append(_guidance(view))
    parts.append(_escalations(view))
    parts.append(_still_not_known(view))
    parts.append(_voice_and_facts(view))
    parts.append(_answers(view))
    from .planview import plan_html

    planned = plan_html(view.plan, view.signoff, escape)
    if planned:
        parts.append(planned)
    if view.chronology is not None:
        from .chronology import section_html

        parts.append(section_html(view.chronology))
    parts.append(_reflection(view))
    parts.append("</main>")
    parts.append(
        f"<footer><p>{escape(DISCLAIMER)}</p>"
        f'<p class="muted">Record written {escape(view.created_at)}; integrity sha256 '
        f"<code>{escape(view.record_sha256)}</code>.</p></footer>"
    )
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _meta(view: ReportView) -> str:
    rows = [("Case reference", escape(view.case_ref)), ("Assessed on", escape(view.assessed_on))]
    if view.assessor:
        rows.append(("Assessor", _text(view.assessor)))
    if view.supervisor:
        rows.append(("Supervisor", _text(view.supervisor)))
    if view.tool_title is not None:
        tool = f"{escape(view.tool_title)} <code>{escape(view.tool_id)} {escape(view.tool_version)}</code>"
    else:
        tool = (
            f"<code>{escape(view.tool_id)} {escape(view.tool_version)}</code> "
            '<span class="muted">(not available here: bands shown by id)</span>'
        )
    rows.append(("Tool", tool))
    if view.redacted:
        rows.append(("Redacted", "evidence, free text, the child's voice and rationales are removed"))
    body = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    return f'<dl class="meta">{body}</dl>'


def _level(view: ReportView) -> str:
    out = ['<section aria-labelledby="level">', '<h2 id="level">Level of need</h2>']
    out.append(f'<p class="final"><strong>{escape(view.level_title)}:</strong> {badge(view.band)}</p>')
    if view.override_words:
        out.append(f'<p class="alert"><strong>{escape(view.override_words)}</strong></p>')
    for line in view.attention:
        out.append(f'<p class="alert"><strong>To check:</strong> {escape(line)}</p>')
    if view.incomplete:
        out.append(
            '<p class="alert"><strong>Provisional — not enough known:</strong> '
            + escape(view.provisional_words)
            + "</p>"
        )
        if view.still_unknown:
            names = "; ".join(escape(item.name) for item in view.still_unknown)
            out.append(f"<p><strong>Still not known:</strong> {names}</p>")
    out.append('<table class="keep"><caption class="muted">How the level was reached</caption>')
    out.append('<thead><tr><th scope="col">Step</th><th scope="col">Level</th></tr></thead><tbody>')
    steps = [
        (f"Computed from scores ({view.score_words})", view.computed_band),
        ("After escalation rules", view.escalated_band),
    ]
    if view.override_band is not None:
        steps.append(("Practitioner override", view.override_band))
    for name, band in steps:
        out.append(f'<tr><th scope="row">{escape(name)}</th><td>{badge(band)}</td></tr>')
    out.append("</tbody></table>")
    line = f"Coverage: {percent(view.coverage)} ({view.answered} of {view.applicable} items answered)."
    if view.review:
        line += f" Review {view.review}."
    out.append(f"<p>{escape(line)}</p>")
    if view.override_band is not None:
        out.append(f"<p><strong>Why the practitioner overrode the level:</strong> {_text(view.override_rationale)}</p>")
    out.append("</section>")
    return "\n".join(out)


def _guidance(view: ReportView) -> str:
    if view.band is None or not view.band.guidance:
        return ""
    return (
        '<section class="keep" aria-labelledby="guidance"><h2 id="guidance">What this level means</h2>'
        f"<p>{badge(view.band)}</p><p>{escape(view.band.guidance)}</p></section>"
    )


def _domains(view: ReportView) -> str:
    out = ['<section aria-labelledby="domains">', '<div class="keep">', '<h2 id="domains">Domain profile</h2>']
    out.append("<p>Each domain is scored on its own: good care in one domain does not cancel neglect in another.</p>")
    if view.hardship_note:
        out.append(f"<p>{escape(view.hardship_note)}</p>")
    out.append('<table><thead><tr><th scope="col">Domain</th><th scope="col" class="num">Score</th>')
    out.append('<th scope="col">Band</th><th scope="col" class="num">Coverage</th></tr></thead><tbody>')
    for d in view.domains:
        coverage = d.coverage_text
        if d.not_known:
            coverage += f"<br>{d.not_known} not known"
        if d.incomplete:
            coverage += "<br><strong>incomplete</strong>"
        out.append(
            f'<tr><th scope="row">{escape(d.title)}</th><td class="num">{score_text(d.score)}</td>'
            f'<td>{badge(d.band)}</td><td class="num">{coverage}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append("</div>")
    if view.scale is None:  # without the tool the scale is not known: a chart on a guess would mislead
        out.append(
            "<p>No chart: the tool this record was made with is not available here, so its scale is not known.</p>"
        )
        out.append("</section>")
        return "\n".join(out)
    low, high = view.scale
    out.append(f"<figure>{chart(view, low, high)}")
    if view.bands:
        legend = "".join(
            f'<li><span class="swatch {_band_class(b)}" aria-hidden="true"></span>{escape(b.label)}: '
            f"score up to {b.up_to:g}</li>"
            for b in view.bands
        )
        out.append(f'<ul class="legend" aria-label="Levels of need">{legend}</ul>')
    out.append(
        f"<figcaption>Domain scores on the {low}–{high} scale (higher means more concern) "
        "against the level-of-need thresholds.</figcaption>"
    )
    out.append("</figure>")
    out.append("</section>")
    return "\n".join(out)


#: The chart's layout (SVG units): names in a column of their own on the left, wrapped; bars in the
#: middle; score and band on the right, wrapped. Nothing is drawn over anything else.
CHART_WIDTH, NAME_WIDTH, PLOT_LEFT, PLOT_WIDTH, VALUE_LEFT = 760, 210, 220, 300, 532
NAME_SIZE, VALUE_SIZE, LINE = 13, 12, 16


def text_lines(text: str, size: float, room: float) -> list[str]:
    """Words in lines that fit `room` units at font `size` (a generous average glyph width, so real
    glyphs fit too); a word wider than a line is cut with an ellipsis, never drawn past it."""
    per_line = max(int(room / (size * 0.62)), 4)
    lines: list[str] = []
    for word in text.split():
        if len(word) > per_line:
            word = word[: per_line - 1] + "…"
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _svg_text(x: float, y: float, lines: list[str], size: float, extra: str = "") -> str:
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if i == 0 else LINE}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f'<text x="{x}" y="{y}" font-size="{size}"{extra}>{spans}</text>'


def chart(view: ReportView, low: int, high: int) -> str:
    """An inline SVG bar chart of the domain scores on the `low`–`high` scale against the band thresholds,
    with a text alternative. Domain names sit in their own column, so they never overlap a bar."""
    top = 6

    def x(value: float) -> float:
        share = (value - low) / (high - low) if high > low else 1.0
        return round(PLOT_LEFT + PLOT_WIDTH * max(0.0, min(1.0, share)), 1)

    rows = []
    for d in view.domains:
        name = text_lines(d.title, NAME_SIZE, NAME_WIDTH - 4)  # drawn from x=4
        shown = "not scored" if d.score is None else score_text(d.score) + (f": {d.band.label}" if d.band else "")
        words = text_lines(shown, VALUE_SIZE, CHART_WIDTH - VALUE_LEFT)
        rows.append((d, name, words, max(len(name), len(words), 2) * LINE + 8))
    bottom = top + sum(height for *_, height in rows)
    shapes: list[str] = []
    start = float(low)
    for b in view.bands:
        end = min(b.up_to if b.up_to is not None else high, high)
        if end > start:
            shapes.append(
                f'<rect x="{x(start)}" y="{top}" width="{round(x(end) - x(start), 1)}" height="{bottom - top}" '
                f'fill="{b.fill}" fill-opacity="0.14"/>'
            )
            if end < high:
                shapes.append(
                    f'<line x1="{x(end)}" y1="{top}" x2="{x(end)}" y2="{bottom}" stroke="#424242" '
                    'stroke-dasharray="4 3" stroke-width="1"/>'
                )
        start = max(start, end)
    ticks = sorted({float(v) for v in range(low, high + 1)} | {b.up_to for b in view.bands if b.up_to is not None})
    for value in ticks:
        if low <= value <= high:
            shapes.append(
                f'<line x1="{x(value)}" y1="{bottom}" x2="{x(value)}" y2="{bottom + 5}" stroke="#1a1a1a"/>'
                f'<text x="{x(value)}" y="{bottom + 19}" font-size="12" text-anchor="middle">{value:g}</text>'
            )
    shapes.append(
        f'<line x1="{PLOT_LEFT}" y1="{bottom}" x2="{PLOT_LEFT + PLOT_WIDTH}" y2="{bottom}" stroke="#1a1a1a"/>'
    )
    y = top
    for d, name, words, height in rows:
        middle = y + height / 2
        shapes.append(
            _svg_text(4, round(middle - (len(name) - 1) * LINE / 2 + 4.5, 1), name, NAME_SIZE, ' font-weight="600"')
        )
        shapes.append(_svg_text(VALUE_LEFT, round(middle - (len(words) - 1) * LINE / 2 + 4, 1), words, VALUE_SIZE))
        if d.score is not None:
            fill = d.band.fill if d.band else UNKNOWN_COLOUR[0]
            bar_width = max(2.0, x(d.score) - PLOT_LEFT)
            shapes.append(
                f'<rect x="{PLOT_LEFT}" y="{round(middle - 9, 1)}" width="{round(bar_width, 1)}" height="18" '
                f'fill="{fill}" stroke="#1a1a1a" stroke-width="1"/>'
            )
        y += height
    desc = "; ".join(
        f"{d.title}: not scored"
        if d.score is None
        else f"{d.title}: score {score_text(d.score)}, {d.band.label if d.band else 'no band'}"
        for d in view.domains
    )
    if view.bands:
        desc += ". Thresholds: " + "; ".join(f"{b.label} up to {b.up_to:g}" for b in view.bands)
    return (
        f'<svg viewBox="0 0 {CHART_WIDTH} {bottom + 28}" role="img" '
        'aria-labelledby="chart-title chart-desc" font-family="system-ui, Arial, sans-serif">'
        '<title id="chart-title">Domain scores against the levels of need</title>'
        f'<desc id="chart-desc">{escape(desc)}.</desc>' + "".join(shapes) + "</svg>"
    )


def _escalation(e: EscalationView) -> str:
    out = [
        f'<article class="escalation sev-{escape(e.severity)}" aria-labelledby="esc-{escape(e.id)}">',
        f'<h3 id="esc-{escape(e.id)}"><span class="severity">{escape(e.severity_words)}</span>{escape(e.title)}</h3>',
        f"<p>{escape(e.prompt)}</p>",
    ]
    if e.because:
        out.append("<p><strong>Because:</strong> " + "; ".join(escape(reason) for reason in e.because) + "</p>")
    if e.floor_words:
        out.append(f"<p><strong>{escape(e.floor_words)}</strong></p>")
    out.append("</article>")
    return "\n".join(out)


def _escalations(view: ReportView) -> str:
    out = ['<section aria-labelledby="escalations">', '<h2 id="escalations">Escalation prompts</h2>']
    if view.escalations:
        out += [_escalation(e) for e in view.escalations]
    else:
        out.append(f"<p>{escape(NO_ESCALATION)}</p>")
    out.append("</section>")
    return "\n".join(out)


def _still_not_known(view: ReportView) -> str:
    """What is still to find out: items not known or not answered (with why), and case facts not known."""
    out = ['<section aria-labelledby="unknown">', '<h2 id="unknown">Still not known</h2>']
    if not view.still_unknown and not view.unknown_facts:
        out.append("<p>Every item that applies is answered and every case fact is known.</p></section>")
        return "\n".join(out)
    out.append("<p>What to find out before relying on this assessment, and whom to ask.</p>")
    if view.still_unknown:
        out.append('<table><thead><tr><th scope="col" class="col-item">Item</th>')
        out.append('<th scope="col">Why it is not known</th></tr></thead><tbody>')
        for item in view.still_unknown:
            why = _text(item.reason) if item.reason else '<span class="muted">not answered</span>'
            out.append(f'<tr><th scope="row">{escape(item.name or item.id)}</th><td>{why}</td></tr>')
        out.append("</tbody></table>")
    if view.unknown_facts:
        facts = "; ".join(escape(fact.label) for fact in view.unknown_facts)
        out.append(f"<p><strong>Case facts not known:</strong> {facts}</p>")
    out.append("</section>")
    return "\n".join(out)


def _voice_and_facts(view: ReportView) -> str:
    out = []
    if view.child_voice or view.world_block("child_day") is None:
        out += ['<section aria-labelledby="voice">', '<h2 id="voice">The child’s voice</h2>']
        if view.child_voice:
            out.append(f'<blockquote class="voice">{_text(view.child_voice)}</blockquote>')
        else:
            out.append("<p>Not recorded. Has the child been seen and heard on their own?</p>")
        out.append("</section>")
    if view.world:
        out.append(blocks_html(view.world, escape, _text))
    if view.facts:
        out.append('<section aria-labelledby="facts"><h2 id="facts">Case facts</h2>')
        out.append('<table><thead><tr><th scope="col">Fact</th><th scope="col">Value</th></tr></thead><tbody>')
        for fact in view.facts:
            out.append(f'<tr><th scope="row">{escape(fact.label)}</th><td>{_text(fact.value)}</td></tr>')
        out.append("</tbody></table></section>")
    return "\n".join(out)


def _answer_row(item: ItemView) -> str:
    prompt = f'<span class="prompt">{escape(item.prompt)}</span>' if item.prompt else ""
    if item.status in ("not_known", "does_not_apply"):
        why = "Why it does not apply" if item.status == "does_not_apply" else "Why not known"
        note = f"<strong>{why}:</strong> " + (_text(item.reason) if item.reason else "no reason given")
    elif item.evidence:
        note = _text(item.evidence)
        if item.source:
            note += f'<br><span class="muted">Source: {escape(item.source)}</span>'
    else:
        note = '<span class="muted">—</span>'
    return (
        f'<tr><th scope="row">{escape(item.name or item.id)}{prompt}</th>'
        f"<td>{escape(item.rating)}</td><td>{note}</td></tr>"
    )


def _answers(view: ReportView) -> str:
    out = ['<section class="major" aria-labelledby="answers">', '<h2 id="answers">Answers and evidence</h2>']
    for d in view.domains:
        items = view.items_in(d.id)
        if not items:
            continue
        shown = [item for item in items if item.status != "not_applicable"]
        skipped = [item for item in items if item.status == "not_applicable"]
        out.append(f'<h3 id="answers-{escape(d.id)}">{escape(d.title)}</h3>')
        if shown:
            out.append(f'<table aria-labelledby="answers-{escape(d.id)}"><thead><tr>')
            out.append(
                '<th scope="col" class="col-item">Item</th><th scope="col" class="col-rating">Rating</th>'
                '<th scope="col">Evidence</th></tr></thead><tbody>'
            )
            out += [_answer_row(item) for item in shown]
            out.append("</tbody></table>")
        if skipped:
            names = ", ".join(escape(item.name or item.id) for item in skipped)
            out.append(f'<p class="muted">Not applicable at this age: {names}</p>')
    out.append("</section>")
    return "\n".join(out)


def _reflection(view: ReportView) -> str:
    if not view.reflection:
        return ""
    items = "".join(f"<li>{escape(p)}</li>" for p in view.reflection)
    return (
        '<section class="major" aria-labelledby="supervision"><h2 id="supervision">For supervision</h2>'
        "<p>Questions to talk through with your supervisor before deciding what to do.</p>"
        f"<ul>{items}</ul></section>"
    )
