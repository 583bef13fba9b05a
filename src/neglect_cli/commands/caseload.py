"""`neglect caseload`: the supervisor's queue across every child in the store."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from .history import STORE_HELP
from .options import force_option, format_option, out_option


class CaseloadFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    md = "md"
    html = "html"


def caseload(
    as_of: str | None = typer.Option(
        None, "--as-of", help="The date to judge by (YYYY-MM-DD or DD/MM/YYYY; default today)."
    ),
    assessor: str | None = typer.Option(None, "--assessor", help="Only children whose latest assessment is by NAME."),
    supervisor: str | None = typer.Option(
        None, "--supervisor", help="Only children whose latest assessment names NAME."
    ),
    fmt: CaseloadFormat | None = format_option(
        None,
        "terminal (default), json, md or html (from --out's suffix when not given).",
    ),
    out: Path | None = out_option("Write to this file (0600) instead of printing it (`-`: standard output)."),
    force: bool = force_option("Replace an existing --out file."),
    training: bool = typer.Option(False, "--training", help="Include records of scripted training cases."),
    store: str | None = typer.Option(None, "--store", help=STORE_HELP, show_default=False),
) -> None:
    """Reviews overdue and due within 14 days, drift and delay, urgent or immediate prompts with no
    later assessment, levels lowered by override, provisional assessments, lowered levels awaiting
    sign-off, and plans drifting (actions overdue, outcomes not achieved, a need in a third plan,
    sign-offs waiting more than 5 working days)."""

    from ..caseload import build_caseload
    from ..clock import today
    from ..dates import date_option
    from ..recordstore import open_store

    when = date_option("--as-of", as_of) if as_of else today()
    dash = out is not None and str(out) == "-"  # `-o -` is standard output, as for `report`
    out = None if dash else out
    if fmt is None:
        suffixes = {".html": CaseloadFormat.html, ".htm": CaseloadFormat.html, ".md": CaseloadFormat.md}
        suffix = out.suffix.lower() if out is not None else ""
        fmt = suffixes.get(suffix, CaseloadFormat.json if suffix == ".json" else CaseloadFormat.terminal)
    if fmt is CaseloadFormat.html and out is None and not dash:
        from ..output import refuse_html_on_terminal

        refuse_html_on_terminal(f"caseload_{when.isoformat()}.html")
    opened = open_store(store, create=False)
    try:
        rows = opened.caseload_rows(when, training=training)
        signed = opened.signed_record_ids([row["id"] for row in rows if row["position"] == 1])
    finally:
        opened.close()
    queue = build_caseload(rows, when, assessor=assessor, supervisor=supervisor, signed_off=signed)
    filters = "".join(f" · {k} {v}" for k, v in (("assessor", assessor), ("supervisor", supervisor)) if v)
    if fmt is CaseloadFormat.json:
        import json

        from ..text import json_safe

        text = json_safe(json.dumps(queue.as_json(), indent=2, ensure_ascii=False)) + "\n"
    elif fmt is CaseloadFormat.md:
        from ..render.caseload import caseload_markdown
        from ..render.markdown import md_escape

        text = caseload_markdown(queue, md_escape, filters)
    elif fmt is CaseloadFormat.html:
        from ..render.caseload import caseload_html

        text = caseload_html(queue, filters)
    else:
        from ..render.caseload import caseload_text

        text = caseload_text(queue, filters)
    if out is None:
        sys.stdout.write(text)
        return
    from ..output import info
    from ..store import atomic_write

    atomic_write(out, text, force=force)
    info(f"caseload written: {out} (0600)")
