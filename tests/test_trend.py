"""`neglect trend`: one child's assessments over time, and the flags a supervisor must not miss."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import CASES, TESTS, Neglect

FIXTURES = TESTS / "fixtures" / "diff"


def documented(key: str, text: str) -> bool:
    """The key is named inside some `code span` of the text."""
    return re.search(rf"`[^`]*(?<![\w-]){re.escape(key)}(?![\w-])[^`]*`", text) is not None


def words(text: str) -> str:
    """Text with runs of spaces and line breaks folded, so checks do not depend on layout or width."""
    return " ".join(text.split())


@pytest.fixture
def records(neglect: Neglect, tmp_path: Path):  # type: ignore[no-untyped-def]
    """records(*names) -> record paths built from tests/fixtures/diff/<name>.yaml (or a trainer case path)."""

    def build(*names: str | Path) -> list[Path]:
        out = []
        for name in names:
            answers = name if isinstance(name, Path) else FIXTURES / f"{name}.yaml"
            path = tmp_path / "records" / f"{answers.stem}.json"
            path.parent.mkdir(exist_ok=True)
            ran = neglect("assess", "--answers", answers, "--out", path, "--format", "json")
            assert ran.exit_code == 0, ran.stderr
            out.append(path)
        return out

    return build


def trend_json(neglect: Neglect, *paths: Path | str) -> dict[str, Any]:
    ran = neglect("trend", *paths, "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    data: dict[str, Any] = json.loads(ran.stdout)
    return data


def test_records_are_ordered_by_date_whatever_order_they_are_given_in(neglect: Neglect, records) -> None:  # type: ignore[no-untyped-def]
    paths = records("relapse", "early-help", "improved")
    data = trend_json(neglect, *paths)
    assert data["schema"] == "neglect-trend/1"
    assert [a["assessed_on"] for a in data["assessments"]] == ["2026-01-12", "2026-03-23", "2026-08-03"]
    overall = data["series"][0]
    assert overall["id"] == "overall"
    assert overall["bands"] == ["level-2", "level-1", "level-2"]
    assert [s["id"] for s in data["series"][1:]] == ["physical", "emotional", "educational", "medical"]


def test_improvement_then_return_is_flagged_as_relapse(neglect: Neglect, records) -> None:  # type: ignore[no-untyped-def]
    paths = records("early-help", "improved", "relapse")
    data = trend_json(neglect, *paths)
    (relapse,) = data["flags"]["relapse"]
    assert relapse["before"] == {"assessed_on": "2026-01-12", "band": "level-2", "score": 2.0}
    assert relapse["improved"]["band"] == "level-1"
    assert relapse["back"]["assessed_on"] == "2026-08-03" and relapse["back"]["band"] == "level-2"
    assert data["flags"]["drift_and_delay"]["flagged"] is False  # one assessment was better than the first

    ran = neglect("trend", *paths)
    assert "RELAPSE" in words(ran.stdout) and '"start again" pattern' in words(ran.stdout)


def test_no_better_band_over_six_months_and_three_assessments_is_drift_and_delay(neglect: Neglect, records) -> None:  # type: ignore[no-untyped-def]
    paths = records("early-help", "unchanged-later", "relapse")
    data = trend_json(neglect, *paths)
    drift = data["flags"]["drift_and_delay"]
    assert drift["flagged"] is True
    assert drift["months_spanned"] == 6 and drift["assessments"] == 3
    assert data["flags"]["relapse"] == []
    ran = neglect("trend", *paths)
    assert "DRIFT AND DELAY" in words(ran.stdout)
    assert "Discuss drift and delay in supervision" in words(ran.stdout)


def test_two_assessments_are_never_drift_and_delay(neglect: Neglect, records) -> None:  # type: ignore[no-untyped-def]
    data = trend_json(neglect, *records("early-help", "relapse"))
    assert data["flags"]["drift_and_delay"]["flagged"] is False


def test_trainer_series_shows_drift_relapse_persistent_escalation_and_late_review(neglect: Neglect, records) -> None:  # type: ignore[no-untyped-def]
    paths = records(
        CASES / "10a-drift-first-review.yaml",
        CASES / "10b-drift-second-review.yaml",
        CASES / "10c-improved-third-review.yaml",
        CASES / "10d-relapse-fourth-review.yaml",
    )
    data = trend_json(neglect, *paths)
    assert data["flags"]["drift_and_delay"]["flagged"] is True
    assert [(r["before"]["band"], r["improved"]["band"], r["back"]["band"]) for r in data["flags"]["relapse"]] == [
        ("level-3", "level-2", "level-4")
    ]
    persistent = {p["id"]: p for p in data["flags"]["persistent_escalations"]}
    assert persistent["carer-support"]["in_every"] is True
    assert [(r["band"], r["review_weeks"]) for r in data["flags"]["late_reviews"]] == [("level-2", 12)]
    assert data["series"][0]["direction"] == "worsened"
    ran = neglect("trend", *paths)
    text = words(ran.stdout)
    assert "DRIFT AND DELAY" in text and "RELAPSE" in text
    assert "in every assessment (4 of 4)" in text


def test_a_folder_expands_to_its_json_records(neglect: Neglect, records, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    records("early-help", "improved", "relapse")
    (tmp_path / "records" / "notes.txt").write_text("not a record", encoding="utf-8")
    data = trend_json(neglect, tmp_path / "records")
    assert data["count"] == 3


def test_a_trend_saved_into_its_folder_is_skipped_and_named(neglect: Neglect, records, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    records("early-help", "improved", "relapse")
    folder = tmp_path / "records"
    (folder / "trend.json").write_text("", encoding="utf-8")  # what `> DIR/trend.json` leaves while trend runs
    first = neglect("trend", folder, "--format", "json")
    assert first.exit_code == 0, first.stderr
    assert "trend.json (empty)" in words(first.stderr)
    (folder / "trend.json").write_text(first.stdout, encoding="utf-8")
    (folder / "diff.json").write_text(
        neglect("diff", folder / "early-help.json", folder / "improved.json", "--format", "json").stdout,
        encoding="utf-8",
    )
    again = neglect("trend", folder)
    assert again.exit_code == 0, again.stderr
    said = words(again.stderr)
    assert "skipped 2 files" in said
    assert "diff.json (a neglect-diff/1 file)" in said and "trend.json (a neglect-trend/1 file)" in said
    assert "3 assessments" in words(again.stdout)


def test_a_broken_record_in_a_folder_is_still_refused(neglect: Neglect, records, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = records("early-help", "improved", "relapse")
    text = paths[1].read_text(encoding="utf-8")
    paths[1].write_text(text[: len(text) // 2], encoding="utf-8")  # cut off: says it is a record, is not valid
    ran = neglect("trend", tmp_path / "records")
    assert ran.exit_code == 2
    assert "improved.json" in ran.stderr


def test_a_file_named_on_the_command_line_is_never_skipped(neglect: Neglect, records, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = records("early-help", "improved")
    empty = tmp_path / "trend.json"
    empty.write_text("", encoding="utf-8")
    ran = neglect("trend", *paths, empty)
    assert ran.exit_code == 2
    assert "trend.json" in ran.stderr


def test_mixed_cases_are_refused_unless_asked_for(neglect: Neglect, records) -> None:  # type: ignore[no-untyped-def]
    paths = records("early-help", "other-case")
    ran = neglect("trend", *paths)
    assert ran.exit_code == 2
    assert "DIFF-001" in ran.stderr and "DIFF-002" in ran.stderr and "--mixed-cases" in ran.stderr
    forced = neglect("trend", *paths, "--mixed-cases")
    assert forced.exit_code == 0
    assert "WARNING" in words(forced.stdout) and "different cases" in words(forced.stdout)


def test_one_record_is_not_a_trend(neglect: Neglect, records) -> None:  # type: ignore[no-untyped-def]
    ran = neglect("trend", *records("early-help"))
    assert ran.exit_code == 2
    assert "two or more records" in ran.stderr


def test_a_tampered_record_is_shown_under_a_warning(neglect: Neglect, records) -> None:  # type: ignore[no-untyped-def]
    paths = records("early-help", "worse")
    paths[1].write_text(paths[1].read_text(encoding="utf-8").replace("police log", "police lob"), encoding="utf-8")
    ran = neglect("trend", *paths)
    assert ran.exit_code == 0
    assert "failed its checks (neglect verify)" in words(ran.stdout)
    data = trend_json(neglect, *paths)
    assert [a["integrity_ok"] for a in data["assessments"]] == [True, False]


def test_piped_trend_has_no_sparkline_and_markdown_has_the_flags(neglect: Neglect, records) -> None:  # type: ignore[no-untyped-def]
    paths = records("early-help", "improved", "relapse")
    ran = neglect("trend", *paths)
    assert not any(spark in ran.stdout for spark in "▁▂▃▄▅▆▇█")
    assert "level-2 → level-1 → level-2" in words(ran.stdout)
    assert "Bands: level-1 = Level 1 — universal; level-2 = Level 2 — early help" in words(ran.stdout)
    md = neglect("trend", *paths, "--format", "md")
    assert md.stdout.startswith("# Trend for case DIFF-001")
    assert "- **RELAPSE:**" in md.stdout


def test_sparkline_maps_the_rating_scale_to_eight_blocks() -> None:
    from neglect_cli.render.changes import sparkline

    assert sparkline([1.0, 3.0, 5.0, None], 1, 5) == "▁▅█ "


def test_six_months_are_calendar_months() -> None:
    from neglect_cli.trending import add_months, months_between

    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert months_between(dt.date(2026, 1, 12), dt.date(2026, 7, 11)) == 5
    assert months_between(dt.date(2026, 1, 12), dt.date(2026, 7, 12)) == 6


def test_readme_documents_every_key_of_the_trend_json(neglect: Neglect, records) -> None:  # type: ignore[no-untyped-def]
    readme = (TESTS.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## For supervisors: diff and trend") :]
    data = trend_json(neglect, *records("early-help", "improved", "relapse"))
    keys = list(data) + list(data["flags"]) + list(data["assessments"][0]) + list(data["series"][0])
    assert [key for key in keys if not documented(key, section)] == []


@pytest.mark.skipif(sys.platform == "win32" or shutil.which("sh") is None, reason="needs a POSIX terminal")
def test_sparkline_appears_on_a_terminal(records, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pexpect = pytest.importorskip("pexpect")
    paths = records("early-help", "improved", "relapse")
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "xterm"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "neglect_cli", "trend", *map(str, paths)],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 100),
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "▃▁▃" in child.before  # overall scores 2.00, 1.00, 2.14 on the 1–5 rating scale


def test_a_trend_across_tool_versions_fits_80_columns_with_every_column(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records of two versions of a tool add the tool to each row: the table still fits 80 columns, and no
    column (the escalation count, last) is cut off."""
    other = TESTS / "fixtures" / "other_tools" / "later_formats"
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(other / "tools"))
    monkeypatch.setenv("COLUMNS", "80")
    made = []
    for case in ("hearth-a", "hearth-b"):
        out = tmp_path / f"{case}.json"
        assert neglect("assess", "--answers", other / "answers" / f"{case}.yaml", "--out", out).exit_code == 0
        made.append(out)
    ran = neglect("trend", *made)
    assert ran.exit_code == 0, ran.output
    lines = ran.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any("Escalations" in line for line in lines)
    assert any("hearth" in line and "1.0.0" in line for line in lines)  # which version each row used
    rows = [line for line in lines if re.match(r"20\d\d-\d\d-\d\d \|", line)]
    assert [row.rstrip().rsplit(" ", 1)[-1] for row in rows] == ["0", "5"]  # each row's escalation count


