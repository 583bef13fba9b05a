"""Driving the real `neglect` in a pseudo-terminal (pexpect), as a practitioner would.

The CLI runs as `python -m neglect_cli` from the same interpreter as the tests, so the
installed package is what is exercised (editable or not). pexpect gives the child its own
terminal: these tests run fine when pytest itself has none (`pytest </dev/null`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pexpect

from helpers import PINNED_EPOCH

STEP = 10  # seconds allowed for each screen to appear; generous for slow CI machines


def terminal_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEGLECT_", "COLUMNS", "LINES"))}
    env.update(
        {
            "XDG_STATE_HOME": str(tmp_path / "state"),
            "NO_COLOR": "1",
            "SOURCE_DATE_EPOCH": PINNED_EPOCH,
            "TERM": "xterm",
            "PROMPT_TOOLKIT_NO_CPR": "1",
            # `neglect` on PATH, as after activating the venv: the commands it prints then say `neglect`
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
    )
    return env


def spawn(
    tmp_path: Path, *args: str, rows: int = 40, columns: int = 120, env: Mapping[str, str] | None = None
) -> pexpect.spawn[str]:
    """`neglect ARGS` in a 40x120 terminal (or the size given), working in tmp_path; `env` adds to (or
    replaces) the variables of `terminal_env`, e.g. a NEGLECT_STORE or NEGLECT_TOOLS_PATH of the test's."""
    return pexpect.spawn(
        sys.executable,
        ["-m", "neglect_cli", *args],
        cwd=str(tmp_path),
        env=terminal_env(tmp_path) | dict(env or {}),
        dimensions=(rows, columns),
        encoding="utf-8",
        timeout=STEP,
    )


def run_piped(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`neglect ARGS` with no terminal (stdin from /dev/null, output captured), in the same environment."""
    return subprocess.run(
        [sys.executable, "-m", "neglect_cli", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=terminal_env(tmp_path),
        cwd=tmp_path,
        timeout=60,
    )


def answer(child: pexpect.spawn[str], prompt: str, keys: str) -> None:
    """Wait for a prompt, then type. Text answers end with "\\r" (Enter); menu keys answer at once."""
    child.expect_exact(prompt)
    child.send(keys)


def finish(child: pexpect.spawn[str]) -> int:
    """Wait for the process to end; its exit status."""
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, f"ended by signal {child.signalstatus}"
    return int(child.exitstatus)


def stopped(child: pexpect.spawn[str], carry_on: str) -> None:
    """After a Ctrl-C: the command that carries on is said ("neglect assess --resume REF"), and exit 130."""
    child.expect_exact(f"To carry on: {carry_on}")
    assert finish(child) == 130


def enter_case(child: pexpect.spawn[str], ref: str, *, date: str = "", assessor: str = "") -> None:
    """The case details a walk asks first: the reference, the date (Enter: the one offered; a date given
    replaces it, Ctrl-U clearing the offer), the assessor and no supervisor."""
    answer(child, "Case reference", f"{ref}\r")
    answer(child, "Date of the assessment", f"\x15{date}\r" if date else "\r")
    answer(child, "Assessor", f"{assessor}\r")
    answer(child, "Supervisor", "\r")


def save_as_it_is(child: pexpect.spawn[str], voice: str = "") -> None:
    """The end of a walk: the child's voice (none by default), the level kept, the assessment saved."""
    answer(child, "child's voice", f"{voice}\r")
    answer(child, "professional judgement", "k")
    answer(child, "Save the assessment?", "s")


class Screen:
    """What a person sees: every byte the program writes, played into a terminal emulator (pyte) of its size."""

    def __init__(self, child: pexpect.spawn[str], rows: int, columns: int) -> None:
        import pyte

        class Scrolling(pyte.Screen):
            """Counts the lines that scrolled off the top, so a line has a place in the whole session."""

            scrolled = 0

            def index(self) -> None:
                top, bottom = self.margins or pyte.screens.Margins(0, self.lines - 1)
                if self.cursor.y == bottom:
                    self.scrolled += 1
                super().index()

        self.screen = Scrolling(columns, rows)
        self.stream = pyte.Stream(self.screen)
        child.logfile_read = self  # pexpect hands every piece it reads to write()

    @property
    def scrolled(self) -> int:
        """How many lines have scrolled off the top since the program started."""
        return int(self.screen.scrolled)

    def write(self, data: str) -> None:
        self.stream.feed(data)

    def flush(self) -> None:
        pass

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]


def rating_prompt(item_id: str) -> str:
    """What the walk asks for an item without a title: its name in words (`physical.basic_care` -> Basic care)."""
    return "Rating for " + item_id.split(".", 1)[1].replace("_", " ").capitalize()


def draft(tmp_path: Path, ref: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (tmp_path / "state" / "neglect-cli" / "drafts" / f"{ref}.json").read_text(encoding="utf-8")
    )
    return data


# neglect-screening, answered as a teacher might: the case, the two facts, then eight items.
SCREENING_ITEMS = [
    "physical.basic_care",
    "physical.supervision_safety",
    "emotional.warmth_and_mood",
    "emotional.home_worries",
    "educational.attendance",
    "educational.learning",
    "medical.appointments",
    "medical.health_needs",
]


def start_case(child: pexpect.spawn[str], ref: str, age_months: int, assessor: str = "") -> None:
    """The case details (today's date, no supervisor) and the child's age, the first fact."""
    enter_case(child, ref, assessor=assessor)
    child.expect_exact("How old is the child")  # a long question is printed above a short prompt
    answer(child, "Answer", f"{age_months}\r")


def start_screening(child: pexpect.spawn[str], ref: str) -> None:
    start_case(child, ref, 96, assessor="T. Teacher")
    child.expect_exact("material hardship")
    answer(child, "Answer", "n")
