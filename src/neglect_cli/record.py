"""Records out: what an assessment writes, canonical JSON, integrity, and verifying a record.

A record (`schema: neglect-record/2`; format 1 still read) is what an assessment writes: stable keys
in a stable order, an RFC 8785 hash over everything else, and an optional HMAC when a team has a
signing key. Answers files (what comes in) are read and checked in answers.py.
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
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    model_serializer,
    model_validator,
)

from .answers import (
    CASE_REF_PATTERN,
    MAX_INT,
    AnswerEntry,
    CaseInfo,
    LoadedAnswers,
    OverrideIn,
    coerce_fact,
    missing_plan,
    not_asked_message,
    override_problems,
    score_answers,
)
from .definition import Tool
from .errors import UserError
from .filekinds import check_kind, check_kind_of_unreadable
from .loading import (
    RECORD_MAX_BYTES,
    as_mapping,
    display_name,
    parse_json,
    read_bytes,
    shown_key,
    validation_problems,
)
from .plans import Plan, Review, plan_problems, redact_plan, redact_review, review_of, with_review_date
from .scoring import Result, applicable_items, fact_asked, score
from .text import json_safe
from .toolfiles import ToolSource, find_tool
from .version import __version__
from .world import (
    WORLD_KEYS,
    Adult,
    Capacity,
    EvidenceSource,
    Identity,
    SeenAndHeard,
    Strengths,
    child_seen,
    redact_world,
    world_body,
    world_problems,
)

RECORD_SCHEMA = "neglect-record/3"
#: Every record format this version reads. 2 added "does not apply" answers, the per-item hardship
#: mark, the override's sign-off and reasons in plain words; 3 is shared by this session's additions
#: (docs/tool-format.md says what each added; the chronology's `suggestions` among them). Records in
#: formats 1 and 2 still verify.
RECORD_SCHEMAS = ("neglect-record/1", "neglect-record/2", "neglect-record/3")
RECORD_SCHEMA_3 = RECORD_SCHEMA  # what the child's world needs (world.py); every record is written in it now
SIGNING_KEY_ENV = "NEGLECT_SIGNING_KEY"
SIGNING_KEY_FILE_ENV = "NEGLECT_SIGNING_KEY_FILE"
REDACTED = "[redacted]"



# --- records ----------------------------------------------------------------------------


class _Rec(BaseModel):
    # Built on first use: `neglect score` without --out never builds the record models.
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True, defer_build=True)


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
    source: EvidenceSource | None = None  # record format 3: where the evidence came from, and when

    @model_serializer(mode="wrap")
    def _source_only_when_given(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)  # rows without a source read as they were written
        if self.source is None:
            data.pop("source", None)
        else:  # written without its empty fields (no `by` unless someone told)
            data["source"] = self.source.model_dump(mode="json", exclude_none=True)
        return data


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


class SuggestedFact(_Rec):
    """A context fact the child's chronology suggested (format 3), and what the practitioner confirmed:
    the suggested value kept or corrected (`confirmed` is the value in `context`; null when skipped)."""

    fact: str
    source: Literal["chronology"]
    suggested: int | bool | list[str]
    confirmed: int | bool | str | list[str] | None
    basis: str  # how it was worked out, in plain words (dates, counts and entry numbers: never free text)


class RecordBody(_Rec):
    """One finished assessment before it is sealed: everything a record holds but its `integrity`, in the
    record's stable order. `build_record` makes one; `seal_record` seals it into a `Record`."""

    schema_: Literal["neglect-record/1", "neglect-record/2", "neglect-record/3"] = Field(alias="schema")
    tool: ToolRef
    case: CaseRecord
    context: dict[str, Any]
    suggestions: list[SuggestedFact] | None = None  # format 3: only when the chronology suggested a fact
    answers: list[AnswerRecord]
    result: Result
    child_voice: str | None = None
    plan: Plan | None = None  # record format 3 (always written, null when there is none)
    review: Review | None = None  # record format 3: the last plan reviewed (null when there was none)
    # record format 3: the child's world (world.py); absent when not recorded
    child: SeenAndHeard | None = None
    household: list[Adult] | None = None
    strengths: Strengths | None = None
    capacity: Capacity | None = None
    identity: Identity | None = None
    reflection: list[str]
    redacted: bool = False
    training: bool = False
    created_at: str
    neglect_cli_version: str

    @model_serializer(mode="wrap")
    def _training_only_when_marked(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Records of real children carry no `training` key (records made before it existed read the same).
        data: dict[str, Any] = handler(self)
        if not data.get("training"):
            data.pop("training", None)
        if self.schema_ in ("neglect-record/1", "neglect-record/2"):
            data.pop("plan", None)  # read as it was written: formats 1 and 2 had no plan
            data.pop("review", None)
        for key in WORLD_KEYS:  # format 3 sections are written only when recorded, without empty fields
            if data.get(key) is None:
                data.pop(key, None)
        data.update(world_body({key: getattr(self, key) for key in WORLD_KEYS}))
        if data.get("suggestions") is None:  # only in a record whose walk was offered suggestions
            data.pop("suggestions", None)
        return data

    @model_validator(mode="after")
    def _format_3_parts_only_in_format_3(self) -> RecordBody:
        if self.schema_ != RECORD_SCHEMA_3:
            given = [key for key in WORLD_KEYS if getattr(self, key) is not None]
            if any(row.source is not None for row in self.answers):
                given.append("answers[].source")
            if given:
                raise ValueError(f"{', '.join(given)}: only in records of format {RECORD_SCHEMA_3}")
        return self

    def as_json(self) -> dict[str, Any]:
        """The record as JSON-ready data in its stable key order (what its file holds)."""
        return self.model_dump(mode="json", by_alias=True)


class Record(RecordBody):
    """One finished assessment, as written to disk (`schema: neglect-record/3`; formats 1 and 2 still read)."""

    integrity: Integrity

    def body(self) -> dict[str, Any]:
        """Everything the integrity hash covers, as JSON-ready data."""
        data = self.as_json()
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
    plan: Plan | None = None,
    review: Review | None = None,
    world: Mapping[str, Any] | None = None,
    suggestions: list[SuggestedFact] | None = None,
) -> RecordBody:
    """The record (no integrity yet: `seal_record` adds it). A training case says so (`training: true`);
    facts the chronology suggested are kept with what was confirmed (`suggestions`, only when there are any).

    A plan without a review date gets the one its level asks for. `world`: the child's world sections
    by top-level key (world.WORLD_KEYS), written only when given.
    """
    tool = loaded_tool.tool
    applies = applicable_items(tool, context)
    sections = world or {}
    body = RecordBody(
        schema=RECORD_SCHEMA,
        tool=ToolRef(id=tool.id, version=tool.version, sha256=loaded_tool.sha256),
        case=CaseRecord(ref=case.ref, assessed_on=case.assessed_on, assessor=case.assessor, supervisor=case.supervisor),
        context={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in context.items()},
        suggestions=suggestions or None,
        answers=[
            _answer_row(item.id, item.domain_id, entries.get(item.id), item.id in applies) for item in tool.items()
        ],
        result=result,
        child_voice=child_voice,
        plan=None if plan is None else with_review_date(plan, tool, result.overall.band, case.assessed_on),
        review=review,
        child=sections.get("child"),
        household=sections.get("household"),
        strengths=sections.get("strengths"),
        capacity=sections.get("capacity"),
        identity=sections.get("identity"),
        reflection=list(tool.reflection),
        training=training,
        created_at=created_at.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        neglect_cli_version=__version__,
    )
    return redact_record(body, tool) if redact else body


