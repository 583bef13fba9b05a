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


def test_the_walk_suggests_neglect_core_3s_history_facts_only_as_far_as_the_chronology_names_them(
    neglect: Neglect, tmp_path: Path, monkeypatch: Any
) -> None:
    from helpers import TESTS
    from helpers.scripted import scripted_walk

    entries = [
        ("2022-05-10", "neglect-referral", "School referral: often hungry"),  # 1: before the last plan ended
        ("2022-07-01", "Child protection plan started: neglect", "Conference"),
        ("2022-07-01", "cp-plan-started-emotional-abuse", "Conference"),
        ("2023-06-20", "cp-plan-ended-neglect", "Review conference"),  # 4
        ("2023-06-20", "cp-plan-ended-emotional-abuse", "Review conference"),  # 5
        ("2023-06-20", "cp-plan-ended-sexual-abuse", "Review conference"),  # 6: not a choice of this tool's fact
        ("2024-01-15", "plan-ended", "Child in need plan closed"),  # 7: names no category
        ("2026-06-03", "not-brought", "Not brought to audiology"),
        ("2026-09-01", "neglect-referral", "Health visitor referral"),  # 9: the current period's, not earlier
    ]
    for day, category, event in entries:
        add(neglect, "CASE-3", "--date", day, "--category", category, "--agency", "School", "--event", event)
    case = ["CASE-3", "", "A. Worker", ""]
    facts = ["30", "engaged", ["substance_misuse"], "no", "2026-11-01", ""]
    # Enter keeps 1, 5 and "yes"; the plans' categories are corrected: physical abuse added from the records
    suggested = ["", "", "", ["neglect", "emotional_abuse", "physical_abuse"]]
    items = ["1", "2", "3", "Not brought to audiology", "1"]
    outcome, prompter = scripted_walk(
        [*case, *facts, *suggested, *items, "", "k", "s"],
        tool=str(TESTS / "interview" / "chronology-tool-3.yaml"),
        out=tmp_path,
    )
    assert outcome.status == "written", prompter.events
    shown = prompter.shown("say")
    referral = (
        "From the chronology: 1 referral to children's social care for neglect before the current period of "
        "concern (the first on 2022-05-10; #1), which began after the plan that ended on 2024-01-15."
    )
    assert referral in shown
    plans = (
        "From the chronology: child protection plans that ended, by category: neglect, emotional abuse (#4, #5); "
        "1 other plan ended without a category (#7): add any category they had."
    )
    assert plans in shown
    record = json.loads((tmp_path / "CASE-3_2026-11-24.json").read_text(encoding="utf-8"))
    by_fact = {s["fact"]: (s["suggested"], s["confirmed"]) for s in record["suggestions"]}
    assert by_fact == {
        "not_brought_count": (1, 1),
        "concern_duration_months": (5, 5),
        "earlier_neglect_referral": (True, True),
        "earlier_protection_plans": (["neglect", "emotional_abuse"], ["neglect", "emotional_abuse", "physical_abuse"]),
    }
    assert record["context"]["earlier_protection_plans"] == ["neglect", "emotional_abuse", "physical_abuse"]
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(TESTS / "interview"))
    from neglect_cli import toolfiles

    toolfiles.clear_tool_cache()
    assert neglect("verify", tmp_path / "CASE-3_2026-11-24.json").exit_code == 0
    report = neglect("report", tmp_path / "CASE-3_2026-11-24.json", "--format", "md").stdout
    assert "(the chronology suggested neglect, emotional abuse; corrected)" in report
    assert "yes (suggested by the chronology; kept)" in report


def _entry(number: int, day: str, category: str) -> Any:
    from neglect_cli.chronology import Entry

    return Entry(number, "C", day, category, "School", "event", "", "A", f"2026-01-01T00:00:{number:02}Z")


def _fact(fid: str, kind: str, choices: list[str] | None = None) -> Any:
    from neglect_cli.definition import ContextFact

    return ContextFact(id=fid, prompt="?", type=kind, choices=choices)


