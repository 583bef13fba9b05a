"""Answers files in, records out: validation against a tool, canonical JSON, integrity.

An answers file (DESIGN §5) is what a trainer scripts and what `--answers`
reads. A record (`schema: neglect-record/1`) is what an assessment writes:
stable keys in a stable order, an RFC 8785 hash over everything else, and
an optional HMAC when a team has a signing key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    Strict,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)

from . import __version__
from .definition import Tool
from .errors import Problem, UserError
from .loading import (
    NOTE_MAX_CHARS,
    RECORD_MAX_BYTES,
    Document,
    as_mapping,
    display_name,
    parse_json,
    read_bytes,
    read_document,
    shown_key,
    validation_problems,
)
from .scoring import Override, Result, applicable_items, score
from .text import check_line, check_note, json_safe, unsafe_reason
from .toolfiles import ToolSource, find_tool

RECORD_SCHEMA = "neglect-record/2"
#: Every record format this version reads. 2 added "does not apply" answers, the per-item hardship
#: mark, the override's sign-off and reasons in plain words; records in format 1 still verify.
RECORD_SCHEMAS = ("neglect-record/1", "neglect-record/2")
#: Lowering the level needs a rationale of at least this many characters (not "ok").
MIN_LOWERING_RATIONALE = 20
SIGNING_KEY_ENV = "NEGLECT_SIGNING_KEY"
SIGNING_KEY_FILE_ENV = "NEGLECT_SIGNING_KEY_FILE"
REDACTED = "[redacted]"
MAX_INT = 2**53 - 1  # larger integers do not survive JSON canonicalisation
CASE_REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$"

CaseRef = Annotated[str, Field(pattern=CASE_REF_PATTERN)]
#: Free text (tab and newline allowed) and one-line text: never control characters, terminal escapes or bidi overrides.
Note = Annotated[str, Field(max_length=NOTE_MAX_CHARS), AfterValidator(check_note)]
Line = Annotated[str, Field(max_length=NOTE_MAX_CHARS), AfterValidator(check_line)]


class _In(BaseModel):
    # Built on first use: commands that read records never build the answers-file models.
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True, defer_build=True)


class CaseInfo(_In):
    ref: CaseRef
    assessed_on: dt.date
    assessor: Line | None = None
    supervisor: Line | None = None

    @field_validator("ref", mode="before")
    @classmethod
    def _no_names(cls, value: Any) -> Any:
        if isinstance(value, str) and " " in value.strip():
            raise ValueError("use a pseudonymous case reference (no spaces), never a name")
        return value


class AnswerEntry(_In):
    value: Annotated[int, Strict()] | None = None
    evidence: Note | None = None
    not_known: Note | None = None
    does_not_apply: Note | None = None  # the reason this item does not apply to this child
    hardship: Annotated[bool, Strict()] = False  # the unmet need is mainly caused by money or housing

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool):
            return {"value": data}
        if not isinstance(data, dict):  # true, 2.5, "2" or an empty value: say what is wanted, never echo it
            raise ValueError(
                "expected a whole-number rating, {value: N, evidence: ...}, {not_known: why} or {does_not_apply: why}"
            )
        return data

    @model_validator(mode="after")
    def _one_kind_of_answer(self) -> AnswerEntry:
        given = [self.value is not None, self.not_known is not None, self.does_not_apply is not None]
        if sum(given) != 1:
            raise ValueError(
                "give exactly one of: a value, not_known (with a reason) or does_not_apply (with a reason)"
            )
        if self.hardship and self.value is None:
            raise ValueError("hardship marks a rating: it needs a value")
        return self


class OverrideIn(_In):
    band: Line
    rationale: Note
    agreed_by: Line | None = None  # the manager or supervisor who agreed: required to lower the level
    agreed_on: dt.date | None = None

    @field_validator("rationale")
    @classmethod
    def _rationale(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("an override needs a rationale")
        return value

    def as_override(self) -> Override:
        return Override(band=self.band, rationale=self.rationale, agreed_by=self.agreed_by, agreed_on=self.agreed_on)


def override_problems(tool: Tool, override: OverrideIn, escalated_band: str | None, today: dt.date) -> list[
    tuple[tuple[str, ...], str]
]:
    """What an override still needs: lowering the level needs a rationale of substance and a second person.

    Returns (location under `override`, message) pairs; empty when the override may stand.
    """
    if override.band not in {b.id for b in tool.bands}:
        return []  # reported as an unknown band
    lowering = escalated_band is not None and tool.band_index(override.band) < tool.band_index(escalated_band)
    if not lowering:
        return []
    shown = tool.band(escalated_band).label if escalated_band else ""
    out: list[tuple[tuple[str, ...], str]] = []
    if len(" ".join(override.rationale.split())) < MIN_LOWERING_RATIONALE:
        out.append(
            (
                ("rationale",),
                f"lowering the level below {shown} needs a rationale of at least {MIN_LOWERING_RATIONALE} "
                "characters: say what you know that the scores and prompts do not",
            )
        )
    if not (override.agreed_by or "").strip():
        out.append((("agreed_by",), "lowering the level needs the manager or supervisor who agreed (agreed_by)"))
    if override.agreed_on is None:
        out.append((("agreed_on",), "lowering the level needs the date it was agreed (agreed_on)"))
    elif override.agreed_on > today:
        out.append((("agreed_on",), "the date the override was agreed is in the future"))
    return out


class AnswersFile(_In):
    """The scripted case a trainer writes, and what `assess --answers` reads."""

    tool: Line
    case: CaseInfo
    context: dict[str, Any] = Field(default_factory=dict)
    answers: dict[str, AnswerEntry] = Field(default_factory=dict)
    override: OverrideIn | None = None
    child_voice: Note | None = None
    training: bool = False  # a scripted training case: kept out of history and caseload unless asked for

    @field_validator("context", "answers", mode="before")
    @classmethod
    def _empty_section(cls, value: Any) -> Any:
        # `answers:` with every item still commented out, as `neglect template` prints it, is YAML null
        return {} if value is None else value


@dataclass(frozen=True, slots=True)
class LoadedAnswers:
    """An answers file checked against its tool."""

    source: ToolSource
    answers: AnswersFile
    context: dict[str, Any]
    document: Document

    @property
    def tool(self) -> Tool:
        return self.source.tool

    def ratings(self) -> dict[str, int | None]:
        applies = applicable_items(self.tool, self.context)
        return {
            item_id: entry.value
            for item_id, entry in self.answers.answers.items()
            if item_id in applies and entry.does_not_apply is None
        }

    def does_not_apply(self) -> frozenset[str]:
        return answered_does_not_apply(self.answers.answers)

    def hardship(self) -> frozenset[str]:
        return marked_hardship(self.answers.answers)

    def missing(self) -> list[str]:
        """Applicable items with no answer at all (not even "not known")."""
        applies = applicable_items(self.tool, self.context)
        return [item.id for item in self.tool.items() if item.id not in self.answers.answers and item.id in applies]


def answered_does_not_apply(entries: Mapping[str, AnswerEntry]) -> frozenset[str]:
    """Items answered "does not apply" (scoring leaves them out of scores and coverage)."""
    return frozenset(item_id for item_id, entry in entries.items() if entry.does_not_apply is not None)


def marked_hardship(entries: Mapping[str, AnswerEntry]) -> frozenset[str]:
    """Rated items whose unmet need is marked as mainly caused by money or housing."""
    return frozenset(item_id for item_id, entry in entries.items() if entry.hardship)


def load_answers(path: Path, *, today: dt.date, complete: bool = True, tool: ToolSource | None = None) -> LoadedAnswers:
    """Read an answers file and check it against its tool; every problem reported at once.

    `complete=False` allows required context facts to be missing (to be asked later).
    """
    doc = read_document(path)
    data = as_mapping(doc, "answers file")
    try:
        answers = AnswersFile.model_validate(data)
    except ValidationError as exc:
        raise UserError(validation_problems(exc, doc)) from None
    if tool is None:
        try:
            tool = find_tool(answers.tool, base=path.parent)
        except UserError as exc:
            line, column = doc.locate(("tool",))
            raise UserError(
                [
                    Problem(f"tool: {p.message}" if p.file is None else str(p), doc.name, line, column)
                    for p in exc.problems
                ]
            ) from None
    context, problems = check_context(tool.tool, answers.context, doc, complete=complete)
    problems += check_answers(tool.tool, answers, context, doc, today=today)
    if problems:
        raise UserError(problems)
    loaded = LoadedAnswers(source=tool, answers=answers, context=context, document=doc)
    if answers.override is not None:
        escalated = score_answers(loaded, with_override=False).overall.escalated_band
        found = override_problems(tool.tool, answers.override, escalated, today)
        if found:
            raise UserError([doc.problem(message, ("override", *loc)) for loc, message in found])
    return loaded


def check_context(
    tool: Tool, given: Mapping[str, Any], doc: Document, *, complete: bool = True
) -> tuple[dict[str, Any], list[Problem]]:
    """Context facts checked against their declared types, in tool order."""
    problems: list[Problem] = []
    out: dict[str, Any] = {}
    for key in given:
        if tool.fact(key) is None:
            problems.append(doc.problem(f"unknown context fact {shown_key(key)!r}", ("context", key)))
    for fact in tool.context:
        loc = ("context", fact.id)
        if fact.id not in given or given[fact.id] is None:
            if fact.required and complete:
                problems.append(doc.problem(f"required context fact {fact.id!r} is missing", ("context",)))
            continue
        value, error = coerce_fact(fact.type, given[fact.id], fact.choices, fact.min, fact.max)
        if error:
            problems.append(doc.problem(error, loc))
        else:
            out[fact.id] = value
    return out, problems


def coerce_fact(
    kind: str, value: Any, choices: list[str] | None, low: int | None, high: int | None
) -> tuple[Any, str | None]:
    """One context value checked against its type. Returns (value, error message or None)."""
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return None, "must be a whole number"
        if abs(value) > MAX_INT:
            return None, "number is too large"
        if low is not None and value < low:
            return None, f"must be at least {low}"
        if high is not None and value > high:
            return None, f"must be at most {high}"
        return value, None
    if kind == "boolean":
        if not isinstance(value, bool):
            return None, "must be true or false"
        return value, None
    if kind == "choice":
        if not isinstance(value, str) or value not in (choices or []):
            quote = "" if isinstance(value, str) else " (YAML read it as a number or true/false: put it in quotes)"
            return None, f"must be one of: {', '.join(choices or [])}{quote}"
        return value, None
    if kind == "multichoice":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v in (choices or []) for v in value):
            text = isinstance(value, list) and all(isinstance(v, str) for v in value)
            quote = "" if text else " (YAML read one as a number, true/false or null: put choices in quotes)"
            return None, f"must be a list of: {', '.join(choices or [])}{quote}"
        if len(set(value)) != len(value):
            return None, "lists a choice twice"
        order = choices or []
        return sorted(value, key=order.index), None
    if kind == "date":
        if isinstance(value, dt.datetime):
            return None, "must be a date (YYYY-MM-DD), not a date and time"
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return None, "must be a date (YYYY-MM-DD)"
        if not isinstance(value, dt.date):
            return None, "must be a date (YYYY-MM-DD)"
        return value, None
    if not isinstance(value, str):
        return None, "must be text (put it in quotes)"
    if len(value) > 20_000:
        return None, "text is too long"
    reason = unsafe_reason(value)
    if reason:
        return None, reason
    return value, None


def check_answers(
    tool: Tool, answers: AnswersFile, context: Mapping[str, Any], doc: Document, *, today: dt.date
) -> list[Problem]:
    """Ratings, evidence, not-known reasons, the override and the case date, against the tool."""
    problems: list[Problem] = []
    values = tool.scale.values
    if answers.case.assessed_on > today:
        problems.append(doc.problem("assessment date is in the future", ("case", "assessed_on")))
    applies = applicable_items(tool, context)
    for item_id, entry in answers.answers.items():
        loc = ("answers", item_id)
        item = tool.item(item_id)
        if item is None:
            problems.append(doc.problem(f"unknown item {shown_key(item_id)!r} (not in {tool.id})", loc))
            continue
        if item_id not in applies:
            problems.append(doc.problem(f"item {item_id} does not apply at this age_months; remove it", loc))
            continue
        if entry.not_known is not None:
            if not tool.scale.allow_not_known:
                problems.append(doc.problem(f"{tool.id} does not allow 'not known' answers", loc))
            elif not entry.not_known.strip():
                problems.append(doc.problem("'not known' needs a reason", loc))
            continue
        if entry.does_not_apply is not None:
            if not item.may_not_apply:
                problems.append(
                    doc.problem(
                        f"{item_id} cannot be answered 'does not apply' in {tool.id}: rate it, or say it is not known",
                        (*loc, "does_not_apply"),
                    )
                )
            elif not entry.does_not_apply.strip():
                problems.append(doc.problem("'does not apply' needs a reason", (*loc, "does_not_apply")))
            continue
        value = entry.value
        if entry.hardship:
            mark = tool.hardship
            if mark is None:
                problems.append(doc.problem(f"{tool.id} does not record hardship per item", (*loc, "hardship")))
            elif context.get(mark.fact) is not True:
                problems.append(
                    doc.problem(f"a hardship mark needs the context fact {mark.fact} to be true", (*loc, "hardship"))
                )
            elif value is not None and value < mark.ask_from:
                message = f"a hardship mark is for ratings of {mark.ask_from} or more"
                problems.append(doc.problem(message, (*loc, "hardship")))
        if value not in values:
            problems.append(doc.problem(f"{value} is not on the scale ({values[0]}–{values[-1]})", loc))
            continue
        if item.evidence_from is not None and value is not None and value >= item.evidence_from:
            if not (entry.evidence or "").strip():
                problems.append(
                    doc.problem(f"a rating of {value} needs an evidence note (from {item.evidence_from})", loc)
                )
    if answers.override is not None and answers.override.band not in {b.id for b in tool.bands}:
        problems.append(doc.problem(f"unknown band {shown_key(answers.override.band)!r}", ("override", "band")))
    return problems


# --- records ----------------------------------------------------------------------------


class _Rec(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class ToolRef(_Rec):
    id: str
    version: str
    sha256: str

    @property
    def ref(self) -> str:
        """`id@version`, as `--tool` and `tools show` take it."""
        return f"{self.id}@{self.version}"


class CaseRecord(_Rec):
    ref: str
    assessed_on: dt.date
    assessor: str | None = None
    supervisor: str | None = None


class AnswerRecord(_Rec):
    item: str
    domain: str
    status: Literal["answered", "not_known", "not_applicable", "does_not_apply", "unanswered"]
    value: int | None = None
    evidence: str | None = None
    reason: str | None = None
    hardship: bool = False  # record format 2


class Integrity(_Rec):
    sha256: str
    hmac_sha256: str | None = None

    @model_serializer(mode="wrap")
    def _only_what_was_sealed(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # `seal` writes no hmac_sha256 key when unsigned; a dumped record must read the same as the file.
        data: dict[str, Any] = handler(self)
        if data.get("hmac_sha256") is None:
            data.pop("hmac_sha256", None)
        return data


class Record(_Rec):
    """One finished assessment, as written to disk (`schema: neglect-record/2`; format 1 still read)."""

    schema_: Literal["neglect-record/1", "neglect-record/2"] = Field(alias="schema")
    tool: ToolRef
    case: CaseRecord
    context: dict[str, Any]
    answers: list[AnswerRecord]
    result: Result
    child_voice: str | None = None
    reflection: list[str]
    redacted: bool = False
    training: bool = False
    created_at: str
    neglect_cli_version: str
    integrity: Integrity

    @model_serializer(mode="wrap")
    def _training_only_when_marked(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Records of real children carry no `training` key (records made before it existed read the same).
        data: dict[str, Any] = handler(self)
        if not data.get("training"):
            data.pop("training", None)
        return data

    def body(self) -> dict[str, Any]:
        """Everything the integrity hash covers, as JSON-ready data."""
        data = self.model_dump(mode="json", by_alias=True)
        data.pop("integrity")
        return data


def canonical(data: Any) -> bytes:
    """RFC 8785 canonical JSON (the bytes the `rfc8785` package gives, usually made faster)."""
    try:
        ready = _jcs_ready(data)
        # For what _jcs_ready lets through, the standard library's sorted, compact JSON is byte for byte
        # RFC 8785: the same string escapes, and key order by code point equals UTF-16 order below U+E000.
        text = json.dumps(ready, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
        return text.encode("utf-8")
    except (_NotJcsReady, ValueError, UnicodeEncodeError):
        import rfc8785  # the reference implementation: for anything unusual, and for its errors

        return rfc8785.dumps(data)


class _NotJcsReady(Exception):
    """A value whose RFC 8785 form the standard library's JSON might not give."""


