"""The supervisor's sign-off, asked on a terminal: agreement with the level and why, the decision,
notes against the reflection prompts, role, name and date.

Each answer is kept in a draft (0600, in the drafts folder, named by the record's hash) as it is
given, so Ctrl-C loses nothing: `neglect signoff` on the same record carries on with it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .prompter import Option, Prompter, option_key, typed_text

if TYPE_CHECKING:
    from ..record import Record
    from ..signoff import Signoff


def signoff_draft_path(record: Record) -> Path:
    from ..drafts import drafts_dir

    return drafts_dir() / f"signoff-{record.integrity.sha256[:16]}.json"


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def ask_signoff(record: Record, band_label: str, prompter: Prompter, *, today: dt.date) -> Signoff:
    """Ask the supervisor for the sign-off, keeping each answer in the draft; the finished sign-off."""
    from ..signoff import DECISIONS, ReflectionNote, Signoff
    from ..store import atomic_write

    path = signoff_draft_path(record)
    kept = _load(path)
    if kept:
        prompter.say("Carrying on the sign-off started earlier: what was given is offered again.", "bold")

    def keep(key: str, value: Any) -> None:
        kept[key] = value
        atomic_write(path, json.dumps(kept, indent=2, ensure_ascii=False) + "\n")

    prompter.heading(f"Sign-off: {record.case.ref}, assessed {record.case.assessed_on}")
    prompter.say(f"Level of need: {band_label}", "bold")
    if record.result.override is not None:
        prompter.say("The level was set by the practitioner's override: read its rationale in the report.")
    agrees = prompter.choose(
        f"Do you agree with the level of need ({band_label})?",
        [Option("agree", "I agree", "a"), Option("disagree", "I disagree", "d")],
        default="agree" if kept.get("agrees", True) else "disagree",
    )
    keep("agrees", agrees == "agree")
    why = prompter.text(
        "Why? (what you weighed; the next reader needs it)",
        default=str(kept.get("why", "")),
        validate=typed_text(lambda t: None if t.strip() else "say why you agree or disagree with the level"),
    ).strip()
    keep("why", why)
    decision = prompter.choose(
        "Decision",
        [Option(value, title, option_key(n)) for n, (value, title) in enumerate(DECISIONS.items())],
        default=str(kept.get("decision", "continue")),
    )
    keep("decision", decision)
    notes: list[dict[str, str]] = list(kept.get("reflection", []))
    given = {n.get("prompt"): n.get("note", "") for n in notes if isinstance(n, dict)}
    answered: list[dict[str, str]] = []
    for prompt in record.reflection:
        prompt = " ".join(prompt.split())
        note = prompter.text(
            f"Reflection: {prompt}",
            default=str(given.get(prompt, "")),
            validate=typed_text(),
            hint="(optional; Enter to leave it out)",
        ).strip()
        if note:
            answered.append({"prompt": prompt, "note": note})
        keep("reflection", answered + [n for n in notes if n.get("prompt") not in {a["prompt"] for a in answered}])
    keep("reflection", answered)
    role = prompter.text(
        "Your role (team manager, practice supervisor)",
        default=str(kept.get("role", "")),
        validate=typed_text(lambda t: None if t.strip() else "give your role", one_line=True),
    ).strip()
    keep("role", role)
    name = prompter.text(
        "Your name",
        default=str(kept.get("name", "")),
        validate=typed_text(lambda t: None if t.strip() else "a sign-off needs the name of who made it", one_line=True),
    ).strip()
    keep("name", name)
    assessed_on = record.case.assessed_on

    def check_day(text: str) -> str | None:
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            return "a date as YYYY-MM-DD"
        if day > today:
            return "the date cannot be in the future"
        if day < assessed_on:
            return f"the sign-off cannot come before the assessment ({assessed_on})"
        return None

    signed_on = prompter.text(
        "Date of the sign-off", default=str(kept.get("signed_on", today.isoformat())), validate=check_day
    ).strip()
    keep("signed_on", signed_on)
    return Signoff(
        agrees=agrees == "agree",
        why=why,
        decision=decision,
        reflection=[ReflectionNote(prompt=a["prompt"], note=a["note"]) for a in answered],
        role=role,
        name=name,
        signed_on=dt.date.fromisoformat(signed_on),
    )


def discard_signoff_draft(record: Record) -> None:
    signoff_draft_path(record).unlink(missing_ok=True)
