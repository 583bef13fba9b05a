"""How recently a child counts as seen for an assessment: the reports, the "To check:" line, `neglect family`
and the answers-file check read it with the tool's own `within_days` (`world.seen_within_days`), so that no
view says the child was seen, or seen on their own, for the assessment when the tool's own rule says not, and
none uses a window the tool does not name (neglect-core's 9 weeks for a tool that says 28 or 90 days).

Two small tools (tests/fixtures/seen_window/tools/) differ only in their rules' window: 28 and 90 days.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from helpers import TESTS, Neglect

FIXTURES = TESTS / "fixtures" / "seen_window"
ANSWERS = FIXTURES / "answers"
FORMATS = ("terminal", "md", "html")


@pytest.fixture(autouse=True)
def window_tools_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(FIXTURES / "tools"))


def with_tool(tmp_path: Path, stem: str, days: int) -> Path:
    """The answers file `stem`, for the tool whose rules say `within_days: days` (its lines as they are)."""
    text = (ANSWERS / f"{stem}.yaml").read_text(encoding="utf-8")
    assert "\ntool: seen-window-28\n" in text
    path = tmp_path / f"{stem}-{days}.yaml"
    path.write_text(text.replace("\ntool: seen-window-28\n", f"\ntool: seen-window-{days}\n"), encoding="utf-8")
    return path


def assessed(neglect: Neglect, tmp_path: Path, stem: str, days: int) -> tuple[Path, set[str]]:
    out = tmp_path / f"{stem}-{days}.json"
    ran = neglect("assess", "--answers", with_tool(tmp_path, stem, days), "--out", out)
    assert ran.exit_code == 0, ran.output
    record = json.loads(out.read_text(encoding="utf-8"))
    return out, {e["id"] for e in record["result"]["escalations"]}


def shown(neglect: Neglect, record: Path, fmt: str) -> str:
    """The report in `fmt`, as one line of words (tags, table bars and bold marks taken out)."""
    ran = neglect("report", record, "--format", fmt)
    assert ran.exit_code == 0, ran.output
    text = html.unescape(re.sub(r"<[^>]+>", " ", ran.stdout)) if fmt == "html" else ran.stdout
    return " ".join(re.sub(r"[|*]", " ", text).split())


@pytest.mark.parametrize(
    ("stem", "days", "seen_for_it"),
    [
        ("seen-40-days-before", 28, False),
        ("seen-40-days-before", 90, True),
        ("seen-70-days-before", 28, False),
        ("seen-70-days-before", 90, True),  # more than 9 weeks, but the tool says 90 days: seen for it
    ],
    ids=["40-days-tool-28", "40-days-tool-90", "70-days-tool-28", "70-days-tool-90"],
)
def test_the_report_says_seen_for_the_assessment_exactly_when_the_tools_rule_does(
    neglect: Neglect, tmp_path: Path, stem: str, days: int, seen_for_it: bool
) -> None:
    record, prompts = assessed(neglect, tmp_path, stem, days)
    assert ("not-seen" in prompts) is not seen_for_it  # the tool's own rule
    last = "2026-10-01" if stem == "seen-40-days-before" else "2026-09-01"
    before = 40 if stem == "seen-40-days-before" else 70
    window = "4 weeks" if days == 28 else "90 days"
    for fmt in FORMATS:
        text = shown(neglect, record, fmt)
        not_seen = f"The child was not seen for this assessment: last seen on {last}."
        to_check = (
            f"To check: The child was last seen on {last}, {before} days before this assessment (more than "
            f"{window}): see the child now, and record when."
        )
        row = f"Seen not for this assessment (last seen {last}, {before} days before)"
        if seen_for_it:
            assert "not for this assessment" not in text, fmt
            assert "To check: The child was last seen" not in text, fmt
            assert "more than 9 weeks" not in text, fmt
            assert re.search(r"Seen:? yes (- )?Seen on their own:? yes", text), (fmt, text)
        else:
            assert not_seen in text, (fmt, text)
            assert to_check in text, (fmt, text)
            assert row in text.replace("Seen: not", "Seen not"), (fmt, text)


@pytest.mark.parametrize("days", [28, 90])
def test_seen_on_their_own_reads_the_tools_window_too(neglect: Neglect, tmp_path: Path, days: int) -> None:
    """Seen 5 days before, on their own only 40 days before: not seen on their own for the assessment by a tool
    that says 28 days, seen on their own by one that says 90."""
    record, prompts = assessed(neglect, tmp_path, "seen-alone-40-days-before", days)
    assert "not-seen" not in prompts
    assert ("not-alone" in prompts) is (days == 28)
    for fmt in FORMATS:
        text = shown(neglect, record, fmt).replace("Seen on their own:", "Seen on their own")
        if days == 28:
            assert "Seen on their own not for this assessment (last seen on their own 2026-10-01, 40 days before)" in (
                text
            ), (fmt, text)
            assert (
                "To check: The child was last seen on their own on 2026-10-01, 40 days before this assessment (more "
                "than 4 weeks): see them on their own now, and record when."
            ) in text, (fmt, text)
        else:
            assert "Seen on their own yes, last on 2026-10-01" in text, (fmt, text)
            assert "not for this assessment" not in text, (fmt, text)


@pytest.mark.parametrize("days", [28, 90])
def test_neglect_family_reads_each_childs_tool_window(neglect: Neglect, tmp_path: Path, days: int) -> None:
    """`neglect family` says a child was not seen (or not seen on their own) for the assessment as the child's
    record's tool reads it, in every format."""
    assessed(neglect, tmp_path, "seen-40-days-before", days)
    assessed(neglect, tmp_path, "seen-alone-40-days-before", days)
    linked = neglect("family", "link", "FAM-W", "WIN-040", "WIN-A40")
    assert linked.exit_code == 0, linked.output
    ran = neglect("family", "FAM-W", "--format", "json", "--as-of", "2026-11-24")
    assert ran.exit_code == 0, ran.output
    children = {child["case_ref"]: child for child in json.loads(ran.stdout)["children"]}
    once, alone = children["WIN-040"], children["WIN-A40"]
    if days == 28:
        assert (once["not_seen_since"], once["not_seen_days"], once["seen_alone"]) == ("2026-10-01", 40, False)
        assert (alone["not_seen_since"], alone["seen_alone"]) == (None, False)
    else:
        assert (once["not_seen_since"], once["seen_alone"]) == (None, True)
        assert (alone["not_seen_since"], alone["seen_alone"]) == (None, True)
    page = neglect("family", "FAM-W", "--format", "md", "--as-of", "2026-11-24")
    assert page.exit_code == 0, page.output
    assert ("NOT SEEN for this assessment (last seen 2026-10-01)" in page.stdout) is (days == 28)
    assert ("NO (last on their own 2026-10-01)" in page.stdout) is (days == 28)


def test_which_visit_was_alone_must_be_said_when_the_earliest_is_past_the_tools_window(
    neglect: Neglect, tmp_path: Path
) -> None:
    """Seen on their own, on two dates, the earliest 40 days before, not saying which: past a 28-day window a new
    answers file is refused (exit 2, the line, what to write, the tool's window in words), nothing written;
    within a 90-day window it is read as seen on their own, as the rule reads it."""
    path = with_tool(tmp_path, "alone-dates-unsaid", 28)
    out = tmp_path / "refused.json"
    for args in (["assess", "--answers", path, "--out", out], ["score", path]):
        ran = neglect(*args)
        assert ran.exit_code == 2, ran.output
        said = " ".join(ran.output.split())
        assert (
            f"{path.name}:9:3: child.seen_alone: the child was seen on several dates and the earliest, 2026-10-01, "
            "is 40 days before the assessment (more than 4 weeks): say on which of them the child was seen on their "
            "own (seen_alone_on: [DATE, ...])"
        ) in said, said
    assert not out.exists()
    _, prompts = assessed(neglect, tmp_path, "alone-dates-unsaid", 90)
    assert "not-alone" not in prompts
