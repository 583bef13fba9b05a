"""`neglect report --for family`: a plain-language copy for parents and carers (issue 16).

What is going well, the worries, what will happen and by when — no scores, levels, rule names
or professional shorthand — in plain English (a reading-ease check with textstat), and printable
(headless Chromium prints it to A4).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat  # type: ignore[import-untyped]  # textstat 0.7.3 ships no type hints

from helpers import CASES, TESTS, Neglect
from helpers.browser import A4_POINTS, browser, headless, pdf_pages, png_rows

PLANS = TESTS / "fixtures" / "plans"
#: Words of the trade a family copy never uses (the tool's levels, rules and scoring).
JARGON = re.compile(
    r"\b(level|band|score|scored|escalation|domain|coverage|threshold|section 4[67]|child protection|"
    r"child in need|early help|universal|override|rating|provisional|neglect)\b",
    re.IGNORECASE,
)


@pytest.fixture(autouse=True)
def plans_tool_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(PLANS))


def family_copy(neglect: Neglect, tmp_path: Path, case: Path, fmt: str) -> str:
    record = tmp_path / "record.json"
    ran = neglect("assess", "--answers", case, "--out", record, "--force")
    assert ran.exit_code == 0, ran.output
    ran = neglect("report", record, "--for", "family", "--format", fmt)
    assert ran.exit_code == 0, ran.output
    return ran.stdout


def test_the_family_copy_says_what_is_going_well_the_worries_and_what_will_happen_by_when(
    neglect: Neglect, tmp_path: Path
) -> None:
    text = " ".join(family_copy(neglect, tmp_path, PLANS / "signoff-case.yaml", "md").split())
    assert "## What is going well" in text and "Appointments." in text
    assert "## What we are worried about" in text and "We are worried about: food." in text
    assert "What we want to see for your child: The child has breakfast and a hot meal every day" in text
    assert "Social worker will do this by Monday 9 November 2026: Food bank referral" in text
    assert "We will meet with you again by Monday 30 November 2026." in text


SHOWN = [
    PLANS / "signoff-case.yaml",
    CASES / "10a-drift-first-review.yaml",
    CASES / "04-child-protection-left-alone.yaml",
]


@pytest.mark.parametrize("case", SHOWN)
def test_the_family_copy_has_no_scores_levels_rule_names_or_jargon(
    neglect: Neglect, tmp_path: Path, case: Path
) -> None:
    text = family_copy(neglect, tmp_path, case, "terminal")
    found = JARGON.findall(text)
    assert found == [], found
    assert not re.search(r"\d\.\d", text), "a score"
    assert not re.search(r"\b[a-z]+\.[a-z_]+\b", text), "an item id"


@pytest.mark.parametrize("case", [PLANS / "signoff-case.yaml", CASES / "10a-drift-first-review.yaml"])
def test_the_family_copy_reads_as_plain_english(neglect: Neglect, tmp_path: Path, case: Path) -> None:
    text = family_copy(neglect, tmp_path, case, "terminal")
    prose = " ".join(line.strip() for line in text.splitlines() if line.strip() and not line.isupper())
    # Flesch reading ease 60+ is plain English (about age 13-15); the grade is the US school year.
    assert textstat.flesch_reading_ease(prose) >= 60, textstat.flesch_reading_ease(prose)
    assert textstat.flesch_kincaid_grade(prose) <= 9, textstat.flesch_kincaid_grade(prose)


def test_the_family_copy_prints_to_a4_in_headless_chromium(neglect: Neglect, tmp_path: Path) -> None:
    binary = browser()
    record, page = tmp_path / "record.json", tmp_path / "family.html"
    assert neglect("assess", "--answers", PLANS / "signoff-case.yaml", "--out", record).exit_code == 0
    ran = neglect("report", record, "--for", "family", "--out", page)
    assert ran.exit_code == 0 and "family copy written" in ran.stderr
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "What we found, and what happens next" in html

    png = tmp_path / "family.png"
    shot = headless(binary, tmp_path / "profile", "--window-size=800,1000", f"--screenshot={png}", page.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    width, height, rows = png_rows(png.read_bytes())
    ink = sum(1 for row in rows for p in row if p != (255, 255, 255))
    assert (width, height) == (800, 1000) and ink > 10_000, "the page is blank"

    pdf = tmp_path / "family.pdf"
    printed = headless(binary, tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert printed.returncode == 0, printed.stderr[-2000:]
    pages = pdf_pages(pdf.read_bytes())
    assert 1 <= len(pages) <= 2, len(pages)
    for w, h in pages:
        assert abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2, (w, h)
