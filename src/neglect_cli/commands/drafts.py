"""`neglect drafts list|discard`: unfinished assessments saved by the walk."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Any

import typer

from .options import format_option

app = typer.Typer(
    help="Unfinished assessments: list them, or discard one. Carry one on with `neglect assess --resume`.",
    no_args_is_help=True,
)


def register(command: Callable[..., Any]) -> None:
    """Attach the subcommands (wrapped by the CLI's error guard)."""
    command(app, "list")(list_drafts)
    command(app, "discard")(discard)


class ListFormat(StrEnum):
    table = "table"
    json = "json"


def list_drafts(fmt: ListFormat = format_option(ListFormat.table, "table or json")) -> None:
    """List saved drafts: case ref, tool, progress, when last saved, and the file."""
    from ..drafts import describe_saved_at, draft_holder, drafts_dir, list_drafts
    from ..output import command_line, info, print_json
    from ..text import visible

    found = list_drafts()
    rows = [
        {
            "case_ref": f.draft.case.ref if f.draft else None,
            "tool": f"{f.draft.tool.id}@{f.draft.tool.version}" if f.draft else None,
            "answered": f.draft.progress.answered if f.draft else None,
            "applicable": f.draft.progress.applicable if f.draft else None,
            "saved_at": f.draft.saved_at if f.draft else None,
            "path": str(f.path),
            "problem": f.problem,
            "open_in": holder.describe() if (holder := draft_holder(f.path)) else None,
        }
        for f in found
    ]
    if fmt is ListFormat.json:
        print_json(rows)
        return
    if not found:
        info(f"no drafts (they are kept in {drafts_dir()})")
        return
    for f in found:
        if f.draft is None:
            drop = command_line("drafts", "discard", f.path.name)
            line = f"?  {f.path.name}: cannot be read ({f.problem}); drop it: {drop}"
            sys.stdout.write(visible(line) + "\n")
            continue
        d = f.draft
        holder = draft_holder(f.path)
        busy = f"  OPEN in a walk ({holder.describe()})" if holder is not None else ""
        line = (
            f"{d.case.ref}  {d.tool.id} {d.tool.version}  "
            f"{d.progress.answered}/{d.progress.applicable} answered  saved {describe_saved_at(d.saved_at)}{busy}"
        )
        sys.stdout.write(visible(line) + "\n")
    info(
        f"carry one on: {command_line('assess', '--resume')} CASE-REF\n"
        f"drop one:     {command_line('drafts', 'discard')} CASE-REF",
        commands=True,
    )


def discard(
    ref: str = typer.Argument(..., help="The draft's case reference, or its path."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete a draft (its answers are lost). On a terminal it asks first, unless --yes."""
    from ..clock import now
    from ..drafts import discard_draft, find_draft, lock_draft
    from ..output import info

    found = find_draft(ref, unreadable_ok=True)  # a damaged draft must be removable too
    name = found.draft.case.ref if found.draft else found.path.name
    lock = lock_draft(found.path, name, now=now())  # never from under a walk that has it open (DraftBusy)
    try:
        if not yes and sys.stdin.isatty() and sys.stdout.isatty():
            import questionary

            sure = questionary.confirm(f"Discard the draft for {name}? Its answers will be lost.", default=False)
            if not sure.unsafe_ask():
                info("kept")
                return
        discard_draft(found.path)
    finally:
        lock.release()  # and its lock file with it
    info(f"discarded the draft for {name}")
