"""`neglect caseload` and plans (issue 16): a lowered level is not final until signed off (listed as awaiting
sign-off, counted at the higher level), and plans drifting (actions overdue, outcomes not achieved, a need in
a third plan, sign-offs waiting more than 5 working days), on both store backends."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import TESTS, Neglect
from helpers.storecases import answers_file

SIGNOFF: dict[str, Any] = {
    "agrees": True,
    "why": "Breakfast club and the bath-night routine are working; early help is the right level now.",
    "decision": "step_down",
    "role": "Team manager",
    "name": "T. Manager",
    "signed_on": "2026-10-14",
}


def assess(neglect: Neglect, case: Path, out: Path) -> None:
    ran = neglect("assess", "--answers", case, "--out", out, "--format", "json")
    assert ran.exit_code == 0, ran.stderr


def caseload(neglect: Neglect, *options: str) -> dict[str, Any]:
    ran = neglect("caseload", "--format", "json", *options)
    assert ran.exit_code == 0, ran.stderr
    data: dict[str, Any] = json.loads(ran.stdout)
    return data


def entries(data: dict[str, Any], section: str) -> list[tuple[str, str]]:
    return [(e["case_ref"], e["why"]) for e in data["sections"][section]["entries"]]


def sign(neglect: Neglect, tmp_path: Path, ref: str, **changes: Any) -> None:
    answers = tmp_path / f"signoff-{ref}.yaml"
    answers.write_text(yaml.safe_dump({**SIGNOFF, **changes}, sort_keys=False), encoding="utf-8")
    ran = neglect("signoff", ref, "--answers", answers, "--out", tmp_path / f"{ref}.signoff.json")
    assert ran.exit_code == 0, ran.output


def test_a_lowered_level_awaits_signoff_and_counts_at_the_higher_level_until_then(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    cases = tmp_path / "cases"
    # level 3 (10b), then level 2 (10c) five weeks later: lower than the last assessment
    assess(neglect, answers_file(cases, "SCH-DOWN", "2026-09-07", base="10b-drift-second-review.yaml"), tmp_path)
    assess(neglect, answers_file(cases, "SCH-DOWN", "2026-10-12", base="10c-improved-third-review.yaml"), tmp_path)
    # level 3 lowered to level 2 by an override the team manager agreed
    lowered = {
        "band": "level-2",
        "rationale": "Support is in place.",
        "agreed_by": "T. Manager",
        "agreed_on": "2026-10-13",
    }
    case = answers_file(cases, "SCH-LOW", "2026-10-12", base="10b-drift-second-review.yaml", override=lowered)
    assess(neglect, case, tmp_path)

    data = caseload(neglect, "--as-of", "2026-10-20")
    waiting = dict(entries(data, "awaiting_signoff"))
    assert set(waiting) == {"SCH-DOWN", "SCH-LOW"}
    assert waiting["SCH-DOWN"] == (
        "Level 2 — early help, lower than the assessment of 2026-09-07 (Level 3 — child in need): not final until "
        "a supervisor signs it off; counted at Level 3 — child in need until then"
    )
    assert (
        "lowered by practitioner override from the level the answers gave (Level 3 — child in need)"
        in waiting["SCH-LOW"]
    )
    assert data["levels"] == [{"level": "Level 3 — child in need", "children": 2}]

    sign(neglect, tmp_path, "SCH-DOWN")
    data = caseload(neglect, "--as-of", "2026-10-20")
    assert [ref for ref, _ in entries(data, "awaiting_signoff")] == ["SCH-LOW"]
    assert {"level": "Level 2 — early help", "children": 1} in data["levels"]

    text = neglect("caseload", "--as-of", "2026-10-20").stdout
    assert "Lowered levels awaiting sign-off (counted at the higher level): 1" in text
    assert "By level of need: " in text


def test_signoff_waiting_counts_working_days_only(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    # assessed on Friday 2026-05-08: by Friday 2026-05-15 five working days have passed, by Monday six
    assess(
        neglect,
        answers_file(tmp_path / "cases", "SCH-WAIT", "2026-05-08", base="10c-improved-third-review.yaml"),
        tmp_path,
    )
    assert entries(caseload(neglect, "--as-of", "2026-05-15"), "signoff_waiting") == []
    assert entries(caseload(neglect, "--as-of", "2026-05-17"), "signoff_waiting") == []  # Sunday
    assert entries(caseload(neglect, "--as-of", "2026-05-18"), "signoff_waiting") == [
        ("SCH-WAIT", "waiting 6 working days for a supervisor's sign-off")
    ]
    sign(neglect, tmp_path, "SCH-WAIT", signed_on="2026-05-18", decision="continue")
    assert entries(caseload(neglect, "--as-of", "2026-05-18"), "signoff_waiting") == []


def test_an_action_past_its_date_with_no_review_is_overdue(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    # 10a's first action (breakfast club) is due a week after the assessment
    assess(neglect, answers_file(tmp_path / "cases", "SCH-ACT", "2026-05-11"), tmp_path)
    assert entries(caseload(neglect, "--as-of", "2026-05-18"), "actions_overdue") == []
    assert entries(caseload(neglect, "--as-of", "2026-05-20"), "actions_overdue") == [
        ("SCH-ACT", "plan action due by 2026-05-18 and no review since: overdue by 2 days")
    ]


PLANS = TESTS / "fixtures" / "plans"


@pytest.fixture
def trainer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(PLANS))
    folder = tmp_path / "trainer"
    shutil.copytree(PLANS / "trainer", folder)
    return folder


def test_outcomes_not_achieved_and_a_need_in_a_third_plan_show_in_the_caseload(
    neglect: Neglect, store_url: str, trainer: Path
) -> None:
    for name in ("same-1", "same-2", "same-3"):
        ran = neglect("assess", "--answers", trainer / f"{name}.yaml", "--out", trainer)
        assert ran.exit_code == 0, ran.output
    data = caseload(neglect, "--training", "--as-of", "2026-09-01")
    assert entries(data, "not_achieved") == [("SAME-1", "1 outcome of the last plan not achieved for the child")]
    assert entries(data, "third_plan") == [("SAME-1", "1 need carried into a third plan in a row")]


def test_every_overdue_action_date_is_listed_with_a_count(
    neglect: Neglect, store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 10a's plan: actions due 2026-05-18, 05-25, 05-26, 05-29, 06-30 and 07-17; here the 05-26 one is moved
    # to 05-25, so two actions share a date
    case = answers_file(tmp_path / "cases", "SCH-MANY", "2026-05-11")
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    dates = [str(a["by"]) for need in data["plan"]["needs"] for a in need["actions"]]
    assert sorted(dates)[:4] == ["2026-05-18", "2026-05-25", "2026-05-26", "2026-05-29"]
    for need in data["plan"]["needs"]:
        for action in need["actions"]:
            if str(action["by"]) == "2026-05-26":
                action["by"] = "2026-05-25"
    case.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    assess(neglect, case, tmp_path)

    queue = caseload(neglect, "--as-of", "2026-06-01")
    why = (
        "4 plan actions overdue, due by 2026-05-18, 2026-05-25 (×2) and 2026-05-29; "
        "no review since: the earliest overdue by 14 days"
    )
    assert entries(queue, "actions_overdue") == [("SCH-MANY", why)]
    (entry,) = queue["sections"]["actions_overdue"]["entries"]
    assert (entry["dates"], entry["days"]) == (["2026-05-18", "2026-05-25", "2026-05-25", "2026-05-29"], 14)
    # one date passed: the line reads as before
    assert entries(caseload(neglect, "--as-of", "2026-05-20"), "actions_overdue") == [
        ("SCH-MANY", "plan action due by 2026-05-18 and no review since: overdue by 2 days")
    ]
    # at 80 columns, every date is on the screen, the line wrapped under the child
    monkeypatch.setenv("COLUMNS", "80")
    ran = neglect("caseload", "--as-of", "2026-06-01")
    shown = ran.stdout.split("Plans: actions overdue, not yet reviewed: 1\n", 1)[1].split("\n\n", 1)[0]
    assert all(len(line) <= 80 for line in shown.splitlines()), shown
    assert " ".join(shown.split()).endswith(why)
