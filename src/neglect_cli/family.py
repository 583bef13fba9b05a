"""Every child of a family side by side, and what a supervisor should see across them. Pure: records in.

A family reference (pseudonymous, like a case ref) links the case refs of children living under the
same care (`RecordStore.link_family`). For each child the view takes the newest record in force; it
flags a child not assessed, or not reassessed within their review period, while a sibling was, and a
child not seen alone.

Two facts come from the child's-world part of records when they carry it, and are "not recorded"
otherwise: whether the child was seen alone (`seen_alone`) and the adults of the household
(`household_adults`, and `nobody_lives_with`: none of them lives with the child). Those functions are the
only places that read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: The file `neglect store export` writes for each family's links, beside the records.
FAMILY_SCHEMA = "neglect-family/1"
FAMILY_SUFFIX = ".family.json"


@dataclass(frozen=True, slots=True)
class ChildView:
    case_ref: str
    record_id: int | None = None  # None: no assessment of this child in the store
    assessed_on: str | None = None
    assessor: str | None = None
    level: str | None = None
    level_rank: int | None = None
    level_count: int | None = None
    domains: list[tuple[str, str]] = field(default_factory=list)  # (domain title, level label)
    review_due: str | None = None
    prompts: list[str] = field(default_factory=list)  # "URGENT engagement-concern"
    age_months: int | None = None  # as of the view's date
    seen_alone: bool | None = None  # None: not recorded
    last_seen_alone: str | None = None  # YYYY-MM-DD, when the record gives it (review 6, 3.5)
    #: YYYY-MM-DD the child was last seen, when that was before the tool's window (`world.seen_within_days`; 9 weeks
    #: for neglect-core): not seen for the assessment
    not_seen_since: str | None = None
    not_seen_days: int | None = None  # days from then to the assessment
    household: list[str] | None = None  # None: not recorded
    #: the record's household is recorded and no adult in it lives with the child (review 8, 7b)
    nobody_lives_with: bool = False

    @property
    def age(self) -> str:
        if self.age_months is None:
            return "not recorded"
        years, months = divmod(self.age_months, 12)
        if years == 0:
            return f"{months} month{'s' if months != 1 else ''}"
        return f"{years} year{'s' if years != 1 else ''}" + (
            f" {months} month{'s' if months != 1 else ''}" if months else ""
        )

    @property
    def seen_alone_words(self) -> str:
        if self.not_seen_since is not None:  # not seen at all for the assessment says more (review 7, finding 5)
            return f"NOT SEEN for this assessment (last seen {self.not_seen_since})"
        if self.seen_alone is False and self.last_seen_alone:
            return f"NO (last on their own {self.last_seen_alone})"
        words = {True: "yes", False: "NO", None: "not recorded"}[self.seen_alone]
        return f"{words} (last {self.last_seen_alone})" if self.last_seen_alone else words


@dataclass(frozen=True, slots=True)
class FamilyView:
    family_ref: str
    as_of: str
    children: list[ChildView]
    flags: list[str]
    household: list[str] | None  # adults named by role or label in the children's records; None: not recorded

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for child, view in zip(data["children"], self.children, strict=True):
            child["age"] = view.age
        return data


def seen_alone(record: Mapping[str, Any], within_days: int | None = None) -> bool | None:
    """Whether the child was seen on their own at this assessment, when the record says (else None).

    The seam for the child's-world part of records: it reads `child.seen_alone` (record format 3's
    seen-and-heard section) when the record has it; records without it say nothing either way. A child
    last seen, or last seen on their own (`child.seen_alone_on`, when the record gives those dates), more than
    `within_days` (the record's tool's window, `world.seen_within_days`; `world.SEEN_WITHIN_DAYS` when not given)
    before the assessment was not seen alone for it, as the rules and the report read it."""
    for key, inner in (("child", "seen_alone"), ("seen", "alone"), ("seen_and_heard", "seen_alone")):
        part = record.get(key)
        if isinstance(part, Mapping) and isinstance(part.get(inner), bool):
            return bool(part[inner]) and not _last_seen_long_before(record, part, within_days)
    return None


def last_seen_alone(record: Mapping[str, Any]) -> str | None:
    """The last date (YYYY-MM-DD) the child was seen on their own, when the record gives it: the latest of
    `child.seen_alone_on`, or the one date seen of a child seen alone on one date only. None otherwise (not
    seen alone, not recorded, or seen on several dates without saying which were alone)."""
    part = record.get("child")
    if not isinstance(part, Mapping) or part.get("seen_alone") is not True:
        return None
    _, seen_on, alone_on = _seen_dates(record, part)
    if alone_on:
        return max(alone_on).isoformat()
    return seen_on[0].isoformat() if len(set(seen_on)) == 1 else None


def not_seen_since(record: Mapping[str, Any], within_days: int | None = None) -> tuple[str, int] | None:
    """The last date the child was seen (YYYY-MM-DD) and how many days before the assessment, when that was more
    than `within_days` (as for `seen_alone`) before it: the child was not seen for this assessment. None
    otherwise."""
    from .world import SEEN_WITHIN_DAYS, days_since_seen

    part = record.get("child")
    if not isinstance(part, Mapping) or part.get("seen") is not True:
        return None
    assessed_on, seen_on, _ = _seen_dates(record, part)
    days = days_since_seen(seen_on, assessed_on)
    if days is None or days <= (SEEN_WITHIN_DAYS if within_days is None else within_days):
        return None
    return max(seen_on).isoformat(), days


def _seen_dates(
    record: Mapping[str, Any], part: Mapping[str, Any]
) -> tuple[dt.date | None, list[dt.date], list[dt.date]]:
    """The assessment's date, the dates seen and the dates seen alone (empty when not given) of a record."""
    case = record.get("case")
    dates, alone = part.get("seen_on"), part.get("seen_alone_on")
    try:
        assessed_on = dt.date.fromisoformat(case["assessed_on"]) if isinstance(case, Mapping) else None
        seen_on = [dt.date.fromisoformat(day) for day in dates] if isinstance(dates, list) else []
        alone_on = [dt.date.fromisoformat(day) for day in alone] if isinstance(alone, list) else []
    except (KeyError, TypeError, ValueError):
        return None, [], []  # a record that verified holds ISO dates; anything else says nothing more
    return assessed_on, seen_on, alone_on


