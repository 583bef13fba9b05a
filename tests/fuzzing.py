"""Fuzz targets and strategies, shared by tests/test_fuzz.py (a small budget, every run) and
tools/fuzz.py (a long budget, by hand).

Each target feeds generated input to a loader the CLI uses and checks the one rule that matters:
out comes a valid result or a `UserError` with located, one-line problems that quote no case
text; never another exception (a crash) and never a hang.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from neglect_cli.errors import UserError

HERE = Path(__file__).resolve().parent
GOOD = HERE / "bad_inputs" / "good"
TOOL_FILE = GOOD / "tool" / "mini-tool.yaml"
ANSWERS_FILE = GOOD / "answers.yaml"
RECORD_FILE = GOOD / "record.json"
TODAY = dt.date(2026, 11, 24)
# free text in the base files starts with this marker and goes on after a space
FREE_TEXT = re.compile(r"ZQXJ-\w+ \w")


def environment() -> dict[str, str]:
    """What the targets need in os.environ: the mini tool on the search path, a pinned clock."""
    return {"NEGLECT_TOOLS_PATH": str(GOOD / "tool"), "SOURCE_DATE_EPOCH": "1795478400"}


_workdir: Path | None = None


def scratch(name: str, data: bytes) -> Path:
    """Write `data` to a file in a private scratch folder (reused across examples)."""
    global _workdir
    if _workdir is None:
        _workdir = Path(tempfile.mkdtemp(prefix="neglect-fuzz-"))
        atexit.register(shutil.rmtree, _workdir, ignore_errors=True)  # generated files may hold anything
    path = _workdir / name
    path.write_bytes(data)
    return path


def clean_error(exc: UserError) -> None:
    """A UserError fit to show: problems with messages, no traceback, no free text echoed."""
    assert exc.problems, "a UserError without problems"
    text = str(exc)
    assert all(p.message.strip() for p in exc.problems)
    assert "Traceback" not in text
    assert not FREE_TEXT.search(text), f"free text echoed: {text}"


# --- targets ---------------------------------------------------------------------------------------


def check_tool(data: bytes) -> None:
    """YAML bytes as a tool file: parse, validate, then use it the way `tools show` and scoring do."""
    from neglect_cli.definition import describe, tool_from_document
    from neglect_cli.loading import parse_yaml
    from neglect_cli.scoring import score

    try:
        tool = tool_from_document(parse_yaml(data, "fuzz-tool.yaml"))
    except UserError as exc:
        clean_error(exc)
        return
    for rule in tool.escalations:
        assert describe(rule.when, tool)
    top = tool.scale.values[-1]
    age = {"age_months": 12} if tool.fact("age_months") else {}
    for ratings in ({}, {item.id: top for item in tool.items()}):
        result = score(tool, ratings, age, None)
        assert result.overall.coverage is None or 0 <= result.overall.coverage <= 1


_MINI: Any = None


def mini_tool() -> Any:
    global _MINI
    if _MINI is None:
        from neglect_cli.loading import load_tool_file

        _MINI = load_tool_file(TOOL_FILE)
    return _MINI


def check_answers(data: bytes) -> None:
    """YAML bytes as an answers file for the mini tool: load, and when valid, score and seal a record."""
    from neglect_cli.record import Record, assess_answers, load_answers

    path = scratch("answers.yaml", data)
    try:
        loaded = load_answers(path, today=TODAY, tool=mini_tool())
    except UserError as exc:
        clean_error(exc)
        return
    _, record = assess_answers(loaded, now=dt.datetime(2026, 11, 24, tzinfo=dt.UTC))
    Record.model_validate(record)


def check_record(data: bytes) -> None:
    """Bytes as a record: load, and when it loads, verify it (integrity, tool, re-score)."""
    from neglect_cli.record import load_record, verify_record

    path = scratch("record.json", data)
    try:
        loaded = load_record(path)
    except UserError as exc:
        clean_error(exc)
        return
    problems = verify_record(loaded)
    assert all(isinstance(p, str) and p for p in problems)


# --- strategies ------------------------------------------------------------------------------------

YAML_CHARS = st.sampled_from(list(":-[]{}&*!|>'\"#%@`,?\n\t ~.0123456789aeknoxyz\\\ufeff\x85\u2028"))

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.dates()
    | st.sampled_from(["no", "yes", "1.0", "010", "2024-02-30", "~", "<<", "*a", "&a", "!!int x", "physical.food"])
)
structures = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12) | scalars, inner, max_size=5),
    max_leaves=25,
)


def base(path: Path) -> Any:
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@st.composite
def mutated_structure(draw: st.DrawFn, original: Any) -> Any:
    """A valid document with one to three structural changes: a value replaced, a key dropped or
    added, a list item duplicated or dropped."""
    doc = json.loads(json.dumps(original, default=str))
    for _ in range(draw(st.integers(1, 3))):
        parent: Any = None
        key: Any = None
        node = doc
        while isinstance(node, dict | list) and node and draw(st.booleans()):
            parent = node
            key = draw(st.sampled_from(list(node) if isinstance(node, dict) else range(len(node))))
            node = node[key]
        if parent is None:
            continue
        action = draw(st.sampled_from(["replace", "drop", "add", "duplicate"]))
        if action == "replace":
            parent[key] = draw(structures)
        elif action == "drop":
            del parent[key]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = draw(structures)
        elif isinstance(parent, list):
            parent.insert(key, parent[key])
    return doc


@st.composite
def mutated_bytes(draw: st.DrawFn, original: bytes) -> bytes:
    """The file's bytes with one to four edits: a slice deleted or repeated, YAML punctuation
    inserted, a byte replaced."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["delete", "repeat", "insert", "byte"]))
        if action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 80))]
        elif action == "insert":
            data[at:at] = "".join(draw(st.lists(YAML_CHARS, min_size=1, max_size=6))).encode()
        else:
            data[at] = draw(st.integers(0, 255))
    return bytes(data)


def as_yaml(value: Any) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode()


def as_json(value: Any) -> bytes:
    return json.dumps(_string_keys(value), default=str, ensure_ascii=False).encode()


def _string_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _string_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_string_keys(v) for v in value]
    return value


def inputs(path: Path, dump: Callable[[Any], bytes]) -> dict[str, st.SearchStrategy[bytes]]:
    """Every kind of generated input for one base file."""
    original = path.read_bytes()
    return {
        "random text": st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
        "random bytes": st.binary(max_size=300),
        "random structure": structures.map(dump),
        "mutated structure": mutated_structure(base(path)).map(dump),
        "mutated bytes": mutated_bytes(original),
    }


TARGETS: dict[str, tuple[Callable[[bytes], None], dict[str, st.SearchStrategy[bytes]]]] = {
    "tool": (check_tool, inputs(TOOL_FILE, as_yaml)),
    "answers": (check_answers, inputs(ANSWERS_FILE, as_yaml)),
    "record": (check_record, inputs(RECORD_FILE, as_json)),
}


def set_environment() -> None:
    os.environ.update(environment())
