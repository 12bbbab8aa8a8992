"""What the generated footprint guardrail tests call at test time (see :mod:`.footprint`)."""

from __future__ import annotations

import fnmatch
import importlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pytest_autoimprove.compat import tomllib
from pytest_autoimprove.process import run_command

__all__ = [
    "check_data_file",
    "check_data_shipped",
    "check_declared",
    "declared_dependencies",
    "check_import",
    "check_public_names",
    "check_script_help",
    "read_pyproject",
    "script_help_command",
    "shipped_data_patterns",
]


def _paths(root: Path, import_roots: Sequence[str]) -> list[str]:
    return [str((root / r).resolve()) for r in import_roots]


def check_import(root: Path, import_roots: Sequence[str], module: str) -> None:
    """``module`` imports (with the repo's import roots first on ``sys.path``)."""
    __tracebackhide__ = True
    for path in reversed(_paths(root, import_roots)):
        if path not in sys.path:
            sys.path.insert(0, path)
    try:
        importlib.import_module(module)
    except ImportError as exc:
        raise AssertionError(f"{module} no longer imports: {exc}") from None


def check_public_names(
    root: Path, import_roots: Sequence[str], module: str, names: Sequence[str]
) -> None:
    """Every name in ``names`` is still defined by ``module``."""
    __tracebackhide__ = True
    check_import(root, import_roots, module)
    loaded = sys.modules[module]
    missing = [n for n in names if not hasattr(loaded, n)]
    if missing:
        raise AssertionError(f"{module} no longer defines {', '.join(missing)}")


def script_help_command(paths: Sequence[str], name: str, entry: str) -> list[str]:
    """Run entry point ``module:function`` as console script ``name`` with ``--help``."""
    module, _, attr = entry.partition(":")
    attr = attr.split("[", 1)[0].strip()
    code = (
        "import sys\n"
        f"sys.path[:0] = {list(paths)!r}\n"
        f"sys.argv = [{name!r}, '--help']\n"
        f"import importlib\nobj = importlib.import_module({module.strip()!r})\n"
        f"for part in {attr!r}.split('.'):\n    obj = getattr(obj, part)\n"
        "result = obj()\n"
        "sys.exit(0 if result is None else result)\n"
    )
    return [sys.executable, "-c", code]


def check_script_help(root: Path, import_roots: Sequence[str], name: str, entry: str) -> None:
    """``name --help`` exits 0."""
    __tracebackhide__ = True
    result = run_command(
        script_help_command(_paths(root, import_roots), name, entry), cwd=root, timeout=60
    )
    if not result.ok:
        raise AssertionError(
            f"`{name} --help` ({entry}) exited {result.returncode}:\n{result.tail(10)}"
        )


def declared_dependencies(pyproject: dict[str, Any]) -> list[str]:
    """Normalized names of the runtime dependencies a parsed pyproject.toml declares.

    ``[project] dependencies`` and Poetry's ``[tool.poetry.dependencies]``; extras
    (``optional-dependencies``), dependency groups and comments do not count: a
    package installed without them lacks those distributions.
    """
    names: list[str] = []
    project = pyproject.get("project")
    if isinstance(project, dict):
        for requirement in project.get("dependencies") or []:
            match = _REQUIREMENT_NAME.match(str(requirement))
            if match:
                names.append(_normalize(match.group(0)))
    poetry = pyproject.get("tool", {}).get("poetry", {}) if isinstance(pyproject, dict) else {}
    deps = poetry.get("dependencies") if isinstance(poetry, dict) else None
    if isinstance(deps, dict):
        for name, spec in deps.items():
            optional = isinstance(spec, dict) and spec.get("optional") is True
            if str(name).lower() != "python" and not optional:
                names.append(_normalize(str(name)))
    return names


_REQUIREMENT_NAME = re.compile(r"^\s*[A-Za-z0-9][A-Za-z0-9._-]*")


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def read_pyproject(root: Path) -> dict[str, Any]:
    """``root/pyproject.toml`` parsed (``{}`` when absent; a syntax error fails the test)."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AssertionError(f"pyproject.toml no longer parses: {exc}") from None
    return data


def check_declared(root: Path, dist: str) -> None:
    """``dist`` is still a runtime dependency in pyproject.toml (not an extra, not commented)."""
    __tracebackhide__ = True
    if _normalize(dist) not in declared_dependencies(read_pyproject(root)):
        raise AssertionError(
            f"dependency {dist} is no longer declared in pyproject.toml "
            "([project] dependencies): a package installed without it breaks"
        )


def shipped_data_patterns(pyproject: dict[str, Any]) -> dict[str, list[str]]:
    """``[tool.setuptools.package-data]``: package (or ``*``) -> glob patterns."""
    table = pyproject.get("tool", {}).get("setuptools", {}).get("package-data")
    if not isinstance(table, dict):
        return {}
    return {str(k): [str(p) for p in v] for k, v in table.items() if isinstance(v, list)}


def _shipped(rel_in_package: str, package: str, patterns: dict[str, list[str]]) -> bool:
    globs = patterns.get(package, []) + patterns.get("*", []) + patterns.get("", [])
    return any(fnmatch.fnmatch(rel_in_package, g) for g in globs)


def check_data_shipped(root: Path, path: str, package: str, rel_in_package: str) -> None:
    """The data file ``path`` is still listed in ``[tool.setuptools.package-data]``."""
    __tracebackhide__ = True
    patterns = shipped_data_patterns(read_pyproject(root))
    if not _shipped(rel_in_package, package, patterns):
        raise AssertionError(
            f"package data file {path} is no longer listed in [tool.setuptools.package-data] "
            "of pyproject.toml: the built package would not contain it"
        )


def check_data_file(root: Path, path: str) -> None:
    """The package data file ``path`` still exists."""
    __tracebackhide__ = True
    if not (root / path).is_file():
        raise AssertionError(f"package data file {path} was removed")
