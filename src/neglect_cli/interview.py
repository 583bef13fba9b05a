"""The interactive walk: case details, context facts, then domain by domain, item by item.

Everything the practitioner sees and answers goes through a small `Prompter`
interface, so the flow is tested with a scripted fake and the prompt library
(questionary, on prompt_toolkit) stays at this edge. After every answer the
draft is saved (drafts.py) and the answers so far are scored again, so that an
immediate or urgent escalation is shown the moment it fires, before the next
question. Ctrl-C, Ctrl-D, SIGTERM and SIGHUP save the draft and end the walk
with the command that resumes it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from .errors import Interrupted, UserError
from .text import unsafe_reason, visible

if TYPE_CHECKING:
    from rich.console import Console

    from .definition import ContextFact, Item, Tool
    from .drafts import Draft, DraftFile, DraftLock, DraftTool
    from .record import AnswerEntry, CaseInfo, LoadedAnswers, Record
    from .scoring import Result
    from .toolfiles import ToolSource

DEFAULT_TOOL = "neglect-core"
LIVE_SEVERITIES = ("immediate", "urgent")
SHORT_QUESTION = 50  # characters; a longer question is printed above a short prompt
BACK = "back"
GUIDANCE = "guidance"
NOT_KNOWN = "not_known"
SKIP = "skip"
CHOOSE = "choose"
DOES_NOT_APPLY = "does_not_apply"


# --- the prompter interface ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Option:
    """One choice in a menu: the value returned, the words shown, and its one-key shortcut."""

    value: str
    title: str
    key: str | None = None


Validate = Callable[[str], str | None]  # returns an error message, or None when the text is fine


def typed_text(then: Validate | None = None, *, one_line: bool = False) -> Validate:
    """The check for typed text: no control characters, terminal escapes or bidi overrides (nor a tab or
    line break in a one-line answer), then `then`. The prompt asks again, saying why."""

    def check(text: str) -> str | None:
        problem = unsafe_reason(text, multiline=not one_line)
        if problem is None and then is not None:
            problem = then(text)
        return problem

    return check


class Prompter(Protocol):
    """What the walk needs from a terminal. `QuestionaryPrompter` is the real one."""

    def say(self, text: str, style: str = "") -> None:
        """Print a line (or lines) of plain text."""

    def heading(self, text: str) -> None:
        """Print a section heading (a domain, the case details, the finish)."""

    def rows(self, rows: Sequence[tuple[str, str]], style: str = "") -> None:
        """Print labelled lines (a scale value and its description), each text wrapped under itself."""

    def alert(self, severity: str, title: str, body: str) -> None:
        """Show an escalation in a clearly marked panel."""

    def acknowledge(self) -> None:
        """Wait until the practitioner has read the prompts just shown (the most urgent is last on screen)."""

    def show_summary(self, record: Record) -> None:
        """Show the assessment summary screen."""

    def choose(self, message: str, options: Sequence[Option], *, default: str | None = None) -> str:
        """One option's value. Raises KeyboardInterrupt (Ctrl-C) or EOFError (Ctrl-D)."""

    def choose_many(self, message: str, options: Sequence[Option], *, default: Sequence[str] = ()) -> list[str]:
        """The values of the options ticked (possibly none)."""

    def text(
        self,
        message: str,
        *,
        default: str = "",
        validate: Validate | None = None,
        hint: str = "",
        keep: Callable[[str], None] | None = None,
    ) -> str:
        """A line of text that passed `validate`. When the prompt is interrupted (Ctrl-C, Ctrl-D, a signal,
        a closed terminal), `keep` is given what was typed so far, so a half-written note is not lost."""