def test_a_plan_or_referral_that_names_no_category_suggests_no_category() -> None:
    import datetime as dt

    from neglect_cli.chronology import suggestions

    facts = [
        _fact("earlier_neglect_referral", "boolean"),
        _fact("earlier_protection_plans", "multichoice", ["neglect", "emotional_abuse"]),
        _fact("previous_neglect_plans", "boolean"),
    ]
    entries = [_entry(1, "2022-01-01", "referral"), _entry(2, "2022-02-01", "plan-ended")]
    found = suggestions(entries, dt.date(2026, 11, 24), facts)
    # a plan ended (2.x's yes/no fact), but of no stated kind; the referral was not said to be for neglect
    assert set(found) == {"previous_neglect_plans"}
    # a referral for neglect with no plan ended since: it may be the current period's, so nothing is said
    found = suggestions([_entry(1, "2022-01-01", "neglect-referral")], dt.date(2026, 11, 24), facts)
    assert found == {}


def test_what_the_chronology_suggests_follows_the_tools_fact_definitions() -> None:
    import datetime as dt

    from neglect_cli.chronology import suggestions

    entries = [_entry(1, "2022-01-01", "cp-plan-ended-sexual-abuse"), _entry(2, "2023-01-01", "cp-plan-ended-neglect")]
    today = dt.date(2026, 11, 24)
    # a yes/no fact with the same id: any child protection plan that ended
    yes_no = suggestions(entries, today, [_fact("earlier_protection_plans", "boolean")])
    assert yes_no["earlier_protection_plans"].value is True
    # only the categories the fact offers, in its order
    some = suggestions(entries, today, [_fact("earlier_protection_plans", "multichoice", ["sexual_abuse", "neglect"])])
    assert some["earlier_protection_plans"].value == ["sexual_abuse", "neglect"]
    none = suggestions(entries, today, [_fact("earlier_protection_plans", "multichoice", ["physical_abuse"])])
    assert none == {}
    # a tool in the DESIGN format with other facts, or these ids with types the chronology cannot answer
    other = [_fact("age_months", "integer"), _fact("earlier_neglect_referral", "choice", ["yes", "no"])]
    assert suggestions(entries, today, other) == {}


def test_the_shipped_tool_has_the_history_facts_the_chronology_answers() -> None:
    import datetime as dt

    from helpers import CORE_VERSION
    from neglect_cli.chronology import suggestions
    from neglect_cli.toolfiles import find_tool

    tool = find_tool(f"neglect-core@{CORE_VERSION}").tool
    entries = [
        _entry(1, "2021-03-01", "neglect-referral"),
        _entry(2, "2021-05-01", "cp-plan-ended-physical-abuse"),
        _entry(3, "2026-10-01", "not-brought"),
    ]
    found = suggestions(entries, dt.date(2026, 11, 24), tool.context)
    assert {fid: hint.value for fid, hint in found.items()} == {
        "not_brought_count": 1,
        "concern_duration_months": 1,
        "earlier_neglect_referral": True,
        "earlier_protection_plans": ["physical_abuse"],
    }


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


# --- the chronology in store export, import and check ---------------------------------------------


def _engine(store_url: str) -> Any:
    import sqlalchemy as sa

    url = store_url if store_url.startswith("postgresql") else f"sqlite:///{store_url}"
    return sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))


