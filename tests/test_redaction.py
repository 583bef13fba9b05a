"""`--redact` goes by each field's kind, never by what a value looks like: a free-text fact with no spaces
is removed even when the record's tool is not installed (then every context value that could hold words
is removed; numbers, true/false and dates stay)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import TESTS, Neglect

GOOD = TESTS / "bad_inputs" / "good"
SECRET = "ZQXJ-nospaces-just-one-word"


@pytest.fixture
def record(neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    text = (GOOD / "answers.yaml").read_text(encoding="utf-8").replace("tool/mini-tool.yaml", "mini-tool.yaml")
    text = text.replace('notes: "ZQXJ-NOTES family moved in August"', f"notes: {SECRET}")
    (tmp_path / "mini-tool.yaml").write_bytes((GOOD / "tool" / "mini-tool.yaml").read_bytes())
    answers = tmp_path / "case.yaml"
    answers.write_text(text, encoding="utf-8")
    path = tmp_path / "record.json"
    assert neglect("assess", "--answers", answers, "--out", path).exit_code == 0
    (tmp_path / "mini-tool.yaml").unlink()  # the record's tool is not installed where it is reported
    monkeypatch.delenv("NEGLECT_TOOLS_PATH", raising=False)
    return path


def context_shown(markdown: str) -> str:
    return markdown.split("## Case facts", 1)[1].split("\n## ", 1)[0] if "## Case facts" in markdown else markdown


def test_free_text_without_spaces_is_redacted_when_the_tool_is_not_installed(neglect: Neglect, record: Path) -> None:
    assert json.loads(record.read_text(encoding="utf-8"))["context"]["notes"] == SECRET
    for fmt in ("md", "html", "terminal"):
        ran = neglect("report", record, "--redact", "--format", fmt)
        assert ran.exit_code == 0, ran.output
        assert "ZQXJ" not in ran.output, f"{fmt}: free text leaked"
    md = neglect("report", record, "--redact", "--format", "md").stdout
    facts = context_shown(md)
    assert "[redacted]" in facts
    assert "18" in facts and "2026-11-01" in facts  # a number and a date cannot hold words: kept


def test_with_the_tool_installed_only_text_facts_are_redacted(
    neglect: Neglect, record: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from neglect_cli.toolfiles import clear_tool_cache

    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(GOOD / "tool"))
    clear_tool_cache()  # (in-process: the tools found before the path was set are cached)
    md = neglect("report", record, "--redact", "--format", "md").stdout
    assert "ZQXJ" not in md
    facts = context_shown(md)
    assert "engaged" in facts.lower()  # a choice is not free text: kept, by its kind in the tool


def test_a_redacted_record_whose_override_lowered_the_level_still_verifies(neglect: Neglect, tmp_path: Path) -> None:
    """The rationale for lowering was checked when the record was made; redaction leaves only the marker,
    which is shorter than the rationale a lowering needs, and must not make the record fail verify."""
    out = tmp_path / "r.json"
    ran = neglect("assess", "--answers", TESTS / "fixtures" / "diff" / "override.yaml", "--out", out, "--redact")
    assert ran.exit_code == 0, ran.output
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["redacted"] is True and record["result"]["override"]["rationale"] == "[redacted]"
    assert neglect("verify", out).exit_code == 0
