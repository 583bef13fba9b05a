"""`neglect report`: the terminal summary, Markdown and HTML through the CLI, --out, integrity, unknown tools."""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from pathlib import Path

import pytest

from helpers import CASES, TESTS, Neglect
from neglect_cli.render.view import DISCLAIMER

BOX_DRAWING = re.compile("[\u2500-\u259f]")  # box drawing and block elements
CHILD_PROTECTION = CASES / "04-child-protection-left-alone.yaml"
OVERRIDE = CASES / "12-practitioner-override.yaml"
INCOMPLETE = CASES / "11-incomplete-low-coverage.yaml"


def make_record(neglect: Neglect, case: Path, folder: Path, *extra: str) -> Path:
    out = folder / f"{case.stem}.json"
    ran = neglect("assess", "--answers", case, "--out", out, "--format", "json", *extra)
    assert ran.exit_code == 0, ran.output
    return out


@pytest.fixture
def child_protection(neglect: Neglect, tmp_path: Path) -> Path:
    return make_record(neglect, CHILD_PROTECTION, tmp_path)


def test_terminal_summary_piped_is_plain_text_within_80_columns(
    neglect: Neglect, child_protection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    ran = neglect("report", child_protection)
    assert ran.exit_code == 0, ran.output
    lines = ran.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "\x1b[" not in ran.stdout
    assert not BOX_DRAWING.search(ran.stdout)
    assert all(line == line.rstrip() for line in lines)
    text = " ".join(ran.stdout.split())
    for expected in (
        "Final level: Level 4 — child protection",
        "Computed from scores Level 3 — child in need highest domain score 3.11",
        "After escalation rules Level 4 — child protection",
        "Emotional care 2.83 [#####.....] Level 3 — child in need 100% (6/6)",
        "[IMMEDIATE — ACT NOW] The child may be in danger now",
        "Because: Supervision rated 5",
        "When Mum goes out I watch telly and wait.",
        "Where does my knowledge of this family come from",
        " ".join(DISCLAIMER.split()),
    ):
        assert expected in text, expected
    # escalations in severity order, each reason said once
    assert text.index("IMMEDIATE") < text.index("URGENT") < text.index("CONSULT")
    assert text.count("domestic abuse affecting the adults' care;") == 1
    assert text.count("substance misuse affecting the adults' care") == 1


def test_terminal_summary_on_a_tty_has_colour_and_stays_within_80_columns(child_protection: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"TERM": "xterm-256color", "COLUMNS": "80"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "neglect_cli", "report", str(child_protection)],
        env=env,
        dimensions=(400, 80),
        encoding="utf-8",
        timeout=60,
    )
    output = child.read()
    child.close()
    assert child.exitstatus == 0, output
    assert "\x1b[" in output  # colour on a terminal
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output)
    assert "╭" in plain and "█" in plain  # panels and bars
    assert max(len(line) for line in plain.replace("\r", "").splitlines()) <= 80
    assert "Level 4 — child protection" in plain


def test_no_color_on_a_tty_gives_the_plain_layout(child_protection: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = dict(os.environ) | {"TERM": "xterm-256color", "COLUMNS": "80", "NO_COLOR": "1"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "neglect_cli", "report", str(child_protection)],
        env=env,
        dimensions=(400, 80),
        encoding="utf-8",
        timeout=60,
    )
    output = child.read()
    child.close()
    assert "\x1b[" not in output
    assert not BOX_DRAWING.search(output)
    assert "[IMMEDIATE — ACT NOW]" in output


@pytest.mark.parametrize("fmt", ["terminal", "md", "html"])
def test_every_format_carries_the_level_the_override_and_the_disclaimer(
    neglect: Neglect, tmp_path: Path, fmt: str
) -> None:
    record = make_record(neglect, OVERRIDE, tmp_path)
    ran = neglect("report", record, "--format", fmt)
    assert ran.exit_code == 0, ran.output
    text = " ".join(ran.stdout.replace("&#x27;", "'").split())
    assert "TRAIN-012" in text
    assert "Level 3 — child in need" in text  # band labels from the tool, not ids
    assert "Level 2 — early help" in text
    assert "Agreed with the team manager on 12 October 2026" in text  # the rationale the supervisor sees
    assert "I make the toast for me and my brother" in text
    assert " ".join(DISCLAIMER.split()) in text


