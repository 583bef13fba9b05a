"""The chronology's suggestions in a real terminal: shown before the fact, Enter keeps one, a correction
replaces another, and the record keeps both."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from helpers import TESTS, Neglect
from helpers.terminal import answer, enter_case, finish, save_as_it_is, spawn

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
TOOL = TESTS / "interview" / "chronology-tool.yaml"


def test_suggested_facts_are_kept_with_enter_and_corrected_by_typing(neglect: Neglect, tmp_path: Path) -> None:
    store = tmp_path / "data" / "records.sqlite3"  # the store the in-process commands use (conftest)
    for day, category in (("2026-06-03", "not-brought"), ("2026-07-15", "not-brought"), ("2025-09-10", "referral")):
        ran = neglect("chronology", "add", "TERM-1", "--by", "A", "--date", day, "--category", category,
                      "--agency", "Health", "--event", "Entry")  # fmt: skip
        assert ran.exit_code == 0, ran.stderr
    child = spawn(tmp_path, "assess", "--tool", str(TOOL), columns=100, env={"NEGLECT_STORE": str(store)})
    enter_case(child, "TERM-1")
    answer(child, "Age in months?", "30\r")
    answer(child, "Engagement?", "\r")  # skipped
    answer(child, "Parental factors?", "\r")
    answer(child, "Hardship?", "n")
    answer(child, "Child last seen on?", "\r")
    answer(child, "Support offered?", "\r")
    child.expect_exact("From the chronology: 2 'not brought' entries in the 12 months to 2026-11-24")
    answer(child, "Appointments not brought to in 12 months?", "\r")  # Enter keeps 2
    child.expect_exact("From the chronology: the first concern in the chronology is 2025-09-10")
    answer(child, "Months the concerns have lasted?", "\x15" + "12\r")  # Ctrl-U clears 14; 12 typed
    answer(child, "An earlier plan for neglect?", "n")  # nothing suggested: no plan has ended
    answer(child, "Rating for Food", "1")
    answer(child, "Rating for Home", "1")
    answer(child, "Rating for Appointments", "1")
    answer(child, "Rating for Teeth", "1")
    save_as_it_is(child)
    child.expect_exact("record written: TERM-1_2026-11-24.json (0600)")
    assert finish(child) == 0
    record = json.loads((tmp_path / "TERM-1_2026-11-24.json").read_text(encoding="utf-8"))
    assert {s["fact"]: (s["suggested"], s["confirmed"]) for s in record["suggestions"]} == {
        "not_brought_count": (2, 2),
        "concern_duration_months": (14, 12),
    }
    assert record["context"]["previous_neglect_plans"] is False


def test_chronology_add_asks_for_what_is_not_given_in_a_terminal(neglect: Neglect, tmp_path: Path) -> None:
    store = tmp_path / "data" / "records.sqlite3"
    env = {"NEGLECT_STORE": str(store)}
    child = spawn(tmp_path, "chronology", "add", "TERM-2", "--by", "A. Worker", columns=100, env=env)
    answer(child, "Date (DD/MM/YYYY or YYYY-MM-DD)", "31/02/2026\r")
    child.expect_exact("is not a real date")  # asked again, nothing stored
    child.send("\x15" + "03/06/2026\r")
    child.expect_exact("Category")
    child.send("\r")  # the first: not brought to an appointment
    answer(child, "Source agency", "Audiology\r")
    answer(child, "What happened", "Not brought to the hearing test\r")
    answer(child, "Impact on the child", "\r")  # not known: left empty
    child.expect_exact("entry #1 added to the chronology of case TERM-2")
    assert finish(child) == 0
    ran = neglect("chronology", "show", "TERM-2", "--format", "json")
    (entry,) = json.loads(ran.stdout)["entries"]
    assert (entry["occurred_on"], entry["category"], entry["source_agency"], entry["impact"], entry["added_by"]) == (
        "2026-06-03",
        "not-brought",
        "Audiology",
        "",
        "A. Worker",
    )
