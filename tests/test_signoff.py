"""`neglect signoff`: the supervisor's sign-off, an addendum linked to the sealed record by its hash (issue 16)."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import TESTS, Neglect

PLANS = TESTS / "fixtures" / "plans"
CASE = PLANS / "signoff-case.yaml"
SIGNOFF: dict[str, Any] = {
    "agrees": True,
    "why": "The food and dental gaps are long-standing and the plan is specific; the level is right.",
    "decision": "continue",
    "reflection": [{"prompt": "What would change my view?", "note": "The school seeing no hunger for a month."}],
    "role": "Team manager",
    "name": "T. Manager",
    "signed_on": "2026-11-20",
}


@pytest.fixture(autouse=True)
def plans_tool_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(PLANS))


@pytest.fixture
def record(neglect: Neglect, tmp_path: Path) -> Path:
    path = tmp_path / "PLAN-002_2026-11-02.json"
    ran = neglect("assess", "--answers", CASE, "--out", path)
    assert ran.exit_code == 0, ran.output
    return path


def signoff_file(tmp_path: Path, **changes: Any) -> Path:
    path = tmp_path / "signoff.yaml"
    path.write_text(yaml.safe_dump({**SIGNOFF, **changes}, sort_keys=False), encoding="utf-8")
    return path


def test_a_signoff_is_written_beside_the_record_and_the_record_never_changes(
    neglect: Neglect, tmp_path: Path, record: Path
) -> None:
    before = record.read_bytes()
    ran = neglect("signoff", record, "--answers", signoff_file(tmp_path))
    assert ran.exit_code == 0, ran.output
    addendum = tmp_path / "PLAN-002_2026-11-02.signoff.json"
    assert stat.S_IMODE(addendum.stat().st_mode) == 0o600
    assert record.read_bytes() == before
    data = json.loads(addendum.read_text(encoding="utf-8"))
    assert data["schema"] == "neglect-signoff/1"
    assert data["record"] == {
        "sha256": json.loads(before)["integrity"]["sha256"],
        "case_ref": "PLAN-002",
        "assessed_on": "2026-11-02",
        "band": "top",
    }
    assert data["signoff"]["decision"] == "continue" and data["signoff"]["name"] == "T. Manager"
    assert neglect("verify", record).exit_code == 0
    assert neglect("verify", addendum).output.strip().endswith("ok")


def test_verify_finds_a_signoff_that_names_another_record(neglect: Neglect, tmp_path: Path, record: Path) -> None:
    from neglect_cli.record import seal

    neglect("signoff", record, "--answers", signoff_file(tmp_path))
    body = json.loads(record.read_text(encoding="utf-8"))
    body.pop("integrity")
    body["case"]["assessor"] = "Someone else"
    record.write_text(json.dumps(seal(body)), encoding="utf-8")  # a different, validly sealed record
    ran = neglect("verify", record)
    assert ran.exit_code == 1
    assert "sign-off: it names another record" in ran.output


def test_verify_finds_a_signoff_changed_after_it_was_written(neglect: Neglect, tmp_path: Path, record: Path) -> None:
    neglect("signoff", record, "--answers", signoff_file(tmp_path))
    addendum = tmp_path / "PLAN-002_2026-11-02.signoff.json"
    addendum.write_text(addendum.read_text(encoding="utf-8").replace('"continue"', '"close"'), encoding="utf-8")
    ran = neglect("verify", addendum)
    assert ran.exit_code == 1 and "sign-off: integrity hash does not match" in ran.output
    assert "sign-off: integrity hash does not match" in neglect("verify", record).output


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"why": " "}, "signoff.yaml:2:1: why: say why you agree or disagree with the level"),
        ({"decision": "wait"}, "decision: Input should be 'continue', 'step_up', 'step_down', 'strategy_discussion'"),
        ({"signed_on": "2026-10-01"}, "signed_on: the sign-off is dated before the assessment (2026-11-02)"),
        ({"signed_on": "2027-01-01"}, "signed_on: the date of the sign-off is in the future"),
        ({"name": ""}, "name: give your name: a sign-off is a person's decision"),
        ({"reflection": [{"prompt": "Is it raining?", "note": "x"}]}, "not one of the record's reflection prompts"),
    ],
)
def test_a_bad_signoff_file_is_refused_with_its_line_and_nothing_is_written(
    neglect: Neglect, tmp_path: Path, record: Path, changes: dict[str, Any], message: str
) -> None:
    ran = neglect("signoff", record, "--answers", signoff_file(tmp_path, **changes))
    assert ran.exit_code == 2, ran.output
    assert message in ran.stderr
    assert not (tmp_path / "PLAN-002_2026-11-02.signoff.json").exists()


def test_an_earlier_signoff_is_replaced_only_with_force(neglect: Neglect, tmp_path: Path, record: Path) -> None:
    assert neglect("signoff", record, "--answers", signoff_file(tmp_path)).exit_code == 0
    again = neglect("signoff", record, "--answers", signoff_file(tmp_path, decision="step_up"))
    assert again.exit_code == 2 and "already holds a sign-off; --force replaces it" in again.stderr
    assert neglect("signoff", record, "--answers", signoff_file(tmp_path, decision="step_up"), "--force").exit_code == 0


def test_a_record_that_fails_verify_cannot_be_signed_off(neglect: Neglect, tmp_path: Path, record: Path) -> None:
    record.write_text(record.read_text(encoding="utf-8").replace('"top"', '"low"', 1), encoding="utf-8")
    ran = neglect("signoff", record, "--answers", signoff_file(tmp_path))
    assert ran.exit_code == 2 and "cannot be signed off" in ran.stderr


def test_a_folder_of_records_with_signoffs_still_trends(neglect: Neglect, tmp_path: Path, record: Path) -> None:
    neglect("signoff", record, "--answers", signoff_file(tmp_path))
    assert neglect("assess", "--answers", CASE, "--out", tmp_path / "PLAN-002_again.json").exit_code == 0
    ran = neglect("trend", tmp_path)
    assert ran.exit_code == 0, ran.output


def test_a_case_in_the_store_is_signed_off_into_the_current_folder(
    neglect: Neglect, tmp_path: Path, record: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    ran = neglect("signoff", "PLAN-002", "--answers", signoff_file(tmp_path))
    assert ran.exit_code == 0, ran.output
    written = tmp_path / "elsewhere" / "PLAN-002_2026-11-02.signoff.json"
    linked = json.loads(written.read_text(encoding="utf-8"))["record"]["sha256"]
    assert linked == json.loads(record.read_text(encoding="utf-8"))["integrity"]["sha256"]


@pytest.mark.parametrize("fmt", ["md", "html", "terminal"])
def test_reports_show_the_plan_table_and_the_signoff(neglect: Neglect, tmp_path: Path, record: Path, fmt: str) -> None:
    neglect("signoff", record, "--answers", signoff_file(tmp_path, agrees=False, decision="step_up"))
    ran = neglect("report", record, "--format", fmt)
    assert ran.exit_code == 0, ran.output
    text = " ".join(ran.stdout.split())
    if fmt == "md":
        assert "| Need | Outcome for the child | Action | Who | By when | Status |" in text
        assert "| Food | The child has breakfast and a hot meal every day" in text
    elif fmt == "html":
        assert "<th scope=\"col\">Outcome for the child</th>" in text
        # the pinned today is 2026-11-24: the action's date has passed with no review yet
        assert "<td>Social worker</td><td>2026-11-09</td><td>overdue</td>" in text
    else:
        assert "Food bank referral and help to claim free school meals — Social worker, by 2026-11-09" in text
    assert "Review by 2026-11-30" in text
    assert "Team manager (T. Manager) DISAGREES with the level of need — decision: Step up (2026-11-20)" in text
    assert "What would change my view? — The school seeing no hunger for a month." in text


def test_a_redacted_report_leaves_out_the_plans_and_signoffs_free_text(
    neglect: Neglect, tmp_path: Path, record: Path
) -> None:
    neglect("signoff", record, "--answers", signoff_file(tmp_path))
    ran = neglect("report", record, "--format", "md", "--redact")
    assert "breakfast" not in ran.stdout and "T. Manager" not in ran.stdout and "plan is specific" not in ran.stdout
    assert "Social worker" in ran.stdout and "Team manager (\\[redacted\\]) agrees" in ran.stdout


def test_a_report_warns_of_a_signoff_that_names_another_record(neglect: Neglect, tmp_path: Path, record: Path) -> None:
    from neglect_cli.record import seal

    neglect("signoff", record, "--answers", signoff_file(tmp_path))
    body = json.loads(record.read_text(encoding="utf-8"))
    body.pop("integrity")
    body["case"]["assessor"] = "Someone else"
    record.write_text(json.dumps(seal(body)), encoding="utf-8")
    ran = neglect("report", record, "--format", "md")
    assert "**Warning: sign-off: it names another record" in ran.stdout
