"""Reading YAML and JSON safely, with positions, and finding tools.

Every input goes through `read_document`: size limit, UTF-8, nesting limit,
no aliases or anchors, no duplicate keys, clean errors for anything PyYAML
raises. The document keeps the line and column of every key so that model
errors can name the line a user must fix.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .errors import Problem, UserError

if TYPE_CHECKING:
    from pydantic import ValidationError


MAX_BYTES = 1024 * 1024  # what people write: tools and answers files
# What neglect writes (records, drafts) is bounded when it is written and read back with this limit:
# a 1 MiB tool of tens of thousands of items, with every note the walk allows, stays well under it.
RECORD_MAX_BYTES = 16 * 1024 * 1024
NOTE_MAX_CHARS = 20_000  # one evidence note, reason, rationale, child's voice or text fact
NOTES_BUDGET_BYTES = 8 * 1024 * 1024  # every note of one assessment together, as JSON text
MAX_DEPTH = 48
TOOLS_PATH_ENV = "NEGLECT_TOOLS_PATH"

_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[misc]
    """The safe loader, with YAML 1.1's base-60 numbers read as text, as YAML 1.2 reads them:
    `190:20:30` is not the number 685230, nor `1:30` the number 90."""


_Loader.yaml_implicit_resolvers = {
    first: [
        (
            tag,
            re.compile(r"^(?!.*:)(?:" + regexp.pattern + ")", regexp.flags)
            if tag.endswith((":int", ":float"))
            else regexp,
        )
        for tag, regexp in resolvers
    ]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}
_BRACKETS = re.compile(rb"[^\[\]{}]+")

Loc = tuple[str, ...]


@dataclass(slots=True)
class Document:
    """Parsed data plus where each field came from."""

    data: Any
    name: str
    marks: dict[Loc, tuple[int, int, str | None]] = field(default_factory=dict)
    raw: bytes = b""
    #: True when the positions have not been read yet (the fast path leaves them until a message needs one)
    unlocated: bool = False

    def positions(self) -> dict[Loc, tuple[int, int, str | None]]:
        """Line, column and raw scalar text of every field, by path (read from `raw` on first use)."""
        if self.unlocated:
            self.unlocated = False
            try:
                # JSON is read for its positions as YAML's flow style, which holds it.
                self.marks = _careful_document(self.raw, decode(self.raw, self.name), self.name).marks
            except UserError:  # JSON that YAML does not take: messages go without a line
                self.marks = {}
        return self.marks

    def locate(self, loc: Sequence[object]) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the nearest located field along `loc`."""
        key = tuple(str(part) for part in loc)
        marks = self.positions()
        while key:
            mark = marks.get(key)
            if mark is not None:
                return mark[0], mark[1]
            key = key[:-1]
        return None, None

    def raw_scalar(self, loc: Sequence[object]) -> str | None:
        mark = self.positions().get(tuple(str(part) for part in loc))
        return mark[2] if mark else None

    def problem(self, message: str, loc: Sequence[object] = ()) -> Problem:
        line, column = self.locate(loc)
        return Problem(message, self.name, line, column, format_loc(loc) or None)


def display_name(path: Path | str) -> str:
    return str(path)


