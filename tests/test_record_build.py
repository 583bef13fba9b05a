"""A record is built as its model, and seals and writes byte for byte as the dict it replaced did.

Every shipped trainer case and every answers fixture is built both ways (the record body as a dict
literal, and as `RecordBody`), plain and redacted, unsigned and signed; the two must give the same file
text and the same integrity. Reviews of a last plan are built from records written in a temporary folder.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import CASES, TESTS
from neglect_cli.answers import LoadedAnswers, load_answers, score_answers
from neglect_cli.errors import UserError
from neglect_cli.plans import Review
from neglect_cli.record import (
    RecordBody,
    SuggestedFact,
    build_record,
    build_record_body,
    dumps_record,
    load_record,
    reviewed_plan,
    seal,
    seal_record,
    verify_record,
)

NOW = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 24)


def answers_files() -> list[Path]:
    return sorted([*CASES.glob("*.yaml"), *(TESTS / "fixtures").rglob("*.yaml")])


def loadable(tmp_path: Path) -> list[LoadedAnswers]:
    """Every answers file that loads (tools, chronologies and bad inputs are not answers files); a file whose
    review names an earlier record is read in a copy of its folder after that record is written there."""
    out = []
    for path in answers_files():
        copy = tmp_path / path.parent.relative_to(TESTS.parent) / path.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, copy)
        try:
            loaded = load_answers(copy, today=TODAY)
        except UserError:
            continue
        out.append(loaded)
        try:
            review = reviewed_plan(loaded)
        except UserError:
            review = None  # its earlier record comes later in this order: written below, read next time
        body = by_dict(loaded, review=review)
        name = f"{loaded.answers.case.ref}_{loaded.answers.case.assessed_on.isoformat()}.json"
        (copy.parent / name).write_text(dumps_record(seal(body)), encoding="utf-8")
    return out


def by_dict(
    loaded: LoadedAnswers,
    *,
    review: Review | None = None,
    redact: bool = False,
    suggestions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The record body as the dict literal built it (the path `build_record_body` replaces)."""
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


def by_model(
    loaded: LoadedAnswers,
    *,
    review: Review | None = None,
    redact: bool = False,
    suggestions: list[SuggestedFact] | None = None,
) -> RecordBody:
    """The record built as its model."""
    return build_record_body(
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


@pytest.fixture(autouse=True)
def fixture_tools(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixtures' tools on the path, as the tests of each fixture put them."""
    folders = [TESTS / "fixtures" / "tools", TESTS / "fixtures" / "plans", TESTS / "fixtures" / "other_tools" / "tools"]
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", os.pathsep.join(str(folder) for folder in folders))


@pytest.mark.parametrize("key", [None, b"team key"], ids=["unsigned", "signed"])
@pytest.mark.parametrize("redact", [False, True], ids=["plain", "redacted"])
def test_a_record_built_as_its_model_is_the_record_the_dict_built(
    tmp_path: Path, redact: bool, key: bytes | None
) -> None:
    cases = loadable(tmp_path)
    assert len(cases) >= 40  # the trainer cases and the fixtures: not a vacuous pass
    reviewed = 0
    for loaded in cases:
        try:
            review = reviewed_plan(loaded)
        except UserError:
            review = None
        reviewed += review is not None
        as_dict = seal(by_dict(loaded, review=review, redact=redact), key)
        as_model = seal_record(by_model(loaded, review=review, redact=redact), key)
        name = loaded.document.name
        assert dumps_record(as_model.as_json()) == dumps_record(as_dict), name
        assert as_model.integrity.sha256 == as_dict["integrity"]["sha256"], name
    assert reviewed >= 2


def test_suggested_facts_are_written_as_the_walk_wrote_them() -> None:
    loaded = load_answers(CASES / "17b-family-middle-not-brought.yaml", today=TODAY)
    fact = loaded.tool.context[0].id
    offered: dict[str, Any] = {
        "fact": fact,
        "source": "chronology",
        "suggested": 2,
        "confirmed": 3,
        "basis": "3 entries since 2026-01-05",
    }
    as_dict = seal(by_dict(loaded, suggestions=[offered]))
    as_model = seal_record(by_model(loaded, suggestions=[SuggestedFact.model_validate(offered)]))
    assert dumps_record(as_model.as_json()) == dumps_record(as_dict)


def test_a_built_record_reads_back_and_verifies_unchanged(tmp_path: Path) -> None:
    for loaded in loadable(tmp_path):
        if loaded.document.name.startswith(str(tmp_path / "tests")):
            continue  # fixtures may use tools not on the path here
        record = seal_record(by_model(loaded))
        path = tmp_path / "r.json"
        path.write_text(dumps_record(record.as_json()), encoding="utf-8")
        read = load_record(path)
        assert read.record == record
        assert dumps_record(read.record.as_json()) == path.read_text(encoding="utf-8")
        assert verify_record(read) == [], loaded.document.name
