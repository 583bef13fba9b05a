"""`neglect chronology add|import|show`: a child's events over time, in the record store (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import Neglect
from helpers.storecases import make_record, write_record

HEADER = "date,source agency,event,impact on the child,category\n"
MARKER = "ZQXJ"


def csv_file(tmp_path: Path, *rows: str, name: str = "chronology.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def show(neglect: Neglect, case: str, *options: str) -> dict[str, Any]:
    ran = neglect("chronology", "show", case, "--format", "json", *options)
    assert ran.exit_code == 0, ran.stderr
    data: dict[str, Any] = json.loads(ran.stdout)
    return data


def add(neglect: Neglect, case: str, *options: str) -> str:
    ran = neglect("chronology", "add", case, "--by", "A. Worker", *options)
    assert ran.exit_code == 0, ran.stderr
    return ran.stderr


def test_imported_entries_are_stored_with_the_childs_assessments_oldest_first(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    # UK and ISO dates, categories by label or id, any case
    path = csv_file(
        tmp_path,
        "05/06/2025,Health visiting,Not brought to the two-year check,Speech not checked,Not brought to an appointment",
        "2026-01-12,Children's social care,Early help plan agreed,,plan-started",
        "3/9/2025,School,Absent 9 of 20 days,Missed the start of phonics,school absence spell",
    )
    ran = neglect("chronology", "import", "SCH-0417", path, "--by", "A. Worker")
    assert ran.exit_code == 0, ran.stderr
    assert "3 entries added to the chronology of case SCH-0417" in ran.stderr
    write_record(tmp_path / "records", "a.json", make_record("SCH-0417", "2025-10-06"))
    assert neglect("store", "import", tmp_path / "records").exit_code == 0

    data = show(neglect, "SCH-0417")
    entries = data["entries"]
    assert [(e["occurred_on"], e["category"]) for e in entries] == [
        ("2025-06-05", "not-brought"),
        ("2025-09-03", "school-absence"),
        ("2025-10-06", "assessment"),  # added from the store by itself
        ("2026-01-12", "plan-started"),
    ]
    first = entries[0]
    assert (first["source_agency"], first["impact"], first["added_by"]) == (
        "Health visiting",
        "Speech not checked",
        "A. Worker",
    )
    assert first["added_at"] == "2026-11-24T00:00:00Z" and first["id"] is not None
    assessment = entries[2]
    assert assessment["level"] == "Level 2 — early help" and assessment["record_id"] is not None
    # the not-brought entry is more than 12 months before the pinned today (2026-11-24)
    assert data["summary"]["not_brought_12_months"] == 0
    assert (data["summary"]["first_concern_on"], data["summary"]["concern_months"]) == ("2025-06-05", 17)

    # the same file again adds nothing
    again = neglect("chronology", "import", "SCH-0417", path, "--by", "A. Worker")
    assert again.exit_code == 0 and "0 entries added" in again.stderr and "3 already there" in again.stderr
    assert len(show(neglect, "SCH-0417")["entries"]) == 4


def test_one_bad_row_imports_nothing_and_names_the_row_and_column(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path,
        f"05/06/2025,Health visiting,{MARKER} not brought,{MARKER},not brought",
        f"2025-07-01,Police,{MARKER} call to the home,{MARKER},police call-out",
        f"2025-07-02,School,{MARKER},{MARKER},exclusion from the moon",
        f'2025-07-03,School,"=HYPERLINK(""http://example.invalid"",""{MARKER}"")",{MARKER},school exclusion',
    )
    ran = neglect("chronology", "import", "SCH-1", path, "--by", "A. Worker")
    assert ran.exit_code == 2
    assert "chronology.csv:4: row 4, column 'category': is not a known category" in ran.stderr
    assert "chronology.csv:5: row 5, column 'event': starts with '=', which a spreadsheet reads as a formula" in (
        ran.stderr
    )
    assert "nothing was imported" in ran.stderr
    assert MARKER not in ran.output and "HYPERLINK(\"" not in ran.output
    add(neglect, "SCH-1", "--date", "2026-01-01", "--category", "other", "--agency", "GP", "--event", "Seen")
    assert [e["event"] for e in show(neglect, "SCH-1")["entries"]] == ["Seen"]


def test_a_file_over_50_mb_or_with_too_many_rows_is_refused_before_anything_is_stored(
    neglect: Neglect, tmp_path: Path
) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.write(HEADER.encode())
        handle.truncate(50 * 1024 * 1024 + 1)  # sparse: no 50 MB written to disk
    ran = neglect("chronology", "import", "SCH-1", big, "--by", "A. Worker")
    assert ran.exit_code == 2 and "big.csv: is 50 MB; a chronology file may be at most 50 MB" in ran.stderr
    many = csv_file(tmp_path, *["2025-06-05,School,Absent,Missed learning,school absence"] * 10_001, name="many.csv")
    ran = neglect("chronology", "import", "SCH-1", many, "--by", "A. Worker")
    assert ran.exit_code == 2 and "many.csv: has more than 10,000 rows" in ran.stderr


def test_a_correction_supersedes_an_entry_and_both_are_kept(neglect: Neglect, store_url: str) -> None:
    base = ("--category", "injury", "--agency", "School", "--event", "Bruise on the left arm")
    assert "entry #1 added" in add(neglect, "SCH-2", "--date", "2026-03-02", *base)
    said = add(neglect, "SCH-2", "--date", "2026-03-03", *base, "--supersedes", "1", "--reason", "wrong day typed")
    assert "entry #2 added to the chronology of case SCH-2, superseding #1 (both are kept)" in said

    (entry,) = show(neglect, "SCH-2")["entries"]
    assert (entry["id"], entry["occurred_on"], entry["supersedes"], entry["reason"]) == (
        2,
        "2026-03-03",
        1,
        "wrong day typed",
    )
    both = show(neglect, "SCH-2", "--all")["entries"]
    assert [(e["id"], e["superseded_by"]) for e in both] == [(1, 2), (2, None)]
    again = neglect(
        "chronology", "add", "SCH-2", "--by", "B", "--date", "2026-03-04", *base, "--supersedes", "1", "--reason", "x"
    )
    assert again.exit_code == 2 and "entry #1 is already superseded by #2; correct #2 instead" in again.stderr
    other = neglect(
        "chronology", "add", "SCH-3", "--by", "B", "--date", "2026-03-04", *base, "--supersedes", "2", "--reason", "x"
    )
    assert other.exit_code == 2 and "chronology entry #2 is of another case" in other.stderr
    assert len(show(neglect, "SCH-2", "--all")["entries"]) == 2


def test_add_without_a_terminal_names_the_missing_flags_and_stores_nothing(neglect: Neglect) -> None:
    ran = neglect("chronology", "add", "SCH-4", "--date", "2026-01-01", "--event", f"{MARKER} happened")
    assert ran.exit_code == 2
    assert "missing --category, --agency, --by; there is no terminal to ask" in ran.stderr
    bad = neglect(
        "chronology", "add", "SCH-4", "--by", "A", "--date", "30/02/2026", "--category", "other",
        "--agency", "GP", "--event", f"{MARKER} seen",
    )  # fmt: skip
    assert bad.exit_code == 2 and "--date: `30/02/2026` is not a real date" in bad.stderr and MARKER not in bad.output


def test_redact_leaves_out_the_free_text_in_every_format(neglect: Neglect, tmp_path: Path) -> None:
    add(
        neglect, "SCH-5", "--date", "2026-01-01", "--category", "police-call-out", "--agency", "Police",
        "--event", f"{MARKER} event", "--impact", f"{MARKER} impact",
    )  # fmt: skip
    for fmt in ("terminal", "markdown", "json", "html"):
        ran = neglect("chronology", "show", "SCH-5", "--format", fmt, "--redact")
        assert ran.exit_code == 0, ran.stderr
        assert MARKER not in ran.stdout and "[redacted]" in ran.stdout and "Police" in ran.stdout
        assert MARKER in neglect("chronology", "show", "SCH-5", "--format", fmt).stdout


def test_the_terminal_chronology_fits_80_columns(neglect: Neglect, monkeypatch: Any) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    long_text = "The child was not brought to the audiology appointment for the third time this year " * 4
    add(
        neglect, "SCH-6", "--date", "2026-01-01", "--category", "not-brought",
        "--agency", "Community paediatrics and audiology service", "--event", long_text, "--impact", long_text,
    )  # fmt: skip
    ran = neglect("chronology", "show", "SCH-6")
    assert ran.exit_code == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "Not brought to an appointment in the 12 months to 2026-11-24: 1" in ran.stdout
    assert lines[4].startswith("2026-01-01  Not brought to an appointment · Community paediatrics")


def test_the_html_chronology_is_one_self_contained_page_with_an_svg_timeline(neglect: Neglect, tmp_path: Path) -> None:
    add(neglect, "SCH-7", "--date", "2026-01-01", "--category", "plan-started", "--agency", "CSC", "--event", "<b>x")
    out = tmp_path / "chronology.html"
    ran = neglect("chronology", "show", "SCH-7", "--out", out)
    assert ran.exit_code == 0, ran.stderr
    page = out.read_text(encoding="utf-8")
    assert out.stat().st_mode & 0o777 == 0o600
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "default-src 'none'" in page
    assert "&lt;b&gt;x" in page and "<b>x" not in page
    assert "<script" not in page and "://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


# --- the trend shows the chronology alongside the levels ------------------------------------------


def trainer_reviews(neglect: Neglect, tmp_path: Path) -> list[Path]:
    """TRAIN-010's four shipped reviews, stored as training records, and three events in its chronology."""
    from helpers import CASES

    files = []
    for case in sorted(CASES.glob("10?-*.yaml")):
        out = tmp_path / f"{case.stem}.json"
        assert neglect("assess", "--answers", case, "--out", out).exit_code == 0
        files.append(out)
    path = csv_file(
        tmp_path,
        f"02/03/2026,School,Referral to early help {MARKER},Falling behind,referral",
        "11/05/2026,Early help,Early help plan agreed,,plan started",
        "01/11/2026,Police,Call-out to the home at night,Child woken and frightened,police call-out",
    )
    assert neglect("chronology", "import", "TRAIN-010", path, "--by", "J. Trainer").exit_code == 0
    return files


