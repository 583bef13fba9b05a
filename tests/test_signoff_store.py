"""Sign-offs in the record store (schema 4): `neglect signoff CASE` keeps the sign-off in the store, and
`store export`, `store import` and `store check` carry it, on SQLite and PostgreSQL (issue 16)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import TESTS, Neglect
from neglect_cli.storeinfo import SCHEMA_VERSION

PLANS = TESTS / "fixtures" / "plans"
CASE = PLANS / "signoff-case.yaml"
SIGNOFF: dict[str, Any] = {
    "agrees": True,
    "why": "The food gap is long-standing and the plan is specific; the level is right.",
    "decision": "continue",
    "role": "Team manager",
    "name": "T. Manager",
    "signed_on": "2026-11-20",
}


@pytest.fixture(autouse=True)
def plans_tool_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(PLANS))


def signed_case(neglect: Neglect, tmp_path: Path, **changes: Any) -> Path:
    """PLAN-002 assessed (so stored) and signed off by case ref; returns its record file."""
    record = tmp_path / "records" / "PLAN-002_2026-11-02.json"
    record.parent.mkdir(exist_ok=True)
    ran = neglect("assess", "--answers", CASE, "--out", record)
    assert ran.exit_code == 0, ran.output
    answers = tmp_path / "signoff.yaml"
    answers.write_text(yaml.safe_dump({**SIGNOFF, **changes}, sort_keys=False), encoding="utf-8")
    ran = neglect("signoff", "PLAN-002", "--answers", answers, "--out", tmp_path / "given.signoff.json", "--force")
    assert ran.exit_code == 0, ran.output
    assert "as sign-off #" in ran.stderr
    return record


def check(neglect: Neglect, *store: str) -> dict[str, Any]:
    ran = neglect("store", "check", "--format", "json", *store)
    data: dict[str, Any] = json.loads(ran.stdout)
    data["exit_code"] = ran.exit_code
    return data


def test_a_signoff_of_a_stored_case_is_kept_in_the_store(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    signed_case(neglect, tmp_path)
    data = check(neglect)
    assert (data["checked"], data["signoffs"], data["problems"], data["exit_code"]) == (1, 1, [], 0)
    text = neglect("store", "check")
    assert "1 record and 1 sign-off checked in " + data["store"] + ": all ok\n" in text.stdout


def test_export_writes_the_signoff_beside_its_record_and_import_brings_both_back(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    signed_case(neglect, tmp_path)
    later = {**SIGNOFF, "agrees": False, "decision": "step_up", "why": "Hunger is worse than the plan allows for."}
    answers = tmp_path / "later.yaml"
    answers.write_text(yaml.safe_dump(later, sort_keys=False), encoding="utf-8")
    again = neglect("signoff", "PLAN-002", "--answers", answers, "--out", tmp_path / "later.signoff.json")
    assert again.exit_code == 0, again.output

    out = tmp_path / "exported"
    ran = neglect("store", "export", "PLAN-002", out, "--training")
    assert ran.exit_code == 0, ran.output
    assert "1 record and 2 sign-offs written to" in ran.stderr
    (record,) = [p for p in out.iterdir() if not p.name.endswith(".signoff.json")]
    beside = out / record.name.replace(".json", ".signoff.json")
    earlier = out / record.name.replace(".json", ".earlier-1.signoff.json")
    # the sign-off in force (the newest) is the one `verify` and `report` read beside the record
    assert json.loads(beside.read_text(encoding="utf-8"))["signoff"]["decision"] == "step_up"
    assert json.loads(earlier.read_text(encoding="utf-8"))["signoff"]["decision"] == "continue"
    assert beside.stat().st_mode & 0o777 == 0o600
    assert neglect("verify", record).exit_code == 0
    assert "DISAGREES with the level of need" in neglect("report", record, "--format", "md").stdout

    fresh = str(tmp_path / "fresh.sqlite3")
    ran = neglect("store", "import", out, "--store", fresh, "--format", "json")
    assert ran.exit_code == 0, ran.output
    counts = json.loads(ran.stdout)
    assert (counts["imported"], counts["signoffs"], counts["refused"], counts["files"]) == (1, 2, 0, 3)
    data = check(neglect, "--store", fresh)
    assert (data["checked"], data["signoffs"], data["problems"]) == (1, 2, [])
    # importing the same files again adds nothing
    ran = neglect("store", "import", out, "--store", fresh, "--format", "json")
    assert ran.exit_code == 0 and json.loads(ran.stdout)["duplicates"] == 1
    assert check(neglect, "--store", fresh)["signoffs"] == 2


def test_a_signoff_whose_record_is_not_in_the_store_is_refused_on_import(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    signed_case(neglect, tmp_path)
    given = tmp_path / "given.signoff.json"
    ran = neglect("store", "import", given, "--store", str(tmp_path / "empty.sqlite3"))
    assert ran.exit_code == 2
    assert "the record this sign-off names is not in the store" in ran.stderr
    assert "0 imported, 0 sign-offs, 0 already in the store, 1 refused (of 1 file)" in ran.stderr


def test_store_check_finds_a_signoff_changed_in_the_store(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    import sqlalchemy as sa

    signed_case(neglect, tmp_path)
    url = (
        store_url.replace("postgresql://", "postgresql+psycopg://") if "://" in store_url else f"sqlite:///{store_url}"
    )
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        body = json.loads(conn.execute(sa.text("SELECT body FROM signoffs")).scalar_one())
        body["signoff"]["agrees"] = False  # edited after it was sealed
        conn.execute(sa.text("UPDATE signoffs SET body = :b"), {"b": json.dumps(body)})
    engine.dispose()
    data = check(neglect)
    assert data["exit_code"] == 1
    assert data["problems"] == [
        {"signoff": 1, "problems": ["sign-off: integrity hash does not match: it was changed after it was written"]}
    ]


def test_a_schema_3_store_gains_signoffs_and_the_plans_columns(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    import datetime as dt

    from neglect_cli.answers import load_answers
    from neglect_cli.record import assess_answers
    from neglect_cli.recordstore import RecordStore

    _, record = assess_answers(
        load_answers(CASE, today=dt.date(2026, 11, 24)), now=dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    )
    old = RecordStore(store_url, upgrade_to=3)  # the store as schema 3 made it
    old.save(record.as_json())
    old.close()
    ran = neglect("caseload", "--format", "json", "--training", "--as-of", "2026-11-24")
    assert ran.exit_code == 0, ran.stderr
    assert f"upgraded from schema 3 to {SCHEMA_VERSION}" in ran.stderr
    sections = json.loads(ran.stdout)["sections"]
    # the plan's first action was due 2026-11-09: worked out from the record's JSON on upgrade
    assert [e["case_ref"] for e in sections["actions_overdue"]["entries"]] == ["PLAN-002"]
    answers = tmp_path / "signoff.yaml"
    answers.write_text(yaml.safe_dump(SIGNOFF, sort_keys=False), encoding="utf-8")
    ran = neglect("signoff", "PLAN-002", "--answers", answers, "--out", tmp_path / "s.signoff.json")
    assert ran.exit_code == 0, ran.output
    assert check(neglect)["signoffs"] == 1


def test_a_signoff_of_a_record_file_the_store_holds_is_saved_in_the_store_too(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    record = tmp_path / "records" / "PLAN-002_2026-11-02.json"
    record.parent.mkdir()
    assert neglect("assess", "--answers", CASE, "--out", record).exit_code == 0  # written and stored
    answers = tmp_path / "signoff.yaml"
    answers.write_text(yaml.safe_dump(SIGNOFF, sort_keys=False), encoding="utf-8")
    ran = neglect("signoff", record, "--answers", answers)
    assert ran.exit_code == 0, ran.output
    data = check(neglect)
    assert f"sign-off written: {record.with_name('PLAN-002_2026-11-02.signoff.json')}" in ran.stderr
    assert f"stored in {data['store']} as sign-off #1\n" in ran.stderr
    assert (data["checked"], data["signoffs"], data["problems"]) == (1, 1, [])
    # the same sign-off again (the clock is pinned: the same addendum) is not stored twice
    again = neglect("signoff", record, "--answers", answers, "--force")
    assert again.exit_code == 0, again.output
    assert "as sign-off #1 (already there)" in again.stderr
    assert check(neglect)["signoffs"] == 1
    # caseload reads it: the record is no longer waiting for a sign-off
    ran = neglect("caseload", "--format", "json", "--training", "--as-of", "2026-12-24")
    assert json.loads(ran.stdout)["sections"]["signoff_waiting"]["entries"] == []


def test_a_signoff_of_a_record_file_the_store_does_not_hold_is_only_a_file(
    neglect: Neglect, store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from neglect_cli.recordstore import RecordStore

    record = tmp_path / "PLAN-002_2026-11-02.json"
    monkeypatch.setenv("NEGLECT_STORE", str(tmp_path / "elsewhere.sqlite3"))
    assert neglect("assess", "--answers", CASE, "--out", record).exit_code == 0  # stored elsewhere
    answers = tmp_path / "signoff.yaml"
    answers.write_text(yaml.safe_dump(SIGNOFF, sort_keys=False), encoding="utf-8")
    RecordStore(store_url).close()  # a store that holds other children, not this record
    monkeypatch.setenv("NEGLECT_STORE", store_url)
    ran = neglect("signoff", record, "--answers", answers)
    assert ran.exit_code == 0, ran.output
    assert "sign-off written:" in ran.stderr and "stored in" not in ran.stderr
    assert check(neglect)["signoffs"] == 0
    # no store at all: the file only, and no store is made
    monkeypatch.setenv("NEGLECT_STORE", str(tmp_path / "none-yet.sqlite3"))
    ran = neglect("signoff", record, "--answers", answers, "--force")
    assert ran.exit_code == 0, ran.output
    assert "stored in" not in ran.stderr and "warning" not in ran.stderr
    assert not (tmp_path / "none-yet.sqlite3").exists()


def test_a_schema_4_store_gains_the_plans_action_dates(neglect: Neglect, store_url: str) -> None:
    import datetime as dt

    import sqlalchemy as sa

    from neglect_cli.answers import load_answers
    from neglect_cli.record import assess_answers
    from neglect_cli.recordstore import RecordStore

    _, record = assess_answers(
        load_answers(CASE, today=dt.date(2026, 11, 24)), now=dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    )
    old = RecordStore(store_url, upgrade_to=4)  # the store as schema 4 made it
    old.save(record.as_json())
    old.close()
    ran = neglect("store", "where")
    assert ran.exit_code == 0 and f"upgraded from schema 4 to {SCHEMA_VERSION}" in ran.stderr
    assert f"(schema {SCHEMA_VERSION})" in ran.stdout
    dates = sorted(str(a.by) for need in (record.plan.needs if record.plan else []) for a in need.actions)
    assert dates  # the case's plan has actions
    url = (
        store_url.replace("postgresql://", "postgresql+psycopg://") if "://" in store_url else f"sqlite:///{store_url}"
    )
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        stored = conn.execute(sa.text("SELECT plan_first_by, plan_dates FROM records")).one()
    engine.dispose()
    assert tuple(stored) == (dates[0], ",".join(dates))
