"""Markdown and HTML reports of trainer cases, compared with reviewed snapshots in tests/snapshots/.

After a deliberate change to a report, a tool or a trainer case, regenerate and review the diff:

    UPDATE_SNAPSHOTS=1 pytest tests/test_report_snapshots.py && git diff tests/snapshots/

The record's integrity hash changes with the package version and the tool file, so it is replaced
by a placeholder before comparing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from helpers import CASES, TESTS, Neglect

SNAPSHOTS = TESTS / "snapshots"
# A child protection case with three escalations; a practitioner override; an incomplete assessment.
SNAPSHOT_CASES = {
    "04-child-protection-left-alone": (),
    "11-incomplete-low-coverage": ("--partial",),
    "12-practitioner-override": (),
    # the child's world (record format 3): a father not contacted; not seen alone at Level 3; a baby without words
    "15-father-not-contacted": (),
    "16-not-seen-alone-level-3": (),
    "19-baby-seen-no-words": (),
}


def rendered(neglect: Neglect, tmp_path: Path, case: str, fmt: str) -> str:
    record = tmp_path / f"{case}.json"
    if not record.exists():
        ran = neglect(
            "assess", "--answers", CASES / f"{case}.yaml", "--out", record, "--format", "json", *SNAPSHOT_CASES[case]
        )
        assert ran.exit_code == 0, ran.output
    ran = neglect("report", record, "--format", fmt)
    assert ran.exit_code == 0, ran.output
    sha = json.loads(record.read_text(encoding="utf-8"))["integrity"]["sha256"]
    return ran.stdout.replace(sha, "<sha256>").replace(sha[:16], "<sha256>")


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("case", sorted(SNAPSHOT_CASES))
def test_report_matches_reviewed_snapshot(neglect: Neglect, tmp_path: Path, case: str, fmt: str) -> None:
    actual = rendered(neglect, tmp_path, case, fmt)
    snapshot = SNAPSHOTS / f"{case}.{fmt}"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOTS.mkdir(exist_ok=True)
        snapshot.write_text(actual, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot {snapshot.name}: run with UPDATE_SNAPSHOTS=1 and review it"
    expected = snapshot.read_text(encoding="utf-8")
    assert actual == expected, f"{snapshot.name} differs: run with UPDATE_SNAPSHOTS=1, then review `git diff`"