def _answer_row(item: str, domain: str, entry: AnswerEntry | None, applies: bool) -> AnswerRecord:
    """One item's row in a record: its answer, or why there is none."""
    if not applies:
        return AnswerRecord(item=item, domain=domain, status="not_applicable")
    if entry is None:
        return AnswerRecord(item=item, domain=domain, status="unanswered")
    if entry.not_known is not None:
        return AnswerRecord(
            item=item, domain=domain, status="not_known", reason=entry.not_known, hardship=entry.hardship
        )
    if entry.does_not_apply is not None:
        return AnswerRecord(
            item=item, domain=domain, status="does_not_apply", reason=entry.does_not_apply, hardship=entry.hardship
        )
    return AnswerRecord(
        item=item,
        domain=domain,
        status="answered",
        value=entry.value,
        evidence=entry.evidence,
        hardship=entry.hardship,
        source=entry.source,
    )


def seal_record(body: RecordBody, key: bytes | None = None) -> Record:
    """The record sealed: `integrity` holds the SHA-256 of its canonical JSON, and an HMAC when a key is given."""
    integrity = seal(body.as_json(), key)["integrity"]
    fields = {name: getattr(body, name) for name in RecordBody.model_fields}
    return Record.model_construct(
        _fields_set=body.model_fields_set | {"integrity"}, **fields, integrity=Integrity(**integrity)
    )


def redact_record(body: RecordBody, tool: Tool | None) -> RecordBody:
    """The record with its free text removed (`redact_body` says what goes), unsealed."""
    return RecordBody.model_validate(redact_body(body.as_json(), tool))


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
    if out.get("plan"):
        out["plan"] = redact_plan(out["plan"], REDACTED)
    if out.get("review"):
        out["review"] = redact_review(out["review"], REDACTED)
    redact_world(out, REDACTED)
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


def dumps_record(record: RecordBody | Mapping[str, Any]) -> str:
    """The record file's text: indented JSON in the record's own stable key order.

    Never larger than what `load_record` reads back (UserError instead: nothing is written that cannot be read).
    """
    data = record.as_json() if isinstance(record, RecordBody) else record
    text = json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
    if len(text) > RECORD_MAX_BYTES // 4 and len(text.encode("utf-8")) > RECORD_MAX_BYTES:
        raise UserError(f"the record would be larger than {RECORD_MAX_BYTES // 2**20} MiB, more than can be read back")
    return text


