"""Kill walks with SIGKILL at random moments and check that nothing acknowledged is lost.

    .venv/bin/python tools/kill_walks.py               # 50 kills
    .venv/bin/python tools/kill_walks.py --kills 200 --seed 7

Each round starts `neglect assess` on neglect-screening in a pseudo-terminal, answers a random
number of items (some with evidence), then presses the next answer and kills the process with
SIGKILL after a random delay of 0-40 ms (often in the middle of saving). The next walk on the same
case must: find a draft that parses, holding every answer the killed walk had moved past; say that
it takes over the lock the killed walk left; and leave no temp file behind. Half the rounds also
start a second walk on the case while the first runs, which must be turned away. Exit 1 on any loss.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import pexpect  # noqa: E402

from helpers.terminal import SCREENING_ITEMS, answer, rating_prompt, spawn, start_screening  # noqa: E402 - needs tests/ on the path

EVIDENCE_FROM = 3


def reach(walk: pexpect.spawn[str], prompt: str) -> None:
    """Wait for a prompt, going on past any urgent or immediate escalation shown on the way."""
    while walk.expect_exact([prompt, "Read the prompt above, then go on"]) == 1:
        walk.send("g")


def one_round(work: Path, rng: random.Random, index: int) -> str | None:
    """One kill; None when nothing was lost, else what went wrong."""
    ref = f"KILL-{index}"
    walk = spawn(work, "assess", "--tool", "neglect-screening")
    start_screening(walk, ref)
    given: dict[str, int] = {}
    count = rng.randint(0, len(SCREENING_ITEMS) - 1)
    for item in SCREENING_ITEMS[:count]:
        value = rng.randint(1, 5)
        reach(walk, rating_prompt(item))
        walk.send(str(value))
        if value >= EVIDENCE_FROM:
            answer(walk, f"Evidence for a rating of {value}", f"Note {index} on {item}\r")
        given[item] = value
    reach(walk, rating_prompt(SCREENING_ITEMS[count]))
    if rng.random() < 0.5:  # a second walk on the same case is turned away while the first runs
        second = spawn(work, "assess", "--resume", ref)
        second.expect_exact("open in another walk")
        answer(second, "What now?", "q")
        second.expect(pexpect.EOF)
    walk.send(str(rng.randint(1, 2)))  # an answer whose save may be cut short
    time.sleep(rng.uniform(0, 0.04))
    walk.kill(signal.SIGKILL)
    walk.expect(pexpect.EOF)
    walk.close()

    drafts = work / "state" / "neglect-cli" / "drafts"
    saved = json.loads((drafts / f"{ref}.json").read_text(encoding="utf-8"))["answers"]
    lost = [item for item, value in given.items() if saved.get(item, {}).get("value") != value]
    if lost:
        return f"round {index}: answers lost after SIGKILL: {lost}"
    resumed = spawn(work, "assess", "--resume", ref)
    try:
        resumed.expect_exact("Taken over: the last walk on")
        resumed.expect_exact(["Rating for", "The child's voice"])  # the next item, or the end when all were saved
    except pexpect.TIMEOUT:
        import re

        screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", str(resumed.before))[-400:]
        return f"round {index}: the resume did not take the killed walk's draft over; the screen ended:\n{screen}"
    resumed.send("\x03")
    resumed.expect(pexpect.EOF)
    resumed.close()
    leftovers = list(drafts.glob(".neglect-tmp-*"))
    if leftovers:
        return f"round {index}: temp files left: {leftovers}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=22)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    failures = []
    answered = 0
    with tempfile.TemporaryDirectory(prefix="neglect-kills-") as folder:
        work = Path(folder)
        for index in range(args.kills):
            problem = one_round(work, rng, index)
            if problem:
                failures.append(problem)
                print(problem, flush=True)
            drafts = work / "state" / "neglect-cli" / "drafts"
            answered += len(json.loads((drafts / f"KILL-{index}.json").read_text(encoding="utf-8"))["answers"])
    lost = sum("answers lost" in failure for failure in failures)
    print(
        f"{args.kills} walks killed with SIGKILL; {answered} answers in their drafts, "
        f"{lost} walk(s) lost answers, {len(failures)} problem(s) in all"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
