"""Ctrl-C: the first finishes cleanly at the best commit, a second stops at once."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from toyrepo import ToyRepo, checkout_state, subprocess_env


def wait_for_call(repo: ToyRepo, count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while len(repo.calls()) < count:
        assert time.monotonic() < deadline, "the agent was never called"
        time.sleep(0.05)


@pytest.mark.parametrize("presses", [1, 2])
def test_ctrl_c_leaves_the_worktree_at_the_best_commit(
    toy: Callable[..., ToyRepo], presses: int
) -> None:
    repo = toy(rounds=5, plan=["improve", "hang"])
    before = checkout_state(repo.root)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "--autoimprove"],
        cwd=repo.root,
        env=subprocess_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_for_call(repo, 2)  # the agent hangs in experiment 2
    time.sleep(0.3)
    for _ in range(presses):
        proc.send_signal(signal.SIGINT)
        time.sleep(0.05)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, out
    assert "Traceback" not in out
    journal = repo.journal()
    worktree = Path(str(journal[0]["worktree"]))
    assert "VALUE = 11" in (worktree / "mod.py").read_text()
    status = subprocess.run(
        ["git", "-C", str(worktree), "status", "--porcelain"], capture_output=True, text=True
    ).stdout
    assert status == ""
    assert [e["reason"] for e in journal if e["event"] == "stop"] == ["interrupted"], out
    # The experiment in flight was cut, not crashed, and says so everywhere.
    assert repo.statuses() == ["kept", "cut"]
    assert "interrupted" in str(repo.records()[1]["reason"])
    results = (repo.run_dirs()[-1] / "results.tsv").read_text().splitlines()
    assert results[-1].split("\t")[4] == "cut"
    if presses == 1:
        assert "to merge it: git merge" in out
    assert checkout_state(repo.root) == before


def test_an_interrupted_run_leaves_no_signal_ignored_for_later_processes(
    toy: Callable[..., ToyRepo],
) -> None:
    # In-process (as pytest runs it), SIGTERM mid-run. Afterwards a late signal is still
    # swallowed in this process, but an ignored disposition would pass to every process
    # started later (exec keeps SIG_IGN): a later Ctrl-C would reach none of them.
    import threading

    from toyrepo import run_loop

    repo = toy(rounds=3, plan=["sleep:3:noop"] * 3)
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def when_proposing() -> None:
        wait_for_call(repo, 1)
        signal.raise_signal(signal.SIGTERM)

    timer = threading.Timer(0.0, when_proposing)
    try:
        timer.start()
        code, out = run_loop(repo)
        timer.join()
        assert code == 130, out
        for sig in before:
            assert signal.getsignal(sig) is not signal.SIG_IGN
        probe = "import signal, sys; sys.exit(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)"
        assert subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0
    finally:
        timer.cancel()
        for sig, handler in before.items():
            signal.signal(sig, handler)
