"""Where the record store is and which schema it has: the few facts both the store and the quick
history path need, with nothing but `os` to import (see `quickhistory`)."""

from __future__ import annotations

import os

STORE_ENV = "NEGLECT_STORE"
STORE_FILE = "records.sqlite3"
#: The schema this version writes. 1: records (with their JSON) and meta; 2: the JSON in its own table
#: (listing reads small rows), supersessions, an override's sign-off; 3: each child's chronology and
#: family links; 4: supervisors' sign-offs of stored records; 5: every date a record's plan actions are due by.
SCHEMA_VERSION = 5
MAX_CASE_REF = 256


def default_store_path() -> str:
    """`$XDG_DATA_HOME/neglect-cli/records.sqlite3` (default under `~/.local/share`)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "neglect-cli", STORE_FILE)


def is_postgres(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


def sqlite_file(location: str) -> str:
    """The file of a SQLite store (`sqlite:///path` or a plain path)."""
    return os.path.expanduser(location.removeprefix("sqlite:///"))


def bad_case_ref(ref: str) -> str | None:
    """Why a case ref cannot be data (None when it can): empty, too long, or control characters."""
    if not ref:
        return "the case reference is empty"
    if len(ref) > MAX_CASE_REF:
        return f"the case reference is {len(ref)} characters long (at most {MAX_CASE_REF})"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in ref):
        return "the case reference contains a control character (NUL, newline, ...)"
    return None