class QuestionaryPrompter:
    """Prompts with questionary (one keypress for menus with shortcuts), text with rich."""

    def __init__(self, stream: Any = None) -> None:
        from rich.console import Console

        from .output import color_enabled

        self.stream = stream or sys.stdout
        self.console: Console = Console(
            file=self.stream,
            no_color=not color_enabled(self.stream),
            force_terminal=True,
            highlight=False,
            emoji=False,
            markup=False,
        )
        self._pt: dict[str, Any] = {}
        if self.stream is not sys.stdout:
            from prompt_toolkit.output import create_output

            self._pt["output"] = create_output(stdout=self.stream)

    def say(self, text: str, style: str = "") -> None:
        from rich.text import Text

        self.console.print(Text(visible(text), style=style))

    def heading(self, text: str) -> None:
        from rich.text import Text

        self.console.print()
        self.console.rule(Text(visible(text), style="bold"), align="left")

    def rows(self, rows: Sequence[tuple[str, str]], style: str = "") -> None:
        from rich.table import Table
        from rich.text import Text

        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", min_width=3)
        grid.add_column()
        for label, text in rows:
            grid.add_row(Text(visible(label), style="bold"), Text(visible(text), style=style))
        self.console.print(grid)

    def alert(self, severity: str, title: str, body: str) -> None:
        from rich.panel import Panel
        from rich.text import Text

        style = {"immediate": "bold red", "urgent": "red"}.get(severity, "yellow")
        self.console.print()
        # the title goes inside, where it wraps: in the border a long one is cut at 80 columns
        self.console.print(
            Panel(
                Text(visible(title) + "\n", style="bold") + Text(visible(body)),
                title=Text(f"!! {severity.upper()}", style=style),
                title_align="left",
                border_style=style,
                box=_heavy_box(),
            )
        )

    def acknowledge(self) -> None:
        self.choose("Read the prompt above, then go on", [Option("go", "Go on", "g")], default="go")

    def show_summary(self, record: Record) -> None:
        from .render.terminal import summary

        self.console.print()
        summary(record, self.console)

    def choose(self, message: str, options: Sequence[Option], *, default: str | None = None) -> str:
        import questionary

        keyed = any(o.key for o in options)
        if default not in {o.value for o in options}:
            default = None
        choices = [
            questionary.Choice(
                visible(f"{o.key}) {o.title}" if o.key else (f"   {o.title}" if keyed else o.title)), value=o.value
            )
            for o in options
        ]
        question = questionary.select(
            message,
            choices=choices,
            default=default,
            use_shortcuts=False,
            use_arrow_keys=True,
            use_jk_keys=False,
            instruction="(press a key)" if keyed else "(arrows, then Enter)",
            qmark=">",
            **self._pt,
        )
        _one_keypress(question, options)
        with _on_screen(question.application):
            return str(question.unsafe_ask())

    def choose_many(self, message: str, options: Sequence[Option], *, default: Sequence[str] = ()) -> list[str]:
        import questionary

        choices = [questionary.Choice(visible(o.title), value=o.value, checked=o.value in default) for o in options]
        question = questionary.checkbox(
            message,
            choices=choices,
            qmark=">",
            use_jk_keys=False,
            instruction="(Space to tick, Enter when done; none ticked is fine)",
            **self._pt,
        )
        _ctrl_d_is_eof(question)
        with _on_screen(question.application):
            return [str(v) for v in question.unsafe_ask()]

    def text(
        self,
        message: str,
        *,
        default: str = "",
        validate: Validate | None = None,
        hint: str = "",
        keep: Callable[[str], None] | None = None,
    ) -> str:
        import questionary

        def check(value: str) -> bool | str:
            from .loading import NOTE_MAX_CHARS

            if len(value) > NOTE_MAX_CHARS:  # every note is bounded where it is typed (records must stay readable)
                return f"at most {NOTE_MAX_CHARS:,} characters (this is {len(value):,}): shorten it"
            if validate is None:
                return True
            problem = validate(value)
            return True if problem is None else problem

        question = questionary.text(
            message, default=default, validate=check, instruction=hint or None, qmark=">", **self._pt
        )
        with _on_screen(question.application):
            try:
                return str(question.unsafe_ask())
            except BaseException:
                if keep is not None:
                    # the prompt's buffer still holds what was typed when it was interrupted
                    typed = str(getattr(question.application.current_buffer, "text", ""))
                    if typed.strip():
                        keep(typed)
                raise


def _heavy_box() -> Any:
    from rich import box

    return box.HEAVY


