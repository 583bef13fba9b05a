"""Which kind of neglect-cli file a document is, told from its content (never its name), and what to do
with a file given to a command that reads another kind.

`neglect verify CASE.yaml` should say "this is an answers file: score it with ...", not "JSON syntax
error"; `neglect assess --answers RECORD.json` should say it is a record and which commands read records.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import Any

from .errors import UserError
from .loading import Document, parse_yaml

#: What each kind is called in a message (after "this is ..." and "not ...").
NAMES = {
    "answers": "an answers file (a scripted case)",
    "record": "an assessment record",
    "tool": "a tool file",
    "draft": "a draft of an unfinished assessment",
    "diff": "the JSON output of `neglect diff`",
    "trend": "the JSON output of `neglect trend`",
    "scores": "the JSON output of `neglect score`",
    "chronology": "a child's chronology exported from the record store",
    "family": "a family's links exported from the record store",
}

#: What to do with a file of each kind (FILE stands for the file's name).
USES = {
    "answers": "score it with `neglect score FILE` or `neglect assess --answers FILE` "
    "(which writes the record that verify, report, diff and trend read)",
    "record": "records are read by `neglect verify`, `neglect report`, `neglect diff`, `neglect trend` "
    "and `neglect store import`; `neglect template` prints an answers file to fill in",
    "tool": "check it with `neglect tools validate FILE`, assess with it with `neglect assess --tool FILE`, "
    "or name it in an answers file's `tool:`",
    "draft": "carry on with `neglect assess --resume FILE`",
    "diff": "run `neglect diff` on the two records it compared",
    "trend": "run `neglect trend` on the records themselves",
    "scores": "score the answers files again, or read it as JSON",
    "chronology": "bring it into a record store with `neglect store import FILE`",
    "family": "bring it into a record store with `neglect store import FILE`",
}

_SCHEMA_KINDS = {
    "neglect-record/": "record",
    "neglect-tool/": "tool",
    "neglect-draft/": "draft",
    "neglect-diff/": "diff",
    "neglect-trend/": "trend",
    "neglect-chronology/": "chronology",
    "neglect-family/": "family",
}


def kind_of(data: Any) -> str | None:
    """`answers`, `record`, `tool`, `draft`, `diff`, `trend`, `scores`, `chronology` or `family` by the data's
    shape; None when
    it looks like none of them (the reader's own checks then say what is wrong)."""
    if isinstance(data, list):
        first = data[0] if data else None
        if isinstance(first, Mapping) and {"file", "ref", "final_band"} <= first.keys():
            return "scores"
        return None
    if not isinstance(data, Mapping):
        return None
    schema = data.get("schema")
    if isinstance(schema, str):
        return next((kind for prefix, kind in _SCHEMA_KINDS.items() if schema.startswith(prefix)), None)
    if "result" in data or "integrity" in data:
        return None  # a record without its schema: the record's own check says so
    if "tool" in data and ("case" in data or "answers" in data):
        return "answers"
    if "domains" in data and "scale" in data:
        return "tool"
    return None


def check_kind(doc: Document, wanted: str) -> None:
    """A UserError when the document is plainly another kind of file than `wanted`: it says what the
    file is and which commands take it, at the line of the key that tells (`schema:`, `tool:`)."""
    found = kind_of(doc.data)
    if found is None or found == wanted:
        return
    data = doc.data
    key = next((k for k in ("schema", "tool", "domains") if isinstance(data, Mapping) and k in data), None)
    name = shlex.quote(doc.name)  # the command runs as printed
    message = f"this is {NAMES[found]}, not {NAMES[wanted]}: {USES[found].replace('FILE', name)}"
    raise UserError([doc.problem(message, (key,) if key else ())])


def check_kind_of_unreadable(data: bytes, name: str, wanted: str) -> None:
    """For a file that failed to parse as `wanted` (a YAML answers file given where JSON is read): a
    UserError saying what it is when it reads as another kind of file; otherwise nothing (the parse
    error stands)."""
    try:
        doc = parse_yaml(data, name)
    except UserError:
        return
    check_kind(doc, wanted)
