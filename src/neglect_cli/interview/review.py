"""The walk's first step when the child has been assessed before with a plan: review that plan.

After the case details, when the record store holds an earlier assessment of the same child
whose plan has needs, the walk asks, need by need, how each action went (done, partly, not done,
no longer needed) and whether the outcome was achieved for the child, with the evidence. Each
need reviewed is kept in the draft at once, so Ctrl-C resumes with the next one. Ratings are then
asked fresh; the earlier rating of an item is shown only after the new one is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from .prompter import Option, typed_text

if TYPE_CHECKING:
    from pathlib import Path

    from ..definition import Tool
    from ..drafts import Draft
    from ..record import Record
    from .prompter import Prompter


class Walk(Protocol):
    """What the review step uses of the walk (walk.py calls it; this module does not import the walk)."""

    draft: Draft
    prompter: Prompter
    earlier_ratings: dict[str, int]
    earlier_on: str | None

    @property
    def tool(self) -> Tool: ...

    def save(self) -> Path: ...


def last_planned(case_ref: str, before: str) -> Record | None:
    """The child's latest stored assessment before `before` (YYYY-MM-DD) whose plan has needs, if any.

    No store, or one that cannot be read, means nothing to review (the walk goes on without it)."""
    from ..errors import UserError
    from ..record import Record
    from ..recordstore import open_store

    try:
        opened = open_store(create=False)
    except UserError:
        return None
    try:
        stored = opened.case_records(case_ref)
    except UserError:
        return None
    finally:
        opened.close()
    for item in reversed(stored):
        if item.superseded_by is not None:
            continue
        try:
            record = Record.model_validate_json(item.body)
        except ValueError:
            continue
        if record.case.assessed_on.isoformat() >= before:
            continue
        return record if record.plan is not None and record.plan.needs else None
    return None


def review_last_plan(walk: Walk) -> None:
    """Review the last plan, when there is one to review, keeping each need in the draft as it is done."""
    from ..plans import ACTION_STATUSES, Review, ReviewedAction, ReviewedNeed

    earlier = last_planned(walk.draft.case.ref, walk.draft.case.assessed_on.isoformat())
    if earlier is None or earlier.plan is None:
        return
    walk.earlier_on = earlier.case.assessed_on.isoformat()
    walk.earlier_ratings = {row.item: row.value for row in earlier.answers if row.value is not None}
    review = walk.draft.review
    if review is None or review.previous_sha256 != earlier.integrity.sha256:
        review = Review(
            previous_sha256=earlier.integrity.sha256, previous_assessed_on=earlier.case.assessed_on, needs=[]
        )
        walk.draft.review = review
        walk.save()
    done = {need.item for need in review.needs}
    waiting = [need for need in earlier.plan.needs if need.item not in done]
    if not waiting:
        return
    walk.prompter.heading(f"Review of the last plan (assessment of {earlier.case.assessed_on})")
    walk.prompter.say("First, how did the last plan go for the child? Ratings come next, asked fresh.", "bold")
    carried = {need.item: need.plans for need in earlier.review.needs} if earlier.review is not None else {}
    statuses = [Option(value, words, key) for (value, words), key in zip(ACTION_STATUSES.items(), "dpnx", strict=True)]
    for need in waiting:
        item = walk.tool.item(need.item)
        walk.prompter.heading(f"Need: {item.name if item is not None else need.item}")
        walk.prompter.say(f"What we wanted to see for the child: {need.outcome}")
        actions = []
        for action in need.actions:
            status = walk.prompter.choose(f"{action.who}, by {action.by}: {action.what}", statuses)
            actions.append(ReviewedAction(what=action.what, who=action.who, by=action.by, status=status))
        achieved = walk.prompter.choose(
            "Was the outcome achieved for the child?",
            [Option("yes", "Yes: it is different for the child now", "y"), Option("no", "No, not yet", "n")],
        )
        evidence = walk.prompter.text(
            "What shows it, for the child? (what you or others have seen)",
            validate=typed_text(lambda t: None if t.strip() else "say what shows whether it changed for the child"),
        ).strip()
        reviewed = ReviewedNeed(
            item=need.item,
            outcome=need.outcome,
            achieved=achieved == "yes",
            evidence=evidence,
            actions=actions,
            plans=carried.get(need.item, 0) + 1,
        )
        review = review.model_copy(update={"needs": [*review.needs, reviewed]})
        walk.draft.review = review
        walk.save()