def _one_keypress(question: Any, options: Sequence[Option]) -> None:
    """Each option's key answers at once (questionary's own shortcuts only move the pointer, and
    allow no `?`); Ctrl-D means end of input, as in a text prompt."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
    from questionary.prompts.common import InquirerControl

    app = question.application
    control = next((c for c in app.layout.find_all_controls() if isinstance(c, InquirerControl)), None)
    bindings = KeyBindings()
    if control is not None:
        for index, option in enumerate(options):
            if not option.key:
                continue

            def pick(event: Any, index: int = index) -> None:
                control.pointed_at = index
                control.is_answered = True
                event.app.exit(result=control.choices[index].value)

            bindings.add(option.key, eager=True)(pick)

    def eof(event: Any) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    bindings.add("c-d", eager=True)(eof)
    app.key_bindings = merge_key_bindings([app.key_bindings, bindings])


def _ctrl_d_is_eof(question: Any) -> None:
    _one_keypress(question, [])


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


@dataclass
class _Session:
    """What an interrupt handler needs to know, however far the start-up got."""

    walk: Walk | None = None
    case_ref: str | None = None  # a draft being resumed, before its walk exists
    lock: DraftLock | None = None  # this walk's hold on the case's draft (one walk per case at a time)


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

    @property
    def tool(self) -> Tool:
        return self.source.tool

    # -- state ----------------------------------------------------------------------

    def context(self) -> dict[str, Any]:
        """Context facts as scoring and records take them (skipped facts left out)."""
        from .record import coerce_fact

        out: dict[str, Any] = {}
        for fact in self.tool.context:
            value = self.draft.context.get(fact.id)
            if value is None:
                continue
            coerced, problem = coerce_fact(fact.type, value, fact.choices, fact.min, fact.max)
            if problem is None:
                out[fact.id] = coerced
        return out

    def applicable(self, item_id: str) -> bool:
        from .scoring import is_applicable

        return is_applicable(self.tool, item_id, self.context())

    def ratings(self) -> dict[str, int | None]:
        return {
            k: e.value
            for k, e in self.draft.answers.items()
            if self.tool.item(k) and self.applicable(k) and e.does_not_apply is None
        }

    def result(self, *, with_override: bool = False) -> Result:
        """The answers so far, scored (with the practitioner's override when asked for)."""
        from .record import answered_does_not_apply, marked_hardship
        from .scoring import score

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
        )

    def save(self) -> Path:
        """Save the draft. If it cannot be written (a full disk), the answers stay in memory and the
        practitioner may free space and try again, save in another folder, or stop."""
        from .store import WriteError

        while True:
            try:
                return self.save_once()
            except WriteError as exc:
                self.save_failed(exc)

    def save_once(self) -> Path:
        """Save the draft once; `store.WriteError` when it cannot be written (the earlier draft is kept)."""
        from .drafts import save_draft

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
        from .drafts import describe_saved_at

        return f"at {describe_saved_at(self.draft.saved_at)}" if self.draft.saved_at else "before (none)"

    def resume_hint(self) -> str:
        """The command that carries this walk on: by case ref, or by path when the draft is elsewhere."""
        if self.save_folder is not None and self.saved_path is not None:
            return resume_command(str(self.saved_path))
        return resume_command(self.draft.case.ref)

    def save_on_the_way_out(self) -> tuple[Path | None, str]:
        """A last save when the walk ends (no questions asked): the path, and a sentence saying where
        the answers are (or, when the save failed, which draft is kept)."""
        from .store import WriteError

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
        self.prompter.heading("About the child and family")
        self.prompter.say("Facts that change how ratings are read. Optional ones can be skipped with Enter.", "dim")
        for fact in facts:
            self.draft.position = "context"
            self.draft.context[fact.id] = self.ask_fact(fact)
            self.save()
        self.announce_escalations()

    def ask_fact(self, fact: ContextFact) -> Any:
        from .record import coerce_fact

        current = self.draft.context.get(fact.id)
        question = " ".join(fact.question.split())
        if len(question) > SHORT_QUESTION:
            # long questions are printed (rich wraps between words) and the prompt itself stays short
            self.prompter.say(question, "bold")
            question = "Answer"
        optional = not fact.required
        if fact.type in ("choice", "boolean"):
            if fact.type == "boolean":
                options = [Option("yes", "Yes", "y"), Option("no", "No", "n")]
                now = None if current is None else ("yes" if current else "no")
            else:
                options = [Option(c, _words(c), _key(i)) for i, c in enumerate(fact.choices or [])]
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
                [Option(c, _words(c)) for c in fact.choices or []],
                default=current if isinstance(current, list) else (),
            )
            value, _ = coerce_fact("multichoice", ticked, fact.choices, None, None)
            return value

        def check(text: str) -> str | None:
            text = text.strip()
            if not text:
                return None if optional else "this fact is required"
            _, problem = coerce_fact(fact.type, _typed(fact.type, text), fact.choices, fact.min, fact.max)
            return problem

        hints = {
            "integer": _range_hint(fact),
            "date": "YYYY-MM-DD",
            "text": "",
        }
        hint = hints.get(fact.type, "")
        if optional:
            hint = (hint + ", " if hint else "") + "Enter to skip"
        default = "" if current is None else (current.isoformat() if isinstance(current, dt.date) else str(current))
        answer = self.prompter.text(question, default=default, validate=check, hint=f"({hint})" if hint else "").strip()
        if not answer:
            return None
        value, _ = coerce_fact(fact.type, _typed(fact.type, answer), fact.choices, fact.min, fact.max)
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
        from .record import AnswerEntry

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
            return self._answered(AnswerEntry(value=value, evidence=evidence, hardship=self.ask_hardship(item, value)))

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
        from .drafts import PendingNote

        def keep(typed: str) -> None:
            self.draft.pending = PendingNote(item=item_id, value=value, text=typed)

        return keep

    def _note_fits(self, text: str) -> str | None:
        """An evidence note or reason is bounded on its own and, with every other note, in total, so that the
        draft and the record can always be read back."""
        import json

        from .loading import NOTE_MAX_CHARS, NOTES_BUDGET_BYTES

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

    def announce_escalations(self) -> None:
        """Show each immediate or urgent escalation the moment it starts to fire, the most urgent last.

        A rule about a whole domain or the overall level, judged before every domain is finished, says it
        is provisional; a prompt shown that no longer applies at the end is named as withdrawn there."""
        from .definition import reads_whole_domains

        fired = [e for e in self.result().escalations if e.severity in LIVE_SEVERITIES]
        new = [e for e in fired if e.id not in self.shown]
        for esc in reversed(new):  # escalations come most severe first: print it last, nearest the prompt
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
        from .definition import describe

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

    def build(self, *, redact: bool = False) -> dict[str, Any]:
        from .record import build_record, seal, signing_key

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
        )
        return seal(body, signing_key())

    def finish(self, *, out: Path | None, fmt: str, redact: bool, force: bool) -> Path:
        """Summary, child's voice, override, confirm, write. Returns the record's path."""
        from .record import Record

        while True:
            self.draft.position = "finish"
            self.save()
            self.prompter.heading("Summary")
            self.prompter.show_summary(Record.model_validate(self.build()))
            for line in self.withdrawn():
                self.prompter.say(line, "bold yellow")
            self.ask_child_voice()
            self.ask_override()
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
        voice = self.prompter.text(
            "The child's voice: what has the child said, in their own words?",
            default=self.draft.child_voice or "",
            validate=typed_text(),
            hint="(optional; Enter to leave it out)",
        ).strip()
        self.draft.child_voice = voice or None
        self.save()

    def ask_override(self) -> None:
        from .record import OverrideIn

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
        bands = [Option(b.id, b.label, _key(i)) for i, b in enumerate(self.tool.bands)]
        band = self.prompter.choose(
            "Final level of need",
            bands,
            default=current.band if current else escalated,
        )

        from .record import MIN_LOWERING_RATIONALE

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
            agreed_on = _ask_date(self.prompter, "Date they agreed", today, current.agreed_on if current else None)
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
            options.append(Option(item.id, f"{item.id} ({now}): {_shorten(item.prompt, 60)}"))
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
        from .record import default_record_name

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
        from .drafts import discard_draft, draft_path
        from .saving import write_and_show

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
        for esc in fired:
            self.prompter.say(f"Still open: {esc.severity.upper()}: {esc.title}", "bold red")
            self.announced[esc.id] = esc.title
        self.shown = {e.id for e in fired}


