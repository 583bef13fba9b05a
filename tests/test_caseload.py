"""`neglect caseload` and the case-ref forms of diff, trend and report, on both store backends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import Neglect
from helpers.storecases import answers_file


def assess(neglect: Neglect, case: Path, out: Path) -> None:
    ran = neglect("assess", "--answers", case, "--out", out, "--format", "json")
    assert ran.exit_code == 0, ran.stderr


def caseload(neglect: Neglect, *options: str) -> dict[str, Any]:
    ran = neglect("caseload", "--format", "json", *options)
    assert ran.exit_code == 0, ran.stderr
    data: dict[str, Any] = json.loads(ran.stdout)
    return data


def refs(data: dict[str, Any], section: str) -> list[str]:
    return [e["case_ref"] for e in data["sections"][section]["entries"]]


def test_the_queue_sorts_children_into_what_needs_attention(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    # level 4 with an IMMEDIATE prompt, review (4 weeks) long overdue
    assess(neglect, answers_file(cases, "SCH-RED", "2026-02-16", base="04-child-protection-left-alone.yaml"), tmp_path)
    # level 2, review (12 weeks) due 2026-11-30: within 14 days of the pinned today, 2026-11-24
    assess(neglect, answers_file(cases, "SCH-SOON", "2026-09-07", base="10a-drift-first-review.yaml"), tmp_path)
    # drift: reviewed 35 days after the first review was due, and worse
    assess(neglect, answers_file(cases, "SCH-DRIFT", "2026-05-11", base="10a-drift-first-review.yaml"), tmp_path)
    assess(neglect, answers_file(cases, "SCH-DRIFT", "2026-09-07", base="10b-drift-second-review.yaml"), tmp_path)
    # a level lowered by the practitioner's override (level 3 computed, 2 agreed with the team manager)
    lowered = {
        "band": "level-2",
        "rationale": "Support is in place.",
        "agreed_by": "T. Manager",
        "agreed_on": "2026-10-13",
    }
    assess(
        neglect,
        answers_file(cases, "SCH-LOW", "2026-10-12", base="10b-drift-second-review.yaml", override=lowered),
        tmp_path,
    )
    # a training case never shows
    assess(
        neglect,
        answers_file(cases, "TRAIN-X", "2026-01-05", base="04-child-protection-left-alone.yaml", training=True),
        tmp_path,
    )

    data = caseload(neglect)
    assert data["as_of"] == "2026-11-24" and data["children"] == 4
    assert refs(data, "overdue")[0] == "SCH-RED"
    assert data["sections"]["overdue"]["entries"][0]["days"] == 253  # due 2026-03-16
    assert "SCH-SOON" in refs(data, "due_soon")
    assert refs(data, "drift") == ["SCH-DRIFT"]
    assert "35 days after the review due 2026-08-03" in data["sections"]["drift"]["entries"][0]["why"]
    assert refs(data, "urgent")[0] == "SCH-RED"
    assert "IMMEDIATE" in data["sections"]["urgent"]["entries"][0]["why"]
    assert refs(data, "lowered_by_override") == ["SCH-LOW"]
    assert "agreed by T. Manager" in data["sections"]["lowered_by_override"]["entries"][0]["why"]
    assert "TRAIN-X" not in json.dumps(data)
    assert "TRAIN-X" in json.dumps(caseload(neglect, "--training"))

    # as of an earlier date, only what was known then
    before = caseload(neglect, "--as-of", "2026-06-01")
    assert before["children"] == 2 and refs(before, "drift") == []

    text = neglect("caseload")
    assert text.exit_code == 0
    assert "Reviews overdue (most overdue first): " in text.stdout and "SCH-RED  #" in text.stdout


def test_filters_by_assessor_and_supervisor(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    assess(neglect, answers_file(cases, "SCH-A", "2026-05-11", assessor="A. Worker", supervisor="S. Lead"), tmp_path)
    assess(neglect, answers_file(cases, "SCH-B", "2026-05-11", assessor="B. Worker", supervisor="S. Lead"), tmp_path)
    assert caseload(neglect, "--assessor", "a. worker")["children"] == 1
    assert refs(caseload(neglect, "--assessor", "A. Worker"), "overdue") == ["SCH-A"]
    assert caseload(neglect, "--supervisor", "S. Lead")["children"] == 2
    assert caseload(neglect, "--supervisor", "Nobody")["children"] == 0


def test_html_and_markdown_escape_what_they_show(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    assess(neglect, answers_file(cases, "SCH-C", "2026-05-11", assessor="<script>alert(1)</script>"), tmp_path)
    ran = neglect("caseload", "--out", tmp_path / "queue.html")
    assert ran.exit_code == 0, ran.stderr
    page = (tmp_path / "queue.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert (tmp_path / "queue.html").stat().st_mode & 0o777 == 0o600
    md = neglect("caseload", "--format", "md")
    assert "\\<script\\>" in md.stdout


def test_diff_trend_and_report_take_a_case_ref(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    bases = ["10a-drift-first-review.yaml", "10b-drift-second-review.yaml", "10c-improved-third-review.yaml"]
    for day, base in zip(("2026-05-11", "2026-09-07", "2026-10-12"), bases, strict=True):
        assess(neglect, answers_file(cases, "SCH-D", day, base=base), tmp_path)

    latest = json.loads(neglect("diff", "SCH-D", "--format", "json").stdout)
    assert (latest["old"]["assessed_on"], latest["new"]["assessed_on"]) == ("2026-09-07", "2026-10-12")
    since = json.loads(neglect("diff", "SCH-D", "--from", "2026-06-01", "--format", "json").stdout)
    assert (since["old"]["assessed_on"], since["new"]["assessed_on"]) == ("2026-05-11", "2026-10-12")

    trend = json.loads(neglect("trend", "SCH-D", "--format", "json").stdout)
    assert [p["assessed_on"] for p in trend["assessments"]] == ["2026-05-11", "2026-09-07", "2026-10-12"]

    report = neglect("report", "SCH-D", "--format", "md")
    assert report.exit_code == 0
    assert "Assessed on:** 2026-10-12" in report.stdout
    assert "Review within 12 weeks, by 2027-01-04." in report.stdout  # the review date, not only the period

    missing = neglect("diff", "SCH-NONE")
    assert missing.exit_code == 2 and "no assessments of case 'SCH-NONE'" in missing.stderr
    assert neglect("diff", "SCH-D", "--from", "2020-01-01").exit_code == 2
