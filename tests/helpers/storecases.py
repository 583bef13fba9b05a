"""Answers files and records for the store tests: shipped cases given another child, date or training mark."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from helpers import CASES


def answers_file(
    folder: Path,
    ref: str,
    assessed_on: str,
    *,
    base: str = "10a-drift-first-review.yaml",
    training: bool = False,
    assessor: str | None = None,
    supervisor: str | None = None,
    override: dict[str, Any] | None = None,
) -> Path:
    """A copy of a shipped case for another child and date (not marked as training unless asked)."""
    data: dict[str, Any] = yaml.safe_load((CASES / base).read_text(encoding="utf-8"))
    data["training"] = training
    data["case"] = dict(data["case"], ref=ref, assessed_on=assessed_on)
    if assessor is not None:
        data["case"]["assessor"] = assessor
    if supervisor is not None:
        data["case"]["supervisor"] = supervisor
    if override is not None:
        data["override"] = override
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{ref.replace('/', '_')}-{assessed_on}-{base}"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def make_record(ref: str, assessed_on: str, *, base: str = "10a-drift-first-review.yaml") -> dict[str, Any]:
    """A sealed record built in-process (no CLI, no store), for any case ref at all — hostile ones too."""
    import datetime as dt

    from neglect_cli.answers import load_answers
    from neglect_cli.record import assess_answers, seal, signing_key

    path = CASES / base
    loaded = load_answers(path, today=dt.date(2026, 11, 24))
    _, record = assess_answers(loaded, now=dt.datetime(2026, 11, 24, tzinfo=dt.UTC))
    body = record.body()
    body.pop("training", None)
    body["case"] = dict(body["case"], ref=ref, assessed_on=assessed_on)
    return seal(body, signing_key())


def write_record(folder: Path, name: str, record: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
