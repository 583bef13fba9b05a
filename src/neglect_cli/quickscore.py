"""`neglect score` in its commonest forms, answered before the CLI framework loads.

Trainers score thousands of cases at a time, and typer (with a pydantic adapter built for each
of the command's options, and every command of the app built to find this one) costs about as
much CPU as scoring a hundred of them. So answers files, folders and `-`, with `--format`,
`--jobs` and `--check`, are read here with the standard library and scored by the same function
the typer command calls (`bulk.run_score`). Anything else — `--out`, `--redact`, `--force`,
`--help`, an option spelt another way, an option given twice, a value with a control character —
returns None, and the full CLI answers instead, with its messages and exit codes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

from .text import unsafe_reason

FORMATS = ("table", "json", "csv")


@dataclass(frozen=True, slots=True)
class QuickScore:
    """What `neglect score ARGS` asks for, in the forms answered here."""

    files: list[str]
    fmt: str = "table"
    jobs: int = 1
    check: bool = False


def parse(args: list[str]) -> QuickScore | None:
    """The files and options of `neglect score ARGS`; None for anything the full CLI must answer."""
    files: list[str] = []
    given: dict[str, str] = {}
    check = False
    i = 0
    while i < len(args):
        arg = args[i]
        if unsafe_reason(arg, multiline=False):
            return None  # refused, and named, by the full command
        name, value = arg, None
        if arg.startswith("--") and "=" in arg:
            name, value = arg.split("=", 1)
        option = {"--format": "format", "-f": "format", "--jobs": "jobs", "-j": "jobs"}.get(name)
        if option is not None:
            if value is None:
                if i + 1 >= len(args):
                    return None
                i += 1
                value = args[i]
            if option in given:
                return None
            given[option] = value
        elif arg == "--check" and not check:
            check = True
        elif arg == "-" or not arg.startswith("-"):
            files.append(arg)
        else:
            return None
        i += 1
    fmt = given.get("format", "table")
    jobs = given.get("jobs", "1")
    if not files or fmt not in FORMATS or not (jobs.isascii() and jobs.isdigit()):
        return None  # a missing file, an unknown format or a count that is not a number: the CLI's messages
    return QuickScore(files, fmt, int(jobs), check)


def answer(args: list[str]) -> int | None:
    """Score and return the exit code, or return None to let the full CLI answer."""
    asked = parse(args)
    if asked is None:
        return None
    from .crash import no_core_dumps
    from .store import state_dir, sweep_stale_temps

    # What the CLI does before every command (cli.main).
    no_core_dumps()
    sweep_stale_temps(state_dir() / "drafts")
    try:
        from .bulk import run_score

        return run_score(asked.files, asked.fmt, jobs=asked.jobs, check=asked.check)
    except BaseException as exc:  # noqa: BLE001 - every ending has its exit code, as cli.exit_code gives it
        return exit_code(exc)


def exit_code(exc: BaseException, bug: Callable[[BaseException], int] | None = None) -> int:
    """The one mapping from how a command ended to its exit code, without the CLI framework (`cli.exit_code`
    adds the framework's own endings): our errors 2 (or their own code), an interrupt 130, a closed pipe 1
    (silently), a bug 1 with a crash log (`bug`, the crash report by default)."""
    from .errors import Interrupted, UserError

    if isinstance(exc, UserError):
        from .output import error

        error(str(exc))
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt | Interrupted | EOFError):
        sys.stderr.write("\ninterrupted\n")
        return 130
    if isinstance(exc, BrokenPipeError):
        # The reader stopped early (`neglect score … | head`): nothing is wrong, and nothing more can be said.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    if isinstance(exc, SystemExit):
        return exc.code if isinstance(exc.code, int) else 0
    if bug is not None:
        return bug(exc)
    from .crash import report_crash

    return report_crash(exc, debug=bool(os.environ.get("NEGLECT_DEBUG")))
