"""The import rules of the plugin guide, read from the source (``ast``: nothing is imported).

* core imports neither web, cli nor plugins; web and cli import no plugin.
* A plugin imports core, the public helpers of web and cli (``WEB_HELPERS``,
  ``CLI_HELPERS``) and, of another plugin, only its ``api`` — and only of a
  plugin it declares in ``PluginInfo`` (``requires`` or ``optional``).
* An optional partner's ``api`` is imported only from ``partners.py``, and
  lazily (inside a function), so the plugin imports and works without it.
* No import cycle among one plugin's modules (function-level imports count;
  a package importing its own submodules is wiring, not an edge).

``check(root)`` returns one line per violation, ``path:line: what``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

__all__ = ["check", "WEB_HELPERS", "CLI_HELPERS"]

# What a plugin may use of the edges: their public helper modules.
WEB_HELPERS = frozenset({"access", "auth", "charts", "context", "forms", "i18n", "lists"})
CLI_HELPERS = frozenset({"context", "params"})


class _Import(NamedTuple):
    module: str  # the module named, resolved ("from plugins.wms import api" also yields "plugins.wms.api")
    line: int
    lazy: bool  # inside a function
    alias: bool = False  # a name imported from ``module``: a module itself, or only an object


def check(root: Path, plugins_dir: Path | None = None) -> list[str]:
    """Every violation in the tree at ``root`` (and in the plugin packages under ``plugins_dir``,
    by default ``root/plugins``), as ``path:line: what``."""
    root = root.resolve()
    plugins_dir = (plugins_dir or root / "plugins").resolve()
    declared = {p.name: _declared(p) for p in sorted(plugins_dir.iterdir())
                if p.is_dir() and (p / "__init__.py").exists()}
    problems: list[str] = []
    edges: dict[str, set[str]] = {}
    modules = dict(_modules(root, plugins_dir))
    for name, path in modules.items():
        where = path.relative_to(root) if path.is_relative_to(root) else path
        area = name.split(".")[0]
        mine = name.split(".")[1] if area == "plugins" and "." in name else None
        for found in _imports(path, name):
            parts = found.module.split(".")
            if found.alias and len(parts) > 3:
                if mine and parts[:2] == ["plugins", mine]:
                    edges.setdefault(name, set()).add(found.module)  # maybe a submodule of a subpackage
                continue  # an object from a module already checked
            at = f"{where}:{found.line}"
            if (area == "core" and parts[0] in ("web", "cli", "plugins")) or \
                    (area in ("web", "cli") and parts[0] == "plugins"):
                problems.append(f"{at}: {area} imports {found.module}")
            elif mine and parts[0] in ("web", "cli") and len(parts) > 1:
                helpers = WEB_HELPERS if parts[0] == "web" else CLI_HELPERS
                if parts[1] not in helpers:
                    problems.append(f"{at}: {mine} imports {found.module}, not a public helper of "
                                    f"{parts[0]} ({', '.join(sorted(helpers))})")
            elif mine and parts[0] == "plugins" and len(parts) > 1:
                other = parts[1]
                if other == mine:
                    edges.setdefault(name, set()).add(found.module)
                    continue
                problems += _partner_problem(at, path, mine, other, parts, found, declared.get(mine))
    problems = _first_per_line(problems)
    problems += [f"import cycle in {cycle[0].split('.')[1]}: {' -> '.join(cycle)}"
                 for cycle in _cycles(edges, modules)]
    return problems


def _first_per_line(problems: list[str]) -> list[str]:
    """One problem per import statement (``from web.admin import a, b`` is one violation)."""
    seen: dict[str, str] = {}
    for problem in problems:
        seen.setdefault(problem.split(": ", 1)[0], problem)
    return list(seen.values())


def _partner_problem(at: str, path: Path, mine: str, other: str, parts: list[str], found: _Import,
                     declared: tuple[set[str], set[str]] | None) -> list[str]:
    if len(parts) == 2:
        return []  # "from plugins.x import api" is checked by its ".api" name
    if parts[2] != "api":
        return [
            f"{at}: {mine} imports {found.module}, an internal module of {other} (only its api is public)"
        ]
    requires, optional = declared or (set(), set())
    if other in requires:
        return []
    if other not in optional:
        return [f"{at}: {mine} imports {other}'s api but neither requires it nor names it optional"]
    if path.stem != "partners" and path.parent.name != "partners":
        return [f"{at}: {mine} uses its optional partner {other} outside partners.py"]
    if not found.lazy:
        return [f"{at}: {mine} imports its optional partner {other} at module level (import it inside "
                f"the function that needs it)"]
    return []


def _modules(root: Path, plugins_dir: Path) -> Iterator[tuple[str, Path]]:
    for area in ("core", "web", "cli"):
        for path in sorted((root / area).rglob("*.py")):
            yield _name(path, root), path
    for path in sorted(plugins_dir.rglob("*.py")):
        if "migrations" not in path.relative_to(plugins_dir).parts:
            yield "plugins." + _name(path, plugins_dir), path


def _name(path: Path, base: Path) -> str:
    parts = list(path.relative_to(base).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, name: str) -> Iterator[_Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    lazy_nodes = {id(node) for fn in ast.walk(tree) if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
                  for node in ast.walk(fn)}
    for node in ast.walk(tree):
        lazy = id(node) in lazy_nodes
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield _Import(alias.name, node.lineno, lazy)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield _Import(module, node.lineno, lazy)
            for alias in node.names:  # "from plugins.wms import api" imports a module too
                yield _Import(f"{module}.{alias.name}", node.lineno, lazy, alias=True)


def _declared(package: Path) -> tuple[set[str], set[str]]:
    """``requires`` and ``optional`` of the package's ``PluginInfo(...)``."""
    requires: set[str] = set()
    optional: set[str] = set()
    for node in ast.walk(ast.parse((package / "__init__.py").read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) == "PluginInfo"
        ):
            for keyword in node.keywords:
                if keyword.arg in ("requires", "optional") and isinstance(
                    keyword.value, (ast.Tuple, ast.List)
                ):
                    names = {e.value for e in keyword.value.elts if isinstance(e, ast.Constant)}
                    (requires if keyword.arg == "requires" else optional).update(names)
    return requires, optional


def _cycles(graph: dict[str, set[str]], modules: dict[str, Path]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    packages = {name for name, path in modules.items() if path.name == "__init__.py"}
    edges = {m: sorted(t for t in targets if t in modules and t != m
                       and not (m in packages and t.startswith(m + ".")))
             for m, targets in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(edges.get(start, ())))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, ()))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found
