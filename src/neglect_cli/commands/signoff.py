"""`neglect signoff`: the supervisor's agreement or disagreement with the level, the decision, and why."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .options import force_option, out_option

if TYPE_CHECKING:
    from ..record import Record
    from ..signoff import Signoff


def signoff(
    target: Path = typer.Argument(
        ..., help="A record file (JSON), or a case ref in the record store (its latest assessment)."
    ),
    answers: Path | None = typer.Option(
        None, "--answers", help="The sign-off from a YAML file (agrees, why, decision, reflection, role, name, "
        "signed_on) instead of asking on the terminal."
    ),
    out: Path | None = out_option("Where to write the sign-off (default: beside the record, NAME.signoff.json)."),
    force: bool = force_option("Replace an earlier sign-off of the same record."),
    training: bool = typer.Option(False, "--training", help="With a case ref: include training records."),
) -> None:
    """Sign off an assessment as its supervisor: an addendum linked to the sealed record by its hash."""
    from ..answers import CaseInfo
    from ..assessments import is_case_ref, stored_assessments
    from ..clock import now, today
    from ..errors import UserError
    from ..output import info
    from ..record import default_record_name, load_record, verify_record
    from ..signoff import SUFFIX, addendum_path, build_addendum, signoff_problems
    from ..store import atomic_write

    if is_case_ref(target):
        latest = stored_assessments(str(target), training=training)[-1]
        record, problems, shown = latest.record, latest.integrity_problems, latest.file
        case = CaseInfo.model_construct(ref=record.case.ref, assessed_on=record.case.assessed_on)
        default_out = Path(default_record_name(case).removesuffix(".json") + SUFFIX)
    else:
        loaded = load_record(target)
        record, problems, shown = loaded.record, verify_record(loaded), loaded.path
        default_out = addendum_path(target)
    if problems:
        raise UserError(
            [f"{shown}: {p}" for p in problems][0] + "; a record that fails `neglect verify` cannot be signed off"
        )
    path = out if out is not None else default_out
    if path.exists() and not force:
        raise UserError(f"{path} already holds a sign-off; --force replaces it (the record is never changed)")
    day = today()
    if answers is not None:
        signed = _from_file(answers, record, day)
    else:
        signed = _asked(record, target, day)
    found = signoff_problems(signed, record, today=day)
    if found:
        raise UserError("; ".join(f"{'.'.join(str(p) for p in loc)}: {message}" for loc, message in found))
    import json

    addendum = build_addendum(record, signed, now=now())
    atomic_write(path, json.dumps(addendum, indent=2, ensure_ascii=False) + "\n", force=force)
    if answers is None:
        from ..interview.signoff import discard_signoff_draft

        discard_signoff_draft(record)
    info(f"sign-off written: {path} (0600), linked to the record by its sha256")
    # the record is in the store (a case ref; a file when the store holds the same record): so is its sign-off,
    # where caseload, diff and trend read it
    _store(addendum, path, by_case_ref=is_case_ref(target))


def _store(addendum: dict[str, Any], path: Path, *, by_case_ref: bool) -> None:
    """Save the sign-off in the store beside its record. For a record file, only when the store holds that
    record (by sha256); a store that does not exist or cannot be reached then leaves the file alone, with a
    word on how to import it later. The very same sign-off saved twice is one."""
    from ..output import info, warn
    from ..recordstore import StoreError, import_hint, open_store, store_exists

    if not by_case_ref and not store_exists():
        return
    try:
        opened = open_store(create=False)
    except StoreError as exc:
        if by_case_ref:
            raise
        warn(f"{exc}; the sign-off is not in the store yet: {import_hint([path])}")
        return
    try:
        if not by_case_ref and not opened.stored_ids([addendum["record"]["sha256"]]):
            return  # a record the store does not hold: its sign-off is the file's alone
        saved = opened.save_signoff(addendum)
    except StoreError as exc:
        if by_case_ref:
            raise
        warn(f"{exc}; the sign-off is not in the store yet: {import_hint([path])}")
        return
    finally:
        opened.close()
    info(f"stored in {opened.shown} as sign-off #{saved.id}" + ("" if saved.new else " (already there)"))


def _from_file(path: Path, record: Record, today: dt.date) -> Signoff:
    """A sign-off from a YAML file, every problem with file:line (exit 2)."""
    from pydantic import ValidationError

    from ..errors import UserError
    from ..loading import as_mapping, read_document, validation_problems
    from ..signoff import Signoff, signoff_problems

    doc = read_document(path)
    data = as_mapping(doc, "sign-off")
    try:
        signed = Signoff.model_validate(data)
    except ValidationError as exc:
        raise UserError(validation_problems(exc, doc)) from None
    found = signoff_problems(signed, record, today=today)
    if found:
        raise UserError([doc.problem(message, loc) for loc, message in found])
    return signed


def _asked(record: Record, target: Path, today: dt.date) -> Signoff:
    """The sign-off asked on the terminal; Ctrl-C keeps what was given and exits 130."""
    import shlex

    from ..errors import Interrupted, UserError
    from ..interview.prompter import QuestionaryPrompter, screen_stream
    from ..interview.signoff import ask_signoff
    from ..signals import say_quietly, signals_raise
    from ..toolfiles import find_record_tool

    if not sys.stdin.isatty():
        raise UserError("neglect signoff asks questions and needs a terminal; or give the sign-off with --answers FILE")
    source = find_record_tool(record.tool.id, record.tool.version)
    band = record.result.overall.band
    label = source.tool.band(band).label if source is not None and band in {b.id for b in source.tool.bands} else band
    prompter = QuestionaryPrompter(screen_stream())
    with signals_raise():
        try:
            return ask_signoff(record, str(label), prompter, today=today)
        except (KeyboardInterrupt, EOFError, Interrupted):
            command = f"neglect signoff {shlex.quote(str(target))}"
            say_quietly(f"\nStopped. The sign-off so far is kept.\nTo carry on: {command}\n")
            raise typer.Exit(130) from None