# --- starting, resuming, finishing --------------------------------------------------------


def run_interview(
    *,
    tool: str | None,
    prefill: LoadedAnswers | None,
    resume: str | None,
    out: Path | None,
    fmt: str,
    redact: bool,
    force: bool,
    prompter: Prompter | None = None,
    choose_tool: bool = False,
) -> WalkOutcome:
    """Run the guided walk to a written record, or to a saved draft when interrupted or stopped.

    `resume` is a draft's case ref or path, or "list" to choose one. `choose_tool` offers the
    loaded tools (for `neglect` on its own). Ctrl-C, Ctrl-D, SIGTERM and SIGHUP end the walk with
    status "interrupted" after saving the draft.
    """
    from .clock import now, today
    from .crash import no_core_dumps

    no_core_dumps()  # a core dump would hold the answers in memory
    if prompter is None:
        prompter = QuestionaryPrompter(_screen_stream())
    session = _Session()
    with _signals_raise():
        try:
            walk = _start(tool, prefill, resume, prompter, session, now=now, today=today(), choose_tool=choose_tool)
            if walk is None:
                return WalkOutcome("stopped")
            session.walk = walk
            out, redact = _record_options(walk.draft, out, redact)
            walk.save()
            if walk.draft.position == "context":
                walk.ask_context(only_missing=True)
            start = walk.draft.position if walk.tool.item(walk.draft.position) else None
            pending = walk.draft.pending.item if walk.draft.pending is not None else None
            kept_note = pending is not None and walk.tool.item(pending) is not None and walk.applicable(pending)
            if kept_note:  # cut off mid-note, even while changing an answer at the end: ask that item first
                start = pending
            if (
                kept_note
                or walk.draft.position != "finish"
                or any(i.id not in walk.draft.answers for i in walk.tool.items() if walk.applicable(i.id))
            ):
                walk.walk_items(start=start)
            path = walk.finish(out=out, fmt=fmt, redact=redact, force=force)
            return WalkOutcome("written", record_path=path)
        except Stop:
            if session.walk is None:
                command = resume_command(session.case_ref) if session.case_ref else None
                if command:
                    prompter.say(f"Stopped. The draft is kept; to carry on: {command}", "bold")
                return WalkOutcome("stopped", resume_command=command)
            saved, where = session.walk.save_on_the_way_out()
            command = session.walk.resume_hint()
            kept = "The draft is kept" if where.startswith("Your answers") else where
            prompter.say(f"Stopped. {kept}; to carry on: {command}", "bold")
            return WalkOutcome("stopped", draft_path=saved, resume_command=command)
        except OSError as exc:
            if exc.errno not in (errno.EIO, errno.EPIPE, errno.ENXIO) or session.walk is None:
                raise
            _ignore_signals()  # the terminal has gone: keep the answers, say nothing
            saved, _ = session.walk.save_on_the_way_out()
            _say_quietly("\n")
            return WalkOutcome("interrupted", draft_path=saved, resume_command=session.walk.resume_hint())
        except (KeyboardInterrupt, EOFError, Interrupted):
            _ignore_signals()  # a second Ctrl-C must not cut the save short
            if session.walk is None:
                if session.case_ref is None:
                    _say_quietly("\nStopped before the case was set up: nothing to save.\n")
                    return WalkOutcome("interrupted")
                command = resume_command(session.case_ref)
                _say_quietly(f"\nStopped. The draft is unchanged.\nTo carry on: {command}\n")
                return WalkOutcome("interrupted", resume_command=command)
            saved, where = session.walk.save_on_the_way_out()
            command = session.walk.resume_hint()
            _say_quietly(f"\nStopped. {where}\nTo carry on: {command}\n")
            return WalkOutcome("interrupted", draft_path=saved, resume_command=command)
        finally:
            if session.lock is not None:
                session.lock.release()


