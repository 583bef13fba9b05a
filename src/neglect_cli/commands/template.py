"""`neglect template`: an answers-file skeleton for trainers."""

from __future__ import annotations

from pathlib import Path

import typer

from .options import force_option, out_option


def template(
    tool: str = typer.Argument("neglect-core", help="Tool id, id@version or path."),
    out: Path | None = out_option("Write to this file instead of printing (- for standard output)."),
    force: bool = force_option("Replace an existing file."),
) -> None:
    """Print an answers file to fill in: every context fact and item, with prompts and the scale as comments."""
    import os

    from ..render.template import answers_template
    from ..toolfiles import find_tool, looks_like_path

    out = _stdout_if_dash(out)  # `-o -` means standard output, as everywhere else
    source = find_tool(tool)
    tool_ref = None
    if looks_like_path(tool):  # it may not be on NEGLECT_TOOLS_PATH: name the file, relative to the answers file
        folder = (out.parent if out is not None else Path()).resolve()
        tool_ref = Path(os.path.relpath(source.path, folder)).as_posix()
    text = answers_template(source, tool_ref)
    if out is None:
        typer.echo(text, nl=False)
        return
    from ..store import atomic_write

    atomic_write(out, text, force=force)
    typer.echo(f"template written: {out}")


def _stdout_if_dash(out: Path | None) -> Path | None:
    return None if out is not None and str(out) == "-" else out
