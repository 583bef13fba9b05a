"""The options commands share, spelt one way everywhere: `--format/-f`, `--out/-o`, `--force`, `--redact`.

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


def redact_option(help: str = REDACT_HELP) -> Any:
    """`--redact`: free text removed from what is written and shown."""
    return typer.Option(False, "--redact", help=help)
