"""The commands of issues 3 and 4 through the CLI: tools, template, assess --answers, score, verify."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from helpers import CASES, CORE_VERSION, DEFINITIONS, TESTS, Neglect
from helpers.minitool import ANSWERS, MINI, TOOLS
from neglect_cli.record import seal
from neglect_cli.toolfiles import find_tool

CASE = ANSWERS / "mini-case.yaml"


def shipped_tool_data(name: str) -> Any:
    """A shipped tool as JSON data (YAML's integer anchor keys become strings, as in any JSON document)."""
    data = yaml.safe_load((DEFINITIONS / name).read_text(encoding="utf-8"))
    return json.loads(json.dumps(data, default=str))


# --- tools ---------------------------------------------------------------------------------


def test_tools_list_shows_both_shipped_tools(neglect: Neglect) -> None:
    ran = neglect("tools", "list")
    assert ran.exit_code == 0
    assert "neglect-core" in ran.stdout and "neglect-screening" in ran.stdout
    rows = json.loads(neglect("tools", "list", "--format", "json").stdout)
    core = next(r for r in rows if r["id"] == "neglect-core")
    assert core["domains"] == ["physical", "emotional", "educational", "medical"]
    assert core["source"] == "shipped" and core["items"] >= 24


def test_records_of_a_replaced_shipped_version_still_verify_report_and_diff(neglect: Neglect, tmp_path: Path) -> None:
    """A shipped tool that changes gets a new version; the old one stays (definitions/retired/, byte for
    byte) so records made with it keep verifying. It is found by its exact id@version only."""
    retired = sorted((DEFINITIONS / "retired").glob("*.yaml"))
    assert retired, "no retired versions shipped"
    listed = {(t["id"], t["version"]) for t in json.loads(neglect("tools", "list", "--format", "json").stdout)}
    for path in retired:
        old = find_tool(str(path)).tool
        assert (old.id, old.version) not in listed, "a retired version is offered for new assessments"
        assert find_tool(old.id).tool.version != old.version, "the id alone must name the current version"

    # the case as it was written for neglect-core 1.x (before 'does not apply' and physical.shelter)
    old_case = TESTS / "fixtures" / "answers" / "core-1x-cumulative-harm.yaml"
    answers = yaml.safe_load(old_case.read_text(encoding="utf-8"))
    answers["tool"] = "neglect-core@1.0.0"
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(answers), encoding="utf-8")
    old_record = tmp_path / "old.json"
    assert neglect("assess", "--answers", tmp_path / "old.yaml", "--out", old_record).exit_code == 0
    data = json.loads(old_record.read_text(encoding="utf-8"))
    assert data["tool"]["version"] == "1.0.0"
    assert data["result"]["overall"]["band"] == "level-4"  # 1.0.0 raised cumulative harm to level 4; 1.1.0 does not
    assert neglect("verify", old_record).exit_code == 0
    report = neglect("report", old_record, "--format", "md")
    assert "**Final level: Level 4 — child protection**" in report.stdout and "not available" not in report.stderr

    new_record = tmp_path / "new.json"
    assert (
        neglect("assess", "--answers", CASES / "03-cumulative-harm-school-age.yaml", "--out", new_record).exit_code == 0
    )
    diff = neglect("diff", old_record, new_record, "--format", "json")
    assert diff.exit_code == 0 and json.loads(diff.stdout)["band_order"]["source"] == "tool"


def test_tools_show_prints_every_item_band_and_rule(neglect: Neglect) -> None:
    ran = neglect("tools", "show", "neglect-core")
    assert ran.exit_code == 0
    words = " ".join(ran.stdout.split())  # long lines are wrapped to the screen
    tool = find_tool("neglect-core").tool
    for item in tool.items():
        assert item.id in words
    for band in tool.bands:
        assert band.label in words
    for rule in tool.escalations:
        assert " ".join(rule.title.split()) in words


def test_tools_show_json_round_trips_to_the_same_tool(neglect: Neglect) -> None:
    from neglect_cli.definition import Tool

    ran = neglect("tools", "show", "neglect-screening", "--format", "json")
    assert Tool.model_validate(json.loads(ran.stdout)) == find_tool("neglect-screening").tool


