"""Characters that can take over a terminal: refused in what people type, shown escaped in what we print.

A record's hash proves it was not changed after sealing, not that its author meant well, so
every string from a file is untrusted when shown. Unsafe are the C0 controls (ESC among them),
DEL, the C1 controls (U+0080-U+009F: a terminal may read U+009B as the start of a sequence)
and the Unicode bidi embeddings, overrides and isolates, which reorder the rest of a line.
Tab and newline are ordinary in multi-line notes. This module imports nothing heavy: errors
and every renderer use it.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # not at run time: the quick `history` path imports this module, and no typing or re
    from typing import Any, TypeVar

    T = TypeVar("T")

#: The unsafe code points: C0 but tab and newline, DEL, C1, bidi embeddings, overrides and isolates.
_UNSAFE = (*range(0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))
#: How `visible` shows each (a `str.translate` table: no regular expressions needed).
_SHOWN = {code: (f"<U+{code:04X}>" if code > 0xFF else f"\\x{code:02x}") for code in _UNSAFE}
#: What `json.dumps` leaves raw (it escapes C0 itself), as JSON escapes.
_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in _UNSAFE if code >= 0x7F}
#: In JSON text: an unsafe character, raw or escaped (`\\u001b`, `\\b`, `\\f`, `\\r`; an escaped
#: backslash before b, f or r matches too, which only costs a closer look).
_MAYBE_UNSAFE_JSON = "[\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\\\\(?:u00[01]|[bfr])"

_NAMES = {"\x00": "NUL", "\x07": "BEL", "\x08": "backspace", "\r": "carriage return", "\x1b": "ESC", "\x7f": "DEL"}


def visible(text: str) -> str:
    """`text` with every unsafe character shown instead of obeyed: controls as `\\x1b`, bidi
    controls as `<U+202E>`. Tab and newline are kept. Safe text comes back unchanged."""
    return text.translate(_SHOWN)


def visible_data(value: T) -> T:
    """A copy of a view (dataclasses, pydantic models, lists, dicts) with `visible` applied to every
    string in it, keys included: what a renderer does first with what it is given to show.
    A pydantic model with nothing to escape (the usual case) comes back as it is, uncopied."""
    dump_json = getattr(value, "model_dump_json", None)
    if dump_json is not None:
        import re

        try:
            if not re.search(_MAYBE_UNSAFE_JSON, dump_json()):
                return value
        except ValueError:  # not JSON-ready: look at every string instead
            pass
    return _visible_data(value)  # type: ignore[no-any-return]


def _visible_data(value: Any) -> Any:
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, list | tuple):
        items = [_visible_data(v) for v in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {_visible_data(k): _visible_data(v) for k, v in value.items()}
    import dataclasses  # here: the quick `history` path imports this module and never needs it

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _visible_data(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    fields = getattr(type(value), "model_fields", None)  # a pydantic model (not imported here: this module is light)
    if isinstance(fields, dict):
        return value.model_copy(update={name: _visible_data(getattr(value, name)) for name in fields})
    return value


def json_safe(dumped: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with DEL, C1 and bidi controls
    written as `\\u` escapes: the same data, nothing a terminal would act on."""
    return dumped.translate(_JSON_ESCAPES)


def unsafe_reason(text: str, *, multiline: bool = True) -> str | None:
    """Why `text` is refused as typed or written input, or None when it is fine.

    The message names the character and its position, never the text around it.
    """
    if text.isprintable():  # quick: every unsafe character, tab and line break is unprintable (most text)
        return None
    if text.translate(_SHOWN) == text and (multiline or ("\n" not in text and "\t" not in text)):
        return None
    at, char = next((n, c) for n, c in enumerate(text) if ord(c) in _SHOWN or (not multiline and c in "\n\t"))
    where = f"character {at + 1}"
    if char in "\n\t":
        kind = "a line break" if char == "\n" else "a tab"
        return f"{kind} at {where}: keep this on one line"
    code = ord(char)
    if code > 0xFF:
        import unicodedata

        name = f"the bidi control U+{code:04X} ({unicodedata.name(char).lower()})"
    else:
        name = f"the control character U+{code:04X}" + (f" ({_NAMES[char]})" if char in _NAMES else "")
    return f"{name} at {where}: control characters, terminal escapes and bidi overrides are not allowed"


def check_note(text: str) -> str:
    """Multi-line text (tab and newline allowed), for pydantic validators: ValueError when unsafe."""
    reason = unsafe_reason(text)
    if reason:
        raise ValueError(reason)
    return text


def check_line(text: str) -> str:
    """One-line text (no tab or line break either), for pydantic validators: ValueError when unsafe."""
    reason = unsafe_reason(text, multiline=False)
    if reason:
        raise ValueError(reason)
    return text


def screen_width(stream: Any = None) -> int:
    """How wide to lay text out: COLUMNS when set (40 or more), else the terminal's width, else 80."""
    import os
    import sys

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= 40:
        return int(columns)
    stream = stream or sys.stdout
    try:
        if stream.isatty():
            return max(os.get_terminal_size(stream.fileno()).columns, 40)
    except (AttributeError, OSError, ValueError):
        pass
    return 80


def wrap(text: str, width: int, first: str = "", later: str | None = None) -> list[str]:
    """Words of `text` in lines of at most `width` characters, the first after `first`, the rest after
    `later` (its width in spaces by default). A word longer than a line (a path, a URL) is never
    broken: it runs on alone. Line breaks in `text` are kept."""
    later = " " * len(first) if later is None else later
    out: list[str] = []
    for paragraph in text.split("\n"):
        if len(first if not out else later) + len(paragraph) <= width:  # fits: spacing kept as it is
            out.append(((first if not out else later) + paragraph).rstrip())
            continue
        line = first if not out else later
        start = len(line)
        for word in paragraph.split():
            if len(line) > start and len(line) + 1 + len(word) > width:
                out.append(line)
                line = later
                start = len(line)
            line += (" " if len(line) > start else "") + word
        out.append(line.rstrip() if len(line) > start else line.rstrip())
    return out
