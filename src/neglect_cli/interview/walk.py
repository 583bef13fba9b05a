"""One assessment in progress: context facts, then domain by domain, item by item, then the summary.

After every answer the draft is saved (drafts.py) and the answers so far are scored again, so that
an immediate or urgent escalation is shown the moment it fires, before the next question.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .prompter import Option, Prompter, ask_date, option_key, range_hint, shorten, typed, typed_text, words
from .world import ask_before_summary, ask_domain_voice, ask_source, seen_facts, world_parts

if TYPE_CHECKING:
    from ..answers import AnswerEntry
    from ..definition import ContextFact, Item, Tool
    from ..drafts import Draft
    from ..plans import Plan
    from ..record import Record, SuggestedFact
    from ..scoring import EscalationResult, Result
    from ..toolfiles import ToolSource

DEFAULT_TOOL = "neglect-core"
LIVE_SEVERITIES = ("immediate", "urgent")
SHORT_QUESTION = 50  # characters; a longer question is printed above a short prompt
#: said when the walk asks the child's age (review 8): 0 months, a newborn, is the youngest age assessed
UNBORN_HINT = (
    "An unborn baby cannot be assessed with this tool (0 months, a newborn, is the youngest age): for a "
    "pregnancy, follow your local safeguarding partnership's pre-birth protocol."
)
BACK = "back"
GUIDANCE = "guidance"
NOT_KNOWN = "not_known"
SKIP = "skip"
CHOOSE = "choose"
DOES_NOT_APPLY = "does_not_apply"

# --- the walk --------------------------------------------------------------------------


@dataclass(slots=True)
class WalkOutcome:
    """How a walk ended: a record written, stopped with the draft kept, or interrupted (exit 130)."""

    status: Literal["written", "stopped", "interrupted"]
    record_path: Path | None = None
    draft_path: Path | None = None
    resume_command: str | None = None


class Stop(Exception):  # noqa: N818 - a decision, not an error
    """The practitioner chose to stop; the draft is kept."""


def resume_command(case_ref: str) -> str:
    """The command that carries a walk on, as this program really runs (see `output.program`)."""
    from ..output import command_line

    return command_line("assess", "--resume", case_ref)


@dataclass
class Walk:
    """One assessment in progress: the tool, the draft being filled, and what has been shown."""

    source: ToolSource
    draft: Draft
    prompter: Prompter
    now: Callable[[], dt.datetime]
    shown: set[str] = field(default_factory=set)  # immediate/urgent escalations already shown
    announced: dict[str, str] = field(default_factory=dict)  # every one shown in this walk: id -> title
    notified_skips: set[str] = field(default_factory=set)
    saved_path: Path | None = None
    #: where drafts go when the practitioner chose another folder because the drafts folder's disk was full
    save_folder: Path | None = None
    #: the draft file this walk was resumed from, when it is not in the drafts folder (removed at the end)
    origin: Path | None = None
    #: the ratings of the assessment whose plan this walk reviewed, shown after each new rating (review.py)
    earlier_ratings: dict[str, int] = field(default_factory=dict)
    earlier_on: str | None = None

    @property
    def tool(self) -> Tool:
        return self.source.tool

    # -- state ----------------------------------------------------------------------

    def context(self) -> dict[str, Any]:
        """Context facts as scoring and records take them (skipped facts, and facts not asked, left out)."""
        from ..answers import coerce_fact
        from ..scoring import fact_asked

        out: dict[str, Any] = {}
        for fact in self.tool.context:
            value = self.draft.context.get(fact.id)
            if value is None or not fact_asked(fact, out):
                continue
            coerced, problem = coerce_fact(fact.type, value, fact.choices, fact.min, fact.max)
            if problem is None:
                out[fact.id] = coerced
        return out

    def applicable(self, item_id: str) -> bool:
        from ..scoring import is_applicable

        return is_applicable(self.tool, item_id, self.context())

    def ratings(self) -> dict[str, int | None]:
        return {
            k: e.value
            for k, e in self.draft.answers.items()
            if self.tool.item(k) and self.applicable(k) and e.does_not_apply is None
        }

    def result(self, *, with_override: bool = False) -> Result:
        """The answers so far, scored (with the practitioner's override when asked for)."""
        from ..answers import answered_does_not_apply, marked_hardship
        from ..scoring import score

        override = None
        if with_override and self.draft.override is not None:
            override = self.draft.override.as_override()
        answers = self.draft.answers
        return score(
            self.tool,
            self.ratings(),
            self.context(),
            override,
            does_not_apply=answered_does_not_apply(answers),
            hardship=marked_hardship(answers),
            seen=seen_facts(self),
        )

    def save(self) -> Path:
        """Save the draft. If it cannot be written (a full disk), the answers stay in memory and the
        practitioner may free space and try again, save in another folder, or stop."""
        from ..store import WriteError

        while True:
            try:
                return self.save_once()
            except WriteError as exc:
                self.save_failed(exc)

    def save_once(self) -> Path:
        """Save the draft once; `store.WriteError` when it cannot be written (the earlier draft is kept)."""
        from ..drafts import save_draft

        applicable = [i.id for i in self.tool.items() if self.applicable(i.id)]
        self.draft.progress.applicable = len(applicable)
        self.draft.progress.answered = sum(1 for i in applicable if i in self.draft.answers)
        saved_at = self.draft.saved_at
        try:
            self.saved_path = save_draft(self.draft, now=self.now(), folder=self.save_folder)
        except BaseException:
            self.draft.saved_at = saved_at  # still the time of the draft on disk
            raise
        return self.saved_path

    def save_failed(self, exc: Any) -> None:
        """The draft could not be saved: say why, keep the answers, and let the practitioner choose."""
        reason = "the disk is full" if exc.disk_full else f"it could not be written ({exc.problems[0].message})"
        self.prompter.say(
            f"The draft could not be saved: {reason}. Nothing is lost: your answers are kept while this walk runs.",
            "bold red",
        )
        picked = self.prompter.choose(
            "What now?",
            [
                Option("retry", "Try again (free some space first)", "r"),
                Option("elsewhere", "Save the draft in another folder", "e"),
                Option("stop", f"Stop (the draft saved {self.last_saved()} is kept; later answers are lost)", "q"),
            ],
            default="retry",
        )
        if picked == "stop":
            raise Stop
        if picked == "elsewhere":

            def check(text: str) -> str | None:
                return None if Path(text.strip()).expanduser().is_dir() else "not a folder: name one that exists"

            folder = self.prompter.text("Folder to save the draft in", validate=check, hint="(e.g. a USB stick)")
            self.save_folder = Path(folder.strip()).expanduser().absolute()

    def last_saved(self) -> str:
        from ..drafts import describe_saved_at

        return f"at {describe_saved_at(self.draft.saved_at)}" if self.draft.saved_at else "before (none)"

    def resume_hint(self) -> str:
        """The command that carries this walk on: by case ref, or by path when the draft is elsewhere."""
        if self.save_folder is not None and self.saved_path is not None:
            return resume_command(str(self.saved_path))
        return resume_command(self.draft.case.ref)

    def save_on_the_way_out(self) -> tuple[Path | None, str]:
        """A last save when the walk ends (no questions asked): the path, and a sentence saying where
        the answers are (or, when the save failed, which draft is kept)."""
        from ..store import WriteError

        try:
            path = self.save_once()
        except WriteError as exc:
            reason = "the disk is full" if exc.disk_full else exc.problems[0].message
            if self.saved_path is None:
                return None, f"The answers could not be saved ({reason})"
            return self.saved_path, (
                f"The latest answers could not be saved ({reason}); the draft saved {self.last_saved()} "
                f"is kept in {self.saved_path}"
            )
        return path, f"Your answers are saved in {path}"

    # -- case details ----------------------------------------------------------------

    def band_label(self, band_id: str | None) -> str:
        if band_id is None:
            return "not scored"
        return self.tool.band(band_id).label

    # -- context facts ---------------------------------------------------------------

    def ask_context(self, *, only_missing: bool) -> None:
        facts = [f for f in self.tool.context if not (only_missing and f.id in self.draft.context)]
        if not facts:
            return
        from ..scoring import fact_asked

        self.prompter.heading("About the child and family")
        self.prompter.say("Facts that change how ratings are read. Optional ones can be skipped with Enter.", "dim")
        if self.draft.suggested is None:
            from .suggestions import chronology_suggestions

            self.draft.suggested = chronology_suggestions(self.tool, self.draft.case.ref, self.draft.case.assessed_on)
        for fact in facts:
            self.draft.position = "context"
            if not fact_asked(fact, self.context()):  # `ask_if` (tool format 3): e.g. help offered, only with hardship
                self.draft.context.pop(fact.id, None)
                continue
            self.draft.context[fact.id] = self.ask_fact(fact)
            self.save()
        self.announce_escalations()

    def ask_fact(self, fact: ContextFact) -> Any:
        from ..answers import coerce_fact

        current = self.draft.context.get(fact.id)
        offered = (self.draft.suggested or {}).get(fact.id)
        if offered is not None and current is None:
            current = offered["suggested"]
            self.prompter.say(f"From the chronology: {offered['basis']}.", "cyan")
            self.prompter.say("Enter keeps this suggestion; choose or type another answer to correct it.", "dim")
        question = " ".join(fact.question.split())
        if len(question) > SHORT_QUESTION:
            # long questions are printed (rich wraps between words) and the prompt itself stays short
            self.prompter.say(question, "bold")
            question = "Answer"
        if fact.id == "age_months":  # review 8: a pregnancy is not a case this tool can assess
            self.prompter.say(UNBORN_HINT, "dim")
        optional = not fact.required
        if fact.type in ("choice", "boolean"):
            if fact.type == "boolean":
                options = [Option("yes", "Yes", "y"), Option("no", "No", "n")]
                now = None if current is None else ("yes" if current else "no")
            else:
                options = [Option(c, words(c), option_key(i)) for i, c in enumerate(fact.choices or [])]
                now = current if isinstance(current, str) else None
            if optional:
                options.insert(0, Option(SKIP, "Not known / skip (Enter)", "s"))
            else:
                options.insert(0, Option(CHOOSE, "Choose an answer", None))
            while True:
                # Enter never answers for the practitioner: it skips an optional fact and re-asks a required one
                picked = self.prompter.choose(question, options, default=now if now is not None else options[0].value)
                if picked != CHOOSE:
                    break
                self.prompter.say("This fact is required: choose an answer.", "yellow")
            if picked == SKIP:
                return None
            return (picked == "yes") if fact.type == "boolean" else picked
        if fact.type == "multichoice":
            ticked = self.prompter.choose_many(
                question,
                [Option(c, words(c)) for c in fact.choices or []],
                default=current if isinstance(current, list) else (),
            )
            value, _ = coerce_fact("multichoice", ticked, fact.choices, None, None)
            return value

        def check(text: str) -> str | None:
            text = text.strip()
            if not text:
                return None if optional else "this fact is required"
            _, problem = coerce_fact(fact.type, typed(fact.type, text), fact.choices, fact.min, fact.max)
            return problem

        hints = {
            "integer": range_hint(fact),
            "date": "YYYY-MM-DD or DD/MM/YYYY",
            "text": "",
        }
        hint = hints.get(fact.type, "")
        if optional:
            hint = (hint + ", " if hint else "") + "Enter to skip"
        default = "" if current is None else (current.isoformat() if isinstance(current, dt.date) else str(current))
        answer = self.prompter.text(question, default=default, validate=check, hint=f"({hint})" if hint else "").strip()
        if not answer:
            return None
        value, _ = coerce_fact(fact.type, typed(fact.type, answer), fact.choices, fact.min, fact.max)
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    # -- items -----------------------------------------------------------------------

    def walk_items(self, *, start: str | None = None) -> None:
        """Ask every applicable item not answered yet, from `start` (asked even if answered)."""
        items = list(self.tool.items())
        index = {item.id: n for n, item in enumerate(items)}
        i = index.get(start, 0) if start else 0
        forced: int | None = i if start in index else None
        revisit = index.get(self.draft.revisit_until or "", None)
        last_domain: str | None = None
        while i < len(items):
            item = items[i]
            if not self.applicable(item.id):
                self.notice_skip(item)
                i += 1
                continue
            if item.id in self.draft.answers and i != forced and not (revisit is not None and i <= revisit):
                i += 1
                continue
            if item.domain_id != last_domain:
                if last_domain is not None:
                    self.domain_line(last_domain)
                    ask_domain_voice(self, last_domain)
                self.domain_heading(item.domain_id)
                last_domain = item.domain_id
            self.draft.position = item.id
            entry = self.ask_item(item, can_go_back=True)
            if entry is None:  # back
                previous = next((j for j in range(i - 1, -1, -1) if self.applicable(items[j].id)), None)
                revisit = max(revisit if revisit is not None else -1, i)
                self.draft.revisit_until = items[revisit].id
                if previous is None:
                    self.prompter.say("Back to the facts about the child and family.", "dim")
                    self.ask_context(only_missing=False)
                    i, forced, last_domain = 0, 0, None
                else:
                    i, forced = previous, previous
                    if items[previous].domain_id != item.domain_id:
                        last_domain = None
                continue
            self.draft.answers[item.id] = entry
            if revisit is not None and i >= revisit:
                revisit = None
                self.draft.revisit_until = None
            self.save()
            self.announce_escalations()
            forced = None
            i += 1
        if last_domain is not None:
            self.domain_line(last_domain)
            ask_domain_voice(self, last_domain)

    def notice_skip(self, item: Item) -> None:
        if item.id in self.notified_skips or item.ages is None:
            return
        self.notified_skips.add(item.id)
        low, top = item.ages.min_months, item.ages.max_months
        ages = f"ages {low}–{top} months" if top is not None else f"ages from {low} months"
        age = self.context().get("age_months")
        self.prompter.say(f"Skipped {item.name}: applies to {ages}; this child is {age} months.", "dim")

    def domain_heading(self, domain_id: str) -> None:
        domain = self.tool.domain(domain_id)
        assert domain is not None
        number = [d.id for d in self.tool.domains].index(domain_id) + 1
        self.prompter.heading(f"{domain.title} — domain {number} of {len(self.tool.domains)}")
        if domain.description:
            self.prompter.say(" ".join(domain.description.split()), "dim")

    def domain_line(self, domain_id: str) -> None:
        result = self.result()
        d = next(d for d in result.domains if d.id == domain_id)
        score = "no score" if d.score is None else f"score {d.score:.2f}"
        self.prompter.say(
            f"{d.title}: {score} — {self.band_label(d.band)} ({d.answered} of {d.applicable} rated"
            + (f", {d.not_known} not known" if d.not_known else "")
            + ")",
            "bold",
        )

    def item_number(self, item_id: str) -> tuple[int, int]:
        applicable = [i.id for i in self.tool.items() if self.applicable(i.id)]
        return applicable.index(item_id) + 1, len(applicable)

    def show_item(self, item: Item) -> None:
        number, total = self.item_number(item.id)
        self.prompter.say("")
        self.prompter.say(f"{item.name}  ·  item {number} of {total}", "dim")
        self.prompter.say(" ".join(item.prompt.split()), "bold")
        anchors = item.anchors or {}
        self.prompter.rows(
            [
                (str(level.value), f"{level.label}: {' '.join(anchors[level.value].split())}")
                for level in self.tool.scale.levels
                if anchors.get(level.value)
            ]
        )

    def show_guidance(self, item: Item) -> None:
        guidance = " ".join((item.guidance or "").split()) or "No guidance is given for this item."
        self.prompter.say(f"Guidance: {guidance}", "italic")
        anchors = item.anchors or {}
        self.prompter.rows(
            [
                (str(level.value), f"{level.label}: {' '.join(level.description.split())}")
                for level in self.tool.scale.levels
                if level.description and not anchors.get(level.value)
            ],
            "dim",
        )

    def ask_item(self, item: Item, *, can_go_back: bool) -> AnswerEntry | None:
        """One item: rating (or not known, with a reason), evidence when required. None means back."""
        from ..answers import AnswerEntry

        current = self.draft.answers.get(item.id)
        pending = self.draft.pending if self.draft.pending is not None and self.draft.pending.item == item.id else None
        self.show_item(item)
        # one keypress per level up to 9; above that (a long scale) arrows and Enter
        options = [
            Option(str(lv.value), lv.label, str(lv.value) if lv.value <= 9 else None) for lv in self.tool.scale.levels
        ]
        if self.tool.scale.allow_not_known:
            options.append(Option(NOT_KNOWN, "Not known (give a reason)", "n"))
        if item.may_not_apply:
            options.append(Option(DOES_NOT_APPLY, "Does not apply to this child (give a reason)", "d"))
        options.append(Option(GUIDANCE, "Show the guidance", "?"))
        if can_go_back:
            options.append(Option(BACK, "Back to the previous question", "b"))
        default: str | None = GUIDANCE  # an accidental Enter shows the guidance instead of rating
        if pending is not None:  # the latest word on this item: what was being typed when the walk stopped
            default = NOT_KNOWN if pending.value is None else str(pending.value)
            what = "reason" if pending.value is None else f"evidence for a rating of {pending.value}"
            self.prompter.say(f"The {what} you were writing when the walk stopped is kept: it is filled in below.")
        elif current is not None:
            default = NOT_KNOWN if current.not_known is not None else str(current.value)
            if current.does_not_apply is not None:
                default = DOES_NOT_APPLY
        while True:
            picked = self.prompter.choose(f"Rating for {item.name}", options, default=default)
            if picked == GUIDANCE:
                self.show_guidance(item)
                continue
            if picked == BACK:
                return None
            if picked == NOT_KNOWN:
                was = (current.not_known or "") if current else ""
                reason = self.prompter.text(
                    "Why is it not known?",
                    default=pending.text if pending is not None and pending.value is None else was,
                    validate=typed_text(self._note_fits),
                    hint="(what is missing, who could tell you; Enter alone to rate instead)",
                    keep=self._keeper(item.id, None),
                ).strip()
                if not reason:
                    default = NOT_KNOWN
                    continue
                return self._answered(AnswerEntry(not_known=reason))
            if picked == DOES_NOT_APPLY:
                why = self.prompter.text(
                    "Why does it not apply to this child?",
                    default=(current.does_not_apply or "") if current else "",
                    validate=typed_text(self._note_fits),
                    hint="(who you checked with; Enter alone to rate instead)",
                ).strip()
                if not why:
                    default = DOES_NOT_APPLY
                    continue
                return self._answered(AnswerEntry(does_not_apply=why))
            value = int(picked)
            self.show_earlier(item.id, value)
            evidence = current.evidence if current else None
            if pending is not None and pending.value == value:
                evidence = pending.text
            if item.evidence_from is not None and value >= item.evidence_from:
                note = self.prompter.text(
                    f"Evidence for a rating of {value}",
                    default=evidence or "",
                    validate=typed_text(self._note_fits),
                    hint="(what, when, who saw or said it; Enter alone to change the rating)",
                    keep=self._keeper(item.id, value),
                ).strip()
                if not note:
                    default = picked
                    continue
                evidence = note
            source = ask_source(self, item.id, value, evidence) if evidence else None
            hardship = self.ask_hardship(item, value)
            return self._answered(AnswerEntry(value=value, evidence=evidence, hardship=hardship, source=source))

    def show_earlier(self, item_id: str, value: int) -> None:
        """After a new rating (never before it: no anchoring), the rating the reviewed assessment gave."""
        earlier = self.earlier_ratings.get(item_id)
        if earlier is None or self.earlier_on is None:
            return
        change = "the same" if earlier == value else ("less concern" if value < earlier else "more concern")
        label = self.tool.scale.label(earlier)
        before = f"At the last assessment ({self.earlier_on}) this was rated {earlier} ({label})"
        self.prompter.say(f"{before}: {change} now.")

    def ask_hardship(self, item: Item, value: int) -> bool:
        """With hardship known, whether this unmet need is mainly caused by money or housing."""
        mark = self.tool.hardship
        if mark is None or value < mark.ask_from or self.context().get(mark.fact) is not True:
            return False
        current = self.draft.answers.get(item.id)
        picked = self.prompter.choose(
            "Is this unmet need mainly caused by money or housing, outside the carers' control?",
            [
                Option("no", "No: it is about care within what the family has", "n"),
                Option("yes", "Yes: mainly money or housing (leads to a practical-help prompt)", "y"),
            ],
            default="yes" if current is not None and current.hardship else "no",
        )
        return picked == "yes"

    def _keeper(self, item_id: str, value: int | None) -> Callable[[str], None]:
        """What keeps a note cut off mid-typing in the draft, to be offered again on resume."""
        from ..drafts import PendingNote

        def keep(typed: str) -> None:
            self.draft.pending = PendingNote(item=item_id, value=value, text=typed)

        return keep

    def _note_fits(self, text: str) -> str | None:
        """An evidence note or reason is bounded on its own and, with every other note, in total, so that the
        draft and the record can always be read back."""
        import json

        from ..loading import NOTE_MAX_CHARS, NOTES_BUDGET_BYTES

        if len(text) > NOTE_MAX_CHARS:
            return f"at most {NOTE_MAX_CHARS:,} characters (this is {len(text):,}): shorten it"
        used = sum(
            len(json.dumps(note, ensure_ascii=False).encode("utf-8"))
            for entry in self.draft.answers.values()
            for note in (entry.evidence, entry.not_known, entry.does_not_apply)
            if note
        )
        if used + len(json.dumps(text.strip(), ensure_ascii=False).encode("utf-8")) > NOTES_BUDGET_BYTES:
            return (
                f"the notes of this assessment have reached their limit ({NOTES_BUDGET_BYTES // 2**20} MiB in all): "
                "shorten this note"
            )
        return None

    def _answered(self, entry: AnswerEntry) -> AnswerEntry:
        self.draft.pending = None  # any note kept from an interrupted walk has now been used or replaced
        return entry

    # -- escalations -----------------------------------------------------------------

    def reading_order(self, esc: EscalationResult) -> tuple[int, bool, int]:
        """The sort key that puts prompts in the order a report reads them (`definition.reading_order`)."""
        from ..definition import reading_order

        bands = [band.id for band in self.tool.bands]
        floor = bands.index(esc.minimum_band) if esc.minimum_band in bands else None
        return reading_order(esc.severity, esc.raised, floor)

    def announce_escalations(self) -> None:
        """Show each immediate or urgent escalation the moment it starts to fire, the most urgent last.

        A rule about a whole domain or the overall level, judged before every domain is finished, says it
        is provisional; a prompt shown that no longer applies at the end is named as withdrawn there."""
        from ..definition import reads_whole_domains

        fired = [e for e in self.result().escalations if e.severity in LIVE_SEVERITIES]
        new = sorted((e for e in fired if e.id not in self.shown), key=self.reading_order)
        for esc in reversed(new):  # the one that matters most is printed last, nearest the prompt
            body = " ".join(esc.prompt.split())
            rule = next((r for r in self.tool.escalations if r.id == esc.id), None)
            if rule is not None and self.position_unfinished() and reads_whole_domains(rule.when):
                body = "Provisional: judged on the answers so far, before every domain is finished.\n" + body
            if esc.because:
                body += "\n\nBecause: " + "; ".join(esc.because)
            if esc.minimum_band and esc.raised:
                body += f"\nThis raises the level of need to at least: {self.band_label(esc.minimum_band)}."
            self.prompter.alert(esc.severity, esc.title, body)
            self.announced[esc.id] = esc.title
        if new:
            self.prompter.acknowledge()
        self.shown = {e.id for e in fired}

    def position_unfinished(self) -> bool:
        return self.draft.position != "finish"

    def withdrawn(self) -> list[str]:
        """Prompts shown during the walk that no longer apply with every answer in, each with why."""
        from ..definition import describe

        fired = {e.id for e in self.result().escalations}
        out = []
        for rule_id, title in self.announced.items():
            rule = next((r for r in self.tool.escalations if r.id == rule_id), None)
            if rule_id in fired or rule is None:
                continue
            needs = describe(rule.when, self.tool)
            out.append(f"Withdrawn: {title}. It no longer applies with the answers as they are now ({needs}).")
        return out

    # -- finish ----------------------------------------------------------------------

    def build(self, *, redact: bool = False) -> Record:
        """The sealed record of the walk as it stands."""
        from ..record import build_record, seal_record, signing_key

        result = self.result(with_override=True)
        body = build_record(
            self.source,
            self.draft.case,
            self.context(),
            {k: v for k, v in self.draft.answers.items() if self.tool.item(k) is not None},
            result,
            child_voice=self.draft.child_voice,
            created_at=self.now(),
            redact=redact,
            plan=self.plan(result),
            review=self.draft.review,
            world=world_parts(self),
            suggestions=self.suggestion_record(),
        )
        return seal_record(body, signing_key())

    def plan(self, result: Result) -> Plan | None:
        """The plan made in the walk, when the final level requires one (interview/plan.py)."""
        from ..plans import plan_required

        if self.draft.plan is None or not plan_required(self.tool, result.overall.band):
            return None
        return self.draft.plan.finished()

    def suggestion_record(self) -> list[SuggestedFact]:
        """What the chronology suggested for each fact, beside what the practitioner confirmed."""
        from ..record import SuggestedFact

        context = self.context()
        return [
            SuggestedFact(
                fact=fact_id,
                source="chronology",
                suggested=offered["suggested"],
                confirmed=context.get(fact_id),
                basis=offered["basis"],
            )
            for fact_id, offered in (self.draft.suggested or {}).items()
            if self.tool.fact(fact_id) is not None
        ]

    def finish(self, *, out: Path | None, fmt: str, redact: bool, force: bool) -> Path:
        """Summary, child's voice, override, confirm, write. Returns the record's path."""
        ask_before_summary(self)
        while True:
            self.draft.position = "finish"
            self.save()
            self.prompter.heading("Summary")
            self.prompter.show_summary(self.build(), self.source)
            for line in self.withdrawn():
                self.prompter.say(line, "bold yellow")
            self.ask_child_voice()
            self.ask_override()
            from .plan import ask_plan

            ask_plan(self)
            final = self.result(with_override=True)
            self.prompter.say(
                ("Provisional — not enough known: " if final.overall.incomplete else "Final level of need: ")
                + self.band_label(final.overall.band)
                + (" (practitioner override)" if final.override else ""),
                "bold",
            )
            path = self.record_path(out, force)
            picked = self.prompter.choose(
                "Save the assessment?",
                [
                    Option("save", f"Save the record to {path}", "s"),
                    Option("change", "Change an answer first", "c"),
                    Option("stop", "Stop here and keep the draft", "q"),
                ],
                default="save",
            )
            if picked == "stop":
                raise Stop
            if picked == "change":
                self.change_an_answer()
                continue
            return self.write(path, fmt=fmt, redact=redact, force=force)

    def ask_child_voice(self) -> None:
        if self.tool.asks("seen"):
            return  # asked domain by domain (interview/world.py)
        voice = self.prompter.text(
            "The child's voice: what has the child said, in their own words?",
            default=self.draft.child_voice or "",
            validate=typed_text(),
            hint="(optional; Enter to leave it out)",
        ).strip()
        self.draft.child_voice = voice or None
        self.save()

    def ask_override(self) -> None:
        from ..answers import OverrideIn

        result = self.result()
        escalated = result.overall.escalated_band
        current = self.draft.override
        keep = f"Keep {self.band_label(escalated)}" if escalated else "Keep it as it is"
        options = [Option("keep", keep, "k"), Option("override", "Override the final level of need", "o")]
        picked = self.prompter.choose(
            "Does the level of need match your professional judgement?",
            options,
            default="override" if current else "keep",
        )
        if picked == "keep":
            if current is not None:
                self.draft.override = None
                self.save()
            return
        bands = [Option(b.id, b.label, option_key(i)) for i, b in enumerate(self.tool.bands)]
        band = self.prompter.choose(
            "Final level of need",
            bands,
            default=current.band if current else escalated,
        )

        from ..answers import MIN_LOWERING_RATIONALE

        lowering = escalated is not None and self.tool.band_index(band) < self.tool.band_index(escalated)

        def check(text: str) -> str | None:
            if not text.strip():
                return "an override needs a rationale: it is what the supervisor reads"
            if lowering and len(" ".join(text.split())) < MIN_LOWERING_RATIONALE:
                return (
                    f"lowering the level needs a rationale of at least {MIN_LOWERING_RATIONALE} characters: "
                    "say what you know that the scores and prompts do not"
                )
            return None

        rationale = self.prompter.text(
            "Rationale for the override (the supervisor sees it)",
            default=current.rationale if current else "",
            validate=typed_text(check),
        ).strip()
        agreed_by: str | None = None
        agreed_on: dt.date | None = None
        if lowering:
            self.prompter.say(
                f"Lowering the level below {self.band_label(escalated)} needs a second person: "
                "the manager or supervisor who agreed.",
                "bold",
            )
            agreed_by = self.prompter.text(
                "Who agreed to lower the level? (manager or supervisor)",
                default=(current.agreed_by or "") if current else "",
                validate=typed_text(
                    lambda text: None if text.strip() else "lowering the level needs the person who agreed",
                    one_line=True,
                ),
            ).strip()
            today = self.now().date()
            agreed_on = ask_date(self.prompter, "Date they agreed", today, current.agreed_on if current else None)
        self.draft.override = OverrideIn(band=band, rationale=rationale, agreed_by=agreed_by, agreed_on=agreed_on)
        self.save()

    def change_an_answer(self) -> None:
        options = [Option("none", "None: back to the summary")]
        for item in self.tool.items():
            if not self.applicable(item.id):
                continue
            entry = self.draft.answers.get(item.id)
            now = "not answered"
            if entry is not None:
                now = "not known" if entry.not_known is not None else f"rated {entry.value}"
            options.append(Option(item.id, f"{item.id} ({now}): {shorten(item.prompt, 60)}"))
        options.append(Option("facts", "The facts about the child and family"))
        picked = self.prompter.choose("Which answer?", options)
        if picked == "none":
            return
        if picked == "facts":
            self.ask_context(only_missing=False)
            self.walk_items()
            return
        chosen = self.tool.item(picked)
        assert chosen is not None
        entry = self.ask_item(chosen, can_go_back=False)
        if entry is not None:
            self.draft.answers[chosen.id] = entry
            self.save()
            self.announce_escalations()

    def record_path(self, out: Path | None, force: bool) -> Path:
        from ..record import default_record_name

        name = default_record_name(self.draft.case)
        path = out if out is not None else Path(name)
        if path.is_dir():
            path = path / name
        if force or not path.exists():
            return path
        stem, suffix = path.stem, path.suffix or ".json"
        n = 2
        while (candidate := path.with_name(f"{stem}-{n}{suffix}")).exists():
            n += 1
        self.prompter.say(f"{path} already exists and is kept; the new record goes to {candidate}.", "yellow")
        return candidate

    def write(self, path: Path, *, fmt: str, redact: bool, force: bool) -> Path:
        from ..drafts import discard_draft, draft_path
        from ..saving import write_and_show

        record = self.build(redact=redact)
        written = write_and_show(record, self.source, out=path, fmt=fmt, force=force, show=fmt != "terminal")
        discard_draft(draft_path(self.draft.case.ref))
        for copy in (self.origin, self.saved_path):  # a draft saved elsewhere (a full disk) is done with too
            if copy is not None:
                discard_draft(copy)
        return written

    def start_escalations(self) -> None:
        """On resume: remember what is already firing (and say so once) rather than alarm again."""
        fired = [e for e in self.result().escalations if e.severity in LIVE_SEVERITIES]
        for esc in sorted(fired, key=self.reading_order):
            self.prompter.say(f"Still open: {esc.severity.upper()}: {esc.title}", "bold red")
            self.announced[esc.id] = esc.title
        self.shown = {e.id for e in fired}
