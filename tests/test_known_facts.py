"""Tool format 3: a `context` test on whether a fact was answered (`known`), and `child_seen: {recorded: false}`:
what is not recorded is said, never read as "no" (neglect-core 3.1.0, the fourth practice-educator review)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from helpers import CASES, Neglect
from helpers.minitool import MINI


def _mini_with(tmp_path: Path, schema: str, when: object) -> Path:
    tool = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    tool["schema"] = schema
    tool["escalations"] = [
        {"id": "ask-when", "severity": "consult", "title": "Ask", "prompt": "Find out.", "when": when}
    ]
    path = tmp_path / "tool.yaml"
    path.write_text(yaml.safe_dump(tool, sort_keys=False), encoding="utf-8")
    return path


def test_known_is_a_format_3_test_refused_in_an_older_tool_with_its_place(neglect: Neglect, tmp_path: Path) -> None:
    fact = yaml.safe_load(MINI.read_text(encoding="utf-8"))["context"][0]["id"]
    older = _mini_with(tmp_path, "neglect-tool/2", {"context": {"id": fact, "known": False}})
    ran = neglect("tools", "validate", older)
    assert ran.exit_code == 2
    assert "`known` in a context test" in ran.stderr and "neglect-tool/3" in ran.stderr


def test_known_false_is_explained_in_plain_words(neglect: Neglect, tmp_path: Path) -> None:
    fact = yaml.safe_load(MINI.read_text(encoding="utf-8"))["context"][0]["id"]
    path = _mini_with(tmp_path, "neglect-tool/3", {"context": {"id": fact, "known": False}})
    assert neglect("tools", "validate", path).exit_code == 0
    shown = " ".join(neglect("tools", "show", path).stdout.split())
    assert "is not recorded" in shown


def test_a_case_that_leaves_out_how_long_is_told_to_find_out_and_keeps_its_level(
    neglect: Neglect, tmp_path: Path
) -> None:
    case = yaml.safe_load((CASES / "03-cumulative-harm-school-age.yaml").read_text(encoding="utf-8"))
    case.pop("expect")
    case["context"].pop("concern_duration_months")
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case, sort_keys=False), encoding="utf-8")
    ran = neglect("score", path, CASES / "03-cumulative-harm-school-age.yaml", "--format", "csv")
    assert ran.exit_code == 0, ran.stderr
    blank, given = csv.DictReader(io.StringIO(ran.stdout))
    assert "duration-not-known" in blank["escalations"] and "duration-not-known" not in given["escalations"]
    assert blank["final_band"] == given["final_band"] == "level-3"  # the level does not wait on the answer


def test_a_capacity_rule_needs_the_capacity_section_and_reads_in_plain_words(neglect: Neglect, tmp_path: Path) -> None:
    path = _mini_with(tmp_path, "neglect-tool/3", {"capacity": {"timescale": "no"}})
    ran = neglect("tools", "validate", path)
    assert ran.exit_code == 2
    assert "`capacity` needs the `capacity` section (add it to `sections`)" in ran.stderr
    tool = yaml.safe_load(path.read_text(encoding="utf-8"))
    tool["sections"] = ["capacity"]
    path.write_text(yaml.safe_dump(tool, sort_keys=False), encoding="utf-8")
    assert neglect("tools", "validate", path).exit_code == 0, neglect("tools", "validate", path).stderr
    shown = " ".join(neglect("tools", "show", path).stdout.split())
    assert "change for the child is not happening in the child's timescale" in shown
