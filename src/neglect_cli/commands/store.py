"""`neglect store import|export|check|purge|supersede`: looking after the record store."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from ..text import visible
from .history import STORE_HELP
from .options import format_option

app = typer.Typer(
    help="The record store: import record files, export them, check every record, purge by retention date, "
    "correct a record.",
    no_args_is_help=True,
)


def register(command: Callable[..., Any]) -> None:
    """Attach the subcommands (wrapped by the CLI's error guard)."""
    command(app, "import")(import_records)
    command(app, "export")(export_records)
    command(app, "check")(check)
    command(app, "purge")(purge)
    command(app, "supersede")(supersede)
    command(app, "where")(where)


class CountFormat(StrEnum):
    text = "text"
    json = "json"


def _input_files(paths: list[Path]) -> tuple[list[Path], list[Path], list[Path], list[Path]]:
    """The record files, the chronology files (`*.chronology.json`), the sign-off files (`*.signoff.json`) and
    the family files (`*.family.json`) given, as `store export` names them; folders searched recursively."""
    from ..chronology import EXPORT_SUFFIX
    from ..errors import UserError
    from ..family import FAMILY_SUFFIX
    from ..signoff import is_addendum_name

    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            # a broken link, a loop of links or a pipe is refused by name, never dropped without a word
            out.extend(sorted(p for p in path.rglob("*.json") if not p.is_dir()))
        elif path.exists():
            out.append(path)
        else:
            raise UserError("no such file or folder", file=str(path))
    chronologies = [p for p in out if p.name.endswith(EXPORT_SUFFIX)]
    signoffs = [p for p in out if is_addendum_name(p)]
    families = [p for p in out if p.name.endswith(FAMILY_SUFFIX)]
    records = [p for p in out if not p.name.endswith((EXPORT_SUFFIX, FAMILY_SUFFIX)) and not is_addendum_name(p)]
    return records, chronologies, signoffs, families


def import_records(
    paths: list[Path] = typer.Argument(
        ...,
        help="Record files (JSON), chronologies (*.chronology.json), sign-offs (*.signoff.json) and family links "
        "(*.family.json), as `store export` writes them, or folders of them (searched recursively).",
    ),
    store: str | None = typer.Option(None, "--store", help=STORE_HELP, show_default=False),
    fmt: CountFormat = format_option(CountFormat.text, "text or json"),
) -> None:
    """Verify each record and add it to the store; exact duplicates are skipped. Chronologies exported by
    `store export` are checked (each entry's hash, corrections) and added as they were, and so are families'
    links, each file all or nothing. Exit 2 if any file was refused."""
    from ..output import error, info, print_json
    from ..recordstore import open_store

    files, chronologies, signoff_files, family_files = _input_files(paths)
    opened = open_store(store)
    added = duplicates = signoffs = 0
    refused: list[str] = []
    batch: list[dict[str, Any]] = []
    try:
        for path, row, problem in verified_rows(files):
            if row is None:
                error(problem or "refused")
                refused.append(path)
                continue
            batch.append(row)
            if len(batch) >= 1000:
                added, duplicates = _save(opened, batch, added, duplicates)
        added, duplicates = _save(opened, batch, added, duplicates)
        entries_added, entries_known, refused_chronologies = _import_chronologies(opened, chronologies)
        links_added, links_known, refused_families = _import_families(opened, family_files)
        for signoff_file in signoff_files:  # after the records: a sign-off is stored beside the record it names
            problem = _import_signoff(opened, signoff_file)
            if problem is None:
                signoffs += 1
            else:
                error(problem)
                refused.append(str(signoff_file))
    finally:
        opened.close()
    files = files + signoff_files
    counts = {"files": len(files), "imported": added, "duplicates": duplicates, "refused": len(refused)}
    counts |= {"signoffs": signoffs}
    counts |= {
        "chronology_files": len(chronologies),
        "chronology_entries_imported": entries_added,
        "chronology_entries_duplicates": entries_known,
        "chronology_files_refused": len(refused_chronologies),
        "family_files": len(family_files),
        "family_links_imported": links_added,
        "family_links_duplicates": links_known,
        "family_files_refused": len(refused_families),
    }
    if fmt is CountFormat.json:
        print_json(counts | {"refused_files": refused + refused_chronologies + refused_families, "store": opened.shown})
    else:
        if files:
            also = f", {signoffs} sign-off{'s' if signoffs != 1 else ''}" if signoff_files else ""
            info(
                f"{added} imported{also}, {duplicates} already in the store, {len(refused)} refused "
                f"(of {len(files)} file{'s' if len(files) != 1 else ''}) into {opened.shown}"
            )
        else:  # say what was given rather than "0 imported (of 0 files)"
            info(_given_without_records(len(chronologies), len(family_files), opened.shown))
        if chronologies:
            files_word = "chronology" if len(chronologies) == 1 else "chronologies"
            info(
                f"chronology entries: {entries_added} imported, {entries_known} already in the store; "
                f"{len(refused_chronologies)} of {len(chronologies)} {files_word} refused"
            )
        if family_files:
            info(
                f"family links: {links_added} imported, {links_known} already in the store; "
                f"{len(refused_families)} of {len(family_files)} family file{'s' if len(family_files) != 1 else ''} "
                "refused"
            )
    if refused or refused_chronologies or refused_families:
        raise typer.Exit(2)


def _given_without_records(chronologies: int, families: int, store: str) -> str:
    """The first line of `store import` when no record or sign-off file was given: what was, and where to."""
    kinds = [
        f"{n} {word if n == 1 else plural}"
        for n, word, plural in (
            (chronologies, "chronology", "chronologies"),
            (families, "family file", "family files"),
        )
        if n
    ]
    if not kinds:
        return (
            f"nothing to import: no record, chronology (*.chronology.json), sign-off (*.signoff.json) or family "
            f"(*.family.json) files among the paths given; the store {store} is unchanged"
        )
    return f"{' and '.join(kinds)} given, no records: into {store}"


def _import_signoff(opened: Any, path: Path) -> str | None:
    """Store one sign-off file (its seal checked, its record already in the store); the problem, or None."""
    from ..errors import UserError
    from ..signoff import load_addendum, seal_problems

    try:
        loaded = load_addendum(path)
        problems = seal_problems(loaded.raw)
        if problems:
            raise UserError("; ".join(problems) + " — refused (not imported)", file=loaded.path)
        opened.save_signoff(loaded.raw)
    except UserError as exc:
        return f"{path}: {exc}" if str(path) not in str(exc) else str(exc)
    return None


def _import_chronologies(opened: Any, files: list[Path]) -> tuple[int, int, list[str]]:
    """Each exported chronology into the store, all or nothing per file: (entries added, entries already in
    the store, files refused)."""
    from ..chronology import read_export
    from ..clock import today

    def restore(path: Path) -> tuple[int, int]:
        found = read_export(path, today=today())
        return opened.restore_entries(found.case_ref, found.entries)  # type: ignore[no-any-return]

    return _import_each(files, restore)


def _import_families(opened: Any, files: list[Path]) -> tuple[int, int, list[str]]:
    """Each exported family's links into the store, all or nothing per file: (links added, links already in
    the store, files refused)."""
    from ..family import read_family_export

    def restore(path: Path) -> tuple[int, int]:
        found = read_family_export(path)
        return opened.restore_family(found.family_ref, found.links)  # type: ignore[no-any-return]

    return _import_each(files, restore)


def _import_each(files: list[Path], restore: Callable[[Path], tuple[int, int]]) -> tuple[int, int, list[str]]:
    """`restore` each file, all or nothing per file; a refused file's problems named, and that nothing of it was
    imported. Returns (added, already in the store, files refused)."""
    from ..errors import UserError
    from ..output import error

    added = known = 0
    refused: list[str] = []
    for path in files:
        try:
            new, already = restore(path)
        except UserError as exc:
            for problem in exc.problems:
                error(str(problem) if problem.file else f"{path}: {problem}")
            if not exc.problems[-1].message.startswith("nothing was imported"):
                error(f"{path}: nothing was imported from this file")
            refused.append(str(path))
            continue
        added += new
        known += already
    return added, known, refused


def _save(opened: Any, batch: list[dict[str, Any]], added: int, duplicates: int) -> tuple[int, int]:
    for outcome in opened.save_rows(batch):
        if outcome.new:
            added += 1
        else:
            duplicates += 1
    batch.clear()
    return added, duplicates


WORKER_CHUNK = 250  # files a worker verifies at a time


def verified_rows(files: list[Path]) -> Iterator[tuple[str, dict[str, Any] | None, str | None]]:
    """(file, row or None, problem) for each file, in order. Reading and verifying is most of an import's
    work, so more than a few hundred files are shared among worker processes, one per core."""
    chunks = [files[i : i + WORKER_CHUNK] for i in range(0, len(files), WORKER_CHUNK)]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if len(chunks) < 2 or cores < 2:
        for chunk in chunks:
            yield from verify_chunk(chunk)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(cores, 8)) as pool:
        for done in pool.map(verify_chunk, chunks):
            yield from done


