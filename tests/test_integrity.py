"""A record edited after it was written is caught: by its sha256 when edited carelessly, and by an HMAC
when a team signs records with a key (anyone can recompute a plain hash; nobody without the key can
recompute the HMAC)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import rfc8785

from helpers import CASES, TESTS, Neglect

GOOD = TESTS / "bad_inputs" / "good"
KEY = "team-key-3f9a1c"


@pytest.fixture
def tool_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the mini tool on the search path, so a test may change it."""
    folder = tmp_path / "tools"
    folder.mkdir()
    shutil.copy(GOOD / "tool" / "mini-tool.yaml", folder / "mini-tool.yaml")
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(folder))
    return folder


@pytest.fixture
def answers(tmp_path: Path, tool_folder: Path) -> Path:
    path = tmp_path / "answers.yaml"
    text = (GOOD / "answers.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("tool: tool/mini-tool.yaml", "tool: mini-tool"), encoding="utf-8")
    return path


def write_record(neglect: Neglect, answers: Path, out: Path) -> dict[str, Any]:
    ran = neglect("assess", "--answers", answers, "--out", out)
    assert ran.exit_code == 0, ran.output
    return dict(json.loads(out.read_text(encoding="utf-8")))


def save(path: Path, record: dict[str, Any]) -> None:
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def rehash(record: dict[str, Any]) -> dict[str, Any]:
    """What someone editing a record by hand can do: recompute the plain hash (and keep the old HMAC)."""
    body = {k: v for k, v in record.items() if k != "integrity"}
    integrity = dict(record["integrity"])
    integrity["sha256"] = hashlib.sha256(rfc8785.dumps(body)).hexdigest()
    return {**body, "integrity": integrity}


def test_a_fresh_record_verifies(neglect: Neglect, answers: Path, tmp_path: Path) -> None:
    write_record(neglect, answers, tmp_path / "r.json")
    ran = neglect("verify", tmp_path / "r.json")
    assert ran.exit_code == 0, ran.output
    assert "r.json: ok" in ran.stdout


def test_one_character_of_evidence_changed_fails_verify(neglect: Neglect, answers: Path, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    write_record(neglect, answers, path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("fridge empty", "fridge emptY", 1), encoding="utf-8")
    ran = neglect("verify", path)
    assert ran.exit_code == 1
    assert "r.json: integrity hash does not match" in ran.stdout


def test_a_hand_edit_is_flagged_by_every_command_that_reads_records(
    neglect: Neglect, answers: Path, tmp_path: Path
) -> None:
    from helpers import available

    first, edited = tmp_path / "first.json", tmp_path / "edited.json"
    write_record(neglect, answers, first)
    record = json.loads(first.read_text(encoding="utf-8"))
    record["answers"][1]["value"] = 1  # the kind of quiet edit that would change a decision
    save(edited, record)
    commands = [("report", edited), ("diff", first, edited), ("trend", first, edited)]
    for args in [c for c in commands if available(str(c[0]))]:
        ran = neglect(*args)
        assert "Traceback" not in ran.output
        assert "integrity" in ran.output.lower(), f"`neglect {args[0]}` did not flag the edited record"


def test_a_plain_hash_recomputed_after_an_edit_passes_without_a_key(
    neglect: Neglect, answers: Path, tmp_path: Path
) -> None:
    """Why signing exists: without a key, a careful forger is not caught by the hash."""
    path = tmp_path / "r.json"
    record = write_record(neglect, answers, path)
    record["case"]["assessor"] = "Someone Else"
    save(path, rehash(record))
    assert neglect("verify", path).exit_code == 0


def test_signed_record_carries_an_hmac_and_verifies_with_the_key(
    neglect: Neglect, answers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEGLECT_SIGNING_KEY", KEY)
    record = write_record(neglect, answers, tmp_path / "r.json")
    assert len(record["integrity"]["hmac_sha256"]) == 64
    assert neglect("verify", tmp_path / "r.json").exit_code == 0


def test_an_edit_with_a_recomputed_hash_is_caught_by_the_hmac(
    neglect: Neglect, answers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEGLECT_SIGNING_KEY", KEY)
    path = tmp_path / "r.json"
    record = write_record(neglect, answers, path)
    record["case"]["assessor"] = "Someone Else"
    save(path, rehash(record))
    ran = neglect("verify", path)
    assert ran.exit_code == 1
    assert "signature (HMAC) does not match" in ran.stdout
    assert "integrity hash does not match" not in ran.stdout  # the plain hash was forged well


def test_a_record_checked_with_another_key_fails(
    neglect: Neglect, answers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEGLECT_SIGNING_KEY", KEY)
    write_record(neglect, answers, tmp_path / "r.json")
    monkeypatch.setenv("NEGLECT_SIGNING_KEY", "another-team")
    ran = neglect("verify", tmp_path / "r.json")
    assert ran.exit_code == 1
    assert "signature (HMAC) does not match" in ran.stdout


def test_an_unsigned_record_fails_where_records_must_be_signed(
    neglect: Neglect, answers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_record(neglect, answers, tmp_path / "r.json")
    monkeypatch.setenv("NEGLECT_SIGNING_KEY", KEY)
    ran = neglect("verify", tmp_path / "r.json")
    assert ran.exit_code == 1
    assert "not signed" in ran.stdout


def test_the_key_can_come_from_a_file(
    neglect: Neglect, answers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "signing.key"
    key_file.write_text(KEY + "\n")
    monkeypatch.setenv("NEGLECT_SIGNING_KEY_FILE", str(key_file))
    record = write_record(neglect, answers, tmp_path / "r.json")
    assert "hmac_sha256" in record["integrity"]
    assert neglect("verify", tmp_path / "r.json").exit_code == 0
    # the same key given directly checks the same signature
    monkeypatch.delenv("NEGLECT_SIGNING_KEY_FILE")
    monkeypatch.setenv("NEGLECT_SIGNING_KEY", KEY)
    assert neglect("verify", tmp_path / "r.json").exit_code == 0


def test_a_missing_key_file_is_a_clear_error(
    neglect: Neglect, answers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEGLECT_SIGNING_KEY_FILE", str(tmp_path / "nowhere.key"))
    ran = neglect("assess", "--answers", answers, "--out", tmp_path / "r.json")
    assert ran.exit_code == 2
    assert "nowhere.key: cannot read the signing key file" in ran.stderr
    assert not (tmp_path / "r.json").exists()


def test_a_tool_changed_since_the_assessment_is_reported(
    neglect: Neglect, answers: Path, tool_folder: Path, tmp_path: Path
) -> None:
    write_record(neglect, answers, tmp_path / "r.json")
    tool = tool_folder / "mini-tool.yaml"
    tool.write_text(tool.read_text(encoding="utf-8").replace("Is the child fed enough?", "Is the child fed?"))
    from neglect_cli import toolfiles

    toolfiles.clear_tool_cache()  # a new run of the CLI: tools are read afresh
    toolfiles.load_tool_file.cache_clear()
    ran = neglect("verify", tmp_path / "r.json")
    assert ran.exit_code == 1
    assert "mini-tool@1.0.0 differs from the one used" in ran.stdout


def test_a_changed_result_with_a_recomputed_hash_fails_the_rescore(
    neglect: Neglect, answers: Path, tmp_path: Path
) -> None:
    path = tmp_path / "r.json"
    record = write_record(neglect, answers, path)
    record["result"]["overall"]["band"] = "low"
    save(path, rehash(record))
    ran = neglect("verify", path)
    assert ran.exit_code == 1
    assert "does not match a re-score" in ran.stdout


def test_verify_says_when_a_signature_could_not_be_checked(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEGLECT_SIGNING_KEY", "team-key")
    out = tmp_path / "signed.json"
    assert neglect("assess", "--answers", CASES / "01-universal-well-cared-for.yaml", "--out", out).exit_code == 0
    checked = neglect("verify", out)
    assert checked.exit_code == 0 and "signature checked" in checked.stdout
    monkeypatch.delenv("NEGLECT_SIGNING_KEY")
    unchecked = neglect("verify", out)
    assert unchecked.exit_code == 0 and "signature was not checked" in unchecked.stdout
