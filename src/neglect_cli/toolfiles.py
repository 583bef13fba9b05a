"""Finding and loading tool files: shipped in the package, replaced versions kept for old records,
folders on NEGLECT_TOOLS_PATH, and paths. Reading and parsing the bytes is `loading`'s; what a tool
is, `definition`'s."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Problem, UserError
from .filekinds import check_kind
from .loading import TOOLS_PATH_ENV, display_name, parse_yaml, read_bytes, shown_key

if TYPE_CHECKING:
    from .definition import Tool


@dataclass(frozen=True, slots=True)
class ToolSource:
    """A tool as loaded: the model, where it came from and the sha256 of its bytes."""

    tool: Tool
    path: Path
    sha256: str
    shipped: bool

    @property
    def ref(self) -> str:
        return self.tool.ref


def shipped_definitions() -> Path:
    """The folder of shipped tools (inside the installed package, or the source tree)."""
    packaged = resources.files("neglect_cli") / "definitions"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "definitions"


def retired_definitions() -> Path:
    """Shipped tool versions that have been replaced: kept, byte for byte, so that records made with
    them still verify, report and diff; found only by their exact `id@version`, never offered."""
    return shipped_definitions() / "retired"


@cache
def load_tool_file(path: Path) -> ToolSource:
    """Load and fully validate one tool file; raises UserError listing every problem."""
    import hashlib

    from .definition import tool_from_document

    doc = parse_yaml(read_bytes(path), display_name(path))
    check_kind(doc, "tool")  # an answers file or a record given as a tool is named as what it is
    tool = tool_from_document(doc)  # text fields refuse unsafe characters, every problem at once
    shipped = path.parent in (shipped_definitions(), retired_definitions())
    return ToolSource(tool, path, hashlib.sha256(doc.raw).hexdigest(), shipped)


def tool_file(path: Path) -> ToolSource:
    """Load a tool file named by path, its links resolved; a loop of links is a UserError."""
    try:
        resolved = path.resolve()
        if not resolved.exists() and path.exists():  # `<(…)` gives /dev/fd/N: a link to a pipe, not to a file
            resolved = path.parent.resolve() / path.name
    except (RuntimeError, OSError):  # a symbolic link loop (RuntimeError before Python 3.13)
        raise UserError("is a symbolic link that loops back on itself", file=str(path)) from None
    return load_tool_file(resolved)


def tool_search_dirs() -> list[Path]:
    dirs = [shipped_definitions()]
    for part in os.environ.get(TOOLS_PATH_ENV, "").split(os.pathsep):
        if part.strip():
            dirs.append(Path(part).expanduser())
    return dirs


def unusable_search_dirs() -> list[str]:
    """What is wrong with each NEGLECT_TOOLS_PATH entry that is not a folder (such an entry is passed over:
    `tools list` warns of it, and an unknown tool's error names it)."""
    out = []
    for folder in tool_search_dirs()[1:]:
        if folder.is_dir():
            continue
        if folder.exists():
            out.append(f"{TOOLS_PATH_ENV}: {folder} is a file, not a folder: give the folder that holds it")
        else:
            out.append(f"{TOOLS_PATH_ENV}: {folder}: no such folder")
    return out


def _candidate_files() -> Iterator[Path]:
    seen: set[Path] = set()  # a folder named twice (or the shipped one on the path) is not a duplicate tool
    for folder in tool_search_dirs():
        if folder.is_dir():
            for path in sorted(p for p in folder.glob("*.yaml") if p.is_file()):
                if path.resolve() not in seen:
                    seen.add(path.resolve())
                    yield path


@cache
def _discover() -> tuple[tuple[ToolSource, ...], tuple[Problem, ...]]:
    found: dict[tuple[str, str], ToolSource] = {}
    duplicates: list[Problem] = []
    skipped: list[Problem] = []
    for path in _candidate_files():
        try:
            source = load_tool_file(path.resolve())
        except UserError as exc:
            # One broken file on the search path must not stop every command: it is skipped
            # and named (`neglect tools list` warns; an unknown tool's error lists it).
            count = len(exc.problems)
            skipped.append(
                Problem(f"not a valid tool ({count} problem{'s' if count != 1 else ''}); skipped", str(path))
            )
            continue
        key = (source.tool.id, source.tool.version)
        if key in found:
            duplicates.append(
                Problem(
                    f"tool {source.ref} is defined twice: here and in {found[key].path}",
                    str(path),
                )
            )
            continue
        found[key] = source
    if duplicates:
        raise UserError(duplicates)
    return tuple(found.values()), tuple(skipped)


def discover_tools() -> tuple[ToolSource, ...]:
    """Every valid tool on the search path. Two files with the same id and version is an error."""
    return _discover()[0]


def clear_tool_cache() -> None:
    """Forget loaded tools (for a long-lived process or tests that change tool files)."""
    _discover.cache_clear()
    load_tool_file.cache_clear()


def skipped_tool_files() -> tuple[Problem, ...]:
    """Files on the search path that are not valid tools (check them with `neglect tools validate`)."""
    return _discover()[1]


def looks_like_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) or os.sep in name or "/" in name