def read_bytes(path: Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a whole input file, refusing what is not a readable regular file under the limit."""
    name = display_name(path)
    try:
        status = path.stat()
        if stat.S_ISDIR(mode := status.st_mode):
            raise UserError("is a folder, not a file", file=name)
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            # /dev/zero never ends and /dev/tty waits for typing; a pipe (`<(…)`) is fine
            raise UserError("is a device, not a file", file=name)
        if stat.S_ISSOCK(mode):
            raise UserError("is a socket, not a file", file=name)
        # Opened non-blocking: a named pipe that nothing writes to would otherwise wait for ever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb") as handle:
            if stat.S_ISFIFO(mode):
                data = _read_pipe(fd, name, max_bytes)
            else:
                # Ask for the size the file has (+1, to see it grow) rather than for the whole limit:
                # a 1 MiB buffer for every small file is most of the cost of reading it.
                wanted = min(status.st_size, max_bytes) + 1
                data = handle.read(wanted) or b""
                if len(data) == wanted <= max_bytes:  # grew since: read on up to the limit
                    data += handle.read(max_bytes + 1 - wanted) or b""
    except FileNotFoundError:
        if path.is_symlink():
            raise UserError("is a symbolic link to a file that does not exist", file=name) from None
        raise UserError("no such file", file=name) from None
    except PermissionError:
        raise UserError("permission denied", file=name) from None
    except IsADirectoryError:
        raise UserError("is a folder, not a file", file=name) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UserError("is a symbolic link that loops back on itself", file=name) from None
        raise UserError(f"cannot read file ({exc.strerror or 'I/O error'})", file=name) from None
    if len(data) > max_bytes:
        raise UserError(f"file is larger than {max_bytes // 1024} KiB; refused", file=name)
    return data


def _read_pipe(fd: int, name: str, max_bytes: int) -> bytes:
    """Read a pipe (`<(…)`, a named pipe) up to the limit; one that nothing is writing to is refused."""
    try:
        first = os.read(fd, max_bytes + 1)
    except BlockingIOError:
        first = None  # a writer is there, with nothing written yet: wait for it
    else:
        if not first:
            raise UserError("is a named pipe that nothing is writing to; give a file", file=name)
    os.set_blocking(fd, True)
    data = first or b""
    while len(data) <= max_bytes:
        chunk = os.read(fd, max_bytes + 1 - len(data))
        if not chunk:
            break
        data += chunk
    return data


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a UTF-8 byte-order mark is tolerated and dropped)."""
    wrong = other_encoding(data)
    if wrong:
        raise UserError(f"{wrong}; save it as UTF-8", file=name)
    if b"\x00" in data:
        raise UserError("file is binary (contains NUL bytes), not YAML or JSON text", file=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"not valid UTF-8 text (byte {exc.start})", file=name) from None
    return text.removeprefix("\ufeff")


def other_encoding(data: bytes) -> str | None:
    """"file is UTF-16" (or UTF-32) when the bytes are text in one of those, else None."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "file is UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "file is UTF-16"
    if b"\x00" in data[:512] and _utf16_without_mark(data[:512]):
        return "file is UTF-16 (without a byte-order mark)"
    return None


def _utf16_without_mark(head: bytes) -> bool:
    """Text saved as UTF-16 with no byte-order mark: every other byte NUL, the rest plain ASCII."""
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    pairs = ((odd, even), (even, odd))  # little-endian, big-endian
    return any(not zeros.strip(b"\x00") and text.isascii() and b"\x00" not in text for zeros, text in pairs)


def _check_flow_depth(data: bytes, name: str, strings: re.Pattern[bytes] | None = None) -> None:
    # libyaml's composer recurses in C: very deep flow nesting crashes the
    # interpreter, so it is measured on the raw bytes before parsing.
    if data.count(b"[") + data.count(b"{") <= MAX_DEPTH:
        return  # too few openings to nest that deep (the common case, counted without a copy)
    if strings is not None:  # brackets inside strings (a note quoting "\e[2J", say) do not nest
        data = strings.sub(b"", data)
    brackets = _BRACKETS.sub(b"", data)
    depth = 0
    for byte in brackets:
        if byte in b"[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise UserError(f"nested more than {MAX_DEPTH} levels deep; refused", file=name)
        else:
            depth = max(depth - 1, 0)


def _yaml_problem(exc: yaml.YAMLError, name: str, text: str = "") -> Problem:
    if isinstance(exc, yaml.reader.ReaderError) and text:
        # a raw control character (ESC, say) in the file itself, not written as an escape such as "\e"
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        before = text[: exc.position]
        kind = "control character" if code < 0xA0 else "character"
        return Problem(
            f"the {kind} U+{code:04X} is not allowed in a YAML file",
            name,
            before.count("\n") + 1,
            exc.position - before.rfind("\n"),
        )
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    reason = getattr(exc, "problem", None) or "invalid YAML"
    context = getattr(exc, "context", None)
    # a constructor error is well-formed YAML with a tag or value we will not build (e.g. !!python/object)
    kind = "YAML value not allowed" if isinstance(exc, yaml.constructor.ConstructorError) else "YAML syntax error"
    message = f"{kind}: {reason}" + (f" ({context})" if context else "")
    if mark is not None:
        return Problem(message, name, mark.line + 1, mark.column + 1)
    return Problem(message, name)


def parse_yaml(data: bytes, name: str) -> Document:
    """Parse one YAML document safely and record the position of every field."""
    _check_flow_depth(data, name)
    text = decode(data, name)
    plain = _plain_document(text, data, name)
    if plain is not None:
        return plain
    # Anything unusual (and every error) takes the careful path, which explains it.
    return _careful_document(data, text, name)


def _careful_document(data: bytes, text: str, name: str) -> Document:
    """Refuse what is not allowed before building anything, then build the data and every position."""
    _prescan(text, name)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise UserError([_yaml_problem(exc, name)]) from None
        doc = Document(None, name, raw=data)
        if node is None:
            raise UserError("file is empty", file=name)
        _walk(node, (), doc, 0, set())
        try:
            doc.data = loader.construct_document(node)
        except yaml.YAMLError as exc:
            raise UserError([_yaml_problem(exc, name)]) from None
        except (ValueError, TypeError, OverflowError):
            # e.g. 2024-02-30 as a date, !!int abc
            raise UserError([_invalid_scalar(loader, node, name)]) from None
    except RecursionError:
        raise UserError(f"nested more than {MAX_DEPTH} levels deep; refused", file=name) from None
    finally:
        loader.dispose()
    return doc


# Tags the safe loader builds into something no JSON-like format holds (bytes, sets, ordered pairs)
_NOT_JSON_TAGS = frozenset(f"tag:yaml.org,2002:{kind}" for kind in ("binary", "set", "omap", "pairs", "value"))
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_INT = "tag:yaml.org,2002:int"
_SCALARS = ("null", "bool", "int", "float", "timestamp")
_BUILD = {f"tag:yaml.org,2002:{kind}": _Loader.yaml_constructors[f"tag:yaml.org,2002:{kind}"] for kind in _SCALARS}
# Plain scalars whose first character starts no implicit type (most text) are strings, unresolved;
# None when some resolver would look at every scalar.
_RESOLVED_BY_FIRST: frozenset[str] | None = (
    None if None in _Loader.yaml_implicit_resolvers else frozenset(k for k in _Loader.yaml_implicit_resolvers if k)
)
_RESOLVED: dict[str, str] = {}


def _plain_document(text: str, data: bytes, name: str) -> Document | None:
    """The fast path for the common file: one pass over libyaml's events, building the data.

    It builds the same data as the careful path (compose, walk, construct) without
    a node tree, and leaves the positions of fields to be read when a message needs
    one. It returns None, leaving the explaining to the careful path, at the first
    thing that is not plain: an anchor, alias, tag on a collection, duplicate or
    merge key, deep nesting, a value that cannot be built, a second document or any
    YAML error.
    """
    loader = _Loader(text)
    try:
        get_event = loader.get_event
        if type(get_event()) is not yaml.StreamStartEvent or type(get_event()) is not yaml.DocumentStartEvent:
            return None
        root = _plain_node(get_event(), get_event, loader, 0)
        if type(get_event()) is not yaml.DocumentEndEvent or type(get_event()) is not yaml.StreamEndEvent:
            return None
    except (_NotPlain, yaml.YAMLError, ValueError, TypeError, OverflowError, KeyError, IndexError):
        return None
    finally:
        loader.dispose()
    return Document(root, name, raw=data, unlocated=True)


class _NotPlain(Exception):
    """Raised inside the fast path: leave this file to the careful path."""


_ScalarEvent = yaml.ScalarEvent


def _plain_scalar(event: Any, loader: Any) -> Any:
    if event.anchor is not None:
        raise _NotPlain
    raw = event.value
    tag = event.tag
    if tag is None or tag == "!":
        if not event.implicit[0] or (raw and _RESOLVED_BY_FIRST and raw[0] not in _RESOLVED_BY_FIRST):
            return raw
        built = _BUILT.get(raw, _UNBUILT)
        if built is not _UNBUILT:
            return built
        tag = _RESOLVED.get(raw) or _resolve(loader, raw, event.implicit)
        if tag != _STR:
            built = _build_scalar(tag, raw, event, loader)
            if len(_BUILT) < 4096:
                _BUILT[raw] = built  # None, true/false, numbers and dates: values no caller can change
            return built
    if tag == _STR:
        return raw
    return _build_scalar(tag, raw, event, loader)


# Plain scalars built from their text alone (`2`, `true`, `2024-05-01`): the same text, the same value.
_BUILT: dict[str, Any] = {}
_UNBUILT = object()


def _build_scalar(tag: str, raw: str, event: Any, loader: Any) -> Any:
    if tag == _INT and raw.isdigit() and raw.isascii() and (raw[0] != "0" or raw == "0"):
        return int(raw)  # what YAML's int constructor gives for plain decimal digits
    build = _BUILD.get(tag)
    if build is None:
        raise _NotPlain
    return build(loader, yaml.ScalarNode(tag, raw, event.start_mark, event.end_mark))


def _plain_node(event: Any, get_event: Any, loader: Any, depth: int) -> Any:
    kind = type(event)
    if kind is _ScalarEvent:
        return _plain_scalar(event, loader)
    if depth >= MAX_DEPTH - 1 or event.anchor is not None:
        raise _NotPlain
    if kind is yaml.MappingStartEvent and event.tag in (None, "!", _MAP):
        mapping: dict[Any, Any] = {}
        seen: set[str] = set()
        while True:
            event = get_event()
            if type(event) is not _ScalarEvent:
                if type(event) is yaml.MappingEndEvent:
                    return mapping
                raise _NotPlain  # a key that is not plain text, or an alias
            raw = event.value
            if raw == "<<" or raw in seen:
                raise _NotPlain
            seen.add(raw)
            key = _plain_scalar(event, loader)
            event = get_event()
            if type(event) is _ScalarEvent:
                mapping[key] = _plain_scalar(event, loader)
            else:
                mapping[key] = _plain_node(event, get_event, loader, depth + 1)
    if kind is yaml.SequenceStartEvent and event.tag in (None, "!", _SEQ):
        sequence: list[Any] = []
        while True:
            event = get_event()
            if type(event) is _ScalarEvent:
                sequence.append(_plain_scalar(event, loader))
            elif type(event) is yaml.SequenceEndEvent:
                return sequence
            else:
                sequence.append(_plain_node(event, get_event, loader, depth + 1))
    raise _NotPlain  # an alias, or a tag on a collection


def _resolve(loader: Any, raw: str, implicit: tuple[bool, bool]) -> str:
    tag: str = loader.resolve(yaml.ScalarNode, raw, implicit)
    if len(_RESOLVED) < 4096:
        _RESOLVED[raw] = tag
    return tag


def _prescan(text: str, name: str) -> None:
    """Refuse anchors, aliases and deep nesting from the parse events, before anything is built.

    The events come from libyaml's state machine, which does not recurse: block
    nesting such as `- - - - x` 100000 deep would crash the (recursive) composer.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else None
                    raise UserError([Problem(f"nested more than {MAX_DEPTH} levels deep; refused", name, line)])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                mark = event.start_mark
                kind = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
                raise UserError(
                    [
                        Problem(
                            f"YAML {kind}s (&name / *name) are not allowed; write the value out",
                            name,
                            mark.line + 1 if mark else None,
                            mark.column + 1 if mark else None,
                        )
                    ]
                )
    except yaml.YAMLError as exc:
        raise UserError([_yaml_problem(exc, name, text)]) from None


def _invalid_scalar(loader: Any, node: yaml.Node, name: str) -> Problem:
    """Locate the first scalar that YAML cannot build (a date like 2024-02-30, `!!int abc`)."""
    loader.constructed_objects = {}
    loader.recursive_objects = {}
    stack: list[tuple[yaml.Node, Loc]] = [(node, ())]
    while stack:
        current, loc = stack.pop()
        if isinstance(current, yaml.MappingNode):
            for key, value in reversed(current.value):
                shown = shown_key(key.value) if isinstance(key, yaml.ScalarNode) else "?"
                stack += [(value, (*loc, shown)), (key, loc)]
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, (*loc, str(n))) for n, item in reversed(list(enumerate(current.value))))
        else:
            try:
                loader.construct_object(current)
            except (ValueError, TypeError, OverflowError, yaml.YAMLError):
                mark = current.start_mark
                if current.tag.endswith(":timestamp"):
                    # matched YAML's date pattern, so it is digits and dashes, never free text
                    from .dates import ACCEPTED

                    message = f"`{current.value[:40]}` is not a real date: write it as {ACCEPTED}"
                else:
                    message = "a value YAML cannot read as its type (e.g. `!!int` on text)"
                return Problem(message, name, mark.line + 1, mark.column + 1, format_loc(loc) or None)
    return Problem("a value YAML cannot read", name)


