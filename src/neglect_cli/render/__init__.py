"""Renderers: records and results into terminal text, Markdown, HTML, tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..record import Record
    from ..toolfiles import ToolSource
    from .planview import PlanProgress, SignoffView
    from .view import ChronologySection

#: Formats `show_record` and `report_text` understand.
RECORD_FORMATS = ("terminal", "json", "yaml", "md", "html")

#: How each escalation severity is styled on a terminal (rich styles), in reports and in diffs.
SEVERITY_STYLE = {"immediate": "bold white on red", "urgent": "bold red", "consult": "yellow", "info": "cyan"}


def report_text(
    record: Record,
    fmt: str,
    *,
    source: ToolSource | None,
    redact: bool = False,
    integrity_problems: list[str] | None = None,
    width: int = 80,
    signoff: SignoffView | None = None,
    chronology: ChronologySection | None = None,
    progress: PlanProgress | None = None,
) -> str:
    """A readable report of a record as text: "md", "html", or plain "terminal" text (no colour).

    `source` is the record's tool (`toolfiles.find_record_tool`); when None (not available here) band
    labels fall back to band ids. `redact` removes free text (see `record.redact_body`).
    """
    from .view import build_view

    view = build_view(
        record,
        source,
        redact=redact,
        integrity_problems=integrity_problems,
        signoff=signoff,
        chronology=chronology,
        progress=progress,
    )
    if fmt == "md":
        from .markdown import view_markdown

        return view_markdown(view)
    if fmt == "html":
        from .html import view_html

        return view_html(view)
    if fmt == "terminal":
        from .terminal import summary_text

        return summary_text(view, width=width)
    raise ValueError(f"not a report format: {fmt}")


def show_record(
    record: Record,
    fmt: str,
    *,
    source: ToolSource | None,
    redact: bool = False,
    integrity_problems: list[str] | None = None,
    signoff: SignoffView | None = None,
    chronology: ChronologySection | None = None,
    progress: PlanProgress | None = None,
) -> None:
    """Print a record to stdout: terminal summary (colour on a TTY), json, yaml, md or html."""
    import sys

    if fmt in ("json", "yaml"):
        data = record.model_dump(mode="json", by_alias=True)
        if redact:
            from .view import redacted

            data = redacted(record, source.tool if source else None).model_dump(mode="json", by_alias=True)
        if fmt == "json":
            from ..record import dumps_record

            sys.stdout.write(dumps_record(data))
        else:
            from .yamlout import dump_yaml

            sys.stdout.write(dump_yaml(data))
    elif fmt in ("md", "html"):
        text = report_text(
            record,
            fmt,
            source=source,
            redact=redact,
            integrity_problems=integrity_problems,
            signoff=signoff,
            chronology=chronology,
            progress=progress,
        )
        sys.stdout.write(text)
    else:
        from .terminal import summary

        summary(
            record,
            source=source,
            redact=redact,
            integrity_problems=integrity_problems,
            signoff=signoff,
            chronology=chronology,
            progress=progress,
        )
