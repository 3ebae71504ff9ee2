"""Module boundaries of newsledger, checked from the source with ``ast``.

Every module of ``src/newsledger`` is parsed; every ``import`` and ``from ... import`` in it, at
module level and inside functions or classes, is read, relative imports resolved against the
module's package. From those the tests build the package's import graph and check:

- there is no import cycle between newsledger modules (a cycle broken by moving an import into a
  function still counts: it is a cycle of responsibility, not of load order);
- no module imports a private name (one starting with ``_``) from another newsledger module;
- evaluation and training code (``newsledger.evaluate``, ``newsledger.events.training``) is not in
  the runtime import path. The one allowed exception: ``newsledger.cli`` may import them *inside the
  function of the command that uses them* (``eval``, ``train``), so that ``newsledger ingest`` never
  loads them. Such a lazy edge is left out of the cycle graph because nothing at runtime follows it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "newsledger"

# Modules that only the commands using them may import (see the module docstring).
OFFLINE = ("newsledger.evaluate", "newsledger.events.training")
# The one module allowed to import OFFLINE modules, and only inside a function.
LAZY_IMPORTER = "newsledger.cli"


@dataclass(frozen=True)
class Import:
    """One imported module (and name, for ``from m import name``) at a line of a module."""

    importer: str
    module: str  # absolute dotted name of the module imported
    name: str | None  # the name imported from it, or None for ``import module``
    line: int
    in_function: bool


def module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _resolve(importer: str, is_package: bool, level: int, module: str | None) -> str:
    """The absolute module named by ``from <level dots><module> import ...`` in ``importer``."""
    if level == 0:
        return module or ""
    base = importer.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


class _Collector(ast.NodeVisitor):
    def __init__(self, importer: str, is_package: bool):
        self.importer = importer
        self.is_package = is_package
        self.depth = 0
        self.found: list[Import] = []

    def _scope(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _scope

    def visit_Import(self, node: ast.Import):
        for alias in node.names:
            self.found.append(Import(self.importer, alias.name, None, node.lineno, self.depth > 0))

    def visit_ImportFrom(self, node: ast.ImportFrom):
        module = _resolve(self.importer, self.is_package, node.level, node.module)
        for alias in node.names:
            self.found.append(Import(self.importer, module, alias.name, node.lineno, self.depth > 0))


def collect(src: Path = SRC) -> tuple[set[str], list[Import]]:
    """All newsledger modules under ``src`` and every import statement in them."""
    modules: set[str] = set()
    imports: list[Import] = []
    for path in sorted((src / PACKAGE).rglob("*.py")):
        name = module_name(path, src)
        modules.add(name)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        collector = _Collector(name, _is_package(path))
        collector.visit(tree)
        imports.extend(collector.found)
    return modules, imports


def _targets(imp: Import, modules: set[str]) -> list[str]:
    """The newsledger modules an import loads: ``from pkg import sub`` loads ``pkg.sub`` too."""
    if not (imp.module == PACKAGE or imp.module.startswith(PACKAGE + ".")):
        return []
    out = []
    if imp.name and f"{imp.module}.{imp.name}" in modules:
        out.append(f"{imp.module}.{imp.name}")
    elif imp.module in modules:
        out.append(imp.module)
    else:  # a module that does not exist: the nearest existing package
        parts = imp.module.split(".")
        while parts and ".".join(parts) not in modules:
            parts.pop()
        if parts:
            out.append(".".join(parts))
    return out


def _offline(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in OFFLINE)


def allowed_lazy(imp: Import, target: str) -> bool:
    """The one documented exception: cli imports evaluation/training inside a command function."""
    return imp.importer == LAZY_IMPORTER and imp.in_function and _offline(target)


def graph(modules: set[str], imports: list[Import]) -> dict[str, set[str]]:
    """importer -> newsledger modules it imports (the allowed lazy cli edges left out).

    A package's ``__init__`` is not counted as imported by its own submodules merely because
    Python loads it first; only an explicit import of the package makes an edge.
    """
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for imp in imports:
        for target in _targets(imp, modules):
            if target != imp.importer and not allowed_lazy(imp, target):
                edges[imp.importer].add(target)
    return edges


def find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a closed path) per strongly connected component with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    counter = 0

    def strongconnect(v: str):  # Tarjan, iterative over the successor lists
        nonlocal counter
        work = [(v, iter(sorted(edges[v])))]
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        while work:
            node, successors = work[-1]
            for w in successors:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                    break
                if w in on_stack:
                    low[node] = min(low[node], index[w])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.add(w)
                        if w == node:
                            break
                    if len(component) > 1:
                        components.append(component)

    for v in sorted(edges):
        if v not in index:
            strongconnect(v)

    cycles = []
    for component in components:
        start = min(component)
        # shortest path from start back to start within the component (BFS)
        previous: dict[str, str] = {}
        frontier = [start]
        found = None
        while frontier and found is None:
            nxt = []
            for node in frontier:
                for w in sorted(edges[node] & component):
                    if w == start:
                        found = node
                        break
                    if w not in previous:
                        previous[w] = node
                        nxt.append(w)
                if found is not None:
                    break
            frontier = nxt
        path = [found]
        while path[-1] != start:
            path.append(previous[path[-1]])
        path.reverse()
        cycles.append(path + [start])
    return sorted(cycles)


def _where(imports: list[Import], a: str, b: str, modules: set[str]) -> str:
    lines = [i.line for i in imports if i.importer == a and b in _targets(i, modules)]
    return f"{a}:{','.join(map(str, sorted(set(lines))))}"


@pytest.fixture(scope="module")
def package():
    return collect()


# --- the checker itself, on small packages written for the test ---------------------------------


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / PACKAGE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_checker_finds_a_cycle_hidden_in_a_function(tmp_path):
    src = _write(tmp_path, {
        "__init__.py": "",
        "a.py": "from .b import f\n",
        "sub/__init__.py": "",
        "b.py": "def f():\n    from newsledger import a\n",
        "c.py": "from . import a\n",
    })
    cycles = find_cycles(graph(*collect(src)))
    assert cycles == [["newsledger.a", "newsledger.b", "newsledger.a"]]


def test_checker_resolves_relative_imports_of_parent_packages(tmp_path):
    src = _write(tmp_path, {
        "__init__.py": "",
        "x/__init__.py": "from .y import g\n",
        "x/y.py": "from ..z import h\n",
        "z.py": "from .x import y\n",
    })
    modules, imports = collect(src)
    edges = graph(modules, imports)
    assert edges["newsledger.x.y"] == {"newsledger.z"}
    assert edges["newsledger.z"] == {"newsledger.x.y"}
    assert find_cycles(edges) == [["newsledger.x.y", "newsledger.z", "newsledger.x.y"]]


def test_checker_allows_only_cli_lazily_importing_evaluation(tmp_path):
    src = _write(tmp_path, {
        "__init__.py": "",
        "cli.py": "def eval_cmd():\n    from .evaluate import run\n",
        "evaluate/__init__.py": "from newsledger import cli\n",
        "web.py": "def f():\n    from .evaluate import run\n",
    })
    modules, imports = collect(src)
    edges = graph(modules, imports)
    assert "newsledger.evaluate" not in edges["newsledger.cli"]
    assert "newsledger.evaluate" in edges["newsledger.web"]
    assert offline_importers(modules, imports) == ["newsledger.web:2 imports newsledger.evaluate"]


# --- the package ----------------------------------------------------------------------------------


def test_no_import_cycles_inside_the_package(package):
    modules, imports = package
    cycles = find_cycles(graph(modules, imports))
    shown = [
        " -> ".join(c) + "\n    at " + "; ".join(_where(imports, a, b, modules) for a, b in zip(c, c[1:]))
        for c in cycles
    ]
    assert not cycles, "import cycles:\n" + "\n".join(shown)


def private_imports(modules: set[str], imports: list[Import]) -> list[str]:
    bad = []
    for imp in imports:
        if imp.name and imp.name.startswith("_") and not imp.name.startswith("__"):
            if imp.module != imp.importer and _targets(imp, modules):
                bad.append(f"{imp.importer}:{imp.line} imports {imp.name} from {imp.module}")
    return sorted(bad)


def test_no_private_names_imported_across_modules(package):
    bad = private_imports(*package)
    assert not bad, "private names imported from other modules:\n" + "\n".join(bad)


def offline_importers(modules: set[str], imports: list[Import]) -> list[str]:
    """Runtime modules importing evaluation/training code, other than cli's lazy commands."""
    bad = []
    for imp in imports:
        if _offline(imp.importer):
            continue
        for target in _targets(imp, modules):
            if _offline(target) and not allowed_lazy(imp, target):
                bad.append(f"{imp.importer}:{imp.line} imports {target}")
    return sorted(set(bad))


def test_evaluation_and_training_only_imported_by_their_commands(package):
    bad = offline_importers(*package)
    assert not bad, "evaluation/training code in the runtime import path:\n" + "\n".join(bad)


def test_nlp_does_not_import_scale(package):
    modules, imports = package
    assert "newsledger.scale" not in graph(modules, imports)["newsledger.nlp"]


def test_data_path_comes_from_resources(package):
    modules, imports = package
    bad = [f"{i.importer}:{i.line}" for i in imports
           if i.name == "data_path" and i.module != "newsledger.resources"]
    assert "newsledger.resources" in modules
    assert not bad, "data_path imported from elsewhere than newsledger.resources: " + ", ".join(bad)


def test_actor_codes_module_depends_on_nothing_else_in_the_package(package):
    modules, imports = package
    assert graph(modules, imports)["newsledger.actors.codes"] == set()
