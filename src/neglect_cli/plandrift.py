"""Drift in plans, read from a child's records (pure): actions overdue as of a date, outcomes not
achieved at review, the same need carried into a third plan, and assessments waiting for a
supervisor's sign-off more than `SIGNOFF_WORKING_DAYS` working days.

`diff` and `trend` show these after their own output (`--as-of DATE`, default today).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .record import Record

SIGNOFF_WORKING_DAYS = 5


@dataclass(frozen=True, slots=True)
class PlanDrift:
    """One thing a supervisor should see: its kind, the assessment it is about, and what it is, in words."""

    kind: str  # "overdue" | "not_achieved" | "third_plan" | "awaiting_signoff"
    assessed_on: str
    text: str

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "assessed_on": self.assessed_on, "text": self.text}


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days after `start` up to and including `end` (0 when `end` is not later)."""
    days = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days


def plan_drift(
    records: Sequence[Record],
    *,
    as_of: dt.date,
    name: Callable[[str], str] = lambda item_id: item_id,
    signed: Collection[str] | None = None,
) -> list[PlanDrift]:
    """What drifts in these records of one child, oldest first. `name` gives an item's title;
    `signed` holds the sha256 of each record known to be signed off (None: not known, nothing said)."""
    ordered = sorted(records, key=lambda r: (r.case.assessed_on, r.created_at))
    out: list[PlanDrift] = []
    for record in ordered:
        day = record.case.assessed_on.isoformat()
        review = record.review
        planned_now = {need.item for need in record.plan.needs} if record.plan is not None else set()
        reviewed = review.needs if review is not None else []
        reviewed_on = review.previous_assessed_on if review is not None else None
        for need in reviewed:
            if not need.achieved:
                out.append(
                    PlanDrift(
                        "not_achieved",
                        day,
                        f"{name(need.item)}: not achieved for the child at the review of {day} "
                        f"(the plan of {reviewed_on})",
                    )
                )
            if need.item in planned_now and need.plans + 1 >= 3:
                out.append(
                    PlanDrift(
                        "third_plan",
                        day,
                        f"{name(need.item)}: carried into plan {need.plans + 1} in a row on {day}",
                    )
                )
        # sign-offs exist from record format 3 on: an older record is never said to be waiting for one
        if signed is not None and record.schema_ == "neglect-record/3" and record.integrity.sha256 not in signed:
            waiting = working_days_between(record.case.assessed_on, as_of)
            if waiting > SIGNOFF_WORKING_DAYS:
                out.append(
                    PlanDrift(
                        "awaiting_signoff",
                        day,
                        f"the assessment of {day} has waited {waiting} working days for a supervisor's sign-off",
                    )
                )
    latest = ordered[-1] if ordered else None
    if latest is not None and latest.plan is not None:
        for planned in latest.plan.needs:
            for action in planned.actions:
                if action.by < as_of:
                    out.append(
                        PlanDrift(
                            "overdue",
                            latest.case.assessed_on.isoformat(),
                            f"overdue as of {as_of}: {action.who}, by {action.by}: {action.what} "
                            f"({name(planned.item)}; not yet reviewed)",
                        )
                    )
    return out


def drift_lines(found: Sequence[PlanDrift]) -> list[str]:
    """Each drift as one line, most pressing kind first."""
    order = {"overdue": 0, "third_plan": 1, "not_achieved": 2, "awaiting_signoff": 3}
    return [d.text for d in sorted(found, key=lambda d: (order.get(d.kind, 9), d.assessed_on))]
