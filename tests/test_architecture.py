"""The package's shape, checked from its source: no import circle, and only the site engine adapter imports mkdocs.

Imports are read with ``ast`` (those inside functions included), so a circle hidden in a lazy import counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "build_tools"
ADAPTER = "build_tools.mkdocs_plugin"
ENGINES = {"mkdocs", "properdocs", "material"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The modules ``path`` imports: ours as module names (a name imported from a package counts as its module if
    it is one), others as their top-level package."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in modules else base)
    return {m if m in modules else m.split(".")[0] for m in found}


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(files)
    return {name: _imports(path, modules) for name, path in files.items()}


def test_no_import_circle() -> None:
    graph = _graph()
    ours = {name: {m for m in deps if m in graph and m != name} for name, deps in graph.items()}
    # a package's __init__ importing its own modules is not a circle worth reporting
    circles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(ours[node]):
            if nxt.startswith(node + "."):
                continue
            if state.get(nxt) == "open":
                circles.append(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for start in sorted(ours):
        if start not in state:
            visit(start, [start])
    assert circles == []


def test_only_the_adapter_imports_the_site_engine() -> None:
    importers = sorted(name for name, deps in _graph().items() if deps & ENGINES and not name.startswith(ADAPTER))
    assert importers == []
