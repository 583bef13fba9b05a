"""The child's world asked in a real terminal (issue 14): seen and heard, the adults in the child's life,
evidence sources, the child's voice per domain, strengths, capacity to change and identity; Ctrl-C in
any of them resumes at the question it stopped on."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

import pexpect
import pytest

from helpers import TESTS
from helpers.terminal import answer, draft, enter_case, finish, spawn, stopped

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

TOOL = str(TESTS / "interview" / "world-tool.yaml")
RECORD = "W-1_2026-11-24.json"
Step: TypeAlias = "Callable[[pexpect.spawn[str]], None]"


def case(child: pexpect.spawn[str], ref: str = "W-1", date: str = "") -> None:
    enter_case(child, ref, date=date)
    answer(child, "Age in months?", "60\r")


def seen_1(child: pexpect.spawn[str]) -> None:
    answer(child, "Have you seen the child for this assessment?", "y")
    answer(child, "Have you seen the child on their own?", "n")


def seen_2(child: pexpect.spawn[str]) -> None:
    answer(child, "When did you see the child?", "\x15" + "10/11/2026, 2026-11-20\r")  # Ctrl-U clears the default
    answer(child, "Does the child use words", "y")


def household_1(child: pexpect.spawn[str]) -> None:
    answer(child, "Add an adult?", "a")
    answer(child, "Their role", "m")
    answer(child, "Label (a role or pseudonym, never a name)", "\r")  # "Mother", offered
    answer(child, "Does Mother live with the child?", "y")
    answer(child, "Mother's part in the child's care", "Main carer\r")
    answer(child, "Have you seen Mother?", "y")
    answer(child, "Have you spoken to Mother?", "y")
    answer(child, "Mother's response to help", "e")


def household_2(child: pexpect.spawn[str]) -> None:
    answer(child, "Add another adult?", "a")
    answer(child, "Their role", "p")
    answer(child, "Label (a role or pseudonym, never a name)", "\r")  # "Partner A"
    answer(child, "Is Partner A a man", "y")
    answer(child, "Does Partner A live with the child?", "y")
    answer(child, "Partner A's part in the child's care", "\r")
    answer(child, "Have you seen Partner A?", "n")
    answer(child, "Have you spoken to Partner A?", "n")
    answer(child, "Partner A's response to help", "k")
    answer(child, "What checks have been made on Partner A?", "Police check asked for\r")
    answer(child, "Add another adult?", "d")


def food(child: pexpect.spawn[str]) -> None:
    answer(child, "Rating for Food", "2")
    answer(child, "Evidence for a rating of 2", "School give breakfast\r")


def food_source(child: pexpect.spawn[str]) -> None:
    answer(child, "Where did this evidence come from?", "t")
    answer(child, "Who told you?", "s")
    answer(child, "On what date?", "\x15" + "03/11/2026\r")


def home_and_voice(child: pexpect.spawn[str]) -> None:
    answer(child, "Rating for Home", "1")
    child.expect_exact("What does the child say or show about food and sleep?")
    answer(child, "In the child's words", "Toast is nice\r")


def warmth(child: pexpect.spawn[str]) -> None:
    answer(child, "Rating for Warmth", "2")
    answer(child, "Evidence for a rating of 2", "Seen shouting at the child\r")
    answer(child, "Where did this evidence come from?", "s")
    answer(child, "On what date?", "\r")  # the assessment date, offered
    child.expect_exact("What does the child say, or show, about emotional care?")
    answer(child, "In the child's words", "\r")


def strengths(child: pexpect.spawn[str]) -> None:
    answer(child, "What is going well for the child?", "Loves football\r")
    answer(child, "What keeps the child safe now?", "Grandmother nearby\r")


def capacity_1(child: pexpect.spawn[str]) -> None:
    answer(child, "Do the carers understand the concerns?", "p")
    answer(child, "What shows it?", "Agrees about meals only\r")
    answer(child, "Has help been offered yet?", "y")
    answer(child, "When did help begin?", "\x15" + "2026-09-01\r")


def capacity_2(child: pexpect.spawn[str]) -> None:
    answer(child, "What has changed for the child since help began?", "Breakfast club\r")
    answer(child, "Is change happening within the child's timescale?", "n")
    answer(child, "How do the child's age and stage bear on how long they can wait?", "Starts school soon\r")


def identity(child: pexpect.spawn[str]) -> None:
    answer(child, "The child's ethnicity", "\r")
    answer(child, "Language(s) spoken at home", "English\r")
    answer(child, "Was an interpreter used?", "n")
    answer(child, "Disability", "\r")
    answer(child, "no recourse to public funds", "s")


#: each step, and the first question it waits for (where the Ctrl-C test stops)
STEPS: list[tuple[str, Step, str]] = [
    ("seen", seen_1, "Have you seen the child for this assessment?"),
    ("seen dates", seen_2, "When did you see the child?"),
    ("household", household_1, "Add an adult?"),
    ("household partner", household_2, "Add another adult?"),
    ("rating", food, "Rating for Food"),
    ("source", food_source, "Where did this evidence come from?"),
    ("voice", home_and_voice, "Rating for Home"),
    ("warmth", warmth, "Rating for Warmth"),
    ("strengths", strengths, "What is going well for the child?"),
    ("capacity", capacity_1, "Do the carers understand the concerns?"),
    ("capacity change", capacity_2, "What has changed for the child since help began?"),
    ("identity", identity, "The child's ethnicity"),
]


def ending(child: pexpect.spawn[str]) -> None:
    # the summary: the man not contacted under the level, and the consult prompt (not seen alone, at Middle)
    child.expect_exact("Partner A, a male carer who lives with")
    child.expect_exact("See the child on their own before deciding")
    answer(child, "professional judgement", "k")
    answer(child, "Save the assessment?", "s")
    assert finish(child) == 0


def check_record(tmp_path: Path) -> None:
    record = json.loads((tmp_path / RECORD).read_text(encoding="utf-8"))
    assert record["schema"] == "neglect-record/3"
    assert record["child"] == {
        "seen": True,
        "seen_alone": False,
        "seen_on": ["2026-11-10", "2026-11-20"],
        "uses_words": True,
        "voice": {"physical": "Toast is nice"},
    }
    assert [(a["role"], a["label"], a["seen"], a["spoken_to"]) for a in record["household"]] == [
        ("mother", "Mother", True, True),
        ("partner", "Partner A", False, False),
    ]
    assert record["household"][1]["male"] is True and record["household"][1]["checks"] == "Police check asked for"
    rows = {row["item"]: row for row in record["answers"]}
    assert rows["physical.food"]["source"] == {"kind": "told", "by": "school", "date": "2026-11-03"}
    assert rows["emotional.warmth"]["source"] == {"kind": "seen", "date": "2026-11-24"}
    assert record["strengths"] == {"going_well": "Loves football", "safe_now": "Grandmother nearby"}
    assert record["capacity"] == {
        "understanding": "partly",
        "understanding_note": "Agrees about meals only",
        "help_began": "2026-09-01",
        "changes": "Breakfast club",
        "timescale": "no",
        "age_considered": "Starts school soon",
    }
    assert record["identity"] == {"language": "English", "interpreter_used": False}
    assert record["child_voice"] is None  # asked domain by domain instead
    assert "see-alone" in {e["id"] for e in record["result"]["escalations"]}


def test_every_section_of_the_childs_world_is_asked_in_a_terminal(tmp_path: Path) -> None:
    child = spawn(tmp_path, "assess", "--tool", TOOL)
    case(child)
    for _, step, _ in STEPS:
        step(child)
    ending(child)
    check_record(tmp_path)


@pytest.mark.parametrize("stop", range(len(STEPS)), ids=[name for name, _, _ in STEPS])
def test_ctrl_c_in_any_section_resumes_where_it_stopped(tmp_path: Path, stop: int) -> None:
    child = spawn(tmp_path, "assess", "--tool", TOOL)
    case(child)
    for _, step, _ in STEPS[:stop]:
        step(child)
    child.expect_exact(STEPS[stop][2])  # the first question of the next step is on screen: Ctrl-C there
    child.send("\x03")
    stopped(child, "neglect assess --resume W-1")
    assert draft(tmp_path, "W-1")["case"]["ref"] == "W-1"

    child = spawn(tmp_path, "assess", "--resume", "W-1")
    if STEPS[stop][0] == "source":  # stopped after the note: the item is asked again, the note filled in
        answer(child, "Rating for Food", "\r")
        answer(child, "Evidence for a rating of 2", "\r")
    for _, step, _ in STEPS[stop:]:
        step(child)
    ending(child)
    check_record(tmp_path)


def test_the_walk_refuses_a_date_seen_after_the_assessment_and_offers_its_date(tmp_path: Path) -> None:
    """Review 6 (noticed): a date the child was seen after the assessment's date would count them as seen for it.
    The walk refuses it, says what to do, and offers the assessment's date instead of today's."""
    child = spawn(tmp_path, "assess", "--tool", TOOL)
    case(child, "W-2", date="2026-11-15")
    seen_1(child)
    child.expect_exact("When did you see the child?")
    child.expect_exact("2026-11-15")  # the default is the assessment's date, not today (2026-11-24)
    child.send("\x15" + "2026-11-20\r")
    child.expect_exact("is after the assessment's date (2026-11-15)")
    child.send("\x15" + "2026-11-12\r")
    answer(child, "Does the child use words", "y")
    # Ctrl-C once the next question is up: a key typed while one prompt closes is read (and dropped) by it
    child.expect_exact("Add an adult")
    child.send("\x03")
    stopped(child, "neglect assess --resume W-2")
    assert draft(tmp_path, "W-2")["world"]["child"]["seen_on"] == ["2026-11-12"]


def test_the_walk_asks_which_dates_the_child_was_seen_alone_refuses_others_and_resumes(tmp_path: Path) -> None:
    """Review 6, 3.5: seen on their own, on two dates, the walk asks which were alone (no default), refuses a date
    the child was not seen, keeps the answer in the draft across Ctrl-C, and the record carries it. With the rule
    reading how recently (`within_days: 63`, as neglect-core 3.2.0's does), seen alone only 64 days before the
    assessment (2026-11-24) gives the prompt to see the child on their own."""
    tool = (
        Path(TOOL)
        .read_text(encoding="utf-8")
        .replace("{child_seen: {alone: false}}", "{child_seen: {alone: false, within_days: 63}}")
    )
    assert "within_days: 63" in tool
    (tmp_path / "tool.yaml").write_text(tool, encoding="utf-8")
    child = spawn(tmp_path, "assess", "--tool", str(tmp_path / "tool.yaml"))
    case(child)
    answer(child, "Have you seen the child for this assessment?", "y")
    answer(child, "Have you seen the child on their own?", "y")
    answer(child, "When did you see the child?", "\x15" + "21/09/2026, 2026-11-20\r")
    child.expect_exact("On which of these dates did you see the child on their own?")
    child.send("\x03")  # stopped at the new question: resumes there
    child.expect_exact("To carry on: neglect assess --resume W-1")
    assert finish(child) == 130
    kept = draft(tmp_path, "W-1")["world"]["child"]
    assert kept["seen_on"] == ["2026-09-21", "2026-11-20"] and "seen_alone_on" not in kept

    child = spawn(tmp_path, "assess", "--resume", "W-1")
    answer(child, "On which of these dates did you see the child on their own?", "2026-10-01\r")
    child.expect_exact("2026-10-01 is not one of the dates seen: give one of 2026-09-21, 2026-11-20")
    child.send("\x15" + "21/09/2026\r")
    answer(child, "Does the child use words", "y")
    child.expect_exact("Add an adult")  # the next question is up: Ctrl-C there, never while a prompt closes
    child.send("\x03")
    child.expect_exact("To carry on: neglect assess --resume W-1")
    assert finish(child) == 130
    assert draft(tmp_path, "W-1")["world"]["child"]["seen_alone_on"] == ["2026-09-21"]

    child = spawn(tmp_path, "assess", "--resume", "W-1")
    for _, step, _ in STEPS[2:]:
        step(child)
    ending(child)
    record = json.loads((tmp_path / RECORD).read_text(encoding="utf-8"))
    assert record["child"]["seen_alone"] is True
    assert record["child"]["seen_alone_on"] == ["2026-09-21"]
    assert record["child"]["seen_on"] == ["2026-09-21", "2026-11-20"]
