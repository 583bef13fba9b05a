"""Tools of formats 1, 2 and 3 written from docs/tool-format.md alone, run through every command a user
would, as the independent check after a release does.

The tools (tests/fixtures/other_tools/later_formats/tools/): `duo`, the least a tool may be (format 1, one
domain, two items, a two-point scale, two bands, domain max); `county-toolkit`, a local authority's
format-2 toolkit (five tiers of its own names, weights, age ranges, `may_not_apply`, the hardship mark with
`scoring.hardship: exclude`, context facts of every type, and a rule of every condition kind with the
`items` and `hardship` filters); `hearth` 1.0.0 and 2.0.0, a format-3 tool with the child's world
(`sections`, a domain's `voice`, `ask_if`, `known`, a `monitoring` fact, `plan_required`, `formerly` from
1.0.0, and `child_seen` in every form and `capacity`). Each answers file says in its header how its
result was worked out by hand; each carries its `expect`, so `score --check` proves the results.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import TESTS, Neglect

FIXTURES = TESTS / "fixtures" / "other_tools" / "later_formats"
TOOLS = FIXTURES / "tools"
ANSWERS = FIXTURES / "answers"
CASES = sorted(p.stem for p in ANSWERS.glob("*.yaml"))
MARKER = "ZQXJ"  # planted in the free-text fields of the answers files


@pytest.fixture(autouse=True)
def later_tools_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(TOOLS))


def assess(neglect: Neglect, tmp_path: Path, case: str) -> Path:
    out = tmp_path / f"{case}.json"
    ran = neglect("assess", "--answers", ANSWERS / f"{case}.yaml", "--out", out)
    assert ran.exit_code == 0, ran.output
    return out


def test_the_tools_are_valid_and_listed(neglect: Neglect) -> None:
    ran = neglect("tools", "validate", *sorted(TOOLS.glob("*.yaml")))
    assert ran.exit_code == 0, ran.output
    listed = neglect("tools", "list", "--format", "json")
    assert listed.exit_code == 0, listed.output
    found = {(entry["id"], entry["version"]) for entry in json.loads(listed.stdout)}
    assert {("duo", "0.1.0"), ("county-toolkit", "4.0.0"), ("hearth", "1.0.0"), ("hearth", "2.0.0")} <= found


@pytest.mark.parametrize("tool", ["duo", "county-toolkit", "hearth", "hearth@1.0.0"])
def test_show_names_every_item_band_and_rule(neglect: Neglect, tool: str) -> None:
    ran = neglect("tools", "show", tool)
    assert ran.exit_code == 0, ran.output
    path = {"duo": "duo", "county-toolkit": "county", "hearth": "hearth-2", "hearth@1.0.0": "hearth-1"}[tool]
    data = yaml.safe_load((TOOLS / f"{path}.yaml").read_text(encoding="utf-8"))
    for domain in data["domains"]:
        for item in domain["items"]:
            assert f"({item['id']})" in ran.stdout
    for band in data["bands"]:
        assert band["label"] in ran.stdout
    for rule in data.get("escalations", []):
        assert f"({rule['id']})" in ran.stdout


def test_a_formerly_typo_is_caught_against_the_earlier_version(neglect: Neglect, tmp_path: Path) -> None:
    text = (TOOLS / "hearth-2.yaml").read_text(encoding="utf-8").replace("[bond.comfort]", "[bond.comfrot]")
    typo = tmp_path / "hearth-typo.yaml"
    typo.write_text(text, encoding="utf-8")
    ran = neglect("tools", "validate", typo)
    assert ran.exit_code == 2
    assert "'bond.comfrot' is not an item of any earlier version of hearth (1.0.0)" in ran.stderr


@pytest.mark.parametrize("tool", ["duo", "county-toolkit", "hearth"])
def test_a_template_is_refused_until_filled_in(neglect: Neglect, tmp_path: Path, tool: str) -> None:
    out = tmp_path / f"{tool}.yaml"
    made = neglect("template", tool, "--out", out)
    assert made.exit_code == 0, made.output
    ran = neglect("score", out)
    assert ran.exit_code == 2
    assert "case.ref: still the placeholder CASE-REF" in ran.stderr
    assert ("context.age_months: left empty" in ran.stderr) == (tool != "duo")


def test_every_case_scores_as_its_expect_says(neglect: Neglect) -> None:
    for options in ((), ("--jobs", "2")):
        ran = neglect("score", ANSWERS, "--check", *options)
        assert ran.exit_code == 0, ran.output
        assert f"{len(CASES)} case(s): {len(CASES)} as expected, 0 differ, 0 unchecked" in ran.stdout


def test_score_json_csv_and_stdin_agree(neglect: Neglect) -> None:
    as_json = neglect("score", ANSWERS, "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    rows = {Path(row["file"]).stem: row for row in json.loads(as_json.stdout)}
    assert set(rows) == set(CASES)
    county = rows["county-b"]
    assert (county["basic_score"], county["basic_band"]) == (None, None)  # every rating marked hardship
    assert (county["computed_band"], county["final_band"], county["override"]) == ("tier-d", "tier-e", "kept")
    assert county["incomplete"] is True
    assert rows["hearth-a"]["tool"] == "hearth@1.0.0"
    as_csv = neglect("score", ANSWERS, "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    header = as_csv.stdout.splitlines()[0].split(",")
    assert {"basic_band", "care_band", "home_band", "bond_band"} <= set(header)
    paths = "\0".join(str(ANSWERS / f"{case}.yaml") for case in CASES)
    from_stdin = neglect("score", "-", "--format", "json", input=paths)
    assert from_stdin.exit_code == 0, from_stdin.output
    assert [r["final_band"] for r in json.loads(from_stdin.stdout)] == [rows[c]["final_band"] for c in CASES]
    assert MARKER not in as_json.output + as_csv.output


def test_records_verify_and_report_in_every_format(neglect: Neglect, tmp_path: Path) -> None:
    records = [assess(neglect, tmp_path, case) for case in CASES]
    ran = neglect("verify", *records)
    assert ran.exit_code == 0, ran.output
    hearth = tmp_path / "hearth-b.json"
    for fmt in ("terminal", "md", "html"):
        shown = neglect("report", hearth, "--format", fmt)
        assert shown.exit_code == 0, shown.output
        assert MARKER in shown.stdout  # the report shows the notes ...
        redacted = neglect("report", hearth, "--format", fmt, "--redact")
        assert redacted.exit_code == 0, redacted.output
        assert MARKER not in redacted.output  # ... and --redact removes every one
    terminal = neglect("report", hearth).stdout
    assert "Father: not seen or spoken to" in terminal
    assert "70 days before this assessment" in terminal


def test_a_record_edited_after_sealing_fails_verify_and_is_not_imported(neglect: Neglect, tmp_path: Path) -> None:
    record = assess(neglect, tmp_path, "county-b")
    data: dict[str, Any] = json.loads(record.read_text(encoding="utf-8"))
    data["result"]["overall"]["band"] = "tier-a"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    ran = neglect("verify", edited)
    assert ran.exit_code == 1
    assert "integrity hash does not match" in ran.output
    imported = neglect("store", "import", edited)
    assert imported.exit_code == 2
    assert "refused (not imported)" in imported.output


def test_diff_across_versions_matches_items_by_formerly(neglect: Neglect, tmp_path: Path) -> None:
    old, new = assess(neglect, tmp_path, "hearth-a"), assess(neglect, tmp_path, "hearth-b")
    ran = neglect("diff", old, new, "--format", "json")
    assert ran.exit_code == 0, ran.output
    items = {i["item"]: i for i in json.loads(ran.stdout)["items"]}
    assert items["bond.comforted"]["change"] == "value"  # renamed from bond.comfort: compared one to one
    assert neglect("diff", old, new, "--exit-code").exit_code == 1
    assert neglect("diff", old, old, "--exit-code").exit_code == 0


def test_store_history_caseload_trend_family_over_these_tools(neglect: Neglect, tmp_path: Path) -> None:
    for case in CASES:
        assess(neglect, tmp_path, case)
    history = neglect("history", "CTY-001", "--format", "json")
    assert history.exit_code == 0, history.output
    caseload = neglect("caseload", "--as-of", "2026-12-01", "--format", "json")
    assert caseload.exit_code == 0, caseload.output
    for ran in (neglect("trend", "CTY-001"), neglect("diff", "CTY-001"), neglect("report", "HTH-001")):
        assert ran.exit_code == 0, ran.output
        assert "Tier E — protection" in ran.stdout or "Act" in ran.stdout
    assert neglect("family", "link", "FAM-9", "CTY-001").exit_code == 0
    assert neglect("family", "link", "FAM-9", "HTH-001").exit_code == 0
    family = neglect("family", "FAM-9")
    assert family.exit_code == 0, family.output
    assert "Tier E — protection" in family.stdout and "Act" in family.stdout
    checked = neglect("store", "check")
    assert checked.exit_code == 0, checked.output
    exported = tmp_path / "export"
    assert neglect("store", "export", "--all", exported).exit_code == 0
    assert len([p for p in exported.glob("*.json") if not p.name.endswith(".family.json")]) == len(CASES)
    assert (exported / "FAM-9.family.json").is_file()
    again = neglect("store", "import", exported, "--store", tmp_path / "other.sqlite3")
    assert again.exit_code == 0, again.output


def test_these_records_need_their_tool_to_be_rescored(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = assess(neglect, tmp_path, "duo-fine")
    copy = tmp_path / "elsewhere.json"
    shutil.copy(record, copy)
    monkeypatch.delenv("NEGLECT_TOOLS_PATH")
    from neglect_cli import toolfiles

    toolfiles.clear_tool_cache()  # as a new process would start
    ran = neglect("verify", copy)
    assert ran.exit_code == 1
    assert "tool duo@0.1.0 is not available here" in ran.output
    assert "Traceback" not in ran.output


def test_a_template_says_how_to_write_what_the_tool_allows(neglect: Neglect) -> None:
    """'does not apply' on the items that take it, the hardship mark, and the plan a level needs."""
    county = neglect("template", "county-toolkit")
    assert county.exit_code == 0, county.output
    condition = next(line for line in county.stdout.splitlines() if "health.condition:" in line)
    assert "{does_not_apply: why}" in condition
    assert not any("{does_not_apply" in line for line in county.stdout.splitlines() if "health.dentist:" in line)
    assert "hardship: true" in county.stdout and "money_worries" in county.stdout
    assert "# plan:" not in county.stdout  # no level of this tool needs a plan
    hearth = neglect("template", "hearth")
    assert hearth.exit_code == 0, hearth.output
    assert "# plan:" in hearth.stdout and "Watch, Act" in hearth.stdout
    assert "deferred_to" in hearth.stdout
    assert "hardship: true" not in hearth.stdout and "does_not_apply" not in hearth.stdout


def test_the_walk_asks_the_hardship_mark_and_takes_does_not_apply(tmp_path: Path) -> None:
    """A format-2 walk with the county toolkit: facts of every type, the hardship question after a rating of
    3 while money is short, 'd' for an item that may not apply, items outside the child's age skipped."""
    from helpers.scripted import scripted_walk

    script = ["CTY-W", "", "", "", "30", "4", "temporary", ["domestic_abuse"], "y", "2023-06-01", ""]
    script += ["3", "No breakfast ZQXJ", "y", "1", "2", "Left with a 12-year-old ZQXJ", "1", "d", "None known ZQXJ"]
    script += ["", "", "", "s"]  # no child's voice; the level matches; save
    outcome, prompter = scripted_walk(script, tool="county-toolkit", out=tmp_path)
    assert outcome.status == "written"
    asked = prompter.shown("choose")
    hardship = "Is this unmet need mainly caused by money or housing, outside the carers' control?"
    assert asked[asked.index("Rating for Food") + 1] == hardship
    assert asked.count(hardship) == 1  # only for the rating of 3 or more
    assert "Skipped School: applies to ages 36–216 months; this child is 30 months." in prompter.shown("say")
    (record_file,) = tmp_path.glob("CTY-W_*.json")
    record = json.loads(record_file.read_text(encoding="utf-8"))
    answers = {a["item"]: a for a in record["answers"]}
    assert (answers["basic.food"]["value"], answers["basic.food"]["hardship"]) == (3, True)
    assert answers["health.condition"]["status"] == "does_not_apply"
    assert answers["basic.cot"]["status"] == "not_applicable"
    basic = next(d for d in record["result"]["domains"] if d["id"] == "basic")
    assert basic["score"] == 1.0  # the hardship-marked 3 is left out (scoring.hardship: exclude)
    assert record["result"]["overall"]["band"] == "tier-b"
