"""`neglect history CASE` as text, JSON or Markdown, from the store's columns alone.

Standard library only: the same functions serve the typer command and the quick path
in `__main__` that answers `neglect history CASE` from a SQLite store before the CLI
framework loads (see `quickhistory`).
"""

from __future__ import annotations

import datetime as dt

from .text import json_safe, screen_width, visible, wrap

TYPE_CHECKING = False
if TYPE_CHECKING:  # not at run time: the quick path imports no typing, json or re (a few ms each)
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any

#: The columns history lists, in the order both paths select them.
HISTORY_COLUMNS = (
    "id",
    "case_ref",
    "assessed_on",
    "created_at",
    "assessor",
    "tool_id",
    "tool_version",
    "computed_band",
    "computed_label",
    "final_band",
    "final_label",
    "overridden",
    "lowered_by_override",
    "provisional",
    "prompts",
    "prompts_shown",
    "review_weeks",
    "review_due",
    "training",
    "redacted",
    "superseded_by",
    "supersedes",
    "reason",
)
DISCLAIMER = "This tool supports professional judgement; it does not replace it."


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def timing(rows: Sequence[Mapping[str, Any]], today: dt.date) -> dict[int, dict[str, Any]]:
    """For each record in force (not superseded): when its review was due and whether the next
    assessment came by then; for the newest, how far off or overdue the review is today."""
    in_force = [r for r in rows if not r["superseded_by"]]  # newest first
    out: dict[int, dict[str, Any]] = {}
    for i, row in enumerate(in_force):
        due = row["review_due"]
        entry: dict[str, Any] = {"next_assessed_on": None, "in_time": None, "days_late": None, "due_in_days": None}
        if i > 0:
            nxt = in_force[i - 1]["assessed_on"]
            entry["next_assessed_on"] = nxt
            if due is not None:
                late = (dt.date.fromisoformat(nxt) - dt.date.fromisoformat(due)).days
                entry["in_time"] = late <= 0
                entry["days_late"] = max(late, 0)
        elif due is not None:
            entry["due_in_days"] = (dt.date.fromisoformat(due) - today).days
        out[row["id"]] = entry
    return out


def _review_words(row: Mapping[str, Any], when: Mapping[str, Any] | None) -> str:
    due = row["review_due"]
    if row["superseded_by"]:
        return f"{due or 'not known'} (this record was corrected)"
    if due is None:
        return "not known (the record's tool is not installed here, or gives this level no review period)"
    assert when is not None
    if when["next_assessed_on"] is not None:
        if when["in_time"]:
            return f"{due}: next assessment {when['next_assessed_on']}, in time"
        return f"{due}: next assessment {when['next_assessed_on']}, {_days(when['days_late'])} late"
    days = when["due_in_days"]
    if days < 0:
        return f"{due}: OVERDUE by {_days(-days)}, no later assessment"
    if days == 0:
        return f"{due}: due today"
    return f"{due}: due in {_days(days)}"


def _prompts(row: Mapping[str, Any]) -> list[dict[str, str]]:
    import json

    prompts: list[dict[str, str]] = json.loads(row["prompts"]) if row["prompts"] else []
    return prompts


def _level_words(row: Mapping[str, Any]) -> str:
    final = row["final_label"] or "not scored"
    notes = []
    if row["computed_band"] != row["final_band"]:
        notes.append(f"computed: {row['computed_label'] or 'not scored'}")
    if row["lowered_by_override"]:
        notes.append("lowered by practitioner override")
    elif row["overridden"]:
        notes.append("practitioner override")
    if row["provisional"]:
        notes.append("provisional: low coverage")
    return final + (f" ({'; '.join(notes)})" if notes else "")


def history_text(
    case_ref: str, rows: Sequence[Mapping[str, Any]], today: dt.date, *, training: bool, width: int | None = None
) -> str:
    """The plain-text history (terminal and pipe alike): one block per assessment, newest first, each
    value wrapped under itself to `width` (the screen's, 80 when it cannot be told)."""
    width = width or screen_width()
    if not rows:
        where = "" if training else " (training records are left out; --training shows them)"
        return visible("\n".join(wrap(f"No assessments of case {case_ref} in the store{where}.", width))) + "\n"
    when = timing(rows, today)
    count = len(rows)
    lines = wrap(f"Case {case_ref}: {count} assessment{'s' if count != 1 else ''}, newest first", width)
    lines.append("")

    def field(name: str, value: str) -> None:
        lines.extend(wrap(value, width, f"    {name:<12}"))

    for row in rows:
        tags = [t for t, on in (("TRAINING", row["training"]), ("redacted", row["redacted"])) if on]
        head = f"#{row['id']}  {row['assessed_on']}  {row['assessor'] or 'assessor not given'}"
        head += f" · {row['tool_id']} {row['tool_version']}"
        lines.extend(wrap(head + (f"  [{', '.join(tags)}]" if tags else ""), width, "", "    "))
        field("level", _level_words(row))
        field("prompts", row["prompts_shown"] or "none")
        field("review due", _review_words(row, when.get(row["id"])))
        if row["superseded_by"]:
            field("superseded", f"by #{row['superseded_by']}")
        if row["supersedes"]:
            field("corrects", f"#{row['supersedes']}: {row['reason']}")
    lines += ["", *wrap(DISCLAIMER, width)]
    return visible("\n".join(lines)) + "\n"  # what a record carries is shown, never obeyed


def history_json(case_ref: str, rows: Sequence[Mapping[str, Any]], today: dt.date) -> str:
    """The history as JSON: the case and one object per assessment, newest first."""
    import json

    when = timing(rows, today)
    out = []
    for row in rows:
        entry = {
            "id": row["id"],
            "assessed_on": row["assessed_on"],
            "created_at": row["created_at"],
            "assessor": row["assessor"],
            "tool": f"{row['tool_id']}@{row['tool_version']}",
            "computed_band": row["computed_band"],
            "computed_label": row["computed_label"],
            "final_band": row["final_band"],
            "final_label": row["final_label"],
            "overridden": bool(row["overridden"]),
            "lowered_by_override": bool(row["lowered_by_override"]),
            "provisional": bool(row["provisional"]),
            "prompts": _prompts(row),
            "review_weeks": row["review_weeks"],
            "review_due": row["review_due"],
            "training": bool(row["training"]),
            "redacted": bool(row["redacted"]),
            "superseded_by": row["superseded_by"],
            "supersedes": row["supersedes"],
            "correction_reason": row["reason"],
        }
        entry |= when.get(row["id"], {})
        out.append(entry)
    data = {"case_ref": case_ref, "as_of": today.isoformat(), "assessments": out}
    return json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def history_markdown(
    case_ref: str, rows: Sequence[Mapping[str, Any]], today: dt.date, escape: Callable[[str], str]
) -> str:
    """The history as a CommonMark table (every value escaped), newest first."""
    when = timing(rows, today)
    lines = [f"# History of case {escape(case_ref)}", ""]
    if not rows:
        return "\n".join([*lines, "No assessments in the store.", ""]) + "\n"
    lines += [
        "| # | Date | Assessor | Tool | Level (final) | Prompts | Review due |",
        "| ---: | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        cells = [
            str(row["id"]),
            row["assessed_on"],
            row["assessor"] or "",
            f"{row['tool_id']} {row['tool_version']}",
            _level_words(row),
            row["prompts_shown"] or "none",
            _review_words(row, when.get(row["id"])),
        ]
        lines.append("| " + " | ".join(escape(str(c)) for c in cells) + " |")
    lines += ["", f"*{DISCLAIMER}*", ""]
    return visible("\n".join(lines))
