"""`neglect signoff` in a real terminal: a supervisor's keystrokes in, a sealed addendum out; Ctrl-C and carry on."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pexpect
import pytest

from conftest import TESTS, Neglect
from terminal import STEP, answer, finish, terminal_env

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

PLANS = TESTS / "fixtures" / "plans"
WHY = "The plan is too thin for a child this hungry: it needs a step up."


def spawn_signoff(tmp_path: Path, *args: str) -> pexpect.spawn[str]:
    env = terminal_env(tmp_path) | {"NEGLECT_TOOLS_PATH": str(PLANS)}
    return pexpect.spawn(
        sys.executable,
        ["-m", "neglect_cli", "signoff", *args],
        cwd=str(tmp_path),
        env=env,
        dimensions=(40, 100),
        encoding="utf-8",
        timeout=STEP,
    )


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
    child.expect_exact(f"To carry on: neglect signoff {record.name}")
    assert finish(child) == 130
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
