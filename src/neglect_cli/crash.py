"""Unexpected errors: one line for the user, a crash log with the traceback but no user text.

An exception's message may quote what it was working on (evidence, a child's words),
so neither the crash log nor `--debug` shows it: they show where it happened (files,
lines, functions and the code on those lines) and the exception types, never local
variables or messages.
"""

from __future__ import annotations

import os
import sys
import traceback

from .version import __version__

CRASH_FOLDER = "crashes"
WITHHELD = "(message withheld: it may quote case details)"


def no_core_dumps() -> None:
    """Answers are held in memory during a walk: a crash must not write them to a core file."""
    try:
        import resource
    except ImportError:  # not on this platform
        return
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_CORE)
        resource.setrlimit(resource.RLIMIT_CORE, (0, hard))
    except (ValueError, OSError):
        pass


def safe_traceback(exc: BaseException) -> list[str]:
    """The traceback of `exc` and the exceptions it was chained from, with every message withheld."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    lines: list[str] = []
    for i, link in enumerate(reversed(chain)):
        if i:
            lines += ["", "During the handling of the above, another exception occurred:", ""]
        lines.append("Traceback (most recent call last):")
        for frame in traceback.extract_tb(link.__traceback__):
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
            if frame.line:
                lines.append(f"    {frame.line.strip()}")
        lines.append(f"{type(link).__module__}.{type(link).__qualname__}: {WITHHELD}")
    return lines


def report_crash(exc: BaseException, *, debug: bool) -> int:
    """Write a crash log (frames and exception types only) and print one line saying where. Returns 1."""
    import datetime as dt
    import secrets

    from .errors import UserError
    from .store import atomic_write, private_dir, state_dir

    lines = safe_traceback(exc)
    if debug:
        sys.stderr.write("\n".join(lines) + "\n")
    log = [f"neglect-cli {__version__}", f"python {sys.version.split()[0]} on {sys.platform}", "", *lines]
    try:
        folder = private_dir(state_dir() / CRASH_FOLDER)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        name = f"crash-{stamp}-{os.getpid()}-{secrets.token_hex(3)}.log"
        path = atomic_write(folder / name, "\n".join(log) + "\n", force=False)
        where = f" — details in {path}"
    except (OSError, UserError):
        where = ""
    sys.stderr.write(f"error: internal error ({type(exc).__name__}) — please report{where}\n")
    return 1
