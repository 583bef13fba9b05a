"""`neglect assess`: the guided walk, or a scripted case with `--answers`."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .options import force_option, format_option, out_option, redact_option

if TYPE_CHECKING:
    from ..answers import LoadedAnswers


class AssessFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    yaml = "yaml"
    md = "md"


def assess(
    tool: str | None = typer.Option(None, "--tool", "-t", help="Tool id, id@version or path (default: neglect-core)."),
    answers: Path | None = typer.Option(
        None, "--answers", "-a", help="Answers file: a scripted case, or a partial one to pre-fill."
    ),
    resume: str | None = typer.Option(
        None,
        "--resume",
        help="Carry on with a saved draft: its case ref or path; on its own (or 'list') to choose one.",
        show_default=False,
    ),
    out: Path | None = out_option("Where to write the record (default: <case-ref>_<date>.json here)."),
    fmt: AssessFormat = format_option(AssessFormat.terminal, "What to print: terminal summary, json, yaml or md."),
    redact: bool = redact_option(
        "Leave evidence, free text, the child's voice and rationales out of the record and output."
    ),
    partial: bool = typer.Option(
        False,
        "--partial",
        help="With --answers and no terminal: score even if items are unanswered (they lower coverage).",
    ),
    force: bool = force_option("Replace an existing record file."),
) -> None:
    """Walk through a neglect tool item by item, or score a scripted case (--answers).

    On a terminal the walk saves a draft after every answer; Ctrl-C saves and stops, and
    `--resume` (on its own, or `--resume list`) offers the drafts to carry on.
    """
    from ..clock import now, today

    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if answers is not None and resume is not None:
        from ..errors import UserError

        raise UserError("give either --answers or --resume, not both")
    if out is not None:
        from ..errors import UserError
        from ..store import check_out_path

        if str(out) == "-":
            raise UserError("--out - : a record is written to a file; to print it, use --format json")
        check_out_path(out)  # before the walk, not after fifty answers
    if answers is not None:
        from ..answers import load_answers

        loaded = load_answers(answers, today=today(), complete=not interactive or partial)
        missing = loaded.missing()
        if missing and not partial:
            if interactive:
                walk(tool=tool, prefill=loaded, resume=None, out=out, fmt=fmt.value, redact=redact, force=force)
                return
            from ..errors import UserError

            raise UserError(
                f"{len(missing)} applicable item(s) have no answer and there is no terminal to ask: "
                + ", ".join(missing)
                + "\n(answer them, mark them not_known with a reason, or pass --partial to score them as unanswered)",
                file=str(answers),
            )
        from ..record import assess_answers
        from ..saving import write_and_show

        _, record = assess_answers(loaded, now=now(), redact=redact)
        write_and_show(record, loaded.source, out=out, fmt=fmt.value, force=force)
        return

    walk(tool=tool, prefill=None, resume=resume, out=out, fmt=fmt.value, redact=redact, force=force)


def walk(
    *,
    tool: str | None,
    prefill: LoadedAnswers | None,
    resume: str | None,
    out: Path | None,
    fmt: str,
    redact: bool,
    force: bool,
    choose_tool: bool = False,
) -> None:
    """The interactive walk: exit 130 when it was interrupted (the draft is saved), 0 otherwise."""
    if not sys.stdin.isatty():
        from ..errors import UserError

        raise UserError(
            "neglect assess asks questions and needs a terminal; standard input is not one.\n"
            "Give a scripted case with --answers CASE.yaml (see `neglect template`)."
        )
    from ..interview import run_interview

    outcome = run_interview(
        tool=tool,
        prefill=prefill,
        resume=resume,
        out=out,
        fmt=fmt,
        redact=redact,
        force=force,
        choose_tool=choose_tool,
    )
    if outcome.status == "interrupted":
        from ..signals import ignore_signals

        ignore_signals()  # the draft is saved: let nothing cut the exit short
        raise typer.Exit(130)


def start() -> None:
    """`neglect` on its own: the guided walk, offering a choice when several tools are loaded."""
    walk(tool=None, prefill=None, resume=None, out=None, fmt="terminal", redact=False, force=False, choose_tool=True)


def resume_without_value(argv: list[str]) -> list[str]:
    """`--resume` given with no value (last, or before another option) means `--resume list`.

    Typer has no options with an optional value, so the command line is completed before parsing.
    """
    out: list[str] = []
    for i, arg in enumerate(argv):
        if arg == "--":
            out.extend(argv[i:])
            break
        out.append(arg)
        if arg == "--resume" and (i + 1 == len(argv) or argv[i + 1].startswith("-")):
            out.append("list")
    return out
