"""The package's shape: no import cycles, and imports point down the flow (docs/ARCHITECTURE.md).

Walks every module under src/newsledger with ``ast`` (no import side effects), counting imports
inside functions too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "newsledger"

# Layers in the order data flows; a module may import its own layer and the ones before it.
LAYERS = ["core", "read", "article", "analysis", "pipeline", "ledger", "scale", "serve", "cli"]
CORE = {"newsledger", "newsledger.record", "newsledger.data", "newsledger.limits", "newsledger.validate"}


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PKG.rglob("*.py")}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The newsledger modules ``name`` imports (``from newsledger.x import y`` counts y when it is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("newsledger"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith("newsledger"):
                continue
            for a in node.names:
                sub = f"{mod}.{a.name}"
                out.add(sub if sub in known else mod)
    out.discard(name)
    return {m for m in out if m in known}


@functools.cache
def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def layer(name: str) -> str:
    if name in CORE or name.startswith("newsledger.data"):
        return "core"
    part = name.split(".")[1]
    return part if part in LAYERS else "?"


def find_cycle(g: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None (iterative DFS, white/grey/black)."""
    colour = dict.fromkeys(g, 0)
    for start in sorted(g):
        if colour[start]:
            continue
        stack = [(start, iter(sorted(g[start])))]
        path = [start]
        colour[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                colour[node] = 2
                stack.pop()
                path.pop()
            elif colour[nxt] == 1:
                return path[path.index(nxt):] + [nxt]
            elif colour[nxt] == 0:
                colour[nxt] = 1
                stack.append((nxt, iter(sorted(g[nxt]))))
                path.append(nxt)
    return None


def test_find_cycle_sees_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycles() -> None:
    assert find_cycle(graph()) is None


def test_every_module_sits_in_a_layer() -> None:
    assert [m for m in graph() if layer(m) == "?"] == []


@pytest.mark.parametrize("name", sorted(modules()))
def test_imports_point_down_the_flow(name: str) -> None:
    g = graph()
    mine = LAYERS.index(layer(name)) if layer(name) in LAYERS else len(LAYERS)
    upward = [m for m in g[name] if layer(m) in LAYERS and LAYERS.index(layer(m)) > mine]
    assert upward == [], f"{name} imports {upward} from a later layer"
