"""Code that opens the names it is given: each call in an empty directory of its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
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


def test_a_killed_process_s_scratch_directory_is_removed_by_the_next(
    tmp_path: Path,
) -> None:
    # Guardrail runs killed on their timeout run no atexit: a night left thousands of
    # empty autoimprove-call-* directories in /tmp.
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    killed = subprocess.run([sys.executable, "-c", KILLED_INSIDE], env=env, check=False, timeout=60)
    assert killed.returncode == -signal.SIGKILL
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith("autoimprove-call-")
    (tmp_path / "autoimprove-call-notapid-x").mkdir()  # not ours to judge
    subprocess.run([sys.executable, "-c", ONE_CALL], env=env, check=True, timeout=60)
    assert [p.name for p in tmp_path.iterdir()] == ["autoimprove-call-notapid-x"]


KILLED_INSIDE = """
import os, signal
from pytest_autoimprove.runtime.workdir import own_directory
with own_directory():
    os.kill(os.getpid(), signal.SIGKILL)
"""

ONE_CALL = """
from pytest_autoimprove.runtime.workdir import own_directory
with own_directory():
    pass
"""