def _walk(node: yaml.Node, loc: Loc, doc: Document, depth: int, seen: set[int]) -> None:
    if depth > MAX_DEPTH:
        raise UserError(f"nested more than {MAX_DEPTH} levels deep; refused", file=doc.name)
    if id(node) in seen:
        mark = node.start_mark
        raise UserError([Problem("YAML aliases are not allowed", doc.name, mark.line + 1, mark.column + 1)])
    seen.add(id(node))
    if node.tag in _NOT_JSON_TAGS:
        # !!binary would turn into text (an id from base64), !!set or !!omap into data no format has
        mark = node.start_mark
        kind = node.tag.removeprefix("tag:yaml.org,2002:")
        tag = f"!!{kind}"
        raise UserError(
            [
                Problem(
                    f"YAML value not allowed: {tag} (write plain text, numbers, lists and mappings)",
                    doc.name,
                    mark.line + 1,
                    mark.column + 1,
                    format_loc(loc) or None,
                )
            ]
        )
    if isinstance(node, yaml.MappingNode):
        keys: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                mark = key_node.start_mark
                raise UserError([Problem("a key must be plain text", doc.name, mark.line + 1, mark.column + 1)])
            key = key_node.value
            if key == "<<":
                mark = key_node.start_mark
                raise UserError([Problem("YAML merge keys (<<) are not allowed", doc.name, mark.line + 1)])
            if key in keys:
                mark = key_node.start_mark
                first = keys[key].start_mark.line + 1
                raise UserError(
                    [
                        Problem(
                            f"duplicate key {shown_key(key)!r} (first given on line {first})",
                            doc.name,
                            mark.line + 1,
                            mark.column + 1,
                            format_loc(loc) or None,
                        )
                    ]
                )
            keys[key] = key_node
            child = (*loc, key)
            mark = key_node.start_mark
            raw = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
            doc.marks[child] = (mark.line + 1, mark.column + 1, raw)
            _walk(value_node, child, doc, depth + 1, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*loc, str(index))
            mark = item.start_mark
            raw = item.value if isinstance(item, yaml.ScalarNode) else None
            doc.marks[child] = (mark.line + 1, mark.column + 1, raw)
            _walk(item, child, doc, depth + 1, seen)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {shown_key(key)!r}")
        result[key] = value
    return result


