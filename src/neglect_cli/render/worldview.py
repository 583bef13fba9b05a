"""The child's world in a report (record format 3): seen and heard, the household, worries beside
strengths, capacity to change, identity for monitoring.

`world_blocks` works out what to say once; `blocks_markdown`, `blocks_html` and `print_blocks` lay the
same blocks out for each format. Every string here comes from a record: the renderers escape it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from rich.console import Console

    from ..definition import Tool
    from ..record import Record
    from ..world import Adult

class ItemView(Protocol):
    """What the worries column reads of a report's item (render.view.ItemView; not imported: it imports us)."""

    @property
    def name(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def value(self) -> int | None: ...
    @property
    def rating(self) -> str: ...
    @property
    def source(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class WorldBlock:
    """One section: label/value rows, an optional table, side-by-side columns, and alerts to read first."""

    key: str
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    head: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)
    columns: list[tuple[str, list[str]]] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    note: str = ""


def _yes_no(value: bool | None) -> str:
    return "not recorded" if value is None else ("yes" if value else "no")


def _dates(days: list[Any]) -> str:
    return ", ".join(day.isoformat() if hasattr(day, "isoformat") else str(day) for day in days) or "none recorded"


def household_attention(record: Record, tool: Tool | None = None) -> list[str]:
    """A line for each adult this assessment has not reached, or whose answers disagree (see
    `world.household_alerts`), and for what the world sections leave out that the tool asks (no
    household recorded; a child last seen long before the assessment): said at the top of every summary,
    never left silently absent."""
    return _not_recorded(record, tool) + _adult_lines(record, tool)


def _adult_lines(record: Record, tool: Tool | None) -> list[str]:
    """The words for `world.household_alerts`: one line for each adult not reached, or whose answers
    disagree, naming everything not done for them (not seen or spoken to, no checks, ...)."""
    from ..world import household_alerts

    engagement = (record.context or {}).get("engagement")
    asked = tool is not None and tool.fact("engagement") is not None
    kinds: dict[int, list[str]] = {}
    adults: dict[int, Adult] = {}
    for alert in household_alerts(record.household or [], engagement, engagement_asked=asked):
        kinds.setdefault(id(alert.adult), []).append(alert.kind)
        adults[id(alert.adult)] = alert.adult
    return [_adult_line(adults[key], found) for key, found in kinds.items()]


#: Words in a label that already say the adult's role ("Grandmother" is a grandparent): the role in brackets
#: would only repeat it. `other` is never said by a label: it reads "another adult".
_ROLE_IN_LABEL: dict[str, tuple[str, ...]] = {
    "mother": ("mother", "mum"),
    "father": ("father", "dad"),
    "partner": ("partner",),
    "grandparent": ("grand",),
}


def _who(adult: Adult) -> str:
    """The adult's label, with their role in brackets when the label does not already say it."""
    label = adult.label.casefold()
    if any(word in label for word in _ROLE_IN_LABEL.get(adult.role, ())):
        return adult.label
    return f"{adult.label} ({'another adult' if adult.role == 'other' else adult.role})"


def _adult_line(adult: Adult, kinds: list[str]) -> str:
    """One adult's line: who they are, then what was not done for them, then what to do about each."""
    from ..world import ENGAGEMENT

    who = _who(adult)
    male = adult.is_male_carer
    if adult.lives_with_child:
        where = "who lives with the child"
    elif "no_checks" in kinds:  # checks are asked of a man with a part in the child's care
        where = "who has a part in the child's care"
    else:
        where = ""
    described = " ".join(part for part in ("a male carer" if male and adult.role != "father" else "", where) if part)
    if described:
        who += f", {described}"
    they, their, them = ("he", "his", "him") if male else ("they", "their", "them")
    response = ENGAGEMENT.get(adult.engagement, adult.engagement)
    gaps: list[str] = []
    todo: list[str] = []
    for kind in kinds:
        if kind == "not_contacted":
            gaps.append("not seen or spoken to")
            bring = "brings" if male else "bring"
            todo.append(f"What {they} {bring} to the child's care, and any risk, is not known to this assessment.")
            todo.append(f"See or speak to {them}, or record why not (for example not known, or not safe).")
        elif kind == "not_spoken_to":
            gaps.append("seen but not spoken to")
            todo.append(f"Ask {them} about {their} part in the child's care and what would help.")
        elif kind == "no_checks":
            gaps.append("no checks recorded")
            todo.append(
                "Record what was checked (for example police and children's services records), or why no check "
                "was needed."
            )
        elif kind == "engagement_blank":
            gaps.append(f"{response}, while the carers' response to help is not answered")
            todo.append("Answer it, judged by what changes for the child (it can raise the level).")
        else:
            gaps.append(f"{response}, while the carers' response to help is recorded as engaged")
            todo.append("Judge it by what changes for the child, and correct whichever answer is wrong.")
    return f"{who}: {'; '.join(gaps)}. {' '.join(todo)}"


def _days_before(record: Record, day: dt.date) -> int:
    return (record.case.assessed_on - day).days


def last_seen_long_before(record: Record, tool: Tool | None) -> dt.date | None:
    """The last date the child was seen, when that is more than the tool's window (`world.seen_within_days`)
    before the assessment (the child is not seen for it, nor seen alone); None otherwise."""
    from ..world import days_since_seen, seen_within_days

    child = record.child
    if child is None or not child.seen:
        return None
    days = days_since_seen(child.seen_on, record.case.assessed_on)
    return max(child.seen_on) if days is not None and days > seen_within_days(tool) else None


def last_seen_alone_long_before(record: Record, tool: Tool | None) -> dt.date | None:
    """The last date the child was seen on their own, when the record says it (review 6, 3.5) and that is more
    than the tool's window (`world.seen_within_days`) before the assessment while the child was seen within it:
    not seen alone for this assessment, as the rules read it. None otherwise (and when the child was not seen for
    it at all)."""
    from ..world import seen_within_days

    child = record.child
    if child is None or last_seen_long_before(record, tool) is not None:
        return None
    last = child.last_seen_alone
    return last if last is not None and _days_before(record, last) > seen_within_days(tool) else None


def alone_date_to_check(record: Record, tool: Tool | None) -> str | None:
    """The "To check:" line for a child recorded as seen on their own, on several dates, without saying which
    (records and files made before `seen_alone_on`), when it matters: the earliest date seen is more than the
    tool's window (`world.seen_within_days`) before the assessment, so the child may have been seen alone only
    then. When every date is within it, the child was seen alone within it whichever it was, and nothing is
    asked."""
    from ..world import seen_within_days, window_words

    child = record.child
    if child is None or not child.alone_date_unknown or last_seen_long_before(record, tool) is not None:
        return None
    first, within = min(child.seen_on), seen_within_days(tool)
    days = _days_before(record, first)
    if days <= within:
        return None
    window = window_words(within)
    return (
        f"The child is recorded as seen on their own, but not on which of the dates seen ({_dates(child.seen_on)}); "
        f"the earliest, {first.isoformat()}, was {days} days before this assessment (more than {window}). Record the "
        f"date they were last seen on their own; if that was more than {window} before, see them on their own now."
    )


def _observed_rather_than_told(record: Record) -> bool:
    """A baby, or a child recorded as not using words (`world.observed_rather_than_told`)."""
    from ..world import observed_rather_than_told

    age = record.context.get("age_months")
    known_age = age if isinstance(age, int) and not isinstance(age, bool) else None
    return observed_rather_than_told(known_age, record.child.uses_words if record.child is not None else None)


#: Said when a household is recorded and no adult in it lives with the child (review 8, 7b: a 16-year-old on
#: friends' sofas, his mother not living with him and his father out of contact).
NOBODY_LIVES_WITH_CHILD = (
    "No adult is recorded as living with the child: find out who is responsible for them, and where they will "
    "sleep tonight."
)


def nobody_lives_with_child(household: Sequence[Adult] | None) -> bool:
    """A household is recorded (an empty one too) and no adult in it lives with the child."""
    return household is not None and not any(adult.lives_with_child for adult in household)


def _not_recorded(record: Record, tool: Tool | None) -> list[str]:
    from ..world import seen_within_days, window_words

    out: list[str] = []
    if tool is not None and tool.asks("household") and record.household is None:
        out.append("Nobody is recorded as living with or caring for the child: record who does.")
    if nobody_lives_with_child(record.household):
        out.append(NOBODY_LIVES_WITH_CHILD)
    window = window_words(seen_within_days(tool))  # the tool's own window, as its rules read it
    last = last_seen_long_before(record, tool)
    if last is not None:
        out.append(
            f"The child was last seen on {last.isoformat()}, {_days_before(record, last)} days before this "
            f"assessment (more than {window}): see the child now, and record when."
        )
    alone = last_seen_alone_long_before(record, tool)
    if alone is not None and _observed_rather_than_told(record):  # a baby, or a child without words (review 7, 4)
        out.append(
            f"The child was last seen on their own (apart from their carers) on {alone.isoformat()}, "
            f"{_days_before(record, alone)} days before this assessment (more than {window}): observe them now with "
            "and without their carers (with someone who knows how they communicate, if they do not use words), and "
            "record when."
        )
    elif alone is not None:
        out.append(
            f"The child was last seen on their own on {alone.isoformat()}, {_days_before(record, alone)} days before "
            f"this assessment (more than {window}): see them on their own now, and record when."
        )
    unknown = alone_date_to_check(record, tool)
    if unknown is not None:
        out.append(unknown)
    return out


def _household_alerts(record: Record, tool: Tool | None) -> list[str]:
    out = [NOBODY_LIVES_WITH_CHILD] if nobody_lives_with_child(record.household) else []
    out += _adult_lines(record, tool)
    if not any(adult.role == "father" for adult in record.household or []):
        out.append(
            "No father is recorded. Record the child's father or other parent, and anyone with parental "
            "responsibility, and whether they were contacted, or why not (for example, not known or not safe)."
        )
    return out


def _alone_words(record: Record, tool: Tool | None) -> str:
    """The "Seen on their own" row of a child seen for this assessment: with the last date seen alone when the
    record gives the dates (review 6, 3.5); "yes" alone when the child was seen on one date only, as before."""
    child = record.child
    assert child is not None
    if not child.seen_alone:
        return _yes_no(child.seen_alone)
    last = child.last_seen_alone
    if child.alone_date_unknown:  # said only when it matters: the earliest date seen is before the tool's window
        return "yes (which of the dates is not recorded)" if alone_date_to_check(record, tool) else "yes"
    if last is None or child.seen_alone_on is None:
        return "yes"
    if last_seen_alone_long_before(record, tool) is not None:
        before = f"{last.isoformat()}, {_days_before(record, last)} days before"
        return f"not for this assessment (last seen on their own {before})"
    return f"yes, last on {last.isoformat()}"


def world_blocks(record: Record, tool: Tool | None, items: Sequence[ItemView]) -> list[WorldBlock]:
    """The world sections a record holds, in report order (none for records of formats 1 and 2)."""
    from ..world import ENGAGEMENT, TIMESCALE, UNDERSTANDING

    out: list[WorldBlock] = []
    child = record.child
    if child is not None:
        last = last_seen_long_before(record, tool)
        if last is not None:  # seen, but before the tool's window: not seen for this assessment, nor alone
            before = f"last seen {last.isoformat()}, {_days_before(record, last)} days before"
            rows = [
                ("Seen", f"not for this assessment ({before})"),
                ("Seen on their own", "not for this assessment"),
                ("Dates seen", _dates(child.seen_on)),
            ]
        else:
            rows = [("Seen", _yes_no(child.seen))]
            if child.seen:
                rows += [("Seen on their own", _alone_words(record, tool)), ("Dates seen", _dates(child.seen_on))]
        if child.uses_words is not None:
            rows.append(("Uses words", _yes_no(child.uses_words)))
        if child.observed:
            rows.append(("What was observed of the child", child.observed))
        for domain_id, words in child.voice.items():
            domain = tool.domain(domain_id) if tool is not None else None
            title = domain.title if domain is not None else domain_id
            rows.append((f"Says or shows — {title}", words))
        alerts = []
        if not child.seen:
            alerts.append("The child was not seen for this assessment.")
        elif last is not None:
            alerts.append(f"The child was not seen for this assessment: last seen on {last.isoformat()}.")
        elif not child.seen_alone:
            alerts.append("The child was not seen on their own.")
        elif (alone := last_seen_alone_long_before(record, tool)) is not None:
            when = f"last seen on their own on {alone.isoformat()}"
            alerts.append(f"The child was not seen on their own for this assessment: {when}.")
        out.append(WorldBlock(key="child_day", title="Seen and heard", rows=rows, alerts=alerts))
    household = record.household
    if household is not None:
        table = [
            [
                adult.label,
                adult.role,
                _yes_no(adult.lives_with_child),
                adult.part_in_care or "—",
                ("seen" if adult.seen else "not seen") + ", " + ("spoken to" if adult.spoken_to else "not spoken to"),
                ENGAGEMENT.get(adult.engagement, adult.engagement),
                adult.checks or "—",
            ]
            for adult in household
        ]
        out.append(
            WorldBlock(
                key="household",
                title="Household and significant adults",
                head=["Adult", "Role", "Lives with child", "Part in care", "Contact", "Response to help", "Checks"],
                table=table,
                alerts=_household_alerts(record, tool),
                note="" if table else "No adults recorded.",
            )
        )
    strengths = record.strengths
    if strengths is not None:
        worries = [
            f"{item.name}: {item.rating}" + (f" ({item.source})" if item.source else "")
            for item in items
            if item.status == "answered" and _worry(item, tool)
        ]
        out.append(
            WorldBlock(
                key="strengths",
                title="Worries and strengths",
                columns=[
                    ("What we are worried about", worries or ["No item rated as a concern."]),
                    ("What is going well", [strengths.going_well] if strengths.going_well else []),
                    ("What keeps the child safe now", [strengths.safe_now] if strengths.safe_now else []),
                ],
            )
        )
    capacity = record.capacity
    if capacity is not None:
        rows = [("Do the carers understand the concerns?", UNDERSTANDING.get(capacity.understanding, ""))]
        if capacity.understanding_note:
            rows.append(("What shows it", capacity.understanding_note))
        if capacity.help_began is not None:
            rows.append(("Help began", capacity.help_began.isoformat()))
        if capacity.changes:
            rows.append(("What has changed for the child since help began", capacity.changes))
        rows.append(("Is change happening within the child's timescale?", TIMESCALE.get(capacity.timescale, "")))
        if capacity.age_considered:
            rows.append(("The child's age and how long they can wait", capacity.age_considered))
        out.append(
            WorldBlock(
                key="capacity",
                title="Response to help and capacity to change",
                rows=rows,
                note="Assessed apart from the ratings, which describe the child's experience on its own.",
            )
        )
    identity = record.identity
    if identity is not None:
        rows = [
            (label, value if isinstance(value, str) else _yes_no(value))
            for label, value in (
                ("Ethnicity", identity.ethnicity),
                ("Language", identity.language),
                ("Interpreter used", identity.interpreter_used),
                ("Disability", identity.disability),
                ("No recourse to public funds", identity.no_recourse_to_public_funds),
            )
            if value is not None
        ]
        out.append(
            WorldBlock(
                key="identity",
                title="Identity and access (for monitoring)",
                rows=rows,
                note="Recorded to monitor fairness; never used by any scoring rule.",
            )
        )
    return out


def _worry(item: ItemView, tool: Tool | None) -> bool:
    """A rating above the middle of the scale (3 and more on a 1–5 scale)."""
    if item.value is None:
        return False
    if tool is None:
        return item.value >= 3
    values = tool.scale.values
    return item.value >= values[len(values) // 2]


# --- layouts ----------------------------------------------------------------------------------


def _colon(label: str) -> str:
    return "" if label.endswith("?") else ":"


def blocks_markdown(blocks: list[WorldBlock], esc: Any) -> list[str]:
    """Markdown lines for the blocks; `esc` is the Markdown renderer's escape function."""
    out: list[str] = []
    for block in blocks:
        out += [f"## {esc(block.title)}", ""]
        for alert in block.alerts:
            out += [f"> **{esc(alert)}**", ""]
        if block.note:
            out += [f"*{esc(block.note)}*", ""]
        if block.rows:
            out += [f"- **{esc(label)}{_colon(label)}** {esc(value)}" for label, value in block.rows] + [""]
        if block.table:
            out.append("| " + " | ".join(esc(h) for h in block.head) + " |")
            out.append("| " + " | ".join("---" for _ in block.head) + " |")
            out += ["| " + " | ".join(esc(cell) for cell in row) + " |" for row in block.table]
            out.append("")
        for title, entries in block.columns:
            out += [f"**{esc(title)}**", ""]
            out += [f"- {esc(entry)}" for entry in entries] if entries else ["- Not recorded."]
            out.append("")
    return out


def blocks_html(blocks: list[WorldBlock], esc: Any, text: Any) -> str:
    """HTML sections for the blocks; `esc` escapes a label, `text` lays out free text (keeps line breaks)."""
    out: list[str] = []
    for block in blocks:
        anchor = f"world-{block.key}"
        out.append(f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{esc(block.title)}</h2>')
        out += [f'<p class="alert" role="note"><strong>{esc(alert)}</strong></p>' for alert in block.alerts]
        if block.note:
            out.append(f'<p class="muted">{esc(block.note)}</p>')
        if block.rows:
            out.append("<table><tbody>")
            out += [f'<tr><th scope="row">{esc(label)}</th><td>{text(value)}</td></tr>' for label, value in block.rows]
            out.append("</tbody></table>")
        if block.table:
            out.append("<table><thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in block.head))
            out.append("</tr></thead><tbody>")
            for row in block.table:
                cells = [f'<th scope="row">{esc(row[0])}</th>'] + [f"<td>{text(cell)}</td>" for cell in row[1:]]
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</tbody></table>")
        if block.columns:
            out.append('<div class="beside">')
            for title, entries in block.columns:
                shown = "".join(f"<li>{text(entry)}</li>" for entry in entries) or "<li>Not recorded.</li>"
                out.append(f"<div><h3>{esc(title)}</h3><ul>{shown}</ul></div>")
            out.append("</div>")
        out.append("</section>")
    return "\n".join(out)


BLOCKS_CSS = """
.beside { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: 1rem; }
.beside h3 { margin-top: 0; }"""


def print_blocks(blocks: list[WorldBlock], con: Console, section: Any) -> None:
    """Print the blocks on a terminal (or as plain text); `section` prints a heading."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    tty = con.is_terminal
    for block in blocks:
        section(block.title)
        for alert in block.alerts:
            con.print(Padding(Text(alert, style="bold yellow" if tty else "bold"), (0, 0, 0, 2), expand=False))
        if block.note:
            con.print(Padding(Text(block.note, style="dim" if tty else ""), (0, 0, 0, 2), expand=False))
        if block.rows:
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold" if tty else "", max_width=max(24, con.width // 3))
            grid.add_column()
            for label, value in block.rows:
                grid.add_row(Text(label), Text(value.strip()))
            con.print(Padding(grid, (0, 0, 0, 2), expand=False))
        # the household as one paragraph per adult: seven columns do not fit 80 columns
        for row in block.table:
            con.print(Padding(Text(row[0], style="bold" if tty else ""), (0, 0, 0, 2), expand=False))
            details = Table.grid(padding=(0, 2))
            details.add_column(no_wrap=True)
            details.add_column()
            for label, value in zip(block.head[1:], row[1:], strict=True):
                details.add_row(label, Text(value.strip()))
            con.print(Padding(details, (0, 0, 0, 4), expand=False))
        for title, entries in block.columns:
            con.print(Padding(Text(title, style="bold" if tty else ""), (0, 0, 0, 2), expand=False))
            bullets = Table.grid(padding=(0, 1))
            bullets.add_column(no_wrap=True)
            bullets.add_column()
            for entry in entries or ["Not recorded."]:
                bullets.add_row("•" if tty else "-", Text(entry.strip()))
            con.print(Padding(bullets, (0, 0, 0, 4), expand=False))


def source_words(row: Any) -> str | None:
    """A record row's evidence source in words, or None (records before format 3 hold none)."""
    source = getattr(row, "source", None)
    return source.words if source is not None else None
