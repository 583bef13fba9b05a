"""`neglect score --check`: each case's outcome against its `expect:`, as text, JSON or CSV."""

from __future__ import annotations

import csv
import json
from typing import TYPE_CHECKING, Any, TextIO

from ..text import json_safe, visible

if TYPE_CHECKING:
    from ..answers import LoadedAnswers
    from ..scoring import Result

AS_EXPECTED, DIFFERS, UNCHECKED = "as expected", "differs", "unchecked"


def check_row(path: str, loaded: LoadedAnswers, result: Result) -> dict[str, Any]:
    """One case checked: file, ref, `check` (as expected, differs, unchecked) and its differences."""
    from ..expectations import differences

    expect = loaded.answers.expect
    found = [] if expect is None else [d.as_dict() for d in differences(expect, result)]
    status = UNCHECKED if expect is None else DIFFERS if found else AS_EXPECTED
    return {"file": path, "ref": loaded.answers.case.ref, "check": status, "differences": found}


class CheckRows:
    """The check's output, a row at a time: text lists the cases that differ (each difference on its
    own line) and those with no `expect:`, then a count; JSON is an array of the rows; CSV has a row
    per difference (and one for a case that has none)."""

    def __init__(self, fmt: str, out: TextIO) -> None:
        self.fmt = fmt
        self.out = out
        self.counts = {AS_EXPECTED: 0, DIFFERS: 0, UNCHECKED: 0}
        self.csv: Any = None

    @property
    def differ(self) -> int:
        return self.counts[DIFFERS]

    def add(self, row: dict[str, Any]) -> None:
        self.counts[row["check"]] += 1
        total = sum(self.counts.values())
        if self.fmt == "json":
            text = json_safe(json.dumps(row, indent=2, ensure_ascii=False)).replace("\n", "\n  ")
            self.out.write(("[\n  " if total == 1 else ",\n  ") + text)
        elif self.fmt == "csv":
            if self.csv is None:
                self.csv = csv.writer(self.out, lineterminator="\n")
                self.csv.writerow(["file", "ref", "check", "what", "expected", "got"])
            for d in row["differences"] or [{"what": "", "expected": "", "got": ""}]:
                cells = [row["file"], row["ref"], row["check"], d["what"], d["expected"], d["got"]]
                self.csv.writerow([_cell(c) for c in cells])
        elif row["check"] == DIFFERS:
            self.out.write(f"DIFFERS  {visible(row['ref'])}  {visible(row['file'])}\n")
            for d in row["differences"]:
                self.out.write(f"  {d['what']}: expected {d['expected']}; got {d['got']}\n")
        elif row["check"] == UNCHECKED:
            self.out.write(f"unchecked  {visible(row['ref'])}  {visible(row['file'])}: no `expect:` in the file\n")

    def finish(self) -> None:
        total = sum(self.counts.values())
        if self.fmt == "json":
            self.out.write("\n]\n" if total else "[]\n")
        elif self.fmt != "csv" and total:
            self.out.write(
                f"{total} case(s): {self.counts[AS_EXPECTED]} as expected, {self.counts[DIFFERS]} differ, "
                f"{self.counts[UNCHECKED]} unchecked\n"
            )


def _cell(value: str) -> str:
    from .tabular import csv_cell

    shown: str = csv_cell(value)
    return shown
