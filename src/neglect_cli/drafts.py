"""Drafts: an unfinished assessment, saved after every answer so that nothing is lost.

A draft is a JSON file (`schema: neglect-draft/1`) in `$XDG_STATE_HOME/neglect-cli/drafts/`
(a 0700 folder), one per case reference, written atomically and 0600. It holds
the tool it was started with (id, version, sha256, path), the case details,
the context facts and answers given so far, and where the walk had got to.
A finished assessment removes its draft.

One walk at a time: a walk holds an exclusive lock on its case reference
(`<draft>.lock`, an advisory `flock` the kernel releases when the process ends,
however it ends) and writes who holds it and since when into the lock file. A
second walk on the same case is told who has it; a lock file left with a
holder's details but no lock was left by a killed walk and is taken over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .answers import AnswerEntry, CaseInfo, OverrideIn
from .errors import Problem, UserError
from .filekinds import check_kind
from .plans import PlanDraft, Review
from .signals import signals_held
from .store import WriteError, atomic_write, private_dir, state_dir, sweep_stale_temps
from .version import __version__

if TYPE_CHECKING:
    from .definition import Tool

DRAFT_SCHEMA = "neglect-draft/1"


class DraftTool(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    id: str
    version: str
    sha256: str
    path: str


class Progress(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    answered: int = 0
    applicable: int = 0


class PendingNote(BaseModel):
    """A note being typed when the walk was stopped: the evidence for a rating (`value`), or the reason
    an item is not known (`value` None). It is offered again when the walk comes back to the item."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    item: str
    value: int | None = None
    text: str = Field(max_length=20_000)  # loading.NOTE_MAX_CHARS


class Draft(BaseModel):
    """An assessment in progress. `position` is where the walk stands: "context", an item id, or "finish"."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True, populate_by_name=True)

    schema_: Literal["neglect-draft/1"] = Field(default="neglect-draft/1", alias="schema")
    tool: DraftTool
    case: CaseInfo
    context: dict[str, Any] = Field(default_factory=dict)
    #: facts the chronology suggested, asked once: {fact id: {"suggested": value, "basis": words}}
    suggested: dict[str, dict[str, Any]] | None = None
    answers: dict[str, AnswerEntry] = Field(default_factory=dict)
    child_voice: str | None = None
    override: OverrideIn | None = None
    plan: PlanDraft | None = None  # the plan as far as it has been made (interview/plan.py)
    review: Review | None = None  # the last plan's review, need by need as each is done (interview/review.py)
    #: the child's world as answered so far (interview/world.py): sections, fields and what is done
    world: dict[str, Any] = Field(default_factory=dict)
    position: str = "context"
    revisit_until: str | None = None
    progress: Progress = Field(default_factory=Progress)
    #: where the record goes (`-o`, made absolute) and whether it is redacted: a resumed walk keeps both
    out: str | None = None
    redact: bool = False
    pending: PendingNote | None = None
    saved_at: str = ""
    neglect_cli_version: str = __version__

    def to_json(self) -> str:
        import json

        data = self.model_dump(mode="json", by_alias=True)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True, slots=True)
class DraftFile:
    """A draft found on disk: its path and the draft, or why it could not be read."""

    path: Path
    draft: Draft | None
    problem: str | None = None


def drafts_dir() -> Path:
    """The drafts folder (created 0700 on first use)."""
    try:
        return private_dir(state_dir() / "drafts")
    except UserError as exc:
        problem = exc.problems[0]
        raise UserError(
            f"{problem.message}: drafts are kept under $XDG_STATE_HOME/neglect-cli (default ~/.local/state); "
            "set XDG_STATE_HOME to a folder you can write",
            file=problem.file,
        ) from None


def draft_path(case_ref: str) -> Path:
    """Where the draft for a case reference lives. Refs are safe names already; `/` is replaced."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", case_ref)
    if safe != case_ref:
        # two refs that differ only in replaced characters must not share a file
        safe += "-" + hashlib.sha256(case_ref.encode("utf-8")).hexdigest()[:8]
    return drafts_dir() / f"{safe}.json"


def save_draft(draft: Draft, *, now: dt.datetime, folder: Path | None = None) -> Path:
    """Write the draft atomically (0600), with signals held so that it is whole or untouched.

    `folder` saves it somewhere else than the drafts folder (when that disk is full).
    A failed write raises `store.WriteError` and leaves the earlier draft as it was.
    """
    draft.saved_at = now.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    from .loading import RECORD_MAX_BYTES

    data = draft.to_json()
    if len(data) > RECORD_MAX_BYTES // 4 and len(data.encode("utf-8")) > RECORD_MAX_BYTES:
        raise WriteError(
            f"the draft would be larger than {RECORD_MAX_BYTES // 2**20} MiB, more than can be read back",
            file=str(draft_path(draft.case.ref)),
            errno=errno.EFBIG,
        )
    path = draft_path(draft.case.ref)
    if folder is not None:
        path = folder / path.name
    with signals_held():
        return atomic_write(path, data, force=True)


