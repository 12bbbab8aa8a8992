"""The layout is the architecture: no import cycles, a runtime that imports only what it
may, cheap plugin modules, and a public API that resolves."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import pytest_autoimprove

PACKAGE = Path(pytest_autoimprove.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    _module_name(p): p
    for p in PACKAGE.rglob("*.py")
    if "quality_site" not in p.parts  # loaded by path into user processes, not imported
}


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:`` (never run)."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return skipped


def _imports(path: Path, *, top_level: bool = False) -> set[str]:
    """Our modules ``path`` imports when run: anywhere in the file, or at import time."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    nodes = tree.body if top_level else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in MODULES}


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def _cycle() -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(GRAPH[node]):
            if state.get(dep) == 1:
                return [*stack[stack.index(dep) :], dep]
            if dep not in state and (found := visit(dep)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(GRAPH):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycles() -> None:
    # The package itself re-exports the public API lazily (PEP 562), so it imports nothing.
    assert _cycle() is None, " -> ".join(_cycle() or [])


#: Modules that import nothing of ours but each other, which the runtime may use.
LEAVES = {
    f"pytest_autoimprove.{name}"
    for name in ("names", "process", "proctree", "score", "errors", "paths", "compat")
}


def test_leaves_are_leaves() -> None:
    for name in LEAVES:
        assert GRAPH[name] <= LEAVES, (name, GRAPH[name] - LEAVES)


def test_runtime_imports_only_the_runtime_and_leaves() -> None:
    """What frozen tests import must not drag generation, the loop or the CLI in."""
    for name, deps in GRAPH.items():
        if name.startswith("pytest_autoimprove.runtime"):
            stray = {d for d in deps if not d.startswith("pytest_autoimprove.runtime")}
            assert stray <= LEAVES, (name, stray)


@pytest.mark.parametrize("name", ["pytest_autoimprove.plugin", "pytest_autoimprove.loop.options"])
def test_pytest_entry_points_import_only_names(name: str) -> None:
    """Every pytest run of every user imports them: the rest waits inside the hooks."""
    assert _imports(MODULES[name], top_level=True) <= {"pytest_autoimprove.names"}


def test_nothing_imports_the_old_paths() -> None:
    """The 0.1 paths are re-exports for frozen guardrails only; the package uses runtime/."""
    old = {
        "pytest_autoimprove.compare",
        "pytest_autoimprove.generators.replay",
        "pytest_autoimprove.generators.quality_runtime",
        "pytest_autoimprove.generators.footprint_runtime",
    }
    users = {name for name, deps in GRAPH.items() if deps & old and name not in old}
    assert not users


def test_public_api_resolves_and_stays_cheap() -> None:
    code = (
        "import sys, pytest_autoimprove as p; "
        "cheap = 'pytest_autoimprove.config' not in sys.modules; "
        "names = [getattr(p, n) for n in p.__all__]; "
        "print(cheap, len(names))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", str(len(pytest_autoimprove.__all__))]
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        pytest_autoimprove.Nope  # noqa: B018


def test_nothing_of_ray_is_imported_without_backend_ray() -> None:
    """Ray is an optional extra: a parallel run on the local backend never imports it."""
    code = (
        "import sys\n"
        "from pytest_autoimprove.manager import standalone_manager\n"
        "import pytest_autoimprove.loop.parallel, pytest_autoimprove.loop.run\n"
        "from pytest_autoimprove.loop.executors import LocalExecutor\n"
        "from pytest_autoimprove.config import parse_text\n"
        "config = parse_text('## Check\\nrun: x\\ngoal: higher\\n## Agent\\nworkers: 4\\n')\n"
        "hook = standalone_manager().hook\n"
        "ex = hook.pytest_autoimprove_executor(backend='local', workers=4, config=config)\n"
        "assert isinstance(ex, LocalExecutor), ex\n"
        "print(sorted(m for m in sys.modules if m == 'ray' or m.startswith('ray.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    source = (PACKAGE / "loop" / "ray_backend.py").read_text(encoding="utf-8")
    top = ast.parse(source).body
    assert not any(
        isinstance(n, (ast.Import, ast.ImportFrom))
        and any(a.name == "ray" for a in n.names)
        or isinstance(n, ast.ImportFrom)
        and (n.module or "").startswith("ray")
        for n in top
    ), "ray_backend imports ray at module level"
