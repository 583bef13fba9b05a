"""`neglect family FAMILY-REF` (and `family link|unlink|show`): the children of one family side by side."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from .history import STORE_HELP
from .options import force_option, format_option, out_option

if TYPE_CHECKING:
    from ..family import ChildView
    from ..recordstore import RecordStore


class ShowByDefault(TyperGroup):
    """`neglect family FAMILY-REF` means `neglect family show FAMILY-REF`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["show", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=ShowByDefault,
    help="A family's children side by side (neglect family FAMILY-REF), and the links that make a family.",
    no_args_is_help=True,
)


def register(command: Callable[..., Any]) -> None:
    command(app, "link")(link)
    command(app, "unlink")(unlink)
    command(app, "show")(show)


class FamilyFormat(StrEnum):
    terminal = "terminal"
    md = "md"
    markdown = "markdown"
    json = "json"
    html = "html"


FAMILY_HELP = "The family reference (pseudonymous, like a case reference)."


def link(
    family_ref: str = typer.Argument(..., metavar="FAMILY-REF", help=FAMILY_HELP),
    case_refs: list[str] = typer.Argument(..., metavar="CASE...", help="The children's case references."),
    by: str | None = typer.Option(None, "--by", help="Who links them (kept with the link)."),
    store: str | None = typer.Option(None, "--store", help=STORE_HELP, show_default=False),
) -> None:
    """Link children living under the same care to a family reference (kept in the record store)."""
    from ..output import info
    from ..recordstore import open_store

    opened = open_store(store)
    try:
        added = opened.link_family(family_ref, case_refs, by=by)
        linked = opened.family(family_ref)
    finally:
        opened.close()
    info(f"family {family_ref}: {added} linked now, {len(linked)} in all ({', '.join(linked)})")


def unlink(
    family_ref: str = typer.Argument(..., metavar="FAMILY-REF", help=FAMILY_HELP),
    case_refs: list[str] = typer.Argument(..., metavar="CASE...", help="The children's case references."),
    store: str | None = typer.Option(None, "--store", help=STORE_HELP, show_default=False),
) -> None:
    """Remove children from a family reference (their records and chronologies are not touched)."""
    from ..errors import UserError
    from ..output import info
    from ..recordstore import open_store

    opened = open_store(store, create=False)
    try:
        removed = opened.unlink_family(family_ref, case_refs)
        left = opened.family(family_ref)
    finally:
        opened.close()
    if removed == 0:
        raise UserError(f"none of these children is linked to family {family_ref}")
    info(f"family {family_ref}: {removed} unlinked, {len(left)} left")


def show(
    family_ref: str = typer.Argument(..., metavar="FAMILY-REF", help=FAMILY_HELP),
    fmt: FamilyFormat | None = format_option(
        None, "terminal (default), markdown, json or html (from --out's suffix when not given)."
    ),
    out: Path | None = out_option("Write to this file (0600) instead of printing it."),
    force: bool = force_option("Replace an existing --out file."),
    as_of: str | None = typer.Option(None, "--as-of", help="The date to judge by (YYYY-MM-DD; default today)."),
    training: bool = typer.Option(False, "--training", help="Include records of scripted training cases."),
    store: str | None = typer.Option(None, "--store", help=STORE_HELP, show_default=False),
) -> None:
    """Each child's latest level, domains, review date, open prompts and age side by side; flags a child
    not assessed (or not within their review period) while a sibling was, and a child not seen alone."""

    from ..clock import today
    from ..dates import date_option
    from ..errors import UserError
    from ..family import family_view
    from ..recordstore import check_family_ref, open_store

    check_family_ref(family_ref)
    when = date_option("--as-of", as_of) if as_of else today()  # YYYY-MM-DD or DD/MM/YYYY, as every date
    if fmt is None:
        suffixes = {".html": "html", ".htm": "html", ".md": "md", ".json": "json"}
        fmt = FamilyFormat(suffixes.get(out.suffix.lower(), "terminal") if out is not None else "terminal")
    opened = open_store(store, create=False)
    try:
        refs = opened.family(family_ref)
        if not refs:
            raise UserError(f"no children are linked to family {family_ref}: neglect family link {family_ref} CASE...")
        children = [child_of(opened, ref, when, training=training) for ref in refs]
    finally:
        opened.close()
    view = family_view(family_ref, children, when)
    from ..render import familypage as render

    if fmt is FamilyFormat.json:
        from ..output import print_json

        if out is None or str(out) == "-":
            print_json(view.as_json())
            return
        import json

        from ..text import json_safe

        text = json_safe(json.dumps(view.as_json(), indent=2, ensure_ascii=False)) + "\n"
    elif fmt in (FamilyFormat.md, FamilyFormat.markdown):
        text = render.family_markdown(view)
    elif fmt is FamilyFormat.html:
        text = render.family_html(view)
    else:
        import shutil

        text = render.family_text(view, shutil.get_terminal_size((80, 24)).columns)
    if out is None or str(out) == "-":  # `-o -` is standard output, as for `report`
        sys.stdout.write(text)
        return
    from ..output import info
    from ..store import atomic_write

    atomic_write(out, text, force=force)
    info(f"family page written: {out} (0600)")


def child_of(opened: RecordStore, case_ref: str, when: Any, *, training: bool) -> ChildView:
    """One child's column from their newest record in force (on or before `when`)."""
    from ..family import child_view
    from ..recordstore import band_facts, review_due
    from ..world import seen_within_days

    in_force = [
        s
        for s in opened.case_records(case_ref, training=training)
        if s.superseded_by is None and str((s.record().get("case") or {}).get("assessed_on")) <= when.isoformat()
    ]
    if not in_force:
        return child_view(case_ref, None, record_id=None, review_due=None, band_labels={}, band_ranks={}, as_of=when)
    latest = in_force[-1]
    record = latest.record()
    tool = opened.rows.tool_of(record)
    labels = {b.id: b.label for b in tool.bands} if tool is not None else {}
    ranks = {b.id: n for n, b in enumerate(tool.bands)} if tool is not None else {}
    band = ((record.get("result") or {}).get("overall") or {}).get("band")
    facts = band_facts(tool, band)
    due = review_due(str(record["case"]["assessed_on"]), facts.review_weeks if facts else None)
    return child_view(
        case_ref,
        record,
        record_id=latest.id,
        review_due=due,
        band_labels=labels,
        band_ranks=ranks,
        as_of=when,
        within_days=seen_within_days(tool),
    )