def test_the_html_trend_of_a_case_puts_levels_and_key_events_on_one_timeline(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    files = trainer_reviews(neglect, tmp_path)
    out = tmp_path / "trend.html"
    ran = neglect("trend", "TRAIN-010", "--training", "--out", out)
    assert ran.exit_code == 0, ran.stderr
    page = out.read_text(encoding="utf-8")
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count("<circle") == 4  # the four assessments' levels
    assert "2026-11-01: Police call-out (Police)" in svg and "2026-05-11: Plan started" in svg
    assert "Key events from the chronology" in page and f"Referral to early help {MARKER}" in page
    assert out.stat().st_mode & 0o777 == 0o600
    redacted = neglect("trend", "TRAIN-010", "--training", "--format", "html", "--redact").stdout
    assert MARKER not in redacted and "Police call-out" in redacted
    md = neglect("trend", "TRAIN-010", "--training", "--format", "md").stdout
    assert "## Key events from the chronology" in md and "| 2026-11-01 | Police call-out | Police |" in md
    # from record files there is no store to ask: the printable supervision page of the levels alone
    from_files = neglect("trend", *files, "--format", "html").stdout
    assert "TRAIN-010" in from_files and "Key events from the chronology" not in from_files


def test_chromium_draws_the_trend_timeline(neglect: Neglect, tmp_path: Path) -> None:
    from helpers.browser import screenshot

    trainer_reviews(neglect, tmp_path)
    out = tmp_path / "trend.html"
    assert neglect("trend", "TRAIN-010", "--training", "--out", out).exit_code == 0
    ink, colour = screenshot(out, tmp_path)
    assert ink > 20_000, "the trend page is blank"
    assert colour > 400, "no levels or events drawn in colour"


# --- the chronology informs the walk ------------------------------------------------------------


def test_the_walk_offers_what_the_chronology_says_and_the_record_keeps_suggested_and_confirmed(
    neglect: Neglect, tmp_path: Path, monkeypatch: Any
) -> None:
    from helpers import TESTS
    from helpers.scripted import scripted_walk

    entries = [
        ("2025-02-01", "not-brought", "Not brought to the dentist"),  # before the earlier plan ended
        ("2025-03-01", "plan-ended", "An earlier early help plan closed"),
        ("2025-09-10", "referral", "School referral: hungry most days"),
        ("2026-06-03", "not-brought", "Not brought to audiology"),
        ("2026-07-15", "not-brought", "Not brought to audiology again"),
    ]
    for day, category, event in entries:
        add(neglect, "CASE-1", "--date", day, "--category", category, "--agency", "Health", "--event", event)
    case = ["CASE-1", "", "A. Worker", ""]
    facts = ["30", "engaged", ["substance_misuse"], "no", "2026-11-01", ""]
    suggested = ["", "12", ""]  # Enter keeps 2; 14 corrected to 12; Enter keeps "yes"
    items = ["1", "2", "3", "Not brought to audiology twice", "1"]
    outcome, prompter = scripted_walk(
        [*case, *facts, *suggested, *items, "", "k", "s"],
        tool=str(TESTS / "interview" / "chronology-tool.yaml"),
        out=tmp_path,
    )
    assert outcome.status == "written", prompter.events
    shown = prompter.shown("say")
    assert "From the chronology: 2 'not brought' entries in the 12 months to 2026-11-24 (#4, #5)." in shown
    first = "From the chronology: the first concern in the chronology is 2025-09-10 (#3, Referral), 14 months"
    assert any(s.startswith(first) for s in shown)
    record = json.loads((tmp_path / "CASE-1_2026-11-24.json").read_text(encoding="utf-8"))
    assert record["schema"] == "neglect-record/3"
    assert record["context"]["not_brought_count"] == 2
    assert record["context"]["concern_duration_months"] == 12
    assert record["context"]["previous_neglect_plans"] is True
    by_fact = {s["fact"]: s for s in record["suggestions"]}
    assert {f: (s["suggested"], s["confirmed"]) for f, s in by_fact.items()} == {
        "not_brought_count": (2, 2),
        "concern_duration_months": (14, 12),
        "previous_neglect_plans": (True, True),
    }
    assert by_fact["previous_neglect_plans"]["basis"].startswith("a plan ended on 2025-03-01 (#2)")
    assert all(s["source"] == "chronology" for s in record["suggestions"])
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(TESTS / "interview"))
    from neglect_cli import toolfiles

    toolfiles.clear_tool_cache()  # the tool is found on the path just set
    verified = neglect("verify", tmp_path / "CASE-1_2026-11-24.json")
    assert verified.exit_code == 0, verified.output
    report = neglect("report", tmp_path / "CASE-1_2026-11-24.json", "--format", "md").stdout
    assert "12 (the chronology suggested 14; corrected)" in report
    assert "2 (suggested by the chronology; kept)" in report


