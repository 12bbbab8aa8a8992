"""Parallel runs: N workers in their own trees, one driver deciding, git merging.

Real git repositories, real subprocesses, the scripted agent of agents/fake_agent.py:
each experiment's action comes from the plan by its number, and ``sleep:S:ACTION``
makes an agent think for S seconds first, which orders who finishes first.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from toyrepo import ToyRepo, checkout_state, git, run_loop, subprocess_env

#: The score is VALUE + BONUS: two files a change can improve apart.
BENCH_AB = """\
import extra
import mod

print(f"SCORE: {mod.VALUE + extra.BONUS}")
"""
EXTRA = "BONUS = 0\n"
TWO_FILES = {"extra.py": EXTRA}


def two_files(
    toy: Callable[..., ToyRepo],
    *,
    rounds: int,
    plan: list[str],
    workers: int = 2,
    files: dict[str, str] = TWO_FILES,
    change: str = "scope: mod.py, extra.py",
) -> ToyRepo:
    """A toy repository of mod.py and extra.py (the benchmark sums both) run by
    ``workers`` parallel workers on ``plan``."""
    return toy(
        rounds=rounds, plan=plan, agent_extra=f"workers: {workers}", bench=BENCH_AB,
        files=files, change=change,
    )  # fmt: skip


def by_number(repo: ToyRepo) -> dict[int, dict[str, object]]:
    return {int(str(r["number"])): r for r in repo.records()}


def branch_file(repo: ToyRepo, name: str) -> str:
    branch = str(repo.journal()[0]["branch"])
    return git(repo.root, "show", f"{branch}:{name}")


def test_workers_run_at_once_and_every_experiment_is_recorded_once(
    toy: Callable[..., ToyRepo],
) -> None:
    plan = ["sleep:1:noop"] * 4
    repo = toy(rounds=4, plan=plan, agent_extra="workers: 4")
    before = checkout_state(repo.root)
    started = time.monotonic()
    code, out = run_loop(repo)
    took = time.monotonic() - started
    assert code == 0, out
    assert sorted(by_number(repo)) == [1, 2, 3, 4]
    assert repo.statuses() == ["no-op"] * 4
    assert took < 4 * 1.0 + 8, took  # four 1 s proposals overlapped (not a timing claim)
    begins = [e for e in repo.journal() if e["event"] == "begin"]
    assert sorted(int(str(e["worker"])) for e in begins) == [1, 2, 3, 4]
    header = (repo.run_dirs()[-1] / "results.tsv").read_text().splitlines()[0].split("\t")
    assert header[-2:] == ["worker", "part"]
    assert checkout_state(repo.root) == before
    worktrees = git(repo.root, "worktree", "list")
    assert "-w1" not in worktrees and "-best" not in worktrees


def test_a_stale_improvement_is_replayed_on_the_new_best_and_kept(
    toy: Callable[..., ToyRepo],
) -> None:
    # 1 improves mod.py at once; 2 improves extra.py on the baseline, slowly: by the
    # time it is judged the best has moved, so it is merged onto the new best and
    # verified again as a whole.
    plan = ["improve", "sleep:4:improve_b"]
    repo = two_files(toy, rounds=2, plan=plan)
    code, out = run_loop(repo)
    assert code == 0, out
    records = by_number(repo)
    assert [records[1]["status"], records[2]["status"]] == ["kept", "kept"], out
    assert records[2]["replayed"] == 1
    baseline = next(e for e in repo.journal() if e["event"] == "baseline")
    assert records[2]["base"] == baseline["commit"]
    assert "VALUE = 11" in branch_file(repo, "mod.py")
    assert "BONUS = 1" in branch_file(repo, "extra.py")
    # The best had moved when 2 was staged: it was merged onto it before its checks,
    # and checked once, on the tree it was kept as.
    replays = [e for e in repo.journal() if e["event"] == "replay"]
    assert [(e["number"], e.get("before_checks")) for e in replays] == [(2, True)]
    branch = str(repo.journal()[0]["branch"])
    message = git(repo.root, "log", "-1", "--format=%B", branch)
    assert '"status": "kept"' in message and '"worker": ' in message


#: A test that takes 3 s on exactly one tree: mod.py improved, extra.py not.
SLOW_ON_11_0 = """\
import time

