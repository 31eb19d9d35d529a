"""The import rules of docs/architecture.md: analyzers/ imports nothing from model/ or server/,
model/ nothing from server/, no module over 600 lines, and no import cycle among hasten's modules.

Imports are read from the source with ``ast``: every ``import`` statement at any depth, also the
ones inside functions (a lazy import is still a dependency), but not those under ``if
TYPE_CHECKING:``, which never run (annotations may name a type of a higher module)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {"analyzers": "hasten.analyzers", "model": "hasten.model", "server": "hasten.server"}
MAX_LINES = 600
# Split by their own change; until then they are the exceptions to the size limit.
TOO_LONG_FOR_NOW = {"analyzers/syntax.py", "analyzers/metrics.py"}


def modules() -> dict[str, Path]:
    """Module name -> file, for every module of the three packages."""
    found = {}
    for folder, package in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([package, *parts])] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The hasten modules ``name`` imports (a package's ``__init__`` counts for its package)."""
    is_package = path.name == "__init__.py"
    out = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


GRAPH = {name: imports_of(name, path, set(modules())) for name, path in modules().items()}


def _layer(name: str) -> str:
    return name.split(".")[1]


@pytest.mark.parametrize(
    "layer,forbidden",
    [("analyzers", {"model", "server"}), ("model", {"server"})],
)
def test_lower_layers_do_not_import_higher_ones(layer, forbidden):
    bad = sorted(
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if _layer(name) == layer
        for target in targets
        if _layer(target) in forbidden
    )
    assert not bad, "\n".join(bad)


def test_no_import_cycle():
    # Packages' __init__ modules are left out: importing a submodule runs its package's
    # __init__, which is not a dependency of the submodule's code.
    graph = {
        name: {t for t in targets if not _is_package(t)}
        for name, targets in GRAPH.items()
        if not _is_package(name)
    }
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            assert cycle is None, "import cycle: " + " -> ".join(cycle)


def _is_package(name: str) -> bool:
    return modules()[name].name == "__init__.py"


def test_no_module_is_over_the_size_limit():
    long = sorted(
        f"{path.relative_to(ROOT).as_posix()}: {n} lines"
        for path in modules().values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and path.relative_to(ROOT).as_posix() not in TOO_LONG_FOR_NOW
    )
    assert not long, "\n".join(long)
