"""The plan an assessment ends with (record format 3): what must change for the child, who does what by when.

An answers file's `plan:` and a record's `plan` have the same shape. A plan is either the
needs it works on or a named meeting it is deferred to. Each need is an item rated
`NEED_FROM` or more, with the outcome for the child (what will be different, observable),
actions (what, who as a role, by when) and what happens if the outcome is not reached
(contingency). The review date comes from the level (`review_weeks`): bringing it forward
is free, putting it back needs a reason. `plan_problems` holds every rule, for answers files,
the walk and `verify` alike; it returns (location, message) pairs and never repeats free text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, model_validator

from .dates import to_date
from .definition import Tool
from .loading import NOTE_MAX_CHARS
from .text import check_line, check_note

#: Items rated this or more are the needs a plan may work on.
NEED_FROM = 3
#: Outcomes about what adults or services do, not what changes for the child ("mother to engage").
_PROCESS_WORDS = re.compile(
    r"\b(engag\w*|compl(y|ies|iance|ying)|co-?operat\w*|attend(s|ing)? (meetings|appointments|sessions))\b",
    re.IGNORECASE,
)
#: A title and a word: a name, where a role is wanted ("Mrs Smith", not "Mother").
_TITLED_NAME = re.compile(r"^\s*(mr|mrs|ms|miss|mx|dr)\.?\s+\S", re.IGNORECASE)

Loc = tuple[str | int, ...]
Note = Annotated[str, Field(max_length=NOTE_MAX_CHARS), AfterValidator(check_note)]
Line = Annotated[str, Field(max_length=200), AfterValidator(check_line)]
#: A date as every date is read (YYYY-MM-DD or DD/MM/YYYY), written out as ISO.
Day = Annotated[dt.date, BeforeValidator(to_date)]


class _Plan(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True, defer_build=True)


class Action(_Plan):
    """One thing someone will do: what, who (a role, never a name), by when."""

    what: Note
    who: Line
    by: Day


class Need(_Plan):
    """One need of the plan: an item rated `NEED_FROM` or more and what must change for the child."""

    item: str
    outcome: Note  # what will be different for the child, that someone could see
    actions: list[Action] = Field(default_factory=list)
    contingency: Note = ""  # what happens if the outcome is not reached by the review


class Meeting(_Plan):
    """The meeting a plan is deferred to (a child in need meeting, a core group), and its date."""

    meeting: Line
    date: Day


class Plan(_Plan):
    """The plan: its needs and review date, or the meeting it is deferred to."""

    needs: list[Need] = Field(default_factory=list)
    review_on: Day | None = None  # default: the level's review period from the assessment date
    review_later_because: Note | None = None  # why the review is later than the level asks
    deferred_to: Meeting | None = None

    @model_validator(mode="before")
    @classmethod
    def _shape(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("expected needs (each with item, outcome, actions, contingency) or deferred_to")
        return data

    @model_validator(mode="after")
    def _needs_or_meeting(self) -> Plan:
        if self.deferred_to is not None and self.needs:
            raise ValueError("a plan is either its needs or deferred_to a meeting, not both")
        if self.deferred_to is None and not self.needs:
            raise ValueError("a plan needs at least one need (or deferred_to: {meeting, date})")
        return self


class PlanDraft(_Plan):
    """A plan being made in the walk: the same keys, any of them still missing (kept in the draft)."""

    model_config = ConfigDict(extra="forbid", frozen=False, hide_input_in_errors=True, defer_build=True)

    needs: list[Need] = Field(default_factory=list)
    review_on: Day | None = None
    review_later_because: Note | None = None
    deferred_to: Meeting | None = None

    def finished(self) -> Plan | None:
        """The plan, when it has what a plan needs (needs or a meeting), else None."""
        try:
            return Plan.model_validate(self.model_dump())
        except ValueError:
            return None


def outcome_problem(text: str) -> str | None:
    """What is wrong with an outcome for the child (None: nothing)."""
    if not text.strip():
        return "say what will be different for the child, that someone could see"
    if _PROCESS_WORDS.search(text):
        return (
            "say what will be different for the child (what someone would see), not that an adult will "
            "engage, comply or attend: put what adults do in actions"
        )
    return None


def who_problem(text: str) -> str | None:
    """What is wrong with who does an action (None: nothing): a role is wanted, never a name."""
    if not text.strip():
        return "say who will do it, as a role (Mother, Health visitor)"
    if _TITLED_NAME.match(text):
        return "give a role (Mother, Health visitor, Social worker), never a name"
    return None


def by_problem(day: dt.date, assessed_on: dt.date) -> str | None:
    """What is wrong with an action's date (None: nothing): never before the assessment."""
    if day < assessed_on:
        return f"{day} is before the assessment ({assessed_on}): give a later date"
    return None


