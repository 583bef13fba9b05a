"""Rebuild the record corpus (records/*.json and good/record.json) from good/answers.yaml.

Run after a deliberate change to the record format or to good/tool/mini-tool.yaml:

    SOURCE_DATE_EPOCH=1795478400 python tests/bad_inputs/make_records.py

Each bad record is the good one with a single defect; `reseal=True` recomputes the
integrity hash so that the defect, not the hash, is what `verify` must find.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from neglect_cli.record import seal

HERE = Path(__file__).resolve().parent
RECORDS = HERE / "records"
Edit = Callable[[dict[str, Any]], None]


def good_record() -> dict[str, Any]:
    from typer.testing import CliRunner

    from neglect_cli.cli import app

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1795478400")
    out = HERE / "good" / "record.json"
    out.unlink(missing_ok=True)
    ran = CliRunner().invoke(app, ["assess", "--answers", str(HERE / "good" / "answers.yaml"), "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    return dict(json.loads(out.read_text(encoding="utf-8")))


def variant(base: dict[str, Any], name: str, edit: Edit, *, reseal: bool) -> None:
    record = copy.deepcopy(base)
    edit(record)
    if reseal:
        body = {k: v for k, v in record.items() if k != "integrity"}
        record = seal(body)
    (RECORDS / name).write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    base = good_record()
    text = json.dumps(base, indent=2, ensure_ascii=False)

    def setter(*path: Any, value: Any) -> Edit:
        def edit(record: dict[str, Any]) -> None:
            target: Any = record
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value

        return edit

    def drop(key: str) -> Edit:
        return lambda record: record.pop(key)

    evidence = base["answers"][0]["evidence"]
    variant(
        base,
        "edited-evidence.json",
        setter("answers", 0, "evidence", value=evidence.replace("f", "F", 1)),
        reseal=False,
    )
    variant(base, "edited-band.json", setter("result", "overall", "band", value="low"), reseal=False)
    variant(base, "band-resealed.json", setter("result", "overall", "band", value="low"), reseal=True)
    # defects that leave the result as a re-score gives it: only verify's rule checks find them
    variant(base, "evidence-removed-resealed.json", setter("answers", 0, "evidence", value=None), reseal=True)
    variant(base, "item-dropped-resealed.json", lambda record: record["answers"].pop(2), reseal=True)
    variant(base, "unknown-tool-version.json", setter("tool", "version", value="9.9.9"), reseal=True)
    variant(base, "unknown-tool.json", setter("tool", "id", value="retired-tool"), reseal=True)
    variant(base, "tool-changed.json", setter("tool", "sha256", value="0" * 64), reseal=True)
    variant(base, "hash-garbage.json", setter("integrity", value={"sha256": "not-a-hash"}), reseal=False)
    variant(base, "no-integrity.json", drop("integrity"), reseal=False)
    variant(base, "schema-unknown.json", setter("schema", value="neglect-record/9"), reseal=True)
    variant(base, "schema-missing.json", drop("schema"), reseal=True)
    variant(base, "result-missing.json", drop("result"), reseal=False)
    variant(base, "answers-wrong-type.json", setter("answers", value="ZQXJ-ANSWERS all fine"), reseal=False)
    variant(base, "value-wrong-type.json", setter("answers", 1, "value", value="ZQXJ-VALUE two"), reseal=False)
    variant(base, "status-unknown.json", setter("answers", 1, "status", value="guessed"), reseal=False)
    variant(base, "huge-number.json", setter("answers", 1, "value", value=10**30), reseal=False)
    variant(base, "value-off-scale.json", setter("answers", 1, "value", value=9), reseal=True)
    variant(base, "date-malformed.json", setter("case", "assessed_on", value="2026-02-30"), reseal=False)
    variant(base, "unknown-key.json", setter("extra_notes", value="ZQXJ-EXTRA"), reseal=False)
    father = {"role": "father", "label": "Father", "lives_with_child": False, "seen": False, "spoken_to": False}
    father["part_in_care"] = "ZQXJ-CARE weekends"
    variant(base, "world-in-format-2.json", setter("household", value=[father]), reseal=True)  # format 3 only

    plan_variants(base)

    def write(name: str, data: str | bytes) -> None:
        path = RECORDS / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")

    write("truncated.json", text[: len(text) // 2])
    schema_line = '"schema": "neglect-record/1",'
    write("duplicate-key.json", text.replace(schema_line, schema_line + "\n  " + schema_line, 1))
    write("nan.json", text.replace('"value": 2,', '"value": NaN,', 1))
    write("not-json.json", "ZQXJ-TEXT This is a note about the child, not a record.\n")
    write("a-list.json", "[1, 2, 3]\n")
    write("empty.json", "")
    write("binary.json", b"\x00\x01\x02\xff" * 8)
    write("invalid-utf8.json", text.replace("A. Tester", "A. T\udcc9ster").encode("utf-8", "surrogateescape"))
    write("utf16-bom.json", text.encode("utf-16"))
    write(
        "record.yaml",
        "# A record saved as YAML rather than JSON.\nschema: neglect-record/1\ntool: {id: mini-tool, version: 1.0.0}\n",
    )
    folder = RECORDS / "folder.json"
    folder.mkdir(exist_ok=True)
    (folder / "README.txt").write_text("A folder named like a record.\n", encoding="utf-8")


GOOD_PLAN: dict[str, Any] = {
    "needs": [
        {
            "item": "physical.food",
            "outcome": "ZQXJ-OUTCOME the child has three meals a day",
            "actions": [{"what": "ZQXJ-WHAT food bank referral", "who": "Health visitor", "by": "2026-11-27"}],
            "contingency": "ZQXJ-CONTINGENCY child in need meeting",
        }
    ],
    "review_on": "2026-12-18",
    "review_later_because": None,
    "deferred_to": None,
}


def plan_variants(base: dict[str, Any]) -> None:
    """Records with a plan (format 3) and one defect each, resealed: only verify's plan rules find them."""

    def with_plan(edit: Edit) -> Edit:
        def apply(record: dict[str, Any]) -> None:
            record["schema"] = "neglect-record/3"
            items = list(record)
            record["plan"] = copy.deepcopy(GOOD_PLAN)
            # the plan sits after child_voice, as build_record writes it
            for key in items[items.index("child_voice") + 1 :]:
                record[key] = record.pop(key)
            edit(record)

        return apply

    def action_by(record: dict[str, Any]) -> None:
        record["plan"]["needs"][0]["actions"][0]["by"] = "2026-11-01"

    def outcome_blank(record: dict[str, Any]) -> None:
        record["plan"]["needs"][0]["outcome"] = " "

    def format_2(record: dict[str, Any]) -> None:
        record["schema"] = "neglect-record/2"

    variant(base, "plan-action-before-assessment-resealed.json", with_plan(action_by), reseal=True)
    variant(base, "plan-outcome-blank-resealed.json", with_plan(outcome_blank), reseal=True)
    variant(base, "plan-in-format-2-resealed.json", with_plan(format_2), reseal=True)


if __name__ == "__main__":
    main()
