"""A context fact asked only when an earlier one holds (tool format 3 `ask_if`): neglect-core asks what
practical help was offered only when the family faces material hardship. The walk does not ask it
otherwise, an answers file may not give it, and a record that holds it anyway does not verify."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import CASES, TESTS, Neglect
from helpers.scripted import ScriptedPrompter, scripted_walk

TOOL = TESTS / "interview" / "ask-if-tool.yaml"
CASE = ["ASK-1", "", "", ""]  # case ref, date (today), no assessor, no supervisor
FINISH = ["", "k", "s"]  # no child's voice, keep the level, save
HARDSHIP_CASE = CASES / "07-hardship-good-care.yaml"


def asked(prompter: ScriptedPrompter) -> list[str]:
    return [text for kind, text in prompter.events if kind in ("text", "choose")]


@pytest.mark.parametrize(
    ("hardship", "script", "expected"), [("no", [], None), ("yes", ["Fuel vouchers"], "Fuel vouchers")]
)
def test_the_walk_asks_the_help_offered_only_when_there_is_hardship(
    tmp_path: Path, hardship: str, script: list[str], expected: str | None
) -> None:
    outcome, prompter = scripted_walk(
        CASE + ["30", hardship, *script, "1", *FINISH], tool=str(TOOL), out=tmp_path / "r.json"
    )
    assert outcome.status == "written"
    assert any("What help was offered?" in text for text in asked(prompter)) is (expected is not None)
    context = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["context"]
    assert context.get("help_offered") == expected


def test_an_answers_file_may_not_give_the_help_offered_without_hardship(neglect: Neglect, tmp_path: Path) -> None:
    text = HARDSHIP_CASE.read_text(encoding="utf-8").replace("material_hardship: true", "material_hardship: false")
    case = tmp_path / "case.yaml"
    case.write_text(text, encoding="utf-8")
    line = text.splitlines().index(next(ln for ln in text.splitlines() if ln.startswith("  support_offered:"))) + 1
    ran = neglect("assess", "--answers", case, "--out", tmp_path / "r.json")
    assert ran.exit_code == 2 and not (tmp_path / "r.json").exists()
    assert (
        f"{case}:{line}:3: context.support_offered: asked only when the family faces material hardship (ask_if): "
        "remove it, or correct material_hardship"
    ) in ran.stderr
    assert neglect("assess", "--answers", HARDSHIP_CASE, "--out", tmp_path / "ok.json").exit_code == 0


def test_a_required_fact_not_asked_is_not_required(neglect: Neglect, tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(
        f"tool: {TOOL}\ncase: {{ref: ASK-2, assessed_on: 2026-11-20}}\ncontext: {{age_months: 30, hardship: false}}\n"
        "answers: {physical.food: 1}\n",
        encoding="utf-8",
    )
    assert neglect("assess", "--answers", case, "--out", tmp_path / "r.json").exit_code == 0
    case.write_text(case.read_text(encoding="utf-8").replace("hardship: false", "hardship: true"), encoding="utf-8")
    ran = neglect("assess", "--answers", case, "--out", tmp_path / "r2.json")
    assert ran.exit_code == 2 and "required context fact 'help_offered' is missing" in ran.stderr


def test_a_record_holding_a_fact_that_was_not_asked_does_not_verify(neglect: Neglect, tmp_path: Path) -> None:
    record = tmp_path / "r.json"
    assert neglect("assess", "--answers", HARDSHIP_CASE, "--out", record).exit_code == 0
    data = json.loads(record.read_text(encoding="utf-8"))
    data["context"]["material_hardship"] = False
    from neglect_cli.record import seal

    data.pop("integrity")
    record.write_text(json.dumps(seal(data, None)), encoding="utf-8")
    ran = neglect("verify", record)
    assert ran.exit_code == 1
    assert "context.support_offered: asked only when the family faces material hardship" in ran.output


def test_tools_show_and_the_template_say_when_the_fact_is_asked(neglect: Neglect) -> None:
    shown = neglect("tools", "show", "neglect-core")
    assert "support_offered (text; asked only when the family faces material hardship)" in shown.stdout
    template = neglect("template", "neglect-core").stdout
    hint = "# text; only when the family faces material hardship, else leave it empty"
    assert f"  support_offered:     {hint}" in template