def plan_required(tool: Tool, band: str | None) -> bool:
    """Whether the tool asks for a plan at this level (`plan_required: true` on the band, tool format 3)."""
    return band is not None and band in {b.id for b in tool.bands} and tool.band(band).plan_required


def review_due(tool: Tool, band: str | None, assessed_on: dt.date) -> dt.date | None:
    """The review date the level asks for: the assessment date plus the band's `review_weeks` (None if none)."""
    if band is None or band not in {b.id for b in tool.bands}:
        return None
    weeks = tool.band(band).review_weeks
    return None if weeks is None else assessed_on + dt.timedelta(weeks=weeks)


def with_review_date(plan: Plan, tool: Tool, band: str | None, assessed_on: dt.date) -> Plan:
    """The plan with its review date filled in from the level when none was given."""
    if plan.review_on is not None:
        return plan
    return plan.model_copy(update={"review_on": review_due(tool, band, assessed_on)})


def plan_problems(
    tool: Tool,
    plan: Plan | None,
    *,
    band: str | None,
    ratings: Mapping[str, int | None],
    assessed_on: dt.date,
) -> list[tuple[Loc, str]]:
    """Every rule a plan keeps, as (location under `plan`, message) pairs; empty when it may stand.

    `band` is the final level; `ratings` the items' ratings (None: not known).
    """
    if plan is None:
        if plan_required(tool, band):
            label = tool.band(band).label if band else ""
            wanted = "add plan: with its needs, or plan: {deferred_to: {meeting, date}}"
            return [((), f"{label} needs a plan: {wanted}")]
        return []
    out: list[tuple[Loc, str]] = []
    seen: set[str] = set()
    for n, need in enumerate(plan.needs):
        out.extend(((("needs", n, *loc), message) for loc, message in _need_problems(tool, need, ratings, assessed_on)))
        if need.item in seen:
            out.append((("needs", n, "item"), f"{need.item} is in the plan twice: put every action for it in one need"))
        seen.add(need.item)
    due = review_due(tool, band, assessed_on)
    if plan.review_on is not None:
        if plan.review_on <= assessed_on:
            out.append((("review_on",), f"the review must come after the assessment ({assessed_on})"))
        elif due is not None and plan.review_on > due and not (plan.review_later_because or "").strip():
            level = tool.band(band) if band else None
            asks = f"{level.label} asks for a review within {level.review_weeks} weeks" if level else ""
            out.append(
                (
                    ("review_on",),
                    f"{plan.review_on} is later than {due} ({asks}): bring it forward, "
                    "or say why it is put back in review_later_because",
                )
            )
    elif due is None and plan.needs:
        out.append((("review_on",), "the level has no review period: give the review date (review_on)"))
    put_back = plan.review_on is not None and due is not None and plan.review_on > due
    if plan.review_later_because is not None and not put_back:
        out.append((("review_later_because",), "the review is not put back: remove review_later_because"))
    if plan.deferred_to is not None:
        if not plan.deferred_to.meeting.strip():
            out.append((("deferred_to", "meeting"), "name the meeting the plan is deferred to"))
        if plan.deferred_to.date < assessed_on:
            out.append((("deferred_to", "date"), f"the meeting is before the assessment ({assessed_on})"))
    return out


def _need_problems(
    tool: Tool, need: Need, ratings: Mapping[str, int | None], assessed_on: dt.date
) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    item = tool.item(need.item)
    if item is None:
        out.append((("item",), f"not an item of {tool.id}"))
    else:
        rating = ratings.get(need.item)
        if rating is None or rating < NEED_FROM:
            shown = "not rated" if rating is None else f"rated {rating}"
            out.append((("item",), f"{item.name} is {shown}: a plan's needs are items rated {NEED_FROM} or more"))
    problem = outcome_problem(need.outcome)
    if problem:
        out.append((("outcome",), problem))
    if not need.actions:
        out.append((("actions",), "give at least one action: what, who (a role) and by when"))
    for a, action in enumerate(need.actions):
        if not action.what.strip():
            out.append((("actions", a, "what"), "say what will be done"))
        problem = who_problem(action.who)
        if problem:
            out.append((("actions", a, "who"), problem))
        problem = by_problem(action.by, assessed_on)
        if problem:
            out.append((("actions", a, "by"), problem))
    if not need.contingency.strip():
        out.append((("contingency",), "say what will happen if this has not changed for the child by the review"))
    return out


