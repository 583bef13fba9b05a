"""The next assessment reviews the last plan: answers files carry `review`, records keep it, reports show
drift (issue 16). Trainer cases: actions done and the child's life changed; actions "done" and nothing
changed; the same need in three plans in a row."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import TESTS, Neglect

PLANS = TESTS / "fixtures" / "plans"
TRAINER = PLANS / "trainer"


@pytest.fixture(autouse=True)
def plans_tool_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(PLANS))


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    shutil.copytree(TRAINER, folder)
    return folder


def assess(neglect: Neglect, folder: Path, *names: str) -> list[dict[str, Any]]:
    """Assess each trainer case in order, its record beside it under the default name."""
    out = []
    for name in names:
        ran = neglect("assess", "--answers", folder / f"{name}.yaml", "--out", folder)
        assert ran.exit_code == 0, ran.output
        data = yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))
        record = folder / f"{data['case']['ref']}_{data['case']['assessed_on']}.json"
        out.append(json.loads(record.read_text(encoding="utf-8")))
    return out


def report(neglect: Neglect, record: Path) -> str:
    ran = neglect("report", record, "--format", "md")
    assert ran.exit_code == 0, ran.output
    return ran.stdout


def test_actions_done_and_the_childs_life_changed(neglect: Neglect, cases: Path) -> None:
    first, second = assess(neglect, cases, "changed-1", "changed-2")
    assert second["review"] == {
        "previous_sha256": first["integrity"]["sha256"],
        "previous_assessed_on": "2026-09-01",
        "needs": [
            {
                "item": "physical.food",
                "outcome": "The child arrives at school fed and stops asking staff for food.",
                "achieved": True,
                "evidence": "School say the child has not asked for food since mid-September; packed lunch most days.",
                "actions": [
                    {"what": "Food bank referral and a free school meals claim", "who": "Social worker",
                     "by": "2026-09-08", "status": "done"},
                    {"what": "Breakfast club place every school day", "who": "School", "by": "2026-09-15",
                     "status": "done"},
                ],
                "plans": 1,
            }
        ],
    }
    assert (first["result"]["overall"]["band"], second["result"]["overall"]["band"]) == ("high", "low")
    assert second["plan"] is None
    text = report(neglect, cases / "CHANGED-1_2026-10-12.json")
    assert "## Review of the last plan (assessment of 2026-09-01)" in text
    assert "- **Food** — achieved: The child arrives at school fed and stops asking staff for food." in text
    assert "  - Breakfast club place every school day — School, by 2026-09-15: done" in text
    assert "nothing changed" not in text and "time in a row" not in text
    assert neglect("verify", cases / "CHANGED-1_2026-10-12.json").exit_code == 0


def test_actions_done_but_nothing_changed_for_the_child(neglect: Neglect, cases: Path) -> None:
    _, second = assess(neglect, cases, "same-1", "same-2")
    food = second["review"]["needs"][0]
    assert (food["achieved"], [a["status"] for a in food["actions"]], food["plans"]) == (False, ["done"], 1)
    text = report(neglect, cases / "SAME-1_2026-07-13.json")
    assert "**Food: every action was done, yet nothing changed for the child. Is this the right plan?**" in text
    assert "- **Food** — NOT achieved: The child eats breakfast and an evening meal every day." in text
    assert "time in a row" not in text


def test_the_same_need_in_a_third_plan_is_called_out(neglect: Neglect, cases: Path) -> None:
    *_, third = assess(neglect, cases, "same-1", "same-2", "same-3")
    assert third["review"]["needs"][0]["plans"] == 2
    text = report(neglect, cases / "SAME-1_2026-08-24.json")
    assert "**Food is in a plan for the third time in a row: what will be different this time?**" in text
    assert "**Food: every action was done, yet nothing changed for the child. Is this the right plan?**" in text
    assert neglect("verify", cases / "SAME-1_2026-08-24.json").exit_code == 0


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda r: r.update(previous="nowhere.json"), "review.previous: the last plan's record: "),
        (lambda r: r["needs"]["physical.food"].update(actions=["done"]), "give one status for each of the last"),
        (lambda r: r["needs"]["physical.food"].update(actions=["done", "maybe"]), "Input should be 'done', 'partly'"),
        (lambda r: r["needs"].pop("physical.food"), "review every need of the last plan: physical.food is missing"),
        (lambda r: r["needs"].update({"physical.home": copy.deepcopy(r["needs"]["physical.food"])}), "not a need of"),
        (lambda r: r["needs"]["physical.food"].update(evidence=" "), "say what shows whether it changed for"),
    ],
)
def test_a_bad_review_is_refused_with_its_line(neglect: Neglect, cases: Path, edit: Any, message: str) -> None:
    assess(neglect, cases, "changed-1")
    path = cases / "changed-2.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data["review"])
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    ran = neglect("assess", "--answers", path, "--out", cases / "out.json")
    assert ran.exit_code == 2, ran.output
    assert message in ran.stderr and "changed-2.yaml:" in ran.stderr
    assert not (cases / "out.json").exists()


def test_a_review_must_name_an_earlier_record_of_the_same_child(neglect: Neglect, cases: Path) -> None:
    assess(neglect, cases, "same-1")
    path = cases / "changed-2.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["review"]["previous"] = "SAME-1_2026-06-01.json"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    ran = neglect("assess", "--answers", path, "--out", cases / "out.json")
    assert ran.exit_code == 2 and "review.previous: the record named is of another case" in ran.stderr


def test_redaction_removes_the_reviews_free_text(neglect: Neglect, cases: Path) -> None:
    assess(neglect, cases, "same-1")
    ran = neglect("assess", "--answers", cases / "same-2.yaml", "--out", cases / "r.json", "--redact")
    assert ran.exit_code == 0, ran.output
    food = json.loads((cases / "r.json").read_text(encoding="utf-8"))["review"]["needs"][0]
    assert food["outcome"] == food["evidence"] == food["actions"][0]["what"] == "[redacted]"
    assert food["actions"][0]["who"] == "Mother" and food["actions"][0]["status"] == "done"


def test_score_checks_a_review_too(neglect: Neglect, cases: Path) -> None:
    assess(neglect, cases, "changed-1")
    path = cases / "changed-2.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["review"]["needs"]["physical.food"]["actions"] = ["done"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    ran = neglect("score", path, cases / "changed-1.yaml", "--format", "csv")
    assert "changed-2.yaml:" in ran.output and "give one status for each of the last plan's 2" in ran.output
    assert "CHANGED-1" in ran.stdout  # the good file is still scored


def plan_statuses(neglect: Neglect, record: Path, *options: str) -> list[str]:
    """The status column of a report's plan table (Markdown), one per action."""
    ran = neglect("report", record, "--format", "md", *options)
    assert ran.exit_code == 0, ran.output
    table = ran.stdout.split("## The plan", 1)[1].split("\n\n", 2)[1]
    return [row.rstrip(" |").rsplit("| ", 1)[1] for row in table.splitlines()[2:]]


def test_the_plan_tables_status_is_the_next_reviews_or_overdue_by_the_reports_date(
    neglect: Neglect, cases: Path
) -> None:
    assess(neglect, cases, "same-1")
    first = cases / "SAME-1_2026-06-01.json"  # one action, by 2026-06-29
    assert plan_statuses(neglect, first, "--as-of", "2026-06-29") == ["planned"]
    assert plan_statuses(neglect, first, "--as-of", "30/06/2026") == ["overdue"]
    assess(neglect, cases, "same-2")  # reviews the first plan: the action done, nothing changed for the child
    assert plan_statuses(neglect, first, "--as-of", "2026-06-30") == ["done"]
    changed = cases / "CHANGED-1_2026-09-01.json"
    assess(neglect, cases, "changed-1", "changed-2")
    assert plan_statuses(neglect, changed) == ["done", "done"]
    assert plan_statuses(neglect, cases / "SAME-1_2026-07-13.json", "--as-of", "2026-08-01") == ["planned"]
