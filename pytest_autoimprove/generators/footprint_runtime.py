"""What the generated footprint guardrail tests call at test time (see :mod:`.footprint`)."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from pytest_autoimprove.measure import run_command

__all__ = [
    "check_data_file",
    "check_declared",
    "check_import",
    "check_public_names",
    "check_script_help",
    "script_help_command",
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


def check_declared(root: Path, dist: str) -> None:
    """``dist`` is still listed in ``[project] dependencies`` of pyproject.toml."""
    __tracebackhide__ = True
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    pattern = re.sub(r"[-_.]+", "[-_.]+", re.escape(dist).replace("\\-", "-"))
    if not re.search(rf"[\"']\s*{pattern}\s*(?:[\[<>=!~;,\s\"'])", text, re.IGNORECASE):
        raise AssertionError(f"dependency {dist} is no longer declared in pyproject.toml")


def check_data_file(root: Path, path: str) -> None:
    """The package data file ``path`` still exists."""
    __tracebackhide__ = True
    if not (root / path).is_file():
        raise AssertionError(f"package data file {path} was removed")