def test_tools_show_unknown_tool_is_a_usage_error(neglect: Neglect) -> None:
    ran = neglect("tools", "show", "no-such-tool")
    assert ran.exit_code == 2
    assert "unknown tool 'no-such-tool'" in ran.stderr and f"neglect-core@{CORE_VERSION}" in ran.stderr


def test_tools_schema_validates_both_shipped_tools(neglect: Neglect) -> None:
    ran = neglect("tools", "schema")
    assert ran.exit_code == 0
    schema = json.loads(ran.stdout)
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    for name in ("neglect-core.yaml", "neglect-screening.yaml"):
        errors = list(validator.iter_errors(shipped_tool_data(name)))
        assert errors == [], [e.message for e in errors]


def test_tools_schema_refuses_an_unknown_key(neglect: Neglect) -> None:
    schema = json.loads(neglect("tools", "schema").stdout)
    data = shipped_tool_data("neglect-screening.yaml")
    data["domains"][0]["items"][0]["wieght"] = 2
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)


def test_shipped_schema_file_is_the_generated_schema(neglect: Neglect) -> None:
    shipped = (DEFINITIONS / "neglect-tool.schema.json").read_text(encoding="utf-8")
    regenerate = "regenerate: neglect tools schema --force --out definitions/..."
    assert neglect("tools", "schema").stdout == shipped, regenerate


