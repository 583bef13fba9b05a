"""`neglect assess`: the guided walk, or a scripted case with `--answers`."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from ..loading import ToolSource


class AssessFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    yaml = "yaml"
    md = "md"


def assess(
    tool: str = typer.Option(None, "--tool", "-t", help="Tool id, id@version or path (default: neglect-core)."),
    answers: Path = typer.Option(
        None, "--answers", "-a", help="Answers file: a scripted case, or a partial one to pre-fill."
    ),
    resume: str = typer.Option(
        None, "--resume", help="Resume a draft: its case ref or path ('' or 'list' to choose).", show_default=False
    ),
    out: Path = typer.Option(
        None, "--out", "-o", help="Where to write the record (default: <case-ref>_<date>.json here)."
    ),
    fmt: AssessFormat = typer.Option(
        AssessFormat.terminal, "--format", "-f", help="What to print: terminal summary, json, yaml or md."
    ),
    redact: bool = typer.Option(
        False,
        "--redact",
        help="Leave evidence, free text, the child's voice and rationales out of the record and output.",
    ),
    partial: bool = typer.Option(
        False,
        "--partial",
        help="With --answers and no terminal: score even if items are unanswered (they lower coverage).",
    ),
    force: bool = typer.Option(False, "--force", help="Replace an existing record file."),
) -> None:
    """Walk through a neglect tool item by item, or score a scripted case (--answers)."""
    from ..clock import now, today

    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if answers is not None and (not interactive or resume is None):
        from ..record import load_answers

        loaded = load_answers(answers, today=today(), complete=not interactive or partial)
        missing = loaded.missing()
        if missing and not partial:
            if interactive:
                from ..interview import run_interview

                run_interview(
                    tool=tool, prefill=loaded, resume=None, out=out, fmt=fmt.value, redact=redact, force=force
                )
                return
            from ..errors import UserError

            raise UserError(
                f"{len(missing)} applicable item(s) have no answer and there is no terminal to ask: "
                + ", ".join(missing)
                + "\n(answer them, mark them not_known with a reason, or pass --partial to score them as unanswered)",
                file=str(answers),
            )
        from ..record import assess_answers

        _, record = assess_answers(loaded, now=now(), redact=redact)
        write_and_show(record, loaded.source, out=out, fmt=fmt.value, force=force)
        return

    if not sys.stdin.isatty():
        from ..errors import UserError

        raise UserError(
            "neglect assess asks questions and needs a terminal; standard input is not one.\n"
            "Give a scripted case with --answers CASE.yaml (see `neglect template`)."
        )
    from ..interview import run_interview

    run_interview(tool=tool, prefill=None, resume=resume, out=out, fmt=fmt.value, redact=redact, force=force)


def write_and_show(record: dict[str, object], source: ToolSource, *, out: Path | None, fmt: str, force: bool) -> Path:
    """Write a sealed record (0600, atomic, no clobbering) and print it in the chosen format."""
    from ..record import CaseInfo, Record, default_record_name, dumps_record
    from ..store import atomic_write

    model = Record.model_validate(record)
    path = out if out is not None else Path(default_record_name(CaseInfo.model_validate(record["case"])))
    if path.is_dir():
        path = path / default_record_name(CaseInfo.model_validate(record["case"]))
    atomic_write(path, dumps_record(record), force=force)
    from ..render import show_record

    show_record(model, fmt, source=source)
    from ..output import info

    info(f"record written: {path} (0600)")
    info(f"next: neglect report {path} --format html   ·   neglect diff OLDER.json {path}")
    return path
