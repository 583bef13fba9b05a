"""Renderers: records and results into terminal text, Markdown, HTML, tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..record import Record


def show_record(record: Record, fmt: str, *, source: Any = None) -> None:
    """Print a record to stdout in the chosen format (terminal summary, json, yaml, md)."""
    import sys

    if fmt == "json":
        from ..record import dumps_record

        sys.stdout.write(dumps_record(record.model_dump(mode="json", by_alias=True)))
    elif fmt == "yaml":
        from .yamlout import dump_yaml

        sys.stdout.write(dump_yaml(record.model_dump(mode="json", by_alias=True)))
    elif fmt == "md":
        from .markdown import record_markdown

        sys.stdout.write(record_markdown(record))
    else:
        from .terminal import summary

        summary(record)
