"""Answers files in: what a trainer scripts and what `--answers` reads (DESIGN §5), checked against a tool.

An answers file names a tool, the case, context facts and a rating for each item (or "not known",
or "does not apply" where the tool allows it), with evidence; every problem is reported with the
file, line and field so it can be fixed. Records (what an assessment writes) are in record.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    field_validator,
    model_validator,
)

from .dates import ACCEPTED, EARLIEST, parse_date, to_date
from .definition import ContextFact, Tool, asked_when
from .errors import Problem, UserError
from .expectations import Expectation, expectation_problems
from .filekinds import check_kind
from .loading import (
    NOTE_MAX_CHARS,
    Document,
    as_mapping,
    read_document,
    shown_key,
    validation_problems,
)
from .placeholders import check_unfilled
from .plans import Plan, ReviewIn, plan_problems, plan_required
from .scoring import Override, Result, applicable_items, fact_asked, score
from .text import check_line, check_note, unsafe_reason
from .toolfiles import ToolSource, find_tool
from .world import (
    WORLD_KEYS,
    Adult,
    Capacity,
    EvidenceSource,
    Household,
    Identity,
    SeenAndHeard,
    Strengths,
    child_seen,
    world_problems,
)

#: Lowering the level needs a rationale of at least this many characters (not "ok").
MIN_LOWERING_RATIONALE = 20
MAX_INT = 2**53 - 1  # larger integers do not survive JSON canonicalisation
CASE_REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$"

CaseRef = Annotated[str, Field(pattern=CASE_REF_PATTERN)]
#: Free text (tab and newline allowed) and one-line text: never control characters, terminal escapes or bidi overrides.
Note = Annotated[str, Field(max_length=NOTE_MAX_CHARS), AfterValidator(check_note)]
Line = Annotated[str, Field(max_length=NOTE_MAX_CHARS), AfterValidator(check_line)]


class _In(BaseModel):
    # Built on first use: commands that read records never build the answers-file models.
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True, defer_build=True)


#: A date in an answers file or a draft: YYYY-MM-DD, or DD/MM/YYYY as typed in the UK (quoted or not).
Day = Annotated[dt.date, BeforeValidator(to_date)]


class CaseInfo(_In):
    ref: CaseRef
    assessed_on: Day
    assessor: Line | None = None
    supervisor: Line | None = None

    @field_validator("ref", mode="before")
    @classmethod
    def _no_names(cls, value: Any) -> Any:
        if isinstance(value, str) and " " in value.strip():
            raise ValueError("use a pseudonymous case reference (no spaces), never a name")
        if isinstance(value, str) and not re.fullmatch(CASE_REF_PATTERN, value):
            raise ValueError(_case_ref_problem(value))
        return value


def _case_ref_problem(ref: str) -> str:
    """What is wrong with a case reference, in words (the pattern itself helps nobody)."""
    rule = "a case reference is 1 to 64 characters of A-Z, a-z, 0-9 and . _ / -, starting with a letter or digit"
    if not ref:
        return f"the case reference is empty: {rule}"
    if len(ref) > 64:
        return f"the case reference is {len(ref)} characters long: {rule}"
    if not re.fullmatch(r"[A-Za-z0-9]", ref[0]):
        return f"the case reference starts with {ref[0]!r}: {rule}"
    bad = next(ch for ch in ref if not re.fullmatch(r"[A-Za-z0-9._/-]", ch))
    return f"the case reference holds {bad!r}: {rule}"


class AnswerEntry(_In):
    value: Annotated[int, Strict()] | None = None
    evidence: Note | None = None
    not_known: Note | None = None
    does_not_apply: Note | None = None  # the reason this item does not apply to this child
    hardship: Annotated[bool, Strict()] = False  # the unmet need is mainly caused by money or housing
    source: EvidenceSource | None = None  # tool format 3 (`sources`): where the evidence came from, and when

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
        if self.source is not None and self.value is None:
            raise ValueError("a source says where a rating's evidence came from: it needs a value")
        return self


class OverrideIn(_In):
    band: Line
    rationale: Note
    agreed_by: Line | None = None  # the manager or supervisor who agreed: required to lower the level
    agreed_on: Day | None = None

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
    plan: Plan | None = None  # what must change for the child, who does what by when (plans.py)
    review: ReviewIn | None = None  # the last plan reviewed: a record file (relative to this file) and each need
    training: bool = False  # a scripted training case: kept out of history and caseload unless asked for
    expect: Expectation | None = None  # what a trainer's case should come out as (`neglect score --check`)
    # tool format 3: the child's world (see world.py), each asked when the tool lists its section
    child: SeenAndHeard | None = None
    household: Household | None = None
    strengths: Strengths | None = None
    capacity: Capacity | None = None
    identity: Identity | None = None

    def world(self) -> dict[str, SeenAndHeard | list[Adult] | Strengths | Capacity | Identity | None]:
        """The world sections given, by their top-level key (record order)."""
        return {key: getattr(self, key) for key in WORLD_KEYS}

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
    # Results by `with_override`: loading scores a file to check its plan, and the caller scores it again
    # (nothing here changes once loaded, so the second is the first).
    scored: dict[bool, Result] = field(default_factory=dict, compare=False, repr=False)

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
    check_kind(doc, "answers")  # a record or a tool given as an answers file is named as what it is
    data = as_mapping(doc, "answers file")
    check_unfilled(doc, lambda: _required_facts(data.get("tool"), path, tool))  # every placeholder at once
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
    if answers.expect is not None:
        found_in_expect = expectation_problems(tool.tool, answers.expect)
        problems += [doc.problem(message, ("expect", *loc)) for loc, message in found_in_expect]
    if problems:
        raise UserError(problems)
    loaded = LoadedAnswers(source=tool, answers=answers, context=context, document=doc)
    if answers.override is not None:
        escalated = score_answers(loaded, with_override=False).overall.escalated_band
        found = override_problems(tool.tool, answers.override, escalated, today)
        if found:
            raise UserError([doc.problem(message, ("override", *loc)) for loc, message in found])
    if complete and answers.plan is not None:  # a plan given is checked; a plan missing is `missing_plan`'s
        band = score_answers(loaded).overall.band
        ratings = {item: entry.value for item, entry in answers.answers.items()}
        planned = plan_problems(
            tool.tool, answers.plan, band=band, ratings=ratings, assessed_on=answers.case.assessed_on
        )
        if planned:
            raise UserError([doc.problem(message, ("plan", *loc)) for loc, message in planned])
    return loaded


def missing_plan(loaded: LoadedAnswers, result: Result) -> Problem | None:
    """The problem when the level `result` gives needs a plan (`plan_required`) and the file has none.

    Never a reason to hide a level: `score` still scores and warns with it; a record is not sealed
    without the plan (`assess --answers` exits 2 with it). It names the level, says whether prompts
    wait, and how to add the plan or defer it to a meeting. Located at the `answers:` key.
    """
    level = result.overall.band
    if loaded.answers.plan is not None or level is None or not plan_required(loaded.tool, level):
        return None
    band = loaded.tool.band(level)
    prompts = len(result.escalations)
    waiting = ""
    if prompts:  # the most pressing by name (prompts come most severe first): a refusal hides nothing urgent
        first = result.escalations[0]
        waiting = f", with {prompts} prompt(s) to act on (the most pressing: {first.severity.upper()}, {first.title})"
    line, _ = loaded.document.locate(("answers",))
    return Problem(
        f"these answers give {band.label}{waiting}, and that level needs a plan before a record is sealed: "
        "add plan: with its needs (items rated 3 or more: the outcome for the child, actions by role and "
        "date, contingency), or defer it with plan: {deferred_to: {meeting: NAME, date: YYYY-MM-DD}}",
        loaded.document.name,
        line,
        None,
        "plan",
    )


def not_asked_message(tool: Tool, fact: ContextFact) -> str:
    """Why a fact given against its `ask_if` is refused, and what to do."""
    assert fact.ask_if is not None
    return f"asked only when {asked_when(fact, tool)} (ask_if): remove it, or correct {fact.ask_if.id}"


def _required_facts(name: object, path: Path, tool: ToolSource | None) -> list[str]:
    """The required context facts of an answers file's tool (none when the tool cannot be found)."""
    try:
        source = tool or find_tool(str(name), base=path.parent)
    except UserError:
        return []
    return [fact.id for fact in source.tool.context if fact.required]


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
        if not fact_asked(fact, out):  # tool format 3 `ask_if`: the walk does not ask it, so it is not given
            if given.get(fact.id) is not None:
                problems.append(doc.problem(not_asked_message(tool, fact), loc))
            continue
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
            if isinstance(value, list | dict):
                quote = " (one choice, not a list or a mapping)"
            elif isinstance(value, str) or value is None:
                quote = ""
            else:
                quote = " (YAML read it as a number, date or true/false: put it in quotes)"
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
            return None, f"must be a date, not a date and time: write it as {ACCEPTED}"
        if isinstance(value, str):
            try:
                value = parse_date(value)
            except ValueError as exc:
                return None, f"must be a date: {exc}"
        if not isinstance(value, dt.date):
            return None, f"must be a date: write it as {ACCEPTED}"
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
    elif answers.case.assessed_on < EARLIEST:  # `1026-11-20` for 2026: a record dated a millennium ago
        problems.append(doc.problem(f"is before {EARLIEST.isoformat()}: check the year", ("case", "assessed_on")))
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
    sources = {item_id: entry.source for item_id, entry in answers.answers.items() if tool.item(item_id) is not None}
    assessed_on = answers.case.assessed_on
    for loc, message in world_problems(tool, answers.world(), sources, today=today, assessed_on=assessed_on):
        problems.append(doc.problem(message, loc))
    return problems


def score_answers(loaded: LoadedAnswers, *, with_override: bool = True) -> Result:
    """Score a loaded answers file (no record: see `assess_answers`); once per file and override choice."""
    if with_override in loaded.scored:
        return loaded.scored[with_override]
    given = loaded.answers.override
    override = given.as_override() if given is not None and with_override else None
    result = loaded.scored[with_override] = score(
        loaded.tool,
        loaded.ratings(),
        loaded.context,
        override,
        does_not_apply=loaded.does_not_apply(),
        hardship=loaded.hardship(),
        seen=child_seen(loaded.answers.child, loaded.answers.capacity, loaded.answers.case.assessed_on),
    )
    return result