def plan_body(plan: Plan | None) -> dict[str, Any] | None:
    """The plan as a record holds it (JSON-ready), or None."""
    return None if plan is None else plan.model_dump(mode="json")


#: The plan's free text, removed by `--redact` (roles, dates and the meeting's name stay).
def redact_plan(plan: dict[str, Any], redacted: str) -> dict[str, Any]:
    """A record's plan with every outcome, action, contingency and reason replaced by `redacted`."""
    out = dict(plan)
    out["needs"] = [
        {
            **need,
            "outcome": redacted if need.get("outcome") else need.get("outcome"),
            "contingency": redacted if need.get("contingency") else need.get("contingency"),
            "actions": [{**action, "what": redacted} for action in need.get("actions", [])],
        }
        for need in plan.get("needs", [])
    ]
    if out.get("review_later_because"):
        out["review_later_because"] = redacted
    return out


# --- the review of the last plan ----------------------------------------------------------------

ActionStatus = Literal["done", "partly", "not_done", "no_longer_needed"]
#: Each action status in words, in the order offered.
ACTION_STATUSES: dict[str, str] = {
    "done": "done",
    "partly": "partly done",
    "not_done": "not done",
    "no_longer_needed": "no longer needed",
}


class NeedReviewIn(_Plan):
    """An answers file's review of one need of the last plan: was the outcome achieved for the child?"""

    achieved: Annotated[bool, Strict()]
    evidence: Note  # what shows it, for the child
    actions: list[ActionStatus] = Field(default_factory=list)  # one per action, in the last plan's order


class ReviewIn(_Plan):
    """`review:` in an answers file: the last plan (a record file, relative to the answers file) reviewed."""

    previous: Line
    needs: dict[str, NeedReviewIn] = Field(default_factory=dict)


class ReviewedAction(_Plan):
    what: str
    who: str
    by: dt.date
    status: ActionStatus


class ReviewedNeed(_Plan):
    item: str
    outcome: str  # the last plan's outcome for the child, as it was written
    achieved: bool
    evidence: str
    actions: list[ReviewedAction]
    plans: int = 1  # how many plans in a row, up to the one reviewed, have worked on this need




class Review(_Plan):
    """A record's review of the last plan (format 3): which record, and each need with its actions."""

    previous_sha256: str
    previous_assessed_on: dt.date
    needs: list[ReviewedNeed]


def review_of(
    plan: Plan,
    given: ReviewIn,
    *,
    sha256: str,
    assessed_on: dt.date,
    carried: Mapping[str, int] | None = None,
) -> tuple[Review, list[tuple[Loc, str]]]:
    """The review of `plan` (the last record's) from an answers file's `review:`, and its problems
    as (location under `review`, message) pairs: every need reviewed, one status per action.

    `carried` gives, for the needs the last record itself reviewed, how many plans in a row had them.
    """
    carried = carried or {}
    problems: list[tuple[Loc, str]] = []
    planned = {need.item: need for need in plan.needs}
    for item in given.needs:
        if item not in planned:
            problems.append((("needs", item), "not a need of the last plan"))
    reviewed: list[ReviewedNeed] = []
    for need in plan.needs:
        answer = given.needs.get(need.item)
        if answer is None:
            problems.append((("needs",), f"review every need of the last plan: {need.item} is missing"))
            continue
        if not answer.evidence.strip():
            problems.append((("needs", need.item, "evidence"), "say what shows whether it changed for the child"))
        if len(answer.actions) != len(need.actions):
            problems.append(
                (
                    ("needs", need.item, "actions"),
                    f"give one status for each of the last plan's {len(need.actions)} action(s), in its order "
                    "(done, partly, not_done, no_longer_needed)",
                )
            )
            continue
        reviewed.append(
            ReviewedNeed(
                item=need.item,
                outcome=need.outcome,
                achieved=answer.achieved,
                evidence=answer.evidence,
                actions=[
                    ReviewedAction(what=a.what, who=a.who, by=a.by, status=status)
                    for a, status in zip(need.actions, answer.actions, strict=True)
                ],
                plans=carried.get(need.item, 0) + 1,
            )
        )
    return Review(previous_sha256=sha256, previous_assessed_on=assessed_on, needs=reviewed), problems


def redact_review(review: dict[str, Any], redacted: str) -> dict[str, Any]:
    """A record's review with outcomes, evidence and what each action was replaced by `redacted`."""
    out = dict(review)
    out["needs"] = [
        {**n, "outcome": redacted, "evidence": redacted, "actions": [{**a, "what": redacted} for a in n["actions"]]}
        for n in review.get("needs", [])
    ]
    return out