def _refuse_constant(value: str) -> Any:
    raise ValueError(f"{value} is not a number JSON allows")


# Records are hashed as RFC 8785 JSON, which holds integers up to 2**53 - 1 and finite numbers only.
_JSON_SAFE_INT = 2**53 - 1


def _json_int(text: str) -> int:
    if len(text) > 20 or abs(value := int(text)) > _JSON_SAFE_INT:
        raise ValueError("a number is too large")
    return value


def _json_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("a number is too large")
    return value


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _check_json_text(data: Any) -> None:
    # json accepts escaped lone surrogates ("\ud800"), which no UTF-8 file can hold
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            value.encode("utf-8")
        elif isinstance(value, dict):
            stack.extend(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


#: A JSON string, or an unclosed one to the end (possessive: linear on any input).
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+"?', re.DOTALL)


def parse_json(data: bytes, name: str) -> Document:
    """Parse JSON strictly: no duplicate keys, no NaN/Infinity, bounded nesting."""
    _check_flow_depth(data, name, _JSON_STRING)
    text = decode(data, name)
    if not text.strip():
        raise UserError("file is empty", file=name)
    try:
        parsed = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_refuse_constant,
            parse_int=_json_int,
            parse_float=_json_float,
        )
        if _SURROGATE_ESCAPE.search(text):  # only an escape can put one in: skip the walk when there is none
            _check_json_text(parsed)
    except json.JSONDecodeError as exc:
        raise UserError([Problem(f"JSON syntax error: {exc.msg}", name, exc.lineno, exc.colno)]) from None
    except UnicodeEncodeError:
        raise UserError("invalid JSON: text holds an escaped lone surrogate (\\ud800-\\udfff)", file=name) from None
    except (ValueError, RecursionError) as exc:
        raise UserError(f"invalid JSON: {exc}", file=name) from None
    return Document(parsed, name, raw=data, unlocated=True)


