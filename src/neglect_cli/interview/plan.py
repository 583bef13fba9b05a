"""The walk's plan step: after the summary and any override, each need becomes a plan entry.

Asked when the final level requires a plan (`plan_required` on the band, tool format 3).

Items rated `NEED_FROM` or more are offered as needs; for each, the outcome for the child, the
actions (what, who as a role, by when) and the contingency; then the review date, from the level,
brought forward freely and put back only with a reason. The plan may instead be deferred to a
named meeting. Every answer is kept in the draft as it is given, so Ctrl-C resumes here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .prompter import Option, typed_text

if TYPE_CHECKING:
    from ..definition import Tool
    from ..drafts import Draft
    from ..plans import Action, Need
    from ..scoring import Result
    from .prompter import Prompter


class Walk(Protocol):
    """What the plan step uses of the walk (walk.py calls it; this module does not import the walk)."""

    draft: Draft
    prompter: Prompter

    @property
    def tool(self) -> Tool: ...

    def result(self, *, with_override: bool = False) -> Result: ...

    def ratings(self) -> dict[str, int | None]: ...

    def applicable(self, item_id: str) -> bool: ...

    def band_label(self, band_id: str | None) -> str: ...

    def save(self) -> Path: ...

NOW = "now"
DEFER = "defer"


def ask_plan(walk: Walk) -> None:
    """Ask for the plan (or the meeting it is deferred to) and keep it in the draft."""
    from ..plans import NEED_FROM, PlanDraft, plan_required

    tool = walk.tool
    band = walk.result(with_override=True).overall.band
    required = plan_required(tool, band)
    ratings = walk.ratings()
    offered = [item for item in tool.items() if (ratings.get(item.id) or 0) >= NEED_FROM and walk.applicable(item.id)]
    current = walk.draft.plan
    if not required:
        return
    walk.prompter.heading("Plan")
    walk.prompter.say(
        f"{walk.band_label(band)} needs a plan: what must change for the child, who does what, and by when.", "bold"
    )
    options = [Option(NOW, "Make the plan now", "p"), Option(DEFER, "Defer it to a named meeting", "m")]
    default = NOW if current is None or current.deferred_to is None else DEFER
    if not offered:
        walk.prompter.say(f"No item is rated {NEED_FROM} or more: name the meeting that will make the plan.")
        options, default = options[1:], DEFER
    picked = walk.prompter.choose("The plan", options, default=default)
    if picked == DEFER:
        _ask_meeting(walk)
        return
    draft = current if current is not None and current.deferred_to is None else PlanDraft()
    walk.draft.plan = draft
    chosen = walk.prompter.choose_many(
        "Which needs does the plan work on? (items rated 3 or more)",
        [Option(item.id, f"{item.name} (rated {ratings[item.id]})") for item in offered],
        default=[need.item for need in draft.needs] or [item.id for item in offered],
    )
    while not chosen:
        walk.prompter.say("Tick at least one need, or go back and defer the plan to a meeting.", "yellow")
        chosen = walk.prompter.choose_many(
            "Which needs does the plan work on?",
            [Option(item.id, f"{item.name} (rated {ratings[item.id]})") for item in offered],
        )
    kept = {need.item: need for need in draft.needs}
    draft.needs = [kept[item_id] for item_id in chosen if item_id in kept]
    for item_id in chosen:
        _ask_need(walk, item_id, kept.get(item_id))
    _ask_review(walk)


def _ask_need(walk: Walk, item_id: str, current: Need | None) -> None:
    from ..plans import Need, PlanDraft, outcome_problem

    item = walk.tool.item(item_id)
    assert item is not None and isinstance(walk.draft.plan, PlanDraft)
    walk.prompter.heading(f"Need: {item.name}")

    def keep(need: Need) -> None:
        plan = walk.draft.plan
        assert plan is not None
        plan.needs = [n for n in plan.needs if n.item != item_id] + [need]
        order = {i.id: n for n, i in enumerate(walk.tool.items())}
        plan.needs.sort(key=lambda n: order.get(n.item, 0))
        walk.save()

    outcome = walk.prompter.text(
        "What will be different for the child? (something someone could see)",
        default=current.outcome if current else "",
        validate=typed_text(outcome_problem),
    ).strip()
    need = Need(item=item_id, outcome=outcome, actions=list(current.actions) if current else [])
    keep(need)
    actions = _ask_actions(walk, need)
    need = need.model_copy(update={"actions": actions})
    keep(need)
    contingency = walk.prompter.text(
        "If this has not changed for the child by the review, what will happen?",
        default=current.contingency if current else "",
        validate=typed_text(lambda t: None if t.strip() else "say what will happen (a meeting, a step up, a referral)"),
    ).strip()
    keep(need.model_copy(update={"contingency": contingency}))


def _ask_actions(walk: Walk, need: Need) -> list[Action]:
    from ..plans import Action, by_problem, who_problem

    assessed_on = walk.draft.case.assessed_on
    actions = list(need.actions)
    if actions:
        walk.prompter.rows([(a.by.isoformat(), f"{a.who}: {a.what}") for a in actions])
        if walk.prompter.choose(
            "Actions", [Option("keep", "Keep these actions", "k"), Option("again", "Write them again", "w")]
        ) == "keep":
            return actions
        actions = []
    while True:
        what = walk.prompter.text(
            f"Action {len(actions) + 1}: what will be done?",
            validate=typed_text(lambda t: None if t.strip() else "say what will be done"),
        ).strip()
        who = walk.prompter.text(
            "Who will do it? (a role: Mother, Health visitor, School — never a name)",
            validate=typed_text(who_problem, one_line=True),
        ).strip()
        by = _ask_day(walk, "By when?", assessed_on, None, lambda day: by_problem(day, assessed_on))
        actions.append(Action(what=what, who=who, by=by))
        plan = walk.draft.plan
        assert plan is not None
        plan.needs = [n if n.item != need.item else n.model_copy(update={"actions": actions}) for n in plan.needs]
        walk.save()
        more = walk.prompter.choose(
            "Another action for this need?", [Option("done", "No, that is all", "n"), Option("more", "Yes", "y")]
        )
        if more == "done":
            return actions


def _ask_review(walk: Walk) -> None:
    from ..plans import review_due

    plan = walk.draft.plan
    assert plan is not None
    assessed_on = walk.draft.case.assessed_on
    band = walk.result(with_override=True).overall.band
    due = review_due(walk.tool, band, assessed_on)
    if due is not None:
        weeks = walk.tool.band(band).review_weeks if band else None
        walk.prompter.say(f"{walk.band_label(band)} asks for a review within {weeks} weeks: by {due}.")

    def check(day: dt.date) -> str | None:
        if day <= assessed_on:
            return f"the review must come after the assessment ({assessed_on})"
        return None

    review_on = _ask_day(walk, "Review date", assessed_on, plan.review_on or due, check)
    because = None
    if due is not None and review_on > due:
        because = walk.prompter.text(
            f"The review is later than {due}: why is it put back?",
            default=plan.review_later_because or "",
            validate=typed_text(lambda t: None if t.strip() else "putting the review back needs a reason"),
        ).strip()
    plan.review_on = review_on
    plan.review_later_because = because
    walk.save()


def _ask_meeting(walk: Walk) -> None:
    from ..plans import Meeting, PlanDraft

    current = walk.draft.plan.deferred_to if walk.draft.plan is not None else None
    assessed_on = walk.draft.case.assessed_on
    meeting = walk.prompter.text(
        "Which meeting will make the plan? (child in need meeting, core group)",
        default=current.meeting if current else "",
        validate=typed_text(lambda t: None if t.strip() else "name the meeting", one_line=True),
    ).strip()

    def check(day: dt.date) -> str | None:
        return f"the meeting is before the assessment ({assessed_on})" if day < assessed_on else None

    date = _ask_day(walk, "Date of the meeting", assessed_on, current.date if current else None, check)
    walk.draft.plan = PlanDraft(deferred_to=Meeting(meeting=meeting, date=date))
    walk.save()


def _ask_day(
    walk: Walk, question: str, assessed_on: dt.date, current: dt.date | None, rule: Callable[[dt.date], str | None]
) -> dt.date:
    """A date (YYYY-MM-DD or DD/MM/YYYY; future dates allowed) that `rule` accepts."""

    def parse(text: str) -> dt.date | None:
        for form in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text.strip(), form).date()
            except ValueError:
                continue
        return None

    def check(text: str) -> str | None:
        day = parse(text)
        if day is None:
            return "a date as YYYY-MM-DD or DD/MM/YYYY"
        problem: str | None = rule(day)
        return problem

    answer = walk.prompter.text(
        question, default=current.isoformat() if current else "", validate=check, hint="(YYYY-MM-DD)"
    )
    day = parse(answer)
    assert day is not None
    return day