def _last_seen_long_before(record: Mapping[str, Any], part: Mapping[str, Any], within_days: int | None) -> bool:
    """The child was last seen, or last seen on their own when the record gives those dates, more than
    `within_days` (`world.SEEN_WITHIN_DAYS` when None) before the assessment."""
    from .world import SEEN_WITHIN_DAYS, days_since_seen

    within = SEEN_WITHIN_DAYS if within_days is None else within_days
    assessed_on, seen_on, alone_on = _seen_dates(record, part)
    for dates in (seen_on, alone_on):
        days = days_since_seen(dates, assessed_on)
        if days is not None and days > within:
            return True
    return False


def household_adults(record: Mapping[str, Any]) -> list[str] | None:
    """The adults in the child's life by role or pseudonymous label ("Mother", "Partner A"), when the record
    has a household part (a list of people with a `label` or `role`); None when it has none."""
    people = record.get("household")
    if isinstance(people, Mapping):
        people = people.get("members") or people.get("adults")
    if not isinstance(people, list):
        return None
    names = []
    for person in people:
        if isinstance(person, Mapping):
            name = person.get("label") or person.get("role")
            if isinstance(name, str) and name:
                names.append(name)
    return names


def nobody_lives_with(record: Mapping[str, Any]) -> bool:
    """The record's household is recorded (a list) and no adult in it is recorded as living with the child."""
    people = record.get("household")
    if not isinstance(people, list):
        return False
    return not any(isinstance(person, Mapping) and person.get("lives_with_child") is True for person in people)


def months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(months - (1 if end.day < start.day else 0), 0)


