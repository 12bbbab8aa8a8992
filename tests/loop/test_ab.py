"""The loop measures the best beside each candidate: load that comes and goes decides nothing.

The toy benchmark's "time" is ``mod.VALUE`` times the load of the moment. The load
lives in a file outside the repository: a run counter, and a machine that is slowed
by 30% during the first five runs (the baseline), then free for three runs, slowed
for three, over and over. The baseline's runs also wobble, so the score is noisy and
the loop judges in A/B pairs. Against the baseline alone, a no-op measured while
the machine is free would look 23% faster.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from toyrepo import ToyRepo, checkout_state, git, run_loop, subprocess_env

from pytest_autoimprove.loop import integrity

BENCH = """\
import json
import os
from pathlib import Path

import mod

machine = Path({machine!r})
state = json.loads(machine.read_text()) if machine.exists() else {{"runs": 0, "where": []}}
run = state["runs"]
state["runs"] = run + 1
state["where"].append(os.getcwd())
machine.write_text(json.dumps(state))
load = 1.3 if run < 5 or ((run - 5) // 3) % 2 else 1.0
wobble = (0.0, 0.02, -0.02, 0.01, -0.01)[run] if run < 5 else 0.0
print(f"SCORE: {{mod.VALUE * load * (1 + wobble)}}")
"""

PLAN = ["comment", "cut30", "comment"]


def ab_repo(toy: Callable[..., ToyRepo], tmp_path: Path) -> tuple[ToyRepo, Path]:
    machine = tmp_path / "machine.json"
    repo = toy(rounds=len(PLAN), plan=PLAN, goal="lower", bench=BENCH.format(machine=str(machine)))
    return repo, machine


def check_outcome(repo: ToyRepo) -> None:
    assert repo.statuses() == ["discarded", "kept", "discarded"]
    records = repo.records()
    for record in records:
        samples, beside = record["samples"], record["best_beside"]
        assert isinstance(samples, list) and isinstance(beside, list)
        assert len(samples) == len(beside) >= 3
        assert "A/B pairs" in str(record["reason"])
    kept = records[1]
    assert str(kept["reason"]).startswith("better by 30.0% (p=0.016, 6 A/B pairs")
    assert abs(float(str(kept["relative_delta"])) + 0.3) < 1e-9
    branch = str(repo.journal()[0]["branch"])
    assert "VALUE = 7" in git(repo.root, "show", f"{branch}:mod.py")
    log = git(repo.root, "log", "--format=%b", f"main..{branch}")
    assert log.count("Result: ") == 1
    result = json.loads(log.split("Result: ", 1)[1].splitlines()[0])
    assert result["status"] == "kept"
    assert result["delta"] == kept["delta"]
    assert float(str(kept["delta"])) < 0
    tsv = (repo.run_dirs()[-1] / "results.tsv").read_text().splitlines()
    assert [row.split("\t")[4] for row in tsv[1:]] == ["discarded", "kept", "discarded"]


def test_an_honest_gain_is_kept_and_noops_are_not_while_the_load_flips(
    toy: Callable[..., ToyRepo], tmp_path: Path
) -> None:
    repo, machine = ab_repo(toy, tmp_path)
    before = checkout_state(repo.root)
    code, out = run_loop(repo)
    assert code == 0, out
    check_outcome(repo)
    assert checkout_state(repo.root) == before
    first = repo.records()[0]
    assert "within noise" in str(first["reason"])
    # The baseline ran under load: best over baseline is what the pairs measured.
    assert "(-30.00% measured beside the best, goal: lower)" in out

    # The best ran in its own worktree beside the candidate's, and is gone at the end.
    worktree = str(repo.journal()[0]["worktree"])
    where = json.loads(machine.read_text())["where"]
    besides = [r["best_beside"] for r in repo.records()]
    best_runs = sum(len(b) for b in besides if isinstance(b, list))
    assert where.count(worktree + "-best") == best_runs
    assert where.count(worktree) > where.count(worktree + "-best")
    assert not Path(worktree + "-best").exists()
    assert "-best" not in git(repo.root, "worktree", "list")


def test_a_candidate_that_writes_into_the_best_worktree_is_tampered(
    toy: Callable[..., ToyRepo], tmp_path: Path
) -> None:
    repo = toy(
        rounds=1,
        plan=["poison"],
        goal="lower",
        bench=BENCH.format(machine=str(tmp_path / "machine.json")),
    )
    code, out = run_loop(repo)
    assert code == 0, out
    assert repo.statuses() == ["tampered"]
    reason = str(repo.records()[0]["reason"])
    # The sandbox's watcher sees the write as it happens, with its line...
    assert reason.startswith("mod.py:"), reason
    assert "-best/sitecustomize.py, outside the tree and the sandbox" in reason


def test_the_best_worktree_is_checked_also_without_the_sandbox(
    toy: Callable[..., ToyRepo], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """... and the best's worktree is checked after the measuring, whatever wrote it."""
    monkeypatch.setattr(integrity, "ENABLED", False)
    repo = toy(
        rounds=1,
        plan=["poison"],
        goal="lower",
        bench=BENCH.format(machine=str(tmp_path / "machine.json")),
    )
    code, out = run_loop(repo)
    assert code == 0, out
    assert repo.statuses() == ["tampered"]
    reason = str(repo.records()[0]["reason"])
    assert reason == (
        "the tests or benchmark changed sitecustomize.py in the best commit's worktree"
    )


def test_a_deterministic_score_needs_no_second_worktree(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=2, plan=["improve", "comment"])
    code, out = run_loop(repo)
    assert code == 0, out
    assert repo.statuses() == ["kept", "discarded"]
    assert all(r["best_beside"] == [] for r in repo.records())
    assert len(repo.records()[0]["samples"]) == 1  # type: ignore[arg-type]
    runs = repo.root / ".autoimprove" / "worktrees"
    assert not [p for p in runs.iterdir() if p.name.endswith("-best")]


def test_a_kill_while_pairs_run_is_resumed_from_the_experiment_start(
    toy: Callable[..., ToyRepo], tmp_path: Path
) -> None:
    repo, machine = ab_repo(toy, tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "--autoimprove"],
        cwd=repo.root,
        env=subprocess_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def read(what: Callable[[], int]) -> int:
        """Files written while we read them: try again on a partial one."""
        while True:
            try:
                return what()
            except (ValueError, OSError, IndexError):
                time.sleep(0.005)

    def staged_events() -> int:
        if not repo.run_dirs():
            return 0
        return sum(1 for e in repo.journal() if e["event"] == "staged")

    def machine_runs() -> int:
        return int(json.loads(machine.read_text())["runs"])

    # Kill once experiment 2 is measuring: its "staged" event is in the journal and
    # the machine counted some of its runs.
    deadline = time.monotonic() + 120
    killed = False
    while proc.poll() is None and time.monotonic() < deadline:
        if read(staged_events) >= 2:
            runs = read(machine_runs)
            while read(machine_runs) < runs + 4 and proc.poll() is None:
                time.sleep(0.01)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            killed = True
            break
        time.sleep(0.02)
    assert killed, "the loop ended before experiment 2 was measured"
    assert repo.statuses() == ["discarded"]
    time.sleep(0.5)  # the benchmark in flight (its own process group) ends

    code, out = run_loop(repo, resume="last")
    assert code == 0, out
    assert "experiment 2 is done again" in out
    check_outcome(repo)
