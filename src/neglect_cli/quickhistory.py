"""`neglect history CASE` on the local SQLite store, answered before the CLI framework loads.

A supervisor looks a child up many times a day, so the commonest form (a case ref, and
`--training` or `--format json|terminal`) is read with the standard library's sqlite3
straight from the store's index and printed by the same functions the typer command
uses (`historyview`). Anything else — another option, a PostgreSQL store, a store that
does not exist, needs an upgrade or cannot be read — returns None, and the full CLI
answers instead (with its messages and exit codes).
"""

from __future__ import annotations

import os
import sys

from .historyview import HISTORY_COLUMNS, history_json, history_text
from .storeinfo import SCHEMA_VERSION, STORE_ENV, bad_case_ref, default_store_path, is_postgres, sqlite_file

# The same rows as RecordStore.history_rows, in the same order (tests compare the two paths).
_SELECT = (
    "SELECT "
    + ", ".join(f"r.{name}" for name in HISTORY_COLUMNS if name not in ("superseded_by", "supersedes", "reason"))
    + ", newer.record_id AS superseded_by, s.supersedes_id AS supersedes, s.reason AS reason"
    " FROM records AS r"
    " LEFT OUTER JOIN supersessions AS newer ON newer.supersedes_id = r.id"
    " LEFT OUTER JOIN supersessions AS s ON s.record_id = r.id"
    " WHERE r.case_ref = ?{training}"
    " ORDER BY r.assessed_on DESC, r.created_at DESC, r.id DESC"
)


def _parse(args: list[str]) -> tuple[str, bool, str] | None:
    """(case ref, training, format) for the forms answered here; None for anything else."""
    case_ref: str | None = None
    training = False
    fmt = "terminal"
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--training":
            training = True
        elif arg in ("--format", "-f") and i + 1 < len(args):
            fmt = args[i + 1]
            i += 1
        elif arg.startswith("--format="):
            fmt = arg.removeprefix("--format=")
        elif arg.startswith("-") or case_ref is not None:
            return None
        else:
            case_ref = arg
        i += 1
    if case_ref is None or fmt not in ("terminal", "json"):
        return None
    if bad_case_ref(case_ref):
        return None  # refused with its message by the full command
    return case_ref, training, fmt


def answer(args: list[str]) -> int | None:
    """Print the history and return 0, or return None to let the full CLI answer."""
    parsed = _parse(args)
    if parsed is None:
        return None
    case_ref, training, fmt = parsed
    location = os.environ.get(STORE_ENV) or default_store_path()
    if is_postgres(location) or ("://" in location and not location.startswith("sqlite:///")):
        return None
    path = sqlite_file(location)
    if not os.path.isfile(path):
        return None
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
        try:
            conn.row_factory = sqlite3.Row
            version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if version is None or version[0] != str(SCHEMA_VERSION):
                return None  # to be upgraded, or newer: the full command says so
            query = _SELECT.format(training="" if training else " AND NOT r.training")
            rows = [dict(row) for row in conn.execute(query, (case_ref,))]
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    from .clock import today

    _no_core_dumps()
    if fmt == "json":
        text = history_json(case_ref, rows, today())
    else:
        text = history_text(case_ref, rows, today(), training=training)
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0


def _no_core_dumps() -> None:
    # As `crash.no_core_dumps`, without importing the crash reporter: a history holds case details.
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    except (ImportError, ValueError, OSError):
        pass