def verify_chunk(files: list[Path]) -> list[tuple[str, dict[str, Any] | None, str | None]]:
    """Read, validate and integrity-check record files; make their store rows."""
    from ..errors import UserError
    from ..record import integrity_problems, load_record
    from ..recordstore import RowMaker

    maker = _makers.setdefault("rows", RowMaker())
    out: list[tuple[str, dict[str, Any] | None, str | None]] = []
    for path in files:
        try:
            loaded = load_record(path)
            problems = integrity_problems(loaded)
            if problems:
                raise UserError("; ".join(problems) + " — refused (not imported)", file=loaded.path)
            out.append((str(path), maker.row(loaded.raw), None))  # a hostile case ref is refused here
        except UserError as exc:
            out.append((str(path), None, str(exc)))
    return out


_makers: dict[str, Any] = {}


def export_records(
    target: list[str] = typer.Argument(..., metavar="CASE|--all DIR", help="A case reference and a folder."),
    all_cases: bool = typer.Option(False, "--all", help="Export every record in the store."),
    training: bool = typer.Option(False, "--training", help="Include training records."),
    store: str | None = typer.Option(None, "--store", help=STORE_HELP, show_default=False),
) -> None:
    """Write records from the store as files (0600) that `neglect verify` accepts, one per record, each
    child's chronology as CASE.chronology.json (every entry, corrections too) and each family's links as
    FAMILY.family.json (with a case: that child's links), which `store import` reads back."""
    from ..errors import UserError
    from ..output import info
    from ..record import dumps_record
    from ..recordstore import check_case_ref, open_store
    from ..store import atomic_write, private_dir

    if all_cases and len(target) != 1:
        raise UserError("with --all give only the folder to write into: neglect store export --all DIR")
    if not all_cases and len(target) != 2:
        raise UserError("give a case reference and a folder (neglect store export CASE DIR), or --all DIR")
    case_ref = None if all_cases else check_case_ref(target[0])
    folder = private_dir(Path(target[-1]), tighten=False)  # an existing folder (even /tmp) keeps its mode
    opened = open_store(store, create=False)
    written = signed = 0
    names: set[str] = {p.name for p in folder.iterdir()}
    try:
        for stored in opened.iter_all(case_ref=case_ref):
            if stored.training and not training:
                continue
            record = stored.record()
            name = _export_name(record, stored.id)
            if name in names:
                raise UserError("already exists; export into an empty folder", file=str(folder / name))
            names.add(name)
            atomic_write(folder / name, dumps_record(record), force=False)
            written += 1
            signed += _export_signoffs(opened, stored.id, folder / name, names)
        children, entries = _export_chronologies(opened, case_ref, folder, names)
        families, links = _export_families(opened, case_ref, folder, names)
    finally:
        opened.close()
    if case_ref is not None and written == 0 and children == 0 and families == 0:
        raise UserError(f"no records of case {case_ref} in the store" + ("" if training else " (--training?)"))
    also = ""
    if children:
        kids = f"{children} child{'ren' if children != 1 else ''}"
        count = f"{entries} entr{'y' if entries == 1 else 'ies'}"
        also = f" and the chronolog{'y' if children == 1 else 'ies'} of {kids} ({count})"
    if families:
        word = f"{links} link{'s' if links != 1 else ''} of {families} famil{'y' if families == 1 else 'ies'}"
        also = f"{also}, and {word}" if also else f" and {word}"
    if signed:
        also = f" and {signed} sign-off{'s' if signed != 1 else ''}" + also
    info(f"{written} record{'s' if written != 1 else ''}{also} written to {folder} (0600)")


