"""Family links in `store export`, `store import` and `store check` (issue 17): each family's links written as
FAMILY.family.json (`neglect-family/1`), read back all or nothing, checked in the store; on SQLite and on a real
PostgreSQL server (`store_url`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import CASES, Neglect

FAMILY = "FAM-TRAIN-17"
CHILDREN = {
    "TRAIN-017A": "17a-family-eldest-school-age.yaml",
    "TRAIN-017B": "17b-family-middle-not-brought.yaml",
    "TRAIN-017C": "17c-family-youngest.yaml",
}


def as_json(neglect: Neglect, *args: str | Path) -> Any:
    ran = neglect(*args, "--format", "json")
    assert ran.exit_code in (0, 1), ran.output
    return json.loads(ran.stdout)


@pytest.fixture
def exported(neglect: Neglect, store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The trainer family assessed and linked in a SQLite store of its own (one child in a second family too),
    then exported with --all; NEGLECT_STORE is then set back to the test's store (`store_url`), still empty."""
    monkeypatch.setenv("NEGLECT_STORE", str(tmp_path / "source.sqlite3"))
    for ref, case in CHILDREN.items():
        ran = neglect("assess", "--answers", CASES / case, "--out", tmp_path / f"{ref}.json")
        assert ran.exit_code == 0, ran.stderr
    assert neglect("family", "link", FAMILY, *CHILDREN, "--by", "E. Trainer").exit_code == 0
    assert neglect("family", "link", "FAM-OTHER", "TRAIN-017A").exit_code == 0  # no --by: kept as null
    out = tmp_path / "exported"
    ran = neglect("store", "export", "--all", out, "--training")
    assert ran.exit_code == 0, ran.output
    assert "and 4 links of 2 families written to" in ran.stderr
    monkeypatch.setenv("NEGLECT_STORE", store_url)
    return out


def test_export_writes_each_familys_links_and_import_brings_them_back(
    neglect: Neglect, store_url: str, exported: Path, tmp_path: Path
) -> None:
    written = exported / f"{FAMILY}.family.json"
    assert written.stat().st_mode & 0o777 == 0o600
    data = json.loads(written.read_text(encoding="utf-8"))
    assert (data["schema"], data["family_ref"]) == ("neglect-family/1", FAMILY)
    assert [link["case_ref"] for link in data["links"]] == list(CHILDREN)
    assert {link["linked_by"] for link in data["links"]} == {"E. Trainer"}
    other = json.loads((exported / "FAM-OTHER.family.json").read_text(encoding="utf-8"))
    assert [(x["case_ref"], x["linked_by"]) for x in other["links"]] == [("TRAIN-017A", None)]

    counts = as_json(neglect, "store", "import", exported)
    assert (counts["family_files"], counts["family_links_imported"], counts["family_files_refused"]) == (2, 4, 0)
    assert counts["imported"] == 3  # the records came back too
    family = as_json(neglect, "family", FAMILY, "--training")
    assert sorted(child["case_ref"] for child in family["children"]) == sorted(CHILDREN)
    check = as_json(neglect, "store", "check")
    assert (check["family_links_checked"], check["family_problems"], check["problems"]) == (4, [], [])
    assert "4 family links checked: all ok" in neglect("store", "check").stdout

    # the same files again add nothing; exported again, the links are as they were (who, and when)
    again = as_json(neglect, "store", "import", exported)
    assert (again["family_links_imported"], again["family_links_duplicates"]) == (0, 4)
    round_trip = tmp_path / "again"
    assert neglect("store", "export", "--all", round_trip, "--training").exit_code == 0
    for name in (f"{FAMILY}.family.json", "FAM-OTHER.family.json"):
        assert (round_trip / name).read_bytes() == (exported / name).read_bytes()


def test_a_case_exports_only_its_own_links(neglect: Neglect, store_url: str, exported: Path, tmp_path: Path) -> None:
    assert neglect("store", "import", exported).exit_code == 0
    one = tmp_path / "one"
    ran = neglect("store", "export", "TRAIN-017A", one, "--training")
    assert ran.exit_code == 0 and "2 links of 2 families" in ran.stderr, ran.output
    for name in (f"{FAMILY}.family.json", "FAM-OTHER.family.json"):
        links = json.loads((one / name).read_text(encoding="utf-8"))["links"]
        assert [link["case_ref"] for link in links] == ["TRAIN-017A"]


def test_a_family_file_with_one_bad_link_imports_none_of_its_links(
    neglect: Neglect, store_url: str, exported: Path
) -> None:
    written = exported / f"{FAMILY}.family.json"
    data = json.loads(written.read_text(encoding="utf-8"))
    data["links"][2]["linked_at"] = "last Tuesday"
    written.write_text(json.dumps(data, indent=2), encoding="utf-8")
    ran = neglect("store", "import", exported)
    assert ran.exit_code == 2
    assert f"{written}:" in ran.stderr and "links[2].linked_at: when it was linked is not a date and time" in ran.stderr
    assert "family links: 1 imported, 0 already in the store; 1 of 2 family files refused" in ran.stderr
    family = neglect("family", FAMILY, "--training")
    assert family.exit_code == 2 and f"no children are linked to family {FAMILY}" in family.stderr


