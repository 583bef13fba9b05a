"""A family's children side by side (`neglect family FAMILY-REF`): plain text for the terminal (fits
its width, 80 columns or more), Markdown and one printable HTML page for a supervision pack."""

from __future__ import annotations

from ..family import ChildView, FamilyView
from ..text import visible
from .chronology import e_, page
from .view import band_colour

NOT_ASSESSED = "not assessed"
HOUSEHOLD_NOT_RECORDED = "not recorded in these records"


def heading(view: FamilyView) -> str:
    count = len(view.children)
    return f"Family {view.family_ref}: {count} child{'ren' if count != 1 else ''}, as of {view.as_of}"


def _prompt_counts(child: ChildView) -> str:
    counts: dict[str, int] = {}
    for prompt in child.prompts:
        severity = prompt.split(" ", 1)[0].lower()
        counts[severity] = counts.get(severity, 0) + 1
    return "\n".join(f"{n} {severity}" for severity, n in counts.items()) or "none"


def rows(view: FamilyView, *, counts_only: bool = False) -> list[tuple[str, list[str]]]:
    """(what, one cell per child) for every line of the side-by-side table; with `counts_only` the open
    prompts are counted by severity (a narrow terminal lists them under the table)."""
    titles: list[str] = []
    for child in view.children:
        titles += [t for t, _ in child.domains if t not in titles]

    def cell(child: ChildView, text: str | None) -> str:
        return NOT_ASSESSED if child.assessed_on is None else (text or "—")

    out: list[tuple[str, list[str]]] = [
        ("Age", [c.age for c in view.children]),
        (
            "Assessed",
            [cell(c, f"{c.assessed_on}" + (f" by {c.assessor}" if c.assessor else "")) for c in view.children],
        ),
        ("Level", [cell(c, c.level) for c in view.children]),
    ]
    for title in titles:
        out.append((title, [cell(c, dict(c.domains).get(title, "—")) for c in view.children]))
    out += [
        ("Review due", [cell(c, c.review_due or "no review period") for c in view.children]),
        (
            "Open prompts",
            [cell(c, _prompt_counts(c) if counts_only else "\n".join(c.prompts) or "none") for c in view.children],
        ),
        ("Seen alone", [cell(c, c.seen_alone_words) for c in view.children]),
    ]
    return out


def _household(view: FamilyView) -> str:
    return ", ".join(view.household) if view.household else HOUSEHOLD_NOT_RECORDED


def family_text(view: FamilyView, width: int) -> str:
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    con = Console(
        file=buffer, width=max(60, min(width, 120)), no_color=True, highlight=False, markup=False, emoji=False
    )
    con.print(heading(view))
    table = Table(box=box.ASCII2, show_lines=True)
    table.add_column("", overflow="fold")
    for child in view.children:
        table.add_column(child.case_ref, overflow="fold")
    for what, cells in rows(view, counts_only=True):
        table.add_row(what, *cells)
    con.print(table)
    import textwrap

    for child in view.children:
        if child.prompts:
            line = f"Open prompts, {child.case_ref}: " + ", ".join(child.prompts)
            con.print("\n".join(textwrap.wrap(line, width=con.width, subsequent_indent="  ", break_on_hyphens=False)))
    con.print()
    con.print(f"Adults in the household: {_household(view)}")
    con.print()
    con.print("Flags:" if view.flags else "Flags: none")
    for flag in view.flags:
        con.print(
            "\n".join(
                textwrap.wrap(
                    flag, width=con.width, initial_indent="- ", subsequent_indent="  ", break_on_hyphens=False
                )
            )
        )
    con.print()
    con.print("This tool supports professional judgement; it does not replace it.")
    return visible(buffer.getvalue())


def family_markdown(view: FamilyView) -> str:
    from .markdown import md_escape

    def cell(text: str) -> str:
        return "<br>".join(md_escape(part).replace("|", "\\|") for part in text.split("\n"))

    lines = [f"# {md_escape(heading(view))}", ""]
    lines.append("| | " + " | ".join(cell(c.case_ref) for c in view.children) + " |")
    lines.append("| --- |" + " --- |" * len(view.children))
    for what, cells in rows(view):
        lines.append(f"| **{cell(what)}** | " + " | ".join(cell(c) for c in cells) + " |")
    lines += ["", f"Adults in the household: {md_escape(_household(view))}", "", "## Flags", ""]
    lines += [f"- {md_escape(flag)}" for flag in view.flags] or ["None."]
    lines += ["", "*This tool supports professional judgement; it does not replace it.*", ""]
    return "\n".join(lines)


def family_html(view: FamilyView) -> str:
    body = ["<h2>Flags</h2>"]
    body += [f'<p class="flag">{e_(flag)}</p>' for flag in view.flags] or ['<p class="muted">None.</p>']
    body.append("<h2>The children side by side</h2>")
    head = "".join(f'<th scope="col">{e_(c.case_ref)}</th>' for c in view.children)
    table = [f"<table><thead><tr><th></th>{head}</tr></thead><tbody>"]
    for what, cells in rows(view):
        shown = []
        for child, text in zip(view.children, cells, strict=True):
            if what == "Level" and child.assessed_on is not None:
                fill, ink = band_colour(child.level_rank, child.level_count)
                shown.append(f'<td><span class="badge" style="background:{fill};color:{ink}">{e_(text)}</span></td>')
            else:
                shown.append('<td class="text">' + e_(text) + "</td>")
        table.append(f'<tr><th scope="row">{e_(what)}</th>{"".join(shown)}</tr>')
    table.append("</tbody></table>")
    body.append("".join(table))
    body.append(f"<p>Adults in the household: {e_(_household(view))}</p>")
    return page(heading(view), body)