# --- one walk per draft ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who holds (or held) a draft's lock: process, host, terminal, and since when (UTC, ISO 8601)."""

    pid: int
    host: str
    since: str
    terminal: str | None = None

    def describe(self) -> str:
        where = f"process {self.pid} on {self.host}" + (f", terminal {self.terminal}" if self.terminal else "")
        return f"{where}, since {describe_saved_at(self.since)}"


class DraftBusy(UserError):
    """Another walk holds the draft of this case reference."""

    def __init__(self, case_ref: str, holder: LockHolder | None) -> None:
        who = holder.describe() if holder is not None else "another process"
        super().__init__(
            f"the draft for {case_ref} is open in another walk ({who}); finish or stop that walk first "
            "(Ctrl-C there saves its answers), then carry on with it here"
        )
        self.case_ref = case_ref
        self.holder = holder


@dataclass(slots=True)
class DraftLock:
    """An exclusive lock on one case's draft, held until `release` (or until the process ends).

    `taken_over` names the walk that held it before and was killed without releasing it.
    """

    path: Path
    fd: int
    taken_over: LockHolder | None = None

    def release(self) -> None:
        if self.fd < 0:
            return
        with contextlib.suppress(OSError):
            if os.fstat(self.fd).st_ino == os.stat(self.path).st_ino:
                os.unlink(self.path)  # while still locked: a waiting walk re-checks that it locked the live file
        with contextlib.suppress(OSError):
            os.close(self.fd)
        self.fd = -1


def lock_path(draft_file: Path) -> Path:
    return draft_file.with_suffix(".lock")