def test_incomplete_result_is_provisional_never_final_and_lists_what_is_not_known(
    neglect: Neglect, tmp_path: Path
) -> None:
    record = make_record(neglect, INCOMPLETE, tmp_path, "--partial")
    for fmt, marker in (
        ("terminal", "PROVISIONAL — NOT ENOUGH KNOWN:"),
        ("md", "**Provisional — not enough known:**"),
        ("html", "<strong>Provisional — not enough known:</strong>"),
    ):
        ran = neglect("report", record, "--format", fmt)
        text = " ".join(ran.stdout.split())
        assert marker in text, fmt
        assert "Final level" not in text, fmt
        assert "Still not known:" in text and "Safety in the home" in text, fmt


def test_report_out_writes_a_private_file_and_guesses_the_format_from_its_suffix(
    neglect: Neglect, child_protection: Path, tmp_path: Path
) -> None:
    html = tmp_path / "report.html"
    ran = neglect("report", child_protection, "--out", html)
    assert ran.exit_code == 0, ran.output
    assert ran.stdout == ""
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(html.stat().st_mode) == 0o600
    md = tmp_path / "report.md"
    assert neglect("report", child_protection, "-o", md).exit_code == 0
    assert md.read_text(encoding="utf-8").startswith("# Neglect assessment — case TRAIN-004")
    text = tmp_path / "report.txt"
    assert neglect("report", child_protection, "-o", text, "--format", "terminal").exit_code == 0
    assert "Final level: Level 4 — child protection" in text.read_text(encoding="utf-8")


def test_report_out_does_not_replace_a_file_without_force(
    neglect: Neglect, child_protection: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.md"
    out.write_text("keep me", encoding="utf-8")
    ran = neglect("report", child_protection, "--out", out)
    assert ran.exit_code == 2
    assert "--force" in ran.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    assert neglect("report", child_protection, "--out", out, "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# Neglect assessment")


@pytest.mark.parametrize("fmt", ["terminal", "md", "html"])
def test_a_record_edited_by_hand_is_flagged_but_still_reported(
    neglect: Neglect, child_protection: Path, fmt: str
) -> None:
    data = json.loads(child_protection.read_text(encoding="utf-8"))
    data["answers"][0]["value"] = 1  # someone softens a rating after the event
    child_protection.write_text(json.dumps(data), encoding="utf-8")
    ran = neglect("report", child_protection, "--format", fmt)
    assert ran.exit_code == 0
    assert "warning:" in ran.stderr and "integrity hash does not match" in ran.stderr
    text = " ".join(ran.stdout.split())
    assert "integrity hash does not match" in text
    assert "Do not rely on this report" in text
    assert "TRAIN-004" in ran.stdout


def test_a_record_from_an_unavailable_tool_shows_band_ids(neglect: Neglect, child_protection: Path) -> None:
    from neglect_cli.record import seal

    data = json.loads(child_protection.read_text(encoding="utf-8"))
    data.pop("integrity")
    data["tool"]["version"] = "9.9.9"
    child_protection.write_text(json.dumps(seal(data)), encoding="utf-8")
    ran = neglect("report", child_protection, "--format", "md")
    assert ran.exit_code == 0, ran.output
    assert "not available here" in ran.stderr
    assert "integrity" not in ran.stderr
    assert "**Final level: level-4**" in ran.stdout
    assert "Level 4 — child protection" not in ran.stdout


def test_assess_format_md_prints_the_markdown_report(neglect: Neglect, tmp_path: Path) -> None:
    ran = neglect("assess", "--answers", CHILD_PROTECTION, "--out", tmp_path / "r.json", "--format", "md")
    assert ran.exit_code == 0, ran.output
    assert ran.stdout.startswith("# Neglect assessment — case TRAIN-004")
    assert "**Final level: Level 4 — child protection**" in ran.stdout


def test_report_of_a_missing_or_invalid_file_is_a_clean_error(neglect: Neglect, tmp_path: Path) -> None:
    ran = neglect("report", tmp_path / "nope.json")
    assert ran.exit_code == 2
    assert "Traceback" not in ran.output
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "something-else"}', encoding="utf-8")
    ran = neglect("report", bad)
    assert ran.exit_code == 2
    assert "not a neglect record" in ran.stderr


