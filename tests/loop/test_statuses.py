"""Each kind of proposal ends with the status the issue names, and nothing else runs.

(Improve, worse, no-op, broken test, guard and conftest edits, scope escapes and
crashes are covered together by test_loop.py's mixed run.)
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest
from toyrepo import ToyRepo, git, run_loop


@pytest.mark.parametrize(
    ("action", "status", "reason"),
    [
        # os._exit(0) in the code under test: the gate's report ends early (a failure),
        # and the sandbox's watcher names the line that did it (tampering).
        ("exit0", "tampered", "mod.py:10: calls os._exit(0)"),
        ("addopts", "tampered", "pyproject.toml"),
        ("bench", "tampered", "bench.py"),
        ("snapshot", "tampered", "--snapshot-update"),
        ("commit", "kept", ""),
    ],
)
def test_one_experiment(toy: Callable[..., ToyRepo], action: str, status: str, reason: str) -> None:
    repo = toy(rounds=1, plan=[action])
    code, out = run_loop(repo)
    assert code == 0, out
    [record] = repo.records()
    assert record["status"] == status, out
    assert reason in str(record["reason"])
    if status in ("no-op", "tampered", "out-of-scope", "crashed") and action not in (
        "snapshot",
        "exit0",
    ):
        assert record["commit"] is None  # discarded before anything ran


def test_hanging_agent_is_killed_and_crashed(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=1, plan=["hang"], agent_timeout="1s")
    start = time.monotonic()
    code, out = run_loop(repo)
    assert code == 0, out
    assert time.monotonic() - start < 30
    [record] = repo.records()
    assert record["status"] == "crashed"
    assert "timed out" in str(record["reason"])


def test_lingering_child_of_the_agent_does_not_outlive_its_experiment(
    toy: Callable[..., ToyRepo],
) -> None:
    repo = toy(rounds=1, plan=["fork"])
    code, out = run_loop(repo)
    assert code == 0, out
    pid = int(repo.plan.with_suffix(".child").read_text())
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the agent's child {pid} is still running")
    assert repo.statuses() == ["kept"]


def test_stale_stops_the_run(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=20, plan=["noop"] * 20)
    code, out = run_loop(repo, stale=3)
    assert code == 0, out
    assert repo.statuses() == ["no-op"] * 3
    assert "3 experiments in a row without a keep" in out


def test_target_stops_the_run(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=20, plan=["improve"] * 20, extra_check="")
    improve = repo.root / "improve.md"
    improve.write_text(improve.read_text().replace("rounds: 20", "rounds: 20\ntarget: 12"))
    git(repo.root, "commit", "-qam", "target")
    code, out = run_loop(repo)
    assert code == 0, out
    assert repo.statuses() == ["kept", "kept"]
    assert "target 12 reached" in out


def test_budget_stops_the_run(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=50, plan=["slow"] * 50)
    code, out = run_loop(repo, budget=1.0)
    assert code == 0, out
    assert 1 <= len(repo.records()) <= 3
    assert "budget" in out


def test_unknown_provider_is_one_line_config_error(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=1)
    improve = repo.root / "improve.md"
    text = improve.read_text()
    text = text.replace("provider: command", "provider: my-search")
    improve.write_text(text)
    git(repo.root, "commit", "-qam", "a provider no plugin implements")
    code, out = run_loop(repo)
    assert code == 2
    assert "no proposer handles provider 'my-search'" in out
    assert "Traceback" not in out


def test_an_experiment_cut_by_the_end_of_the_budget_is_cut_not_crashed(
    toy: Callable[..., ToyRepo],
) -> None:
    repo = toy(rounds=5, plan=["hang"], agent_timeout="60s")
    code, out = run_loop(repo, budget=2.0)
    assert code == 0, out
    [record] = repo.records()
    assert record["status"] == "cut"
    assert record["reason"] == "the budget ran out during the proposal"
    assert "1 cut" in out and "crashed" not in out
    results = (repo.run_dirs()[-1] / "results.tsv").read_text().splitlines()
    assert results[1].split("\t")[4] == "cut"
