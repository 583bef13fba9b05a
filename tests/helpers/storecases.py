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
    data["plan"] = plan_moved(data.get("plan"), data["case"]["assessed_on"], assessed_on)
    data["child"] = child_moved(data.get("child"), data["case"]["assessed_on"], assessed_on)
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
    body["plan"] = plan_moved(body.get("plan"), body["case"]["assessed_on"], assessed_on)
    body["case"] = dict(body["case"], ref=ref, assessed_on=assessed_on)
    return seal(body, signing_key())


def child_moved(child: dict[str, Any] | None, old: object, new: object) -> dict[str, Any] | None:
    """A case's seen-and-heard part with the dates the child was seen moved as far as its assessment is moved,
    so that none falls after the assessment (refused)."""
    import datetime as dt

    if child is None or not child.get("seen_on"):
        return child
    shift = dt.date.fromisoformat(str(new)) - dt.date.fromisoformat(str(old))
    return dict(child, seen_on=[(dt.date.fromisoformat(str(day)) + shift).isoformat() for day in child["seen_on"]])


def plan_moved(plan: dict[str, Any] | None, old: object, new: object) -> dict[str, Any] | None:
    """A case's plan with every date moved as far as its assessment is moved (old to new), so that its
    actions and review still come after the assessment."""
    import datetime as dt

    if plan is None:
        return None
    shift = dt.date.fromisoformat(str(new)) - dt.date.fromisoformat(str(old))

    def moved(day: object) -> str:
        return (dt.date.fromisoformat(str(day)) + shift).isoformat()

    out = dict(plan)
    if out.get("review_on") is not None:
        out["review_on"] = moved(out["review_on"])
    if out.get("deferred_to") is not None:
        out["deferred_to"] = dict(out["deferred_to"], date=moved(out["deferred_to"]["date"]))
    out["needs"] = [
        dict(need, actions=[dict(action, by=moved(action["by"])) for action in need.get("actions", [])])
        for need in out.get("needs", [])
    ]
    return out


def write_record(folder: Path, name: str, record: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