def find_tool(name: str, base: Path | None = None) -> ToolSource:
    """A tool by `id`, `id@version` or path (relative to `base` when given)."""
    if looks_like_path(name):
        if "\x00" in name:  # a hand-built record's tool id, say: no file name holds a NUL
            raise UserError("no such file (a file name cannot hold a NUL)", file=display_name(name))
        path = Path(name).expanduser()
        if base is not None and not path.is_absolute():
            path = base / path
        return tool_file(path)
    tools = discover_tools()
    if _found_by_name[0] is not tools:  # the search path was read again: forget what was found
        _found_by_name[:] = [tools, {}]
    found: dict[str, ToolSource] = _found_by_name[1]
    if name in found:
        return found[name]
    found[name] = _newest(name, tools)
    return found[name]


# The tools last discovered, and what each name found in them: `score` asks once per file.
_found_by_name: list[Any] = [None, {}]


def _newest(name: str, tools: tuple[ToolSource, ...]) -> ToolSource:
    tool_id, _, version = name.partition("@")
    matches = [s for s in tools if s.tool.id == tool_id]
    if version:
        matches = [s for s in matches if s.tool.version == version] or _retired(tool_id, version)
    if not matches:
        known = ", ".join(sorted({s.ref for s in discover_tools()})) or "none"
        skipped = skipped_tool_files()
        if skipped:
            known += "; skipped as invalid: " + ", ".join(str(p.file) for p in skipped)
        unusable = "".join(f"; {why}" for why in unusable_search_dirs())
        raise UserError(f"unknown tool {shown_key(name)!r} (known: {known}){unusable}")
    return max(matches, key=lambda s: version_key(s.tool.version))


def _retired(tool_id: str, version: str) -> list[ToolSource]:
    """A replaced shipped version, by its exact id and version (see `retired_definitions`)."""
    folder = retired_definitions()
    if not folder.is_dir():
        return []
    for path in sorted(folder.glob("*.yaml")):
        try:
            source = load_tool_file(path.resolve())
        except UserError:
            continue
        if (source.tool.id, source.tool.version) == (tool_id, version):
            return [source]
    return []


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-+]", version))


def find_record_tool(tool_id: str, version: str) -> ToolSource | None:
    """The tool a record was made with (`tool.id`@`tool.version`), or None when it is not available here."""
    try:
        return find_tool(f"{tool_id}@{version}")
    except UserError:
        return None


def earlier_versions(source: ToolSource) -> list[ToolSource]:
    """Other versions of the same tool older than this one: on the search path, and shipped retired ones."""
    key = version_key(source.tool.version)
    found = {s.tool.version: s for s in discover_tools() if s.tool.id == source.tool.id}
    folder = retired_definitions()
    if folder.is_dir():
        for path in sorted(folder.glob("*.yaml")):
            try:
                retired = load_tool_file(path.resolve())
            except UserError:
                continue
            if retired.tool.id == source.tool.id:
                found.setdefault(retired.tool.version, retired)
    earlier = [s for version, s in found.items() if version_key(version) < key]
    return sorted(earlier, key=lambda s: version_key(s.tool.version))


def unknown_formerly(source: ToolSource) -> list[Problem]:
    """`formerly` ids that no earlier version of the tool found here ever had (a typo, or the wrong item).

    Nothing can be checked when no earlier version is found: the ids are then taken on trust.
    """
    earlier = earlier_versions(source)
    if not earlier:
        return []
    known = {item.id for s in earlier for item in s.tool.items()}
    versions = ", ".join(s.tool.version for s in earlier)
    problems: list[Problem] = []
    doc = None
    for d, domain in enumerate(source.tool.domains):
        for i, item in enumerate(domain.items):
            for k, old_id in enumerate(item.formerly or []):
                if old_id in known:
                    continue
                if doc is None:
                    doc = parse_yaml(read_bytes(source.path), display_name(source.path))
                problems.append(
                    doc.problem(
                        f"{old_id!r} is not an item of any earlier version of {source.tool.id} ({versions}); "
                        "formerly names the ids an item replaced",
                        ("domains", d, "items", i, "formerly", k),
                    )
                )
    return problems


def tool_warnings(source: ToolSource) -> list[Problem]:
    """What a valid tool should change, with the file's lines: where a worse rating could lower the level
    (`definition.lowering_floors`), and parts that can never take effect (`definition.idle_parts`)."""
    from .definition import idle_parts, lowering_floors

    found = lowering_floors(source.tool) + idle_parts(source.tool)
    if not found:
        return []
    doc = parse_yaml(read_bytes(source.path), display_name(source.path))
    return [doc.problem(message, loc) for loc, message in found]
