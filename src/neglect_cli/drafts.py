"""Drafts: an unfinished assessment, saved after every answer so that nothing is lost.

A draft is a JSON file (`schema: neglect-draft/1`) in `$XDG_STATE_HOME/neglect-cli/drafts/`
(a 0700 folder), one per case reference, written atomically and 0600. It holds
the tool it was started with (id, version, sha256, path), the case details,
the context facts and answers given so far, and where the walk had got to.
A finished assessment removes its draft.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import __version__
from .errors import UserError
from .record import AnswerEntry, CaseInfo, OverrideIn
from .store import atomic_write, private_dir, state_dir, sweep_stale_temps

DRAFT_SCHEMA = "neglect-draft/1"
_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


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
    text: str


class Draft(BaseModel):
    """An assessment in progress. `position` is where the walk stands: "context", an item id, or "finish"."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True, populate_by_name=True)

    schema_: Literal["neglect-draft/1"] = Field(default="neglect-draft/1", alias="schema")
    tool: DraftTool
    case: CaseInfo
    context: dict[str, Any] = Field(default_factory=dict)
    answers: dict[str, AnswerEntry] = Field(default_factory=dict)
    child_voice: str | None = None
    override: OverrideIn | None = None
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
    return private_dir(state_dir() / "drafts")


def draft_path(case_ref: str) -> Path:
    """Where the draft for a case reference lives. Refs are safe names already; `/` is replaced."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", case_ref)
    if safe != case_ref:
        # two refs that differ only in replaced characters must not share a file
        safe += "-" + hashlib.sha256(case_ref.encode("utf-8")).hexdigest()[:8]
    return drafts_dir() / f"{safe}.json"


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP until the block ends, so a save is never cut short.

    A signal that arrives meanwhile is delivered (and handled as usual) when the block ends.
    """
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    except (AttributeError, ValueError, OSError):  # not the main thread, or no sigmask on this platform
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def save_draft(draft: Draft, *, now: dt.datetime) -> Path:
    """Write the draft atomically (0600), with signals held so that it is whole or untouched."""
    draft.saved_at = now.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    data = draft.to_json()
    with signals_held():
        return atomic_write(draft_path(draft.case.ref), data, force=True)


def load_draft(path: Path) -> Draft:
    """Read one draft file; a damaged or foreign file is a UserError naming it."""
    from .loading import as_mapping, read_document, validation_problems

    doc = read_document(path)
    data = as_mapping(doc, "draft")
    if data.get("schema") != DRAFT_SCHEMA:
        raise UserError(f"not a neglect-cli draft (schema must be {DRAFT_SCHEMA!r})", file=str(path))
    try:
        return Draft.model_validate(data)
    except ValidationError as exc:
        raise UserError(validation_problems(exc, doc)) from None


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