def _record_options(draft: Draft, out: Path | None, redact: bool) -> tuple[Path | None, bool]:
    """The record's path and redaction: as given now, else as given when the walk began (kept in the draft).
    A new `-o` replaces the old one; `--redact`, once asked for, stays."""
    if out is not None:
        draft.out = str(out.absolute())
    elif draft.out is not None:
        out = Path(draft.out)
    draft.redact = draft.redact or redact
    return out, draft.redact


def resume_command(case_ref: str) -> str:
    import shlex

    return f"neglect assess --resume {shlex.quote(case_ref)}"


def _start(
    tool_name: str | None,
    prefill: LoadedAnswers | None,
    resume: str | None,
    prompter: Prompter,
    session: _Session,
    *,
    now: Callable[[], dt.datetime],
    today: dt.date,
    choose_tool: bool,
) -> Walk | None:
    from .drafts import Draft, DraftTool, list_drafts
    from .toolfiles import find_tool

    if resume is not None:
        found = _pick_draft(resume, prompter)
        if found is not None and found.draft is not None and tool_name:
            _check_same_tool(tool_name, found.draft.tool)
        return _resume(found, prompter, session, now=now) if found else None

    if prefill is not None:
        source = prefill.source
        if tool_name and find_tool(tool_name).sha256 != source.sha256:
            raise UserError(f"--tool {tool_name} and the answers file name different tools")
    elif tool_name:
        source = find_tool(tool_name)
    else:
        source = _choose_tool(prompter) if choose_tool else find_tool(DEFAULT_TOOL)

    _welcome(source, prompter)
    if prefill is None:
        waiting = [d for d in list_drafts() if d.draft is not None]
        if waiting:
            prompter.say(
                f"You have {len(waiting)} unfinished assessment(s): `neglect assess --resume` to carry one on.", "dim"
            )
    case = prefill.answers.case if prefill is not None else None
    ref = case.ref if case is not None else None
    if case is None:
        prompter.heading("Case details")
    while True:
        if ref is None:
            ref = _ask_ref(prompter, today)
        held = _lock(session, ref, prompter, now=now, other_ref=case is None)
        if held == "other":
            ref = None
            continue
        if held == "quit":
            return None
        existing = _existing_draft(ref)
        if existing is not None:
            picked = prompter.choose(
                f"There is already a draft for {ref}",
                [
                    Option("resume", "Carry on with the draft", "r"),
                    Option("replace", "Start again (the draft is replaced)", "s"),
                    Option("other", "Use a different case reference", "d"),
                ],
                default="resume",
            )
            if picked == "resume":
                return _resume(existing, prompter, session, now=now, welcomed=source)
            if picked == "other":
                ref = None
                continue
        break
    if case is None:
        case = _ask_case(prompter, ref, today)
    draft = Draft(
        tool=DraftTool(id=source.tool.id, version=source.tool.version, sha256=source.sha256, path=str(source.path)),
        case=case,
    )
    if prefill is not None:
        draft.context = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in prefill.context.items()}
        draft.answers = dict(prefill.answers.answers)
        draft.child_voice = prefill.answers.child_voice
        draft.override = prefill.answers.override
        missing = len(prefill.missing())
        prompter.say(f"Pre-filled from {prefill.document.name}: {missing} item(s) still to answer.", "dim")
    walk = Walk(source=source, draft=draft, prompter=prompter, now=now)
    session.walk = walk
    walk.save()
    walk.start_escalations()
    return walk


def _welcome(source: ToolSource, prompter: Prompter) -> None:
    tool = source.tool
    prompter.heading(f"{tool.title}  ({tool.id} {tool.version})")
    prompter.say("This tool supports professional judgement; it does not replace it.", "italic")
    values = tool.scale.values
    keys = (
        f"{values[0]}–{values[-1]} rate"
        if values[-1] <= 9
        else f"{values[0]}–9 rate (arrows and Enter for 10–{values[-1]})"
    )
    if tool.scale.allow_not_known:
        keys += " · n not known"
    prompter.say(f"Keys: {keys} · ? guidance · b back · Ctrl-C saves and stops (resume later)", "dim")


