"""Every child of a family side by side, and what a supervisor should see across them. Pure: records in.

A family reference (pseudonymous, like a case ref) links the case refs of children living under the
same care (`RecordStore.link_family`). For each child the view takes the newest record in force; it
flags a child not assessed, or not reassessed within their review period, while a sibling was, and a
child not seen alone.

Two facts come from the child's-world part of records when they carry it, and are "not recorded"
otherwise: whether the child was seen alone (`seen_alone`) and the adults of the household
(`household_adults`). Those two functions are the only places that read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

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
    household: list[str] | None = None  # None: not recorded

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
        return {True: "yes", False: "NO", None: "not recorded"}[self.seen_alone]


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


def seen_alone(record: Mapping[str, Any]) -> bool | None:
    """Whether the child was seen on their own at this assessment, when the record says (else None).

    The seam for the child's-world part of records: it reads `child.seen_alone` (record format 3's
    seen-and-heard section) when the record has it; records without it say nothing either way."""
    for key, inner in (("child", "seen_alone"), ("seen", "alone"), ("seen_and_heard", "seen_alone")):
        part = record.get(key)
        if isinstance(part, Mapping) and isinstance(part.get(inner), bool):
            return bool(part[inner])
    return None


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
) -> ChildView:
    """One child's column: from their newest record in force (None: never assessed)."""
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
    prompts = [f"{str(e.get('severity')).upper()} {e.get('id')}" for e in result.get("escalations") or []]
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
        seen_alone=seen_alone(record),
        household=household_adults(record),
    )


def family_flags(children: Sequence[ChildView], as_of: dt.date) -> list[str]:
    """What a supervisor should see across the children: a child not assessed (or not within their review
    period) while a sibling under the same care was; a child not seen alone; a review overdue."""
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
        if child.seen_alone is False:
            flags.append(f"{child.case_ref} was not seen alone at the latest assessment ({child.assessed_on}).")
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
