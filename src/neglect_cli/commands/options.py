"""The options commands share, spelt one way everywhere: `--format/-f`, `--out/-o`, `--force`, `--redact`,
and `--mixed-cases` for the two commands that can put different children's records side by side.

One word, one meaning: `--force` only ever replaces what `--out` names (or, for `signoff`, an earlier
sign-off of the same record); it never lets a command do something else it would refuse. `diff` and `trend`
spelt "show records of different cases together" `--force` in 0.1.0, and `trend` spelt "replace the --out
file" `--replace`: see `deprecated_alias` for how old spellings are kept without changing what they do.

Each factory returns the typer option for a parameter's default, so a command reads

    out: Path | None = out_option("Write the report to this file (0600) instead of printing it."),

and the names, short forms and defaults cannot drift apart between commands. The help may differ,
since what is written or replaced differs; the meaning of each option does not.
"""

from __future__ import annotations

from typing import Any

import typer

REDACT_HELP = "Leave out evidence, not-known reasons, free-text context, the child's voice and rationales."


def format_option(default: Any, help: str) -> Any:
    """`--format/-f`: which output format (each command's own enum of formats)."""
    return typer.Option(default, "--format", "-f", help=help, show_default=default is not None)


def out_option(help: str) -> Any:
    """`--out/-o`: a file (or folder) to write instead of printing; None when not given."""
    return typer.Option(None, "--out", "-o", help=help, show_default=False)


def force_option(help: str = "Replace an existing file.") -> Any:
    """`--force`: replace what `--out` names (never a record of another case)."""
    return typer.Option(False, "--force", help=help)


def mixed_cases_option(help: str) -> Any:
    """`--mixed-cases`: `diff` and `trend` put records of different children side by side (under a warning);
    without it they refuse, since one child's records read as another's is a safeguarding error."""
    return typer.Option(False, "--mixed-cases", help=help)


def deprecated_alias(old: str) -> Any:
    """An old spelling kept working, hidden from the help: the command calls `deprecated` when it is given."""
    return typer.Option(False, old, hidden=True)


def deprecated(old: str, new: str, meaning: str) -> None:
    """Say on stderr that `old` still works, and what to write instead (scripts keep working)."""
    from ..output import warn

    warn(f"{old} is deprecated and will be removed: use {new} ({meaning}), as every command spells it")


def redact_option(help: str = REDACT_HELP) -> Any:
    """`--redact`: free text removed from what is written and shown."""
    return typer.Option(False, "--redact", help=help)
