"""The supervisor's sign-off: an addendum linked to a sealed record by its hash (`neglect-signoff/1`).

The record is never changed. The addendum says whether the supervisor agrees with the level and
why, the decision (continue, step up, step down, strategy discussion, close), notes against the
tool's reflection prompts, the supervisor's role and name, and the date; it is sealed like a
record (sha256 over RFC 8785 JSON, and an HMAC when a team key is set) and names the record's
`integrity.sha256`. It is written beside the record file as `<record>.signoff.json` (0600).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, ValidationError

from .dates import to_date
from .errors import UserError
from .loading import NOTE_MAX_CHARS, RECORD_MAX_BYTES, as_mapping, display_name, parse_json, read_bytes
from .record import Record, canonical, seal, signing_key
from .text import check_line, check_note
from .version import __version__

SIGNOFF_SCHEMA = "neglect-signoff/1"
SUFFIX = ".signoff.json"
Decision = Literal["continue", "step_up", "step_down", "strategy_discussion", "close"]
#: Each decision in words, in the order offered.
DECISIONS: dict[str, str] = {
    "continue": "Continue as planned",
    "step_up": "Step up",
    "step_down": "Step down",
    "strategy_discussion": "Strategy discussion",
    "close": "Close",
}
Note = Annotated[str, Field(max_length=NOTE_MAX_CHARS), AfterValidator(check_note)]
Line = Annotated[str, Field(max_length=200), AfterValidator(check_line)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True, populate_by_name=True)


class ReflectionNote(_Model):
    """The supervisor's note against one of the tool's reflection prompts."""

    prompt: Line
    note: Note


class Signoff(_Model):
    """What the supervisor decides (an answers file for `neglect signoff --answers`, and the addendum's body)."""

    agrees: Annotated[bool, Strict()]  # with the level of need the record reached
    why: Note
    decision: Decision
    reflection: list[ReflectionNote] = Field(default_factory=list)
    role: Line
    name: Line
    signed_on: Annotated[dt.date, BeforeValidator(to_date)]  # YYYY-MM-DD or DD/MM/YYYY


class RecordLink(_Model):
    """Which record the sign-off is for: its integrity hash, and enough to say so in words."""

    sha256: str
    case_ref: str
    assessed_on: dt.date
    band: str | None


class Integrity(_Model):
    sha256: str
    hmac_sha256: str | None = None


class Addendum(_Model):
    """A sign-off as written to disk."""

    schema_: Literal["neglect-signoff/1"] = Field(alias="schema")
    record: RecordLink
    signoff: Signoff
    created_at: str
    neglect_cli_version: str
    integrity: Integrity


def signoff_problems(
    signoff: Signoff, record: Record, *, today: dt.date
) -> list[tuple[tuple[str | int, ...], str]]:
    """What a sign-off still needs, as (location, message) pairs; empty when it may stand."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    if not signoff.why.strip():
        out.append((("why",), "say why you agree or disagree with the level: it is what the next reader needs"))
    if not signoff.role.strip():
        out.append((("role",), "give your role (team manager, practice supervisor)"))
    if not signoff.name.strip():
        out.append((("name",), "give your name: a sign-off is a person's decision"))
    if signoff.signed_on > today:
        out.append((("signed_on",), "the date of the sign-off is in the future"))
    elif signoff.signed_on < record.case.assessed_on:
        out.append((("signed_on",), f"the sign-off is dated before the assessment ({record.case.assessed_on})"))
    prompts = {" ".join(p.split()) for p in record.reflection}
    for n, note in enumerate(signoff.reflection):
        if " ".join(note.prompt.split()) not in prompts:
            out.append((("reflection", n, "prompt"), "not one of the record's reflection prompts"))
    return out


def build_addendum(record: Record, signoff: Signoff, *, now: dt.datetime) -> dict[str, Any]:
    """The sealed addendum for `record` (JSON-ready)."""
    body = {
        "schema": SIGNOFF_SCHEMA,
        "record": {
            "sha256": record.integrity.sha256,
            "case_ref": record.case.ref,
            "assessed_on": record.case.assessed_on.isoformat(),
            "band": record.result.overall.band,
        },
        "signoff": signoff.model_dump(mode="json"),
        "created_at": now.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "neglect_cli_version": __version__,
    }
    return seal(body, signing_key())


def addendum_path(record_path: Path) -> Path:
    """Where a record's sign-off goes: beside it, `CASE_2026-11-24.json` -> `CASE_2026-11-24.signoff.json`."""
    return record_path.with_name(record_path.name.removesuffix(".json") + SUFFIX)


def is_addendum_name(path: Path) -> bool:
    return path.name.endswith(SUFFIX)


@dataclass(frozen=True, slots=True)
class LoadedAddendum:
    addendum: Addendum
    path: str
    raw: dict[str, Any]


def load_addendum(path: Path) -> LoadedAddendum:
    """Read and validate a sign-off file; problems are UserErrors (exit 2)."""
    from .loading import validation_problems

    doc = parse_json(read_bytes(path, max_bytes=RECORD_MAX_BYTES), display_name(path))
    data = as_mapping(doc, "sign-off")
    if data.get("schema") != SIGNOFF_SCHEMA:
        raise UserError([doc.problem(f"not a sign-off (schema must be {SIGNOFF_SCHEMA!r})", ("schema",))])
    try:
        addendum = Addendum.model_validate(data)
    except ValidationError as exc:
        raise UserError(validation_problems(exc, doc)) from None
    return LoadedAddendum(addendum=addendum, path=doc.name, raw=dict(data))


def addendum_problems(loaded: LoadedAddendum, record: Record | None) -> list[str]:
    """Whether the sign-off is as written (hash, HMAC when a key is set) and belongs to `record`."""
    problems = seal_problems(loaded.raw)
    if record is None:
        problems.append("sign-off: the record it signs off is not beside it")
    elif loaded.addendum.record.sha256 != record.integrity.sha256:
        problems.append("sign-off: it names another record (its record sha256 differs from this record's)")
    return problems


def seal_problems(raw: dict[str, Any]) -> list[str]:
    """Whether a sign-off is as written: its hash, and its HMAC when a team key is set."""
    body = dict(raw)
    stored = body.pop("integrity", None) or {}
    text = canonical(body)
    problems = []
    if hashlib.sha256(text).hexdigest() != stored.get("sha256"):
        problems.append("sign-off: integrity hash does not match: it was changed after it was written")
    key = signing_key()
    if key:
        mac = stored.get("hmac_sha256")
        if not mac:
            problems.append("sign-off: not signed, but a signing key is configured")
        elif not hmac.compare_digest(mac.encode(), hmac.new(key, text, hashlib.sha256).hexdigest().encode()):
            problems.append("sign-off: signature (HMAC) does not match")
    return problems


def find_addendum(record_path: Path) -> LoadedAddendum | None:
    """The sign-off beside a record file, if there is one (a damaged one is a UserError)."""
    path = addendum_path(record_path)
    return load_addendum(path) if path.is_file() else None
