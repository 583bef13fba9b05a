"""In a real terminal: a supervisor's sign-off, and the review of the last plan at the start of a walk;
Ctrl-C in either, and carrying on."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pexpect
import pytest

from helpers import TESTS, Neglect
from helpers.terminal import answer, draft, enter_case, finish, spawn, stopped

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

PLANS = TESTS / "fixtures" / "plans"
WHY = "The plan is too thin for a child this hungry: it needs a step up."


def spawn_signoff(tmp_path: Path, *args: str) -> pexpect.spawn[str]:
    return spawn(tmp_path, "signoff", *args, columns=100, env={"NEGLECT_TOOLS_PATH": str(PLANS)})


def test_a_signoff_typed_in_a_terminal_survives_ctrl_c_and_carries_on(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(PLANS))
    record = tmp_path / "PLAN-002_2026-11-02.json"
    assert neglect("assess", "--answers", PLANS / "signoff-case.yaml", "--out", record).exit_code == 0
    before = record.read_bytes()

    child = spawn_signoff(tmp_path, record.name)
    child.expect_exact("Level of need: Top")
    answer(child, "Do you agree with the level of need (Top)?", "d")
    answer(child, "Why?", WHY + "\r")
    answer(child, "Decision", "2")  # step up
    answer(child, "Reflection: What would change my view?", "\x03")  # Ctrl-C
    stopped(child, f"neglect signoff {record.name}")
    drafts = list((tmp_path / "state" / "neglect-cli" / "drafts").glob("signoff-*.json"))
    assert len(drafts) == 1 and stat.S_IMODE(drafts[0].stat().st_mode) == 0o600
    kept = json.loads(drafts[0].read_text(encoding="utf-8"))
    assert (kept["agrees"], kept["why"], kept["decision"]) == (False, WHY, "step_up")

    child = spawn_signoff(tmp_path, record.name)
    child.expect_exact("Carrying on the sign-off started earlier")
    answer(child, "Do you agree with the level of need (Top)?", "\r")  # Enter keeps "I disagree"
    answer(child, "Why?", "\r")  # Enter keeps what was typed before Ctrl-C
    answer(child, "Decision", "\r")
    answer(child, "Reflection: What would change my view?", "Seeing the child fed at school for a month\r")
    answer(child, "Your role", "Team manager\r")
    answer(child, "Your name", "T. Manager\r")
    answer(child, "Date of the sign-off", "\r")
    child.expect_exact("sign-off written: PLAN-002_2026-11-02.signoff.json (0600)")
    assert finish(child) == 0

    assert record.read_bytes() == before
    addendum = json.loads((tmp_path / "PLAN-002_2026-11-02.signoff.json").read_text(encoding="utf-8"))
    assert addendum["signoff"] == {
        "agrees": False,
        "why": WHY,
        "decision": "step_up",
        "reflection": [{"prompt": "What would change my view?", "note": "Seeing the child fed at school for a month"}],
        "role": "Team manager",
        "name": "T. Manager",
        "signed_on": "2026-11-24",
    }
    assert not list((tmp_path / "state" / "neglect-cli" / "drafts").glob("signoff-*.json"))
    assert neglect("verify", record).exit_code == 0


def test_the_review_of_the_last_plan_typed_in_a_terminal_survives_ctrl_c(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(PLANS))
    earlier = tmp_path / "earlier.json"
    assert neglect("assess", "--answers", PLANS / "walk-earlier.yaml", "--out", earlier).exit_code == 0
    store = os.environ["NEGLECT_STORE"]  # the store the earlier record went to (the child sees it too)

    def spawn_walk(*args: str) -> pexpect.spawn[str]:
        return spawn(tmp_path, "assess", *args, env={"NEGLECT_TOOLS_PATH": str(PLANS), "NEGLECT_STORE": store})

    child = spawn_walk("--tool", str(PLANS / "walk-plans.yaml"))
    enter_case(child, "PLAN-1", assessor="A. Worker")
    child.expect_exact("Review of the last plan (assessment of 2026-11-01)")
    answer(child, "Social worker, by 2026-11-08: Food bank referral", "d")
    answer(child, "Mother, by 2026-11-15: Cook together twice a week", "p")
    answer(child, "Was the outcome achieved for the child?", "n")
    answer(child, "What shows it, for the child?", "Nursery say the child is still hungry most mornings\r")
    answer(child, "Mother, by 2026-11-20: Book and go to the dentist together", "d")
    answer(child, "Was the outcome achieved for the child?", "\x03")  # Ctrl-C
    stopped(child, "neglect assess --resume PLAN-1")
    kept = draft(tmp_path, "PLAN-1")["review"]
    assert [need["item"] for need in kept["needs"]] == ["physical.food"]

    child = spawn_walk("--resume", "PLAN-1")
    child.expect_exact("Need: Appointments")
    answer(child, "Mother, by 2026-11-20: Book and go to the dentist together", "d")
    answer(child, "Was the outcome achieved for the child?", "y")
    answer(child, "What shows it, for the child?", "Seen by the dentist on 18 November\r")
    answer(child, "Age in months?", "\x03")  # the review is done; stop at the first fact
    assert finish(child) == 130
    needs = draft(tmp_path, "PLAN-1")["review"]["needs"]
    assert [(n["item"], n["achieved"]) for n in needs] == [("physical.food", False), ("medical.appointments", True)]
    assert [a["status"] for a in needs[0]["actions"]] == ["done", "partly"]
