"""Records read for the supervisor views: from files or folders, or a child's assessments in the store,
each checked as `verify` checks it, with the band order of its tool (diffing.py and trending.py compare them)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    from .diffing import Assessment, BandOrder
    from .lineage import Lineage
    from .plandrift import PlanDrift
    from .plans import Review


def is_case_ref(arg: Path) -> bool:
    """An argument names a record file when such a file exists, else a case ref in the store."""
    return not (arg.exists() or arg.is_symlink()) and arg.suffix.lower() != ".json"  # a broken link is a file


def stored_assessments(case_ref: str, *, training: bool) -> list[Assessment]:
    """A child's assessments in the store that no correction supersedes, oldest first (exit 2 if none)."""
    import json

    from .diffing import Assessment
    from .errors import UserError
    from .record import LoadedRecord, Record, verify_record
    from .recordstore import open_store

    opened = open_store(create=False)
    try:
        stored = [s for s in opened.case_records(case_ref, training=training) if s.superseded_by is None]
    finally:
        opened.close()
    if not stored:
        hint = "" if training else " (training records are left out: --training)"
        raise UserError(f"no record file {case_ref!r}, and no assessments of case {case_ref!r} in the store{hint}")
    out = []
    for item in stored:
        raw = json.loads(item.body)
        loaded = LoadedRecord(record=Record.model_validate(raw), path=f"store #{item.id}", raw=raw)
        out.append(Assessment(file=loaded.path, record=loaded.record, integrity_problems=verify_record(loaded)))
    return out


def stored_pair(case_ref: str, since: str | None, *, training: bool) -> tuple[Assessment, Assessment]:
    """The latest assessment of a child and the one before it (or the last on or before `since`)."""

    from .errors import UserError

    found = stored_assessments(case_ref, training=training)
    if len(found) < 2:
        raise UserError(f"case {case_ref!r} has one assessment in the store; a diff needs two")
    newer = found[-1]
    if since is None:
        return found[-2], newer
    from .dates import date_option

    day = date_option("--from", since)
    earlier = [a for a in found[:-1] if a.record.case.assessed_on <= day]
    if not earlier:
        raise UserError(f"case {case_ref!r} has no assessment on or before {day} other than the latest")
    return earlier[-1], newer


def read_assessment(path: Path) -> Assessment:
    """Load a record (schema problems are exit 2) and run `verify`'s checks on it (problems are kept and
    shown as warnings, not fatal)."""
    from .diffing import Assessment
    from .record import load_record, verify_record

    loaded = load_record(path)
    problems = verify_record(loaded)
    return Assessment(file=loaded.path, record=loaded.record, integrity_problems=problems)


def band_order(assessment: Assessment) -> BandOrder | None:
    """The band order of the record's own tool, else of the newest tool with the same id, else None."""
    from .diffing import BandOrder
    from .errors import UserError
    from .toolfiles import find_tool

    ref = assessment.record.tool
    try:
        return BandOrder.from_tool(find_tool(ref.ref).tool, exact=True)
    except UserError:
        pass
    try:
        return BandOrder.from_tool(find_tool(ref.id).tool, exact=False)
    except UserError:
        return None


def item_names(assessment: Assessment) -> dict[str, str]:
    """What a person calls each item (`Item.name`) in the record's own tool, else in the newest tool with the
    same id; empty when neither is here (a trend then names items by their ids)."""
    from .errors import UserError
    from .toolfiles import find_tool

    ref = assessment.record.tool
    for name in (ref.ref, ref.id):
        try:
            tool = find_tool(name).tool
        except UserError:
            continue
        return {item.id: item.name for domain in tool.domains for item in domain.items}
    return {}


