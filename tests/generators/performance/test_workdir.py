"""Code that opens the names it is given: each call in an empty directory of its own."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from guarded import Guarded

from pytest_autoimprove.runtime.workdir import own_directory

FILES = """
def save(path: str, text: str) -> int:
    with open(path, "w", encoding="utf-8") as handle:
        return handle.write(text)


def load(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()
"""


def test_generating_and_running_the_guardrails_writes_nothing_into_the_project(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # intelhex's write_hex_file(f) and loadhex(f) with text for f: the probe wrote
    # files named ' ' and 'w' into the project, and a case recorded as
    # FileNotFoundError returned once another test had written that file: 18 generated
    # tests failed on the untouched baseline.
    project = guarded("files", FILES)
    assert _listing(project.root) == ["files.py", "tests"]
    result = project.run()
    assert result.returncode == 0, result.stdout[-1500:]
    assert _listing(project.root) == ["files.py", "tests"]
    # guards: what was written no longer the whole text
    project.assert_caught("return handle.write(text)", "return handle.write(text[:1])")


def _listing(root: Path) -> list[str]:
    """What the project holds, the caches of pytest, Hypothesis and Python left out."""
    return sorted(p.name for p in root.iterdir() if not p.name.startswith((".", "__")))


def test_own_directory_is_empty_whatever_the_last_call_left(tmp_path: Path) -> None:
    os.chdir(tmp_path)
    (tmp_path / "left.txt").write_text("x", encoding="utf-8")
    with own_directory():
        first = Path.cwd()
        assert list(first.iterdir()) == []
    with own_directory():
        assert Path.cwd() == first  # reused while calls leave it empty
        Path("written.txt").write_text("y", encoding="utf-8")
    assert Path.cwd() == tmp_path and not first.exists()
    with own_directory():
        assert list(Path.cwd().iterdir()) == []
        os.rmdir(Path.cwd())  # a call may even remove it
    with own_directory():
        assert list(Path.cwd().iterdir()) == []
    assert Path.cwd() == tmp_path
