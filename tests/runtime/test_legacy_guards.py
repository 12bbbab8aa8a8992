"""Guardrails frozen by an earlier version keep working against this package.

Users commit their generated guard folders and freeze them by hash, so the import
paths those files use (``pytest_autoimprove.generators.replay``, ``.quality_runtime``,
``.footprint_runtime``; ``pytest_autoimprove.compare``, which ``tests/loop`` imports as
0.1's guardrails did) are a public interface. ``legacy/`` holds guard folders generated
by version 0.1.0, before the package was reorganized; each is run here, on its project,
with today's package.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
LEGACY = HERE / "legacy"
TESTS = HERE.parent
EXAMPLES = TESTS.parent / "examples"

#: legacy folder -> the project it was generated on (None: the folder holds it).
PROJECTS = {
    "speed_inventory": TESTS / "generators" / "fixture_project",
    "quality_rag_search": EXAMPLES / "rag_search",
    "size_tinypkg": None,
}


def _project(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    source = PROJECTS[name]
    if source is not None:
        shutil.copytree(source, root, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(LEGACY / name, root, dirs_exist_ok=True)
    return root


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_legacy_guard_folder_passes(name: str, tmp_path: Path) -> None:
    root = _project(name, tmp_path)
    guard = root / "tests" / "autoimprove_guard"
    sources = [p.read_text(encoding="utf-8") for p in guard.glob("test_*.py")]
    assert any("pytest_autoimprove.generators." in text for text in sources)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         "-W", "ignore::DeprecationWarning", str(guard)],
        cwd=root, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "skipped" not in done.stdout


def test_legacy_guard_still_catches_a_regression(tmp_path: Path) -> None:
    """Not only importable: the old comparator still tells a changed answer."""
    root = _project("speed_inventory", tmp_path)
    core = root / "src" / "inventory" / "core.py"
    text = core.read_text(encoding="utf-8")
    assert ".strip()" in text
    core.write_text(text.replace(".strip()", "", 1), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         "-W", "ignore::DeprecationWarning", "tests/autoimprove_guard"],
        cwd=root, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout[-3000:]
