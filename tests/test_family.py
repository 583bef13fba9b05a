"""`neglect family`: the trainer family FAM-TRAIN-17 (three children at different levels, one chronology),
links, flags, and the pages in a real browser. On SQLite and on a real PostgreSQL server (`store_url`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import CASES, Neglect
from helpers.browser import browser, screenshot
from helpers.storecases import make_record

FAMILY = "FAM-TRAIN-17"
CHILDREN = {
    "TRAIN-017A": "17a-family-eldest-school-age.yaml",
    "TRAIN-017B": "17b-family-middle-not-brought.yaml",
    "TRAIN-017C": "17c-family-youngest.yaml",
}
CHRONOLOGY = CASES / "17b-family-middle-chronology.csv"


def trainer_family(neglect: Neglect, tmp_path: Path) -> None:
    """The three trainer cases assessed (stored as training records), linked, and 17b's chronology imported."""
    for ref, case in CHILDREN.items():
        ran = neglect("assess", "--answers", CASES / case, "--out", tmp_path / f"{ref}.json")
        assert ran.exit_code == 0, ran.stderr
    ran = neglect("family", "link", FAMILY, *CHILDREN, "--by", "E. Trainer")
    assert ran.exit_code == 0 and "3 linked now, 3 in all" in ran.stderr, ran.stderr
    ran = neglect("chronology", "import", "TRAIN-017B", CHRONOLOGY, "--by", "E. Trainer")
    assert ran.exit_code == 0 and "9 entries added" in ran.stderr, ran.stderr


