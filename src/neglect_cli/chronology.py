"""A child's chronology: significant events over time, from every agency. Pure: text in, entries out.

Entries are kept in the record store (`RecordStore.add_entries`) and, like records, never changed:
a correction is a new entry that supersedes the earlier one, with a reason. Assessments are not
typed in: `timeline` adds one entry for each of the child's records in the store.

The event and its impact on the child are free text about a child: they never appear in an error
message or a log, and `--redact` leaves them out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .dates import EARLIEST
from .errors import Problem, UserError
from .text import unsafe_reason

if TYPE_CHECKING:
    from .definition import ContextFact

#: Category id -> what it is called in output. `assessment` entries come from the record store only.
CATEGORIES: dict[str, str] = {
    "not-brought": "Not brought to an appointment",
    "missed-home-visit": "Missed home visit",
    "referral": "Referral",
    "neglect-referral": "Referral to children's social care for neglect",
    "assessment": "Assessment",
    "plan-started": "Plan started",
    "plan-ended": "Plan ended",
    **{
        f"cp-plan-{edge}-{kind.replace('_', '-')}": f"Child protection plan {edge}: {kind.replace('_', ' ')}"
        for edge in ("started", "ended")
        for kind in ("neglect", "emotional_abuse", "physical_abuse", "sexual_abuse")
    },
    "school-exclusion": "School exclusion",
    "school-absence": "School absence spell",
    "missing-episode": "Missing episode",
    "injury": "Injury",
    "police-call-out": "Police call-out",
    "housing-move": "Housing move",
    "change-of-worker": "Change of worker",
    "other": "Other",
}
AUTOMATIC = "assessment"
#: A child protection plan's entries name its category (Working Together's four: one entry for each
#: category of a plan under several), so that the walk can suggest which categories there have been.
#: category id -> the plan's category as neglect-core's `earlier_protection_plans` names it (`emotional_abuse`)
PROTECTION_PLAN_STARTS = {
    c: c.removeprefix("cp-plan-started-").replace("-", "_") for c in CATEGORIES if c.startswith("cp-plan-started-")
}
PROTECTION_PLAN_ENDS = {
    c: c.removeprefix("cp-plan-ended-").replace("-", "_") for c in CATEGORIES if c.startswith("cp-plan-ended-")
}
PLAN_STARTS = frozenset({"plan-started", *PROTECTION_PLAN_STARTS})
PLAN_ENDS = frozenset({"plan-ended", *PROTECTION_PLAN_ENDS})
#: Where each category sits on the timeline (one lane each, top to bottom).
LANES: dict[str, tuple[str, ...]] = {
    "Assessments and plans": (
        "assessment",
        "plan-started",
        "plan-ended",
        *PROTECTION_PLAN_STARTS,
        *PROTECTION_PLAN_ENDS,
        "referral",
        "neglect-referral",
    ),
    "Health and visits": ("not-brought", "missed-home-visit", "injury"),
    "School": ("school-exclusion", "school-absence"),
    "Safety and home": ("missing-episode", "police-call-out", "housing-move", "change-of-worker", "other"),
}
COLUMNS = ("date", "source agency", "event", "impact on the child", "category")
MAX_CSV_BYTES = 50 * 1024 * 1024
MAX_ROWS = 10_000
MAX_LINE = 200  # date, agency, category, who added
MAX_TEXT = 4_000  # event, impact, reason
#: What makes a spreadsheet read a cell as a formula (or shift it): refused on import.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
REDACTED = "[redacted]"


@dataclass(frozen=True, slots=True)
class NewEntry:
    """An entry as typed or imported, before the store gives it an id."""

    occurred_on: dt.date
    category: str
    source_agency: str
    event: str
    impact: str
    added_by: str
    supersedes: int | None = None
    reason: str | None = None

    def content_sha256(self, case_ref: str) -> str:
        """What identifies the entry's content (importing the same file twice adds nothing)."""
        return entry_sha256(
            case_ref, self.occurred_on.isoformat(), self.category, self.source_agency, self.event, self.impact
        )


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a chronology, stored or taken from a record in the store."""

    id: int | None  # None: an assessment taken from the record store (its record id is in `record_id`)
    case_ref: str
    occurred_on: str
    category: str
    source_agency: str
    event: str
    impact: str
    added_by: str
    added_at: str
    supersedes: int | None = None
    superseded_by: int | None = None
    reason: str | None = None
    record_id: int | None = None
    level: str | None = None  # assessments: the final level's label
    level_rank: int | None = None
    level_count: int | None = None

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)

    @property
    def shown_id(self) -> str:
        """How output names the entry: `#4`, or `record #2` for an assessment."""
        return f"#{self.id}" if self.id is not None else f"record #{self.record_id}"

    @property
    def notes(self) -> str:
        """What a correction says beside the entry's id: ` (corrects #3)`, ` (SUPERSEDED by #5)`, or nothing."""
        notes = []
        if self.supersedes is not None:
            notes.append(f"corrects #{self.supersedes}")
        if self.superseded_by is not None:
            notes.append(f"SUPERSEDED by #{self.superseded_by}")
        return f" ({'; '.join(notes)})" if notes else ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["category_label"] = self.category_label
        return data


