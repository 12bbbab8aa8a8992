"""``autoimprove-guard clean``: finished runs go, kept branches stay (unless --all), a run
in progress and the user's checkout are never touched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "loop"))
from toyrepo import ToyRepo, checkout_state, git, make_repo, run_loop  # noqa: E402

from pytest_autoimprove.loop.runlock import RunLock  # noqa: E402


def clean(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", "clean", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def repository_state(root: Path) -> dict[str, object]:
    """The checkout plus everything of git a run may add to: refs, worktrees, excludes."""
    return {
        **checkout_state(root),
        "refs": git(root, "for-each-ref", "--format=%(refname) %(objectname)"),
        "worktrees": git(root, "worktree", "list", "--porcelain"),
        "exclude": (root / ".git" / "info" / "exclude").read_text(),
        "state dir": sorted(p.name for p in (root / ".autoimprove").iterdir()),
    }


@pytest.fixture
def finished(tmp_path: Path) -> tuple[ToyRepo, dict[str, object], str]:
    """A run with one kept and one discarded experiment, and the state before it."""
    repo = make_repo(tmp_path, rounds=2, plan=["improve", "worse"])
    before = repository_state(repo.root)
    code, out = run_loop(repo)
    assert code == 0, out
    assert repo.statuses() == ["kept", "discarded"]
    return repo, before, repo.run_dirs()[-1].name


def test_clean_removes_a_finished_run_but_its_kept_branch(
    finished: tuple[ToyRepo, dict[str, object], str],
) -> None:
    repo, before, run_id = finished
    result = clean(repo.root)
    assert result.returncode == 0, result.stderr
    assert (
        f"run {run_id}: removed worktree, 1 discarded ref, run folder; "
        f"branch autoimprove/{run_id} kept (1 commit not in HEAD" in result.stdout
    )
    after = repository_state(repo.root)
    assert after["refs"] != before["refs"]  # the kept branch
    assert git(repo.root, "for-each-ref", "--format=%(refname)", "refs/autoimprove/") == ""
    assert {k: v for k, v in after.items() if k != "refs"} == {
        k: v for k, v in before.items() if k != "refs"
    }
    # Then --all, after listing the branch, leaves the repository as it was before the run.
    result = clean(repo.root, "--all", "--yes")
    assert result.returncode == 0, result.stderr
    assert f"autoimprove/{run_id}: 1 commit not in HEAD" in result.stdout
    assert repository_state(repo.root) == before


def test_clean_all_asks_before_deleting_kept_branches(
    finished: tuple[ToyRepo, dict[str, object], str],
) -> None:
    repo, _, run_id = finished
    result = clean(repo.root, "--all")  # no terminal to ask on, no --yes
    assert result.returncode == 2
    assert f"autoimprove/{run_id}: 1 commit not in HEAD" in result.stdout
    assert "needs a yes" in result.stderr and "--yes" in result.stderr
    assert repo.run_dirs() and git(repo.root, "branch", "--list", f"autoimprove/{run_id}")


def test_clean_dry_run_removes_nothing(finished: tuple[ToyRepo, dict[str, object], str]) -> None:
    repo, _, run_id = finished
    state = repository_state(repo.root)
    result = clean(repo.root, "--dry-run")
    assert result.returncode == 0
    assert f"run {run_id}: would remove worktree, 1 discarded ref, run folder" in result.stdout
    assert repository_state(repo.root) == state


def test_a_run_without_keeps_loses_its_branch_too(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, rounds=1, plan=["worse"])
    before = repository_state(repo.root)
    code, out = run_loop(repo)
    assert code == 0, out
    result = clean(repo.root)
    assert result.returncode == 0, result.stderr
    assert "branch autoimprove/" in result.stdout and "kept" not in result.stdout
    assert repository_state(repo.root) == before


def test_a_run_in_progress_is_left_alone(
    finished: tuple[ToyRepo, dict[str, object], str],
) -> None:
    repo, _, run_id = finished
    lock = RunLock(repo.run_dirs()[-1])
    assert lock.acquire() is None  # this process runs it now
    try:
        state = repository_state(repo.root)
        result = clean(repo.root, "--all", "--yes")
        assert result.returncode == 0, result.stderr
        import os

        assert f"run {run_id}: in progress (pid {os.getpid()}); left alone" in result.stdout
        assert repository_state(repo.root) == state
    finally:
        lock.release()
    assert clean(repo.root, "--all", "--yes").returncode == 0
    assert not repo.run_dirs()


def test_a_branch_the_user_checked_out_is_kept(
    finished: tuple[ToyRepo, dict[str, object], str],
) -> None:
    repo, _, run_id = finished
    clean(repo.root)  # the worktree goes, so the branch can be checked out here
    git(repo.root, "checkout", "-q", f"autoimprove/{run_id}")
    result = clean(repo.root, "--all", "--yes")
    assert result.returncode == 0
    assert f"branch autoimprove/{run_id} kept: it is checked out" in result.stdout
    assert git(repo.root, "symbolic-ref", "HEAD").strip() == f"refs/heads/autoimprove/{run_id}"


def test_nothing_to_clean(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, rounds=1)
    result = clean(repo.root)
    assert result.returncode == 0
    assert "nothing to clean" in result.stdout
