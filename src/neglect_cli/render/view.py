"""What a report says, worked out once for every format: the terminal, Markdown and HTML renderers
only lay it out.

A record carries band ids; when its tool can be found the view adds band labels, thresholds,
guidance, item prompts and scale labels, and falls back to ids when it cannot. Band colours come
from one mapping from a band's position to a colour, shared by every renderer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..definition import reading_order
from ..record import REDACTED as REDACTED  # one marker for records and every renderer
from ..text import visible_data
from ..world import observed_rather_than_told
from .worldview import (
    WorldBlock,
    household_attention,
    last_seen_alone_long_before,
    last_seen_long_before,
    source_words,
    world_blocks,
)

if TYPE_CHECKING:
    from ..chronology import Entry
    from ..definition import Tool
    from ..record import Record, SuggestedFact
    from ..toolfiles import ToolSource
    from .planview import PlanProgress, PlanView, SignoffView

DISCLAIMER = (
    "This tool supports professional judgement; it does not replace it. "
    "Discuss the assessment, and any decision it informs, in supervision."
)
NO_ESCALATION = "No escalation rule was met. Professional judgement still applies."

#: Band colours by position (lowest band first): (fill, text on that fill). Text colours keep
#: WCAG AA contrast on the fill. A tool with up to four bands spreads them from green to red;
#: one with more takes them in order, and reuses the last beyond six.
BAND_COLOURS: tuple[tuple[str, str], ...] = (
    ("#2e7d32", "#ffffff"),  # green
    ("#f2c230", "#1a1a1a"),  # amber
    ("#e8710a", "#1a1a1a"),  # orange
    ("#c62828", "#ffffff"),  # red
    ("#6a1b9a", "#ffffff"),  # purple
    ("#3e2723", "#ffffff"),  # dark brown
)
UNKNOWN_COLOUR = ("#757575", "#ffffff")  # a band whose place in the tool is not known

SEVERITY_WORDS = {
    "immediate": "Immediate — act now",
    "urgent": "Urgent — act today",
    "consult": "Consult — talk it through",
    "info": "For information",
}


def colour_slot(index: int, count: int | None = None) -> int:
    """Which of BAND_COLOURS the band at `index` of `count` takes: a tool's top band is never amber."""
    if count is not None and 1 < count <= 4:
        return round(index * 3 / (count - 1))
    return min(index, len(BAND_COLOURS) - 1)


def band_colour(index: int | None, count: int | None = None) -> tuple[str, str]:
    """(fill, text) colours for the band at this position among its tool's `count` bands; grey when unknown."""
    if index is None:
        return UNKNOWN_COLOUR
    return BAND_COLOURS[colour_slot(index, count)]


@dataclass(frozen=True, slots=True)
class BandView:
    id: str
    label: str  # the tool's label, or the id when the tool is not available
    index: int | None  # position in the tool's bands (None: tool not available)
    up_to: float | None = None
    guidance: str | None = None
    review_weeks: int | None = None
    count: int | None = None  # how many bands the tool has (None: tool not available)

    @property
    def review(self) -> str | None:
        """ "within 6 weeks", or None when the tool gives no review interval."""
        return weeks(self.review_weeks) if self.review_weeks else None

    @property
    def fill(self) -> str:
        return band_colour(self.index, self.count)[0]

    @property
    def ink(self) -> str:
        return band_colour(self.index, self.count)[1]


@dataclass(frozen=True, slots=True)
class DomainView:
    id: str
    title: str
    score: float | None
    band: BandView | None
    coverage: float
    answered: int
    applicable: int
    not_known: int
    incomplete: bool

    @property
    def coverage_text(self) -> str:
        """ "86% (6/7)", or, when none of the domain's items apply at the child's age, say so."""
        if self.applicable == 0:
            return "no items at this age"
        return f"{percent(self.coverage)} ({self.answered}/{self.applicable})"


@dataclass(frozen=True, slots=True)
class ItemView:
    id: str
    domain: str
    prompt: str | None
    status: str  # answered | not_known | not_applicable | does_not_apply | unanswered
    value: int | None
    value_label: str | None
    evidence: str | None
    reason: str | None
    name: str = ""  # the item's title (its id when the tool is not available)
    hardship: bool = False  # the unmet need is mainly caused by money or housing
    source: str | None = None  # where the evidence came from, in words (record format 3)

    @property
    def rating(self) -> str:
        """The rating in words: "4 — Needs often not met", "not known", ..."""
        if self.status == "answered" and self.value is not None:
            words = f"{self.value} — {self.value_label}" if self.value_label else str(self.value)
            return words + (" (mainly money or housing)" if self.hardship else "")
        return {
            "not_known": "not known",
            "not_applicable": "not applicable at this age",
            "does_not_apply": "does not apply to this child",
        }.get(self.status, "not answered")


