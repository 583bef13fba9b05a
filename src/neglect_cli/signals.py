"""Signals in one place: what a save holds off, and how the walk turns SIGTERM and SIGHUP into a saved stop.

Ctrl-C, SIGTERM and SIGHUP during a walk save the draft and end with the command that resumes it
(interview/start.py); while a draft is written they are held (drafts.py) so that it is whole or
untouched; once the draft is saved on the way out nothing may cut the exit short (commands/assess.py).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from typing import Any

from .errors import Interrupted

#: The signals that end a walk with its draft saved.
STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP until the block ends, so a save is never cut short.

    A signal that arrives meanwhile is delivered (and handled as usual) when the block ends.
    """
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, set(STOPPING))
    except (AttributeError, ValueError, OSError):  # not the main thread, or no sigmask on this platform
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    """SIGTERM and SIGHUP raise `Interrupted` (a BaseException) so that the draft is saved on the way out."""

    def handler(signum: int, frame: Any) -> None:
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise Interrupted(signum) from None
        # Raised inside prompt_toolkit's event loop, the exception would be swallowed by its
        # handler ("Press ENTER to continue"): ask the prompt on screen to end with it instead.
        _PENDING.append(signum)
        loop.call_soon_threadsafe(_end_prompt, loop, signum)

    _PENDING.clear()

    previous: dict[signal.Signals, Any] = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        try:
            if signal.getsignal(sig) == signal.SIG_IGN:  # e.g. under nohup: respect that
                continue
            previous[sig] = signal.signal(sig, handler)
        except (ValueError, OSError):  # not the main thread: leave signals alone
            continue
    previous_int = signal.getsignal(signal.SIGINT)
    try:
        yield
    finally:
        for sig, old in previous.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(sig, old)
        with contextlib.suppress(ValueError, OSError, TypeError):
            signal.signal(signal.SIGINT, previous_int)


_ACTIVE: list[Any] = []  # the prompt_toolkit application on screen, if any
_PENDING: list[int] = []  # a signal that arrived while a prompt was on screen


def _end_prompt(loop: Any, signum: int) -> None:
    """End the prompt on screen with `Interrupted`; if it is still starting, try again shortly."""
    app = _ACTIVE[-1] if _ACTIVE else None
    if app is None or (app.future is not None and app.future.done()):
        return  # no prompt, or one already ending: `on_screen` raises the pending signal
    if app.is_running and app.future is not None:
        app.exit(exception=Interrupted(signum))
    else:
        loop.call_later(0.05, _end_prompt, loop, signum)


@contextlib.contextmanager
def on_screen(app: Any) -> Iterator[None]:
    """Mark a prompt as on screen; a signal that came too late to end it is raised when it returns."""
    _ACTIVE.append(app)
    try:
        yield
    except OSError:
        if _PENDING:  # the terminal went away (SIGHUP) and the prompt could not redraw itself
            raise Interrupted(_PENDING[0]) from None
        raise
    finally:
        _ACTIVE.remove(app)
    if _PENDING:
        raise Interrupted(_PENDING[0])


def ignore_signals() -> None:
    """Ignore the stopping signals from now on (the draft is saved: let nothing cut the exit short)."""
    for sig in STOPPING:
        with contextlib.suppress(ValueError, OSError):
            signal.signal(sig, signal.SIG_IGN)


def say_quietly(text: str) -> None:
    """Write to stderr; if the terminal has gone (SIGHUP), say nothing rather than fail."""
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