def as_json(neglect: Neglect, *args: str) -> Any:
    ran = neglect(*args, "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    return json.loads(ran.stdout)


def test_the_chronology_makes_the_not_brought_count_and_duration_the_case_records(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    trainer_family(neglect, tmp_path)
    case = yaml.safe_load((CASES / CHILDREN["TRAIN-017B"]).read_text(encoding="utf-8"))
    assessed_on = str(case["case"]["assessed_on"])
    data = as_json(neglect, "chronology", "show", "TRAIN-017B", "--as-of", assessed_on, "--training")
    summary = data["summary"]
    # three appointments in the 12 months to 2026-09-14 (the one in August 2025 is older), concerns from July 2025
    assert summary["not_brought_12_months"] == 3 == case["context"]["not_brought_count"]
    assert summary["first_concern_on"] == "2025-07-10"
    assert summary["concern_months"] == 14 == case["context"]["concern_duration_months"]
    assert summary["by_category"]["not-brought"] == 4
    # the assessment is in the chronology by itself, with its level
    (assessment,) = [e for e in data["entries"] if e["category"] == "assessment"]
    assert (assessment["occurred_on"], assessment["level"]) == ("2026-09-14", "Level 4 — child protection")
    # training assessments are left out unless asked, like history
    plain = as_json(neglect, "chronology", "show", "TRAIN-017B")
    assert [e for e in plain["entries"] if e["category"] == "assessment"] == []


def test_the_family_shows_each_child_side_by_side_and_flags_the_child_not_reassessed(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    trainer_family(neglect, tmp_path)
    view = as_json(neglect, "family", FAMILY, "--training", "--as-of", "2026-09-21")
    children = {c["case_ref"]: c for c in view["children"]}
    assert [c["case_ref"] for c in view["children"]] == ["TRAIN-017A", "TRAIN-017B", "TRAIN-017C"]  # eldest first
    assert {ref: c["level"] for ref, c in children.items()} == {
        "TRAIN-017A": "Level 3 — child in need",
        "TRAIN-017B": "Level 4 — child protection",
        "TRAIN-017C": "Level 2 — early help",
    }
    # ages now: 110 months on 2026-09-21; 42 + 0; 30 + 6 months since March
    assert {ref: c["age"] for ref, c in children.items()} == {
        "TRAIN-017A": "9 years 2 months",
        "TRAIN-017B": "3 years 6 months",
        "TRAIN-017C": "3 years",
    }
    assert children["TRAIN-017C"]["review_due"] == "2026-05-25"  # 2026-03-02 + Level 2's 12 weeks
    assert "URGENT engagement-concern" in children["TRAIN-017B"]["prompts"]
    assert dict(children["TRAIN-017A"]["domains"])["Education and learning"] == "Level 3 — child in need"
    assert all(c["seen_alone"] is True for c in view["children"])  # the trainer cases see each child alone
    assert view["flags"] == [
        "TRAIN-017C was last assessed on 2026-03-02; their review was due 2026-05-25, before TRAIN-017A was "
        "assessed on 2026-09-21: assess TRAIN-017C too."
    ]
    assert view["household"] == ["Mother", "Partner A"]  # the trainer cases record the household (review 6)


def test_the_family_page_fits_80_columns_and_names_the_adults_recorded(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trainer_family(neglect, tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    ran = neglect("family", FAMILY, "--training", "--as-of", "2026-09-21")
    assert ran.exit_code == 0, ran.stderr
    assert max(len(line) for line in ran.stdout.splitlines()) <= 80
    assert "Seen alone" in ran.stdout
    assert "Adults in the household: Mother, Partner A" in " ".join(ran.stdout.split())
    # the table counts each child's open prompts; the ids follow in full, never cut in two
    assert "| 4 urgent " in ran.stdout and "chronic-neglect-unchanged" in ran.stdout
    md = neglect("family", "show", FAMILY, "--training", "--as-of", "2026-09-21", "--format", "markdown").stdout
    assert "| **Level** | Level 3 — child in need | Level 4 — child protection | Level 2 — early help |" in md


def test_a_family_whose_records_have_no_household_says_its_adults_are_not_recorded(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # two of the trainer children as their cases were before they recorded the household (review 6)
    for ref, case in (("NOHH-A", CHILDREN["TRAIN-017A"]), ("NOHH-C", CHILDREN["TRAIN-017C"])):
        answers = yaml.safe_load((CASES / case).read_text(encoding="utf-8"))
        for key in ("household", "training", "expect"):
            answers.pop(key, None)
        answers["case"]["ref"] = ref
        (tmp_path / f"{ref}.yaml").write_text(yaml.safe_dump(answers, sort_keys=False), encoding="utf-8")
        ran = neglect("assess", "--answers", tmp_path / f"{ref}.yaml", "--out", tmp_path / f"{ref}.json")
        assert ran.exit_code == 0, ran.stderr
        assert "household" not in json.loads((tmp_path / f"{ref}.json").read_text(encoding="utf-8"))
    assert neglect("family", "link", "FAM-NOHH", "NOHH-A", "NOHH-C").exit_code == 0
    monkeypatch.setenv("COLUMNS", "80")

    for fmt in ("terminal", "markdown", "html"):
        ran = neglect("family", "show", "FAM-NOHH", "--as-of", "2026-09-21", "--format", fmt)
        assert ran.exit_code == 0, ran.stderr
        assert "Adults in the household: not recorded in these records" in " ".join(ran.stdout.split()), fmt
    assert as_json(neglect, "family", "show", "FAM-NOHH", "--as-of", "2026-09-21")["household"] is None


def store_record_with_child(case_ref: str, assessed_on: str, **child: Any) -> None:
    """Seal a record of `case_ref` whose child's-world part (`child`) says what is given, into the store in use."""
    from neglect_cli.record import seal, signing_key
    from neglect_cli.recordstore import open_store

    body = {k: v for k, v in make_record(case_ref, assessed_on).items() if k != "integrity"}
    body["child"] = dict(body["child"], **child)
    opened = open_store()
    try:
        opened.save(seal(body, signing_key()))
    finally:
        opened.close()


def test_a_child_never_assessed_or_not_seen_alone_is_flagged(neglect: Neglect, store_url: str) -> None:
    # a record whose child's-world part says the child was not seen alone (the part issue 14 adds)
    store_record_with_child("SCH-21", "2026-10-05", seen_alone=False)
    assert neglect("family", "link", "FAM-2", "SCH-21", "SCH-22").exit_code == 0
    view = as_json(neglect, "family", "FAM-2")
    assert view["flags"] == [
        # last seen 152 days before: not seen at all for it, which says more than "not seen alone" (review 7, 5)
        "SCH-21 was not seen for the latest assessment (2026-10-05; last seen 2026-05-06, 152 days before).",
        "SCH-22 has no assessment in the store, while SCH-21 was assessed on 2026-10-05: children under the "
        "same care are assessed together.",
    ]
    assert [c["seen_alone"] for c in view["children"]] == [False, None]


def test_a_child_seen_alone_only_long_before_the_assessment_is_flagged(neglect: Neglect, store_url: str) -> None:
    """Seen alone, but last seen more than 9 weeks before the assessment: not seen alone for it (review 6)."""
    store_record_with_child("SCH-41", "2026-10-05", seen=True, seen_alone=True, seen_on=["2026-08-02"])  # 64 days
    assert neglect("family", "link", "FAM-4", "SCH-41").exit_code == 0
    view = as_json(neglect, "family", "FAM-4")
    assert view["flags"] == [
        "SCH-41 was not seen for the latest assessment (2026-10-05; last seen 2026-08-02, 64 days before)."
    ]
    assert [c["seen_alone"] for c in view["children"]] == [False]


def store_record_with_household(case_ref: str, assessed_on: str, household: list[dict[str, Any]]) -> None:
    from neglect_cli.record import seal, signing_key
    from neglect_cli.recordstore import open_store

    body = {k: v for k, v in make_record(case_ref, assessed_on).items() if k != "integrity"}
    body["household"] = household
    opened = open_store()
    try:
        opened.save(seal(body, signing_key()))
    finally:
        opened.close()


def test_a_child_no_adult_in_the_household_lives_with_is_flagged(neglect: Neglect, store_url: str) -> None:
    """Review 8, 7b: a 16-year-old on friends' sofas, his mother not living with him; his brother lives with her."""
    adult = {"role": "mother", "label": "Mother", "seen": True, "spoken_to": True, "engagement": "not_engaging"}
    store_record_with_household("SCH-51", "2026-10-05", [adult | {"lives_with_child": False}])
    store_record_with_household("SCH-52", "2026-10-05", [adult | {"lives_with_child": True}])
    assert neglect("family", "link", "FAM-5", "SCH-51", "SCH-52").exit_code == 0
    view = as_json(neglect, "family", "FAM-5")
    said = (
        "SCH-51: no adult is recorded as living with them at the latest assessment (2026-10-05): find out who is "
        "responsible for them, and where they will sleep tonight."
    )
    assert [flag for flag in view["flags"] if "living with" in flag] == [said]
    assert {c["case_ref"]: c["nobody_lives_with"] for c in view["children"]} == {"SCH-51": True, "SCH-52": False}
    for fmt in ("terminal", "markdown", "html"):
        ran = neglect("family", "FAM-5", "--format", fmt)
        assert ran.exit_code == 0, ran.stderr
        assert said in " ".join(ran.stdout.split()).replace("&#x27;", "'"), fmt


@pytest.mark.parametrize(("alone_on", "alone"), [("2026-08-03", True), ("2026-08-02", False)], ids=["63", "64"])
def test_the_family_reads_the_dates_the_child_was_seen_alone(
    neglect: Neglect, store_url: str, alone_on: str, alone: bool
) -> None:
    """Review 6, 3.5: seen with the parents 5 days before the assessment, and on their own on `alone_on` (63 or 64
    days before): the latest date seen alone counts, as the rules and the report read it, and is shown."""
    store_record_with_child(
        "SCH-51", "2026-10-05", seen=True, seen_alone=True, seen_on=[alone_on, "2026-09-30"], seen_alone_on=[alone_on]
    )
    assert neglect("family", "link", "FAM-5", "SCH-51").exit_code == 0
    view = as_json(neglect, "family", "FAM-5")
    assert [(c["seen_alone"], c["last_seen_alone"]) for c in view["children"]] == [(alone, alone_on)]
    flag = f"SCH-51 was not seen alone at the latest assessment (2026-10-05; last seen on their own {alone_on})."
    assert view["flags"] == ([] if alone else [flag])
    page = neglect("family", "FAM-5").stdout
    assert (f"yes (last {alone_on})" if alone else f"NO (last on their own {alone_on})") in page


def test_link_and_unlink_are_kept_in_the_store(neglect: Neglect, store_url: str) -> None:
    assert neglect("family", "link", "FAM-3", "SCH-31", "SCH-32").exit_code == 0
    again = neglect("family", "link", "FAM-3", "SCH-32", "SCH-33")
    assert "family FAM-3: 1 linked now, 3 in all" in again.stderr
    gone = neglect("family", "unlink", "FAM-3", "SCH-31")
    assert gone.exit_code == 0 and "family FAM-3: 1 unlinked, 2 left" in gone.stderr
    assert [c["case_ref"] for c in as_json(neglect, "family", "FAM-3")["children"]] == ["SCH-32", "SCH-33"]
    none = neglect("family", "unlink", "FAM-3", "SCH-31")
    assert none.exit_code == 2 and "none of these children is linked to family FAM-3" in none.stderr
    empty = neglect("family", "FAM-9")
    assert empty.exit_code == 2 and "no children are linked to family FAM-9" in empty.stderr
    long_ref = neglect("family", "link", "F" * 300, "SCH-1")
    assert long_ref.exit_code == 2 and "the family reference is 300 characters long" in long_ref.stderr


# --- in a real browser --------------------------------------------------------------------------




def test_chromium_draws_the_timeline_and_the_family_page(neglect: Neglect, tmp_path: Path) -> None:
    browser()
    trainer_family(neglect, tmp_path)
    timeline = tmp_path / "chronology.html"
    family = tmp_path / "family.html"
    assert neglect("chronology", "show", "TRAIN-017B", "--training", "--out", timeline).exit_code == 0
    assert neglect("family", FAMILY, "--training", "--as-of", "2026-09-21", "--out", family).exit_code == 0
    page = timeline.read_text(encoding="utf-8")
    assert page.count("<path d=\"M") >= 8  # a diamond for each of the nine events but the plan bar's lane
    ink, colour = screenshot(timeline, tmp_path / "t")
    assert ink > 20_000, "the timeline page is blank"
    assert colour > 400, "no coloured markers or level drawn"
    ink, colour = screenshot(family, tmp_path / "f")
    assert ink > 20_000, "the family page is blank"
    assert colour > 400, "no level badges in their colours"