def _jcs_ready(value: Any) -> Any:
    """The value with whole floats as ints (RFC 8785 writes 2.0 as 2); raises _NotJcsReady when unsure."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return value
    if kind is int:
        if -MAX_INT <= value <= MAX_INT:
            return value
    elif kind is float:
        if value.is_integer():
            if -MAX_INT <= value <= MAX_INT:
                return int(value)
        elif 1e-4 <= abs(value) < 1e16:  # plain decimals, written the same way by repr() and RFC 8785
            return value
    elif kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str or not (key.isascii() or max(map(ord, key)) < 0xE000):
                raise _NotJcsReady
            out[key] = _jcs_ready(item)
        return out
    elif kind is list or kind is tuple:
        return [_jcs_ready(item) for item in value]
    raise _NotJcsReady


def signing_key() -> bytes | None:
    """The team's key for signing records: $NEGLECT_SIGNING_KEY, or the file $NEGLECT_SIGNING_KEY_FILE names."""
    key = os.environ.get(SIGNING_KEY_ENV)
    if key:
        return key.encode("utf-8")
    key_file = os.environ.get(SIGNING_KEY_FILE_ENV)
    if not key_file:
        return None
    data = _read_key_file(Path(key_file).expanduser(), key_file)
    if not data:
        raise UserError("the signing key file is empty", file=key_file)
    return data