def _export_signoffs(opened: Any, record_id: int, record_path: Path, names: set[str]) -> int:
    """A record's sign-offs beside its exported file: the one in force (the newest) as NAME.signoff.json,
    where `verify` and `report` read it; earlier ones as NAME.earlier-N.signoff.json. Returns how many."""
    import json

    from ..errors import UserError
    from ..signoff import SUFFIX, addendum_path
    from ..store import atomic_write

    found = opened.signoffs(record_ids=[record_id])
    stem = record_path.name.removesuffix(".json")
    for n, stored in enumerate(found):
        newest = n == len(found) - 1
        path = addendum_path(record_path) if newest else record_path.with_name(f"{stem}.earlier-{n + 1}{SUFFIX}")
        if path.name in names:
            raise UserError("already exists; export into an empty folder", file=str(path))
        names.add(path.name)
        atomic_write(path, json.dumps(stored.addendum(), indent=2, ensure_ascii=False) + "\n", force=False)
    return len(found)


def _export_chronologies(opened: Any, case_ref: str | None, folder: Path, names: set[str]) -> tuple[int, int]:
    """Each child's chronology (every entry, superseded ones too) as CASE.chronology.json, which `store import`
    reads back. Returns (children, entries)."""
    from ..chronology import EXPORT_SUFFIX, exported

    rows = opened.chronology_rows(case_ref)
    return _export_groups(rows, "case_ref", EXPORT_SUFFIX, "case", exported, folder, names)


