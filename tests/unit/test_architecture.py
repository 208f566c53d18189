"""The house rules anyone can check: SQL only under db/, small modules, no import cycles, a pure core."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "stations"
SQL_HOMES = ("db", "migrations")
MAX_LINES = 300
PURE = ("geo", "hours", "divisions")
WEB_OR_DRIVER = ("fastapi", "starlette", "asyncpg", "psycopg", "sqlalchemy", "uvicorn")


def modules() -> Iterator[tuple[str, Path]]:
    """Every module of the package as (dotted name, path), migrations' revisions excepted."""
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        if "versions" in relative.parts:
            continue
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        yield ".".join(parts), path


def imports_of(name: str, path: Path) -> set[str]:
    """The modules `name` imports, absolute, at module level or inside functions alike."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_sql_lives_only_under_db() -> None:
    """`grep -rn "select\\|SELECT" stations --include=*.py` finds SQL only under stations/db/ (and migrations)."""
    offenders = []
    for name, path in modules():
        if name.split(".")[1:2] and name.split(".")[1] in SQL_HOMES:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"select|SELECT", line):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert offenders == []


def test_no_module_is_over_300_lines() -> None:
    long = {str(path.relative_to(PACKAGE.parent)): n for _, path in modules()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_the_core_imports_neither_the_web_framework_nor_a_driver() -> None:
    """geo/, hours/ and divisions/ (and everything they import from us) stay pure."""
    graph = {name: imports_of(name, path) for name, path in modules()}
    for core in PURE:
        seen, todo = set(), [n for n in graph if n == f"stations.{core}" or n.startswith(f"stations.{core}.")]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for imported in graph.get(current, ()):
                assert not imported.startswith(WEB_OR_DRIVER), f"{current} imports {imported}"
                if imported in graph:
                    todo.append(imported)


def test_no_import_cycles() -> None:
    """Between modules of the package, counting every import (deferred ones too)."""
    graph = {name: {i for i in imports_of(name, path) if i.startswith("stations")} for name, path in modules()}
    names = set(graph)
    # `from stations.x import y` may name a module (stations.x.y) or an attribute of stations.x: keep what exists.
    edges = {name: {i for i in imported if i in names and i != name} for name, imported in graph.items()}
    # A package's __init__ importing its own modules is how a package presents itself, not a cycle.
    for name in edges:
        edges[name] = {i for i in edges[name] if not (i.startswith(name + ".") and _is_package(name))}
    cycles = _cycles(edges)
    assert cycles == []


def _is_package(name: str) -> bool:
    return (PACKAGE.parent / Path(*name.split(".")) / "__init__.py").exists()


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found
