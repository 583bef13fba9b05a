"""Limits that agree: what neglect writes it can always read back. A record of a tool with 10,000 items, a
draft full of long notes, a draft at the notes' limit: each is read by every command. Notes are bounded
where they are typed, one by one and in total, with a clear message."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from helpers import Neglect
from helpers.scripted import scripted_walk
from neglect_cli.loading import MAX_BYTES, NOTE_MAX_CHARS, NOTES_BUDGET_BYTES


def write_tool(folder: Path, items: int, *, evidence_from: int | None = None) -> Path:
    """A valid tool with `items` items over two domains (written as YAML flow lines, as a generator would)."""
    half = items // 2
    lines = [
        "schema: neglect-tool/1",
        "id: big-tool",
        "version: 1.0.0",
        "title: A tool with many items",
        "scale:",
        "  levels:",
        *[f"    - {{value: {v}, label: Level {v}}}" for v in (1, 2, 3, 4)],
        "  allow_not_known: true",
        "domains:",
    ]
    evidence = f", evidence_from: {evidence_from}" if evidence_from is not None else ""
    for domain, count in (("first", half), ("second", items - half)):
        lines += [f"  - id: {domain}", f"    title: Domain {domain}", "    items:"]
        lines += [f"      - {{id: {domain}.i{n}, prompt: Item {n}?{evidence}}}" for n in range(count)]
    lines += [
        "scoring: {domain: mean, overall: max_domain, min_coverage: 0.5}",
        "bands:",
        "  - {id: low, label: Low, up_to: 2}",
        "  - {id: high, label: High, up_to: 4}",
    ]
    path = folder / "big-tool.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def item_ids(items: int) -> list[str]:
    half = items // 2
    return [f"first.i{n}" for n in range(half)] + [f"second.i{n}" for n in range(items - half)]


@pytest.fixture
def tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tools"
    folder.mkdir()
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(folder))
    return folder


def test_a_record_of_a_tool_with_10000_items_is_read_by_every_command(
    neglect: Neglect, tmp_path: Path, tools: Path
) -> None:
    tool = write_tool(tools, 10_000)
    assert tool.stat().st_size < MAX_BYTES
    answers = tmp_path / "case.yaml"
    body = "\n".join(f"  {item}: 1" for item in item_ids(10_000))
    answers.write_text(
        f"tool: big-tool\ncase: {{ref: BIG-1, assessed_on: 2026-11-20}}\nanswers:\n{body}\n", encoding="utf-8"
    )
    record = tmp_path / "big.json"
    ran = neglect("assess", "--answers", answers, "--out", record)
    assert ran.exit_code == 0, ran.output
    assert record.stat().st_size > MAX_BYTES  # more than an input file may be
    later = tmp_path / "big-later.json"
    shutil.copy(record, later)
    for args in (
        ("verify", record),
        ("report", record, "--format", "md"),
        ("diff", record, later),
        ("trend", record, later),
    ):
        ran = neglect(*args)
        assert ran.exit_code == 0, f"{args[0]}: {ran.output[-500:]}"
        assert "larger than" not in ran.output


def test_a_draft_full_of_long_notes_is_listed_and_resumed(neglect: Neglect, tmp_path: Path, tools: Path) -> None:
    write_tool(tools, 60, evidence_from=1)
    ids = item_ids(60)
    note = "Seen on the home visit. " * 790  # about 19,000 characters
    script: list[object] = ["LONG-1", "", "", ""]
    for _ in ids:
        script += ["1", note]
    outcome, _ = scripted_walk(script, tool="big-tool", out=tmp_path / "r.json")  # the script ends: Ctrl-D
    assert outcome.status == "interrupted"
    draft = tmp_path / "state" / "neglect-cli" / "drafts" / "LONG-1.json"
    assert draft.stat().st_size > MAX_BYTES

    listed = neglect("drafts", "list")
    assert listed.stdout.startswith("LONG-1  big-tool 1.0.0  60/60 answered"), listed.output
    outcome, prompter = scripted_walk(["", "k", "s"], tool=None, out=tmp_path / "r.json", resume="LONG-1")
    assert outcome.status == "written", prompter.events[-5:]
    record = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert all(row["evidence"] == note.strip() for row in record["answers"])
    assert neglect("verify", tmp_path / "r.json").exit_code == 0


def test_a_note_longer_than_the_limit_is_refused_where_it_is_typed(tmp_path: Path, tools: Path) -> None:
    write_tool(tools, 2, evidence_from=1)
    script = ["NOTE-1", "", "", "", "1", "x" * (NOTE_MAX_CHARS + 1), "Short enough"]
    outcome, prompter = scripted_walk(script, tool="big-tool", out=tmp_path / "r.json")
    assert outcome.status == "interrupted"
    assert f"at most {NOTE_MAX_CHARS:,} characters (this is {NOTE_MAX_CHARS + 1:,}): shorten it" in prompter.shown(
        "invalid"
    )
    draft = json.loads((tmp_path / "state" / "neglect-cli" / "drafts" / "NOTE-1.json").read_text(encoding="utf-8"))
    assert draft["answers"]["first.i0"]["evidence"] == "Short enough"


def test_notes_stop_at_their_total_limit_and_the_draft_stays_readable(
    neglect: Neglect, tmp_path: Path, tools: Path
) -> None:
    tool = write_tool(tools, 430, evidence_from=1)
    ids = item_ids(430)
    full = "x" * NOTE_MAX_CHARS
    filled = NOTES_BUDGET_BYTES // (NOTE_MAX_CHARS + 2)  # notes of the largest size that fit together
    answers = {item: {"value": 1, "evidence": full, "not_known": None} for item in ids[:filled]}
    draft = {
        "schema": "neglect-draft/1",
        "tool": {
            "id": "big-tool",
            "version": "1.0.0",
            "sha256": hashlib.sha256(tool.read_bytes()).hexdigest(),
            "path": str(tool),
        },
        "case": {"ref": "FULL-1", "assessed_on": "2026-11-20"},
        "answers": answers,
        "position": ids[filled],
    }
    folder = tmp_path / "state" / "neglect-cli" / "drafts"
    folder.mkdir(parents=True)
    (folder / "FULL-1.json").write_text(json.dumps(draft), encoding="utf-8")

    room = NOTES_BUDGET_BYTES - filled * (NOTE_MAX_CHARS + 2) - 2
    script = ["1", full, "y" * room]
    outcome, prompter = scripted_walk(script, tool=None, out=tmp_path / "r.json", resume="FULL-1")
    assert outcome.status == "interrupted"
    assert any("notes of this assessment have reached their limit" in text for text in prompter.shown("invalid"))
    saved = folder / "FULL-1.json"
    assert json.loads(saved.read_text(encoding="utf-8"))["answers"][ids[filled]]["evidence"] == "y" * room
    ran = neglect("drafts", "list")
    assert ran.stdout.startswith("FULL-1  big-tool 1.0.0"), ran.output
