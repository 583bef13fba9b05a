"""The HTML report in a real browser: headless Chromium renders it to a PNG and prints it to an A4 PDF.

Skipped, with the reason, only when no Chromium binary is installed (`.ci/run` installs Debian's
`chromium`). The PNG is decoded here with zlib (no imaging library needed) and the PDF's pages are
counted from its page objects.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import CASES
from helpers.browser import A4_POINTS, browser, headless, pdf_pages, png_rows

LEVEL_4_RED = (0xC6, 0x28, 0x28)  # the fill of the fourth band (render.view.BAND_COLOURS[3])


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from neglect_cli.cli import app

    folder = tmp_path_factory.mktemp("browser")
    record, html = folder / "record.json", folder / "report.html"
    runner = CliRunner()
    case = CASES / "04-child-protection-left-alone.yaml"
    ran = runner.invoke(app, ["assess", "--answers", str(case), "--out", str(record), "--format", "json"])
    assert ran.exit_code == 0, ran.output
    ran = runner.invoke(app, ["report", str(record), "--format", "html", "--out", str(html)])
    assert ran.exit_code == 0, ran.output
    return html


def test_chromium_screenshot_of_the_report_shows_the_level_in_its_band_colour(
    report_html: Path, tmp_path: Path
) -> None:
    binary = browser()
    png = tmp_path / "report.png"
    ran = headless(binary, tmp_path / "profile", "--window-size=900,1200", f"--screenshot={png}", report_html.as_uri())
    assert ran.returncode == 0, ran.stderr[-2000:]
    width, height, rows = png_rows(png.read_bytes())
    assert (width, height) == (900, 1200)
    # Read from the top until the page has shown plenty of ink and the Level 4 colour (header, badge, chart).
    ink = red = 0
    for row in rows:
        ink += sum(1 for p in row if p != (255, 255, 255))
        red += sum(1 for p in row if all(abs(a - b) <= 12 for a, b in zip(p, LEVEL_4_RED, strict=True)))
        if ink > 20_000 and red > 500:
            break
    assert ink > 20_000, "the screenshot is blank"
    assert red > 500, "no Level 4 badge or bar in the band colour"


def test_chromium_prints_the_report_to_a_few_a4_pages(report_html: Path, tmp_path: Path) -> None:
    binary = browser()
    pdf = tmp_path / "report.pdf"
    ran = headless(
        binary, tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", report_html.as_uri()
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = pdf_pages(data)
    # summary and chart, escalations and the child's voice, two or three pages of answers, supervision
    # (trainer case 04, Level 4 with nine prompts since neglect-core 3.4.0 added domestic abuse's: 11 pages)
    assert 4 <= len(pages) <= 12, len(pages)
    for width, height in pages:
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2, (width, height)


def test_chromium_renders_the_childs_world_sections(tmp_path: Path) -> None:
    """Issue 14: the child's day, the household, sources, strengths beside worries and capacity to change
    are in the page Chromium builds from the report (a baby without words, a father not contacted)."""
    from typer.testing import CliRunner

    from neglect_cli.cli import app

    binary = browser()
    record, html = tmp_path / "record.json", tmp_path / "report.html"
    runner = CliRunner()
    case = CASES / "19-baby-seen-no-words.yaml"
    ran = runner.invoke(app, ["assess", "--answers", str(case), "--out", str(record), "--format", "json"])
    assert ran.exit_code == 0, ran.output
    ran = runner.invoke(app, ["report", str(record), "--format", "html", "--out", str(html)])
    assert ran.exit_code == 0, ran.output
    ran_dom = headless(binary, tmp_path / "profile", "--dump-dom", html.as_uri())
    assert ran_dom.returncode == 0, ran_dom.stderr[-2000:]
    dom = ran_dom.stdout
    headings = re.findall(r'<h2 id="world-[a-z_]+">([^<]+)</h2>', dom)
    assert headings == [
        "Seen and heard",
        "Household and significant adults",
        "Worries and strengths",
        "Response to help and capacity to change",
    ]
    assert "Babbles, reaches for toys and rolls." in dom
    assert "Father: not seen or spoken to" in dom
    assert "Source: told by the health visitor, 2026-08-05" in dom
    beside = dom[dom.index('<div class="beside">') :]
    assert beside.index("What we are worried about") < beside.index("What is going well")
    png = tmp_path / "world.png"
    ran_png = headless(binary, tmp_path / "profile", "--window-size=900,1200", f"--screenshot={png}", html.as_uri())
    assert ran_png.returncode == 0 and png.stat().st_size > 0
