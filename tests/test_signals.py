"""Signals during the walk (real processes): SIGTERM, SIGHUP, a closed terminal and repeated
Ctrl-C all leave a whole, resumable draft holding every answer given."""

from __future__ import annotations

import json
import os
import signal
import stat
import sys
from pathlib import Path

import pytest

from helpers.terminal import answer, draft, finish, spawn, start_screening

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals and a pseudo-terminal")

# what a draft keeps of an answer that is neither "not known", "does not apply" nor marked as hardship
NOT_MARKED = {"not_known": None, "does_not_apply": None, "hardship": False, "source": None}
GIVEN = {
    "physical.basic_care": {"value": 4, "evidence": "Hungry every Monday since September"} | NOT_MARKED,
    "physical.supervision_safety": {"value": 1, "evidence": None} | NOT_MARKED,
    "emotional.warmth_and_mood": {"value": None, "evidence": None} | NOT_MARKED | {"not_known": "New to the class"},
}


def walk_three_items(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Start a screening walk and answer three items; the fourth is waiting for an answer."""
    child = spawn(tmp_path, "assess", "--tool", "neglect-screening")
    start_screening(child, "SIG-1")
    answer(child, "Rating for Basic care", "4")
    answer(child, "Evidence for a rating of 4", "Hungry every Monday since September\r")
    answer(child, "Rating for Supervision safety", "1")
    answer(child, "Rating for Warmth and mood", "n")
    answer(child, "Why is it not known?", "New to the class\r")
    child.expect_exact("Rating for Home worries")
    return child


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_signal_during_the_walk_leaves_a_draft_with_every_answer(tmp_path: Path, signum: int) -> None:
    child = walk_three_items(tmp_path)
    child.kill(signum)
    child.expect_exact("To carry on: neglect assess --resume SIG-1")
    assert finish(child) == 130
    saved = draft(tmp_path, "SIG-1")
    assert saved["answers"] == GIVEN
    assert saved["position"] == "emotional.home_worries"
    assert saved["context"] == {"age_months": 96, "material_hardship": False}
    path = tmp_path / "state" / "neglect-cli" / "drafts" / "SIG-1.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_closed_terminal_leaves_a_draft_with_every_answer(tmp_path: Path) -> None:
    child = walk_three_items(tmp_path)
    pid = child.pid
    os.close(child.child_fd)  # the terminal window goes away: the kernel sends SIGHUP
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status), "killed by the hang-up instead of saving"
    assert os.WEXITSTATUS(status) == 130
    assert draft(tmp_path, "SIG-1")["answers"] == GIVEN


def test_repeated_interrupts_while_stopping_never_corrupt_the_draft(tmp_path: Path) -> None:
    child = walk_three_items(tmp_path)
    child.kill(signal.SIGTERM)
    for _ in range(20):  # an impatient practitioner: Ctrl-C again and again while it saves
        try:
            child.kill(signal.SIGINT)
        except OSError:
            break  # already gone
    child.expect_exact(pexpect_eof())
    child.close()
    assert child.exitstatus == 130
    path = tmp_path / "state" / "neglect-cli" / "drafts"
    assert [p.name for p in path.iterdir()] == ["SIG-1.json"], "no stray temp files"
    assert json.loads((path / "SIG-1.json").read_text(encoding="utf-8"))["answers"] == GIVEN


def test_the_draft_written_after_signals_resumes(tmp_path: Path) -> None:
    child = walk_three_items(tmp_path)
    child.kill(signal.SIGTERM)
    assert finish(child) == 130
    child = spawn(tmp_path, "assess", "--resume", "SIG-1")
    child.expect_exact("Carrying on with SIG-1: 3 of 8 items answered.")
    answer(child, "Rating for Home worries", "\x04")  # Ctrl-D stops like Ctrl-C
    child.expect_exact("To carry on: neglect assess --resume SIG-1")
    assert finish(child) == 130
    assert draft(tmp_path, "SIG-1")["answers"] == GIVEN


def pexpect_eof() -> object:
    import pexpect

    return pexpect.EOF
