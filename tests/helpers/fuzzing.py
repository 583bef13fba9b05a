"""Fuzz targets and strategies, shared by tests/test_fuzz.py (a small budget, every run) and
tools/fuzz.py (a long budget, by hand).

Each target feeds generated input to a loader the CLI uses and checks the one rule that matters:
out comes a valid result or a `UserError` with located, one-line problems that quote no case
text; never another exception (a crash) and never a hang.

The text paths (issue 20) are fuzzed too: free text full of control characters, escape
sequences and bidi overrides is either refused or free of them once loaded; a hand-built,
validly sealed record carrying them comes out of every renderer with none of them raw; and the
escaping functions themselves (`visible`, JSON, YAML, CSV, the walk's check) keep their promises.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import io
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

HERE = Path(__file__).resolve().parents[1]  # tests/
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
        from neglect_cli.toolfiles import load_tool_file

        _MINI = load_tool_file(TOOL_FILE)
    return _MINI


def check_answers(data: bytes) -> None:
    """YAML bytes as an answers file for the mini tool: load, and when valid, score and seal a record."""
    from neglect_cli.answers import load_answers
    from neglect_cli.record import Record, assess_answers

    path = scratch("answers.yaml", data)
    try:
        loaded = load_answers(path, today=TODAY, tool=mini_tool())
    except UserError as exc:
        clean_error(exc)
        return
    _, record = assess_answers(loaded, now=dt.datetime(2026, 11, 24, tzinfo=dt.UTC))
    Record.model_validate(record.as_json())  # what the file holds reads back as a record


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


# --- the text paths (issue 20) -------------------------------------------------------------------

#: Every character that must never reach a terminal raw; RAW finds one (tab and newline are ordinary).
UNSAFE = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))]
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
RAW_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Text as a hostile colleague would write it: control characters and escape sequences among
#: Markdown, HTML and spreadsheet punctuation and any other character.
_HOSTILE_PIECES = st.sampled_from(
    [*UNSAFE, "\x1b[2J", "\x1b]0;pwned\x07", "\x1b[5m", "\x9b31m", "\\", "\\x1b", "<U+202E>", "<script>", "&amp;"]
    + list("=+-@*_`|#[]<>&'\" aZ09\u00e9\u05d0\u200f\u2028")
)
# no lone surrogates: no UTF-8 file can hold one (the loaders refuse escaped ones; see check_record)
hostile_text = st.lists(_HOSTILE_PIECES | st.characters(exclude_categories=["Cs"]), max_size=25).map("".join)


def _unsafe_strings(data: Any, *, one_line: frozenset[str] = frozenset(), key: str = "") -> list[str]:
    """Strings in JSON-like data that carry an unsafe character (tab and newline too under `one_line` keys)."""
    if isinstance(data, dict):
        found = [k for k in data if isinstance(k, str) and RAW_LINE.search(k)]
        return found + [s for k, v in data.items() for s in _unsafe_strings(v, one_line=one_line, key=str(k))]
    if isinstance(data, list | tuple):
        return [s for v in data for s in _unsafe_strings(v, one_line=one_line, key=key)]
    if isinstance(data, str):
        return [data] if (RAW_LINE if key in one_line else RAW).search(data) else []
    return []


def check_text(data: bytes) -> None:
    """The escaping functions on any text: nothing unsafe survives, and what is safe is left alone."""
    from neglect_cli.interview import typed_text
    from neglect_cli.render.tabular import csv_cell
    from neglect_cli.render.yamlout import dump_yaml
    from neglect_cli.text import json_safe, unsafe_reason, visible

    text = data.decode("utf-8", "replace")
    shown = visible(text)
    assert not RAW.search(shown) and visible(shown) == shown
    assert (shown == text) == (RAW.search(text) is None) == (unsafe_reason(text) is None)
    assert (typed_text(one_line=True)(text) is None) == (RAW_LINE.search(text) is None)
    dumped = json_safe(json.dumps({text: [text]}, ensure_ascii=False))
    assert not RAW.search(dumped) and json.loads(dumped) == {text: [text]}
    yaml_text = dump_yaml({"k": text, text: 1})
    assert not RAW.search(yaml_text) and yaml.safe_load(yaml_text) == {"k": text, text: 1}
    cell = csv_cell(text)
    assert not RAW.search(cell) and not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


ANSWERS_ONE_LINE = frozenset({"assessor", "supervisor", "tool", "band"})


def check_answers_text(data: bytes) -> None:
    """An answers file with hostile free text: refused cleanly, or loaded with no unsafe character left."""
    from neglect_cli.answers import load_answers
    from neglect_cli.record import assess_answers, dumps_record

    path = scratch("answers-text.yaml", data)
    try:
        loaded = load_answers(path, today=TODAY, tool=mini_tool())
    except UserError as exc:
        clean_error(exc)
        assert not RAW.search(str(exc)), "an error message carries a raw control character"
        return
    kept = loaded.answers.model_dump(mode="json")
    assert not _unsafe_strings(kept, one_line=ANSWERS_ONE_LINE), "unsafe text got past the door"
    _, record = assess_answers(loaded, now=dt.datetime(2026, 11, 24, tzinfo=dt.UTC))
    assert not RAW.search(dumps_record(record))


def check_tool_text(data: bytes) -> None:
    """A tool file with hostile text: refused cleanly, or loaded with no unsafe character left."""
    from neglect_cli.definition import describe, tool_from_document
    from neglect_cli.loading import parse_yaml

    try:
        tool = tool_from_document(parse_yaml(data, "fuzz-tool.yaml"))
    except UserError as exc:  # a tool's text is not case text: a message may quote an id or a choice
        clean_error(exc)
        return
    assert not _unsafe_strings(tool.model_dump(mode="json")), "unsafe text got past the door"
    assert not any(RAW.search(describe(rule.when, tool)) for rule in tool.escalations)


def check_render(data: bytes) -> None:
    """A validly sealed record carrying hostile text, through every renderer: nothing unsafe comes out raw."""
    from neglect_cli.assessments import band_order, read_assessment
    from neglect_cli.diffing import compare
    from neglect_cli.output import print_json
    from neglect_cli.record import integrity_problems, load_record
    from neglect_cli.render import report_text, show_record
    from neglect_cli.render.diffview import diff_markdown, diff_terminal, trend_markdown, trend_terminal
    from neglect_cli.toolfiles import find_record_tool
    from neglect_cli.trending import trend

    path = scratch("render.json", data)
    hostile = read_assessment(path)  # (its warnings are verify's: hostile text may break a record's rules too)
    good = read_assessment(RECORD_FILE)
    assert not integrity_problems(load_record(path)), "the fuzzer's record must be validly sealed"
    source = find_record_tool(hostile.record.tool.id, hostile.record.tool.version)  # as `neglect report` finds it
    outputs = [
        report_text(hostile.record, f, source=source, redact=r)
        for f in ("terminal", "md", "html")
        for r in (False, True)
    ]
    diff = compare(good, hostile, band_order(good), band_order(hostile))
    series = trend([good, hostile], band_order(hostile))
    outputs += [diff_markdown(diff, show_all=True), trend_markdown(series)]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for fmt in ("json", "yaml", "terminal"):
            show_record(hostile.record, fmt, source=source)
        diff_terminal(diff, show_all=True)
        trend_terminal(series)
        print_json(diff.as_json())
        print_json(series.as_json())
    outputs.append(printed.getvalue())
    for out in outputs:
        found = RAW.search(out)
        assert found is None, f"raw U+{ord(found.group()):04X} in: {out[max(0, found.start() - 80) :][:160]!r}"


def _replace_text(data: Any, texts: list[str], keys: frozenset[str], key: str = "") -> Any:
    """`data` with the string values under `keys` replaced, in turn, by `texts` (cycled)."""
    if isinstance(data, dict):
        return {k: _replace_text(v, texts, keys, str(k)) for k, v in data.items()}
    if isinstance(data, list):
        return [_replace_text(v, texts, keys, key) for v in data]
    if isinstance(data, str) and key in keys and texts:
        texts.append(texts.pop(0))
        return texts[-1]
    return data


#: Where answers files, tool files and records hold text people read.
ANSWERS_TEXT = frozenset({"assessor", "supervisor", "notes", "evidence", "not_known", "rationale", "child_voice"})
TOOL_TEXT = frozenset({"title", "description", "label", "prompt", "guidance", "includes", "1", "4"})
RECORD_TEXT = ANSWERS_TEXT | {"ref", "reason", "title", "prompt", "because", "created_at"}
RECORD_IDS = frozenset({"id", "item", "domain", "band", "computed_band", "escalated_band", "minimum_band", "version"})


@st.composite
def hostile_file(
    draw: st.DrawFn, original: Any, keys: frozenset[str], dump: Callable[[Any], bytes], marker: str = ""
) -> bytes:
    """A valid file with some of its free text replaced by hostile text (after `marker`, so an echo is caught)."""
    texts = [marker + draw(hostile_text) for _ in range(draw(st.integers(1, 4)))]
    return dump(_replace_text(original, texts, keys))


@st.composite
def hostile_record(draw: st.DrawFn) -> bytes:
    """good/record.json with hostile text in its free text (and sometimes in its ids and keys), resealed."""
    from neglect_cli.record import seal

    body = json.loads(RECORD_FILE.read_text(encoding="utf-8"))
    body.pop("integrity")
    keys = RECORD_TEXT | (RECORD_IDS if draw(st.booleans()) else frozenset())
    texts = [draw(hostile_text) for _ in range(draw(st.integers(1, 5)))]
    body = _replace_text(body, texts, keys)
    body["reflection"] = [draw(hostile_text)]
    body["context"][draw(hostile_text)] = draw(hostile_text)
    return json.dumps(seal(body), ensure_ascii=False).encode()


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
    "text": (check_text, {"hostile text": hostile_text.map(lambda s: s.encode("utf-8", "surrogatepass"))}),
    "tool-text": (check_tool_text, {"hostile text": hostile_file(base(TOOL_FILE), TOOL_TEXT, as_yaml)}),
    "answers-text": (
        check_answers_text,
        {"hostile text": hostile_file(base(ANSWERS_FILE), ANSWERS_TEXT, as_yaml, "ZQXJ-HOSTILE ")},
    ),
    "render": (check_render, {"hostile record": hostile_record()}),
}


def set_environment() -> None:
    os.environ.update(environment())
