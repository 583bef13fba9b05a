"""A full disk during autosave (real processes). The walk runs with its state folder on a small tmpfs
mounted in a private mount namespace, and the test fills that tmpfs from outside; where no such mount is
allowed, the same walk runs with ENOSPC injected at the operating system's edge (`os.fsync` of a file in
the state folder fails, as a full file system with delayed allocation fails it). The answer
just given (with its evidence note) is kept in memory, the practitioner is told the disk is full and may
free space and try again, or save the draft in another folder; every way out prints how to resume, and
the record written at the end holds every answer."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from helpers.terminal import (
    SCREENING_ITEMS,
    STEP,
    answer,
    finish,
    rating_prompt,
    save_as_it_is,
    spawn,
    start_screening,
    stopped,
    terminal_env,
)

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="needs Linux (/proc, mount namespaces)")

MOUNT = 'mount -t tmpfs -o size=256k,mode=0700 neglect-test "$XDG_STATE_HOME" && exec "$0" -m neglect_cli "$@"'
# Where no private tmpfs can be mounted: the same walk, with the operating system's answer to a full disk
# (ENOSPC from fsync, as a file system with delayed allocation gives it) while a flag file exists.
INJECT = """
import errno, os, runpy, sys
flag, real_fsync = sys.argv.pop(1), os.fsync
state = os.environ["XDG_STATE_HOME"]
def fsync(fd):
    if os.path.exists(flag) and os.readlink(f"/proc/self/fd/{fd}").startswith(state + "/"):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return real_fsync(fd)
os.fsync = fsync
sys.argv[0] = "neglect"
runpy.run_module("neglect_cli", run_name="__main__", alter_sys=True)
"""


def tmpfs_possible() -> bool:
    """A tmpfs in a private mount (and user) namespace: root or not, where the kernel allows it."""
    unshare = shutil.which("unshare")
    if unshare is None or sys.platform != "linux":
        return False
    probe = subprocess.run(
        [unshare, "-rm", "sh", "-c", "d=$(mktemp -d) && mount -t tmpfs -o size=64k none $d"],
        capture_output=True,
        timeout=30,
    )
    return probe.returncode == 0


class Disk:
    """The disk the walk's drafts go to, which the test can fill and free."""

    def __init__(self, kind: str, tmp_path: Path) -> None:
        self.kind, self.tmp_path = kind, tmp_path
        self.filler: Path | None = None

    def walk(self, *args: str) -> pexpect.spawn[str]:
        (self.tmp_path / "state").mkdir(exist_ok=True)
        if self.kind == "tmpfs":
            command, argv = shutil.which("unshare") or "unshare", ["-rm", "sh", "-c", MOUNT, sys.executable, *args]
        else:
            command, argv = sys.executable, ["-c", INJECT, str(self.tmp_path / "disk-is-full"), *args]
        self.child = pexpect.spawn(
            command,
            argv,
            cwd=str(self.tmp_path),
            env=terminal_env(self.tmp_path),
            dimensions=(40, 120),
            encoding="utf-8",
            timeout=STEP,
        )
        return self.child

    def fill(self) -> None:
        if self.kind == "injected":
            (self.tmp_path / "disk-is-full").touch()
            return
        # the walk's tmpfs, seen through /proc/PID/root, filled until the disk is full
        self.filler = Path(f"/proc/{self.child.pid}/root{self.tmp_path}/state/filler")
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            with pytest.raises(OSError) as full:
                while True:
                    os.write(fd, b"\0" * 4096)
        finally:
            os.close(fd)
        assert full.value.errno == errno.ENOSPC

    def free(self) -> None:
        if self.kind == "injected":
            (self.tmp_path / "disk-is-full").unlink()
        elif self.filler is not None:
            with contextlib.suppress(FileNotFoundError):  # gone with the walk's mount namespace
                self.filler.unlink()


@pytest.fixture(params=["tmpfs", "injected"])
def disk(request: pytest.FixtureRequest, tmp_path: Path) -> Disk:
    if request.param == "tmpfs" and not tmpfs_possible():
        pytest.skip("this system allows no private tmpfs mount (user namespaces are off): the injected run covers it")
    return Disk(request.param, tmp_path)


