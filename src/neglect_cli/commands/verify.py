"""`neglect verify`: is each record as written, with its tool, and does its result re-score?"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from .options import format_option


class VerifyFormat(StrEnum):
    text = "text"
    json = "json"


def verify(
    records: list[Path] = typer.Argument(..., help="Record files (JSON) to check."),
    fmt: VerifyFormat = format_option(VerifyFormat.text, "text or json"),
) -> None:
    """Check integrity hash (and HMAC), the tool's availability and sha256, and re-score. Exit 1 on any problem."""
    from ..errors import UserError
    from ..output import error, print_json
    from ..record import load_record, signing_key, verify_record
    from ..signoff import addendum_problems, find_addendum, is_addendum_name

    report: list[dict[str, Any]] = []
    unreadable = False
    for path in records:
        try:
            if is_addendum_name(path):
                report.append(_verify_signoff(path))
                continue
            loaded = load_record(path)
        except UserError as exc:
            unreadable = True
            error(str(exc))
            report.append(
                {"file": str(path), "ok": False, "readable": False, "problems": [p.message for p in exc.problems]}
            )
            continue
        problems = verify_record(loaded)
        try:
            beside = find_addendum(path)
        except UserError as exc:
            problems += [f"sign-off {p}" for p in exc.problems]
        else:
            if beside is not None:
                problems += addendum_problems(beside, loaded.record)
        entry: dict[str, Any] = {
            "file": str(path),
            "ok": not problems,
            "readable": True,
            "problems": problems,
            "signature": "none",
        }
        if loaded.record.integrity.hmac_sha256:
            entry["signature"] = "checked" if signing_key() else "not checked"
        report.append(entry)
    if fmt is VerifyFormat.json:
        print_json(report)
    else:
        from ..text import visible

        for entry in report:
            if entry["ok"]:
                note = ""
                if entry.get("signature") == "not checked":
                    note = " (signed, but the signature was not checked: no signing key is set here)"
                elif entry.get("signature") == "checked":
                    note = " (signature checked)"
                typer.echo(visible(f"{entry['file']}: ok{note}"))
            elif entry["readable"]:
                for problem in entry["problems"]:
                    typer.echo(visible(f"{entry['file']}: {problem}"))
    if unreadable:
        raise typer.Exit(2)
    if not all(entry["ok"] for entry in report):
        raise typer.Exit(1)


def _verify_signoff(path: Path) -> dict[str, Any]:
    """A sign-off file: as written, and the record beside it is the one it names."""
    from ..errors import UserError
    from ..record import load_record
    from ..signoff import SUFFIX, addendum_problems, load_addendum

    addendum = load_addendum(path)
    record_path = path.with_name(path.name.removesuffix(SUFFIX) + ".json")
    try:
        record = load_record(record_path).record if record_path.is_file() else None
    except UserError:
        record = None
    problems = addendum_problems(addendum, record)
    return {"file": str(path), "ok": not problems, "readable": True, "problems": problems, "signature": "none"}
