"""kill -9 at random moments, then --autoimprove-resume: nothing lost, nothing doubled."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from toyrepo import ToyRepo, checkout_state, git, subprocess_env

PLAN = ["improve", "worse", "break", "improve", "noop", "improve"]


def start(repo: ToyRepo, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "--autoimprove", *args],
        cwd=repo.root,
        env=subprocess_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_sigkill_then_resume_loses_nothing(toy: Callable[..., ToyRepo], seed: int) -> None:
    rng = random.Random(seed)
    repo = toy(rounds=len(PLAN), plan=PLAN)
    before = checkout_state(repo.root)
    proc = start(repo)
    kills = 0
    for _ in range(2):
        try:
            proc.wait(timeout=rng.uniform(1.0, 4.0))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            time.sleep(1.0)  # let the orphaned step (own process group) finish
        if not repo.run_dirs():
            proc = start(repo)  # killed before the run folder existed: start again
            continue
        proc = start(repo, "--autoimprove-resume")
    assert proc.wait(timeout=120) == 0
    assert kills >= 1
    numbers = [int(str(r["number"])) for r in repo.records()]
    assert numbers == list(range(1, len(PLAN) + 1)), (seed, kills, numbers)
    kept = [n for n, r in zip(numbers, repo.records(), strict=True) if r["status"] == "kept"]
    assert kept == [1, 4, 6]
    branch = str(repo.journal()[0]["branch"])
    assert "VALUE = 13" in git(repo.root, "show", f"{branch}:mod.py")
    assert checkout_state(repo.root) == before
    tsv = (repo.run_dirs()[-1] / "results.tsv").read_text().splitlines()
    assert [row.split("\t")[0] for row in tsv[1:]] == [str(n) for n in numbers]


def test_resume_names_a_run_and_rejects_unknown_ones(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=1, plan=["improve"])
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--autoimprove", "--autoimprove-resume", "nope"],
        cwd=repo.root,
        env=subprocess_env(),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "no run to resume" in done.stdout or "no such run" in done.stdout
