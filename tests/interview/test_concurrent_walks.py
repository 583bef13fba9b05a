"""One walk per case at a time (real processes): a second walk on the same case ref, or a resume while a
walk runs, is told who holds the draft and since when, may look at it read-only or quit, and changes
nothing; a lock left by a walk killed with SIGKILL is detected and taken over, and nothing is lost."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import pexpect
import pytest

from helpers.terminal import (
    SCREENING_ITEMS,
    answer,
    draft,
    finish,
    rating_prompt,
    run_piped,
    save_as_it_is,
    spawn,
    start_screening,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX locks and a pseudo-terminal")


def draft_file(tmp_path: Path, ref: str) -> Path:
    return tmp_path / "state" / "neglect-cli" / "drafts" / f"{ref}.json"


def first_walk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Walk A: the case, then basic care rated 4 with evidence; it waits at the next item."""
    child = spawn(tmp_path, "assess", "--tool", "neglect-screening")
    start_screening(child, "SCR-1")
    answer(child, rating_prompt("physical.basic_care"), "4")
    answer(child, "Evidence for a rating of 4", "Hungry every Monday\r")
    child.expect_exact(rating_prompt("physical.supervision_safety"))
    return child


def test_a_second_walk_on_the_same_case_is_told_who_has_it_and_changes_nothing(tmp_path: Path) -> None:
    a = first_walk(tmp_path)
    before = draft_file(tmp_path, "SCR-1").read_bytes()

    b = spawn(tmp_path, "assess", "--tool", "neglect-screening")  # a new walk, same case ref
    answer(b, "Case reference", "SCR-1\r")
    b.expect_exact("The draft for SCR-1 is open in another walk:")
    b.expect_exact(f"process {a.pid} on ")
    b.expect_exact("since 2026-11-24 00:00 UTC")
    answer(b, "What now?", "v")  # read-only: A's answers so far
    b.expect_exact("physical.basic_care")
    b.expect_exact("rated 4")
    b.expect_exact("Nothing was changed.")
    assert finish(b) == 0

    c = spawn(tmp_path, "assess", "--resume", "SCR-1")  # a resume while A runs
    c.expect_exact("open in another walk:")
    c.expect_exact(f"process {a.pid} on ")
    answer(c, "What now?", "q")
    assert finish(c) == 0

    discard = run_piped(tmp_path, "drafts", "discard", "SCR-1", "--yes")
    assert discard.returncode == 2
    assert f"open in another walk (process {a.pid}" in discard.stderr
    listed = run_piped(tmp_path, "drafts", "list")
    assert f"OPEN in a walk (process {a.pid}" in listed.stdout
    assert draft_file(tmp_path, "SCR-1").read_bytes() == before, "a walk that did not hold the lock wrote"

    # A carries on as if nothing happened, and its answers are all there
    a.send("2")  # at the rating for physical.supervision_safety, where it was left
    answer(a, rating_prompt("emotional.warmth_and_mood"), "\x03")
    assert finish(a) == 130
    saved = draft(tmp_path, "SCR-1")["answers"]
    assert (saved["physical.basic_care"]["value"], saved["physical.basic_care"]["evidence"]) == (
        4,
        "Hungry every Monday",
    )
    assert saved["physical.supervision_safety"]["value"] == 2

    # once A has stopped, the draft is free: the resume gets it without a word about another walk
    d = spawn(tmp_path, "assess", "--resume", "SCR-1")
    index = d.expect_exact(["open in another walk", "Taken over", rating_prompt("emotional.warmth_and_mood")])
    assert index == 2
    d.send("\x03")
    assert finish(d) == 130


def test_a_walk_killed_with_sigkill_leaves_a_lock_that_the_next_walk_takes_over(tmp_path: Path) -> None:
    a = first_walk(tmp_path)
    killed = a.pid
    a.kill(signal.SIGKILL)
    a.expect(pexpect.EOF)
    a.close()
    assert a.signalstatus == signal.SIGKILL
    lock = draft_file(tmp_path, "SCR-1").with_suffix(".lock")
    assert json.loads(lock.read_text(encoding="utf-8"))["pid"] == killed, "the killed walk's lock file is gone"

    b = spawn(tmp_path, "assess", "--resume", "SCR-1")
    b.expect_exact("Taken over: the last walk on SCR-1 ended without closing its draft")
    b.expect_exact(f"It was process {killed} on ")
    # SIGKILL left no last save: the walk comes back to the last item answered, with its answer as the default
    answer(b, rating_prompt("physical.basic_care"), "\r")
    answer(b, "Evidence for a rating of 4", "\r")
    for item in SCREENING_ITEMS[1:]:
        answer(b, rating_prompt(item), "1")
    save_as_it_is(b)
    assert finish(b) == 0

    record = json.loads((tmp_path / "SCR-1_2026-11-24.json").read_text(encoding="utf-8"))
    rows = {row["item"]: row for row in record["answers"]}
    assert (rows["physical.basic_care"]["value"], rows["physical.basic_care"]["evidence"]) == (4, "Hungry every Monday")
    assert not lock.exists(), "a finished walk leaves its lock file behind"
    assert not draft_file(tmp_path, "SCR-1").exists()