# --- reading what people give ------------------------------------------------------------


def category_id(given: str) -> str | None:
    """The category a typed or imported name means (its id or its label, any case), else None."""
    key = " ".join(given.strip().lower().replace("_", " ").replace("-", " ").split())
    for cid, label in CATEGORIES.items():
        if key in (cid.replace("-", " "), " ".join(label.lower().replace("-", " ").split())):
            return cid
    return None


def parse_date(text: str, today: dt.date) -> dt.date:
    """A UK date (DD/MM/YYYY) or an ISO one (YYYY-MM-DD), read as every date is (`dates.parse_date`), on or
    before today and not before 1900; ValueError saying why not."""
    from .dates import parse_date as read_date

    date = read_date(text)
    if date > today:
        raise ValueError(f"is in the future (today is {today.isoformat()}): an entry records what happened")
    if date < EARLIEST:
        raise ValueError(f"is before {EARLIEST.isoformat()}: check the year")
    return date


def text_problem(value: str, *, multiline: bool, limit: int) -> str | None:
    """Why a cell or a typed value cannot be kept (never quoting it), or None."""
    if value.lstrip(" ").startswith(FORMULA_START):
        first = value.lstrip(" ")[0]
        shown = {"\t": "a tab", "\r": "a carriage return"}.get(first, f"'{first}'")
        return (
            f"starts with {shown}, which a spreadsheet reads as a formula (as in =HYPERLINK(...)); "
            "start it with a word instead"
        )
    reason = unsafe_reason(value, multiline=multiline)
    if reason:
        return reason
    if len(value) > limit:
        return f"is {len(value)} characters long (at most {limit})"
    return None


def checked_entry(
    *,
    date: str,
    category: str,
    source_agency: str,
    event: str,
    impact: str,
    added_by: str,
    today: dt.date,
    supersedes: int | None = None,
    reason: str | None = None,
) -> tuple[NewEntry | None, list[tuple[str, str]]]:
    """An entry from what was typed or imported, or the problems found as (field, message) pairs."""
    problems: list[tuple[str, str]] = []
    occurred: dt.date | None = None
    try:
        occurred = parse_date(date, today)
    except ValueError as exc:
        problems.append(("date", str(exc) if date.strip() else "is empty"))
    cid = category_id(category)
    if not category.strip():
        problems.append(("category", "is empty"))
    elif cid is None:
        problems.append(
            ("category", "is not a known category; use one of: " + ", ".join(c for c in CATEGORIES if c != AUTOMATIC))
        )
    elif cid == AUTOMATIC:
        problems.append(("category", "assessments come from the record store by themselves; do not add them"))
    fields = {
        "source agency": (source_agency, False, MAX_LINE),
        "event": (event, True, MAX_TEXT),
        "impact on the child": (impact, True, MAX_TEXT),
        "added by": (added_by, False, MAX_LINE),
    }
    if reason is not None:
        fields["reason"] = (reason, True, MAX_TEXT)
    for name, (value, multiline, limit) in fields.items():
        if not value.strip() and name != "impact on the child":
            problems.append((name, "is empty"))
            continue
        problem = text_problem(value, multiline=multiline, limit=limit)
        if problem:
            problems.append((name, problem))
    if problems or occurred is None or cid is None:
        return None, problems
    entry = NewEntry(
        occurred_on=occurred,
        category=cid,
        source_agency=source_agency.strip(),
        event=event.strip(),
        impact=impact.strip(),
        added_by=added_by.strip(),
        supersedes=supersedes,
        reason=reason.strip() if reason is not None else None,
    )
    return entry, []


