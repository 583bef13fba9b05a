"""The HTML report on paper: printed to PDF by headless Chromium and read back page by page with
pdftotext (poppler-utils), as a supervisor would pick up loose pages after a conference.

Skipped, with the reason, when Chromium or pdftotext is not installed (`.ci/run` installs both).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers import CASES, Neglect
from helpers.browser import browser, headless


def pdftotext() -> str:
    found = shutil.which("pdftotext")
    if found is None:
        pytest.skip("no pdftotext (install Debian's `poppler-utils`; .ci/run does) — printed pages not read")
    return found


def printed(neglect: Neglect, tmp_path: Path, case: str) -> tuple[Path, Path]:
    """The case's record reported as HTML and printed to an A4 PDF: (html, pdf)."""
    binary, reader = browser(), pdftotext()
    assert reader
    record, html, pdf = tmp_path / f"{case}.json", tmp_path / f"{case}.html", tmp_path / f"{case}.pdf"
    made = neglect("assess", "--answers", CASES / f"{case}.yaml", "--partial", "--out", record)
    assert made.exit_code == 0, made.stderr
    assert neglect("report", record, "--out", html).exit_code == 0
    ran = headless(binary, tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    assert pdf.is_file() and pdf.stat().st_size > 0, ran.stderr[-2000:]
    return html, pdf


def pages(pdf: Path, *extra: str) -> list[str]:
    text = subprocess.run(
        [pdftotext(), "-layout", *extra, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.parametrize(
    ("case", "ref", "date"),
    [
        ("04-child-protection-left-alone", "TRAIN-004", "2026-02-16"),
        ("11-incomplete-low-coverage", "TRAIN-011", "2026-08-24"),
    ],
)
def test_every_printed_page_names_the_case_the_date_and_its_page_number(
    neglect: Neglect, tmp_path: Path, case: str, ref: str, date: str
) -> None:
    _, pdf = printed(neglect, tmp_path, case)
    text = pages(pdf)
    assert len(text) >= 3
    for number, page in enumerate(text, start=1):
        words = " ".join(page.split())
        assert f"Neglect assessment — case {ref}" in words, f"page {number} has no case ref"
        assert f"Assessed on {date}" in words, f"page {number} has no assessment date"
        assert f"Page {number} of {len(text)}" in words, f"page {number} has no page number"


def test_the_printed_report_lists_what_is_still_not_known(neglect: Neglect, tmp_path: Path) -> None:
    _, pdf = printed(neglect, tmp_path, "11-incomplete-low-coverage")
    words = " ".join(" ".join(pages(pdf)).split())
    section = words[words.index("Still not known What to find out") :]
    for item in ("Safety in the home", "Clothing", "Dental care"):  # unanswered in the case
        assert item in section
    assert "Case facts not known:" in section
    assert "Difficulties affecting the adults' care" in section.split("Case facts not known:")[1]


def test_a_fully_answered_report_says_nothing_is_still_unknown(neglect: Neglect, tmp_path: Path) -> None:
    html, _ = printed(neglect, tmp_path, "04-child-protection-left-alone")
    text = " ".join(re.sub(r"<[^>]+>", " ", html.read_text(encoding="utf-8")).split())
    assert "Still not known" in text
    assert "Every item that applies is answered" in text or "Case facts not known" in text


def test_the_chart_keeps_domain_names_clear_of_the_bars(neglect: Neglect, tmp_path: Path) -> None:
    html, pdf = printed(neglect, tmp_path, "04-child-protection-left-alone")
    # In the SVG: names in their own column, left of every bar, each line short enough for it.
    from neglect_cli.render.html import NAME_SIZE, NAME_WIDTH, PLOT_LEFT

    svg = re.search(r"<svg.*?</svg>", html.read_text(encoding="utf-8"), re.S)
    assert svg is not None
    root = ET.fromstring(svg[0])
    ns = ""  # inline SVG in HTML carries no namespace
    bars = [r for r in root.iter(f"{ns}rect") if r.get("stroke") == "#1a1a1a"]
    assert len(bars) == 4 and all(float(r.get("x", 0)) >= PLOT_LEFT for r in bars)
    names = [t for t in root.iter(f"{ns}text") if t.get("font-weight") == "600"]
    assert len(names) == 4
    for name in names:
        for line in name.iter(f"{ns}tspan"):
            assert float(line.get("x", 0)) + len(line.text or "") * NAME_SIZE * 0.62 <= NAME_WIDTH
    # On paper: every word of the names ends left of the scale's first tick, where the bars start.
    bbox = subprocess.run(
        [pdftotext(), "-bbox", "-f", "1", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = re.split(r"<page ", bbox)[1:]
    chart_page = next((p for p in pages if re.search(r'>1\.5<', p)), "")  # the page the chart's scale is on
    words = [
        (float(m[1]), float(m[2]), float(m[3]), m[4])
        for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', chart_page)
    ]
    axis = [w for w in words if w[3] == "1.5"]  # the first threshold's tick label, under the plot
    assert axis, "the chart's scale was not printed"
    tick_y = axis[0][1]
    plot_left_on_paper = min(w[0] for w in words if abs(w[1] - tick_y) < 2 and w[3] in {"1", "1.5", "2"})
    chart_words = [w for w in words if tick_y - 120 < w[1] < tick_y]  # the chart's rows, not the table's
    for title in ("Physical care, supervision and safety", "Emotional care", "Education and learning"):
        for word in title.split():
            found = [w for w in chart_words if w[3] == word]
            assert found, f"{word!r} of {title!r} not in the printed chart"
            assert all(w[2] < plot_left_on_paper for w in found), f"{word!r} runs into the bars"


@pytest.mark.parametrize("command", ["diff", "trend"])
def test_a_printed_diff_or_trend_names_the_case_and_page_on_every_page(
    neglect: Neglect, tmp_path: Path, command: str
) -> None:
    binary = browser()
    records = []
    for stem in ("10a-drift-first-review", "10b-drift-second-review", "10c-improved-third-review"):
        records.append(tmp_path / f"{stem}.json")
        assert neglect("assess", "--answers", CASES / f"{stem}.yaml", "--out", records[-1]).exit_code == 0
    html, pdf = tmp_path / f"{command}.html", tmp_path / f"{command}.pdf"
    chosen = records[::2] if command == "diff" else records
    ran = neglect(command, *chosen, "--out", html)
    assert ran.exit_code == 0, ran.stderr
    page = html.read_text(encoding="utf-8")
    assert "default-src 'none'" in page and "<script" not in page
    from neglect_cli.render.html import CSS

    assert CSS in page  # styled like the report: the same style sheet
    headless(binary, tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    text = pages(pdf)
    for number, one in enumerate(text, start=1):
        words = " ".join(one.split())
        assert "case TRAIN-010" in words and f"Page {number} of {len(text)}" in words
        assert "Assessed on 2026-05-11" in words
    everything = " ".join(" ".join(text).split())
    assert "supports professional judgement" in everything
    if command == "trend":
        assert "DRIFT AND DELAY" in everything or "Drift and delay" in everything
    else:
        assert "worsened" in everything or "improved" in everything or "unchanged" in everything


def test_a_hostile_case_ref_cannot_leave_the_page_css() -> None:
    from neglect_cli.render.html import page_css

    css = page_css('X"}</style><script>alert(1)</script>', "2026-01-01")
    assert "</" not in css and "<" not in css and '"}' not in css.replace('" counter', "")
    assert css.count('"') == 8  # three quoted strings, and "Page " and " of "
