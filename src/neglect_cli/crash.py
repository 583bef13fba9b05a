"""Unexpected errors: one line for the user, a crash log with the traceback but no user text."""

from __future__ import annotations

import sys
import traceback

from . import __version__


def report_crash(exc: BaseException, *, debug: bool) -> int:
    """Write a crash log (frames and exception type only) and print where it is. Returns 1."""
    from .store import atomic_write, private_dir, state_dir

    if debug:
        traceback.print_exception(type(exc), exc, exc.__traceback__)
    # The message of an exception may quote user text, so only its type and the frames are kept.
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f"neglect-cli {__version__}", f"{type(exc).__module__}.{type(exc).__qualname__}", ""]
    lines += [f"{f.filename}:{f.lineno} in {f.name}" for f in frames]
    try:
        folder = private_dir(state_dir() / "crashes")
        import datetime as dt

        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        path = atomic_write(folder / f"crash-{stamp}.log", "\n".join(lines) + "\n")
        where = f" — details in {path}"
    except OSError:
        where = ""
    sys.stderr.write(f"error: internal error ({type(exc).__name__}) — please report{where}\n")
    return 1
