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


#: A line of a message indented this much is a command to copy: never wrapped.
COMMAND_INDENT = "    "


def _wrapped(label: str, colour: str, message: str) -> str:
    """A message under its label, each line after the first indented. On a terminal it is wrapped to the
    screen, never breaking a path or other long word, nor a line indented by four spaces (a command to
    copy); piped, each problem stays on one line (`file:line: field: message`), for grep and editors."""
    from .text import screen_width, wrap

    width = screen_width(sys.stderr) if _is_terminal(sys.stderr) else 1 << 30
    lines: list[str] = []
    for i, line in enumerate(visible(message).splitlines() or [""]):
        if line.startswith(COMMAND_INDENT):
            lines.append(line)
            continue
        lines += wrap(line, width, f"{label} " if i == 0 else "  ", "    " if i else "  ")
    if color_enabled(sys.stderr):
        lines[0] = f"\x1b[{colour}m{label}\x1b[0m" + lines[0][len(label) :]
    return "\n".join(lines) + "\n"


def error(message: str) -> None:
    sys.stderr.write(_wrapped("error:", "31", message))


def warn(message: str) -> None:
    sys.stderr.write(_wrapped("warning:", "33", message))


def warn_all(messages: list[str]) -> None:
    """Each of a result's warnings (diff, trend), one `warning:` each."""
    for message in messages:
        warn(message)


def _is_terminal(stream: Any) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)())


def info(message: str, *, commands: bool = False) -> None:
    """A note on stderr, wrapped to the screen on a terminal (one line a sentence when piped); with
    `commands`, lines are commands to copy and run, never wrapped (broken, they would run as two)."""
    from .text import screen_width, wrap

    width = screen_width(sys.stderr)
    lines = visible(message).splitlines() or [""]
    if commands or not _is_terminal(sys.stderr):
        sys.stderr.write("".join(f"{line}\n" for line in lines))
        return
    sys.stderr.write("".join(f"{wrapped}\n" for line in lines for wrapped in wrap(line, width, "", "  ")))


def program() -> str:
    """How to run this program again, as a command people can paste: `neglect` when that is what
    PATH finds; else the `neglect` script's absolute path (a venv that is not activated); else this
    interpreter with `-m neglect_cli`."""
    import shlex
    import shutil
    from pathlib import Path

    found = shutil.which("neglect")
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    candidates = [argv0] if argv0 is not None and argv0.name.startswith("neglect") else []
    candidates.append(Path(sys.executable).parent / "neglect")
    for script in candidates:
        if not script.is_file():
            continue
        if found is not None and _same_file(found, script):
            return "neglect"
        return shlex.quote(str(script.absolute()))
    return f"{shlex.quote(sys.executable)} -m neglect_cli"


def _same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def command_line(*args: str) -> str:
    """`neglect ARGS` as this program is really run (see `program`), each argument quoted for a shell."""
    import shlex

    return " ".join([program(), *(shlex.quote(str(a)) for a in args)])


def refuse_html_on_terminal(suggested_out: str) -> None:
    """HTML is a page to open in a browser or print: on a terminal it is 26 KB of markup. Ask for a
    file instead (`--out -` still prints it, for a pipe the shell cannot see)."""
    if sys.stdout.isatty():
        from .errors import UserError

        raise UserError(
            "HTML is a page to open in a browser or print, not to read on a terminal: write it to a file "
            f"with --out {suggested_out} (or pipe it; --out - prints it here anyway)"
        )


def deliver(text: str, out: Any, *, html: bool, suggested_out: str, what: str, force: bool = False) -> None:
    """Write `text` to `out` (0600, over an existing file only with `force`), or print it: HTML on a terminal
    is refused with the file to write instead (`out` of `-` prints it anyway)."""
    if out is not None and str(out) != "-":
        from .store import atomic_write

        atomic_write(out, text, force=force)
        info(f"{what} written: {out} (0600)")
        return
    if html and out is None:
        refuse_html_on_terminal(suggested_out)
    sys.stdout.write(text)


def print_json(data: Any) -> None:
    sys.stdout.write(json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")
