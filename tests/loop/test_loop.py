"""The keep/discard loop end to end on a toy repository with a scripted agent."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from toyrepo import ToyRepo, checkout_state, git, run_loop


def test_mixed_run_keeps_exactly_the_improvements(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(
        rounds=9,
        plan=[
            "improve",
            "break",
            "noop",
            "worse",
            "guard",
            "outside",
            "improve",
            "crash",
            "conftest",
        ],
    )
    before = checkout_state(repo.root)
    code, out = run_loop(repo)
    assert code == 0, out
    assert repo.statuses() == [
        "kept",
        "failed",
        "no-op",
        "discarded",
        "tampered",
        "out-of-scope",
        "kept",
        "crashed",
        "tampered",
    ]
    assert checkout_state(repo.root) == before
    records = repo.records()
    branch = str(repo.journal()[0]["branch"])
    assert branch.startswith("autoimprove/")
    # The branch holds exactly the two improvements, each with its Result trailer.
    log = git(repo.root, "log", "--format=%s%n%b", f"main..{branch}")
    assert log.count("Result: ") == 2
    assert '"status": "kept"' in log
    tip = git(repo.root, "show", f"{branch}:mod.py")
    assert "VALUE = 12" in tip
    # Discarded commits stay reachable for the story of the run.
    assert git(repo.root, "rev-parse", str(records[1]["commit"])).strip()
    assert "baseline 10 -> best 12" in out
    assert f"git merge {branch}" in out
    tsv = (repo.run_dirs()[-1] / "results.tsv").read_text().splitlines()
    assert tsv[0].split("\t") == ["experiment", "commit", "score", "delta", "status", "description"]
    assert len(tsv) == 10


def test_worktree_is_left_at_best_commit(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=2, plan=["improve", "worse"])
    code, out = run_loop(repo)
    assert code == 0, out
    start = repo.journal()[0]
    worktree = Path(str(start["worktree"]))
    assert "VALUE = 11" in (worktree / "mod.py").read_text()
    status = subprocess.run(
        ["git", "-C", str(worktree), "status", "--porcelain"], capture_output=True, text=True
    ).stdout
    assert status == ""
