"""The supervisor's queue: which children need attention as of a date. Pure: rows in, queue out.

The rows are the store's columns for each child's newest record still in force and the
one before it (`RecordStore.caseload_rows`); nothing here reads a record or a clock.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

#: The columns the caseload reads from the store.
CASELOAD_COLUMNS = (
    "id",
    "case_ref",
    "assessed_on",
    "created_at",
    "assessor",
    "supervisor",
    "tool_id",
    "tool_version",
    "computed_band",
    "escalated_band",
    "final_band",
    "final_label",
    "final_rank",
    "overridden",
    "lowered_by_override",
    "override_agreed_by",
    "provisional",
    "prompts",
    "top_severity",
    "review_weeks",
    "review_due",
)
DUE_SOON_DAYS = 14
URGENT = 3  # SEVERITY_RANK of "urgent"; "immediate" is 4


@dataclass(frozen=True, slots=True)
class Entry:
    """One child in one section of the queue, with the words that say why."""

    case_ref: str
    record_id: int
    assessed_on: str
    assessor: str | None
    final_label: str | None
    why: str
    days: int | None = None  # overdue by / due in / late by, where a section is about days


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    entries: list[Entry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Caseload:
    as_of: dt.date
    children: int
    sections: list[Section]

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "children": self.children,
            "sections": {s.key: {"title": s.title, "entries": [asdict(e) for e in s.entries]} for s in self.sections},
        }


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _matches(value: str | None, wanted: str | None) -> bool:
    return wanted is None or (value or "").strip().casefold() == wanted.strip().casefold()


def _entry(row: Mapping[str, Any], why: str, days: int | None = None) -> Entry:
    return Entry(
        case_ref=row["case_ref"],
        record_id=row["id"],
        assessed_on=row["assessed_on"],
        assessor=row["assessor"],
        final_label=row["final_label"],
        why=why,
        days=days,
    )


def build_caseload(
    rows: Iterable[Mapping[str, Any]],
    as_of: dt.date,
    *,
    assessor: str | None = None,
    supervisor: str | None = None,
) -> Caseload:
    """The queue from each child's newest record (position 1) and the one before it (position 2)."""
    latest: dict[str, Mapping[str, Any]] = {}
    previous: dict[str, Mapping[str, Any]] = {}
    for row in rows:
        (latest if row["position"] == 1 else previous)[row["case_ref"]] = row
    overdue: list[Entry] = []
    due_soon: list[Entry] = []
    drift: list[Entry] = []
    urgent: list[tuple[int, str, Entry]] = []
    lowered: list[Entry] = []
    provisional: list[Entry] = []
    children = 0
    today = as_of.isoformat()
    soon = (as_of + dt.timedelta(days=DUE_SOON_DAYS)).isoformat()
    for ref, row in latest.items():
        if not (_matches(row["assessor"], assessor) and _matches(row["supervisor"], supervisor)):
            continue
        children += 1
        due = row["review_due"]
        # ISO dates compare as strings: days are worked out only for the children listed
        if due is not None and due <= soon:
            days = (dt.date.fromisoformat(due) - as_of).days
            if due < today:
                overdue.append(_entry(row, f"review was due {due}: overdue by {_days(-days)}", -days))
            else:
                when = "today" if days == 0 else f"in {_days(days)}"
                due_soon.append(_entry(row, f"review due {due}, {when}", days))
        before = previous.get(ref)
        if before is not None and before["review_due"] is not None and row["assessed_on"] > before["review_due"]:
            late = (dt.date.fromisoformat(row["assessed_on"]) - dt.date.fromisoformat(before["review_due"])).days
            ranks = (before["final_rank"], row["final_rank"])
            if ranks[0] is not None and ranks[1] is not None:
                # as in diff and trend: staying at the tool's lowest level (universal) is not drift
                no_better = ranks[1] >= ranks[0] and ranks[1] > 0
            else:  # the tool is not installed here: only an unchanged band is known to be no better
                no_better = before["final_band"] == row["final_band"]
            if no_better:
                drift.append(
                    _entry(
                        row,
                        f"assessed {_days(late)} after the review due {before['review_due']}, and the level of "
                        f"need is no better ({before['final_label'] or 'not scored'} → "
                        f"{row['final_label'] or 'not scored'})",
                        late,
                    )
                )
        if row["top_severity"] >= URGENT:
            prompts = [p for p in json.loads(row["prompts"]) if p["severity"] in ("urgent", "immediate")]
            words = ", ".join(f"{p['severity'].upper()} {p['title']} ({p['id']})" for p in prompts)
            urgent.append((-row["top_severity"], row["assessed_on"], _entry(row, f"{words}; no later assessment")))
        if row["lowered_by_override"]:
            signed = row.get("override_agreed_by")
            sign = f"agreed by {signed}" if signed else "no sign-off recorded"
            lowered.append(_entry(row, f"level of need lowered by practitioner override ({sign})"))
        if row["provisional"]:
            provisional.append(_entry(row, "provisional: too few items answered (low coverage)"))
    overdue.sort(key=lambda e: (-(e.days or 0), e.case_ref))
    due_soon.sort(key=lambda e: (e.days or 0, e.case_ref))
    drift.sort(key=lambda e: (-(e.days or 0), e.case_ref))
    urgent.sort(key=lambda t: (t[0], t[1], t[2].case_ref))
    lowered.sort(key=lambda e: (e.assessed_on, e.case_ref))
    provisional.sort(key=lambda e: (e.assessed_on, e.case_ref))
    return Caseload(
        as_of=as_of,
        children=children,
        sections=[
            Section("overdue", "Reviews overdue (most overdue first)", overdue),
            Section("due_soon", f"Reviews due within {DUE_SOON_DAYS} days", due_soon),
            Section("drift", "Drift and delay: reassessed late, and no better", drift),
            Section("urgent", "Urgent or immediate prompts with no later assessment", [t[2] for t in urgent]),
            Section("lowered_by_override", "Levels of need lowered by override", lowered),
            Section("provisional", "Provisional assessments (low coverage)", provisional),
        ],
    )
