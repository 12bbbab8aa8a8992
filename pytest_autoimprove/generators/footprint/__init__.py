"""The built-in guardrail generator for footprint goals (``kind: size``).

An agent asked to shrink a package, its install size or its import time wins most
easily by deleting things: a module nobody's test imports, a data file, a console
script's dependencies, a runtime dependency replaced by nothing. This generator
writes one test file that fails when any of them goes:

- every module of the repo's packages still imports;
- every console script of ``[project.scripts]`` still answers ``--help``;
- every runtime dependency is still declared in pyproject.toml and importable
  (distribution names mapped to import names with :mod:`importlib.metadata`);
- every package data file is still there;
- every public name of every module is still defined.

What fails on the untouched baseline (a module that needs a service, a script with no
``--help``) is left out and noted. :func:`plan_footprint` is the plain entry point. An
excerpt of what it writes::

    # risk removed-module: a module of the package was deleted to shrink it
    MODULES = [
        'tinypkg',
        'tinypkg.cli',
    ]


    @pytest.mark.autoimprove_guard
    @pytest.mark.parametrize("module", MODULES)
    def test_module_imports(module: str) -> None:
        check_import(ROOT, IMPORT_ROOTS, module)
"""

from __future__ import annotations

import ast
import fnmatch
import importlib.metadata
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pytest_autoimprove.generators import (
    GeneratedFile,
    GenerateRequest,
    GenerationResult,
    catalog,
    guard_file_head,
)
from pytest_autoimprove.process import run_command
from pytest_autoimprove.runtime.footprint import read_pyproject

__all__ = [
    "NAME",
    "TEST_FILE",
    "Footprint",
    "plan_footprint",
    "pytest_autoimprove_generate",
    "render_footprint",
]

NAME = "footprint"
TEST_FILE = "test_guard_footprint.py"
_SKIP_DIRS = {
    "tests",
    "test",
    "docs",
    "examples",
    "benchmarks",
    "build",
    "dist",
    ".git",
    "__pycache__",
    ".venv",
    "venv",
    "node_modules",
    ".tox",
}


@dataclass
class Footprint:
    """What the footprint test file guards."""

    import_roots: list[str] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)
    public_names: dict[str, list[str]] = field(default_factory=dict)
    scripts: list[tuple[str, str]] = field(default_factory=list)
    dependencies: list[tuple[str, str]] = field(default_factory=list)
    data_files: list[str] = field(default_factory=list)
    #: ``(path, package, path inside the package)`` of data files the baseline's
    #: ``[tool.setuptools.package-data]`` ships.
    shipped: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@pytest.hookimpl
def pytest_autoimprove_generate(request: GenerateRequest) -> GenerationResult | None:
    """Hook implementation: guardrails for ``kind: size`` goals."""
    if request.kind != "size":
        return None
    footprint = plan_footprint(request.root.resolve())
    text = render_footprint(footprint, depth=len(Path(request.output_dir).parts))
    files = (GeneratedFile(Path(request.output_dir) / TEST_FILE, text),)
    return GenerationResult(NAME, files, (), tuple(footprint.notes))


def _packages(root: Path) -> list[tuple[str, Path]]:
    """``(import root, package dir)`` of every top-level package (flat and src layouts)."""
    found = []
    for base in (root, root / "src"):
        if not base.is_dir():
            continue
        for child in sorted(base.iterdir()):
            if child.name in _SKIP_DIRS or child.name.startswith("."):
                continue
            if child.is_dir() and (child / "__init__.py").is_file():
                found.append((base.relative_to(root).as_posix() or ".", child))
    return found


def _public_names(path: Path) -> list[str]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError, OSError):
        return []
    names: list[str] = []
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
            and isinstance(node.value, (ast.List, ast.Tuple))
        ):
            return sorted(
                e.value
                for e in node.value.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            )
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
    return sorted(n for n in names if not n.startswith("_"))


def _pyproject(root: Path) -> dict[str, Any]:
    """pyproject.toml parsed; ``{}`` when absent or broken (nothing to guard from it)."""
    try:
        return read_pyproject(root)
    except AssertionError:
        return {}


def _dist_name(requirement: str) -> str | None:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(requirement)
    except InvalidRequirement:
        return None
    if req.marker is not None and not req.marker.evaluate():
        return None
    return req.name


