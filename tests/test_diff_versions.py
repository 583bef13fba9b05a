"""diff and trend across versions of neglect-core (issue 14 item 8): records written by the retired
1.1.0 and 2.0.0 tools against records written by 3.0.0, matched item by item through `formerly`."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from helpers import CASES, CORE_VERSION, TESTS, Neglect

VERSIONS = TESTS / "fixtures" / "diff" / "versions"


def words(text: str) -> str:
    return " ".join(text.split())


def assessed(neglect: Neglect, answers: Path, out: Path) -> Path:
    ran = neglect("assess", "--answers", answers, "--out", out, "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    return out


def teen_records(neglect: Neglect, tmp_path: Path) -> tuple[Path, Path]:
    old = assessed(neglect, VERSIONS / "teen-1.1.0.yaml", tmp_path / "old.json")
    new = assessed(neglect, VERSIONS / "teen-3.0.0.yaml", tmp_path / "new.json")
    assert json.loads(old.read_text())["tool"]["version"] == "1.1.0"  # written by the retired tool
    return old, new


def test_a_renamed_item_is_compared_with_its_earlier_id(neglect: Neglect, tmp_path: Path) -> None:
    old, new = teen_records(neglect, tmp_path)
    ran = neglect("diff", old, new, "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    data = json.loads(ran.stdout)
    learning = next(i for i in data["items"] if i["item"] == "educational.learning_or_work")
    assert learning["was"] == "educational.neet"
    assert (learning["old"]["value"], learning["new"]["value"], learning["change"]) == (3, 4, "value")
    assert "educational.neet" not in data["items_removed"]
    assert "educational.learning_or_work" not in data["items_added"]


def test_a_split_item_and_a_new_item_are_named_as_not_comparable(neglect: Neglect, tmp_path: Path) -> None:
    old, new = teen_records(neglect, tmp_path)
    data = json.loads(neglect("diff", old, new, "--format", "json").stdout)
    reasons = {n["item"]: (n["side"], n["reason"]) for n in data["items_not_comparable"]}
    assert reasons["physical.sleep"] == (
        "old",
        "physical.sleep was split into physical.sleep_routine and physical.settled_home by version 3.0.0",
    )
    assert reasons["physical.sleep_routine"][0] == "new"
    assert "one part of physical.sleep" in reasons["physical.sleep_routine"][1]
    assert reasons["physical.shelter"] == ("new", "physical.shelter is not in version 1.1.0")
    # items answered in both (and the renamed one) are compared, never listed as not comparable
    assert set(reasons) == {"physical.sleep", "physical.sleep_routine", "physical.settled_home", "physical.shelter"}


def test_the_terminal_and_markdown_diff_say_what_was_renamed_and_what_cannot_be_compared(
    neglect: Neglect, tmp_path: Path
) -> None:
    old, new = teen_records(neglect, tmp_path)
    shown = words(neglect("diff", old, new).stdout)
    assert "the tool version changed: OLD neglect-core 1.1.0, NEW 3.0.0" in shown
    assert "(1 renamed); 4 cannot be compared one to one" in shown
    assert "(was educational.neet)" in shown
    assert "Items that cannot be compared one to one (1.1.0 → 3.0.0):" in shown
    markdown = neglect("diff", old, new, "--format", "md").stdout
    assert "| educational.learning\\_or\\_work (was educational.neet) |" in markdown or (
        "educational.learning_or_work (was educational.neet)" in markdown
    )
    assert "- physical.sleep was split into physical.sleep\\_routine" in markdown or (
        "- physical.sleep was split into physical.sleep_routine" in markdown
    )


def test_trend_follows_a_renamed_item_and_names_what_cannot_be_compared(neglect: Neglect, tmp_path: Path) -> None:
    old, new = teen_records(neglect, tmp_path)
    ran = neglect("trend", old, new, "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    data = json.loads(ran.stdout)
    learning = next(s for s in data["items"] if s["id"] == "educational.learning_or_work")
    assert learning["was"] == ["educational.neet"] and learning["values"] == [3, 4]
    sleep = next(s for s in data["items"] if s["id"] == "physical.sleep_routine")
    assert sleep["values"] == [None, 3]  # the 1.1.0 rating covered sleep and a settled home: not carried over
    assert {n["item"] for n in data["items_not_comparable"]} == {
        "physical.sleep",
        "physical.sleep_routine",
        "physical.settled_home",
        "physical.shelter",
    }
    assert "Cannot be compared one to one: physical.sleep_routine" in words(ran.stderr)


def test_a_2_0_0_record_diffs_with_a_current_record_of_the_same_child(neglect: Neglect, tmp_path: Path) -> None:
    """A trainer case as it was written for 2.0.0, scored by the retired 2.0.0 tool, against today's."""
    case = yaml.safe_load((CASES / "03-cumulative-harm-school-age.yaml").read_text(encoding="utf-8"))
    new = assessed(neglect, CASES / "03-cumulative-harm-school-age.yaml", tmp_path / "new.json")
    case.pop("expect")  # written for the current tool
    answers = case["answers"]
    answers["physical.sleep"] = answers.pop("physical.sleep_routine")
    del answers["physical.settled_home"]
    context = case["context"]
    context["previous_neglect_plans"] = context.pop("earlier_neglect_referral")
    for fact in ("earlier_protection_plans", "earlier_early_help", "earlier_child_in_need", "siblings_elsewhere"):
        del context[fact]  # 3.0.0's history facts
    for part in ("child", "household"):
        del case[part]  # the child's world came with 3.0.0 too
    case["tool"] = "neglect-core@2.0.0"
    case["case"]["assessed_on"] = "2026-01-05"
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(case, sort_keys=False), encoding="utf-8")
    old = assessed(neglect, tmp_path / "old.yaml", tmp_path / "old.json")
    assert neglect("verify", old).exit_code == 0
    data = json.loads(neglect("diff", old, new, "--format", "json").stdout)
    assert data["old"]["tool"]["version"] == "2.0.0" and data["new"]["tool"]["version"] == CORE_VERSION
    assert {n["item"] for n in data["items_not_comparable"]} == {
        "physical.sleep",
        "physical.sleep_routine",
        "physical.settled_home",
    }
    compared = [i for i in data["items"] if i["old"] is not None and i["new"] is not None]
    old_items = json.loads(old.read_text())["answers"]
    assert len(compared) == len(old_items) - 1  # every item of 2.0.0 but the split one


def test_records_of_one_version_say_nothing_about_formerly(neglect: Neglect, tmp_path: Path) -> None:
    new = assessed(neglect, VERSIONS / "teen-3.0.0.yaml", tmp_path / "new.json")
    data = json.loads(neglect("diff", new, new, "--format", "json").stdout)
    assert data["items_not_comparable"] == [] and all(i["was"] is None for i in data["items"])
