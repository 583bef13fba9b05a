"""A scripted walk of the interview test tool (tests/interview/walk-tool.yaml): its case and facts as a
practitioner types them, and the record it writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import TESTS
from helpers.scripted import ScriptedPrompter, scripted_walk
from neglect_cli.interview import WalkOutcome

TOOL = TESTS / "interview" / "walk-tool.yaml"
CASE = ["CASE-1", "", "A. Worker", ""]  # case ref, date (Enter: today), assessor, supervisor (Enter: none)
FACTS = ["30", "engaged", ["substance_misuse"], "no", "2026-11-01", ""]  # age 30 months: baby_sleep does not apply
FINISH = ["", "k", "s"]  # no child's voice, keep the level, save
RECORD_NAME = "CASE-1_2026-11-24.json"


def walk(tmp_path: Path, script: list[Any], **options: Any) -> tuple[WalkOutcome, ScriptedPrompter]:
    return scripted_walk(script, tool=options.pop("tool", str(TOOL)), out=options.pop("out", tmp_path), **options)


def answers_of(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["item"]: row for row in record["answers"]}


def read_record(tmp_path: Path, name: str = RECORD_NAME) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((tmp_path / name).read_text(encoding="utf-8"))
    return data