def test_shipped_tools_carry_the_schema_modeline() -> None:
    for name in ("neglect-core.yaml", "neglect-screening.yaml"):
        first = (DEFINITIONS / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=neglect-tool.schema.json"


def test_tools_validate_valid_files_exit_0(neglect: Neglect) -> None:
    ran = neglect("tools", "validate", DEFINITIONS / "neglect-core.yaml", MINI)
    assert ran.exit_code == 0
    assert f"valid (neglect-core@{CORE_VERSION})" in ran.stdout and "valid (mini@1.0.0)" in ran.stdout


def test_tools_validate_invalid_file_exits_2_listing_every_problem(neglect: Neglect, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        MINI.read_text(encoding="utf-8")
        .replace("up_to: 5", "up_to: 4")
        .replace("band_at_least: high", "band_at_least: h")
    )
    ran = neglect("tools", "validate", MINI, bad)
    assert ran.exit_code == 2
    assert "valid (mini@1.0.0)" in ran.stdout
    assert "bands[3].up_to: the last band must reach the top of the scale (5)" in ran.stderr
    assert "escalations[2].when.domains_count.band_at_least: unknown band 'h'" in ran.stderr
    assert "Traceback" not in ran.output


def test_tools_validate_json_reports_each_file(neglect: Neglect, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI.read_text(encoding="utf-8").replace("    - {value: 3, label: Concern}\n", ""))
    ran = neglect("tools", "validate", "--format", "json", MINI, bad)
    assert ran.exit_code == 2
    good, broken = json.loads(ran.stdout)
    assert good == {"file": str(MINI), "valid": True, "id": "mini", "version": "1.0.0", "problems": [], "warnings": []}
    assert broken["valid"] is False
    (problem,) = [p for p in broken["problems"] if p["field"] == "scale.levels"]
    assert problem["file"] == str(bad) and problem["line"] == 8
    assert problem["message"] == "values must be consecutive integers from 1 (got [1, 2, 4, 5])"


# --- tool discovery ----------------------------------------------------------------------------


def test_tools_on_neglect_tools_path_are_found(neglect: Neglect, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", os.pathsep.join(["/nonexistent-folder", str(TOOLS)]))
    rows = json.loads(neglect("tools", "list", "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["neglect-core", "neglect-screening", "mini"]
    assert rows[2]["source"] == str(MINI)
    assert neglect("tools", "show", "mini").exit_code == 0


def test_a_folder_named_twice_on_the_path_is_not_a_duplicate(neglect: Neglect, monkeypatch: pytest.MonkeyPatch) -> None:
    from neglect_cli.toolfiles import shipped_definitions

    folders = [str(TOOLS), str(TOOLS) + "/", str(shipped_definitions())]
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", os.pathsep.join(folders))
    ran = neglect("tools", "list", "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    assert [r["id"] for r in json.loads(ran.stdout)] == ["neglect-core", "neglect-screening", "mini"]


def test_a_tool_is_named_by_id_at_version(neglect: Neglect, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    newer = tmp_path / "mini-2.yaml"
    newer.write_text(MINI.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.10.0"))
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", os.pathsep.join([str(TOOLS), str(tmp_path)]))
    assert "tool: mini@1.10.0" in neglect("template", "mini").stdout  # the newest by default, 1.10 after 1.9
    assert "tool: mini@1.0.0" in neglect("template", "mini@1.0.0").stdout
    ran = neglect("template", "mini@3")
    assert ran.exit_code == 2 and "unknown tool 'mini@3'" in ran.stderr


def test_two_tools_with_the_same_id_and_version_is_an_error_naming_both(
    neglect: Neglect, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(MINI, tmp_path / "a" / "first.yaml")
    shutil.copy(MINI, tmp_path / "b" / "second.yaml")
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", os.pathsep.join([str(tmp_path / "a"), str(tmp_path / "b")]))
    ran = neglect("tools", "list")
    assert ran.exit_code == 2
    assert "mini@1.0.0" in ran.stderr
    assert "first.yaml" in ran.stderr and "second.yaml" in ran.stderr


def test_answers_name_their_tool_by_a_path_relative_to_the_answers_file(
    neglect: Neglect, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # nowhere near the tool
    ran = neglect("score", CASE, "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    assert json.loads(ran.stdout)[0]["tool"] == "mini@1.0.0"


# --- template -----------------------------------------------------------------------------------


@pytest.mark.parametrize("tool_name", ["neglect-core", "neglect-screening"])
def test_template_is_yaml_listing_every_item_and_context_fact(neglect: Neglect, tool_name: str) -> None:
    ran = neglect("template", tool_name)
    assert ran.exit_code == 0
    data = yaml.safe_load(ran.stdout)
    tool = find_tool(tool_name).tool
    assert data["tool"] == f"{tool.id}@{tool.version}"
    assert list(data["context"]) == [f.id for f in tool.context]
    listed = re.findall(r"^  # ([a-z0-9_-]+\.[a-z0-9_.-]+):", ran.stdout, flags=re.MULTILINE)
    assert listed == [item.id for item in tool.items()]
    for level in tool.scale.levels:
        assert f"#   {level.value} = {level.label}" in ran.stdout


def fill_template(text: str, age_months: int) -> str:
    """What a trainer does: date the case, give the required facts, and rate every item that applies (1s and 2s)."""
    tool = find_tool("neglect-core").tool
    text = text.replace("assessed_on: YYYY-MM-DD", "assessed_on: 2026-11-20").replace("ref: CASE-REF", "ref: TPL-001")
    text = re.sub(r"^  age_months:.*$", f"  age_months: {age_months}", text, flags=re.MULTILINE)
    # the other required facts: how long and how often the child has lived with the concerns
    text = re.sub(r"^  concern_duration_months:.*$", "  concern_duration_months: 0", text, flags=re.MULTILINE)
    text = re.sub(r"^  concern_frequency:.*$", "  concern_frequency: one_off", text, flags=re.MULTILINE)

    def rate(match: re.Match[str]) -> str:
        item = tool.item(match.group(1))
        assert item is not None
        if item.ages is not None and not item.ages.covers(age_months):
            return match.group(0)
        return f"  {item.id}: {1 + len(item.id) % 2}"

    return re.sub(r"^  # ([a-z0-9_-]+\.[a-z0-9_.-]+):.*$", rate, text, flags=re.MULTILINE)


def test_the_template_asks_for_the_supervisor_as_the_walk_does_and_the_record_keeps_it(
    neglect: Neglect, tmp_path: Path
) -> None:
    template = neglect("template", "neglect-core")
    assert list(yaml.safe_load(template.stdout)["case"]) == ["ref", "assessed_on", "assessor", "supervisor"]
    answers = tmp_path / "case.yaml"
    filled = fill_template(template.stdout, age_months=30).replace("supervisor: ", "supervisor: T. Lead ", 1)
    answers.write_text(filled, encoding="utf-8")
    ran = neglect("assess", "--answers", answers, "--out", tmp_path / "r.json", "--format", "json")
    assert ran.exit_code == 0, ran.output
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["case"]["supervisor"] == "T. Lead"


def test_a_dated_template_with_nothing_answered_scores_as_incomplete(neglect: Neglect, tmp_path: Path) -> None:
    answers = tmp_path / "case.yaml"
    template = neglect("template", "neglect-screening").stdout
    answers.write_text(template.replace("YYYY-MM-DD", "2026-11-20").replace("CASE-REF", "TPL-002"))
    ran = neglect("score", answers, "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    (row,) = json.loads(ran.stdout)
    assert row["coverage"] == 0 and row["incomplete"] is True and row["final_band"] is None


def test_an_unfilled_template_is_refused_listing_every_placeholder_left_with_its_line(
    neglect: Neglect, tmp_path: Path
) -> None:
    answers = tmp_path / "case.yaml"
    assert neglect("template", "neglect-core", "--out", answers).exit_code == 0
    lines = answers.read_text(encoding="utf-8").splitlines()
    required = ("age_months", "concern_frequency")  # neglect-core's required facts
    keys = ("ref:", "assessed_on:", *(f"{fact}:" for fact in required))
    where = {key: n + 1 for n, line in enumerate(lines) for key in keys if line.strip().startswith(key)}
    for args in (("score", answers), ("assess", "--answers", answers, "--out", tmp_path / "r.json")):
        ran = neglect(*args)
        assert ran.exit_code == 2 and not (tmp_path / "r.json").exists()
        heading = "this answers file from `neglect template` is not filled in yet: 4 placeholder(s) left"
        assert f"{answers}: {heading}" in ran.stderr
        assert f"{answers}:{where['ref:']}:3: case.ref: still the placeholder CASE-REF" in ran.stderr
        assert f"{answers}:{where['assessed_on:']}:3: case.assessed_on: still the placeholder YYYY-MM-DD" in ran.stderr
        for fact in required:
            empty = f"context.{fact}: left empty, and the tool requires it"
            assert f"{answers}:{where[fact + ':']}:3: {empty}" in ran.stderr
        assert "invalid character" not in ran.stderr


def test_a_filled_in_template_scores(neglect: Neglect, tmp_path: Path) -> None:
    answers = tmp_path / "case.yaml"
    ran = neglect("template", "neglect-core", "--out", answers)
    assert ran.exit_code == 0 and answers.exists()
    answers.write_text(fill_template(answers.read_text(encoding="utf-8"), age_months=30))
    ran = neglect("score", answers, "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    (row,) = json.loads(ran.stdout)
    assert row["ref"] == "TPL-001" and row["coverage"] == 1.0 and row["incomplete"] is False
    assert row["final_band"] in ("level-1", "level-2")


# --- assess --answers ------------------------------------------------------------------------------


def test_assess_writes_a_private_record_named_after_case_and_date(
    neglect: Neglect, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    ran = neglect("assess", "--answers", CASE)
    assert ran.exit_code == 0, ran.stderr
    record = tmp_path / "TEST-001_2026-11-02.json"
    assert record.exists()
    assert record.stat().st_mode & 0o777 == 0o600
    assert "TEST-001_2026-11-02.json" in ran.stderr
    data = json.loads(record.read_text(encoding="utf-8"))
    assert data["schema"] == "neglect-record/3" and data["case"]["ref"] == "TEST-001"
    assert data["result"]["overall"]["band"] == "top"


def test_assess_prints_a_summary_with_bands_escalations_and_the_disclaimer(neglect: Neglect, tmp_path: Path) -> None:
    ran = neglect("assess", "--answers", CASE, "--out", tmp_path / "r.json")
    assert ran.exit_code == 0
    for words in ("Physical care", "Top", "Hardship", "supports professional judgement"):
        assert words in ran.stdout


def test_assess_refuses_to_overwrite_a_record_without_force(neglect: Neglect, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert neglect("assess", "--answers", CASE, "--out", out).exit_code == 0
    out.write_text("{}")
    ran = neglect("assess", "--answers", CASE, "--out", out)
    assert ran.exit_code == 2 and "already exists; use --force" in ran.stderr
    assert out.read_text() == "{}"
    assert neglect("assess", "--answers", CASE, "--out", out, "--force").exit_code == 0
    assert json.loads(out.read_text())["case"]["ref"] == "TEST-001"


def test_assess_json_output_is_the_record_written(neglect: Neglect, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    ran = neglect("assess", "--answers", CASE, "--out", out, "--format", "json")
    assert ran.exit_code == 0
    assert ran.stdout == out.read_text(encoding="utf-8")


def test_assess_yaml_output_is_the_record(neglect: Neglect, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    ran = neglect("assess", "--answers", CASE, "--out", out, "--format", "yaml")
    assert ran.exit_code == 0
    assert yaml.safe_load(ran.stdout) == json.loads(out.read_text(encoding="utf-8"))


def test_assess_markdown_output(neglect: Neglect, tmp_path: Path) -> None:
    ran = neglect("assess", "--answers", CASE, "--out", tmp_path / "r.json", "--format", "md")
    assert ran.exit_code == 0
    assert ran.stdout.startswith("# ") and "TEST-001" in ran.stdout
    assert "| Physical care |" in ran.stdout


def test_assess_identical_answers_give_byte_identical_records(neglect: Neglect, tmp_path: Path) -> None:
    neglect("assess", "--answers", CASE, "--out", tmp_path / "a.json")
    neglect("assess", "--answers", CASE, "--out", tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


# --- score ---------------------------------------------------------------------------------------


def case_files() -> list[Path]:
    return sorted(CASES.glob("*.yaml"))


def test_score_cases_as_csv_one_row_per_case(neglect: Neglect) -> None:
    ran = neglect("score", *case_files(), "--format", "csv")
    assert ran.exit_code == 0, ran.stderr
    rows = list(csv.DictReader(io.StringIO(ran.stdout)))
    assert len(rows) == len(case_files())
    for column in ("ref", "tool", "physical_score", "physical_band", "medical_band", "overall_score"):
        assert column in rows[0]
    for column in ("computed_band", "escalated_band", "final_band", "escalations", "incomplete"):
        assert column in rows[0]
    assert {r["tool"] for r in rows} == {f"neglect-core@{CORE_VERSION}"}


def test_score_cases_as_json_and_table(neglect: Neglect) -> None:
    as_json = neglect("score", *case_files(), "--format", "json")
    assert as_json.exit_code == 0
    rows = json.loads(as_json.stdout)
    assert [r["file"] for r in rows] == [str(p) for p in case_files()]
    table = neglect("score", *case_files())
    assert table.exit_code == 0
    for row in rows:
        assert row["ref"] in table.stdout


def test_score_a_folder_scores_its_yaml_files(neglect: Neglect) -> None:
    ran = neglect("score", CASES, "--format", "json")
    assert ran.exit_code == 0
    assert len(json.loads(ran.stdout)) == len(case_files())


def test_score_reports_and_skips_invalid_files_and_exits_2(neglect: Neglect, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = CASE.read_text(encoding="utf-8").replace("tool: ../tools/mini.yaml", f"tool: {MINI}")
    bad.write_text(text.replace("physical.home: 3", "physical.home: 9"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("tool: [unclosed\n")
    ran = neglect("score", CASE, bad, broken, CASES / "01-universal-well-cared-for.yaml", "--format", "csv")
    assert ran.exit_code == 2
    assert [r["ref"] for r in csv.DictReader(io.StringIO(ran.stdout))] == ["TEST-001", "TRAIN-001"]
    assert f"{bad}:" in ran.stderr and "answers.physical.home" in ran.stderr and "9 is not on the scale" in ran.stderr
    assert f"{broken}:2:1: YAML syntax error" in ran.stderr
    assert "2 of 4 file(s) were invalid and skipped" in ran.stderr
    assert "Traceback" not in ran.output


def test_score_writes_records_into_out(neglect: Neglect, tmp_path: Path) -> None:
    ran = neglect("score", CASE, "--out", tmp_path / "records", "--format", "json")
    assert ran.exit_code == 0
    (record,) = (tmp_path / "records").iterdir()
    assert record.name == "TEST-001_2026-11-02.json" and record.stat().st_mode & 0o777 == 0o600


# --- verify --------------------------------------------------------------------------------------


@pytest.fixture
def record(neglect: Neglect, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(TOOLS))
    out = tmp_path / "record.json"
    assert neglect("assess", "--answers", CASE, "--out", out).exit_code == 0
    return out


def test_verify_passes_on_a_fresh_record(neglect: Neglect, record: Path) -> None:
    ran = neglect("verify", record)
    assert ran.exit_code == 0
    assert ran.stdout == f"{record}: ok\n"


def test_verify_fails_when_one_character_of_evidence_changed(neglect: Neglect, record: Path) -> None:
    text = record.read_text(encoding="utf-8")
    assert text.count("Fridge empty") == 1
    record.write_text(text.replace("Fridge empty", "Fridge emptY"), encoding="utf-8")
    ran = neglect("verify", record)
    assert ran.exit_code == 1
    assert "integrity hash does not match" in ran.stdout
    assert "emptY" not in ran.output


def test_verify_fails_when_the_result_was_altered_and_the_hash_recomputed(neglect: Neglect, record: Path) -> None:
    data = json.loads(record.read_text(encoding="utf-8"))
    data.pop("integrity")
    data["result"]["overall"]["band"] = "low"
    record.write_text(json.dumps(seal(data), indent=2), encoding="utf-8")
    ran = neglect("verify", record, "--format", "json")
    assert ran.exit_code == 1
    (entry,) = json.loads(ran.stdout)
    assert entry["ok"] is False
    assert entry["problems"] == ["stored result does not match a re-score of the stored answers (overall)"]


def test_verify_fails_when_the_tool_is_not_available(
    neglect: Neglect, record: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from neglect_cli import toolfiles

    monkeypatch.delenv("NEGLECT_TOOLS_PATH")
    toolfiles.clear_tool_cache()
    ran = neglect("verify", record)
    assert ran.exit_code == 1
    assert "tool mini@1.0.0 is not available here" in ran.stdout


def test_verify_of_a_file_that_is_not_a_record_exits_2(neglect: Neglect) -> None:
    ran = neglect("verify", CASE)
    assert ran.exit_code == 2


# --- the module entry point ------------------------------------------------------------------------


def test_python_dash_m_prints_the_version() -> None:
    from neglect_cli import __version__

    ran = subprocess.run(
        [sys.executable, "-m", "neglect_cli", "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == f"neglect-cli {__version__}\n"


def test_a_broken_file_on_the_tools_path_is_skipped_and_named(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken.yaml").write_text("schema: neglect-tool/1\nid: [\n", encoding="utf-8")
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(tmp_path))
    listed = neglect("tools", "list", "--format", "json")
    assert listed.exit_code == 0
    assert {row["id"] for row in json.loads(listed.stdout)} == {"neglect-core", "neglect-screening"}
    assert "broken.yaml: not a valid tool" in listed.stderr
    unknown = neglect("tools", "show", "nothing-here")
    assert unknown.exit_code == 2
    assert "skipped as invalid" in unknown.stderr and "broken.yaml" in unknown.stderr


@pytest.mark.parametrize(("fmt", "printed"), [("table", ""), ("csv", ""), ("json", "[]\n")])
def test_score_with_every_file_invalid_prints_no_empty_table(
    neglect: Neglect, tmp_path: Path, fmt: str, printed: str
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("tool: [unclosed\n")
    ran = neglect("score", broken, "--format", fmt)
    assert ran.exit_code == 2
    assert ran.stdout == printed
    assert "1 of 1 file(s) were invalid and skipped" in ran.stderr


def test_score_json_gives_escalations_as_a_list_and_csv_as_one_joined_cell(neglect: Neglect) -> None:
    case = CASES / "02-early-help-toddler.yaml"
    ran = neglect("score", case, "--format", "json")
    assert ran.exit_code == 0, ran.output
    (row,) = json.loads(ran.stdout)
    assert row["escalations"] == ["cumulative-needs", "additional-need"]
    ran = neglect("score", case, "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(ran.stdout))
    assert row["escalations"] == "cumulative-needs additional-need"


def test_validate_warns_where_a_worse_rating_would_give_a_lower_level(neglect: Neglect, tmp_path: Path) -> None:
    """A floor under `not` (DESIGN §3 allows it): valid, exit 0, but the author is told where, and why."""
    tool = TESTS / "fixtures" / "safety" / "floor-under-not.yaml"
    ran = neglect("tools", "validate", tool)
    assert ran.exit_code == 0, ran.output
    assert "floor-under-not.yaml: valid (floor-under-not@1.0.0)" in ran.stdout
    assert (
        "floor-under-not.yaml:49:5: escalations[0].minimum_band: this rule raises the level only while "
        "physical.food is NOT rated 2 or more, so a worse rating could turn it off and lower the level"
    ) in " ".join(ran.stderr.split())
    levels = {}
    for food in (1, 2):  # the warning is about what scoring does: food 2 (worse) gives the LOWER level
        case = tmp_path / f"food-{food}.yaml"
        case.write_text(
            f"tool: {tool}\ncase: {{ref: F-{food}, assessed_on: 2026-11-01}}\ncontext: {{age_months: 60}}\n"
            f"answers: {{physical.food: {food}, emotional.warmth: 1}}\n",
            encoding="utf-8",
        )
        scored = neglect("score", case, "--format", "json")
        assert scored.exit_code == 0, scored.output
        levels[food] = json.loads(scored.stdout)[0]["final_band"]
    assert levels == {1: "high", 2: "medium"}


IDLE = {
    "band-below-the-scale.yaml": (
        39,
        "bands[0].up_to: 0.5 is below the scale's lowest value (1): no score can fall in this band",
    ),
    "rule-count-more-than-items.yaml": (
        47,
        "escalations[0].when.items_count.count: count 3 is more than the 2 items it counts, so the rule could "
        "never fire",
    ),
    "rule-bound-above-fact-max.yaml": (
        47,
        "escalations[0].when.context.at_least: 2160 is above the most age_months can be (216), so the test could "
        "never hold",
    ),
    "rule-hardship-filter-without-mark.yaml": (
        47,
        "escalations[0].when.item.hardship: a `hardship` filter needs the tool's `hardship:` mark (without it no "
        "rating is ever marked)",
    ),
}


@pytest.mark.parametrize("name", sorted(IDLE))
def test_a_part_of_a_tool_that_never_acts_is_a_warning_and_the_tool_still_loads(
    neglect: Neglect, tmp_path: Path, name: str
) -> None:
    """A band no score reaches, a rule test no case passes: the author is told where (file:line), but the tool
    is valid, so a tool already in use with one still scores, and its records still verify."""
    tool = TESTS / "fixtures" / "idle" / name
    line, message = IDLE[name]
    ran = neglect("tools", "validate", tool)
    assert ran.exit_code == 0, ran.output
    assert f"{name}: valid (mini-tool@1.0.0)" in ran.stdout
    assert f"{name}:{line}:" in ran.stderr and message in " ".join(ran.stderr.split()), ran.stderr
    as_json = neglect("tools", "validate", tool, "--format", "json")
    assert [f"{w['field']}: {w['message']}" for w in json.loads(as_json.stdout)[0]["warnings"]] == [message]
    case = tmp_path / "case.yaml"
    case.write_text(
        f"tool: {tool}\ncase: {{ref: I-1, assessed_on: 2026-11-01}}\ncontext: {{age_months: 60}}\n"
        "answers: {physical.food: 2, emotional.warmth: 1}\n",
        encoding="utf-8",
    )
    scored = neglect("score", case, "--format", "json")
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)[0]["final_band"] == "medium"
