"""Bulk scoring output: one row per case as a table, JSON or CSV."""

from __future__ import annotations

import csv
import re
import sys
from typing import TYPE_CHECKING, Any

from ..text import visible, visible_data

if TYPE_CHECKING:
    from ..answers import LoadedAnswers
    from ..scoring import Result


#: What makes a spreadsheet read a cell as a formula (or, with a tab or carriage return, shift it).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: unsafe characters shown (`\\x1b`), and text that would
    start a formula (= + - @, a tab) given a leading `'`. Numbers and true/false are left as they are."""
    if not isinstance(value, str):
        return value
    value = visible(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


#: In a row's text cells joined by newlines: an unsafe character, or a cell that may start a formula.
_ROW_NEEDS_CARE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|^[=+@\t-]", re.MULTILINE)


def csv_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row ready for `csv.DictWriter`: None as an empty cell, every text cell through `csv_cell`
    (checked once for the whole row: most rows need nothing done). The columns are ours (fixed names
    and tool ids), so they are left as they are."""
    if type(row.get("escalations")) is list:  # a list in JSON, one space-joined cell here
        row = {**row, "escalations": " ".join(row["escalations"])}
    if _ROW_NEEDS_CARE.search("\n".join([v for v in row.values() if type(v) is str])):
        return {k: ("" if v is None else csv_cell(v)) for k, v in row.items()}
    return {k: ("" if v is None else v) for k, v in row.items()}


_OVERALL_NAMES = frozenset({"overall", "computed", "escalated", "final"})  # the `<name>_score/_band` columns below


def score_rows(results: list[tuple[str, LoadedAnswers, Result]]) -> list[dict[str, Any]]:
    """Flat rows: ref, tool, each domain's score and band, overall and bands, escalations, incomplete."""
    rows = []
    for path, loaded, result in results:
        row: dict[str, Any] = {
            "file": path,
            "ref": loaded.answers.case.ref,
            "assessed_on": loaded.answers.case.assessed_on.isoformat(),
            "tool": loaded.source.ref,
        }
        for d in result.domains:
            # a domain may be called `overall` or `final`: its columns must not take the overall ones' names
            name = f"domain:{d.id}" if d.id in _OVERALL_NAMES else d.id
            row[f"{name}_score"] = None if d.score is None else round(d.score, 2)
            row[f"{name}_band"] = d.band
        o = result.overall
        row |= {
            "overall_score": None if o.score is None else round(o.score, 2),
            "computed_band": o.computed_band,
            "escalated_band": o.escalated_band,
            "final_band": o.band,
            "override": _override(loaded, result),
            "escalations": [e.id for e in result.escalations],  # a list in JSON; one cell, space-joined, in CSV
            "coverage": round(o.coverage, 2),
            "incomplete": o.incomplete,
        }
        rows.append(row)
    return rows


def _override(loaded: LoadedAnswers, result: Result) -> str | None:
    """How a practitioner override moved the level: lowered, raised or kept (None: no override)."""
    o = result.overall
    if result.override is None or o.escalated_band is None or o.band is None:
        return None
    before, after = loaded.tool.band_index(o.escalated_band), loaded.tool.band_index(o.band)
    return "lowered" if after < before else "raised" if after > before else "kept"


def _ids(escalations: str | list[str]) -> list[str]:
    return escalations.split() if isinstance(escalations, str) else list(escalations)


def write_score_output(rows: list[dict[str, Any]], fmt: str) -> None:
    if not rows and fmt != "json":  # every file was invalid: the errors say so; an empty table says nothing
        return
    if fmt == "json":
        from ..output import print_json

        print_json(rows)
    elif fmt == "csv":
        columns: list[str] = []
        for row in rows:
            columns += [c for c in row if c not in columns]
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(csv_row(row))
    else:
        from rich.table import Table

        from .terminal import console, list_box

        rows = visible_data(rows)
        con = console()
        tools = sorted({row["tool"] for row in rows})
        one_tool = len(tools) == 1
        if one_tool:
            con.print(f"Tool: {tools[0]}")
        # No vertical rules: six columns fit in 80. ids are never cut short (a trainer copies them);
        # the level's notes and the escalations wrap whole words under their cell.
        table = Table(box=list_box(con), show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
        longest = max((len(i) for row in rows for i in _ids(row["escalations"])), default=4)
        table.add_column("ref", no_wrap=True)
        table.add_column("date", no_wrap=True)
        if not one_tool:
            table.add_column("tool", overflow="fold")
        table.add_column("score", justify="right", no_wrap=True)
        table.add_column("final band", max_width=12)
        table.add_column("coverage", justify="right", no_wrap=True)
        table.add_column("escalations", overflow="fold", min_width=min(longest, 30), ratio=1)
        for row in rows:
            cells = [row["ref"], row["assessed_on"]] + ([] if one_tool else [row["tool"]])
            band = (row["final_band"] or "—") + (
                f"\noverride {row['override']} from {row['escalated_band']}" if row["override"] else ""
            )
            if row["incomplete"]:
                band += "\nPROVISIONAL"
            table.add_row(
                *cells,
                "—" if row["overall_score"] is None else f"{row['overall_score']:.2f}",
                band,
                f"{row['coverage']:.0%}",
                ", ".join(_ids(row["escalations"])) or "none",
            )
        con.print(table)