MAX_KEY_BYTES = 64 * 1024


def _read_key_file(path: Path, name: str) -> bytes:
    """A signing key file's bytes: a regular file, and small. A device (/dev/zero) or a pipe is refused
    without waiting on it (it is opened non-blocking and checked before anything is read)."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UserError(f"cannot read the signing key file ({exc.strerror})", file=name) from None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise UserError("the signing key file is not a regular file (a device, pipe or folder)", file=name)
        if status.st_size > MAX_KEY_BYTES:
            raise UserError(
                f"the signing key file is larger than {MAX_KEY_BYTES // 1024} KiB: is it the key?", file=name
            )
        return os.read(fd, MAX_KEY_BYTES + 1)[:MAX_KEY_BYTES].strip()
    except OSError as exc:
        raise UserError(f"cannot read the signing key file ({exc.strerror})", file=name) from None
    finally:
        os.close(fd)


def seal(body: dict[str, Any], key: bytes | None = None) -> dict[str, Any]:
    """Add `integrity` (sha256, and an HMAC when a key is given) to a record body."""
    raw = canonical(body)
    integrity: dict[str, Any] = {"sha256": hashlib.sha256(raw).hexdigest()}
    if key:
        integrity["hmac_sha256"] = hmac.new(key, raw, hashlib.sha256).hexdigest()
    return {**body, "integrity": integrity}


def build_record(
    loaded_tool: ToolSource,
    case: CaseInfo,
    context: Mapping[str, Any],
    entries: Mapping[str, AnswerEntry],
    result: Result,
    *,
    child_voice: str | None,
    created_at: dt.datetime,
    redact: bool = False,
    training: bool = False,
) -> dict[str, Any]:
    """The record body (no integrity yet) in its stable order. A training case says so (`training: true`)."""
    tool = loaded_tool.tool
    answers = []
    applies = applicable_items(tool, context)
    for item in tool.items():
        entry = entries.get(item.id)
        row: dict[str, Any] = {"item": item.id, "domain": item.domain_id}
        if item.id not in applies:
            row |= {"status": "not_applicable", "value": None, "evidence": None, "reason": None}
        elif entry is None:
            row |= {"status": "unanswered", "value": None, "evidence": None, "reason": None}
        elif entry.not_known is not None:
            row |= {"status": "not_known", "value": None, "evidence": None, "reason": entry.not_known}
        elif entry.does_not_apply is not None:
            row |= {"status": "does_not_apply", "value": None, "evidence": None, "reason": entry.does_not_apply}
        else:
            row |= {"status": "answered", "value": entry.value, "evidence": entry.evidence, "reason": None}
        row["hardship"] = bool(entry is not None and entry.hardship and item.id in applies)
        answers.append(row)
    body: dict[str, Any] = {
        "schema": RECORD_SCHEMA,
        "tool": {"id": tool.id, "version": tool.version, "sha256": loaded_tool.sha256},
        "case": case.model_dump(mode="json"),
        "context": {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in context.items()},
        "answers": answers,
        "result": result.model_dump(mode="json"),
        "child_voice": child_voice,
        "reflection": list(tool.reflection),
        "redacted": False,
        **({"training": True} if training else {}),
        "created_at": created_at.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "neglect_cli_version": __version__,
    }
    if redact:
        body = redact_body(body, tool)
    return body


def redact_body(body: dict[str, Any], tool: Tool | None) -> dict[str, Any]:
    """Remove evidence, not-known reasons, free-text context, child's voice and override rationale.

    Each field goes by its kind, never by what its value looks like: the record's own fields are free
    text by the format; a context fact by its type in the record's tool (the same id@version). A fact
    whose type is not known so (the tool is not installed) is removed unless it is a number, true/false
    or a date, which cannot carry words.
    """
    out: dict[str, Any] = json.loads(json.dumps(body))
    made_with = out.get("tool") or {}
    same_tool = tool is not None and (made_with.get("id"), made_with.get("version")) == (tool.id, tool.version)
    for row in out["answers"]:
        for key in ("evidence", "reason"):
            if row.get(key):
                row[key] = REDACTED
    for key, value in list(out["context"].items()):
        fact = tool.fact(key) if same_tool and tool is not None else None
        free_text = fact.type == "text" if fact is not None else not _cannot_hold_words(value)
        if free_text:
            out["context"][key] = REDACTED
    if out.get("child_voice"):
        out["child_voice"] = REDACTED
    override = out["result"].get("override")
    if override:
        for key in ("rationale", "agreed_by"):
            if override.get(key):
                override[key] = REDACTED
    for key in ("assessor", "supervisor"):
        if out["case"].get(key):
            out["case"][key] = REDACTED
    out["redacted"] = True
    return out


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _cannot_hold_words(value: Any) -> bool:
    """A number, true/false, nothing, or a date: a value no free text can hide in."""
    if value is None or isinstance(value, bool | int | float):
        return True
    return isinstance(value, str) and _DATE.fullmatch(value) is not None


def dumps_record(record: Mapping[str, Any]) -> str:
    """The record file's text: indented JSON in the record's own stable key order.

    Never larger than what `load_record` reads back (UserError instead: nothing is written that cannot be read).
    """
    text = json_safe(json.dumps(record, indent=2, ensure_ascii=False)) + "\n"
    if len(text) > RECORD_MAX_BYTES // 4 and len(text.encode("utf-8")) > RECORD_MAX_BYTES:
        raise UserError(f"the record would be larger than {RECORD_MAX_BYTES // 2**20} MiB, more than can be read back")
    return text


def score_answers(loaded: LoadedAnswers, *, with_override: bool = True) -> Result:
    """Score a loaded answers file (no record: see `assess_answers`)."""
    given = loaded.answers.override
    override = given.as_override() if given is not None and with_override else None
    return score(
        loaded.tool,
        loaded.ratings(),
        loaded.context,
        override,
        does_not_apply=loaded.does_not_apply(),
        hardship=loaded.hardship(),
    )


def assess_answers(loaded: LoadedAnswers, *, now: dt.datetime, redact: bool = False) -> tuple[Result, dict[str, Any]]:
    """Score a loaded answers file and build its sealed record."""
    result = score_answers(loaded)
    body = build_record(
        loaded.source,
        loaded.answers.case,
        loaded.context,
        loaded.answers.answers,
        result,
        child_voice=loaded.answers.child_voice,
        created_at=now,
        redact=redact,
        training=loaded.answers.training,
    )
    return result, seal(body, signing_key())


def default_record_name(case: CaseInfo) -> str:
    """`<ref>_<date>.json`. A ref with a character a file name cannot hold (`/`) gets a short hash of the
    real ref too, so that `CASE/7` and `CASE_7` never share a file."""
    ref = re.sub(r"[^A-Za-z0-9._-]", "_", case.ref)
    if ref != case.ref:
        ref += "-" + hashlib.sha256(case.ref.encode("utf-8")).hexdigest()[:8]
    return f"{ref}_{case.assessed_on.isoformat()}.json"


def check_replaceable(path: Path, case_ref: str) -> None:
    """`--force` replaces a record of the same case only: a record of another child is never overwritten."""
    try:
        if not path.is_file():
            return
        data = json.loads(read_bytes(path))
    except (UserError, OSError, ValueError):
        return  # not a record we can read: --force means what it says
    if not isinstance(data, dict) or data.get("schema") != RECORD_SCHEMA:
        return
    other = data.get("case", {}).get("ref") if isinstance(data.get("case"), dict) else None
    if other != case_ref:
        shown = other if isinstance(other, str) and re.fullmatch(CASE_REF_PATTERN, other) else "another case"
        raise UserError(
            f"holds the record of {shown}, not {case_ref}; --force never replaces a record of a different case "
            "(choose another --out)",
            file=str(path),
        )


# --- reading and verifying ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadedRecord:
    """A record as read: the validated model, its file name, and the raw data the hash covers."""

    record: Record
    path: str
    raw: dict[str, Any]


def load_record(path: Path) -> LoadedRecord:
    """Read and validate a record file (JSON). Schema problems are UserErrors (exit 2)."""
    doc = parse_json(read_bytes(path, max_bytes=RECORD_MAX_BYTES), display_name(path))
    data = as_mapping(doc, "record")
    if data.get("schema") not in RECORD_SCHEMAS:
        wanted = " or ".join(repr(s) for s in RECORD_SCHEMAS)
        raise UserError([doc.problem(f"not a neglect record (schema must be {wanted})", ("schema",))])
    try:
        record = Record.model_validate(data)
    except ValidationError as exc:
        raise UserError(validation_problems(exc, doc)) from None
    return LoadedRecord(record=record, path=doc.name, raw=dict(data))


def integrity_problems(loaded: LoadedRecord) -> list[str]:
    """Whether the record is as written: hash, and the HMAC when a key is configured."""
    body = dict(loaded.raw)
    stored = body.pop("integrity", None) or {}
    raw = canonical(body)
    problems = []
    if hashlib.sha256(raw).hexdigest() != stored.get("sha256"):
        problems.append("integrity hash does not match: the record was changed after it was written")
    key = signing_key()
    if key:
        mac = stored.get("hmac_sha256")
        if not mac:
            problems.append("record is not signed, but a signing key is configured (NEGLECT_SIGNING_KEY[_FILE])")
        elif not hmac.compare_digest(mac.encode("utf-8"), hmac.new(key, raw, hashlib.sha256).hexdigest().encode()):
            problems.append("signature (HMAC) does not match: the record was edited or signed with another key")
    return problems


def rescore_record(record: Record, tool: Tool) -> Result:
    """Score the stored answers again with the given tool."""
    ratings: dict[str, int | None] = {}
    for row in record.answers:
        if row.status == "answered":
            ratings[row.item] = row.value
        elif row.status == "not_known":
            ratings[row.item] = None
    does_not_apply = frozenset(row.item for row in record.answers if row.status == "does_not_apply")
    hardship = frozenset(row.item for row in record.answers if row.hardship)
    context: dict[str, Any] = {}
    for key, value in record.context.items():
        fact = tool.fact(key)
        if fact is not None and fact.type == "date" and isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                pass
        context[key] = value
    return score(tool, ratings, context, record.result.override, does_not_apply=does_not_apply, hardship=hardship)


def comparable_result(result: Result, schema: str) -> dict[str, Any]:
    """A result as verify compares it. Format-1 records kept reasons in the words of their day
    (ids, not titles) and did not say which rule raised the level: those are not re-derived."""
    data: dict[str, Any] = result.model_dump(mode="json")
    if schema == "neglect-record/1":
        for escalation in data["escalations"]:
            escalation.pop("because", None)
            escalation.pop("raised", None)
    return data


def verify_record(loaded: LoadedRecord, *, missing_tool_ok: bool = False) -> list[str]:
    """Every problem with a record: integrity, tool availability and sha256, the rules every record
    satisfies (the same as for an answers file), stored result.

    `missing_tool_ok` leaves out the problem of a tool not installed here (a report says so in its own words).
    """
    problems = integrity_problems(loaded)
    record = loaded.record
    ref = record.tool.ref
    try:
        source = find_tool(ref)
    except UserError:
        if not missing_tool_ok:
            problems.append(
                f"tool {ref} is not available here (put its folder on NEGLECT_TOOLS_PATH); "
                "the result cannot be re-scored"
            )
        return problems
    if source.sha256 != record.tool.sha256:
        problems.append(f"tool {ref} differs from the one used (sha256 changed)")
    rules = rule_problems(record, source.tool)
    problems += rules
    if rules:
        return problems  # a re-score of answers that break the rules means nothing
    rescored = comparable_result(rescore_record(record, source.tool), record.schema_)
    stored = comparable_result(record.result, record.schema_)
    if rescored != stored:
        fields = [key for key in stored if stored[key] != rescored.get(key)]
        problems.append("stored result does not match a re-score of the stored answers (" + ", ".join(fields) + ")")
    return problems


def rule_problems(record: Record, tool: Tool) -> list[str]:
    """What a record breaks of the rules an answers file must keep: the tool's items in order, ratings
    on the scale, evidence where the tool asks for it, reasons for "not known", context facts of their
    type, an override to a known band with a rationale, a date that could be given."""
    problems: list[str] = []
    case = record.case  # (its ref is data: the record store takes any ref, and so does verify)
    created = record.created_at[:10]
    if created and case.assessed_on.isoformat() > created:
        problems.append("case.assessed_on: after the record was created")
    context: dict[str, Any] = {}
    for key, value in record.context.items():
        fact = tool.fact(key)
        if fact is None:
            problems.append(f"context.{shown_key(key)}: not a context fact of {tool.id}")
            continue
        coerced, error = coerce_fact(fact.type, value, fact.choices, fact.min, fact.max)
        if error:
            problems.append(f"context.{key}: {error}")
        else:
            context[key] = coerced
    expected = [(item.id, item.domain_id) for item in tool.items()]
    stored = [(row.item, row.domain) for row in record.answers]
    if stored != expected:
        missing = [i for i, _ in expected if i not in {s for s, _ in stored}]
        extra = [shown_key(i) for i, _ in stored if i not in {e for e, _ in expected}]
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"not in the tool {', '.join(extra)}" if extra else "",
            )
            if part
        )
        problems.append(f"answers: not the items of {tool.ref} in its order ({detail or 'order or domains differ'})")
    applies = applicable_items(tool, context)
    values = tool.scale.values
    for n, row in enumerate(record.answers):
        item = tool.item(row.item)
        if item is None:
            continue
        where = f"answers[{n}] ({row.item})"
        if row.status == "not_applicable":
            if row.item in applies:
                problems.append(f"{where}: marked not applicable, but it applies at this age_months")
            elif row.value is not None or row.evidence or row.reason:
                problems.append(f"{where}: not applicable, yet it holds an answer")
            continue
        if row.item not in applies:
            problems.append(f"{where}: answered, but the item does not apply at this age_months")
            continue
        if row.hardship:
            mark = tool.hardship
            if mark is None:
                problems.append(f"{where}: {tool.id} does not record hardship per item")
            elif context.get(mark.fact) is not True:
                problems.append(f"{where}: a hardship mark needs the context fact {mark.fact} to be true")
            elif row.value is None or row.value < mark.ask_from:
                problems.append(f"{where}: a hardship mark is for ratings of {mark.ask_from} or more")
        if row.status == "unanswered":
            if row.value is not None or row.evidence or row.reason:
                problems.append(f"{where}: unanswered, yet it holds an answer")
        elif row.status == "does_not_apply":
            if not item.may_not_apply:
                problems.append(f"{where}: cannot be answered 'does not apply' in {tool.id}")
            elif not (row.reason or "").strip():
                problems.append(f"{where}: 'does not apply' needs a reason")
            if row.value is not None:
                problems.append(f"{where}: 'does not apply', yet it holds a rating")
        elif row.status == "not_known":
            if not tool.scale.allow_not_known:
                problems.append(f"{where}: {tool.id} does not allow 'not known' answers")
            elif not (row.reason or "").strip():
                problems.append(f"{where}: 'not known' needs a reason")
            if row.value is not None:
                problems.append(f"{where}: 'not known', yet it holds a rating")
        elif row.value not in values:
            problems.append(f"{where}: rating {row.value} is not on the scale ({values[0]}–{values[-1]})")
        elif item.evidence_from is not None and row.value >= item.evidence_from and not (row.evidence or "").strip():
            problems.append(f"{where}: a rating of {row.value} needs an evidence note (from {item.evidence_from})")
    override = record.result.override
    if override is not None:
        if override.band not in {b.id for b in tool.bands}:
            problems.append(f"result.override.band: unknown band {shown_key(override.band)!r}")
        if not override.rationale.strip():
            problems.append("result.override.rationale: an override needs a rationale")
        elif record.schema_ != "neglect-record/1":  # lowering needs a second person since format 2
            try:
                made = dt.date.fromisoformat(record.created_at[:10])
            except ValueError:
                made = dt.date.max
            given = OverrideIn.model_construct(**override.model_dump())
            for where_in, message in override_problems(tool, given, record.result.overall.escalated_band, made):
                problems.append(f"result.override.{'.'.join(where_in)}: {message}")
    return problems