def _import_names(dist: str) -> list[str]:
    normalized = re.sub(r"[-_.]+", "-", dist).lower()
    names = [
        top
        for top, dists in importlib.metadata.packages_distributions().items()
        if any(re.sub(r"[-_.]+", "-", d).lower() == normalized for d in dists)
        and not top.startswith("_")
        and top.isidentifier()
    ]
    return sorted(names) or [normalized.replace("-", "_")]


def plan_footprint(root: Path) -> Footprint:
    """Find what to guard under ``root`` and keep what works on the baseline."""
    fp = Footprint()
    for import_root, package in _packages(root):
        if import_root not in fp.import_roots:
            fp.import_roots.append(import_root)
        base = package.parent
        for path in sorted(package.rglob("*")):
            rel_parts = path.relative_to(base).parts
            if any(p in _SKIP_DIRS or p.startswith(".") for p in rel_parts[:-1]):
                continue
            if not path.is_file() or path.suffix in (".pyc", ".pyo"):
                continue
            if path.suffix == ".py":
                if path.name == "__main__.py" or not all(
                    p.isidentifier() for p in [*rel_parts[:-1], path.stem]
                ):
                    continue
                parts = list(rel_parts[:-1]) + ([] if path.stem == "__init__" else [path.stem])
                module = ".".join(parts)
                fp.modules.append(module)
                names = _public_names(path)
                if names:
                    fp.public_names[module] = names
            else:
                fp.data_files.append(path.relative_to(root).as_posix())
                _record_shipped(fp, root, package, path)
    project = _pyproject(root).get("project", {})
    scripts = project.get("scripts", {}) if isinstance(project, dict) else {}
    fp.scripts = sorted((str(k), str(v)) for k, v in scripts.items())
    for requirement in project.get("dependencies", []) if isinstance(project, dict) else []:
        dist = _dist_name(str(requirement))
        if dist is not None:
            fp.dependencies += [(dist, name) for name in _import_names(dist)]
    poetry = _pyproject(root).get("tool", {}).get("poetry", {})
    if isinstance(poetry, dict) and isinstance(poetry.get("dependencies"), dict):
        for dist, spec in poetry["dependencies"].items():
            optional = isinstance(spec, dict) and spec.get("optional") is True
            if str(dist).lower() != "python" and not optional:
                fp.dependencies += [(str(dist), name) for name in _import_names(str(dist))]
    if not fp.modules:
        fp.notes.append("no package (a folder with __init__.py) found at the root or in src/")
    _keep_working(root, fp)
    return fp


def _record_shipped(fp: Footprint, root: Path, package: Path, path: Path) -> None:
    from pytest_autoimprove.runtime.footprint import shipped_data_patterns

    patterns = shipped_data_patterns(_pyproject(root))
    inside = path.relative_to(package).as_posix()
    globs = patterns.get(package.name, []) + patterns.get("*", []) + patterns.get("", [])
    if any(fnmatch.fnmatch(inside, g) for g in globs):
        fp.shipped.append((path.relative_to(root).as_posix(), package.name, inside))


_PROBE = r"""
import importlib, json, sys
spec = json.loads(sys.argv[1])
sys.path[:0] = spec["paths"]
out = {"modules": [], "names": {}, "deps": []}
for name in spec["modules"]:
    try:
        module = importlib.import_module(name)
    except BaseException:
        continue
    out["modules"].append(name)
    out["names"][name] = [n for n in spec["names"].get(name, []) if hasattr(module, n)]
for dist, name in spec["deps"]:
    try:
        importlib.import_module(name)
        out["deps"].append([dist, name])
    except BaseException:
        pass
print("FOOTPRINT:" + json.dumps(out))
"""


