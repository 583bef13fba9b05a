"""Fuzz the tool, answers and record loaders, and the text paths, for longer than the test suite does.

    .venv/bin/python tools/fuzz.py                 # 60 seconds over every target
    .venv/bin/python tools/fuzz.py --seconds 600   # ten minutes
    .venv/bin/python tools/fuzz.py --examples 5000 --target record

The targets and strategies are those of tests/test_fuzz.py (tests/fuzzing.py): generated YAML
and JSON (random text, random bytes, random structures, mutated valid files) must give a valid
result or a clean `UserError`. The text targets (`text`, `tool-text`, `answers-text`, `render`)
throw control characters, escape sequences and bidi overrides at the escaping functions, the
answers and tool loaders and, in validly sealed records, every renderer: they must be refused
or come out escaped. Any other outcome is a bug: it is shrunk to a small example and printed,
and the exit code is 1.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from helpers.fuzzing import TARGETS, set_environment  # noqa: E402 - needs the tests folder on the path

BATCH = 200


def run_batch(target: str, kind: str, examples: int, batch_seed: int) -> tuple[int, str | None]:
    """Run one batch; returns (examples tried, failure report or None)."""
    check, strategies = TARGETS[target]
    count = 0

    @seed(batch_seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(strategies[kind])
    def run(data: bytes) -> None:
        nonlocal count
        count += 1
        check(data)

    try:
        run()
    except Exception as exc:  # noqa: BLE001 - a finding to report, not a crash of the fuzzer
        return count, failure_report(exc)
    return count, None


def failure_report(exc: BaseException) -> str:
    """Where it failed, what was raised, and hypothesis's shrunk example (not the strategy's repr)."""
    frames = "".join(traceback.format_tb(exc.__traceback__)[-6:])
    notes = [n for n in getattr(exc, "__notes__", []) if not n.startswith("while generating")]
    return (
        frames
        + "".join(traceback.format_exception_only(type(exc), exc)).split("\nwhile generating")[0]
        + "\n".join(notes)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--seconds", type=float, help="time budget over all targets (default 60)")
    budget.add_argument("--examples", type=int, help="examples per target and input kind")
    parser.add_argument("--target", choices=sorted(TARGETS), action="append", help="only these targets")
    args = parser.parse_args(argv)
    set_environment()

    cases = [(t, k) for t in (args.target or TARGETS) for k in TARGETS[t][1]]
    seconds = args.seconds if args.seconds is not None else (None if args.examples else 60.0)
    per_case = seconds / len(cases) if seconds else None
    tried: dict[tuple[str, str], int] = {}
    failures: dict[tuple[str, str], str] = {}
    started = time.monotonic()
    for number, case in enumerate(cases):
        case_start = time.monotonic()
        tried[case] = 0
        batch = 0
        while True:
            want = BATCH if per_case else (args.examples - tried[case])
            if want <= 0:
                break
            count, failure = run_batch(*case, min(want, BATCH), batch_seed=number * 100_003 + batch)
            tried[case] += count
            batch += 1
            if failure:
                failures[case] = failure
                break
            if per_case and time.monotonic() - case_start >= per_case:
                break
        status = "FAIL" if case in failures else "ok"
        print(f"{case[0]:8} {case[1]:18} {tried[case]:8} examples  {status}", flush=True)

    elapsed = time.monotonic() - started
    total = sum(tried.values())
    print(f"\n{total} examples over {len(cases)} targets in {elapsed:.0f}s; {len(failures)} failing")
    for (target, kind), report in failures.items():
        print(f"\n=== {target} / {kind} ===\n{report}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
