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


def journal_events(repo: ToyRepo) -> int:
    runs = repo.run_dirs()
    journal = runs[-1] / "journal.jsonl" if runs else None
    if journal is None or not journal.is_file():
        return 0
    return len(journal.read_bytes().splitlines())


def kill_after(repo: ToyRepo, proc: subprocess.Popen[bytes], events: int, pause: float) -> bool:
    """SIGKILL the loop once its journal holds ``events`` events (plus ``pause`` seconds).

    Kill moments are tied to the run's progress, not to the clock, so a faster loop
    is still killed mid-run; the pause lands the kill inside a step.
    """
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if journal_events(repo) >= events:
            time.sleep(pause)
            if proc.poll() is not None:
                return False
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            time.sleep(1.0)  # let the orphaned step (own process group) finish
            return True
        time.sleep(0.005)
    return False


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_then_resume_loses_nothing(toy: Callable[..., ToyRepo], seed: int) -> None:
    rng = random.Random(seed)
    repo = toy(rounds=len(PLAN), plan=PLAN)
    before = checkout_state(repo.root)
    proc = start(repo)
    kills = 0
    first = rng.randint(2, 12)
    for events in (first, first + rng.randint(4, 14)):
        if kill_after(repo, proc, events, rng.uniform(0.0, 0.3)):
            kills += 1
        proc.wait()
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
