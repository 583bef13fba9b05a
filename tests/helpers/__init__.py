"""What the tests share: where things are, what a CLI run gave back, and the helper modules.

`helpers.terminal` drives `neglect` in a real terminal (pexpect, pyte screens); `helpers.scripted` is the
scripted prompter for walks without a terminal and `helpers.walktool` a walk of the interview test tool;
`helpers.browser` runs headless Chromium; `helpers.minitool`, `helpers.strategies`, `helpers.fuzzing` and
`helpers.storecases` build tools, generated tools, hostile inputs and stores. Fixtures and hooks stay in
conftest.py.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEFINITIONS = ROOT / "definitions"
CASES = DEFINITIONS / "cases"
# the version of neglect-core shipped now (tests that mean "the current tool" use it, not a literal)
CORE_VERSION = yaml.safe_load((DEFINITIONS / "neglect-core.yaml").read_text(encoding="utf-8"))["version"]
TESTS = Path(__file__).resolve().parents[1]

# 2026-11-24T00:00:00Z: tests never depend on the real date.
PINNED_EPOCH = "1795478400"


class Ran:
    """What a CLI run produced: exit code, stdout and stderr kept apart."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.exit_code = code
        self.stdout = out
        self.stderr = err

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


Neglect = Callable[..., Ran]


@functools.cache
def available(command: str) -> bool:
    """Commands that other work adds (report, diff, trend) are exercised once they are registered."""
    import typer

    from neglect_cli.cli import app

    group = typer.main.get_command(app)
    return command in getattr(group, "commands", {})