def test_disk_full_keeps_the_answer_lets_the_practitioner_retry_or_save_elsewhere(disk: Disk, tmp_path: Path) -> None:
    child = disk.walk("assess", "--tool", "neglect-screening")
    start_screening(child, "SCR-1")
    answer(child, rating_prompt("physical.basic_care"), "1")
    child.expect_exact(rating_prompt("physical.supervision_safety"))
    disk.fill()

    child.send("4")
    answer(child, "Evidence for a rating of 4", "Left alone at the gate at 17:40\r")
    child.expect_exact("The draft could not be saved: the disk is full. Nothing is lost")
    answer(child, "What now?", "r")  # still full: asked again
    child.expect_exact("The draft could not be saved: the disk is full.")
    disk.free()  # the practitioner frees some space
    answer(child, "What now?", "r")
    answer(child, rating_prompt("emotional.warmth_and_mood"), "2")

    child.expect_exact(rating_prompt("emotional.home_worries"))
    disk.fill()
    child.send("1")
    child.expect_exact("the disk is full")
    usb = tmp_path / "usb"
    usb.mkdir()
    answer(child, "What now?", "e")
    answer(child, "Folder to save the draft in", f"{usb}\r")
    answer(child, rating_prompt("educational.attendance"), "\x03")  # Ctrl-C: saved in the other folder
    child.expect_exact(f"To carry on: neglect assess --resume {usb}/SCR-1.json")
    assert finish(child) == 130

    saved = json.loads((usb / "SCR-1.json").read_text(encoding="utf-8"))
    assert saved["answers"]["physical.supervision_safety"]["evidence"] == "Left alone at the gate at 17:40"
    assert set(saved["answers"]) == set(SCREENING_ITEMS[:4])

    # the resume (on the ordinary disk now) finishes the walk with every answer
    resumed = spawn(tmp_path, "assess", "--resume", str(usb / "SCR-1.json"))
    for item in SCREENING_ITEMS[4:]:
        answer(resumed, rating_prompt(item), "1")
    save_as_it_is(resumed)
    assert finish(resumed) == 0
    record = json.loads((tmp_path / "SCR-1_2026-11-24.json").read_text(encoding="utf-8"))
    rows = {row["item"]: row for row in record["answers"]}
    assert (rows["physical.supervision_safety"]["value"], rows["physical.supervision_safety"]["evidence"]) == (
        4,
        "Left alone at the gate at 17:40",
    )
    assert [rows[item]["value"] for item in SCREENING_ITEMS] == [1, 4, 2, 1, 1, 1, 1, 1]
    assert not (usb / "SCR-1.json").exists(), "the copy saved elsewhere outlived the finished walk"


def test_stopping_while_the_disk_is_full_still_says_how_to_resume(disk: Disk, tmp_path: Path) -> None:
    child = disk.walk("assess", "--tool", "neglect-screening")
    start_screening(child, "SCR-2")
    answer(child, rating_prompt("physical.basic_care"), "2")
    child.expect_exact(rating_prompt("physical.supervision_safety"))
    disk.fill()
    child.send("1")
    answer(child, "What now?", "\x03")  # Ctrl-C at the question itself
    child.expect_exact("The latest answers could not be saved (the disk is full); the draft saved at ")
    stopped(child, "neglect assess --resume SCR-2")

    disk.free()
    child = disk.walk("assess", "--tool", "neglect-screening")
    start_screening(child, "SCR-3")
    child.expect_exact(rating_prompt("physical.basic_care"))
    disk.fill()
    child.send("1")
    answer(child, "What now?", "q")  # stop: the earlier draft is kept
    child.expect_exact("the draft saved at ")
    # rich wraps the long line (a draft path under the test's temporary folder) where its length says: at
    # any space, with the styles closed and reopened around the break
    gap = r"(?:\s|\x1b\[[0-9;]*m)+"
    child.expect(gap.join(["to carry on:", "neglect", "assess", "--resume", "SCR-3"]))
    assert finish(child) == 0