# --- needs rated 3 or more, and needs that move (review 8, 3b) -----------------------------------------------

REVIEW8 = TESTS / "fixtures" / "levels" / "review8"
MINI = TESTS / "fixtures" / "tools" / "mini.yaml"
K13_NEEDS = (
    "Needs rated 3 or more: 2023-11-20 Hygiene and personal care; 2024-11-18 Dental care; 2025-11-17 School "
    "attendance; 2026-11-24 Food and nutrition"
)
NEEDS_THAT_MOVE = (
    "a need has been rated 3 or more in 4 different areas of care across these assessments: each one is put right "
    "and another goes unmet. Look at the whole pattern, not the latest need."
)


def _k13(neglect: Neglect, tmp_path: Path) -> list[Path]:
    """Review 8's k13a-d: the same boy yearly, 2s nearly everywhere and one need at 3, a different one each year."""
    paths = []
    for tag in "abcd":
        out = tmp_path / f"k13{tag}.json"
        answers = REVIEW8 / f"k13{tag}-boy-level-2-every-year-for-four-years.yaml"
        ran = neglect("assess", "--answers", answers, "--out", out, "--format", "json")
        assert ran.exit_code == 0, ran.stderr
        paths.append(out)
    return paths


@pytest.mark.parametrize("fmt", ["terminal", "md", "html"])
def test_a_trend_names_each_assessment_s_needs_and_flags_needs_that_move(
    neglect: Neglect, tmp_path: Path, fmt: str
) -> None:
    """k13a-d: every domain reads level-2 four times; the trend names the need of each year and flags that the
    unmet need moved through four areas of his care."""
    ran = neglect("trend", *_k13(neglect, tmp_path), "--format", fmt)
    assert ran.exit_code == 0, ran.stderr
    shown = words(re.sub(r"<[^>]+>|\*\*", "", ran.stdout))
    assert K13_NEEDS in shown, fmt
    assert f"NEEDS THAT MOVE{'' if fmt == 'terminal' else ':'} {NEEDS_THAT_MOVE}" in shown, fmt
    # drift and delay, the flag that asks what must happen now, is still said first
    assert shown.index("DRIFT AND DELAY") < shown.index("NEEDS THAT MOVE") < shown.index("PERSISTENT ESCALATION")