def test_store_export_and_import_carry_the_chronology_with_its_corrections(
    neglect: Neglect, store_url: str, tmp_path: Path, monkeypatch: Any
) -> None:
    write_record(tmp_path / "in", "a.json", make_record("SCH-EXP", "2026-01-05"))
    assert neglect("store", "import", tmp_path / "in").exit_code == 0
    base = ("--agency", "School", "--event")
    add(neglect, "SCH-EXP", "--date", "2025-02-01", "--category", "neglect-referral", *base, f"Hungry {MARKER}")
    add(neglect, "SCH-EXP", "--date", "2025-03-01", "--category", "injury", *base, "Bruise", "--impact", "Sore arm")
    add(neglect, "SCH-EXP", "--date", "2025-02-02", "--category", "neglect-referral", *base, f"Hungry {MARKER}",
        "--supersedes", "1", "--reason", "date typed wrong")
    add(neglect, "SCH-OTHER", "--date", "2025-04-01", "--category", "housing-move", *base, "Moved")
    before = show(neglect, "SCH-EXP", "--all")

    ran = neglect("store", "export", "SCH-EXP", tmp_path / "out")
    assert ran.exit_code == 0, ran.stderr
    assert "1 record and the chronology of 1 child (3 entries) written to" in ran.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written[0] == "SCH-EXP.chronology.json" and len(written) == 2  # the other child's is not exported
    exported = json.loads((tmp_path / "out" / "SCH-EXP.chronology.json").read_text(encoding="utf-8"))
    assert exported["schema"] == "neglect-chronology/1" and len(exported["entries"]) == 3
    assert (tmp_path / "out" / "SCH-EXP.chronology.json").stat().st_mode & 0o777 == 0o600

    # a child with a chronology and no record is exported too; never over an earlier export, as for records
    assert neglect("store", "export", "SCH-OTHER", tmp_path / "other").exit_code == 0
    twice = neglect("store", "export", "SCH-OTHER", tmp_path / "other")
    assert twice.exit_code == 2 and "SCH-OTHER.chronology.json: already exists; export into an empty folder" in (
        twice.stderr
    )

    # into a second, empty store: the same entries, who added them and when, the correction linked
    monkeypatch.setenv("NEGLECT_STORE", str(tmp_path / "second.sqlite3"))
    ran = neglect("store", "import", tmp_path / "out")
    assert ran.exit_code == 0, ran.stderr
    assert "chronology entries: 3 imported, 0 already in the store; 0 of 1 chronology refused" in ran.stderr
    after = show(neglect, "SCH-EXP", "--all")
    keys = ("occurred_on", "category", "source_agency", "event", "impact", "added_by", "added_at", "reason")

    def shape(data: dict[str, Any]) -> list[tuple[Any, ...]]:
        kept = [e for e in data["entries"] if e["category"] != "assessment"]
        ids = {e["id"]: n for n, e in enumerate(kept)}
        return [
            (*(e[k] for k in keys), ids.get(e["supersedes"]), ids.get(e["superseded_by"]))
            for e in kept
        ]

    assert shape(after) == shape(before)
    again = neglect("store", "import", tmp_path / "out", "--format", "json")
    counts = json.loads(again.stdout)
    assert counts["chronology_entries_imported"] == 0 and counts["chronology_entries_duplicates"] == 3
    assert neglect("store", "check").exit_code == 0


def test_an_exported_chronology_that_was_changed_is_refused_whole(
    neglect: Neglect, store_url: str, tmp_path: Path, monkeypatch: Any
) -> None:
    base = ("--agency", "School", "--event")
    add(neglect, "SCH-T", "--date", "2025-02-01", "--category", "injury", *base, f"Bruise {MARKER}")
    add(neglect, "SCH-T", "--date", "2025-03-01", "--category", "injury", *base, "Graze")
    assert neglect("store", "export", "SCH-T", tmp_path / "out").exit_code == 0
    path = tmp_path / "out" / "SCH-T.chronology.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entries"][1]["event"] = "Something else"
    data["entries"][1]["supersedes"] = 7
    data["entries"][1]["reason"] = "x"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    monkeypatch.setenv("NEGLECT_STORE", str(tmp_path / "second.sqlite3"))
    ran = neglect("store", "import", path)
    assert ran.exit_code == 2
    assert "entry #2: its hash does not match its content (changed after it was exported)" in ran.stderr
    assert "entry #2 corrects #7, which is not an earlier entry of the file" in ran.stderr
    assert "SCH-T.chronology.json: nothing was imported from this file" in ran.stderr
    assert MARKER not in ran.stderr and "Something else" not in ran.stderr
    assert show(neglect, "SCH-T")["entries"] == []  # all or nothing: not even the first entry