def _choose_tool(prompter: Prompter) -> ToolSource:
    from .toolfiles import discover_tools, find_tool

    sources = discover_tools()
    if len(sources) <= 1:
        return find_tool(DEFAULT_TOOL) if not sources else sources[0]
    options = [Option(s.ref, f"{s.tool.title} ({s.ref})", _key(i)) for i, s in enumerate(sources)]
    default = next((s.ref for s in sources if s.tool.id == DEFAULT_TOOL), sources[0].ref)
    picked = prompter.choose("Which tool?", options, default=default)
    return next(s for s in sources if s.ref == picked)


def _ask_ref(prompter: Prompter, today: dt.date) -> str:
    from pydantic import ValidationError

    from .record import CaseInfo

    def check_ref(text: str) -> str | None:
        try:
            CaseInfo(ref=text.strip(), assessed_on=today)
        except ValidationError as exc:
            message = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
            if "pattern" in message:
                return "letters, digits and . _ / - only, starting with a letter or digit (up to 64)"
            return message
        return None

    return prompter.text(
        "Case reference",
        validate=check_ref,
        hint="(pseudonymous, e.g. CIN-2041 — never the child's name)",
    ).strip()


def _ask_date(prompter: Prompter, question: str, today: dt.date, current: dt.date | None) -> dt.date:
    """A date on or before today, typed as YYYY-MM-DD or DD/MM/YYYY."""

    def parse(text: str) -> dt.date | None:
        text = text.strip()
        for form in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, form).date()
            except ValueError:
                continue
        return None

    def check(text: str) -> str | None:
        day = parse(text)
        if day is None:
            return "a date as YYYY-MM-DD or DD/MM/YYYY"
        return "the date cannot be in the future" if day > today else None

    answer = prompter.text(question, default=(current or today).isoformat(), validate=check, hint="(YYYY-MM-DD)")
    day = parse(answer)
    assert day is not None  # validated above
    return day


def _ask_case(prompter: Prompter, ref: str, today: dt.date) -> CaseInfo:
    from .record import CaseInfo

    def check_date(text: str) -> str | None:
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            return "a date as YYYY-MM-DD"
        return "the assessment date cannot be in the future" if day > today else None

    day = dt.date.fromisoformat(
        prompter.text(
            "Date of the assessment", default=today.isoformat(), validate=check_date, hint="(YYYY-MM-DD)"
        ).strip()
    )
    one_line = typed_text(one_line=True)
    assessor = prompter.text("Assessor", validate=one_line, hint="(your name or initials; Enter to leave out)").strip()
    supervisor = prompter.text("Supervisor", validate=one_line, hint="(optional; Enter to leave out)").strip()
    return CaseInfo(ref=ref, assessed_on=day, assessor=assessor or None, supervisor=supervisor or None)


def _existing_draft(case_ref: str) -> DraftFile | None:
    from .drafts import DraftFile, draft_path, load_draft

    path = draft_path(case_ref)
    if not path.exists():
        return None
    try:
        return DraftFile(path, load_draft(path))
    except UserError:
        return DraftFile(path, None, "unreadable")


def _check_same_tool(tool_name: str, drafted: DraftTool) -> None:
    """`--tool` with `--resume` must name the draft's own tool: a walk cannot change tool half-way."""
    from .toolfiles import find_tool

    asked = find_tool(tool_name).tool
    if (asked.id, asked.version) != (drafted.id, drafted.version):
        raise UserError(
            f"--tool {asked.ref} is not the tool of this draft ({drafted.id}@{drafted.version}); "
            "a walk carries on with the tool it began with (leave out --tool, or start a new assessment)"
        )


def _pick_draft(resume: str, prompter: Prompter) -> DraftFile | None:
    from .drafts import find_draft, list_drafts, summary_line

    if resume not in ("", "list"):
        return find_draft(resume)
    drafts = list_drafts()
    usable = [d for d in drafts if d.draft is not None]
    for bad in drafts:
        if bad.draft is None:
            prompter.say(f"Cannot read {bad.path}: {bad.problem}", "yellow")
    if not usable:
        raise UserError("there are no drafts to resume (start a new assessment with `neglect assess`)")
    options = [Option(d.draft.case.ref, summary_line(d.draft), _key(i)) for i, d in enumerate(usable) if d.draft]
    options.append(Option("", "Cancel", "q"))
    picked = prompter.choose("Which assessment do you want to carry on?", options, default=options[0].value)
    return next((d for d in usable if d.draft is not None and d.draft.case.ref == picked), None)