@dataclass(frozen=True, slots=True)
class EscalationView:
    id: str
    severity: str
    title: str
    prompt: str
    because: list[str]
    minimum_band: BandView | None
    raised: bool = False  # this rule's minimum band is above the level from the scores alone

    @property
    def severity_words(self) -> str:
        return SEVERITY_WORDS.get(self.severity, self.severity)

    @property
    def floor_words(self) -> str:
        """What the rule did to the level, said only as it happened ("" when it sets no floor)."""
        if self.minimum_band is None:
            return ""
        if self.raised:
            return f"Raised the level to at least {self.minimum_band.label}"
        return f"Sets a floor of {self.minimum_band.label} (the scores alone already reach it)"


@dataclass(frozen=True, slots=True)
class FactView:
    id: str
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class ChronologySection:
    """The child's chronology beside the report of a case in the record store: its entries in force and the
    assessments, oldest first (free text already removed under `--redact`), and its counts in words."""

    entries: list[Entry]
    counts: list[str]
    as_of: dt.date  # what the counts and the timeline run to


@dataclass(frozen=True, slots=True)
class ReportView:
    """Everything a report shows, in the order it shows it."""

    case_ref: str
    assessed_on: str
    assessor: str | None
    supervisor: str | None
    tool_id: str
    tool_version: str
    tool_title: str | None  # None: the tool is not available here
    created_at: str
    record_sha256: str
    redacted: bool
    integrity_problems: list[str]
    score: float | None
    computed_band: BandView | None
    escalated_band: BandView | None
    band: BandView | None
    coverage: float
    answered: int
    applicable: int
    incomplete: bool
    override_band: BandView | None
    override_rationale: str | None
    override_agreed_by: str | None
    override_agreed_on: str | None
    domains: list[DomainView]
    escalations: list[EscalationView]
    child_voice: str | None
    facts: list[FactView]
    items: list[ItemView]
    reflection: list[str]
    bands: list[BandView]  # the tool's bands in order; empty when the tool is not available
    #: lowest and highest value on the tool's scale; None when the tool is not available (no profile is drawn)
    scale: tuple[int, int] | None
    #: the tool leaves ratings marked as mainly caused by money or housing out of domain scores
    hardship_unscored: bool = False
    #: how the tool makes the overall score from the domain scores (`max_domain`, `mean_domains`); None: tool not here
    overall_rule: str | None = None
    plan: PlanView | None = None  # record format 3 (planview.py)
    signoff: SignoffView | None = None  # the supervisor's sign-off beside the record, if any
    chronology: ChronologySection | None = None  # a case in the store with a chronology: its entries
    #: the child's world (record format 3): seen and heard, household, worries and strengths, capacity, identity
    world: list[WorldBlock] = field(default_factory=list)
    #: said right after the level: adults in the child's life not reached, or answers that disagree (format 3)
    attention: list[str] = field(default_factory=list)
    #: the child's age in months (the `age_months` fact), when the record says: what a provisional result asks
    age_months: int | None = None
    #: whether the child uses words, and was seen on their own (record format 3; None when not recorded)
    uses_words: bool | None = None
    seen_alone: bool | None = None

    def world_block(self, key: str) -> WorldBlock | None:
        return next((block for block in self.world if block.key == key), None)
    #: case facts the tool asks about that the record does not know (none when the tool is not available)
    unknown_facts: list[FactView] = field(default_factory=list)

    @property
    def tool_found(self) -> bool:
        return self.tool_title is not None

    @property
    def review(self) -> str | None:
        """ "within 6 weeks, by 2026-03-30": the final level's review period and the date it gives."""
        if self.band is None or not self.band.review_weeks:
            return None
        import datetime as dt

        try:
            due = dt.date.fromisoformat(self.assessed_on) + dt.timedelta(weeks=self.band.review_weeks)
        except ValueError:
            return self.band.review
        return f"{self.band.review}, by {due.isoformat()}"

    def items_in(self, domain_id: str) -> list[ItemView]:
        return [item for item in self.items if item.domain == domain_id]

    @property
    def hardship_note(self) -> str:
        """Why a domain with hardship-marked ratings may score low ("" when none are left out)."""
        marked = [item.name for item in self.items if item.hardship]
        if not (self.hardship_unscored and marked):
            return ""
        return (
            "Left out of the domain scores as mainly caused by money or housing (see the practical-help "
            "prompts): " + "; ".join(marked) + "."
        )

    @property
    def score_words(self) -> str:
        """What the overall score is, with it: "highest domain score 2.67" (the level is computed from it)."""
        what = {"max_domain": "highest domain score", "mean_domains": "average of the domain scores"}
        return f"{what.get(self.overall_rule or '', 'overall score')} {score_text(self.score)}"

    @property
    def level_title(self) -> str:
        """"Final level", or, below the tool's minimum coverage, a plain word that it is not."""
        return "Provisional — not enough known" if self.incomplete else "Final level"

    @property
    def provisional_words(self) -> str:
        """Why a provisional result is not final, what to do about it, and that red flags do not wait.

        Names the domains with too few items answered; says how to see the child in a way that fits
        their age and whether they use words; and, when an immediate or urgent prompt has fired, that it
        is acted on now, whatever is still unknown. "" when the result is final."""
        if not self.incomplete:
            return ""
        short = [d for d in self.domains if d.incomplete and d.applicable]
        counts = [f"{d.answered} of {d.applicable} answered" for d in short]
        if len(short) == 1:
            first = f"Too few items are answered in the {short[0].title} domain ({counts[0]}) to rely on this result."
        elif short:
            named = "; ".join(f"{d.title} ({n})" for d, n in zip(short, counts, strict=True))
            first = f"Too few items are answered in these domains to rely on this result: {named}."
        else:
            first = "Too few items are answered to rely on this result."
        words = [first, self._gather_words()]
        if any(e.severity in ("immediate", "urgent") for e in self.escalations):
            words.append(
                "The red flags below do not wait for the missing answers: act on each immediate or urgent "
                "prompt as it says."
            )
        return " ".join(words)

    def _gather_words(self) -> str:
        """What to gather before deciding, for this child's age and how they communicate."""
        first = "Gather the missing information before deciding"
        agencies = "ask the agencies that know the child"
        if observed_rather_than_told(self.age_months, self.uses_words):
            baby = self.age_months is not None and self.age_months < 24
            who = "baby" if baby else "child"
            ask = "the health visitor and GP" if baby else "those who know how they communicate"
            watch = "how they respond, feed, play and settle"
            return (
                f"{first}: observe the {who} with and without their carers ({watch}), with someone who knows "
                f"how they communicate, and ask {ask}."
            )
        if self.seen_alone:
            return f"{first}: {agencies}."
        if self.age_months is None:
            return (
                f"{first}: see the child on their own; observe a baby, or a child who does not use words, with "
                f"and without their carers, and {agencies}."
            )
        return f"{first}: see the child on their own, in a way that suits their age, and {agencies}."

    @property
    def still_unknown(self) -> list[ItemView]:
        """Items that apply and are not known or not answered: what to find out."""
        return [item for item in self.items if item.status in ("not_known", "unanswered")]

    @property
    def override_words(self) -> str:
        """The override with both levels and who agreed ("" when there is none)."""
        if self.override_band is None:
            return ""
        before = self.escalated_band
        direction = "kept"
        if before is not None and before.index is not None and self.override_band.index is not None:
            if self.override_band.index < before.index:
                direction = "LOWERED"
            elif self.override_band.index > before.index:
                direction = "raised"
        if direction == "kept":
            words = f"Practitioner override: level kept at {self.override_band.label}"
        else:
            was = f" from {before.label}" if before is not None else ""
            words = f"Practitioner override: level {direction}{was} to {self.override_band.label}"
        if self.override_agreed_by:
            words += f", agreed by {self.override_agreed_by}"
            if self.override_agreed_on:
                words += f" on {self.override_agreed_on}"
        elif direction == "LOWERED":
            words += " (no second person recorded)"
        return words


