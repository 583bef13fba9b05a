"""The package's modules import each other without a cycle (imports inside functions count too).

A cycle is how layers rot: `interview` importing the `assess` command, or tool discovery living in the
YAML reader that `definition` needs. Each module here is read as text (ast); nothing is run.

The layers (ARCHITECTURE.md) run from the command line down to parsing; a module imports only from its
own layer or a lower one, never upward.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "neglect_cli"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The package modules `path` imports, wherever the import statement stands."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(max(node.level - 1, 0)):
                base = base.rsplit(".", 1)[0]
            target = f"{base}.{node.module}" if node.level and node.module else (node.module or base)
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in modules else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in modules and m != name}


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports_of(p, modules) for p in paths}


#: Top to bottom. A module (or a package, for all its modules) belongs to the first layer naming it.
LAYERS: list[tuple[str, set[str]]] = [
    ("command line and Python API", {"__main__", "cli", "commands", "api"}),
    ("walk, reports, bulk scoring", {"interview", "render", "bulk", "quickscore", "saving"}),
    (
        "records and what is built from them",
        {
            "answers",
            "record",
            "plans",
            "signoff",
            "plandrift",
            "world",
            "drafts",
            "assessments",
            "diffing",
            "trending",
            "recordstore",
            "caseload",
            "historyview",
            "quickhistory",
            "chronology",
            "family",
        },
    ),
    ("scoring and finding tools", {"scoring", "toolfiles", "expectations"}),
    ("the tool format", {"definition", "lineage"}),
    (
        "parsing, files, text and errors",
        {
            "loading",
            "errors",
            "text",
            "clock",
            "output",
            "store",
            "storeinfo",
            "signals",
            "crash",
            "dates",
            "filekinds",
            "placeholders",
            "version",
            "neglect_cli",
        },
    ),
]


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else parts[0]
    return next((i for i, (_, names) in enumerate(LAYERS) if name in names), None)


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(m for m in import_graph() if layer_of(m) is None)
    assert unplaced == [], f"add these modules to LAYERS (and ARCHITECTURE.md): {unplaced}"


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    graph = import_graph()
    # the package's face hands on the Python API when it is first used (`neglect_cli.score`, ...)
    graph["neglect_cli"] -= {"neglect_cli.api"}
    upward = [
        f"{module} ({LAYERS[layer_of(module) or 0][0]}) imports {target} ({LAYERS[layer_of(target) or 0][0]})"
        for module, targets in graph.items()
        for target in sorted(targets)
        if layer_of(module) is not None and layer_of(target) is not None and layer_of(target) < layer_of(module)  # type: ignore[operator]
    ]
    assert upward == [], "upward imports: " + "; ".join(upward)


def test_no_module_of_the_package_imports_one_that_imports_it_back() -> None:
    graph = import_graph()
    # a package's __init__ importing its own submodules is how packages work, not a cycle between layers
    graph = {m: {t for t in targets if not t.startswith(m + ".")} for m, targets in graph.items()}

    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)