def _export_families(opened: Any, case_ref: str | None, folder: Path, names: set[str]) -> tuple[int, int]:
    """Each family's links as FAMILY.family.json (with a case ref: only that child's links to its families),
    which `store import` reads back. Returns (families, links)."""
    from ..family import FAMILY_SUFFIX, exported_family

    rows = opened.family_rows(case_ref)
    return _export_groups(rows, "family_ref", FAMILY_SUFFIX, "family", exported_family, folder, names)


def _export_groups(
    rows: Any,
    key: str,
    suffix: str,
    fallback: str,
    export: Callable[[str, list[Any]], str],
    folder: Path,
    names: set[str],
) -> tuple[int, int]:
    """Rows grouped by `key` (they come sorted by it), each group written as REF`suffix` by `export`, never over
    an earlier export, two refs that read the same as file names told apart. Returns (groups, rows)."""
    import itertools
    import re

    from ..errors import UserError
    from ..store import atomic_write

    groups = count = 0
    before = set(names)  # the folder's own files (no file written before these groups ends in `suffix`)
    for ref, group in itertools.groupby(rows, key=lambda row: str(row[key])):
        kept = list(group)
        stem = re.sub(r"[^A-Za-z0-9._-]", "_", ref)[:80].lstrip(".") or fallback
        name, n = f"{stem}{suffix}", 1
        if name in before:  # as for records: an export never mixes with an earlier one
            raise UserError("already exists; export into an empty folder", file=str(folder / name))
        while name in names:  # two refs that read the same as file names
            n += 1
            name = f"{stem}_{n}{suffix}"
        names.add(name)
        atomic_write(folder / name, export(ref, kept), force=False)
        groups += 1
        count += len(kept)
    return groups, count


def _export_name(record: dict[str, Any], record_id: int) -> str:
    import re

    case = record.get("case") or {}
    ref = re.sub(r"[^A-Za-z0-9._-]", "_", str(case.get("ref")))[:80].lstrip(".") or "case"
    return f"{ref}_{case.get('assessed_on')}_{record_id}.json"