def read_document(path: Path, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read a YAML or JSON file (by content: JSON if it starts with `{`)."""
    data = read_bytes(path, max_bytes=max_bytes)
    name = display_name(path)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and path.suffix == ".json":
        return parse_json(data, name)
    return parse_yaml(data, name)


_KEY_SHOWN = re.compile(r"[\w.@/+-]{1,64}")


def shown_key(key: object) -> str:
    """A key as messages may show it: an id-like key as is; anything else (it may be free text
    typed in the wrong place, such as evidence written as a key) is not echoed."""
    text = str(key)
    return text if _KEY_SHOWN.fullmatch(text) else "<text key>"


def format_loc(loc: Sequence[object]) -> str:
    """('domains', 1, 'items', 3, 'anchors') -> 'domains[1].items[3].anchors'."""
    out = ""
    for part in loc:
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
            out += f"[{part}]"
        else:
            out += f".{shown_key(part)}" if out else shown_key(part)
    return out


_YAML_RETYPED = {bool: "true/false", int: "a number", float: "a number", dt.date: "a date"}


def _field_path(loc: Sequence[object]) -> Loc:
    """A pydantic error location as the path of keys in the file.

    Pydantic adds steps that are not keys: validator names (`function-after[...]`),
    `[key]` for an invalid dict key, and a discriminated union's tag, which
    repeats the key that follows it (`when.item.item.at_least`).
    """
    out: list[str] = []
    for part in loc:
        text = str(part)
        if text.startswith("function-") or text == "[key]":
            continue
        if out and isinstance(part, str) and text == out[-1]:
            continue
        out.append(text)
    return tuple(out)


def _numeric_text(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def validation_problems(exc: ValidationError, doc: Document, prefix: Loc = ()) -> list[Problem]:
    """Turn a pydantic error into located problems, never echoing the input value."""
    problems = []
    for error in exc.errors(include_input=True, include_url=False):
        loc = (*prefix, *_field_path(error["loc"]))
        message = error["msg"]
        kind = error["type"]
        value = error.get("input")
        if "[key]" in error["loc"]:
            message = f"invalid key: {message}"
        if kind == "extra_forbidden":
            message = "unknown key (check the spelling against the format)"
        elif kind == "missing":
            message = "required but missing"
        elif kind == "string_type" and value is None:
            # YAML reads nothing, `~` and `null` as no value at all
            message = "empty: give a value, or leave the key out where it is optional"
            if "[key]" in error["loc"]:
                message = "a key YAML reads as no value (null or ~): write the key as text"
                if loc and loc[-1] == "None":  # pydantic names the key by str(None)
                    loc = (*loc[:-1], "null")
        elif kind == "string_type" and type(value) in _YAML_RETYPED:
            raw = doc.raw_scalar(loc)
            seen = f" `{raw}`" if raw is not None and len(raw) < 20 else ""
            message = f"expected text, but YAML read{seen} as {_YAML_RETYPED[type(value)]}; put the value in quotes"
        elif kind in ("int_type", "float_type") and type(value) in _YAML_RETYPED:
            raw = doc.raw_scalar(loc)
            seen = f" `{raw}`" if raw is not None and len(raw) < 20 else ""
            wanted = "a whole number" if kind == "int_type" else "a number"
            message = f"expected {wanted}, but YAML read{seen} as {_YAML_RETYPED[type(value)]}"
        elif kind in ("int_type", "float_type") and isinstance(value, str) and _numeric_text(value):
            # `"2"` in quotes, or `4e0`, which YAML 1.1 reads as text (it wants a dot: 4.0e0)
            raw = doc.raw_scalar(loc)
            seen = f"`{raw}`" if raw is not None and len(raw) < 20 else "it"
            wanted = "a whole number" if kind == "int_type" else "a number"
            message = (
                f"expected {wanted}, but {seen} is read as text: write a plain number (2, 0.5), "
                "not in quotes and with no exponent (5e-1)"
            )
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            # pydantic's words name the model class ("instance of CaseInfo"): say what the file must hold
            message = f"expected a mapping of keys (key: value), not {_shape(value)}"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        problems.append(doc.problem(message, loc))
    return problems


def _shape(value: object) -> str:
    """What YAML read, in words a message may show (never the value itself)."""
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    if isinstance(value, str):
        return "text"
    return f"a single value (YAML read {_YAML_RETYPED.get(type(value), 'a value')})"


def as_mapping(doc: Document, what: str) -> Mapping[str, Any]:
    if not isinstance(doc.data, dict):
        raise UserError(f"expected a mapping of keys at the top of the {what}", file=doc.name)
    return doc.data
