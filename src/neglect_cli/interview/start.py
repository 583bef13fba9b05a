"""Starting, resuming and finishing a walk: the tool, the case, the draft and its lock, and the way out.

Ctrl-C, Ctrl-D, SIGTERM and SIGHUP save the draft and end the walk with the command that resumes it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import Interrupted, UserError
from ..signals import ignore_signals, say_quietly, signals_raise
from .prompter import Option, Prompter, QuestionaryPrompter, ask_date, option_key, screen_stream, typed_text
from .walk import DEFAULT_TOOL, Stop, Walk, WalkOutcome, resume_command
from .world import ask_before_items, prefilled_world

if TYPE_CHECKING:
    from ..answers import CaseInfo, LoadedAnswers
    from ..definition import Tool
    from ..drafts import Draft, DraftFile, DraftLock, DraftTool
    from ..toolfiles import ToolSource

# --- starting, resuming, finishing --------------------------------------------------------


@dataclass
class _Session:
    """What an interrupt handler needs to know, however far the start-up got."""

    walk: Walk | None = None
    case_ref: str | None = None  # a draft being resumed, before its walk exists
    lock: DraftLock | None = None  # this walk's hold on the case's draft (one walk per case at a time)


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
    from ..clock import now, today
    from ..crash import no_core_dumps

    no_core_dumps()  # a core dump would hold the answers in memory
    if prompter is None:
        prompter = QuestionaryPrompter(screen_stream())
    session = _Session()
    with signals_raise():
        try:
            walk = _start(tool, prefill, resume, prompter, session, now=now, today=today(), choose_tool=choose_tool)
            if walk is None:
                return WalkOutcome("stopped")
            session.walk = walk
            out, redact = _record_options(walk.draft, out, redact)
            walk.save()
            from .review import review_last_plan

            review_last_plan(walk)  # the child's last plan first, when the store holds one
            if walk.draft.position == "context":
                walk.ask_context(only_missing=True)
            ask_before_items(walk)
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
            ignore_signals()  # the terminal has gone: keep the answers, say nothing
            saved, _ = session.walk.save_on_the_way_out()
            say_quietly("\n")
            return WalkOutcome("interrupted", draft_path=saved, resume_command=session.walk.resume_hint())
        except (KeyboardInterrupt, EOFError, Interrupted):
            ignore_signals()  # a second Ctrl-C must not cut the save short
            if session.walk is None:
                if session.case_ref is None:
                    say_quietly("\nStopped before the case was set up: nothing to save.\n")
                    return WalkOutcome("interrupted")
                command = resume_command(session.case_ref)
                say_quietly(f"\nStopped. The draft is unchanged.\nTo carry on: {command}\n")
                return WalkOutcome("interrupted", resume_command=command)
            saved, where = session.walk.save_on_the_way_out()
            command = session.walk.resume_hint()
            say_quietly(f"\nStopped. {where}\nTo carry on: {command}\n")
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
    from ..drafts import Draft, DraftTool, list_drafts
    from ..toolfiles import find_tool

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
            from ..output import command_line

            prompter.say(
                f"You have {len(waiting)} unfinished assessment(s): `{command_line('assess', '--resume')}` "
                "to carry one on.",
                "dim",
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
        draft.world = prefilled_world(prefill.answers)
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
    from ..toolfiles import discover_tools, find_tool

    sources = discover_tools()
    if len(sources) <= 1:
        return find_tool(DEFAULT_TOOL) if not sources else sources[0]
    options = [Option(s.ref, _tool_choice(s), option_key(i)) for i, s in enumerate(sources)]
    default = next((s.ref for s in sources if s.tool.id == DEFAULT_TOOL), sources[0].ref)
    picked = prompter.choose("Which tool?", options, default=default)
    return next(s for s in sources if s.ref == picked)


def _tool_choice(source: ToolSource) -> str:
    """`id@version  Title`: the ref whole, first, and the title shortened (…) to fit the screen, since a
    menu line longer than the terminal is cut off at its end."""
    import shutil

    room = shutil.get_terminal_size((80, 24)).columns - len(source.ref) - 10  # the menu's " » 1) " and margins
    title = " ".join(source.tool.title.split())
    if len(title) > room:
        title = title[: max(room - 1, 0)].rstrip() + "…" if room > 1 else ""
    return f"{source.ref}  {title}".rstrip()


def _ask_ref(prompter: Prompter, today: dt.date) -> str:
    from pydantic import ValidationError

    from ..answers import CaseInfo

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


def _ask_case(prompter: Prompter, ref: str, today: dt.date) -> CaseInfo:
    from ..answers import CaseInfo

    day = ask_date(prompter, "Date of the assessment", today, None, future="the assessment date")
    one_line = typed_text(one_line=True)
    assessor = prompter.text("Assessor", validate=one_line, hint="(your name or initials; Enter to leave out)").strip()
    supervisor = prompter.text("Supervisor", validate=one_line, hint="(optional; Enter to leave out)").strip()
    return CaseInfo(ref=ref, assessed_on=day, assessor=assessor or None, supervisor=supervisor or None)


def _existing_draft(case_ref: str) -> DraftFile | None:
    from ..drafts import DraftFile, draft_path, load_draft

    path = draft_path(case_ref)
    if not path.exists():
        return None
    try:
        return DraftFile(path, load_draft(path))
    except UserError:
        return DraftFile(path, None, "unreadable")


def _check_same_tool(tool_name: str, drafted: DraftTool) -> None:
    """`--tool` with `--resume` must name the draft's own tool: a walk cannot change tool half-way."""
    from ..toolfiles import find_tool

    asked = find_tool(tool_name).tool
    if (asked.id, asked.version) != (drafted.id, drafted.version):
        raise UserError(
            f"--tool {asked.ref} is not the tool of this draft ({drafted.id}@{drafted.version}); "
            "a walk carries on with the tool it began with (leave out --tool, or start a new assessment)"
        )


def _pick_draft(resume: str, prompter: Prompter) -> DraftFile | None:
    from ..drafts import find_draft, list_drafts, summary_line

    if resume not in ("", "list"):
        return find_draft(resume)
    drafts = list_drafts()
    usable = [d for d in drafts if d.draft is not None]
    for bad in drafts:
        if bad.draft is None:
            prompter.say(f"Cannot read {bad.path}: {bad.problem}", "yellow")
    if not usable:
        raise UserError("there are no drafts to resume (start a new assessment with `neglect assess`)")
    options = [Option(d.draft.case.ref, summary_line(d.draft), option_key(i)) for i, d in enumerate(usable) if d.draft]
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
    from ..clock import today
    from ..drafts import DraftFile, check_draft, draft_path, load_draft
    from ..toolfiles import find_tool, load_tool_file

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
    from ..drafts import DraftBusy, draft_path, lock_draft, lock_path

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
    from ..drafts import load_draft, summary_line

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
    from ..answers import coerce_fact

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
