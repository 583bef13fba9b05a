"""`neglect history CASE`: every assessment of one child in the store, newest first."""

from __future__ import annotations

import sys
from enum import StrEnum

import typer

from .options import format_option

STORE_HELP = "The record store: a SQLite file or a postgresql:// URL (default: $NEGLECT_STORE, else the local store)."


class HistoryFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    md = "md"


def history(
    case_ref: str = typer.Argument(..., metavar="CASE", help="The child's case reference."),
    fmt: HistoryFormat = format_option(HistoryFormat.terminal, "terminal, json or md"),
    training: bool = typer.Option(False, "--training", help="Include records of scripted training cases."),
    store: str | None = typer.Option(None, "--store", help=STORE_HELP, show_default=False),
) -> None:
    """Every assessment of the child, newest first: date, assessor, tool, computed and final level,
    prompts, review due date and whether the next assessment came in time."""
    from ..clock import today
    from ..historyview import history_json, history_markdown, history_text
    from ..recordstore import open_store

    opened = open_store(store, create=False)
    try:
        rows = opened.history_rows(case_ref, training=training)
    finally:
        opened.close()
    if fmt is HistoryFormat.json:
        sys.stdout.write(history_json(case_ref, rows, today()))
    elif fmt is HistoryFormat.md:
        from ..render.markdown import md_escape

        sys.stdout.write(history_markdown(case_ref, rows, today(), md_escape))
    else:
        sys.stdout.write(history_text(case_ref, rows, today(), training=training))