def check(
    store: str | None = typer.Option(None, "--store", help=STORE_HELP, show_default=False),
    fmt: CountFormat = format_option(CountFormat.text, "text or json"),
) -> None:
    """Re-verify every record in the store (hash, HMAC when a key is set, columns), every sign-off, every
    chronology entry (its hash, date, category, and what a correction names) and every family link (its
    references, who linked it and when). Exit 1 on any problem."""
    import json

    from ..chronology import stored_problems
    from ..family import link_problems
    from ..output import print_json
    from ..record import LoadedRecord, Record, integrity_problems
    from ..recordstore import open_store

    opened = open_store(store, create=False)
    checked = 0
    bad: list[dict[str, Any]] = []
    try:
        for stored in opened.iter_all():
            checked += 1
            problems: list[str] = []
            try:
                raw = json.loads(stored.body)
                model = Record.model_validate(raw)
                problems = integrity_problems(LoadedRecord(record=model, path=f"#{stored.id}", raw=raw))
                if raw.get("integrity", {}).get("sha256") != stored.sha256:
                    problems.append("the stored sha256 column does not match the record")
            except ValueError:
                problems.append("the stored record is not a valid record")
            if problems:
                bad.append({"id": stored.id, "problems": problems})
        entries = opened.chronology_rows()
        links = opened.family_rows()
        signoffs = opened.signoffs()
        for signoff in signoffs:
            found = _signoff_problems(signoff)
            if found:
                bad.append({"signoff": signoff.id, "problems": found})
    finally:
        opened.close()
    cases = {int(row["id"]): str(row["case_ref"]) for row in entries}
    wrong: list[dict[str, Any]] = [
        {"id": number, "case_ref": cases[number], "problems": problems}
        for number, problems in stored_problems(entries).items()
    ]
    family_wrong: list[dict[str, Any]] = []
    for link in links:
        found_problems = link_problems(link["family_ref"], link["case_ref"], link["linked_by"], link["linked_at"])
        if found_problems:
            messages = [message for _, message in found_problems]
            family_wrong.append({"family_ref": link["family_ref"], "case_ref": link["case_ref"], "problems": messages})
    if fmt is CountFormat.json:
        print_json(
            {
                "store": opened.shown,
                "checked": checked,
                "signoffs": len(signoffs),
                "problems": bad,
                "chronology_checked": len(entries),
                "chronology_problems": wrong,
                "family_links_checked": len(links),
                "family_problems": family_wrong,
            }
        )
    else:
        for entry in bad:
            for problem in entry["problems"]:
                where = f"#{entry['id']}" if "id" in entry else f"sign-off #{entry['signoff']}"
                sys.stdout.write(visible(f"{where}: {problem}") + "\n")
        for entry in wrong:
            for problem in entry["problems"]:
                line = f"chronology entry #{entry['id']} (case {entry['case_ref']}): {problem}"
                sys.stdout.write(visible(line) + "\n")
        also = f" and {len(signoffs)} sign-off{'s' if len(signoffs) != 1 else ''}" if signoffs else ""
        sys.stdout.write(visible(f"{checked} record{'s' if checked != 1 else ''}{also} checked in {opened.shown}: "))
        sys.stdout.write(f"{len(bad)} with problems\n" if bad else "all ok\n")
        sys.stdout.write(f"{len(entries)} chronology entr{'y' if len(entries) == 1 else 'ies'} checked: ")
        sys.stdout.write(f"{len(wrong)} with problems\n" if wrong else "all ok\n")
        for entry in family_wrong:
            for problem in entry["problems"]:
                line = f"family link {entry['family_ref']} / {entry['case_ref']}: {problem}"
                sys.stdout.write(visible(line) + "\n")
        if links:
            sys.stdout.write(f"{len(links)} family link{'s' if len(links) != 1 else ''} checked: ")
            sys.stdout.write(f"{len(family_wrong)} with problems\n" if family_wrong else "all ok\n")
    if bad or wrong or family_wrong:
        raise typer.Exit(1)