def _resume(
    found: DraftFile,
    prompter: Prompter,
    session: _Session,
    *,
    now: Callable[[], dt.datetime],
    welcomed: ToolSource | None = None,
) -> Walk | None:
    from .clock import today
    from .drafts import DraftFile, check_draft, draft_path, load_draft
    from .toolfiles import find_tool, load_tool_file

    if found.draft is None:
        raise UserError(f"cannot resume: {found.problem or 'unreadable draft'}", file=str(found.path))
    if _lock(session, found.draft.case.ref, prompter, now=now, other_ref=False) != "locked":
        return None
    found = DraftFile(found.path, load_draft(found.path))  # as it is now that it is ours (another walk may have saved)
    assert found.draft is not None
    draft = found.draft
    session.case_ref = draft.case.ref
    source: ToolSource | None = None
    path = Path(draft.tool.path)
    if path.is_file():
        with contextlib.suppress(UserError):
            source = load_tool_file(path.resolve())
    if source is None or source.tool.id != draft.tool.id:
        try:
            source = find_tool(f"{draft.tool.id}@{draft.tool.version}")
        except UserError:
            try:
                source = find_tool(draft.tool.id)
            except UserError:
                raise UserError(
                    f"the draft's tool {draft.tool.id}@{draft.tool.version} is not available; it was read from "
                    f"{draft.tool.path}: put it back there, or its folder on NEGLECT_TOOLS_PATH",
                    file=str(found.path),
                ) from None
    if source.sha256 == draft.tool.sha256:  # (a changed tool drops what no longer fits, below)
        check_draft(found.path, draft, source.tool, today=today())  # as strictly as an answers file
    if welcomed is None or welcomed.sha256 != source.sha256:
        _welcome(source, prompter)
    if source.sha256 != draft.tool.sha256:
        prompter.say(
            f"The tool {draft.tool.id} has changed since this draft was saved "
            f"(was {draft.tool.version}, sha256 {draft.tool.sha256[:12]}…; now {source.tool.version}, "
            f"sha256 {source.sha256[:12]}…). Items, scales or rules may differ.",
            "bold yellow",
        )
        picked = prompter.choose(
            "Carry on with the tool as it is now?",
            [
                Option("go", "Yes: keep the answers that still fit, and ask the rest", "y"),
                Option("stop", "No: stop here (the draft is kept)", "n"),
            ],
            default="stop",
        )
        if picked != "go":
            raise Stop
        draft.tool.id, draft.tool.version = source.tool.id, source.tool.version
        draft.tool.sha256, draft.tool.path = source.sha256, str(source.path)
        _drop_misfits(draft, source.tool, prompter)
        if draft.position not in ("context", "finish") and source.tool.item(draft.position) is None:
            draft.position = "finish"
    walk = Walk(source=source, draft=draft, prompter=prompter, now=now)
    if found.path.resolve() != draft_path(draft.case.ref).resolve():
        walk.origin = found.path  # saved elsewhere (a full disk): from now on it is saved in the drafts folder
    session.walk = walk
    p = draft.progress
    prompter.say(f"Carrying on with {draft.case.ref}: {p.answered} of {p.applicable} items answered.", "bold")
    walk.start_escalations()
    walk.save()
    return walk


def _lock(
    session: _Session, case_ref: str, prompter: Prompter, *, now: Callable[[], dt.datetime], other_ref: bool
) -> Literal["locked", "other", "quit"]:
    """Take the case's draft for this walk. When another walk has it, say who and since when, and let the
    practitioner look at it read-only, pick another case reference (when `other_ref`), or quit."""
    from .drafts import DraftBusy, draft_path, lock_draft, lock_path

    path = draft_path(case_ref)
    if session.lock is not None:
        if session.lock.path == lock_path(path):
            return "locked"
        session.lock.release()
        session.lock = None
    try:
        session.lock = lock_draft(path, case_ref, now=now())
    except DraftBusy as busy:
        who = busy.holder.describe() if busy.holder is not None else "another process"
        prompter.say(f"The draft for {case_ref} is open in another walk:", "bold yellow")
        prompter.say(f"  {who}.", "bold yellow")
        prompter.say("Only one walk at a time may change it, so that no answer overwrites another.", "dim")
        options = [Option("view", "Look at its answers so far, read-only (nothing is changed)", "v")]
        if other_ref:
            options.append(Option("other", "Use a different case reference", "d"))
        options.append(Option("quit", "Quit (the other walk carries on)", "q"))
        picked = prompter.choose("What now?", options, default="quit")
        if picked == "view":
            _show_read_only(path, prompter)
            return "quit"
        return "other" if picked == "other" else "quit"
    if session.lock.taken_over is not None:
        prompter.say(f"Taken over: the last walk on {case_ref} ended without closing its draft (killed or crashed).")
        prompter.say(f"  It was {session.lock.taken_over.describe()}.", "dim")
    return "locked"


def _show_read_only(path: Path, prompter: Prompter) -> None:
    """The answers of a draft another walk holds, as last saved (nothing is written)."""
    from .drafts import load_draft, summary_line

    if not path.exists():
        prompter.say("It has no saved answers yet.")
        return
    draft = load_draft(path)
    prompter.say(summary_line(draft), "bold")
    prompter.rows(
        [
            (
                item_id,
                "not known"
                if entry.not_known is not None
                else ("does not apply" if entry.does_not_apply is not None else f"rated {entry.value}"),
            )
            for item_id, entry in draft.answers.items()
        ]
    )
    prompter.say("Nothing was changed.", "dim")


