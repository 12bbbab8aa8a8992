"""The guard lock on real git repositories: freeze, tamper in every listed way, verify."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_autoimprove import guard, lockcheck
from pytest_autoimprove.config import load_config
from pytest_autoimprove.errors import GuardError
from pytest_autoimprove.generators.strength import TargetStrength, report_json
from pytest_autoimprove.repo import Snapshot

IMPROVE_MD = """\
# autoimprove: demo
## Change
scope: src/*.py
## Check
test: pytest -q
run: python bench.py
goal: lower
frozen: bench.py
"""

GUARD_TEST = """\
import pytest

@pytest.mark.autoimprove_guard
def test_guard_one():
    assert 1 + 1 == 2

@pytest.mark.autoimprove_guard
def test_guard_two():
    assert "a".upper() == "A"
"""


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


@pytest.fixture(scope="module")
def frozen_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small git repository with improve.md, a benchmark, a conftest and guard tests,
    committed and frozen: built once per module (git and a ``freeze`` subprocess take a
    second), and only ever copied."""
    root = tmp_path_factory.mktemp("guard") / "project"
    (root / "src").mkdir(parents=True)
    (root / "tests" / "autoimprove_guard").mkdir(parents=True)
    (root / "improve.md").write_text(IMPROVE_MD)
    (root / "bench.py").write_text("print('SCORE: 1.0')\n")
    (root / "src" / "fast.py").write_text("def f(x):\n    return x\n")
    (root / "conftest.py").write_text("")
    (root / "tests" / "conftest.py").write_text("import pytest\n")
    (root / "tests" / "autoimprove_guard" / "test_guard_fast.py").write_text(GUARD_TEST)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "demo"\ndependencies = []\n\n[tool.pytest.ini_options]\naddopts = "-q"\n'
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "t@example.com")
    git(root, "config", "user.name", "t")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    result = cli(root, "freeze")
    assert result.returncode == 0, result.stderr
    git(root, "add", "-A")
    git(root, "commit", "-qm", "freeze")
    return root


@pytest.fixture
def project(frozen_project: Path, tmp_path: Path) -> Path:
    """A fresh copy of :func:`frozen_project` (a git repository copies as a whole): each
    test tampers with its own."""
    return Path(shutil.copytree(frozen_project, tmp_path / "project", symlinks=True))


def test_freeze_writes_a_sorted_reviewable_lock(project: Path) -> None:
    text = (project / guard.LOCK_PATH).read_text()
    names = [line.split(" = ")[0].strip('"') for line in text.splitlines() if "sha256" in line]
    assert names == sorted(names)
    assert names == [
        "bench.py",
        "conftest.py",
        "improve.md::## Check",
        "pyproject.toml::[tool.pytest.ini_options]",
        "tests/autoimprove_guard/test_guard_fast.py",
        "tests/conftest.py",
    ]
    assert "guard_tests = 2" in text
    assert 'tool = "pytest-autoimprove ' in text
    assert cli(project, "verify").returncode == 0


def test_freeze_is_deterministic(project: Path) -> None:
    before = (project / guard.LOCK_PATH).read_bytes()
    assert cli(project, "freeze").returncode == 0
    assert (project / guard.LOCK_PATH).read_bytes() == before


@pytest.mark.parametrize(
    ("tamper", "status", "path"),
    [
        (
            lambda root: (root / "bench.py").write_text("print('SCORE: 0.1')\n"),
            "changed",
            "bench.py",
        ),
        (
            lambda root: (root / "tests" / "conftest.py").write_text("import pytest\n# x\n"),
            "changed",
            "tests/conftest.py",
        ),
        (
            lambda root: (root / "src" / "conftest.py").write_text("collect_ignore = ['x']\n"),
            "added",
            "src/conftest.py",
        ),
        (
            lambda root: (root / "tests" / "autoimprove_guard" / "test_guard_fast.py").unlink(),
            "missing",
            "tests/autoimprove_guard/test_guard_fast.py",
        ),
        (
            lambda root: (root / "tox.ini").write_text('[pytest]\naddopts = -k "not guard"\n'),
            "added",
            "tox.ini::[pytest]",
        ),
        (
            lambda root: (root / "pytest.ini").write_text(
                "[pytest]\naddopts = -p no:autoimprove\n"
            ),
            "added",
            "pytest.ini",
        ),
        (
            lambda root: (root / "setup.cfg").write_text("[tool:pytest]\naddopts = -x\n"),
            "added",
            "setup.cfg::[tool:pytest]",
        ),
        (
            lambda root: (root / "pyproject.toml").write_text(
                '[project]\nname = "demo"\n\n[tool.pytest.ini_options]\n'
                'addopts = "-q -k \\"not guard\\""\n'
            ),
            "changed",
            "pyproject.toml::[tool.pytest.ini_options]",
        ),
        (
            lambda root: (root / "improve.md").write_text(
                IMPROVE_MD.replace("goal: lower", "goal: higher")
            ),
            "changed",
            "improve.md::## Check",
        ),
        (
            lambda root: (root / "tests" / "autoimprove_guard" / "test_extra.py").write_text(""),
            "added",
            "tests/autoimprove_guard/test_extra.py",
        ),
    ],
    ids=[
        "frozen-file",
        "conftest-edit",
        "conftest-new",
        "guard-deleted",
        "tox-addopts",
        "pytest-ini",
        "setup-cfg",
        "pyproject-addopts",
        "improve-check",
        "guard-added",
    ],
)
def test_every_kind_of_tampering_is_reported(
    project: Path, tamper: object, status: str, path: str
) -> None:
    assert lockcheck.lock_holds(project, None)
    tamper(project)  # type: ignore[operator]
    # The quick check of --autoimprove-verify never vouches for a tampered tree.
    assert not lockcheck.lock_holds(project, None)
    result = cli(project, "verify")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"  {status}" in result.stdout
    assert path in result.stdout
    assert "fix: restore the frozen files" in result.stdout
    report = json.loads(cli(project, "verify", "--json").stdout)
    assert report["holds"] is False
    assert path in [item["path"] for item in report["against_lock"][status]]


def test_editing_dependencies_does_not_trip_the_guard(project: Path) -> None:
    text = (
        (project / "pyproject.toml")
        .read_text()
        .replace("dependencies = []", 'dependencies = ["attrs"]')
    )
    (project / "pyproject.toml").write_text(text)
    (project / "improve.md").write_text(IMPROVE_MD + "\n## Stop\nrounds: 9\n")
    (project / "src" / "fast.py").write_text("def f(x):\n    return x + 0\n")
    assert cli(project, "verify").returncode == 0


def test_refreeze_on_a_branch_fails_against_the_base(project: Path) -> None:
    git(project, "checkout", "-qb", "agent")
    (project / "bench.py").write_text("print('SCORE: 0.0001')\n")
    assert cli(project, "freeze").returncode == 0
    git(project, "commit", "-qam", "faster")
    assert cli(project, "verify").returncode == 0  # the lock was re-frozen: it holds
    result = cli(project, "verify", "--base", "main")
    assert result.returncode == 1
    assert "the lock itself changed since main" in result.stdout
    assert "bench.py" in result.stdout and "main -> now" in result.stdout
    report = json.loads(cli(project, "verify", "--base", "main", "--json").stdout)
    assert report["lock_changed_since_base"] is True
    assert [item["path"] for item in report["against_base"]["changed"]] == ["bench.py"]


def test_base_unchanged_holds(project: Path) -> None:
    (project / "src" / "fast.py").write_text("def f(x):\n    return x * 1\n")
    result = cli(project, "verify", "--base", "main")
    assert result.returncode == 0, result.stdout
    assert "matches main" in result.stdout


def test_unknown_base_is_a_usage_error(project: Path) -> None:
    result = cli(project, "verify", "--base", "no-such-branch")
    assert result.returncode == 2
    assert "no-such-branch: not a commit" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_lock_is_an_error_with_the_fix(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    result = cli(tmp_path, "verify")
    assert result.returncode == 2
    assert "run `autoimprove-guard freeze`" in result.stderr
    assert "Traceback" not in result.stderr


def test_corrupt_lock_is_an_error(project: Path) -> None:
    (project / guard.LOCK_PATH).write_text("[files]\nnot toml at all = = =\n")
    result = cli(project, "verify")
    assert result.returncode == 2
    assert "unreadable lock" in result.stderr


def test_frozen_entry_that_matches_nothing_is_a_config_error(project: Path) -> None:
    (project / "improve.md").write_text(
        IMPROVE_MD.replace("frozen: bench.py", "frozen: bench.py, data/golden.jsonl")
    )
    result = cli(project, "freeze")
    assert result.returncode == 2
    assert result.stderr.startswith("autoimprove-guard: improve.md:8: frozen: 'data/golden.jsonl'")


def test_malformed_improve_md_is_reported_not_raised(project: Path) -> None:
    (project / "improve.md").write_text("## Check\nrun: x\ngoal: lower\ntimout: 3m\n")
    result = cli(project, "verify")
    assert result.returncode == 2
    assert "improve.md:4: unknown field 'timout'" in result.stderr
    assert "Traceback" not in result.stderr


def test_protected_paths(project: Path) -> None:
    config = load_config(project)
    for path in [
        "bench.py",
        "conftest.py",
        "src/conftest.py",
        "improve.md",
        "tox.ini",
        "pyproject.toml",
        ".autoimprove/guard.lock",
        "tests/autoimprove_guard/x.py",
    ]:
        assert guard.is_protected(path, project, config), path
    assert not guard.is_protected("src/fast.py", project, config)


def test_verify_from_a_commit_snapshot_equals_worktree(project: Path) -> None:
    config = load_config(project)
    now = guard.snapshot_entries(Snapshot(project), config)
    then = guard.snapshot_entries(Snapshot(project, "HEAD"), config)
    assert now == then


def test_lock_without_lock_file_raises_guard_error(tmp_path: Path) -> None:
    with pytest.raises(GuardError):
        guard.read_lock(tmp_path)


_names = st.text("abcdefghij/_.", min_size=1, max_size=20).filter(
    lambda s: not s.startswith("/") and "//" not in s
)
_entries = st.dictionaries(
    _names,
    st.builds(
        guard.Entry, st.text("0123456789abcdef", min_size=64, max_size=64), st.integers(0, 10**9)
    ),
    max_size=20,
)


@given(_entries, st.integers(0, 10_000))
@settings(max_examples=50)
def test_lock_dumps_loads_round_trip(entries: dict[str, guard.Entry], count: int) -> None:
    lock = guard.Lock(entries=entries, guard_tests=count)
    again = guard.Lock.loads(lock.dumps())
    assert dict(again.entries) == entries and again.guard_tests == count
    assert again.dumps() == lock.dumps()


@given(st.none() | st.lists(_names, max_size=4).map(tuple))
@settings(max_examples=30)
def test_the_check_patterns_round_trip_through_the_lock(patterns: tuple[str, ...] | None) -> None:
    lock = guard.Lock(entries={"a.py": guard.Entry("cd" * 32, 1)}, check_patterns=patterns)
    text = lock.dumps()
    assert ("check_patterns = " in text) == (patterns is not None)
    assert guard.Lock.loads(text) == lock
    # a hand-edited lock, read by tomllib, keeps them too
    assert guard.Lock.loads(text.replace("format = 1", "format  =  1")) == lock


@given(st.sampled_from(["env:AUTOIMPROVE_HOLDOUT", '/srv/a "quoted" holdout.jsonl']))
@settings(max_examples=5)
def test_the_sealed_holdout_hash_round_trips_through_the_lock(source: str) -> None:
    sealed = guard.SealedEntry(source, "ab" * 32, 1234)
    lock = guard.Lock(entries={"a.py": guard.Entry("cd" * 32, 1)}, sealed=sealed)
    text = lock.dumps()
    assert "sealed_holdout = { source = " in text
    assert guard.Lock.loads(text).sealed == sealed
    # a hand-edited lock, read by tomllib, keeps it too
    assert guard.Lock.loads(text.replace("format = 1", "format  =  1")).sealed == sealed


def test_status_shows_lock_guardrails_and_runs(project: Path) -> None:
    result = cli(project, "status")
    assert result.returncode == 0, result.stderr
    assert "improve.md: demo: lower other score from `python bench.py`" in result.stdout
    assert "guardrails: 1 test file in tests/autoimprove_guard/" in result.stdout
    assert "guard lock holds: 6 frozen entries, 2 guard tests" in result.stdout
    assert "runs: 0" in result.stdout
    (project / "bench.py").write_text("print('SCORE: 0')\n")
    result = cli(project, "status")
    assert result.returncode == 1  # the lock does not hold: exit 1, with the reason
    assert "guard lock does not hold" in result.stdout
    assert "1 frozen entry differs from the lock:" in result.stdout
    assert "bench.py" in result.stdout and "fix: restore the frozen files" in result.stdout


def test_status_without_a_lock_exits_1_and_says_why(project: Path) -> None:
    (project / ".autoimprove" / "guard.lock").unlink()
    result = cli(project, "status")
    assert result.returncode == 1
    assert "guard lock does not hold" in result.stdout and "freeze" in result.stdout


def test_status_shows_the_strength_report(project: Path) -> None:
    folder = project / "tests" / "autoimprove_guard"
    assert "strength per target" not in cli(project, "status").stdout  # none written yet
    rows = [
        TargetStrength("fast.f", 3, 2, 3, ("line 2: drop a sign",)),
        TargetStrength("fast.g", 0),
    ]
    (folder / "strength.json").write_text(report_json(rows))
    result = cli(project, "status")
    # The report sits in the guard folder: frozen with the tests, so writing it by hand
    # is a change the lock sees.
    assert result.returncode == 1 and "strength.json" in result.stdout
    assert cli(project, "freeze").returncode == 0
    result = cli(project, "status")
    assert result.returncode == 0, result.stdout
    assert "strength per target in scope:" in result.stdout
    assert any(line.split() == ["fast.f", "3", "2/3"] for line in result.stdout.splitlines())
    assert "fast.g: no tests: no reason recorded" in result.stdout
    (folder / "strength.json").write_text("{")
    result = cli(project, "status")
    assert "strength: " in result.stdout and "not a strength report" in result.stdout
    assert "Traceback" not in result.stderr


def test_status_survives_a_broken_improve_md(project: Path) -> None:
    (project / "improve.md").write_text("## Check\nrun: x\n")
    result = cli(project, "status")
    assert result.returncode == 1  # improve.md's ## Check is frozen: the lock does not hold
    assert "improve.md:" in result.stdout and "goal" in result.stdout
    assert "Traceback" not in result.stderr


def test_plugin_frozen_paths_are_recorded_in_the_lock(project: Path, tmp_path: Path) -> None:
    """A plugin's frozen paths are asked at freeze time and kept in the lock."""
    plugin_dir = tmp_path / "site"
    dist = plugin_dir / "freeze_data_plugin-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: freeze-data-plugin\nVersion: 1.0\n"
    )
    (dist / "entry_points.txt").write_text("[pytest_autoimprove]\nfreeze_data = freeze_data\n")
    (plugin_dir / "freeze_data.py").write_text(
        "import pytest\n\n@pytest.hookimpl\n"
        "def pytest_autoimprove_frozen_paths(root, config):\n    return ['data']\n"
    )
    (project / "data").mkdir()
    (project / "data" / "cases.json").write_text("[1, 2]\n")
    env = {**os.environ, "PYTHONPATH": str(plugin_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", "freeze"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    lock = guard.read_lock(project)
    assert lock.patterns == ("data",)
    assert "data/cases.json" in lock.entries
    assert 'extra_patterns = ["data"]' in (project / guard.LOCK_PATH).read_text()
    # Verification needs no plugin: the lock says what it froze.
    (project / "data" / "cases.json").write_text("[1]\n")
    result = cli(project, "verify")
    assert result.returncode == 1 and "data/cases.json" in result.stdout
    config = load_config(project)
    assert guard.is_protected("data/cases.json", project, config, lock.patterns)