def _signoff_problems(stored: Any) -> list[str]:
    """A stored sign-off re-checked: its seal, and that it names the record it is stored with."""
    import json

    from ..signoff import Addendum, seal_problems

    try:
        raw = json.loads(stored.body)
        addendum = Addendum.model_validate(raw)
    except ValueError:
        return ["the stored sign-off is not a valid sign-off"]
    problems = seal_problems(raw)
    if raw.get("integrity", {}).get("sha256") != stored.sha256:
        problems.append("the stored sha256 column does not match the sign-off")
    if addendum.record.sha256 != stored.record_sha256:
        problems.append("it names another record than the one it is stored with")
    return problems


def purge(
    before: str = typer.Option(
        ..., "--before", help="Remove every record assessed before this date (YYYY-MM-DD or DD/MM/YYYY)."
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation (for scripts)."),
    store: str | None = typer.Option(None, "--store", help=STORE_HELP, show_default=False),
) -> None:
    """Delete records assessed before a date, and chronology entries dated before it, for a retention
    policy. Asks first on a terminal."""

    from ..dates import date_option
    from ..errors import UserError
    from ..output import info
    from ..recordstore import open_store

    cutoff = date_option("--before", before)
    opened = open_store(store, create=False)
    try:
        records, children, entries = opened.count_before(cutoff)
        also = f" and {entries} chronology entr{'y' if entries == 1 else 'ies'} dated before it" if entries else ""
        if records == 0 and entries == 0:
            info(f"no records assessed before {cutoff} in {opened.shown}; nothing removed")
            return
        if not yes:
            if not (sys.stdin.isatty() and sys.stdout.isatty()):
                raise UserError(
                    f"purge would remove {records} records of {children} children{also}; "
                    "there is no terminal to ask, so pass --yes to confirm"
                )
            import questionary

            sure = questionary.confirm(
                f"Remove {records} records of {children} children assessed before {cutoff}{also} from {opened.shown}? "
                "This cannot be undone.",
                default=False,
            ).unsafe_ask()
            if not sure:
                info("nothing removed")
                return
        records, children, entries = opened.purge(cutoff)
    finally:
        opened.close()
    also = f" and {entries} chronology entr{'y' if entries == 1 else 'ies'} dated before it" if entries else ""
    info(
        f"removed {records} record{'s' if records != 1 else ''} of {children} child{'ren' if children != 1 else ''} "
        f"assessed before {cutoff}{also} from {opened.shown}"
    )


def supersede(
    old: int = typer.Argument(..., help="The store id (#N in `neglect history`) of the record being corrected."),
    new: Path = typer.Argument(..., help="The corrected record (JSON file), or its store id."),
    reason: str = typer.Option(..., "--reason", help="Why the earlier record is corrected (kept with both)."),
    store: str | None = typer.Option(None, "--store", help=STORE_HELP, show_default=False),
) -> None:
    """Correct a stored record: the new record supersedes the old one, with a reason. Both are kept."""
    from ..errors import UserError
    from ..output import info
    from ..record import integrity_problems, load_record
    from ..recordstore import open_store

    opened = open_store(store, create=False)
    try:
        if str(new).isdigit() and not new.exists():
            new_id = int(str(new))
        else:
            loaded = load_record(new)
            problems = integrity_problems(loaded)
            if problems:
                raise UserError("; ".join(problems) + " — refused", file=loaded.path)
            new_id = opened.save(loaded.raw).id
        opened.supersede(old, new_id, reason)
    finally:
        opened.close()
    info(f"record #{new_id} supersedes #{old}; both are kept and `neglect history` shows both")


def where(store: str | None = typer.Option(None, "--store", help=STORE_HELP, show_default=False)) -> None:
    """Say where the store is and how many records of how many children it holds."""
    from ..recordstore import open_store

    opened = open_store(store, create=False)
    try:
        records, children = opened.counts()
    finally:
        opened.close()
    line = f"{opened.shown}: {records} records of {children} children (schema {opened.version})"
    sys.stdout.write(visible(line) + "\n")