@pytest.mark.parametrize("columns", ["60", "80", "120"])
def test_domain_table_keeps_numbers_whole_with_long_band_labels_and_unscored_domains(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    record = make_record(neglect, TESTS / "fixtures" / "report" / "screening-refer.yaml", tmp_path, "--partial")
    monkeypatch.setenv("COLUMNS", columns)
    ran = neglect("report", record)
    assert ran.exit_code == 0, ran.output
    assert max(len(line) for line in ran.stdout.splitlines()) <= int(columns)
    table = ran.stdout[ran.stdout.index("DOMAINS") : ran.stdout.index("ESCALATION PROMPTS")]
    assert "100% (2/2)" in table
    assert table.count("0% (0/2)") == 3 and table.count("not scored") == 3
    assert "Review                  within 1 week, by 2026-05-08\n" in ran.stdout


def test_a_domain_with_no_items_at_the_childs_age_says_so_and_is_not_incomplete(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    from helpers.minitool import mini_data

    tool = mini_data()
    tool["domains"].append(
        {
            "id": "teen",
            "title": "Adolescence",
            "items": [
                {"id": "teen.whereabouts", "prompt": "Do carers know where they are?", "ages": {"min_months": 156}}
            ],
        }
    )
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "tool.yaml").write_text(yaml.safe_dump(tool), encoding="utf-8")
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(tmp_path / "tools"))
    answers = {
        "tool": "mini",
        "case": {"ref": "AGE-001", "assessed_on": "2026-11-01", "assessor": "A. Tester"},
        "context": {"age_months": 30},
        "answers": {
            "physical.food": 2,
            "physical.home": 2,
            "emotional.warmth": 1,
            "emotional.mood": 2,
            "medical.appointments": 1,
        },
    }
    (tmp_path / "answers.yaml").write_text(yaml.safe_dump(answers), encoding="utf-8")
    record = make_record(neglect, tmp_path / "answers.yaml", tmp_path)
    assert json.loads(record.read_text(encoding="utf-8"))["result"]["domains"][-1]["incomplete"] is False
    for fmt in ("terminal", "md", "html"):
        ran = neglect("report", record, "--format", fmt)
        assert ran.exit_code == 0, ran.output
        assert "no items at this age" in ran.stdout, fmt
        assert "(0/0)" not in ran.stdout and "incomplete" not in ran.stdout.lower(), fmt


def test_every_format_names_the_supervisor_and_says_the_computed_score_is_the_highest_domain_score(
    neglect: Neglect, tmp_path: Path
) -> None:
    case = tmp_path / "case.yaml"
    text = CHILD_PROTECTION.read_text(encoding="utf-8")
    case.write_text(text.replace("assessor: D. Trainer", "assessor: D. Trainer, supervisor: T. Lead"), encoding="utf-8")
    record = make_record(neglect, case, tmp_path)
    for fmt in ("terminal", "md", "html"):
        ran = neglect("report", record, "--format", fmt)
        assert ran.exit_code == 0, ran.output
        shown = " ".join(re.sub(r"<[^>]+>|\*\*", " ", ran.stdout).split())  # the words, without markup
        assert re.search(r"Supervisor:? T\. Lead", shown), fmt
        assert "highest domain score 3.11" in shown, fmt
        assert "(score 3.25)" not in shown, fmt


def test_a_tool_that_averages_its_domains_says_the_computed_score_is_their_average(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixtures = TESTS / "fixtures" / "other_tools"
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(fixtures / "tools"))
    record = make_record(neglect, fixtures / "answers" / "three-a.yaml", tmp_path)
    ran = neglect("report", record)
    assert "average of the domain scores 1.67" in " ".join(ran.stdout.split()), ran.output