def redacted(record: Record, tool: Tool | None) -> Record:
    """The record with evidence, reasons, free text, the child's voice and rationales replaced by markers."""
    from ..record import Record, redact_body

    data = redact_body(record.body(), tool)
    data["integrity"] = record.integrity.model_dump(mode="json")
    return Record.model_validate(data)


def build_view(
    record: Record,
    source: ToolSource | None,
    *,
    redact: bool = False,
    integrity_problems: list[str] | None = None,
    signoff: SignoffView | None = None,
    chronology: ChronologySection | None = None,
    progress: PlanProgress | None = None,
) -> ReportView:
    """The report's content. `source` is the record's tool (None: labels fall back to ids)."""
    from .planview import plan_view

    tool = source.tool if source is not None else None
    if redact:
        record = redacted(record, tool)
    result = record.result
    o = result.overall
    bands = _bands(tool)
    by_id = {b.id: b for b in bands}

    def band(band_id: str | None) -> BandView | None:
        if band_id is None:
            return None
        return by_id.get(band_id) or BandView(id=band_id, label=band_id, index=None)

    items = []
    for row in record.answers:
        item = tool.item(row.item) if tool else None
        label = tool.scale.label(row.value) if tool and row.value is not None else None
        items.append(
            ItemView(
                id=row.item,
                domain=row.domain,
                prompt=" ".join(item.prompt.split()) if item else None,
                status=row.status,
                value=row.value,
                value_label=label,
                evidence=row.evidence,
                reason=row.reason,
                name=item.name if item else row.item,
                hardship=row.hardship,
                source=source_words(row),
            )
        )
    escalations = sorted(
        (
            EscalationView(
                id=e.id,
                severity=e.severity,
                title=e.title,
                prompt=" ".join(e.prompt.split()),
                # a reason met by two conditions is said once; band ids read as their labels
                because=[_band_words(reason, bands) for reason in dict.fromkeys(e.because)],
                minimum_band=band(e.minimum_band),
                # format-1 records did not say which rules raised the level: the band order tells
                raised=e.raised or _above(band(e.minimum_band), band(o.computed_band)),
            )
            for e in result.escalations
        ),
        key=lambda e: reading_order(e.severity, e.raised, e.minimum_band.index if e.minimum_band else None),
    )
    domains = [
        DomainView(
            id=d.id,
            title=d.title,
            score=d.score,
            band=band(d.band),
            coverage=d.coverage,
            answered=d.answered,
            applicable=d.applicable,
            not_known=d.not_known,
            incomplete=d.incomplete,
        )
        for d in result.domains
    ]
    view = ReportView(
        case_ref=record.case.ref,
        assessed_on=record.case.assessed_on.isoformat(),
        assessor=record.case.assessor,
        supervisor=record.case.supervisor,
        tool_id=record.tool.id,
        tool_version=record.tool.version,
        tool_title=tool.title if tool else None,
        created_at=record.created_at,
        record_sha256=record.integrity.sha256,
        redacted=record.redacted,
        integrity_problems=list(integrity_problems or []),
        score=o.score,
        computed_band=band(o.computed_band),
        escalated_band=band(o.escalated_band),
        band=band(o.band),
        coverage=o.coverage,
        answered=sum(d.answered for d in result.domains),
        applicable=sum(d.applicable for d in result.domains),
        incomplete=o.incomplete,
        override_band=band(result.override.band) if result.override else None,
        override_rationale=result.override.rationale if result.override else None,
        override_agreed_by=result.override.agreed_by if result.override else None,
        override_agreed_on=_iso(result.override.agreed_on) if result.override else None,
        domains=domains,
        escalations=escalations,
        child_voice=record.child_voice,
        facts=_facts(record.context, tool, record.suggestions or []),
        items=items,
        reflection=[" ".join(p.split()) for p in record.reflection],
        bands=bands,
        scale=(min(tool.scale.values), max(tool.scale.values)) if tool is not None else None,
        hardship_unscored=tool is not None and tool.scoring.hardship == "exclude",
        overall_rule=tool.scoring.overall if tool is not None else None,
        plan=plan_view(record.plan, tool, record.review, progress=progress),
        signoff=signoff,
        chronology=chronology,
        world=world_blocks(record, tool, items),
        attention=household_attention(record, tool),
        age_months=_age_months(record.context),
        uses_words=record.child.uses_words if record.child is not None else None,
        seen_alone=_seen_alone(record, tool),
        unknown_facts=_unknown_facts(record.context, tool),
    )
    return visible_data(view)  # what a record carries is shown, never obeyed, in every format


