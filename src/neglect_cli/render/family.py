"""A plain-language copy of an assessment to share with parents and carers (`neglect report --for family`).

What is going well, what the worries are, what will happen and by when, and when we will look
again — in everyday words. No scores, levels, rule names or professional shorthand: the family
reads what the plan says will change for their child, and who will do what. Printable HTML, or
Markdown and plain text.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..definition import Tool
    from ..record import Record

#: Ratings at or below this are "going well"; at or above `plans.NEED_FROM`, a worry.
GOING_WELL_UP_TO = 1


@dataclass(frozen=True, slots=True)
class FamilyStep:
    who: str
    what: str
    by: str  # a date in words


@dataclass(frozen=True, slots=True)
class FamilyWorry:
    about: str
    hope: str | None  # what we want to see for your child (the plan's outcome)
    steps: list[FamilyStep]
    otherwise: str | None  # what happens if things do not change (the contingency)


@dataclass(frozen=True, slots=True)
class FamilyView:
    ref: str
    assessed_on: str
    going_well: list[str]
    worries: list[FamilyWorry]
    meeting: str | None  # "a child in need meeting on Thursday 27 November 2026"
    look_again: str | None


def day_words(day: dt.date) -> str:
    """`2026-11-09` -> `Monday 9 November 2026`."""
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def family_view(record: Record, tool: Tool | None) -> FamilyView:
    """What the family copy says, from the record and its tool (item titles in everyday words)."""
    from ..plans import NEED_FROM

    def about(item_id: str) -> str:
        item = tool.item(item_id) if tool is not None else None
        name = item.name if item is not None else item_id.split(".", 1)[-1].replace("_", " ")
        return name[:1].upper() + name[1:]

    answered = [row for row in record.answers if row.status == "answered" and row.value is not None]
    going_well = [about(row.item) for row in answered if row.value is not None and row.value <= GOING_WELL_UP_TO]
    plan = record.plan
    planned = {need.item: need for need in plan.needs} if plan is not None else {}
    worries: list[FamilyWorry] = []
    for row in answered:
        if row.value is None or row.value < NEED_FROM:
            continue
        need = planned.get(row.item)
        worries.append(
            FamilyWorry(
                about=about(row.item),
                hope=need.outcome if need else None,
                steps=[FamilyStep(a.who, a.what, day_words(a.by)) for a in need.actions] if need else [],
                otherwise=need.contingency if need and need.contingency.strip() else None,
            )
        )
    meeting = None
    if plan is not None and plan.deferred_to is not None:
        meeting = f"{plan.deferred_to.meeting} on {day_words(plan.deferred_to.date)}"
    look_again = day_words(plan.review_on) if plan is not None and plan.review_on is not None else None
    return FamilyView(
        ref=record.case.ref,
        assessed_on=day_words(record.case.assessed_on),
        going_well=going_well,
        worries=worries,
        meeting=meeting,
        look_again=look_again,
    )


def family_text(view: FamilyView) -> list[tuple[str, list[str]]]:
    """The copy as (heading, paragraphs) in reading order: the one source of its words for every format."""
    out: list[tuple[str, list[str]]] = [
        (
            "About this letter",
            [
                f"On {view.assessed_on} we looked at how your child's needs are being met at home. "
                "This letter tells you what we found and what will happen next.",
            ],
        )
    ]
    if view.going_well:
        out.append(("What is going well", [f"{thing}." for thing in view.going_well]))
    if view.worries:
        paragraphs: list[str] = []
        for worry in view.worries:
            paragraphs.append(f"We are worried about: {worry.about.lower()}.")
            if worry.hope:
                paragraphs.append(f"What we want to see for your child: {worry.hope}")
        out.append(("What we are worried about", paragraphs))
    else:
        out.append(("What we are worried about", ["We have no big worries at the moment."]))
    steps = [(worry, step) for worry in view.worries for step in worry.steps]
    next_steps: list[str] = []
    if steps:
        next_steps += [f"{step.who} will do this by {step.by}: {step.what}" for _, step in steps]
    if view.meeting:
        next_steps.append(f"We will make a plan with you at the {view.meeting}.")
    for worry in view.worries:
        if worry.otherwise:
            next_steps.append(f"If things have not changed for your child: {worry.otherwise}")
    if not next_steps:
        next_steps.append("Your worker will talk with you about what happens next.")
    out.append(("What will happen, and by when", next_steps))
    if view.look_again:
        out.append(("When we will look at this again", [f"We will meet with you again by {view.look_again}."]))
    out.append(
        (
            "If you have questions",
            [
                "Please ask your worker if anything here is not clear, or if you do not agree with it. "
                "You can ask for this letter in another language, in larger print, or read out to you.",
            ],
        )
    )
    return out


def family_markdown(view: FamilyView) -> str:
    from .markdown import md_escape

    lines = ["# What we found, and what happens next", "", f"Reference: {md_escape(view.ref)}", ""]
    for heading, paragraphs in family_text(view):
        lines += [f"## {heading}", ""]
        lines += [f"- {md_escape(p)}" for p in paragraphs] if len(paragraphs) > 1 else [md_escape(paragraphs[0])]
        lines.append("")
    return "\n".join(lines)


def family_plain(view: FamilyView, width: int = 78) -> str:
    import textwrap

    lines = ["WHAT WE FOUND, AND WHAT HAPPENS NEXT", f"Reference: {view.ref}", ""]
    for heading, paragraphs in family_text(view):
        lines.append(heading.upper())
        lines += [textwrap.fill(p, width, initial_indent="  ", subsequent_indent="  ") for p in paragraphs]
        lines.append("")
    return "\n".join(lines)


FAMILY_CSS = """
body { font: 13pt/1.55 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #1a1a1a;
       max-width: 44rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; margin-top: 1.6rem; border-bottom: 2px solid #3f51b5; padding-bottom: .15rem; }
p.ref { color: #555; margin-top: 0; }
ul { padding-left: 1.3rem; }
li { margin: .35rem 0; }
@page { size: A4; margin: 18mm; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } li { break-inside: avoid; } }
"""


def family_html(view: FamilyView) -> str:
    """The family copy as a complete, printable HTML page (no scripts, no outside resources)."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>What we found, and what happens next</title>",
        f"<style>{FAMILY_CSS}</style>",
        "</head>",
        "<body>",
        "<h1>What we found, and what happens next</h1>",
        f'<p class="ref">Reference: {e(view.ref)}</p>',
    ]
    for heading, paragraphs in family_text(view):
        parts.append(f"<h2>{e(heading)}</h2>")
        if len(paragraphs) > 1:
            parts.append("<ul>" + "".join(f"<li>{e(p)}</li>" for p in paragraphs) + "</ul>")
        else:
            parts.append(f"<p>{e(paragraphs[0])}</p>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def family_report(record: Record, tool: Tool | None, fmt: str) -> str:
    """The family copy in `fmt`: "html", "md" or "terminal" (plain text)."""
    from ..text import visible_data

    view = visible_data(family_view(record, tool))
    if fmt == "html":
        return family_html(view)
    if fmt == "md":
        return family_markdown(view)
    return family_plain(view)