def _keep_working(root: Path, fp: Footprint) -> None:
    paths = [str((root / r).resolve()) for r in fp.import_roots]
    spec = {
        "paths": paths,
        "modules": fp.modules,
        "names": fp.public_names,
        "deps": fp.dependencies,
    }
    result = run_command([sys.executable, "-c", _PROBE, json.dumps(spec)], cwd=root, timeout=120)
    line = next((x for x in result.output.splitlines() if x.startswith("FOOTPRINT:")), None)
    if line is None:
        fp.notes.append(
            f"could not import the package to verify the footprint tests: {result.tail(3)}"
        )
        fp.modules, fp.public_names, fp.dependencies = [], {}, []
    else:
        seen = json.loads(line[len("FOOTPRINT:") :])
        dropped = sorted(set(fp.modules) - set(seen["modules"]))
        if dropped:
            fp.notes.append(f"modules that do not import on the baseline, not guarded: {dropped}")
        fp.modules = seen["modules"]
        fp.public_names = {m: n for m, n in seen["names"].items() if n}
        deps = [tuple(d) for d in seen["deps"]]
        missing = sorted({d for d, _ in fp.dependencies} - {d for d, _ in deps})
        if missing:
            fp.notes.append(f"dependencies not importable on the baseline, not guarded: {missing}")
        fp.dependencies = [(str(d), str(n)) for d, n in deps]
    working = []
    for name, entry in fp.scripts:
        if _script_help(root, paths, name, entry).ok:
            working.append((name, entry))
        else:
            fp.notes.append(f"console script {name} fails `--help` on the baseline, not guarded")
    fp.scripts = working


def _script_help(root: Path, paths: list[str], name: str, entry: str) -> Any:
    from pytest_autoimprove.runtime.footprint import script_help_command

    return run_command(script_help_command(paths, name, entry), cwd=root, timeout=60)


def render_footprint(fp: Footprint, *, depth: int = 2) -> str:
    """The footprint test file for ``fp``."""
    checks = ["check_data_file", "check_declared", "check_import", "check_public_names"]
    checks += ["check_script_help", *(["check_data_shipped"] if fp.shipped else [])]
    out = guard_file_head(
        "the footprint goal (size)",
        ["Shrinking must not remove modules, console scripts, dependencies, data or public names."],
        "footprint",
        checks,
        depth,
    )
    out.append(f"IMPORT_ROOTS = {fp.import_roots!r}")

    def block(risk: str, name: str, values: list[Any], test: str) -> None:
        if not values:
            return
        out.extend(["", "", f"# risk {risk}: {catalog.risk(risk).description}", f"{name} = ["])
        out.extend(f"    {v!r}," for v in values)
        out.extend(["]", "", "", "@pytest.mark.autoimprove_guard", *test.splitlines()])

    block(
        "removed-module",
        "MODULES",
        fp.modules,
        '@pytest.mark.parametrize("module", MODULES)\n'
        "def test_module_imports(module: str) -> None:\n"
        "    check_import(ROOT, IMPORT_ROOTS, module)",
    )
    block(
        "removed-feature",
        "PUBLIC_NAMES",
        sorted(fp.public_names.items()),
        '@pytest.mark.parametrize(("module", "names"), PUBLIC_NAMES)\n'
        "def test_public_names_present(module: str, names: list[str]) -> None:\n"
        "    check_public_names(ROOT, IMPORT_ROOTS, module, names)",
    )
    block(
        "broken-console-script",
        "SCRIPTS",
        fp.scripts,
        '@pytest.mark.parametrize(("name", "entry"), SCRIPTS)\n'
        "def test_console_script_help(name: str, entry: str) -> None:\n"
        "    check_script_help(ROOT, IMPORT_ROOTS, name, entry)",
    )
    block(
        "dropped-dependency",
        "DEPENDENCIES",
        fp.dependencies,
        '@pytest.mark.parametrize(("dist", "module"), DEPENDENCIES)\n'
        "def test_dependency_declared_and_importable(dist: str, module: str) -> None:\n"
        "    check_declared(ROOT, dist)\n"
        "    check_import(ROOT, IMPORT_ROOTS, module)",
    )
    block(
        "removed-data-file",
        "DATA_FILES",
        fp.data_files,
        '@pytest.mark.parametrize("path", DATA_FILES)\n'
        "def test_package_data_present(path: str) -> None:\n"
        "    check_data_file(ROOT, path)",
    )
    block(
        "removed-data-file",
        "SHIPPED_DATA",
        fp.shipped,
        '@pytest.mark.parametrize(("path", "package", "inside"), SHIPPED_DATA)\n'
        "def test_package_data_still_shipped(path: str, package: str, inside: str) -> None:\n"
        "    check_data_shipped(ROOT, path, package, inside)",
    )
    if not (fp.modules or fp.scripts or fp.dependencies or fp.data_files):
        out += [
            "",
            "",
            "@pytest.mark.autoimprove_guard",
            "def test_nothing_to_guard() -> None:",
            '    """No package was found; this file only records that."""',
        ]
    return "\n".join(out).rstrip() + "\n"
