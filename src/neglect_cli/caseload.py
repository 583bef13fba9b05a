"""The supervisor's queue: which children need attention as of a date. Pure: rows in, queue out.

The rows are the store's columns for each child's newest record still in force and the
one before it (`RecordStore.caseload_rows`), and the ids of the records a supervisor has
signed off; nothing here reads a record or a clock.

A lowered level (lower than the child's previous assessment, or an override below the level
the answers gave) is not final until it is signed off: until then the child is listed as
awaiting sign-off and counted at the higher level. Working days are Monday to Friday; bank
holidays are not known here and count as working days.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from .plandrift import SIGNOFF_WORKING_DAYS, working_days_between

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
    "escalated_rank",
    "escalated_label",
    "record_format",
    "plan_first_by",
    "plan_dates",
    "needs_not_achieved",
    "third_plan_needs",
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
    dates: list[str] = field(default_factory=list)  # actions overdue: each action's date, earliest first


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
    #: (level, children) highest first; a lowered level awaiting sign-off counts at the higher level
    levels: list[tuple[str, int]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "children": self.children,
            "levels": [{"level": label, "children": n} for label, n in self.levels],
            "sections": {s.key: {"title": s.title, "entries": [asdict(e) for e in s.entries]} for s in self.sections},
        }


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _matches(value: str | None, wanted: str | None) -> bool:
    return wanted is None or (value or "").strip().casefold() == wanted.strip().casefold()


def _entry(
    row: Mapping[str, Any], why: str, days: int | None = None, label: str | None = None, dates: list[str] | None = None
) -> Entry:
    return Entry(
        case_ref=row["case_ref"],
        record_id=row["id"],
        assessed_on=row["assessed_on"],
        assessor=row["assessor"],
        final_label=label or row["final_label"],
        why=why,
        days=days,
        dates=dates or [],
    )


def overdue_words(dates: list[str], late: int) -> str:
    """The actions overdue in a few words: how many, each date once, earliest first, with how many actions
    share it ("2026-05-18 (×2), 2026-05-20 and 2026-06-01"), and how late the earliest is."""
    from collections import Counter

    counted = Counter(dates)
    days = [f"{day} (×{n})" if n > 1 else day for day, n in sorted(counted.items())]
    listed = days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1]
    if len(dates) == 1:
        return f"plan action due by {listed} and no review since: overdue by {_days(late)}"
    return f"{len(dates)} plan actions overdue, due by {listed}; no review since: the earliest overdue by {_days(late)}"


def lowered_from(row: Mapping[str, Any], before: Mapping[str, Any] | None) -> tuple[str, int | None, str] | None:
    """When the newest level is lower than the child's previous one, or an override put it below the level
    the answers gave: (the higher level, its rank, what lowered it); else None."""
    rank = row["final_rank"]
    if before is not None and rank is not None and before["final_rank"] is not None and rank < before["final_rank"]:
        label = before["final_label"] or before["final_band"] or "not scored"
        return label, before["final_rank"], f"lower than the assessment of {before['assessed_on']} ({label})"
    if row["lowered_by_override"]:
        higher = row["escalated_label"] or row["escalated_band"] or "not scored"
        why = f"lowered by practitioner override from the level the answers gave ({higher})"
        return higher, row["escalated_rank"], why
    return None


def build_caseload(
    rows: Iterable[Mapping[str, Any]],
    as_of: dt.date,
    *,
    assessor: str | None = None,
    supervisor: str | None = None,
    signed_off: Collection[int] = (),
) -> Caseload:
    """The queue from each child's newest record (position 1) and the one before it (position 2);
    `signed_off` holds the ids of the records a supervisor has signed off."""
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
    awaiting: list[Entry] = []
    actions_overdue: list[Entry] = []
    not_achieved: list[Entry] = []
    third_plan: list[Entry] = []
    unsigned: list[Entry] = []
    levels: dict[str, tuple[int, int]] = {}  # label: (rank, children)
    children = 0
    today = as_of.isoformat()
    soon = (as_of + dt.timedelta(days=DUE_SOON_DAYS)).isoformat()
    for ref, row in latest.items():
        if not (_matches(row["assessor"], assessor) and _matches(row["supervisor"], supervisor)):
            continue
        children += 1
        before = previous.get(ref)
        held = lowered_from(row, before) if row["id"] not in signed_off else None
        own = row["final_label"] or row["final_band"] or "not scored"
        label, rank = (held[0], held[1]) if held else (own, row["final_rank"])
        count = levels.get(label, (rank if rank is not None else -1, 0))
        levels[label] = (count[0], count[1] + 1)
        if held is not None:
            awaiting.append(
                _entry(
                    row,
                    f"{row['final_label'] or 'not scored'}, {held[2]}: not final until a supervisor signs it off; "
                    f"counted at {held[0]} until then",
                    label=held[0],
                )
            )
        _plan_entries(row, as_of, row["id"] in signed_off, actions_overdue, not_achieved, third_plan, unsigned)
        due = row["review_due"]
        # ISO dates compare as strings: days are worked out only for the children listed
        if due is not None and due <= soon:
            days = (dt.date.fromisoformat(due) - as_of).days
            if due < today:
                overdue.append(_entry(row, f"review was due {due}: overdue by {_days(-days)}", -days))
            else:
                when = "today" if days == 0 else f"in {_days(days)}"
                due_soon.append(_entry(row, f"review due {due}, {when}", days))
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
    awaiting.sort(key=lambda e: (e.assessed_on, e.case_ref))
    for found in (actions_overdue, unsigned):
        found.sort(key=lambda e: (-(e.days or 0), e.case_ref))
    for found in (not_achieved, third_plan):
        found.sort(key=lambda e: (e.assessed_on, e.case_ref))
    return Caseload(
        as_of=as_of,
        children=children,
        levels=[(label, n) for label, (_, n) in sorted(levels.items(), key=lambda kv: (-kv[1][0], kv[0]))],
        sections=[
            Section("overdue", "Reviews overdue (most overdue first)", overdue),
            Section("due_soon", f"Reviews due within {DUE_SOON_DAYS} days", due_soon),
            Section("drift", "Drift and delay: reassessed late, and no better", drift),
            Section("urgent", "Urgent or immediate prompts with no later assessment", [t[2] for t in urgent]),
            Section("lowered_by_override", "Levels of need lowered by override", lowered),
            Section("provisional", "Provisional assessments (low coverage)", provisional),
            Section("awaiting_signoff", "Lowered levels awaiting sign-off (counted at the higher level)", awaiting),
            Section("actions_overdue", "Plans: actions overdue, not yet reviewed", actions_overdue),
            Section("not_achieved", "Plans: outcomes not achieved for the child at the last review", not_achieved),
            Section("third_plan", "Plans: the same need carried into a third plan", third_plan),
            Section(
                "signoff_waiting",
                f"Assessments waiting for sign-off more than {SIGNOFF_WORKING_DAYS} working days",
                unsigned,
            ),
        ],
    )


def _plan_entries(
    row: Mapping[str, Any],
    as_of: dt.date,
    signed: bool,
    actions_overdue: list[Entry],
    not_achieved: list[Entry],
    third_plan: list[Entry],
    unsigned: list[Entry],
) -> None:
    """The child's newest record's plan drift, from the store's plan columns (schema 4), as of `as_of`."""
    first_by = row["plan_first_by"]
    if first_by is not None and first_by < as_of.isoformat():
        every = (row["plan_dates"] or first_by).split(",")  # every action's date (plan_first_by: the earliest)
        dates = sorted(day for day in every if day < as_of.isoformat())
        late = (as_of - dt.date.fromisoformat(dates[0])).days
        actions_overdue.append(_entry(row, overdue_words(dates, late), late, dates=dates))
    if row["needs_not_achieved"]:
        n = row["needs_not_achieved"]
        words = f"{n} outcome{'s' if n != 1 else ''} of the last plan not achieved for the child"
        not_achieved.append(_entry(row, words))
    if row["third_plan_needs"]:
        n = row["third_plan_needs"]
        third_plan.append(_entry(row, f"{n} need{'s' if n != 1 else ''} carried into a third plan in a row"))
    # sign-offs exist from record format 3 on: an older record is never said to be waiting for one
    if not signed and row["record_format"] == "neglect-record/3":
        waiting = working_days_between(dt.date.fromisoformat(row["assessed_on"]), as_of)
        if waiting > SIGNOFF_WORKING_DAYS:
            unsigned.append(_entry(row, f"waiting {waiting} working days for a supervisor's sign-off", waiting))
