"""Record file names never collide for different case refs, and `--force` never replaces the record of a
different child (real processes: `neglect score --out` and `neglect assess --answers`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from helpers import PINNED_EPOCH, TESTS

GOOD = TESTS / "bad_inputs" / "good"


def run(tmp_path: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "NO_COLOR": "1",
        "SOURCE_DATE_EPOCH": PINNED_EPOCH,
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "NEGLECT_TOOLS_PATH": str(GOOD / "tool"),
    }
    return subprocess.run(
        [sys.executable, "-m", "neglect_cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def case(tmp_path: Path, ref: str, name: str) -> Path:
    text = (GOOD / "answers.yaml").read_text(encoding="utf-8")
    text = text.replace("tool/mini-tool.yaml", str(GOOD / "tool" / "mini-tool.yaml"))
    path = tmp_path / name
    path.write_text(text.replace("ref: CORPUS-001", f"ref: {ref}"), encoding="utf-8")
    return path


def refs_in(folder: Path) -> dict[str, str]:
    return {p.name: json.loads(p.read_text(encoding="utf-8"))["case"]["ref"] for p in sorted(folder.glob("*.json"))}


def test_refs_that_differ_only_in_a_slash_get_different_record_files(tmp_path: Path) -> None:
    slash, underscore = case(tmp_path, "CASE/7", "a.yaml"), case(tmp_path, "CASE_7", "b.yaml")
    ran = run(tmp_path, "score", slash, underscore, "--out", tmp_path / "records", "--force", "--format", "csv")
    assert ran.returncode == 0, ran.stderr
    written = refs_in(tmp_path / "records")
    assert sorted(written.values()) == ["CASE/7", "CASE_7"], "one child's record replaced the other's"
    assert written["CASE_7_2026-11-20.json"] == "CASE_7"  # a plain ref keeps its plain name
    for path in (tmp_path / "records").glob("*.json"):
        assert run(tmp_path, "verify", path).returncode == 0


def test_force_never_replaces_the_record_of_another_case(tmp_path: Path) -> None:
    records = tmp_path / "records"
    slash, underscore = case(tmp_path, "CASE/7", "a.yaml"), case(tmp_path, "CASE_7", "b.yaml")
    assert run(tmp_path, "score", slash, "--out", records).returncode == 0
    other = next(records.glob("*.json"))
    target = records / "CASE_7_2026-11-20.json"
    target.write_bytes(other.read_bytes())  # CASE/7's record where CASE_7's would go
    kept = target.read_bytes()

    ran = run(tmp_path, "score", underscore, "--out", records, "--force")
    assert ran.returncode == 2
    assert "holds the record of CASE/7, not CASE_7; --force never replaces a record of a different case" in ran.stderr
    ran = run(tmp_path, "assess", "--answers", underscore, "--out", target, "--force")
    assert ran.returncode == 2
    assert "never replaces a record of a different case" in ran.stderr
    assert "Traceback" not in ran.stderr
    assert target.read_bytes() == kept

    # the same case's record is replaced, as --force says
    target.unlink()
    assert run(tmp_path, "score", underscore, "--out", records).returncode == 0
    assert run(tmp_path, "score", underscore, "--out", records, "--force").returncode == 0
    assert refs_in(records)["CASE_7_2026-11-20.json"] == "CASE_7"