def _drop_misfits(draft: Draft, tool: Tool, prompter: Prompter) -> None:
    """After a tool change: drop answers and facts the tool no longer accepts (they are asked again)."""
    from .record import coerce_fact

    for item_id, entry in list(draft.answers.items()):
        item = tool.item(item_id)
        fits = item is not None and (
            (entry.not_known is not None and tool.scale.allow_not_known)
            or (
                entry.value in tool.scale.values
                and (item.evidence_from is None or (entry.value or 0) < item.evidence_from or bool(entry.evidence))
            )
        )
        if not fits:
            del draft.answers[item_id]
            prompter.say(f"{item_id}: the earlier answer no longer fits the tool and will be asked again.", "yellow")
    for fact_id, value in list(draft.context.items()):
        fact = tool.fact(fact_id)
        if fact is None:
            del draft.context[fact_id]
            continue
        if value is not None and coerce_fact(fact.type, value, fact.choices, fact.min, fact.max)[1]:
            del draft.context[fact_id]
    if draft.override is not None and draft.override.band not in {b.id for b in tool.bands}:
        draft.override = None


# --- helpers ---------------------------------------------------------------------------


def _shorten(text: str, width: int) -> str:
    import textwrap

    return textwrap.shorten(" ".join(text.split()), width, placeholder="…")


def _words(choice_id: str) -> str:
    text = choice_id.replace("_", " ").replace("-", " ")
    return text[:1].upper() + text[1:]


def _key(index: int) -> str | None:
    keys = "123456789abcdefghijklmoprtuvwxz"
    return keys[index] if index < len(keys) else None


def _typed(kind: str, text: str) -> Any:
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            return text
    return text


def _range_hint(fact: ContextFact) -> str:
    if fact.min is not None and fact.max is not None:
        return f"a whole number, {fact.min}–{fact.max}"
    if fact.min is not None:
        return f"a whole number, at least {fact.min}"
    if fact.max is not None:
        return f"a whole number, at most {fact.max}"
    return "a whole number"


def _screen_stream() -> Any:
    """Where the walk is shown: stdout when it is a terminal, else stderr (so `--format json > x` works)."""
    if sys.stdout.isatty():
        return sys.stdout
    if sys.stderr.isatty():
        return sys.stderr
    raise UserError("neglect assess asks questions and needs a terminal to show them on")


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """SIGTERM and SIGHUP raise `Interrupted` (a BaseException) so that the draft is saved on the way out."""

    def handler(signum: int, frame: Any) -> None:
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise Interrupted(signum) from None
        # Raised inside prompt_toolkit's event loop, the exception would be swallowed by its
        # handler ("Press ENTER to continue"): ask the prompt on screen to end with it instead.
        _PENDING.append(signum)
        loop.call_soon_threadsafe(_end_prompt, loop, signum)

    _PENDING.clear()

    previous: dict[signal.Signals, Any] = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        try:
            if signal.getsignal(sig) == signal.SIG_IGN:  # e.g. under nohup: respect that
                continue
            previous[sig] = signal.signal(sig, handler)
        except (ValueError, OSError):  # not the main thread: leave signals alone
            continue
    previous_int = signal.getsignal(signal.SIGINT)
    try:
        yield
    finally:
        for sig, old in previous.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(sig, old)
        with contextlib.suppress(ValueError, OSError, TypeError):
            signal.signal(signal.SIGINT, previous_int)


_ACTIVE: list[Any] = []  # the prompt_toolkit application on screen, if any
_PENDING: list[int] = []  # a signal that arrived while a prompt was on screen


def _end_prompt(loop: Any, signum: int) -> None:
    """End the prompt on screen with `Interrupted`; if it is still starting, try again shortly."""
    app = _ACTIVE[-1] if _ACTIVE else None
    if app is None or (app.future is not None and app.future.done()):
        return  # no prompt, or one already ending: `_on_screen` raises the pending signal
    if app.is_running and app.future is not None:
        app.exit(exception=Interrupted(signum))
    else:
        loop.call_later(0.05, _end_prompt, loop, signum)


@contextlib.contextmanager
def _on_screen(app: Any) -> Iterator[None]:
    """Mark a prompt as on screen; a signal that came too late to end it is raised when it returns."""
    _ACTIVE.append(app)
    try:
        yield
    except OSError:
        if _PENDING:  # the terminal went away (SIGHUP) and the prompt could not redraw itself
            raise Interrupted(_PENDING[0]) from None
        raise
    finally:
        _ACTIVE.remove(app)
    if _PENDING:
        raise Interrupted(_PENDING[0])


def _ignore_signals() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError, OSError):
            signal.signal(sig, signal.SIG_IGN)


def _say_quietly(text: str) -> None:
    """Write to stderr; if the terminal has gone (SIGHUP), say nothing rather than fail."""
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
