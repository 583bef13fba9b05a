"""Dates as people in the UK write them (DD/MM/YYYY, D/M/YYYY) are read wherever a date is read, and
written out as ISO; a date that cannot be read for sure is refused with the accepted forms.
(What each refusal says is in the bad-input corpus: tests/bad_inputs/answers/date-*.yaml.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import TESTS, Neglect
from neglect_cli.dates import parse_date

GOOD = TESTS / "bad_inputs" / "good"


@pytest.fixture(autouse=True)
def mini_tool_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(GOOD / "tool"))


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2026-11-20", "2026-11-20"),
        ("20/11/2026", "2026-11-20"),
        ("1/2/2026", "2026-02-01"),
        (" 09/03/2026 ", "2026-03-09"),
    ],
)
def test_iso_and_day_first_dates_are_read(text: str, iso: str) -> None:
    assert parse_date(text).isoformat() == iso


@pytest.mark.parametrize("text", ["11/20/2026", "20/11/26", "31/02/2026", "20.11.2026", "20-11-2026", "Tuesday", ""])
def test_a_date_that_cannot_be_read_for_sure_is_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError, match=r"YYYY-MM-DD \(2026-11-27\) or DD/MM/YYYY \(27/11/2026\)"):
        parse_date(text)


def test_an_answers_file_with_uk_dates_gives_a_record_with_iso_dates(neglect: Neglect, tmp_path: Path) -> None:
    text = (GOOD / "answers.yaml").read_text(encoding="utf-8")
    text = text.replace("tool: tool/mini-tool.yaml", "tool: mini-tool")
    text = text.replace("assessed_on: 2026-11-20", "assessed_on: 20/11/2026")
    text = text.replace("last_seen: 2026-11-01", 'last_seen: "1/11/2026"')
    case = tmp_path / "case.yaml"
    case.write_text(text, encoding="utf-8")
    ran = neglect("assess", "--answers", case, "--out", tmp_path / "r.json", "--format", "json")
    assert ran.exit_code == 0, ran.output
    record = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert record["case"]["assessed_on"] == "2026-11-20"
    assert record["context"]["last_seen"] == "2026-11-01"
    assert neglect("verify", tmp_path / "r.json").exit_code == 0


def test_date_flags_take_uk_dates_and_refuse_what_they_cannot_read(neglect: Neglect, tmp_path: Path) -> None:
    stored = neglect("assess", "--answers", GOOD / "answers.yaml", "--out", tmp_path / "r.json")
    assert stored.exit_code == 0, stored.output  # the store now exists
    assert neglect("caseload", "--as-of", "24/11/2026").exit_code == 0
    ran = neglect("caseload", "--as-of", "11/24/2026")
    assert ran.exit_code == 2
    assert "command line: --as-of: `11/24/2026` is not a real date: the day comes first; write it as YYYY-MM-DD" in (
        ran.stderr
    )
    ran = neglect("store", "purge", "--before", "1/1/26", "--yes")
    assert ran.exit_code == 2 and "--before: `1/1/26` is ambiguous: give the year in full" in ran.stderr


def test_plan_and_signoff_dates_are_read_day_first_like_every_other_date(neglect: Neglect, tmp_path: Path) -> None:
    # README: dates are read as YYYY-MM-DD or DD/MM/YYYY wherever one is read; a plan's action date, its
    # review date, the meeting it is deferred to and a sign-off's date were refused with pydantic's words
    text = (TESTS / "bad_inputs" / "answers" / "plan-action-before-assessment.yaml").read_text(encoding="utf-8")
    text = text.replace("../good/tool/mini-tool.yaml", "mini-tool")
    text = text.replace("review_on: 2026-12-18", "review_on: 18/12/2026").replace("by: 2026-11-01", "by: 4/12/2026")
    case = tmp_path / "case.yaml"
    case.write_text(text, encoding="utf-8")
    ran = neglect("assess", "--answers", case, "--out", tmp_path / "r.json")
    assert ran.exit_code == 0, ran.output
    record = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert record["plan"]["review_on"] == "2026-12-18"
    assert record["plan"]["needs"][0]["actions"][0]["by"] == "2026-12-04"
    assert neglect("verify", tmp_path / "r.json").exit_code == 0

    deferred = text.split("plan:")[0] + "plan: {deferred_to: {meeting: Child in need meeting, date: 27/11/2026}}\n"
    case.write_text(deferred, encoding="utf-8")
    ran = neglect("assess", "--answers", case, "--out", tmp_path / "d.json")
    assert ran.exit_code == 0, ran.output
    assert json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))["plan"]["deferred_to"]["date"] == "2026-11-27"

    signoff = tmp_path / "signoff.yaml"
    signoff.write_text(
        "agrees: true\nwhy: The level is right.\ndecision: continue\nrole: Team manager\nname: T. Manager\n"
        "signed_on: 23/11/2026\n",
        encoding="utf-8",
    )
    ran = neglect("signoff", tmp_path / "r.json", "--answers", signoff)
    assert ran.exit_code == 0, ran.output
    sealed = json.loads((tmp_path / "r.signoff.json").read_text(encoding="utf-8"))
    assert sealed["signoff"]["signed_on"] == "2026-11-23"
    assert neglect("verify", tmp_path / "r.signoff.json").exit_code == 0


@pytest.mark.parametrize("written", ["2026-11-20T10:00:00", "2026-11-20 00:00:00", "2026-11-20T23:30:00+01:00"])
def test_a_date_and_time_is_refused_never_cut_to_its_day(neglect: Neglect, tmp_path: Path, written: str) -> None:
    # a time of 00:00 was taken as the day and any other time gave pydantic's words; 23:30 at +01:00 is
    # another day in UTC: which day is meant is the writer's to say
    text = (GOOD / "answers.yaml").read_text(encoding="utf-8").replace("tool: tool/", "tool: ")
    case = tmp_path / "case.yaml"
    case.write_text(text.replace("assessed_on: 2026-11-20", f"assessed_on: {written}"), encoding="utf-8")
    ran = neglect("score", case)
    assert ran.exit_code == 2
    assert "case.assessed_on: a date and time, not a date: write the date alone, as YYYY-MM-DD" in ran.stderr