def assess_answers(
    loaded: LoadedAnswers, *, now: dt.datetime, redact: bool = False, result: Result | None = None
) -> tuple[Result, Record]:
    """Score a loaded answers file and build its sealed record (the last plan's review checked against
    the record it names: UserError with file:line). A level that needs a plan is not sealed without one:
    UserError naming the level (see `answers.missing_plan`). `result`: the answers' score, when known."""
    result = result if result is not None else score_answers(loaded)
    review = reviewed_plan(loaded)
    missing = missing_plan(loaded, result)
    if missing is not None:
        raise UserError([missing])
    body = build_record(
        loaded.source,
        loaded.answers.case,
        loaded.context,
        loaded.answers.answers,
        result,
        child_voice=loaded.answers.child_voice,
        world=loaded.answers.world(),
        created_at=now,
        redact=redact,
        training=loaded.answers.training,
        plan=loaded.answers.plan,
        review=review,
    )
    return result, seal_record(body, signing_key())


def reviewed_plan(loaded: LoadedAnswers) -> Review | None:
    """An answers file's `review:` against the earlier record it names (same child, earlier, with a plan)."""
    given = loaded.answers.review
    if given is None:
        return None
    doc = loaded.document
    path = Path(doc.name).parent / given.previous
    try:
        previous = load_record(path)
    except UserError as exc:
        message = f"the last plan's record: {exc.problems[0].message}"
        raise UserError([doc.problem(message, ("review", "previous"))]) from None
    earlier = previous.record
    case = loaded.answers.case
    wrong = ""
    if earlier.case.ref != case.ref:
        wrong = "is of another case"
    elif earlier.case.assessed_on >= case.assessed_on:
        wrong = "is not earlier than this assessment"
    elif earlier.plan is None or not earlier.plan.needs:
        wrong = "has no plan with needs to review"
    if wrong:
        raise UserError([doc.problem(f"the record named {wrong}", ("review", "previous"))])
    assert earlier.plan is not None
    carried = {need.item: need.plans for need in earlier.review.needs} if earlier.review is not None else {}
    review, problems = review_of(
        earlier.plan, given, sha256=earlier.integrity.sha256, assessed_on=earlier.case.assessed_on, carried=carried
    )
    if problems:
        raise UserError([doc.problem(message, ("review", *loc)) for loc, message in problems])
    return review


def default_record_name(case: CaseInfo | CaseRecord) -> str:
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
    if not isinstance(data, dict) or data.get("schema") not in RECORD_SCHEMAS:
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
    raw = read_bytes(path, max_bytes=RECORD_MAX_BYTES)
    try:
        doc = parse_json(raw, display_name(path))
    except UserError:
        check_kind_of_unreadable(raw, display_name(path), "record")  # a YAML answers file is named as one
        raise
    check_kind(doc, "record")
    data = as_mapping(doc, "record")
    if data.get("schema") not in RECORD_SCHEMAS:
        *earlier, last = (repr(s) for s in RECORD_SCHEMAS)
        wanted = f"{', '.join(earlier)} or {last}"
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
    return score(
        tool,
        ratings,
        context,
        record.result.override,
        does_not_apply=does_not_apply,
        hardship=hardship,
        seen=child_seen(record.child, record.capacity, record.case.assessed_on),
    )


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
    for fact in tool.context:  # tool format 3 `ask_if`: a fact not asked holds no answer
        if fact.id in context and not fact_asked(fact, context):
            problems.append(f"context.{fact.id}: {not_asked_message(tool, fact)}")
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
                if record.redacted and getattr(override, where_in[0], None) == REDACTED:
                    continue  # checked when the record was made; redaction left only the marker
                problems.append(f"result.override.{'.'.join(where_in)}: {message}")
    if record.schema_ in ("neglect-record/1", "neglect-record/2"):
        for key in ("plan", "review"):
            if key in record.model_fields_set:
                problems.append(f"{key}: needs record format 3, not {record.schema_}")
    else:
        ratings = {row.item: row.value for row in record.answers if row.status == "answered"}
        band = record.result.overall.band
        found = plan_problems(tool, record.plan, band=band, ratings=ratings, assessed_on=case.assessed_on)
        problems.extend(f"plan{''.join(_shown_loc(loc))}: {message}" for loc, message in found)
    problems += _world_rule_problems(record, tool)
    return problems


def _shown_loc(loc: tuple[str | int, ...]) -> list[str]:
    """`("needs", 0, "outcome")` as `.needs[0].outcome`."""
    return [f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc]


def _world_rule_problems(record: Record, tool: Tool) -> list[str]:
    """The world sections (record format 3) against the tool and the day the record was made."""
    try:
        made = dt.date.fromisoformat(record.created_at[:10])
    except ValueError:
        made = dt.date.max
    sources = {row.item: row.source for row in record.answers if row.source is not None}
    parts = {key: getattr(record, key) for key in WORLD_KEYS}
    found = world_problems(tool, parts, sources, today=made)
    by_item = {row.item: n for n, row in enumerate(record.answers)}
    out = []
    for loc, message in found:
        if loc[0] == "answers":  # answers are a list in a record, by item in an answers file
            loc = ("answers", f"[{by_item.get(str(loc[1]), '?')}] ({loc[1]})", *loc[2:])
        out.append(".".join(str(part) for part in loc).replace(".[", "[") + f": {message}")
    return out
