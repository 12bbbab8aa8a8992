"""The quick check behind ``--autoimprove-verify``: it vouches only for a tree the full
check would pass, and leaves every case it cannot prove to that check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_autoimprove import guard, lockcheck, paths
from pytest_autoimprove.config import load_config
from pytest_autoimprove.names import LOCK_PATH

IMPROVE_MD = """\
# autoimprove: demo
## Change
scope: src/*.py
## Check
run: python bench/run.py
goal: lower
frozen: bench, data/*.csv
golden: data/golden.jsonl
"""


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def freeze(root: Path) -> None:
    guard.freeze(root, load_config(root), guard_tests=0)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in ("src/pkg", "bench", "data", "tests/autoimprove_guard"):
        (root / folder).mkdir(parents=True)
    (root / "improve.md").write_text(IMPROVE_MD)
    (root / "bench" / "run.py").write_text("print('SCORE: 1')\n")
    (root / "data" / "a.csv").write_text("1,2\n")
    (root / "data" / "golden.jsonl").write_text("{}\n")
    (root / "data" / "free.txt").write_text("not frozen\n")
    (root / "src" / "pkg" / "fast.py").write_text("X = 1\n")
    (root / "tests" / "conftest.py").write_text("")
    (root / "tests" / "autoimprove_guard" / "test_g.py").write_text("def test_g():\n    pass\n")
    (root / "pyproject.toml").write_text('[tool.pytest.ini_options]\naddopts = "-q"\n')
    (root / ".gitignore").write_text("ignored/\n")
    git(root, "init", "-q")
    freeze(root)
    assert lockcheck.lock_holds(root, None)
    return root


def holds_fully(root: Path) -> bool:
    return guard.verify(root, load_config(root)).holds


def test_the_lock_records_what_the_check_section_freezes(project: Path) -> None:
    text = (project / LOCK_PATH).read_text()
    assert 'check_patterns = ["bench", "data/*.csv", "data/golden.jsonl"]' in text


def test_the_check_runs_from_a_subfolder(project: Path) -> None:
    assert lockcheck.lock_holds(project / "src" / "pkg", None)


def _same_size_edit_with_the_old_mtime(root: Path) -> None:
    path = root / "data" / "a.csv"
    before = path.stat()
    path.write_text("9,9\n")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.parametrize(
    "tamper",
    [
        _same_size_edit_with_the_old_mtime,
        lambda root: (root / "bench" / "run.py").write_text("print('SCORE: 0')\n"),
        lambda root: (root / "bench" / "helper.py").write_text(""),
        lambda root: (root / "data" / "b.csv").write_text(""),
        lambda root: (root / "data" / "golden.jsonl").unlink(),
        lambda root: (root / "src" / "pkg" / "conftest.py").write_text(""),
        lambda root: (root / "conftest.py").write_text(""),
        lambda root: (root / "tests" / "autoimprove_guard" / "test_new.py").write_text(""),
        lambda root: (root / "tox.ini").write_text("[pytest]\naddopts = -x\n"),
        lambda root: (root / "pyproject.toml").write_text(
            '[tool.pytest.ini_options]\naddopts = "-q -x"\n'
        ),
        lambda root: (root / "improve.md").write_text(IMPROVE_MD.replace("bench, ", "")),
    ],
    ids=[
        "same-size-edit-mtime-restored",
        "frozen-file-edited",
        "file-added-in-frozen-folder",
        "file-added-matching-a-glob",
        "golden-deleted",
        "nested-conftest-added",
        "root-conftest-added",
        "guard-test-added",
        "tox-ini-added",
        "pyproject-pytest-section-edited",
        "check-section-edited",
    ],
)
def test_a_tampered_tree_is_never_vouched_for(project: Path, tamper: object) -> None:
    tamper(project)  # type: ignore[operator]
    assert not lockcheck.lock_holds(project, None)
    assert not holds_fully(project)


def test_changes_outside_what_is_frozen_still_hold(project: Path) -> None:
    (project / "src" / "pkg" / "fast.py").write_text("X = 2\n")
    (project / "data" / "free.txt").write_text("changed\n")
    (project / "ignored").mkdir()
    (project / "ignored" / "conftest.py").write_text("")  # ignored by git: pytest skips it too
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n'
    )
    assert lockcheck.lock_holds(project, None)
    assert holds_fully(project)


def test_pathspec_variables_do_not_hide_a_new_conftest(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "src" / "conftest.py").write_text("")
    for name in ("GIT_LITERAL_PATHSPECS", "GIT_NOGLOB_PATHSPECS"):
        monkeypatch.setenv(name, "1")
        assert not lockcheck.lock_holds(project, None)
        monkeypatch.delenv(name)


def test_a_committed_file_deleted_from_disk_is_missing(project: Path) -> None:
    git(project, "add", "-A")
    git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    (project / "bench" / "run.py").unlink()
    assert not lockcheck.lock_holds(project, None)
    report = guard.verify(project, load_config(project))
    assert [name for name, _ in report.against_lock.missing] == ["bench/run.py"]


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.replace("check_patterns", "# check_patterns"),  # an older lock
        lambda text: text.replace('"pytest-autoimprove ', '"pytest-autoimprove 0.0.1-'),
        lambda text: text.replace("format = 1", "format  =  1"),  # hand-edited: tomllib
    ],
    ids=["no-recorded-patterns", "another-version", "hand-edited"],
)
def test_what_the_quick_check_cannot_prove_goes_to_the_full_check(
    project: Path, change: object
) -> None:
    lock = project / LOCK_PATH
    lock.write_text(change(lock.read_text()))  # type: ignore[operator]
    assert not lockcheck.lock_holds(project, None)
    assert holds_fully(project)


def test_without_improve_md_the_guard_folder_is_still_frozen(tmp_path: Path) -> None:
    (tmp_path / "tests" / "autoimprove_guard").mkdir(parents=True)
    (tmp_path / "tests" / "autoimprove_guard" / "test_g.py").write_text("")
    git(tmp_path, "init", "-q")
    guard.freeze(tmp_path, None, guard_tests=0)
    assert lockcheck.lock_holds(tmp_path, None)
    (tmp_path / "tests" / "autoimprove_guard" / "test_g.py").write_text("x = 1\n")
    assert not lockcheck.lock_holds(tmp_path, None)


def test_an_improve_md_named_in_pyproject_is_the_one_checked(tmp_path: Path) -> None:
    (tmp_path / "perf").mkdir()
    (tmp_path / "perf" / "improve.md").write_text(IMPROVE_MD.replace(", data/*.csv", ""))
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "run.py").write_text("")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "golden.jsonl").write_text("{}\n")
    (tmp_path / "pyproject.toml").write_text('[tool.autoimprove]\nfile = "perf/improve.md"\n')
    git(tmp_path, "init", "-q")
    freeze(tmp_path)
    assert "perf/improve.md::## Check" in (tmp_path / LOCK_PATH).read_text()
    assert lockcheck.lock_holds(tmp_path, None)
    (tmp_path / "bench" / "run.py").write_text("x")
    assert not lockcheck.lock_holds(tmp_path, None)


def test_outside_a_git_repository_the_full_check_decides(tmp_path: Path) -> None:
    (tmp_path / "tests" / "autoimprove_guard").mkdir(parents=True)
    guard.freeze(tmp_path, None, guard_tests=0)
    assert not lockcheck.lock_holds(tmp_path, None)
    assert guard.verify(tmp_path, None).holds


@pytest.mark.parametrize(
    ("patterns", "prefixes"),
    [
        (["bench.py", "data/"], ["bench.py", "data"]),
        (["src/*.py", "a/b/**/c.txt", "./d/e?.json"], ["src", "a/b", "d"]),
        (["x/[ab].py"], ["x"]),
        (["*.py"], None),
        (["bench.py", "**/golden.jsonl"], None),
        ([], []),
    ],
)
def test_literal_prefixes(patterns: list[str], prefixes: list[str] | None) -> None:
    assert paths.literal_prefixes(patterns) == prefixes


def test_the_plugin_takes_the_quick_path(project: Path) -> None:
    """In a real session the check imports neither the guard nor the improve.md parser."""
    code = (
        "import sys, pytest\n"
        "code = pytest.main(['--autoimprove-verify', '--collect-only', '-q', "
        "'-p', 'no:cacheprovider'])\n"
        "loaded = [m for m in ('pytest_autoimprove.guard', 'pytest_autoimprove.config') "
        "if m in sys.modules]\n"
        "print('LOADED', loaded)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "LOADED []" in done.stdout
    (project / "bench" / "run.py").write_text("print('SCORE: 0')\n")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 3, done.stdout + done.stderr
    assert "bench/run.py" in done.stdout