def read_csv(path: Path, *, added_by: str, today: dt.date) -> list[NewEntry]:
    """Every row of a chronology CSV as an entry, or a UserError naming each bad row and column.

    All or nothing: one bad row and no entry is returned. The file is UTF-8 (a BOM is fine), with a
    header row naming the five columns in any order. No cell is ever quoted back in a message.
    """
    import csv

    name = str(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise UserError("is not a file", file=name)
    except OSError as exc:
        raise UserError(f"cannot be read ({exc.strerror or type(exc).__name__})", file=name) from None
    if size > MAX_CSV_BYTES:
        raise UserError(f"is {size / 1024 / 1024:.0f} MB; a chronology file may be at most 50 MB", file=name)
    raw = path.read_bytes()
    from .loading import other_encoding

    wrong = other_encoding(raw)  # Excel's "Unicode Text" is UTF-16
    if wrong:
        raise UserError(f"{wrong}; save it as CSV UTF-8", file=name)
    if b"\x00" in raw:
        raise UserError("file is binary (contains NUL bytes), not CSV text", file=name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"not valid UTF-8 text (byte {exc.start}); save it as CSV UTF-8", file=name) from None
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise UserError("file is empty: expected a header row (" + ", ".join(COLUMNS) + ")", file=name)
        where = _header_columns(header, name)
        problems: list[Problem] = []
        entries: list[NewEntry] = []
        row_number = 1
        for row in reader:
            line = reader.line_num
            row_number += 1
            if not any(cell.strip() for cell in row):
                continue
            if len(entries) + len(problems) >= MAX_ROWS:
                raise UserError(f"has more than {MAX_ROWS:,} rows; split it into smaller files", file=name)
            if len(row) != len(header):
                problems.append(
                    Problem(
                        f"has {len(row)} cells, the header has {len(header)}",
                        file=name,
                        line=line,
                        field=f"row {row_number}",
                    )
                )
                continue
            cells = {
                column: row[index].replace("\r\n", "\n") if not row[index].startswith("\r") else row[index]
                for column, index in where.items()
            }
            entry, found = checked_entry(
                date=cells["date"],
                category=cells["category"],
                source_agency=cells["source agency"],
                event=cells["event"],
                impact=cells["impact on the child"],
                added_by=added_by,
                today=today,
            )
            problems += [
                Problem(message, file=name, line=line, field=f"row {row_number}, column '{column}'")
                for column, message in found
            ]
            if entry is not None:
                entries.append(entry)
    except csv.Error as exc:
        raise UserError(f"is not valid CSV ({exc})", file=f"{name}:{reader.line_num}") from None
    if problems:
        shown = problems[:20]
        if len(problems) > 20:
            shown.append(Problem(f"... and {len(problems) - 20} more problems", file=name))
        shown.append(Problem("nothing was imported; correct the rows above and import the file again", file=name))
        raise UserError(shown)
    if not entries:
        raise UserError("has a header row but no entries", file=name)
    return entries


def _header_columns(header: list[str], name: str) -> dict[str, int]:
    if len(header) == 1:
        for separator, words in ((";", "semicolons"), ("\t", "tabs")):
            if separator in header[0]:  # Excel where the comma is the decimal mark, or "Text (Tab delimited)"
                raise UserError(
                    f"header row: the columns are separated by {words}, not commas: save it as CSV UTF-8 "
                    "(comma delimited)",
                    file=f"{name}:1",
                )
    wanted = {" ".join(c.split()): c for c in COLUMNS}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = " ".join(cell.strip().lower().replace("_", " ").split())
        if key not in wanted:
            problem = text_problem(cell, multiline=False, limit=MAX_LINE)
            shown = "a column" if problem else f"column '{cell.strip()}'"
            raise UserError(
                f"header row: {shown} is not one of the expected columns (" + ", ".join(COLUMNS) + ")",
                file=f"{name}:1",
            )
        if wanted[key] in found:
            raise UserError(f"header row: column '{wanted[key]}' is given twice", file=f"{name}:1")
        found[wanted[key]] = index
    missing = [c for c in COLUMNS if c not in found]
    if missing:
        raise UserError("header row: missing column " + ", ".join(f"'{c}'" for c in missing), file=f"{name}:1")
    return found


# --- what a chronology shows -------------------------------------------------------------


def from_row(row: Mapping[str, Any], superseded_by: int | None) -> Entry:
    return Entry(
        id=int(row["id"]),
        case_ref=str(row["case_ref"]),
        occurred_on=str(row["occurred_on"]),
        category=str(row["category"]),
        source_agency=str(row["source_agency"]),
        event=str(row["event"]),
        impact=str(row["impact"]),
        added_by=str(row["added_by"]),
        added_at=str(row["added_at"]),
        supersedes=row["supersedes"],
        superseded_by=superseded_by,
        reason=row["reason"],
    )


def assessment_entry(row: Mapping[str, Any], level_count: int | None) -> Entry:
    """An assessment in the store as a chronology entry (from the store's history columns)."""
    level = row.get("final_label") or "not scored"
    tool = f"{row['tool_id']} {row['tool_version']}"
    return Entry(
        id=None,
        case_ref=str(row["case_ref"]),
        occurred_on=str(row["assessed_on"]),
        category=AUTOMATIC,
        source_agency="Children's social care",
        event=f"Assessment with {tool}: {level}" + (f", by {row['assessor']}" if row.get("assessor") else ""),
        impact="",
        added_by="record store",
        added_at=str(row["created_at"]),
        record_id=int(row["id"]),
        level=level,
        level_rank=row.get("final_rank"),
        level_count=level_count,
    )


def timeline(entries: Iterable[Entry], assessments: Iterable[Entry], *, include_superseded: bool) -> list[Entry]:
    """Entries and assessments together, oldest first (by date, then assessments, then as added)."""
    kept = [e for e in entries if include_superseded or e.superseded_by is None]
    every = [*kept, *assessments]
    return sorted(every, key=lambda e: (e.occurred_on, e.category != AUTOMATIC, e.added_at, e.id or 0))


def redacted(entries: Sequence[Entry]) -> list[Entry]:
    """The entries without their free text (event, impact on the child, a correction's reason)."""
    out = []
    for e in entries:
        if e.category == AUTOMATIC:
            out.append(e)  # made by us from the store's columns: no free text
            continue
        out.append(
            replace(
                e,
                event=REDACTED,
                impact=REDACTED if e.impact else "",
                reason=REDACTED if e.reason else e.reason,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts a supervisor (and the walk) reads from a chronology, as of a date."""

    entries: int
    first_on: str | None
    last_on: str | None
    by_category: dict[str, int]
    not_brought_12_months: int
    first_concern_on: str | None  # the first concern since the last plan ended (see NOT_CONCERNS)
    concern_months: int | None  # from the first concern to `as_of`, in whole months

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


#: Categories that say nothing about the child's care by themselves (not a concern's first sign).
NOT_CONCERNS = frozenset({"assessment", "change-of-worker", *PLAN_ENDS})


def summary(entries: Sequence[Entry], as_of: dt.date) -> Summary:
    """Counts by category, appointments not brought to in the 12 months to `as_of`, and how long since the
    first entry that records a concern in the current period (after the last plan that ended)."""
    in_force = [e for e in entries if e.superseded_by is None]
    by_category: dict[str, int] = {}
    for e in in_force:
        by_category[e.category] = by_category.get(e.category, 0) + 1
    year_ago = _months_before(as_of, 12)
    not_brought = sum(
        1 for e in in_force if e.category == "not-brought" and year_ago < dt.date.fromisoformat(e.occurred_on) <= as_of
    )
    # the current period of concern: after the last plan that ended (an earlier period is not this one)
    ended = [e.occurred_on for e in in_force if e.category in PLAN_ENDS and e.occurred_on <= as_of.isoformat()]
    since = max(ended, default="")
    concerns = sorted(
        e.occurred_on for e in in_force if e.category not in NOT_CONCERNS and since < e.occurred_on <= as_of.isoformat()
    )
    first = concerns[0] if concerns else None
    months = _whole_months(dt.date.fromisoformat(first), as_of) if first else None
    dates = sorted(e.occurred_on for e in in_force)
    return Summary(
        entries=len(in_force),
        first_on=dates[0] if dates else None,
        last_on=dates[-1] if dates else None,
        by_category=by_category,
        not_brought_12_months=not_brought,
        first_concern_on=first,
        concern_months=months,
    )


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    import calendar

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _whole_months(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(months - (1 if end.day < start.day else 0), 0)


# --- what the chronology suggests to the walk -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A context fact the chronology can answer: the value and how it was worked out (no free text)."""

    value: int | bool | list[str]
    basis: str


#: The facts a chronology can answer, by context fact id, with the types of fact it can answer them for.
#: A tool's fact with one of these ids but another type (or, for a multichoice fact, none of the choices the
#: chronology can name) is asked as it always is: nothing is suggested for it.
SUGGESTED_FACTS: dict[str, frozenset[str]] = {
    "not_brought_count": frozenset({"integer"}),
    "concern_duration_months": frozenset({"integer"}),
    "previous_neglect_plans": frozenset({"boolean"}),  # neglect-core 1.x and 2.x
    "earlier_neglect_referral": frozenset({"boolean"}),  # neglect-core 3.x
    "earlier_protection_plans": frozenset({"boolean", "multichoice"}),  # neglect-core 3.x: the plans' categories
}


def suggestions(entries: Sequence[Entry], as_of: dt.date, facts: Sequence[ContextFact]) -> dict[str, Suggestion]:
    """What the entries in force on or before `as_of` suggest for the tool's `facts` (those listed in
    `SUGGESTED_FACTS` with a type it names; any other fact is left alone):

    - `not_brought_count`: appointments not brought to in the 12 months to `as_of`, when there was one or more;
    - `concern_duration_months`: months since the first concern of the current period (a lower bound:
      concerns may have begun before anyone recorded them);
    - `previous_neglect_plans`: true when a plan of any kind has ended (the practitioner checks it was for
      neglect), as neglect-core 2.x asks;
    - `earlier_neglect_referral`: true when a referral to children's social care for neglect is dated before
      the current period of concern (on or before the last plan that ended);
    - `earlier_protection_plans`: the categories of child protection plans that have ended, as the entries
      name them and as far as the fact's choices allow (true, for a yes/no fact). A plan entry that names no
      category suggests no category.

    Nothing is suggested from an absence of entries: the chronology may be incomplete."""
    known = [e for e in entries if e.superseded_by is None and e.occurred_on <= as_of.isoformat()]
    wanted = {f.id: f for f in facts if f.type in SUGGESTED_FACTS.get(f.id, frozenset())}
    found: dict[str, Suggestion | None] = {
        "not_brought_count": _not_brought(known, as_of),
        "concern_duration_months": _concern_duration(known, as_of),
        "previous_neglect_plans": _plan_ended(known),
        "earlier_neglect_referral": _earlier_neglect_referral(known),
    }
    if "earlier_protection_plans" in wanted:
        found["earlier_protection_plans"] = _protection_plans(known, wanted["earlier_protection_plans"])
    return {fid: hint for fid, hint in found.items() if fid in wanted and hint is not None}


def _refs(entries: Sequence[Entry]) -> str:
    return ", ".join(f"#{e.id}" for e in entries)


def _not_brought(known: Sequence[Entry], as_of: dt.date) -> Suggestion | None:
    year_ago = _months_before(as_of, 12).isoformat()
    missed = [e for e in known if e.category == "not-brought" and e.occurred_on > year_ago]
    if not missed:
        return None
    return Suggestion(
        len(missed),
        f"{len(missed)} 'not brought' entr{'y' if len(missed) == 1 else 'ies'} in the 12 months "
        f"to {as_of.isoformat()} ({_refs(missed)})",
    )


def _concern_duration(known: Sequence[Entry], as_of: dt.date) -> Suggestion | None:
    facts = summary(known, as_of)
    if facts.first_concern_on is None or facts.concern_months is None:
        return None
    first = next(
        e
        for e in sorted(known, key=lambda e: (e.occurred_on, e.added_at, e.id or 0))
        if e.occurred_on == facts.first_concern_on and e.category not in NOT_CONCERNS
    )
    return Suggestion(
        facts.concern_months,
        f"the first concern in the chronology is {first.occurred_on} (#{first.id}, {first.category_label}), "
        f"{facts.concern_months} months before {as_of.isoformat()}; the concerns may have begun earlier",
    )


def _plan_ended(known: Sequence[Entry]) -> Suggestion | None:
    ended = sorted((e for e in known if e.category in PLAN_ENDS), key=lambda e: (e.occurred_on, e.id or 0))
    if not ended:
        return None
    return Suggestion(
        True,
        f"a plan ended on {ended[0].occurred_on} (#{ended[0].id}); check it was before the current concerns "
        "and was for neglect",
    )


def _earlier_neglect_referral(known: Sequence[Entry]) -> Suggestion | None:
    # the current period of concern begins after the last plan that ended (as `summary` counts it); a
    # referral in the current period may be the one this assessment answers, so it is not "earlier"
    since = max((e.occurred_on for e in known if e.category in PLAN_ENDS), default=None)
    if since is None:
        return None
    earlier = sorted(
        (e for e in known if e.category == "neglect-referral" and e.occurred_on <= since),
        key=lambda e: (e.occurred_on, e.id or 0),
    )
    if not earlier:
        return None
    count = f"{len(earlier)} referral{'s' if len(earlier) != 1 else ''}"
    return Suggestion(
        True,
        f"{count} to children's social care for neglect before the current period of concern "
        f"(the first on {earlier[0].occurred_on}; {_refs(earlier)}), which began after the plan that ended on {since}",
    )


def _protection_plans(known: Sequence[Entry], fact: ContextFact) -> Suggestion | None:
    ended = sorted((e for e in known if e.category in PROTECTION_PLAN_ENDS), key=lambda e: (e.occurred_on, e.id or 0))
    if fact.type == "boolean":
        if not ended:
            return None
        return Suggestion(
            True, f"a child protection plan ended on {ended[0].occurred_on} ({_refs(ended)}); check the dates"
        )
    choices = fact.choices or []
    named = [e for e in ended if PROTECTION_PLAN_ENDS[e.category] in choices]
    if not named:
        return None  # no category the fact offers is named: nothing to suggest (a plan's kind is never guessed)
    kinds = [k for k in choices if any(PROTECTION_PLAN_ENDS[e.category] == k for e in named)]
    words = ", ".join(k.replace("_", " ") for k in kinds)
    unnamed = [e for e in known if e.category == "plan-ended"]
    note = (
        f"; {len(unnamed)} other plan{'s' if len(unnamed) != 1 else ''} ended without a category ({_refs(unnamed)}): "
        "add any category they had"
        if unnamed
        else ""
    )
    return Suggestion(
        kinds,
        f"child protection plans that ended, by category: {words} ({_refs(named)}){note}",
    )


# --- the store's copy of a chronology: export, import and check -------------------------------

#: The file `neglect store export` writes for each child's chronology, beside the records.
CHRONOLOGY_SCHEMA = "neglect-chronology/1"
EXPORT_SUFFIX = ".chronology.json"


def entry_sha256(case_ref: str, occurred_on: str, category: str, agency: str, event: str, impact: str) -> str:
    """The hash of an entry's content as the store keeps it (the case, date, category, agency and text)."""
    body = [case_ref, occurred_on, category, agency, event, impact]
    return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode("utf-8")).hexdigest()


class ExportedEntry(BaseModel):
    """One stored entry as `store export` writes it: every column, its store id and hash."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int
    occurred_on: str
    category: str
    source_agency: str
    event: str
    impact: str
    added_by: str
    added_at: str
    supersedes: int | None = None
    reason: str | None = None
    sha256: str


class ChronologyFile(BaseModel):
    """`neglect-chronology/1`: one child's whole chronology (superseded entries too), oldest id first."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["neglect-chronology/1"] = Field(alias="schema")
    case_ref: str
    entries: list[ExportedEntry]


def exported(case_ref: str, rows: Sequence[Mapping[str, Any]]) -> str:
    """A child's chronology rows (as the store holds them) as a `neglect-chronology/1` document."""
    entries = [ExportedEntry.model_validate({k: row[k] for k in ExportedEntry.model_fields}) for row in rows]
    data = {
        "schema": CHRONOLOGY_SCHEMA,
        "case_ref": case_ref,
        "entries": [e.model_dump(mode="json") for e in sorted(entries, key=lambda e: e.id)],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def stored_problems(rows: Iterable[Mapping[str, Any]]) -> dict[int, list[str]]:
    """What `neglect store check` finds wrong with stored entries, by entry id: a hash that does not match
    the content, a date or category neglect-cli does not know, and a broken correction (one that names an
    entry not in the store, of another case or added after it, or gives no reason). Never quotes free text."""
    every = {int(row["id"]): row for row in rows}
    problems: dict[int, list[str]] = {}
    for number, row in every.items():
        found: list[str] = []
        sha = entry_sha256(
            str(row["case_ref"]),
            str(row["occurred_on"]),
            str(row["category"]),
            str(row["source_agency"]),
            str(row["event"]),
            str(row["impact"]),
        )
        if sha != row["sha256"]:
            found.append("its hash does not match its content: the entry was changed after it was added")
        try:
            dt.date.fromisoformat(str(row["occurred_on"]))
        except ValueError:
            found.append("its date is not a date (YYYY-MM-DD)")
        if row["category"] not in CATEGORIES or row["category"] == AUTOMATIC:
            found.append("its category is not one this version of neglect-cli knows")
        old = row["supersedes"]
        if old is not None:
            target = every.get(int(old))
            if target is None:
                found.append(f"it corrects #{old}, which is not in the store")
            elif target["case_ref"] != row["case_ref"]:
                found.append(f"it corrects #{old}, an entry of another case")
            elif int(old) >= number:
                found.append(f"it corrects #{old}, which was added after it")
            if not (row["reason"] or "").strip():
                found.append(f"it corrects #{old} without a reason")
        if found:
            problems[number] = found
    return problems


def read_export(path: Path, *, today: dt.date) -> ChronologyFile:
    """A `neglect-chronology/1` file, checked as `chronology import` checks a CSV (dates, categories, text)
    and against itself (each entry's hash; a correction names an earlier entry of the file and gives a reason).
    All or nothing: a UserError naming each bad entry, never quoting its text."""
    from pydantic import ValidationError

    from .filekinds import check_kind
    from .loading import as_mapping, display_name, parse_json, read_bytes, validation_problems

    name = display_name(path)
    doc = parse_json(read_bytes(path, max_bytes=MAX_CSV_BYTES), name)
    check_kind(doc, "chronology")
    data = as_mapping(doc, "chronology")
    if data.get("schema") != CHRONOLOGY_SCHEMA:
        message = f"not a chronology export (schema must be '{CHRONOLOGY_SCHEMA}')"
        raise UserError([doc.problem(message, ("schema",))])
    try:
        found = ChronologyFile.model_validate(data)
    except ValidationError as exc:
        raise UserError(validation_problems(exc, doc)) from None
    from .storeinfo import bad_case_ref

    reason = bad_case_ref(found.case_ref)
    if reason:
        raise UserError([doc.problem(reason, ("case_ref",))])
    problems: list[Problem] = []
    seen: set[int] = set()
    for n, e in enumerate(found.entries):
        at = ("entries", n)
        _, wrong = checked_entry(
            date=e.occurred_on,
            category=e.category,
            source_agency=e.source_agency,
            event=e.event,
            impact=e.impact,
            added_by=e.added_by,
            today=today,
            reason=e.reason,
        )
        where = {"source agency": "source_agency", "impact on the child": "impact", "added by": "added_by"}
        fields = {"date": "occurred_on"}
        for field, message in wrong:
            key = where.get(field, fields.get(field, field))
            problems.append(doc.problem(f"entry #{e.id}: {field} {message}", (*at, key)))
        sha = entry_sha256(found.case_ref, e.occurred_on, e.category, e.source_agency, e.event, e.impact)
        if sha != e.sha256:
            message = f"entry #{e.id}: its hash does not match its content (changed after it was exported)"
            problems.append(doc.problem(message, (*at, "sha256")))
        if e.supersedes is not None:
            if e.supersedes not in seen:
                message = f"entry #{e.id} corrects #{e.supersedes}, which is not an earlier entry of the file"
                problems.append(doc.problem(message, (*at, "supersedes")))
            if not (e.reason or "").strip():
                message = f"entry #{e.id} corrects #{e.supersedes} without a reason"
                problems.append(doc.problem(message, (*at, "reason")))
        if e.id in seen:
            problems.append(doc.problem(f"entry #{e.id} is given twice", (*at, "id")))
        seen.add(e.id)
    if problems:
        problems.append(Problem("nothing was imported from this file; it is not as it was exported", file=name))
        raise UserError(problems)
    return found