import extra
import mod


def test_slow_on_one_tree():
    if mod.VALUE == 11 and extra.BONUS == 0:
        time.sleep(3)
"""


def test_a_replay_runs_in_a_lane_of_its_own_while_its_worker_proposes_again(
    toy: Callable[..., ToyRepo],
) -> None:
    # 1 improves mod.py at once, but its tests take 3 s; 2 improves extra.py after 1 s
    # and is kept first. 1 turns out an improvement on a best that has moved: it is
    # replayed on the new best in the replay lane, while worker 1 proposes 4.
    plan = ["improve", "sleep:1:improve_b", "sleep:5:noop", "sleep:1:noop"]
    slow = {**TWO_FILES, "tests/test_slow.py": SLOW_ON_11_0}
    repo = two_files(toy, rounds=4, plan=plan, files=slow)
    code, out = run_loop(repo)
    assert code == 0, out
    records = by_number(repo)
    assert [records[n]["status"] for n in (1, 2)] == ["kept", "kept"], out
    assert records[1]["replayed"] == 1 and records[1]["worker"] == 1
    events = repo.journal()
    order = _steps(events)
    assert order.index(("replay", 1)) < order.index(("begin", 4)) < order.index(("experiment", 1))
    begin4 = next(e for e in events if e["event"] == "begin" and e["number"] == 4)
    assert begin4["worker"] == 1
    assert "VALUE = 11" in branch_file(repo, "mod.py")
    assert "BONUS = 1" in branch_file(repo, "extra.py")
    assert "-w3" not in git(repo.root, "worktree", "list")  # the lane's tree is gone too


def _steps(events: list[dict[str, object]]) -> list[tuple[str, object]]:
    """Each journal event as (event, experiment number), in order."""
    steps = []
    for event in events:
        record = event.get("record")
        number = record.get("number") if isinstance(record, dict) else event.get("number")
        steps.append((str(event["event"]), number))
    return steps


def test_a_stale_improvement_that_no_longer_merges_is_a_conflict(
    toy: Callable[..., ToyRepo],
) -> None:
    plan = ["improve", "sleep:2:improve2"]
    repo = toy(rounds=2, plan=plan, agent_extra="workers: 2")
    code, out = run_loop(repo)
    assert code == 0, out
    records = by_number(repo)
    assert [records[1]["status"], records[2]["status"]] == ["kept", "conflict"], out
    assert "conflicts with the best" in str(records[2]["reason"])
    assert "mod.py" in str(records[2]["reason"])
    # recorded everywhere: results.tsv, the commit's trailer, the summary
    rows = (repo.run_dirs()[-1] / "results.tsv").read_text().splitlines()
    assert any("\tconflict\t" in row for row in rows)
    ref = f"refs/autoimprove/{repo.journal()[0]['run_id']}/2"
    assert '"status": "conflict"' in git(repo.root, "log", "-1", "--format=%B", ref)
    assert "1 conflict" in out
    assert "VALUE = 11" in branch_file(repo, "mod.py")


def test_two_parts_improved_by_two_workers_end_in_one_merged_branch(
    toy: Callable[..., ToyRepo],
) -> None:
    plan = ["part", "sleep:1.5:part", "sleep:0.5:part", "sleep:1.5:part"]
    repo = two_files(toy, rounds=4, plan=plan, change="part: core = mod.py\npart: extra = extra.py")
    code, out = run_loop(repo)
    assert code == 0, out
    records = by_number(repo)
    assert {str(r["part"]) for r in records.values()} == {"core", "extra"}
    kept = [r for r in records.values() if r["status"] == "kept"]
    assert {str(r["part"]) for r in kept} == {"core", "extra"}, out
    assert any(int(str(r.get("replayed", 0))) for r in kept), out
    mod, extra = branch_file(repo, "mod.py"), branch_file(repo, "extra.py")
    core_keeps = sum(1 for r in kept if r["part"] == "core")
    extra_keeps = sum(1 for r in kept if r["part"] == "extra")
    assert f"VALUE = {10 + core_keeps}" in mod and f"BONUS = {extra_keeps}" in extra
    # The merged branch passes every guardrail and test on its own.
    worktree = Path(str(repo.journal()[0]["worktree"]))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=worktree,
        env={**subprocess_env(), "PYTHONPATH": str(worktree)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout
    assert "2 passed" in done.stdout
    # The report says which worker and part each experiment came from, and when the
    # best moved.
    from pytest_autoimprove.cli.report import build, render_table

    data, report, plotted = build(repo.root, None)
    text = report.read_text()
    assert "| # | worker | part | status |" in text
    assert "## When the best moved" in text and "part extra" in text and "part core" in text
    assert plotted and (report.parent / "progress.png").stat().st_size > 0
    assert " [core] " in render_table(data, width=200)


def test_a_part_touching_another_part_is_out_of_scope(toy: Callable[..., ToyRepo]) -> None:
    plan = ["improve_b"]  # worker 1 serves part core (mod.py) but edits extra.py
    repo = two_files(toy, rounds=1, plan=plan, change="part: core = mod.py\npart: extra = extra.py")
    code, out = run_loop(repo)
    assert code == 0, out
    assert repo.statuses() == ["out-of-scope"]


def start(repo: ToyRepo, *args: str, log: Path | None = None) -> subprocess.Popen[bytes]:
    """The loop as a user runs it; its output in ``log`` (else a pipe)."""
    out = log.open("ab") if log is not None else subprocess.PIPE
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "pytest", "--autoimprove", *args],
            cwd=repo.root,
            env=subprocess_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    finally:
        if log is not None:
            out.close()  # type: ignore[union-attr]


def test_ctrl_c_ends_every_workers_processes(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=6, plan=["improve"] + ["hang_pid"] * 5, agent_extra="workers: 3")
    before = checkout_state(repo.root)
    proc = start(repo)
    pids_file = repo.plan.with_suffix(".pids")
    deadline = time.monotonic() + 60
    while len(pids_file.read_text().split() if pids_file.exists() else []) < 3:
        assert time.monotonic() < deadline and proc.poll() is None, "workers never hung"
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    text = out.decode()
    assert proc.returncode == 130, text
    assert "Traceback" not in text
    for pid in pids_file.read_text().split():
        assert not Path(f"/proc/{pid}").exists() or _zombie(int(pid)), f"agent {pid} survived"
    # The experiments in flight are recorded as cut, the kept one stays kept.
    assert [by_number(repo)[n]["status"] for n in (1, 2, 3, 4)] == ["kept"] + ["cut"] * 3
    assert [e["reason"] for e in repo.journal() if e["event"] == "stop"] == ["interrupted"]
    worktree = Path(str(repo.journal()[0]["worktree"]))
    assert "VALUE = 11" in (worktree / "mod.py").read_text()
    assert git(worktree, "status", "--porcelain") == ""
    assert checkout_state(repo.root) == before


def test_ctrl_c_records_the_attempts_in_flight_as_cut_and_resume_goes_on_after_them(
    toy: Callable[..., ToyRepo],
) -> None:
    # 1 is kept at once; 2, 3 and 4 think for a minute and are in flight at the Ctrl-C.
    plan = ["improve", "sleep:60:improve_b", "sleep:60:worse", "sleep:60:improve"]
    repo = two_files(toy, rounds=6, plan=plan, workers=3)
    before = checkout_state(repo.root)
    proc = start(repo)
    deadline = time.monotonic() + 60
    while len(repo.calls()) < 4:
        assert time.monotonic() < deadline and proc.poll() is None, "4 never started"
        time.sleep(0.05)
    time.sleep(0.5)  # every agent is asleep in its own worker
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    text = out.decode()
    assert proc.returncode == 130, text
    assert "Traceback" not in text
    records = by_number(repo)
    assert [records[n]["status"] for n in (1, 2, 3, 4)] == ["kept", "cut", "cut", "cut"], text
    for n in (2, 3, 4):
        assert "interrupted" in str(records[n]["reason"])
        assert records[n]["worker"] in (1, 2, 3) and records[n].get("commit") is None
    rows = (repo.run_dirs()[-1] / "results.tsv").read_text().splitlines()
    cells = {int(row.split("\t")[0]): row.split("\t") for row in rows[1:]}
    assert sorted(cells) == [1, 2, 3, 4]
    assert [cells[n][4] for n in (2, 3, 4)] == ["cut"] * 3
    # The branch holds only kept work: the baseline and experiment 1.
    journal = repo.journal()
    branch = str(journal[0]["branch"])
    tip = git(repo.root, "rev-parse", branch).strip()
    assert tip == records[1]["commit"]
    assert git(repo.root, "rev-list", "--count", branch).strip() == "2"
    worktree = Path(str(journal[0]["worktree"]))
    assert "VALUE = 11" in (worktree / "mod.py").read_text()
    assert "BONUS = 0" in (worktree / "extra.py").read_text()
    assert git(worktree, "status", "--porcelain") == ""
    assert "-w1" not in git(repo.root, "worktree", "list")
    assert [e["reason"] for e in journal if e["event"] == "stop"] == ["interrupted"]
    assert "3 cut" in text
    # Resume: 2, 3 and 4 are not done again (a redo would crash), 5 and 6 are new.
    repo.set_plan(["improve"] + ["crash"] * 3 + ["improve_b", "sleep:0.5:noop"])
    calls = len(repo.calls())
    proc = start(repo, "--autoimprove-resume")
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, out.decode()
    assert sorted(int(c.split()[0]) for c in repo.calls()[calls:]) == [5, 6]
    records = by_number(repo)
    assert sorted(records) == [1, 2, 3, 4, 5, 6]
    assert [records[n]["status"] for n in range(1, 7)] == [
        "kept", "cut", "cut", "cut", "kept", "no-op"
    ]  # fmt: skip
    assert repo.statuses().count("cut") == 3  # each recorded once
    assert "BONUS = 1" in branch_file(repo, "extra.py")
    assert "VALUE = 11" in branch_file(repo, "mod.py")
    rows = (repo.run_dirs()[-1] / "results.tsv").read_text().splitlines()
    assert sorted(int(row.split("\t")[0]) for row in rows[1:]) == [1, 2, 3, 4, 5, 6]
    assert checkout_state(repo.root) == before


def _zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rfind(")") + 2] in "ZX"


@pytest.mark.parametrize("seed", [1, 2])
def test_kill_9_and_resume_with_workers_loses_no_experiment(
    toy: Callable[..., ToyRepo], seed: int
) -> None:
    import random

    rng = random.Random(seed)
    plan = [
        "sleep:0.4:improve",
        "sleep:0.6:worse",
        "sleep:0.3:break",
        "sleep:0.5:improve_b",
        "sleep:0.2:noop",
        "sleep:0.4:improve",
        "sleep:0.3:worse",
        "sleep:0.5:improve_b",
    ]
    repo = two_files(toy, rounds=len(plan), plan=plan, workers=3)
    before = checkout_state(repo.root)
    log = repo.plan.with_suffix(".out")
    proc = start(repo, log=log)
    kills = 0
    target = rng.randint(4, 12)
    for _ in range(2):
        deadline = time.monotonic() + 90
        while proc.poll() is None and time.monotonic() < deadline:
            if _events(repo) >= target:
                time.sleep(rng.uniform(0.0, 0.4))
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    kills += 1
                break
            time.sleep(0.01)
        proc.wait(timeout=60)
        time.sleep(1.0)  # orphaned agents (own process groups) finish their sleep
        target = _events(repo) + rng.randint(3, 10)
        proc = start(repo, "--autoimprove-resume", log=log)
    assert proc.wait(timeout=180) == 0, log.read_text()
    assert kills >= 1
    numbers = sorted(int(str(r["number"])) for r in repo.records())
    assert numbers == list(range(1, len(plan) + 1)), (seed, kills, numbers)
    statuses = by_number(repo)
    assert statuses[3]["status"] == "failed" and statuses[5]["status"] == "no-op"
    assert statuses[2]["status"] == "discarded" and statuses[7]["status"] == "discarded"
    # An improvement is kept, or, made on an older best, conflicts with it or is
    # already in it (4 and 8 make the same change); the best is their sum.
    assert all(statuses[n]["status"] in ("kept", "conflict", "no-op") for n in (1, 4, 6, 8))
    assert any(statuses[n]["status"] == "kept" for n in (1, 4, 6, 8))
    assert checkout_state(repo.root) == before
    tsv = (repo.run_dirs()[-1] / "results.tsv").read_text().splitlines()
    assert sorted(int(row.split("\t")[0]) for row in tsv[1:]) == numbers
    # The board ends empty: no experiment of a killed session lingers on it.
    board = repo.run_dirs()[-1] / "board"
    assert json.loads((board / "board.json").read_text())["in_flight"] == []
    assert not list(board.glob("*.intent"))


def _events(repo: ToyRepo) -> int:
    runs = repo.run_dirs()
    journal = runs[-1] / "journal.jsonl" if runs else None
    if journal is None or not journal.is_file():
        return 0
    return len(journal.read_bytes().splitlines())


def test_workers_option_overrides_the_file(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=2, plan=["noop", "noop"])
    code, out = run_loop(repo, workers=2)
    assert code == 0, out
    assert "2 workers (local)" in out
    assert {r["worker"] for r in repo.records()} <= {1, 2}
    assert os.path.isdir(repo.run_dirs()[-1])


def test_agents_that_read_the_board_do_not_duplicate_each_others_work(
    toy: Callable[..., ToyRepo],
) -> None:
    # Two agents start together on the same best, and each would improve mod.py. Told
    # what the other intends (the board), the second takes extra.py instead: both are
    # kept, where two blind agents make one change twice and keep it once (a no-op).
    plan = ["claim:2", "claim:2"]
    repo = two_files(toy, rounds=2, plan=plan)
    code, out = run_loop(repo)
    assert code == 0, out
    assert repo.statuses() == ["kept", "kept"], out
    assert "VALUE = 11" in branch_file(repo, "mod.py")
    assert "BONUS = 1" in branch_file(repo, "extra.py")
    run_dir = repo.run_dirs()[-1]
    # The second experiment's prompt named the first, in flight when it began.
    prompt = (run_dir / "proposals" / "0002-prompt.md").read_text()
    assert "## Other workers" in prompt
    assert "- worker 1, experiment 1: proposing" in prompt
    assert "$AUTOIMPROVE_INTENT" in prompt
    # Decided experiments leave the board, their intents with them.
    board = json.loads((run_dir / "board" / "board.json").read_text())
    assert board["in_flight"] == []
    assert not list((run_dir / "board").glob("*.intent"))


def test_blind_agents_make_the_same_change_twice_and_it_is_kept_once(
    toy: Callable[..., ToyRepo],
) -> None:
    # The same run without the board's advice: the second change is already in the best.
    plan = ["sleep:2:improve", "sleep:2:improve"]
    repo = two_files(toy, rounds=2, plan=plan)
    code, out = run_loop(repo)
    assert code == 0, out
    assert sorted(repo.statuses()) == ["kept", "no-op"], out


def test_each_experiment_journals_where_its_time_went(toy: Callable[..., ToyRepo]) -> None:
    plan = ["sleep:1:improve", "sleep:1:worse", "noop"]
    repo = toy(rounds=3, plan=plan, agent_extra="workers: 2")
    code, out = run_loop(repo)
    assert code == 0, out
    events = [e for e in repo.journal() if e["event"] == "experiment"]
    assert len(events) == 3
    for event in events:
        spans = event["phases"]
        assert isinstance(spans, list)
        names = [str(span[0]) for span in spans]
        assert "propose" in names and names[-1] == "decide", names
        assert any(name.startswith("attempt@") for name in names), names
        for _, start, end in spans:
            assert float(start) <= float(end)
        recorded = float(str(event["time"]))
        assert all(float(end) <= recorded + 0.01 for _, _, end in spans)
    kept: Any = next(e for e in events if e["record"]["status"] == "kept")  # type: ignore[index]
    measured = {str(span[0]) for span in kept["phases"]}
    assert {"tree", "stage", "scan", "wait-core", "merge", "gate", "benchmark"} <= measured


def test_the_sequential_loop_journals_its_phases_too(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=1, plan=["improve"])
    code, out = run_loop(repo)
    assert code == 0, out
    event: Any = next(e for e in repo.journal() if e["event"] == "experiment")
    names = [str(span[0]) for span in event["phases"]]
    assert names[0] == "tree" and names[-2:] == ["decide", "attempt@1"], names
    assert {"propose", "stage", "scan", "gate", "benchmark", "verify"} <= set(names)
