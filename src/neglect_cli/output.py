"""Small output helpers shared by commands: plain stderr messages, colour decisions, JSON out."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from .text import json_safe, visible


def color_enabled(stream: Any = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def error(message: str) -> None:
    prefix = "\x1b[31merror:\x1b[0m " if color_enabled(sys.stderr) else "error: "
    for i, line in enumerate(visible(message).splitlines() or [""]):
        sys.stderr.write((prefix if i == 0 else "  ") + line + "\n")


def warn(message: str) -> None:
    prefix = "\x1b[33mwarning:\x1b[0m " if color_enabled(sys.stderr) else "warning: "
    sys.stderr.write(prefix + visible(message) + "\n")


def info(message: str) -> None:
    sys.stderr.write(visible(message) + "\n")


def print_json(data: Any) -> None:
    sys.stdout.write(json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")
