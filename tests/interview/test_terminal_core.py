"""In a real terminal: the shipped neglect-core walked with keystrokes from the first question to the plan step,
and the record sealed with its plan (issue 16).

The walk answers what the tool asks, screen by screen, as a practitioner reading it would: optional facts and
sections are skipped, the first item asked is rated 3 with evidence and every other 2, and the plan works on
that need. Nothing about the tool's items is written here: which item comes first, how many there are and what
the level asks are read from the screens and from the tool (`helpers.CORE_VERSION`), so the test holds as
neglect-core changes version.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pexpect
import pytest

from helpers import CORE_VERSION, Neglect
from helpers.terminal import STEP, Screen, spawn
from neglect_cli.plans import review_due
from neglect_cli.toolfiles import find_tool

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
    pytest.mark.slow,  # some 80 screens, each read when the program has stopped writing
]

ROWS, COLUMNS = 40, 120
QUIET = 0.25  # seconds without output before a screen is read: the program is waiting for a key
OUTCOME = "The child is watched by an adult whenever they play outside or near the road."
ACTION = "Agree a rota of who watches the child after school, and keep to it"
WHO = "Mother"
BY = "2026-12-08"  # two weeks after the pinned date of the assessment (2026-11-24)
CONTINGENCY = "A child in need meeting is called to agree what happens next."
EVIDENCE = "School saw the child alone by the main road after school on 20 November."
OPTIONAL = re.compile(r"optional|Enter to skip|Enter to leave|Enter skips")


@dataclass
class Prompt:
    kind: str  # "menu", "ticks" (a checklist) or "text"
    line: str  # the prompt as shown
    place: int  # its line in the whole session (lines scrolled off the top counted)
    above: str  # the words just above it (the question, for a long one)
    keys: list[str] = field(default_factory=list)  # a menu's one-key answers, in order
    titles: dict[str, str] = field(default_factory=dict)  # key -> what it says


class Walker:
    """Reads each screen when the program waits for a key, and answers the prompt on it."""

    def __init__(self, tmp_path: Path) -> None:
        env = {"NEGLECT_STORE": str(tmp_path / "store.sqlite3"), "XDG_DATA_HOME": str(tmp_path / "data")}
        self.child = spawn(tmp_path, "assess", rows=ROWS, columns=COLUMNS, env=env)
        self.screen = Screen(self.child, ROWS, COLUMNS)
        self.seen: list[str] = []  # every prompt answered, with the keys sent: the transcript on failure
        self.rated: list[str] = []  # the items' names, in the order the walk asked them
        self.need: str | None = None  # the item rated 3: the need the plan works on

    def transcript(self) -> str:
        return "\n".join(self.seen[-40:]) + "\n--- screen:\n" + "\n".join(self.screen.lines())

    def prompt(self) -> Prompt | None:
        """The prompt waiting on the screen, if any."""
        lines = self.screen.lines()
        cursor = self.screen.screen.cursor
        for y in range(len(lines) - 1, -1, -1):
            kind = "menu" if re.search(r"\((press a key|arrows, then Enter)\)", lines[y]) else None
            kind = kind or ("ticks" if "Space to tick" in lines[y] else None)
            if kind is not None:
                break
        else:
            if cursor.hidden or not lines[cursor.y].startswith("> "):
                return None
            y, kind = cursor.y, "text"
        found = Prompt(kind, lines[y], self.screen.scrolled + y, " ".join(lines[max(0, y - 6) : y]))
        for below in lines[y + 1 : y + 16]:
            match = re.match(r"\s*»?\s*(\S)\) (.*)", below)
            if match:
                found.keys.append(match[1])
                found.titles[match[1]] = match[2]
        return found

    def answer(self, prompt: Prompt, refused: bool) -> str:
        """The keys a practitioner would press for this prompt."""
        line, above = prompt.line, prompt.above
        if prompt.kind == "ticks":
            return "\r"  # a checklist: none ticked (the plan's needs come ticked: Enter keeps them)
        if prompt.kind == "text":
            words = {
                "Case reference": "CORE-1",
                "Evidence for a rating": EVIDENCE,
                "What will be different for the child": OUTCOME,
                "what will be done?": ACTION,
                "Who will do it?": WHO,
                "By when?": BY,
                "If this has not changed for the child": CONTINGENCY,
            }
            typed = next((text for label, text in words.items() if label in line), None)
            if typed is None and line.startswith("> Answer") and "How old is the child" in above:
                typed = "96"  # eight years old
            if typed is None and refused:  # a required answer this walk does not know about
                typed = "1" if "whole number" in line else "2026-11-24" if "YYYY-MM-DD" in line else "Not recorded."
            return (typed or "") + "\r"  # otherwise Enter: optional, or its default (today, the review date)
        if line.startswith("> Rating for"):
            name = line.removeprefix("> Rating for ").split(" (press a key)")[0]
            self.rated.append(name)
            if self.need is None:
                self.need = name
                return "3"
            return "2"
        wanted = {
            "Does the level of need match": "Keep",
            "The plan": "Make the plan now",
            "Another action for this need": "No",
            "Save the assessment": "Save",
        }
        for label, title in wanted.items():
            if line.startswith(f"> {label}"):
                return next(k for k in prompt.keys if prompt.titles[k].startswith(title))
        done = [k for k in prompt.keys if prompt.titles[k].startswith(("Done", "No more"))]
        if done:
            return done[0]  # no adults added: the walk goes on without a household
        if "s" in prompt.keys:
            return "s"  # an optional fact or question: not known, skipped
        return next(k for k in prompt.keys if k not in "?b")  # a required choice: the first answer offered

    def walk(self) -> int:
        """Answer every prompt until the program ends; its exit status."""
        last: Prompt | None = None
        sent = ""
        before: list[str] = []  # the screen as it was when the last keys were sent
        waited = 0.0
        while True:
            try:
                self.child.expect(r"[\s\S]", timeout=QUIET)
                waited = 0.0
                continue
            except pexpect.EOF:
                self.child.close()
                assert self.child.exitstatus is not None, self.transcript()
                return int(self.child.exitstatus)
            except pexpect.TIMEOUT:
                waited += QUIET
            prompt = self.prompt()
            again = prompt is not None and last is not None and prompt.place == last.place
            # Enter refused: the same text prompt, and the screen has changed since (its reason is shown under it)
            refused = again and sent == "\r" and prompt is not None and prompt.kind == "text"
            refused = refused and self.screen.lines() != before
            if prompt is None or (again and not refused) or (prompt.kind == "menu" and not prompt.keys):
                assert waited < 3 * STEP, "no new prompt:\n" + self.transcript()
                continue
            keys = self.answer(prompt, refused)
            self.seen.append(f"{prompt.line}  <- {keys!r}")
            before = self.screen.lines()
            self.child.send(keys)
            last, sent, waited = prompt, keys, 0.0


def test_the_shipped_tool_walked_in_a_terminal_to_its_plan_seals_the_record_with_the_plan(
    neglect: Neglect, tmp_path: Path
) -> None:
    walker = Walker(tmp_path)
    status = walker.walk()
    assert status == 0, walker.transcript()
    assert any(line.startswith("> Which needs does the plan work on?") for line in walker.seen), walker.transcript()

    (path,) = tmp_path.glob("CORE-1_*.json")
    record = json.loads(path.read_text(encoding="utf-8"))
    assert (record["tool"]["id"], record["tool"]["version"]) == ("neglect-core", CORE_VERSION)
    assert neglect("verify", path).exit_code == 0  # sealed: its hash, its rules and a re-score all hold

    tool = find_tool(f"neglect-core@{CORE_VERSION}").tool
    names = {item.id: item.name for item in tool.items()}
    rated = {entry["item"]: entry.get("value") for entry in record["answers"] if entry.get("value") is not None}
    assert sorted(names[i] for i in rated) == sorted(walker.rated)  # every rating typed is kept
    (need,) = [item_id for item_id, value in rated.items() if value == 3]
    assert names[need] == walker.need
    band = tool.band(record["result"]["overall"]["band"])
    assert band.plan_required  # the level the walk reached asks for a plan ...

    plan = record["plan"]  # ... and the record carries it, as typed
    assert [n["item"] for n in plan["needs"]] == [need]
    (planned,) = plan["needs"]
    assert (planned["outcome"], planned["contingency"]) == (OUTCOME, CONTINGENCY)
    assert planned["actions"] == [{"what": ACTION, "who": WHO, "by": BY}]
    due = review_due(tool, band.id, dt.date.fromisoformat(record["case"]["assessed_on"]))
    assert plan["review_on"] == str(due)  # Enter kept the review date the level gives
