"""The plan and the supervisor's sign-off in a report: one table (need, outcome for the child, action,
who, by when, status) and the sign-off, in Markdown, HTML and terminal text.

Kept apart from view.py and the renderers so that each renderer needs one call: `plan_markdown`,
`plan_html`, `print_plan`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from ..definition import Tool
    from ..plans import Plan, Review
    from ..signoff import Addendum

DECISION_WORDS = {
    "continue": "Continue as planned",
    "step_up": "Step up",
    "step_down": "Step down",
    "strategy_discussion": "Strategy discussion",
    "close": "Close",
}


@dataclass(frozen=True, slots=True)
class PlanProgress:
    """What a report knows of how its record's plan went: the next assessment's review of it (None: not
    reviewed yet) and the report's date (an action whose date has passed unreviewed is overdue)."""

    as_of: dt.date | None = None
    review: Review | None = None


def action_status(progress: PlanProgress | None, item: str, n: int, by: dt.date) -> str:
    """An action's status in the plan table: the next review's (done, partly done, not done, no longer
    needed), else "overdue" when its date has passed by the report's date, else "planned"."""
    from ..plans import ACTION_STATUSES

    if progress is not None and progress.review is not None:
        for need in progress.review.needs:
            if need.item == item and n < len(need.actions):
                return ACTION_STATUSES[need.actions[n].status]
    if progress is not None and progress.as_of is not None and by < progress.as_of:
        return "overdue"
    return "planned"


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One action of the plan, with its need and outcome (given on the need's first row only)."""

    need: str
    outcome: str
    what: str
    who: str
    by: str
    status: str


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One need of the last plan, reviewed: was the outcome achieved for the child, and each action's status."""

    need: str
    outcome: str
    achieved: str  # "achieved" or "NOT achieved"
    evidence: str
    actions: list[str]  # "what — who, by 2026-11-09: done"


@dataclass(frozen=True, slots=True)
class PlanView:
    reviewed: list[ReviewRow]
    reviewed_date: str | None  # the date of the assessment whose plan was reviewed
    drift: list[str]  # what the review says about drift, in words
    rows: list[PlanRow]
    contingencies: list[tuple[str, str]]  # (need, what happens if it has not changed)
    review_on: str | None
    review_later_because: str | None
    deferred_to: str | None  # "Child in need meeting on 2026-11-27"
    has_plan: bool = True


@dataclass(frozen=True, slots=True)
class SignoffView:
    agrees: bool
    why: str
    decision: str
    reflection: list[tuple[str, str]]
    role: str
    name: str
    signed_on: str
    problems: list[str]  # what verify finds wrong with it ([] when it is sound)

    @property
    def headline(self) -> str:
        agreement = "agrees with" if self.agrees else "DISAGREES with"
        return f"{self.role} ({self.name}) {agreement} the level of need — decision: {self.decision} ({self.signed_on})"


def plan_view(
    plan: Plan | None, tool: Tool | None, review: Review | None = None, *, progress: PlanProgress | None = None
) -> PlanView | None:
    """The review of the last plan and the plan, as a report shows them (None: the record has neither).
    `progress` gives each action's status (see `action_status`); without it every action is "planned"."""
    from ..plans import ACTION_STATUSES, Plan

    if plan is None and review is None:
        return None

    def named(item_id: str) -> str:
        item = tool.item(item_id) if tool is not None else None
        return item.name if item is not None else item_id

    reviewed: list[ReviewRow] = []
    drift: list[str] = []
    planned_now = {need.item for need in plan.needs} if plan is not None else set()
    for done in review.needs if review is not None else []:
        reviewed.append(
            ReviewRow(
                need=named(done.item),
                outcome=done.outcome,
                achieved="achieved" if done.achieved else "NOT achieved",
                evidence=done.evidence,
                actions=[f"{a.what} — {a.who}, by {a.by}: {ACTION_STATUSES[a.status]}" for a in done.actions],
            )
        )
        statuses = {a.status for a in done.actions}
        if not done.achieved and statuses and statuses <= {"done", "no_longer_needed"}:
            drift.append(
                f"{named(done.item)}: every action was done, yet nothing changed for the child. "
                "Is this the right plan?"
            )
        elif not done.achieved:
            drift.append(f"{named(done.item)}: not achieved for the child by the review.")
        if done.item in planned_now and done.plans + 1 >= 3:
            drift.append(
                f"{named(done.item)} is in a plan for the {_nth(done.plans + 1)} time in a row: "
                "what will be different this time?"
            )
    if plan is None:
        plan = Plan.model_construct(needs=[], review_on=None, review_later_because=None, deferred_to=None)
        only_review = True
    else:
        only_review = False
    rows: list[PlanRow] = []
    for need in plan.needs:
        name = named(need.item)
        for n, action in enumerate(need.actions):
            first = n == 0
            rows.append(
                PlanRow(
                    need=name if first else "",
                    outcome=need.outcome if first else "",
                    what=action.what,
                    who=action.who,
                    by=action.by.isoformat(),
                    status=action_status(progress, need.item, n, action.by),
                )
            )
    meeting = plan.deferred_to
    return PlanView(
        reviewed=reviewed,
        reviewed_date=review.previous_assessed_on.isoformat() if review is not None else None,
        drift=drift,
        has_plan=not only_review,
        rows=rows,
        contingencies=[(named(n.item), n.contingency) for n in plan.needs],
        review_on=plan.review_on.isoformat() if plan.review_on else None,
        review_later_because=plan.review_later_because,
        deferred_to=f"{meeting.meeting} on {meeting.date.isoformat()}" if meeting else None,
    )


def _nth(n: int) -> str:
    return {3: "third", 4: "fourth", 5: "fifth"}.get(n, f"{n}th")


def signoff_view(addendum: Addendum, problems: list[str], *, redact: bool = False) -> SignoffView:
    from ..record import REDACTED

    s = addendum.signoff
    return SignoffView(
        agrees=s.agrees,
        why=REDACTED if redact else s.why,
        decision=DECISION_WORDS.get(s.decision, s.decision),
        reflection=[(r.prompt, REDACTED if redact else r.note) for r in s.reflection],
        role=s.role,
        name=REDACTED if redact else s.name,
        signed_on=s.signed_on.isoformat(),
        problems=problems,
    )


# --- Markdown ------------------------------------------------------------------------------


def plan_markdown(plan: PlanView | None, signoff: SignoffView | None, md_escape: Callable[[str], str]) -> list[str]:
    """The plan and sign-off sections as Markdown lines ([] when there is neither); `md_escape` is markdown.py's."""

    out: list[str] = []
    if plan is not None and plan.reviewed:
        out += [f"## Review of the last plan (assessment of {plan.reviewed_date})", ""]
        out += [f"**{md_escape(line)}**" for line in plan.drift] + ([""] if plan.drift else [])
        for seen in plan.reviewed:
            out += [f"- **{md_escape(seen.need)}** — {seen.achieved}: {md_escape(seen.outcome)}"]
            out += [f"  - Evidence: {md_escape(seen.evidence)}"] + [f"  - {md_escape(a)}" for a in seen.actions]
        out.append("")
    if plan is not None and plan.has_plan:
        out += ["## The plan", ""]
        if plan.deferred_to:
            out += [f"The plan is to be made at the {md_escape(plan.deferred_to)}.", ""]
        if plan.rows:
            out += [
                "| Need | Outcome for the child | Action | Who | By when | Status |",
                "| --- | --- | --- | --- | --- | --- |",
            ]
            out += [
                "| "
                + " | ".join(md_escape(cell) for cell in (r.need, r.outcome, r.what, r.who, r.by, r.status))
                + " |"
                for r in plan.rows
            ]
            out.append("")
        for need, contingency in plan.contingencies:
            when = f"- If nothing has changed for the child by the review ({md_escape(need)}): "
            out.append(when + md_escape(contingency))
        if plan.contingencies:
            out.append("")
        if plan.review_on:
            later = f" (put back: {md_escape(plan.review_later_because)})" if plan.review_later_because else ""
            out += [f"**Review by {plan.review_on}**{later}", ""]
    if signoff is not None:
        out += ["## Supervisor's sign-off", ""]
        for problem in signoff.problems:
            out += [f"**Warning: {md_escape(problem)}.**", ""]
        out += [f"**{md_escape(signoff.headline)}**", "", f"Why: {md_escape(signoff.why)}", ""]
        out += [f"- {md_escape(prompt)} — {md_escape(note)}" for prompt, note in signoff.reflection]
        if signoff.reflection:
            out.append("")
    return out


# --- HTML ----------------------------------------------------------------------------------


def plan_html(plan: PlanView | None, signoff: SignoffView | None, escape: Callable[[str], str]) -> str:
    """The plan and sign-off sections as HTML ("" when there is neither); `escape` is html.py's."""

    out: list[str] = []
    if plan is not None and plan.reviewed:
        out.append(
            '<section class="major" aria-labelledby="review"><h2 id="review">Review of the last plan '
            f"(assessment of {escape(plan.reviewed_date or '')})</h2>"
        )
        out += [f'<p class="alert" role="alert"><strong>{escape(line)}</strong></p>' for line in plan.drift]
        for seen in plan.reviewed:
            actions = "".join(f"<li>{escape(a)}</li>" for a in seen.actions)
            out.append(
                f"<h3>{escape(seen.need)} — {escape(seen.achieved)}</h3><p>{escape(seen.outcome)}</p>"
                f"<p>Evidence: {escape(seen.evidence)}</p><ul>{actions}</ul>"
            )
        out.append("</section>")
    if plan is not None and plan.has_plan:
        out.append('<section class="major" aria-labelledby="plan"><h2 id="plan">The plan</h2>')
        if plan.deferred_to:
            out.append(f"<p>The plan is to be made at the {escape(plan.deferred_to)}.</p>")
        if plan.rows:
            out.append('<table aria-labelledby="plan"><thead><tr>')
            out.append(
                "".join(
                    f'<th scope="col">{h}</th>'
                    for h in ("Need", "Outcome for the child", "Action", "Who", "By when", "Status")
                )
                + "</tr></thead><tbody>"
            )
            for r in plan.rows:
                cells = (r.need, r.outcome, r.what, r.who, r.by, r.status)
                out.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
            out.append("</tbody></table>")
        if plan.contingencies:
            items = "".join(
                f"<li><strong>{escape(need)}</strong>: {escape(text)}</li>" for need, text in plan.contingencies
            )
            out.append(f"<p>If nothing has changed for the child by the review:</p><ul>{items}</ul>")
        if plan.review_on:
            later = f" (put back: {escape(plan.review_later_because)})" if plan.review_later_because else ""
            out.append(f"<p><strong>Review by {escape(plan.review_on)}</strong>{later}</p>")
        out.append("</section>")
    if signoff is not None:
        out.append('<section class="major" aria-labelledby="signoff"><h2 id="signoff">Supervisor\'s sign-off</h2>')
        for problem in signoff.problems:
            out.append(f'<p class="alert" role="alert"><strong>Warning: {escape(problem)}.</strong></p>')
        out.append(f"<p><strong>{escape(signoff.headline)}</strong></p><p>Why: {escape(signoff.why)}</p>")
        if signoff.reflection:
            items = "".join(f"<li>{escape(p)} — {escape(n)}</li>" for p, n in signoff.reflection)
            out.append(f"<ul>{items}</ul>")
        out.append("</section>")
    return "\n".join(out)


# --- terminal ------------------------------------------------------------------------------


def print_plan(
    plan: PlanView | None, signoff: SignoffView | None, con: Console, heading: Callable[[str], None]
) -> None:
    """The plan and sign-off on a terminal; `section(title)` prints a section heading as the summary does."""
    from rich.padding import Padding
    from rich.text import Text

    if plan is not None and plan.reviewed:
        heading(f"Review of the last plan ({plan.reviewed_date})")
        for line in plan.drift:
            con.print(Padding(Text(line, style="bold yellow"), (0, 0, 0, 2), expand=False))
        for seen in plan.reviewed:
            title = Text(f"{seen.need} — {seen.achieved}: {seen.outcome}", style="bold")
            con.print(Padding(title, (0, 0, 0, 2), expand=False))
            con.print(Padding(Text(f"Evidence: {seen.evidence}"), (0, 0, 0, 4), expand=False))
            for a in seen.actions:
                con.print(Padding(Text(f"- {a}"), (0, 0, 0, 4), expand=False))
    if plan is not None and plan.has_plan:
        heading("The plan")
        if plan.deferred_to:
            con.print(Padding(Text(f"To be made at the {plan.deferred_to}."), (0, 0, 0, 2), expand=False))
        need = ""
        for r in plan.rows:
            if r.need:
                need = r.need
                con.print(Padding(Text(f"{need}: {r.outcome}", style="bold"), (0, 0, 0, 2), expand=False))
            con.print(Padding(Text(f"- {r.what} — {r.who}, by {r.by} ({r.status})"), (0, 0, 0, 4), expand=False))
        for name, contingency in plan.contingencies:
            otherwise = Text(f"If not changed by the review ({name}): {contingency}")
            con.print(Padding(otherwise, (0, 0, 0, 2), expand=False))
        if plan.review_on:
            later = f" (put back: {plan.review_later_because})" if plan.review_later_because else ""
            con.print(Padding(Text(f"Review by {plan.review_on}{later}", style="bold"), (0, 0, 0, 2), expand=False))
    if signoff is not None:
        heading("Supervisor's sign-off")
        for problem in signoff.problems:
            con.print(Padding(Text(f"Warning: {problem}.", style="bold red"), (0, 0, 0, 2), expand=False))
        con.print(Padding(Text(signoff.headline, style="bold"), (0, 0, 0, 2), expand=False))
        con.print(Padding(Text(f"Why: {signoff.why}"), (0, 0, 0, 2), expand=False))
        for prompt, note in signoff.reflection:
            con.print(Padding(Text(f"- {prompt} — {note}"), (0, 0, 0, 2), expand=False))