def test_store_check_finds_a_family_link_changed_in_the_store(neglect: Neglect, store_url: str, exported: Path) -> None:
    import sqlalchemy as sa

    assert neglect("store", "import", exported).exit_code == 0
    url = (
        store_url.replace("postgresql://", "postgresql+psycopg://") if "://" in store_url else f"sqlite:///{store_url}"
    )
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE family_links SET linked_at = 'soon' WHERE case_ref = 'TRAIN-017B'"))
    engine.dispose()
    check = as_json(neglect, "store", "check")
    assert check["family_problems"] == [
        {
            "family_ref": FAMILY,
            "case_ref": "TRAIN-017B",
            "problems": ["when it was linked is not a date and time (ISO 8601, e.g. 2026-11-24T10:00:00Z)"],
        }
    ]
    ran = neglect("store", "check")
    assert ran.exit_code == 1
    assert f"family link {FAMILY} / TRAIN-017B: when it was linked is not a date and time" in ran.stdout
    assert "4 family links checked: 1 with problems" in ran.stdout


def test_import_of_only_chronologies_and_family_files_says_what_was_given(
    neglect: Neglect, store_url: str, exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    monkeypatch.setenv("NEGLECT_STORE", str(tmp_path / "source.sqlite3"))
    ran = neglect("chronology", "add", "TRAIN-017A", "--by", "A. Worker", "--date", "2026-03-02",
                  "--category", "injury", "--agency", "School", "--event", "Bruise on the left arm")
    assert ran.exit_code == 0, ran.stderr
    assert neglect("store", "export", "TRAIN-017A", tmp_path / "chronology", "--training").exit_code == 0
    monkeypatch.setenv("NEGLECT_STORE", store_url)
    only = tmp_path / "only"
    only.mkdir()
    for written in [*exported.glob("*.family.json"), *(tmp_path / "chronology").glob("*.chronology.json")]:
        shutil.copy(written, only)

    ran = neglect("store", "import", only)
    assert ran.exit_code == 0, ran.stderr
    lines = ran.stderr.splitlines()
    assert lines[0].startswith("1 chronology and 2 family files given, no records: into "), lines
    assert "0 imported," not in ran.stderr and "(of 0 files)" not in ran.stderr
    assert "chronology entries: 1 imported, 0 already in the store; 0 of 1 chronology refused" in lines
    assert "family links: 4 imported, 0 already in the store; 0 of 2 family files refused" in lines

    (only / "TRAIN-017A.chronology.json").unlink()
    ran = neglect("store", "import", only)
    assert ran.exit_code == 0 and ran.stderr.startswith("2 family files given, no records: into "), ran.stderr

    (tmp_path / "empty").mkdir()
    ran = neglect("store", "import", tmp_path / "empty")
    assert ran.exit_code == 0, ran.stderr
    assert ran.stderr.startswith("nothing to import: no record, chronology (*.chronology.json), sign-off"), ran.stderr
    assert "is unchanged" in ran.stderr and "0 imported" not in ran.stderr


def test_refs_that_read_the_same_as_file_names_are_exported_side_by_side(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the independent check (hostile2): `A/B` and `A_B` both read `A_B` as a file name; the second was refused
    # as "already exists" by the export's own first file, so `store export --all` (the backup) failed half-way
    monkeypatch.setenv("NEGLECT_STORE", str(tmp_path / "one.sqlite3"))
    for ref in ("A/B", "A_B"):
        added = neglect(
            "chronology", "add", ref, "--date", "03/06/2026", "--category", "other", "--agency", "School",
            "--event", "Event", "--impact", "Impact", "--by", "A. Worker",
        )  # fmt: skip
        assert added.exit_code == 0, added.output
    assert neglect("family", "link", "F/1", "A/B", "--by", "A. Worker").exit_code == 0
    assert neglect("family", "link", "F_1", "A_B", "--by", "A. Worker").exit_code == 0
    ran = neglect("store", "export", "--all", tmp_path / "backup")
    assert ran.exit_code == 0, ran.output
    names = sorted(p.name for p in (tmp_path / "backup").iterdir())
    assert names == ["A_B.chronology.json", "A_B_2.chronology.json", "F_1.family.json", "F_1_2.family.json"]
    again = neglect("store", "export", "--all", tmp_path / "backup")
    assert again.exit_code == 2 and "already exists; export into an empty folder" in again.stderr

    monkeypatch.setenv("NEGLECT_STORE", str(tmp_path / "two.sqlite3"))
    ran = neglect("store", "import", tmp_path / "backup")
    assert ran.exit_code == 0, ran.output
    for ref in ("A/B", "A_B"):
        assert as_json(neglect, "chronology", "show", ref, "--format", "json")["case_ref"] == ref
    assert [c["case_ref"] for c in as_json(neglect, "family", "F/1", "--format", "json")["children"]] == ["A/B"]