def lock_draft(draft_file: Path, case_ref: str, *, now: dt.datetime) -> DraftLock:
    """Take the exclusive lock on a draft (by its path in the drafts folder). DraftBusy when another walk
    has it; a lock left by a killed walk is taken over (and named in `taken_over`)."""
    try:
        import fcntl
    except ImportError:  # no POSIX locks on this platform: one walk per case is then up to the practitioner
        return DraftLock(lock_path(draft_file), -1)

    path = lock_path(draft_file)
    for _ in range(20):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        except OSError as exc:
            raise UserError(f"cannot lock the draft ({exc.strerror or type(exc).__name__})", file=str(path)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise DraftBusy(case_ref, holder) from None
        except OSError:  # no locking on this file system: carry on unlocked rather than refuse to work
            return DraftLock(path, fd)
        try:
            live = os.fstat(fd).st_ino == os.stat(path).st_ino
        except OSError:
            live = False
        if not live:  # the holder released (and removed) it between our open and our lock: try the new one
            os.close(fd)
            continue
        previous = _read_holder(fd)
        with contextlib.suppress(OSError):  # the lock is the flock; its details are a courtesy (the disk may be full)
            os.fchmod(fd, 0o600)
            os.ftruncate(fd, 0)
            os.pwrite(fd, _holder_json(now).encode("utf-8"), 0)
        taken = previous if previous is not None and previous.pid != os.getpid() else None
        return DraftLock(path, fd, taken_over=taken)
    raise UserError("cannot lock the draft: its lock file keeps changing", file=str(path))


def draft_holder(draft_file: Path) -> LockHolder | None:
    """Who has this draft open in a walk right now, or None when no walk has it."""
    try:
        import fcntl
    except ImportError:
        return None

    path = lock_path(draft_file)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _read_holder(fd)
        return holder or LockHolder(pid=0, host="unknown", since="")
    except OSError:
        return None
    finally:
        os.close(fd)
    return None


def _holder_json(now: dt.datetime) -> str:
    import json
    import socket

    terminal = None
    with contextlib.suppress(OSError):
        terminal = os.ttyname(0)
    since = now.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": since, "terminal": terminal})


def _read_holder(fd: int) -> LockHolder | None:
    import json

    try:
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        return LockHolder(
            pid=int(data["pid"]),
            host=str(data["host"])[:100],
            since=str(data["since"])[:40],
            terminal=str(data["terminal"])[:100] if data.get("terminal") else None,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def load_draft(path: Path) -> Draft:
    """Read one draft file; a damaged or foreign file is a UserError naming it."""
    from .loading import RECORD_MAX_BYTES, as_mapping, read_document, validation_problems

    doc = read_document(path, max_bytes=RECORD_MAX_BYTES)
    check_kind(doc, "draft")
    data = as_mapping(doc, "draft")
    if data.get("schema") != DRAFT_SCHEMA:
        raise UserError(f"not a neglect-cli draft (schema must be {DRAFT_SCHEMA!r})", file=str(path))
    try:
        return Draft.model_validate(data)
    except ValidationError as exc:
        raise UserError(validation_problems(exc, doc)) from None


def check_draft(path: Path, draft: Draft, tool: Tool, *, today: dt.date) -> None:
    """A draft checked against its tool exactly as an answers file is (ratings on the scale, evidence where
    asked, reasons, context facts of their type, the override's band, the date); UserError naming each
    problem's line in the draft file. A draft is only ever written by the walk: a problem means it was
    edited by hand or damaged."""
    from .answers import AnswersFile, check_answers, check_context
    from .loading import RECORD_MAX_BYTES, read_document
    from .scoring import applicable_items

    doc = read_document(path, max_bytes=RECORD_MAX_BYTES)
    context, problems = check_context(tool, draft.context, doc, complete=False)
    applies = applicable_items(tool, context)
    # an answer to an item that no longer applies (the age was changed) is kept, unused, in case it changes back
    answers = {k: v for k, v in draft.answers.items() if tool.item(k) is None or k in applies}
    form = AnswersFile.model_construct(
        tool=tool.id, case=draft.case, context=draft.context, answers=answers, override=draft.override
    )
    problems += check_answers(tool, form, context, doc, today=today)
    pending = draft.pending
    if pending is not None and (
        tool.item(pending.item) is None or (pending.value is not None and pending.value not in tool.scale.values)
    ):
        problems.append(doc.problem("not an item and rating of the tool", ("pending",)))
    if draft.plan is not None:
        for n, need in enumerate(draft.plan.needs):
            if tool.item(need.item) is None:
                problems.append(doc.problem("not an item of the tool", ("plan", "needs", n, "item")))
    if not _place_in_walk(draft.position, tool):
        problems.append(doc.problem("not a place in the walk (context, an item id, or finish)", ("position",)))
    if problems:
        ref = shlex.quote(draft.case.ref)
        hint = f"this draft was changed outside neglect: correct it, or drop it with `neglect drafts discard {ref}`"
        raise UserError([*problems, Problem(hint, str(path))])


def _place_in_walk(position: str, tool: Tool) -> bool:
    """Where a walk can stand: the facts, an item, the end, or a section of the child's world the tool asks."""
    if position in ("context", "finish") or tool.item(position) is not None:
        return True
    if position.startswith("voice:"):
        return tool.asks("seen") and tool.domain(position.removeprefix("voice:")) is not None
    return position in ("seen", "household", "strengths", "capacity", "identity") and tool.asks(position)


def list_drafts() -> list[DraftFile]:
    """Every draft in the drafts folder, most recently saved first; unreadable ones with their problem."""
    folder = drafts_dir()
    sweep_stale_temps(folder)
    found: list[DraftFile] = []
    for path in sorted(folder.glob("*.json")):
        try:
            found.append(DraftFile(path, load_draft(path)))
        except UserError as exc:
            found.append(DraftFile(path, None, exc.problems[0].message if exc.problems else "unreadable"))
    found.sort(key=lambda f: f.draft.saved_at if f.draft else "", reverse=True)
    return found


def find_draft(ref_or_path: str, *, unreadable_ok: bool = False) -> DraftFile:
    """A draft by case reference or by path. UserError when there is none.

    With `unreadable_ok` (to discard it) a damaged file in the drafts folder is found by its name too.
    """
    candidate = Path(ref_or_path).expanduser()
    if candidate.suffix == ".json" and candidate.is_file():
        return DraftFile(candidate, load_draft(candidate))
    drafts = list_drafts()
    for found in drafts:
        if found.draft is not None and found.draft.case.ref == ref_or_path:
            return found
    for found in drafts:
        if ref_or_path in (found.path.stem, found.path.name):
            if found.draft is None and not unreadable_ok:
                raise UserError(found.problem or "unreadable draft", file=str(found.path))
            return found
    known = ", ".join(f.draft.case.ref for f in drafts if f.draft is not None) or "none"
    raise UserError(f"no draft for {ref_or_path!r} (drafts: {known}; see `neglect drafts list`)")


def discard_draft(path: Path) -> None:
    """Remove a draft file (missing is fine: the job is done)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def describe_saved_at(saved_at: str) -> str:
    """`2026-11-24 10:02 UTC` from the stored timestamp, or the raw text if it is odd."""
    try:
        when = dt.datetime.fromisoformat(saved_at.replace("Z", "+00:00"))
    except ValueError:
        return saved_at or "unknown"
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def summary_line(draft: Draft) -> str:
    """One line for choosing a draft: case ref, tool, progress, last saved."""
    p = draft.progress
    return (
        f"{draft.case.ref}  ·  {draft.tool.id} {draft.tool.version}  ·  "
        f"{p.answered} of {p.applicable} items answered  ·  saved {describe_saved_at(draft.saved_at)}"
    )
