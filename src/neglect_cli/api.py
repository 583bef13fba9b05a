"""The Python API: what the `neglect` commands do, as functions (re-exported by `neglect_cli`).

Every function here is a thin, documented entry to the library that the command line uses too, so
a script gets the same checks and the same results:

    >>> import neglect_cli as nc
    >>> loaded = nc.load_answers("definitions/cases/05-baby-unsafe-sleep.yaml")
    >>> result = nc.score(loaded)
    >>> result.overall.band
    'level-4'

Problems with the input raise `neglect_cli.UserError` (the commands' exit 2), whose `str()` names the
file, line and field. Everything not named in `neglect_cli.__all__` is private and may change.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .answers import LoadedAnswers
    from .diffing import Diff
    from .record import LoadedRecord, Record
    from .scoring import Result
    from .toolfiles import ToolSource
    from .trending import Trend

PathLike = str | os.PathLike[str]
ReportFormat = Literal["md", "html", "terminal"]


def find_tool(name: str) -> ToolSource:
    """A loaded tool by id (`neglect-core`), id@version (`neglect-core@2.0.0`) or path to its YAML file.

    Looks where `neglect tools list` looks: the shipped tools, `NEGLECT_TOOLS_PATH` and `./tools/`.
    The tool itself is `.tool`; `.sha256` is the hash of its file, as records cite it."""
    from .toolfiles import find_tool as find

    return find(name)


def load_answers(path: PathLike, *, today: dt.date | None = None) -> LoadedAnswers:
    """Read an answers file (YAML, as `neglect template` writes) and check it against its tool.

    `today` is the date that dates in the file may not be after (default: today)."""
    from .answers import load_answers as load
    from .clock import today as clock_today

    return load(Path(path), today=today or clock_today())


def score(answers: LoadedAnswers) -> Result:
    """Domain scores, the level of need and the escalation prompts for loaded answers (as `neglect score`)."""
    from .answers import score_answers

    return score_answers(answers)


def assess(answers: LoadedAnswers, *, now: dt.datetime | None = None, redact: bool = False) -> dict[str, Any]:
    """The sealed record for loaded answers, as a dict in the record's key order (as `neglect assess
    --answers` writes it; `dumps_record` gives the file's text). `redact` removes free text."""
    from .clock import now as clock_now
    from .record import assess_answers

    return assess_answers(answers, now=now or clock_now(), redact=redact)[1].as_json()


def dumps_record(record: dict[str, Any]) -> str:
    """A record's file text: indented JSON in its stable key order."""
    from .record import dumps_record as dumps

    return dumps(record)


def load_record(path: PathLike) -> LoadedRecord:
    """Read and validate a record file (JSON). `.record` is the model; nothing is verified yet."""
    from .record import load_record as load

    return load(Path(path))


def verify_record(loaded: LoadedRecord) -> list[str]:
    """What `neglect verify` finds wrong with a record: its hash or signature, or a level or prompt its
    tool's rules no longer give. An empty list means the record is as written and consistent."""
    from .record import verify_record as verify

    return verify(loaded)


def diff(old: PathLike, new: PathLike) -> Diff:
    """What changed between two records of one child (as `neglect diff`); `.as_json()` is `--format json`.

    Integrity problems of either record are in `.warnings`, not raised."""
    from .assessments import band_order, lineage_of, read_assessment
    from .diffing import compare

    older, newer = read_assessment(Path(old)), read_assessment(Path(new))
    return compare(older, newer, band_order(older), band_order(newer), lineage_of([older, newer]))


def trend(paths: Iterable[PathLike]) -> Trend:
    """One child's records over time, with drift and delay, relapse and persistent prompts (as `neglect
    trend`); records are put in date order, and folders are read for their records."""
    from .assessments import band_order, expand_records, item_names, lineage_of, read_assessment
    from .errors import UserError
    from .trending import trend as build

    assessments = [read_assessment(p) for p in expand_records([Path(p) for p in paths])]
    if len(assessments) < 2:
        raise UserError(f"a trend needs two or more records; found {len(assessments)}")
    newest = max(assessments, key=lambda a: (a.record.case.assessed_on, a.record.created_at))
    return build(assessments, band_order(newest), lineage_of(assessments), item_names(newest))


def report(record: Record | LoadedRecord, fmt: ReportFormat = "md", *, redact: bool = False) -> str:
    """A readable report of a record: Markdown, HTML or plain terminal text (as `neglect report`).

    Integrity problems (from `verify_record`) are shown in the report, as the command shows them."""
    from .record import LoadedRecord
    from .record import verify_record as verify
    from .render import report_text
    from .toolfiles import find_record_tool

    problems = verify(record) if isinstance(record, LoadedRecord) else None
    model = record.record if isinstance(record, LoadedRecord) else record
    source = find_record_tool(model.tool.id, model.tool.version)
    return report_text(model, fmt, source=source, redact=redact, integrity_problems=problems)
