"""A record is built as its model (`record.build_record` gives a `RecordBody`, `seal_record` a `Record`),
and what it writes reads back as the same model, byte for byte, and verifies.

Every shipped trainer case and every answers fixture is built, plain and redacted, unsigned and signed;
reviews of a last plan are built from records written in a temporary folder. (Until the dict literal it
replaced was deleted, this file built every one of them both ways and compared the bytes and hashes.)
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from helpers import CASES, TESTS
from neglect_cli.answers import LoadedAnswers, load_answers, score_answers
from neglect_cli.errors import UserError
from neglect_cli.plans import Review
from neglect_cli.record import (
    RecordBody,
    SuggestedFact,
    build_record,
    dumps_record,
    load_record,
    reviewed_plan,
    seal_record,
    verify_record,
)

NOW = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 24)
KEY = b"team key"


@pytest.fixture(autouse=True)
def fixture_tools(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixtures' tools on the path, as the tests of each fixture put them."""
    folders = [TESTS / "fixtures" / "tools", TESTS / "fixtures" / "plans", TESTS / "fixtures" / "other_tools" / "tools"]
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", os.pathsep.join(str(folder) for folder in folders))


def built(
    loaded: LoadedAnswers,
    *,
    review: Review | None = None,
    redact: bool = False,
    suggestions: list[SuggestedFact] | None = None,
) -> RecordBody:
    """The record of an answers file, built as its model."""
    return build_record(
        loaded.source,
        loaded.answers.case,
        loaded.context,
        loaded.answers.answers,
        score_answers(loaded),
        child_voice=loaded.answers.child_voice,
        world=loaded.answers.world(),
        created_at=NOW,
        training=loaded.answers.training,
        plan=loaded.answers.plan,
        review=review,
        redact=redact,
        suggestions=suggestions,
    )


def written(tmp_path: Path) -> list[tuple[LoadedAnswers, Review | None]]:
    """Every answers file that loads (tools, chronologies and bad inputs are not answers files), with the
    review of its last plan; each record is written beside its copy, so that a later one can review it."""
    out = []
    for path in sorted([*CASES.glob("*.yaml"), *(TESTS / "fixtures").rglob("*.yaml")]):
        copy = tmp_path / path.parent.relative_to(TESTS.parent) / path.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, copy)
        try:
            loaded = load_answers(copy, today=TODAY)
        except UserError:
            continue
        try:
            review = reviewed_plan(loaded)
        except UserError:
            review = None  # its earlier record is not written yet
        out.append((loaded, review))
        name = f"{loaded.answers.case.ref}_{loaded.answers.case.assessed_on.isoformat()}.json"
        (copy.parent / name).write_text(dumps_record(seal_record(built(loaded, review=review))), encoding="utf-8")
    return out


@pytest.mark.parametrize("key", [None, KEY], ids=["unsigned", "signed"])
@pytest.mark.parametrize("redact", [False, True], ids=["plain", "redacted"])
def test_every_case_built_as_its_model_reads_back_byte_for_byte_and_verifies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, redact: bool, key: bytes | None
) -> None:
    cases = written(tmp_path)
    assert len(cases) >= 40 and sum(review is not None for _, review in cases) >= 2  # not a vacuous pass
    if key:
        monkeypatch.setenv("NEGLECT_SIGNING_KEY", key.decode())
    path = tmp_path / "record.json"
    for loaded, review in cases:
        record = seal_record(built(loaded, review=review, redact=redact), key)
        text = dumps_record(record)
        path.write_text(text, encoding="utf-8")
        read = load_record(path)
        name = loaded.document.name
        assert read.record == record, name
        assert dumps_record(read.record) == text, name  # the model dumps as its file reads
        if not redact:  # verify wants 20 characters of rationale for a lowered level; "[redacted]" has 10
            assert verify_record(read, missing_tool_ok=True) == [], name
        assert (record.integrity.hmac_sha256 is not None) == bool(key)


def test_suggested_facts_are_kept_in_the_record_with_what_was_confirmed() -> None:
    loaded = load_answers(CASES / "17b-family-middle-not-brought.yaml", today=TODAY)
    fact = loaded.tool.context[0].id
    offered = SuggestedFact(fact=fact, source="chronology", suggested=2, confirmed=3, basis="3 entries since 2026-01")
    record = seal_record(built(loaded, suggestions=[offered])).as_json()
    assert list(record)[:5] == ["schema", "tool", "case", "context", "suggestions"]
    assert record["suggestions"] == [offered.model_dump(mode="json")]
    assert "suggestions" not in seal_record(built(loaded, suggestions=[])).as_json()