def test_store_check_finds_a_chronology_entry_changed_behind_the_tools_back(
    neglect: Neglect, store_url: str
) -> None:
    import sqlalchemy as sa

    base = ("--agency", "School", "--event")
    add(neglect, "SCH-C", "--date", "2025-02-01", "--category", "injury", *base, f"Bruise {MARKER}")
    add(neglect, "SCH-C", "--date", "2025-03-01", "--category", "injury", *base, "Graze")
    add(neglect, "SCH-D", "--date", "2025-03-01", "--category", "injury", *base, "Cut")
    add(neglect, "SCH-C", "--date", "2025-03-02", "--category", "injury", *base, "Graze", "--supersedes", "2",
        "--reason", "date")
    ok = neglect("store", "check")
    assert ok.exit_code == 0 and "4 chronology entries checked: all ok" in ok.stdout
    engine = _engine(store_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE chronology SET event = 'Nothing happened' WHERE id = 1"))
        conn.execute(sa.text("UPDATE chronology SET supersedes = 3 WHERE id = 4"))  # now names the other child's
    engine.dispose()
    bad = neglect("store", "check")
    assert bad.exit_code == 1
    assert "chronology entry #1 (case SCH-C): its hash does not match its content" in bad.stdout
    assert "chronology entry #4 (case SCH-C): it corrects #3, an entry of another case" in bad.stdout
    assert "4 chronology entries checked: 2 with problems" in bad.stdout
    assert MARKER not in bad.stdout + bad.stderr and "Nothing happened" not in bad.stdout
    data = json.loads(neglect("store", "check", "--format", "json").stdout)
    assert [p["id"] for p in data["chronology_problems"]] == [1, 4] and data["chronology_checked"] == 4


def test_the_report_of_a_case_in_the_store_shows_its_chronology_beside_the_assessment(
    neglect: Neglect, store_url: str, tmp_path: Path, monkeypatch: Any
) -> None:
    write_record(tmp_path / "in", "a.json", make_record("SCH-REP", "2026-01-05"))
    assert neglect("store", "import", tmp_path / "in").exit_code == 0
    plain = neglect("report", "SCH-REP", "--format", "md")
    assert plain.exit_code == 0 and "## Chronology" not in plain.stdout  # no entries: nothing to show
    base = ("--agency", "Audiology", "--event")
    add(neglect, "SCH-REP", "--date", "2025-12-10", "--category", "not-brought", *base, f"Hearing test {MARKER}",
        "--impact", f"Hearing {MARKER}")
    add(neglect, "SCH-REP", "--date", "2026-02-02", "--category", "not-brought", *base, "Hearing test again")

    md = neglect("report", "SCH-REP", "--format", "md").stdout
    section = md[md.index("## Chronology") :]
    assert "| 2025-12-10 | Not brought to an appointment | Audiology | Hearing test ZQXJ | Hearing ZQXJ | \\#1 |" in (
        section
    )
    assert "| 2026-01-05 | Assessment | Children's social care |" in section  # the record itself, in its place
    assert "- Not brought to an appointment in the 12 months to 2026-11-24: 2" in section
    redacted = neglect("report", "SCH-REP", "--format", "md", "--redact").stdout
    assert "## Chronology" in redacted and MARKER not in redacted and "| [redacted] | [redacted] | \\#1 |" in redacted

    monkeypatch.setenv("COLUMNS", "80")
    terminal = neglect("report", "SCH-REP").stdout
    assert "CHRONOLOGY" in terminal and f"event     Hearing test {MARKER}" in terminal
    assert max(len(line) for line in terminal.splitlines()) <= 80
    out = tmp_path / "report.html"
    assert neglect("report", "SCH-REP", "--out", out, "--redact").exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert '<section class="chronology"><style>' in page and "<svg" in page[page.index('class="chronology"') :]
    assert MARKER not in page
    # a record file is not a case in the store: its report has no chronology
    from_file = neglect("report", tmp_path / "in" / "a.json", "--format", "md").stdout
    assert "## Chronology" not in from_file