def test_without_a_chronology_the_walk_suggests_nothing_and_the_record_has_no_suggestions(tmp_path: Path) -> None:
    from helpers import TESTS
    from helpers.scripted import scripted_walk

    case = ["CASE-1", "", "A. Worker", ""]
    facts = ["30", "engaged", ["substance_misuse"], "no", "2026-11-01", "", "1", "3", "n"]
    outcome, prompter = scripted_walk(
        [*case, *facts, "1", "2", "3", "Not brought", "1", "", "k", "s"],
        tool=str(TESTS / "interview" / "chronology-tool.yaml"),
        out=tmp_path,
    )
    assert outcome.status == "written", prompter.events
    assert not any("From the chronology" in s for s in prompter.shown("say"))
    record = json.loads((tmp_path / "CASE-1_2026-11-24.json").read_text(encoding="utf-8"))
    assert "suggestions" not in record and record["context"]["not_brought_count"] == 1


def test_a_retention_purge_removes_chronology_entries_dated_before_it_too(neglect: Neglect, store_url: str) -> None:
    base = ("--category", "injury", "--agency", "School", "--event")
    add(neglect, "SCH-P", "--date", "2019-05-01", *base, "Bruise")
    add(neglect, "SCH-P", "--date", "2019-06-01", *base, "Burn")
    add(neglect, "SCH-P", "--date", "2026-01-01", *base, "Burn", "--supersedes", "2", "--reason", "the year was wrong")
    add(neglect, "SCH-P", "--date", "2026-02-01", *base, "Cut")
    refused = neglect("store", "purge", "--before", "2020-01-01")
    assert refused.exit_code == 2 and "0 records of 0 children and 2 chronology entries dated before it" in (
        refused.stderr
    )
    ran = neglect("store", "purge", "--before", "2020-01-01", "--yes")
    assert ran.exit_code == 0, ran.stderr
    assert "and 2 chronology entries dated before it" in ran.stderr
    left = show(neglect, "SCH-P", "--all")["entries"]
    assert [(e["id"], e["occurred_on"], e["supersedes"]) for e in left] == [
        (3, "2026-01-01", None),
        (4, "2026-02-01", None),
    ]


def test_any_bytes_given_as_a_chronology_file_are_read_or_refused_never_crash(tmp_path: Path) -> None:
    import datetime as dt

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from neglect_cli.chronology import read_csv
    from neglect_cli.errors import UserError

    cell = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
    row = st.lists(cell, min_size=0, max_size=6).map(lambda cells: ",".join(cells).encode("utf-8", "surrogatepass"))
    header = st.sampled_from([HEADER.encode(), b"date,event\n", b""])
    body = st.one_of(st.binary(max_size=300), st.lists(row, max_size=5).map(lambda rows: b"\n".join(rows)))

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(header, body)
    def check(head: bytes, rest: bytes) -> None:
        path = tmp_path / "fuzz.csv"
        path.write_bytes(head + rest)
        try:
            entries = read_csv(path, added_by="A. Worker", today=dt.date(2026, 11, 24))
        except UserError as exc:
            assert "fuzz.csv" in str(exc)
        else:
            assert entries and all(e.occurred_on <= dt.date(2026, 11, 24) for e in entries)

    check()