def _seen_alone(record: Record, tool: Tool | None) -> bool | None:
    """Whether the child was seen on their own for this assessment (None: not recorded). Seen, or seen on their
    own (when the record gives those dates), only before the tool's window is not seen alone for it."""
    child = record.child
    if child is None or not child.seen:
        return None
    if last_seen_long_before(record, tool) is not None or last_seen_alone_long_before(record, tool) is not None:
        return False
    return child.seen_alone


def _age_months(context: dict[str, Any]) -> int | None:
    """The child's age in months from the `age_months` fact (the format's age fact), or None."""
    age = context.get("age_months")
    return age if isinstance(age, int) and not isinstance(age, bool) else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _above(band: BandView | None, than: BandView | None) -> bool:
    if band is None or band.index is None:
        return False
    return than is None or (than.index is not None and band.index > than.index)


def _band_words(text: str, bands: list[BandView]) -> str:
    labels = {b.id: b.label for b in bands}
    if not labels:
        return text
    ids = "|".join(re.escape(band_id) for band_id in sorted(labels, key=len, reverse=True))
    return re.sub(rf"(?<![\w-])(?:{ids})(?![\w-])", lambda m: labels[m[0]], text)


def _bands(tool: Tool | None) -> list[BandView]:
    if tool is None:
        return []
    return [
        BandView(
            id=b.id,
            label=b.label,
            index=i,
            up_to=b.up_to,
            guidance=" ".join(b.guidance.split()) if b.guidance else None,
            review_weeks=b.review_weeks,
            count=len(tool.bands),
        )
        for i, b in enumerate(tool.bands)
    ]