def child_view(
    case_ref: str,
    record: Mapping[str, Any] | None,
    *,
    record_id: int | None,
    review_due: str | None,
    band_labels: Mapping[str, str],
    band_ranks: Mapping[str, int],
    as_of: dt.date,
    within_days: int | None = None,
) -> ChildView:
    """One child's column: from their newest record in force (None: never assessed). `within_days`: how recently
    the record's tool counts a child as seen for an assessment (`world.seen_within_days`)."""
    if record is None:
        return ChildView(case_ref=case_ref)
    case = record.get("case") or {}
    result = record.get("result") or {}
    overall = result.get("overall") or {}
    band = overall.get("band")
    assessed_on = str(case.get("assessed_on"))
    age = (record.get("context") or {}).get("age_months")
    age_now = None
    if isinstance(age, int) and not isinstance(age, bool):
        age_now = age + months_between(dt.date.fromisoformat(assessed_on), as_of)
    domains = [
        (str(d.get("title") or d.get("id")), band_labels.get(d.get("band") or "", d.get("band") or "not scored"))
        for d in result.get("domains") or []
    ]
    from .definition import reading_order

    escalations = sorted(
        result.get("escalations") or [],
        key=lambda e: reading_order(e.get("severity"), e.get("raised"), band_ranks.get(str(e.get("minimum_band")))),
    )
    prompts = [f"{str(e.get('severity')).upper()} {e.get('id')}" for e in escalations]
    not_seen = not_seen_since(record, within_days)
    return ChildView(
        case_ref=case_ref,
        record_id=record_id,
        assessed_on=assessed_on,
        assessor=case.get("assessor"),
        level=band_labels.get(band, band) if band else "not scored",
        level_rank=band_ranks.get(band) if band else None,
        level_count=len(band_ranks) or None,
        domains=domains,
        review_due=review_due,
        prompts=prompts,
        age_months=age_now,
        seen_alone=seen_alone(record, within_days),
        last_seen_alone=last_seen_alone(record),
        not_seen_since=not_seen[0] if not_seen else None,
        not_seen_days=not_seen[1] if not_seen else None,
        household=household_adults(record),
        nobody_lives_with=nobody_lives_with(record),
    )


def family_flags(children: Sequence[ChildView], as_of: dt.date) -> list[str]:
    """What a supervisor should see across the children: a child not assessed (or not within their review
    period) while a sibling under the same care was; a child not seen alone; a review overdue; a child no adult
    in the recorded household lives with."""
    flags: list[str] = []
    assessed = [c for c in children if c.assessed_on is not None]
    if not assessed:
        return ["No child of this family has an assessment in the store."]
    newest = max(assessed, key=lambda c: c.assessed_on or "")
    for child in children:
        if child.assessed_on is None:
            flags.append(
                f"{child.case_ref} has no assessment in the store, while {newest.case_ref} was assessed on "
                f"{newest.assessed_on}: children under the same care are assessed together."
            )
            continue
        if child is not newest and child.review_due is not None and child.review_due < (newest.assessed_on or ""):
            flags.append(
                f"{child.case_ref} was last assessed on {child.assessed_on}; their review was due {child.review_due}, "
                f"before {newest.case_ref} was assessed on {newest.assessed_on}: assess {child.case_ref} too."
            )
        elif child.review_due is not None and child.review_due < as_of.isoformat():
            flags.append(f"{child.case_ref}: review overdue since {child.review_due}.")
        if child.not_seen_since is not None:
            flags.append(
                f"{child.case_ref} was not seen for the latest assessment ({child.assessed_on}; last seen "
                f"{child.not_seen_since}, {child.not_seen_days} days before)."
            )
        elif child.seen_alone is False:
            last = f"; last seen on their own {child.last_seen_alone}" if child.last_seen_alone else ""
            flags.append(f"{child.case_ref} was not seen alone at the latest assessment ({child.assessed_on}{last}).")
        if child.nobody_lives_with:
            flags.append(
                f"{child.case_ref}: no adult is recorded as living with them at the latest assessment "
                f"({child.assessed_on}): find out who is responsible for them, and where they will sleep tonight."
            )
    return flags


def family_view(family_ref: str, children: Sequence[ChildView], as_of: dt.date) -> FamilyView:
    adults: list[str] | None = None
    for child in children:
        if child.household is not None:
            adults = list(dict.fromkeys([*(adults or []), *child.household]))
    eldest_first = sorted(children, key=lambda c: (c.age_months is None, -(c.age_months or 0), c.case_ref))
    return FamilyView(
        family_ref=family_ref,
        as_of=as_of.isoformat(),
        children=eldest_first,
        flags=family_flags(eldest_first, as_of),
        household=adults,
    )


