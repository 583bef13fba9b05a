"""Drift in plans shown by `diff` and `trend` as of a date (issue 16): actions overdue, outcomes not
achieved at review, the same need in a third plan, assessments waiting for sign-off over 5 working days."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import TESTS, Neglect
from neglect_cli.plandrift import working_days_between

PLANS = TESTS / "fixtures" / "plans"


@pytest.fixture(autouse=True)
def plans_tool_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(PLANS))


@pytest.fixture
def same(neglect: Neglect, tmp_path: Path) -> Path:
    """SAME-1's three assessments (the same need in three plans), records in one folder."""
    folder = tmp_path / "same"
    folder.mkdir()
    for n in (1, 2, 3):
        shutil.copy(PLANS / "trainer" / f"same-{n}.yaml", folder)
        ran = neglect("assess", "--answers", folder / f"same-{n}.yaml", "--out", folder)
        assert ran.exit_code == 0, ran.output
    return folder


def test_trend_shows_plan_drift_as_of_a_date(neglect: Neglect, same: Path) -> None:
    ran = neglect("trend", same, "--as-of", "2026-09-20", "--format", "md")
    assert ran.exit_code == 0, ran.output
    section = ran.stdout.split("## Plans (as of 2026-09-20)", 1)[1].split("\n\n*This tool supports", 1)[0]
    plans = section.strip().splitlines()  # the section, before the closing disclaimer
    assert plans == [
        "- overdue as of 2026-09-20: Family support worker, by 2026-09-07: Weekly food shop together with the "
        "family support worker (Food; not yet reviewed)",
        "- Food: carried into plan 3 in a row on 2026-08-24",
        "- Food: not achieved for the child at the review of 2026-07-13 (the plan of 2026-06-01)",
        "- Food: not achieved for the child at the review of 2026-08-24 (the plan of 2026-07-13)",
        "- the assessment of 2026-06-01 has waited 79 working days for a supervisor's sign-off",
        "- the assessment of 2026-07-13 has waited 49 working days for a supervisor's sign-off",
        "- the assessment of 2026-08-24 has waited 19 working days for a supervisor's sign-off",
    ]


def test_a_markdown_trend_written_with_out_carries_the_plan_drift_it_prints(
    neglect: Neglect, same: Path, tmp_path: Path
) -> None:
    printed = neglect("trend", same, "--as-of", "2026-09-20", "--format", "md")
    out = tmp_path / "trend.md"
    ran = neglect("trend", same, "--as-of", "2026-09-20", "--out", out)
    assert ran.exit_code == 0, ran.output
    written = out.read_text(encoding="utf-8")
    assert "## Plans (as of 2026-09-20)" in written
    assert "- Food: carried into plan 3 in a row on 2026-08-24" in written
    assert written == printed.stdout  # the file is what `--format md` prints, plan drift and all


def test_nothing_is_overdue_before_its_date_and_a_signoff_ends_the_wait(neglect: Neglect, same: Path) -> None:
    answers = {
        "agrees": True, "why": "Right level.", "decision": "strategy_discussion", "role": "Team manager",
        "name": "T. Manager", "signed_on": "2026-08-26",
    }
    (same / "s.yaml").write_text(yaml.safe_dump(answers), encoding="utf-8")
    assert neglect("signoff", same / "SAME-1_2026-08-24.json", "--answers", same / "s.yaml").exit_code == 0
    ran = neglect("diff", same / "SAME-1_2026-07-13.json", same / "SAME-1_2026-08-24.json", "--as-of", "2026-08-31",
                  "--format", "json")
    assert ran.exit_code == 0, ran.output
    kinds = [(d["kind"], d["assessed_on"]) for d in json.loads(ran.stdout)["plans"]]
    assert ("overdue", "2026-08-24") not in kinds  # due 2026-09-07
    assert ("awaiting_signoff", "2026-08-24") not in kinds  # signed off
    assert ("awaiting_signoff", "2026-07-13") in kinds
    assert ("third_plan", "2026-08-24") in kinds


def test_a_bad_as_of_date_is_refused(neglect: Neglect, same: Path) -> None:
    ran = neglect("trend", same, "--as-of", "next week")
    assert ran.exit_code == 2 and "--as-of: not a date: write it as YYYY-MM-DD (2026-11-27) or DD/MM/YYYY" in ran.stderr


def test_working_days_leave_out_weekends() -> None:
    friday = dt.date(2026, 11, 20)
    assert working_days_between(friday, dt.date(2026, 11, 23)) == 1  # Saturday, Sunday, Monday
    assert working_days_between(friday, dt.date(2026, 11, 27)) == 5
    assert working_days_between(friday, friday) == 0


def _words(text: str, fmt: str) -> str:
    """A command's output reduced to its words (tags gone for HTML, Markdown escapes for md)."""
    import html
    import re

    if fmt == "html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    if fmt == "md":
        text = re.sub(r"\\(.)", r"\1", text)
    return " ".join(text.split())


@pytest.mark.parametrize("command", ["diff", "trend"])
def test_every_format_of_diff_and_trend_says_the_plan_drift_written_or_printed(
    neglect: Neglect, same: Path, tmp_path: Path, command: str
) -> None:
    """The plan drift is part of the one view model: the terminal, a Markdown or HTML file (--out), and the
    HTML page on standard output all say every line of it, under its heading."""
    records = [same / "SAME-1_2026-07-13.json", same / "SAME-1_2026-08-24.json"] if command == "diff" else [same]
    ran = neglect(command, *records, "--as-of", "2026-09-20", "--format", "json")
    lines = [d["text"] for d in json.loads(ran.stdout)["plans"]]
    assert len(lines) >= 4 and any("overdue as of 2026-09-20" in line for line in lines)
    shown = {"terminal": neglect(command, *records, "--as-of", "2026-09-20").stdout}
    shown["html-stdout"] = neglect(command, *records, "--as-of", "2026-09-20", "--format", "html", "--out", "-").stdout
    for suffix in ("md", "html"):
        out = tmp_path / f"{command}.{suffix}"
        ran = neglect(command, *records, "--as-of", "2026-09-20", "--out", out)
        assert ran.exit_code == 0, ran.output
        shown[suffix] = out.read_text(encoding="utf-8")
    assert shown["md"] == neglect(command, *records, "--as-of", "2026-09-20", "--format", "md").stdout
    for fmt, text in shown.items():
        words = _words(text, fmt.removesuffix("-stdout"))
        heading = "PLANS (as of 2026-09-20)" if fmt == "terminal" else "Plans (as of 2026-09-20)"
        assert heading.casefold() in words.casefold(), fmt
        missing = [line for line in lines if " ".join(line.split()) not in words]
        assert not missing, f"{command} {fmt} leaves out {missing}"
    # the page is judged on its own date: before the action's date, nothing is overdue
    early = neglect(command, *records, "--as-of", "2026-08-25", "--format", "html", "--out", "-").stdout
    assert "Plans (as of 2026-08-25)" in early and "overdue as of" not in early
