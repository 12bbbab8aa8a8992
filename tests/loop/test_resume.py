"""kill -9 at random moments, then --autoimprove-resume: nothing lost, nothing doubled."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

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


# --- kill -9 mid-proposal: nothing the killed run started lands in the resumed one ----


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2] not in "ZX"


def _wait_until(check: Callable[[], bool], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def _processes(needle: bytes, where: str) -> list[int]:
    """Live processes whose ``/proc/<pid>/<where>`` holds ``needle``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                data = (entry / where).read_bytes()
            except OSError:
                continue
            if needle in data and _alive(int(entry.name)):
                found.append(int(entry.name))
    return found


def _kept_changes(repo: ToyRepo) -> list[str]:
    """Per commit from the run's base to its tip: the lines it changed in mod.py."""
    start = repo.journal()[0]
    base, branch = str(start["base_commit"]), str(start["branch"])
    commits = git(repo.root, "rev-list", "--reverse", f"{base}..{branch}").split()
    changes = []
    for commit in commits:
        diff = git(repo.root, "diff", "-U0", f"{commit}~1", commit)
        lines = [
            line
            for line in diff.splitlines()
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]
        changes.append(" ".join(lines))
    return changes


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("watchdog", ["alive", "killed too"])
def test_kill_9_mid_proposal_leaves_nothing_for_the_resumed_run(
    toy: Callable[..., ToyRepo], watchdog: str
) -> None:
    plan = ["escape", "slow", "slow", "slow"]
    repo = toy(rounds=len(plan), plan=plan)
    env = {**subprocess_env(), "FAKE_AGENT_SLEEP": "0.5"}
    loop = subprocess.Popen(
        [sys.executable, "-m", "pytest", "--autoimprove"],
        cwd=repo.root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    child_file = repo.plan.with_suffix(".child")
    try:
        assert _wait_until(lambda: child_file.exists() and bool(child_file.read_text()))
        stray = int(child_file.read_text())
        token = str(repo.journal()[0]["token"]).encode()
        if watchdog == "killed too":
            (watcher,) = _processes(token, "cmdline")
            os.kill(watcher, signal.SIGKILL)
        loop.send_signal(signal.SIGKILL)
        loop.wait()
        if watchdog == "alive":
            assert _wait_until(lambda: not _alive(stray), timeout=10)
        else:
            time.sleep(1.0)
            assert _alive(stray)  # nobody left to end it: the resume must
        resumed = subprocess.run(
            [sys.executable, "-m", "pytest", "--autoimprove", "--autoimprove-resume"],
            cwd=repo.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert resumed.returncode == 0, resumed.stdout + resumed.stderr
        if watchdog == "killed too":
            assert "the interrupted run left running" in resumed.stdout
        assert not _alive(stray)
        assert not _processes(token, "environ")
        assert repo.statuses() == ["kept"] * len(plan)
        assert _kept_changes(repo) == [
            f"-VALUE = {value} +VALUE = {value + 1}" for value in range(10, 10 + len(plan))
        ]
    finally:
        if loop.poll() is None:
            loop.kill()
        if child_file.exists():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(child_file.read_text()), signal.SIGKILL)


def test_a_run_that_is_still_running_is_not_resumed(toy: Callable[..., ToyRepo]) -> None:
    # Resuming ends what the run left running: never while the run itself still runs.
    repo = toy(rounds=2, plan=["hang"])
    loop = subprocess.Popen(
        [sys.executable, "-m", "pytest", "--autoimprove"],
        cwd=repo.root,
        env=subprocess_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait_until(lambda: len(repo.calls()) == 1)
        token = str(repo.journal()[0]["token"]).encode()
        agents = _processes(token, "environ")
        assert agents
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "--autoimprove", "--autoimprove-resume"],
            cwd=repo.root,
            env=subprocess_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2
        assert f"is in progress (pid {loop.pid})" in done.stdout
        assert all(_alive(pid) for pid in agents)
        assert loop.poll() is None
    finally:
        loop.send_signal(signal.SIGINT)
        assert loop.wait(timeout=60) == 130