def expand_records(paths: list[Path], skipped: list[tuple[Path, str]] | None = None) -> list[Path]:
    """Files as given, folders expanded to the records among their *.json files (sorted); each file once.

    In a folder, a file that is not a record (a trend or diff saved there, the empty file a shell
    redirect has just made) is left out, and added to `skipped` with why; a file named on its own is
    always read, and refused when it is not a record."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            # sign-offs beside records are theirs, not records: left out without a word
            files = (p for p in path.iterdir() if p.suffix == ".json" and not p.name.endswith(".signoff.json"))
            for found in sorted(p for p in files if not p.is_dir()):
                why = not_a_record(found) if found.is_file() else _not_a_file(found)
                if why is None:
                    out.append(found)
                elif skipped is not None:
                    skipped.append((found, why))
        else:
            out.append(path)
    seen: set[Path] = set()
    unique = []
    for path in out:
        try:
            key = path.resolve()
        except (RuntimeError, OSError):  # a loop of links: reading it says so
            key = path.absolute()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def later_review(record_path: Path, sha256: str) -> Review | None:
    """The review of this record's plan by a later assessment of the child, found among the record files
    beside it (linked by `review.previous_sha256`); None when no record there has reviewed it yet."""
    import json

    from .errors import UserError
    from .record import load_record

    folder = record_path.parent
    for path in sorted(folder.glob("*.json")):
        if path.name.endswith(".signoff.json") or path == record_path or not path.is_file():
            continue
        try:
            raw = json.loads(path.read_bytes())
        except (OSError, ValueError):
            continue
        review = raw.get("review") if isinstance(raw, dict) else None
        if isinstance(review, dict) and review.get("previous_sha256") == sha256:
            try:
                later = load_record(path).record
            except UserError:
                continue
            if later.review is not None:
                return later.review
    return None


def plan_drift_as_of(assessments: list[Assessment], as_of: str | None) -> tuple[dt.date, list[PlanDrift]]:
    """`diff` and `trend`: what drifts in the records' plans (plandrift.py) as of `--as-of` (default today), and
    that date. Sign-offs are looked for beside record files and in the store (by the records' sha256)."""
    from pathlib import Path

    from .clock import today
    from .dates import date_option
    from .errors import UserError
    from .plandrift import plan_drift
    from .recordstore import signed_in_store
    from .signoff import addendum_problems, find_addendum
    from .toolfiles import find_record_tool

    day = date_option("--as-of", as_of) if as_of is not None else today()  # YYYY-MM-DD or DD/MM/YYYY
    records = [a.record for a in assessments]
    newest = max(records, key=lambda r: (r.case.assessed_on, r.created_at))
    source = find_record_tool(newest.tool.id, newest.tool.version)

    def name(item_id: str) -> str:
        item = source.tool.item(item_id) if source is not None else None
        return item.name if item is not None else item_id

    beside: set[str] = set()
    for a in assessments:
        path = Path(a.file)
        if not path.is_file():  # a record from the store: its sign-off is there (below)
            continue
        try:
            found = find_addendum(path)
        except UserError:
            found = None
        if found is not None and not addendum_problems(found, a.record):
            beside.add(a.record.integrity.sha256)
    # the store's sign-offs of these records (from the store, or files of records it also holds)
    signed: set[str] | None
    try:
        signed = beside | signed_in_store([r.integrity.sha256 for r in records])
    except UserError as exc:
        from .output import warn

        warn(f"{exc}; sign-offs kept in the store are not known here, so none is said to be waiting")
        signed = None
    return day, plan_drift(records, as_of=day, name=name, signed=signed)


def lineage_of(assessments: list[Assessment]) -> Lineage | None:
    """How the items of the records' tool versions correspond (`formerly` in the latest version found),
    when the records use more than one version of one tool; None otherwise or when that tool is not here."""
    from .errors import UserError
    from .lineage import Lineage
    from .toolfiles import find_tool, version_key

    refs = {(a.record.tool.id, a.record.tool.version) for a in assessments}
    if len(refs) < 2 or len({tool_id for tool_id, _ in refs}) > 1:
        return None
    ordered = sorted(refs, key=lambda ref: version_key(ref[1]))
    try:
        latest = find_tool(f"{ordered[-1][0]}@{ordered[-1][1]}").tool
    except UserError:
        return None
    try:
        earliest = find_tool(f"{ordered[0][0]}@{ordered[0][1]}").tool
    except UserError:
        earliest = None
    return Lineage.of(latest, earliest)


def _not_a_file(path: Path) -> str:
    """What an entry of a folder that is no regular file is, in words (named, never dropped without a word)."""
    import errno
    import stat

    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return "a symbolic link that loops back on itself" if exc.errno == errno.ELOOP else "a broken symbolic link"
    return "a named pipe" if stat.S_ISFIFO(mode) else "not a regular file"


def not_a_record(path: Path) -> str | None:
    """Why a file in a folder of records is not one ("empty", "a neglect-trend/1 file", ...); None when
    it says it is a record (it is then read and checked in full, and refused if it is not valid)."""
    import json

    try:
        with path.open("rb") as file:
            head = file.read(1 << 16)
    except OSError:
        return None  # reading it again says what is wrong
    if not head.strip():
        return "empty"
    if b"neglect-record/" in head:
        return None
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return "not JSON"
    schema = data.get("schema") if isinstance(data, dict) else None
    return f"a {schema} file" if isinstance(schema, str) else "no record schema"