def test_the_trend_json_has_each_assessment_s_needs_and_the_needs_that_move(neglect: Neglect, tmp_path: Path) -> None:
    data = trend_json(neglect, *_k13(neglect, tmp_path))
    assert [[n["item"] for n in a["needs"]] for a in data["assessments"]] == [
        ["physical.hygiene"],
        ["medical.dental"],
        ["educational.attendance"],
        ["physical.nutrition"],
    ]
    assert data["assessments"][0]["needs"][0] == {
        "item": "physical.hygiene",
        "title": "Hygiene and personal care",
        "domain": "physical",
        "value": 3,
        "hardship": False,
    }
    moved = data["flags"]["needs_that_move"]
    assert moved["flagged"] is True
    assert moved["items"] == ["physical.hygiene", "medical.dental", "educational.attendance", "physical.nutrition"]
    assert moved["message"] == NEEDS_THAT_MOVE


def _mini_records(tmp_path: Path, neglect: Neglect, ratings: list[dict[str, Any]]) -> list[Path]:
    """Records of tests/fixtures/tools/mini.yaml (not shipped, items without titles), one a year from 2024; the
    tool asks, as neglect-core does, whether a rating of 3 or more is mainly caused by money or housing."""
    tool = tmp_path / "mini.yaml"
    tool.write_text(
        MINI.read_text(encoding="utf-8").replace("schema: neglect-tool/1", "schema: neglect-tool/2")
        + "hardship: {fact: previous_plan, ask_from: 3}\n",
        encoding="utf-8",
    )
    paths = []
    for n, answers in enumerate(ratings):
        case = {
            "tool": str(tool),
            "case": {"ref": "MINI-1", "assessed_on": f"{2024 + n}-03-01", "assessor": "A. Worker"},
            "context": {"age_months": 84 + 12 * n, "previous_plan": True},
            "answers": {"physical.food": 2, "physical.home": 2, "emotional.warmth": 2, "emotional.mood": 2}
            | {"medical.appointments": 2}
            | answers,
        }
        path = tmp_path / f"mini-{n}.yaml"
        path.write_text(json.dumps(case), encoding="utf-8")
        out = tmp_path / f"mini-{n}.json"
        ran = neglect("assess", "--answers", path, "--out", out, "--format", "json")
        assert ran.exit_code == 0, ran.stderr
        paths.append(out)
    return paths