def _facts(context: dict[str, Any], tool: Tool | None, suggested: list[SuggestedFact]) -> list[FactView]:
    """Each fact in words; a fact the chronology suggested says whether it was kept or corrected."""
    offered = {s.fact: s for s in suggested}
    out = []
    for key, value in context.items():
        fact = tool.fact(key) if tool else None
        kind = fact.type if fact else None
        label = fact.label[:1].upper() + fact.label[1:] if fact is not None and fact.label else humanise(key)
        shown = show_fact(key, value, kind)
        if key in offered:
            hint = offered[key]
            if _same(hint.suggested, hint.confirmed):
                shown += " (suggested by the chronology; kept)"
            else:
                shown += f" (the chronology suggested {show_fact(key, hint.suggested, kind)}; corrected)"
        out.append(FactView(id=key, label=label, value=shown))
    return out


def _same(suggested: Any, confirmed: Any) -> bool:
    """Whether the practitioner kept what the chronology suggested (the ticks of a multichoice in any order)."""
    if isinstance(suggested, list) and isinstance(confirmed, list):
        return sorted(suggested) == sorted(confirmed)
    return bool(suggested == confirmed and type(suggested) is type(confirmed))


def _unknown_facts(context: dict[str, Any], tool: Tool | None) -> list[FactView]:
    """The tool's case facts that were skipped (not known), in the tool's order; a fact asked only in some
    cases (`ask_if`) and not asked in this one is left out."""
    from ..scoring import fact_asked

    if tool is None:
        return []
    return [
        FactView(id=fact.id, label=fact.name[:1].upper() + fact.name[1:], value="not known")
        for fact in tool.context
        if context.get(fact.id) is None and fact_asked(fact, context)  # a fact not asked is not unknown
    ]


def humanise(name: str) -> str:
    """`not_brought_count` -> `Not brought count`, `age_months` -> `Age (months)`: ids read as words."""
    if name.endswith("_months"):
        return humanise(name.removesuffix("_months")) + " (months)"
    words = name.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def show_fact(key: str, value: Any, kind: str | None) -> str:
    """A context value in words (free text is returned as it is, to be escaped by the renderer)."""
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(humanise(str(v)).lower() for v in value) if value else "none"
    if key == "age_months" and isinstance(value, int):
        years, months = divmod(value, 12)
        return f"{value} ({years} year{'s' if years != 1 else ''}, {months} month{'s' if months != 1 else ''})"
    if kind == "choice" and isinstance(value, str):
        return humanise(value).lower()
    if kind == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return value
    return str(value)


def weeks(count: int) -> str:
    return f"within {count} week{'s' if count != 1 else ''}"


def score_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def percent(value: float) -> str:
    return f"{value:.0%}"
