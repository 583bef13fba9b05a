"""Bulk scoring output: one row per case as a table, JSON or CSV."""

from __future__ import annotations

import csv
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..record import LoadedAnswers
    from ..scoring import Result


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
            row[f"{d.id}_score"] = None if d.score is None else round(d.score, 2)
            row[f"{d.id}_band"] = d.band
        o = result.overall
        row |= {
            "overall_score": None if o.score is None else round(o.score, 2),
            "computed_band": o.computed_band,
            "escalated_band": o.escalated_band,
            "final_band": o.band,
            "escalations": " ".join(e.id for e in result.escalations),
            "coverage": round(o.coverage, 2),
            "incomplete": o.incomplete,
        }
        rows.append(row)
    return rows


def write_score_output(rows: list[dict[str, Any]], fmt: str) -> None:
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
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    else:
        from rich.table import Table

        from .terminal import console, table_box

        con = console()
        table = Table(box=table_box(con))
        for column in ("ref", "assessed_on", "tool", "overall_score", "final_band", "escalations", "incomplete"):
            table.add_column(column)
        for row in rows:
            table.add_row(
                row["ref"],
                row["assessed_on"],
                row["tool"],
                "—" if row["overall_score"] is None else f"{row['overall_score']:.2f}",
                row["final_band"] or "—",
                row["escalations"],
                "INCOMPLETE" if row["incomplete"] else "",
            )
        con.print(table)
