"""The plan and the supervisor's sign-off in a report: one table (need, outcome for the child, action,
who, by when, status) and the sign-off, in Markdown, HTML and terminal text.

Kept apart from view.py and the renderers so that each renderer needs one call: `plan_markdown`,
`plan_html`, `print_plan`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from ..definition import Tool
    from ..plans import Plan
    from ..signoff import Addendum

DECISION_WORDS = {
    "continue": "Continue as planned",
    "step_up": "Step up",
    "step_down": "Step down",
    "strategy_discussion": "Strategy discussion",
    "close": "Close",
}


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
class PlanView:
    rows: list[PlanRow]
    contingencies: list[tuple[str, str]]  # (need, what happens if it has not changed)
    review_on: str | None
    review_later_because: str | None
    deferred_to: str | None  # "Child in need meeting on 2026-11-27"


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


def plan_view(plan: Plan | None, tool: Tool | None) -> PlanView | None:
    """The plan as a report shows it (None: the record has none)."""
    if plan is None:
        return None

    def named(item_id: str) -> str:
        item = tool.item(item_id) if tool is not None else None
        return item.name if item is not None else item_id

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
                    status="planned",
                )
            )
    meeting = plan.deferred_to
    return PlanView(
        rows=rows,
        contingencies=[(named(n.item), n.contingency) for n in plan.needs],
        review_on=plan.review_on.isoformat() if plan.review_on else None,
        review_later_because=plan.review_later_because,
        deferred_to=f"{meeting.meeting} on {meeting.date.isoformat()}" if meeting else None,
    )


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
    if plan is not None:
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
    if plan is not None:
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

    if plan is not None:
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
            line = Text(f"If not changed by the review ({name}): {contingency}")
            con.print(Padding(line, (0, 0, 0, 2), expand=False))
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
