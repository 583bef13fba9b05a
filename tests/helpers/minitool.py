"""Small hand-built tools for unit tests, all derived from tests/fixtures/tools/mini.yaml."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from neglect_cli.definition import Tool, check_tool, tool_from_document
from neglect_cli.errors import UserError
from neglect_cli.loading import Document, parse_yaml

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TOOLS = FIXTURES / "tools"
ANSWERS = FIXTURES / "answers"
MINI = TOOLS / "mini.yaml"


@cache
def _mini() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    return data


def mini_data() -> dict[str, Any]:
    """A fresh, editable copy of the mini tool's data."""
    return copy.deepcopy(_mini())


def build(data: dict[str, Any]) -> Tool:
    """A tool from data that must be valid (schema and semantic rules)."""
    tool = Tool.model_validate(data)
    assert check_tool(tool) == []
    return tool


def mini(**changes: Any) -> Tool:
    """The mini tool with top-level keys replaced."""
    data = mini_data()
    data.update(changes)
    return build(data)


def with_rule(when: dict[str, Any], *, minimum_band: str | None = None, severity: str = "info") -> Tool:
    """The mini tool with a single escalation rule `r` firing on `when`."""
    rule: dict[str, Any] = {"id": "r", "severity": severity, "title": "Rule", "prompt": "Think.", "when": when}
    if minimum_band is not None:
        rule["minimum_band"] = minimum_band
    return mini(escalations=[rule])


def problems_of(data: dict[str, Any]) -> list[str]:
    """Every problem the validator reports for tool data, as `field: message` strings."""
    try:
        tool_from_document(Document(data, "tool.yaml"))
    except UserError as exc:
        return [f"{p.field}: {p.message}" if p.field else p.message for p in exc.problems]
    return []


def problems_of_text(text: str, name: str = "tool.yaml") -> list[Any]:
    """Problems (with lines and columns) for a tool written as YAML text."""
    try:
        tool_from_document(parse_yaml(text.encode("utf-8"), name))
    except UserError as exc:
        return exc.problems
    return []
