"""Writing a finished record: the file (0600, atomic, never over another case's record), what is shown
of it, and its copy in the record store. The walk and `neglect assess` both end here."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .record import Record
    from .toolfiles import ToolSource


def write_and_show(
    record: Record, source: ToolSource, *, out: Path | None, fmt: str, force: bool, show: bool = True
) -> Path:
    """Write a sealed record (0600, atomic, no clobbering) and print it in the chosen format (when `show`)."""
    from .record import check_replaceable, default_record_name, dumps_record
    from .store import atomic_write, check_out_path

    path = out if out is not None else Path(default_record_name(record.case))
    check_out_path(path)
    if path.is_dir():
        path = path / default_record_name(record.case)
    if force:
        check_replaceable(path, record.case.ref)
    atomic_write(path, dumps_record(record), force=force)
    if show:
        from .render import show_record

        show_record(record, fmt, source=source)
    from .output import info

    info(f"record written: {path} (0600)")
    keep_in_store(record.as_json(), path, source)
    info(next_steps(path, record.case.ref, training=record.training), commands=True)
    return path


def next_steps(path: Path, case_ref: str, *, training: bool) -> str:
    """The follow-up commands, as they run here: a printable report written to a file (never HTML on
    the terminal) and the child's history (a training record only shows with --training)."""
    from .output import command_line

    html = path.with_suffix(".html") if path.suffix.lower() == ".json" else Path(f"{path}.html")
    history = ["history", case_ref, *(["--training"] if training else [])]
    return (
        "next:\n"
        f"  {command_line('report', str(path), '--out', str(html))}\n"
        f"  {command_line(*history)}"
    )


def keep_in_store(record: dict[str, object], path: Path, source: ToolSource) -> None:
    """Keep a written record in the store too, its levels and review date read from the tool it was
    made with (named by path, it may not be on the search path). When that fails the file is already
    safe: say what failed and how to import it later (exit 2, as any write that fails)."""
    from .output import info
    from .recordstore import StoreError, import_hint, open_store

    try:
        store = open_store()
        try:
            saved = store.save(record, tool=source.tool)
        finally:
            store.close()
    except StoreError as exc:
        raise StoreError(
            f"{exc}\nThe record file {path} is written and complete, but it is not in the store. "
            f"Once the store is working again, import it:\n    {import_hint([path])}"
        ) from None
    info(f"stored in {store.shown} as #{saved.id}" + ("" if saved.new else " (already there)"))