# --- the store's family links: export, import and check ---------------------------------------

LINKED_BY_MAX = 200


def link_problems(family_ref: str, case_ref: str, linked_by: str | None, linked_at: str) -> list[tuple[str, str]]:
    """What is wrong with one family link, as (field, message) pairs: a family or case reference that
    cannot be data, unsafe or over-long text in who linked it, a time that is not a time. Never quotes
    the text."""
    from .storeinfo import bad_case_ref
    from .text import unsafe_reason

    out: list[tuple[str, str]] = []
    reason = bad_case_ref(family_ref)
    if reason:
        out.append(("family_ref", reason.replace("case reference", "family reference")))
    reason = bad_case_ref(case_ref)
    if reason:
        out.append(("case_ref", reason))
    if linked_by is not None:
        reason = unsafe_reason(linked_by, multiline=False)
        if reason:
            out.append(("linked_by", f"who linked it: {reason}"))
        elif len(linked_by) > LINKED_BY_MAX:
            out.append(("linked_by", f"who linked it is {len(linked_by)} characters long (at most {LINKED_BY_MAX})"))
    try:
        dt.datetime.fromisoformat(linked_at)
    except (TypeError, ValueError):
        out.append(("linked_at", "when it was linked is not a date and time (ISO 8601, e.g. 2026-11-24T10:00:00Z)"))
    return out


def exported_family(family_ref: str, rows: Sequence[Mapping[str, Any]]) -> str:
    """A family's links (as the store holds them) as a `neglect-family/1` document, in the order linked."""
    import json

    links = [
        {"case_ref": str(row["case_ref"]), "linked_by": row["linked_by"], "linked_at": str(row["linked_at"])}
        for row in sorted(rows, key=lambda r: (str(r["linked_at"]), str(r["case_ref"])))
    ]
    data = {"schema": FAMILY_SCHEMA, "family_ref": family_ref, "links": links}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


class FamilyLink(BaseModel):
    """One child linked to the family, as the store keeps it: who linked them and when."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case_ref: str
    linked_by: str | None = None
    linked_at: str


class FamilyFile(BaseModel):
    """`neglect-family/1`: one family reference and the children linked to it, in the order linked."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["neglect-family/1"] = Field(alias="schema")
    family_ref: str
    links: list[FamilyLink]


def read_family_export(path: Path) -> FamilyFile:
    """A `neglect-family/1` file, every link checked (`link_problems`, and each child once). All or nothing:
    a UserError naming each bad link by its place in the file, never quoting its text."""
    from pydantic import ValidationError

    from .errors import Problem, UserError
    from .filekinds import check_kind
    from .loading import RECORD_MAX_BYTES, as_mapping, display_name, parse_json, read_bytes, validation_problems

    name = display_name(path)
    doc = parse_json(read_bytes(path, max_bytes=RECORD_MAX_BYTES), name)
    check_kind(doc, "family")
    data = as_mapping(doc, "family links")
    if data.get("schema") != FAMILY_SCHEMA:
        raise UserError([doc.problem(f"not a family export (schema must be '{FAMILY_SCHEMA}')", ("schema",))])
    try:
        found = FamilyFile.model_validate(data)
    except ValidationError as exc:
        raise UserError(validation_problems(exc, doc)) from None
    problems: list[Problem] = []
    seen: set[str] = set()
    for n, link in enumerate(found.links):
        at = ("links", n)
        for key, message in link_problems(found.family_ref, link.case_ref, link.linked_by, link.linked_at):
            problem = doc.problem(message, ("family_ref",) if key == "family_ref" else (*at, key))
            if problem not in problems:  # a bad family reference is said once
                problems.append(problem)
        if link.case_ref in seen:
            problems.append(doc.problem("this child is linked twice", (*at, "case_ref")))
        seen.add(link.case_ref)
    if not found.links:
        problems.append(doc.problem("a family export links at least one child", ("links",)))
    if problems:
        problems.append(Problem("nothing was imported from this file; it is not as it was exported", file=name))
        raise UserError(problems)
    return found