def test_needs_that_move_in_a_tool_without_item_titles_name_the_items_by_their_ids(
    neglect: Neglect, tmp_path: Path
) -> None:
    three = {"value": 3, "evidence": "Seen."}
    paths = _mini_records(
        tmp_path, neglect, [{"physical.food": three}, {"emotional.mood": three}, {"medical.appointments": three}]
    )
    ran = neglect("trend", *paths)
    assert ran.exit_code == 0, ran.stderr
    shown = words(ran.stdout)
    assert "Needs rated 3 or more: 2024-03-01 Food; 2025-03-01 Mood; 2026-03-01 Appointments" in shown
    assert "NEEDS THAT MOVE a need has been rated 3 or more in 3 different areas of care" in shown


@pytest.mark.parametrize(
    ("series", "flagged"),
    [
        # the same three needs every time: persistent, not moving (the other flags and the rules speak to it)
        ([{"physical.food": 3, "physical.home": 3, "emotional.mood": 3}] * 3, False),
        # two areas only
        ([{"physical.food": 3}, {"physical.home": 3}, {"physical.food": 3}], False),
        # the third area is marked as mainly money or housing: poverty is not a need that moves
        ([{"physical.food": 3}, {"physical.home": 3}, {"emotional.mood": "hardship"}], False),
        # three areas, but one assessment has them all: not put right and replaced
        ([{"physical.food": 3}, {"physical.food": 3, "physical.home": 4, "emotional.mood": 3}], False),
        # a need put right, another unmet, then a third
        ([{"physical.food": 3, "physical.home": 3}, {"emotional.mood": 5}], True),
    ],
    ids=["same-three", "two-areas", "hardship", "all-at-once", "moved"],
)
def test_needs_that_move_is_flagged_only_when_the_need_moves_through_three_areas(
    neglect: Neglect, tmp_path: Path, series: list[dict[str, Any]], flagged: bool
) -> None:
    def rating(value: Any) -> dict[str, Any]:
        if value == "hardship":
            return {"value": 3, "evidence": "No money for food.", "hardship": True}
        return {"value": value, "evidence": "Seen."}

    paths = _mini_records(tmp_path, neglect, [{k: rating(v) for k, v in answers.items()} for answers in series])
    data = trend_json(neglect, *paths)
    assert data["flags"]["needs_that_move"]["flagged"] is flagged
    shown = words(neglect("trend", *paths).stdout)
    assert ("NEEDS THAT MOVE" in shown) is flagged
    if series[-1] == {"emotional.mood": "hardship"}:
        assert "2026-03-01 Mood (mainly money or housing)" in shown  # named, not counted


@pytest.mark.skipif(sys.platform == "win32" or shutil.which("sh") is None, reason="needs a POSIX terminal")
def test_a_trend_with_needs_that_move_fits_a_real_80_by_24_terminal_with_drift_and_delay_first(
    neglect: Neglect, tmp_path: Path
) -> None:
    from helpers.terminal import finish, spawn

    paths = _k13(neglect, tmp_path)
    child = spawn(tmp_path, "trend", *map(str, paths), rows=24, columns=80)
    assert finish(child) == 0
    session = child.before or ""
    lines = [line.rstrip() for line in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", session).splitlines()]
    assert [line for line in lines if len(line) > 80] == []
    labels = [line[:21].strip() for line in lines[lines.index("Flags") + 1 :] if line[:1].isupper()]
    assert labels[:3] == ["DRIFT AND DELAY", "NEEDS THAT MOVE", "PERSISTENT ESCALATION"], labels
    assert K13_NEEDS in words(" ".join(lines))
