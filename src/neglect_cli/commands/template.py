"""`neglect template`: an answers-file skeleton for trainers."""

from __future__ import annotations

from pathlib import Path

import typer


def template(
    tool: str = typer.Argument("neglect-core", help="Tool id, id@version or path."),
    out: Path = typer.Option(None, "--out", "-o", help="Write to this file instead of printing."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file."),
) -> None:
    """Print an answers file to fill in: every context fact and item, with prompts and the scale as comments."""
    from ..loading import find_tool
    from ..render.template import answers_template

    source = find_tool(tool)
    text = answers_template(source)
    if out is None:
        typer.echo(text, nl=False)
        return
    from ..store import atomic_write

    atomic_write(out, text, force=force)
    typer.echo(f"template written: {out}")
