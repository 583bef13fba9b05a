"""`neglect tools list|show|validate|schema`: what tools are loaded, and checking new ones."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from .options import force_option, format_option, out_option

app = typer.Typer(help="List, show, validate tools, and print the tool format's JSON Schema.", no_args_is_help=True)


def register(command: Callable[..., Any]) -> None:
    """Attach the subcommands (wrapped by the CLI's error guard)."""
    command(app, "list")(list_tools)
    command(app, "show")(show)
    command(app, "validate")(validate)
    command(app, "schema")(schema)


class ListFormat(StrEnum):
    table = "table"
    json = "json"


def list_tools(fmt: ListFormat = format_option(ListFormat.table, "table or json")) -> None:
    """List the tools found: shipped ones, then those on NEGLECT_TOOLS_PATH."""
    from ..output import print_json, warn
    from ..toolfiles import discover_tools, skipped_tool_files, unusable_search_dirs

    sources = discover_tools()
    for why in unusable_search_dirs():
        warn(why)
    for problem in skipped_tool_files():
        warn(f"{problem} (see `neglect tools validate {problem.file}`)")
    rows = [
        {
            "id": s.tool.id,
            "version": s.tool.version,
            "title": s.tool.title,
            "domains": [d.id for d in s.tool.domains],
            "items": sum(len(d.items) for d in s.tool.domains),
            "source": "shipped" if s.shipped else str(s.path),
        }
        for s in sources
    ]
    if fmt is ListFormat.json:
        print_json(rows)
        return
    from ..render.terminal import tools_table

    tools_table(rows)


def show(
    name: str = typer.Argument(..., help="Tool id, id@version or path."),
    fmt: ListFormat = format_option(ListFormat.table, "table (readable) or json"),
) -> None:
    """Show a whole tool readably: domains, items with scale descriptors, bands, rules in plain words."""
    from ..toolfiles import find_tool

    source = find_tool(name)
    if fmt is ListFormat.json:
        from ..output import print_json

        print_json(source.tool.model_dump(mode="json", by_alias=True, exclude_none=True))
        return
    from ..render.terminal import show_tool

    show_tool(source)


def validate(
    paths: list[Path] = typer.Argument(..., help="Tool files to check."),
    fmt: ListFormat = format_option(ListFormat.table, "table or json"),
) -> None:
    """Check tool files against the format and its rules. Exit 0 valid, 2 invalid (every problem listed)."""
    from ..errors import UserError
    from ..output import error, print_json, warn
    from ..toolfiles import tool_file, tool_warnings, unknown_formerly

    results = []
    for path in paths:
        try:
            source = tool_file(path)
            unknown = unknown_formerly(source)  # checked against the earlier versions found here
            if unknown:
                raise UserError(unknown)
        except UserError as exc:
            results.append({"file": str(path), "valid": False, "problems": [p.as_dict() for p in exc.problems]})
            if fmt is not ListFormat.json:
                error(str(exc))
            continue
        warnings = tool_warnings(source)  # valid, but a worse rating could lower the level, or a part never acts
        results.append(
            {
                "file": str(path),
                "valid": True,
                "id": source.tool.id,
                "version": source.tool.version,
                "problems": [],
                "warnings": [w.as_dict() for w in warnings],
            }
        )
        if fmt is not ListFormat.json:
            for warning in warnings:
                warn(str(warning))
            typer.echo(f"{path}: valid ({source.ref})")
    if fmt is ListFormat.json:
        print_json(results)
    if not all(r["valid"] for r in results):
        raise typer.Exit(2)


def schema(
    out: Path | None = out_option("Write to this file instead of printing."),
    force: bool = force_option("Replace an existing --out file."),
) -> None:
    """Print the JSON Schema of the tool format (generated from the models)."""
    from ..definition import tool_json_schema

    text = tool_json_schema()
    if out is None or str(out) == "-":  # `-o -` is standard output, as for `report`
        typer.echo(text, nl=False)
        return
    from ..store import atomic_write

    atomic_write(out, text, mode=0o644, force=force)
