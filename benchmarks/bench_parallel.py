"""Experiments per hour with 1, 2, 4 and 8 workers, locally and on a local Ray cluster.

Usage: python benchmarks/bench_parallel.py [--experiments N] [--think SECONDS]
       [--workers 1,2,4,8] [--repeat K] [--no-ray]

A toy project (eight modules, each with a VALUE; the score is their sum, higher is
better) and a scripted proposer whose thinking time dominates: it sleeps ``--think``
seconds, then, drawn from the experiment's number, improves one module's VALUE, makes
one worse, or changes nothing. In a parallel run it reads the board first, as a
sensible agent would: when another experiment in flight intends to change the module
it drew, it takes the next one nobody is changing, and says so in its intent (under
the board's lock); alone, it never moves. Every configuration runs the real loop
(``pytest --autoimprove``, the gate and the benchmark as subprocesses) for the same
experiments (``rounds: N``: numbers 1 to N, so the same proposals), timed from the
loop's start to its return (start-up, baseline, worker trees and the last decision
included), and prints experiments per hour, the ratio to 1 worker in the same round,
every status count, and the best score. 1 worker is the sequential loop. For each
run, where its wall time went: start-up, experiments and end; each phase of the
experiments (from the journal: proposal, checks, waits for a gate slot, a decision or
a replay lane, the driver's decisions), the workers' time split into proposing,
checking, waiting and idle, and the CPU time the run cost (barely moved by other jobs
on the machine, unlike the wall time). With
``--repeat K`` the configurations run K rounds, interleaved (a round runs each once),
and a last table gives each ratio's median and range over the rounds: the machine is
shared, and a ratio from one round is one draw.

Then a simulation of 16 to 64 workers, with proposal, gate and benchmark times drawn
from the runs just recorded (their journals) and the driver's own time per decision
measured in them: where the driver, or the measurement lock of a machine-bound
benchmark, becomes the bottleneck.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MODULES = 8

AGENT = """\
import fcntl, os, random, re, sys, time
from pathlib import Path

number = int(os.environ["AUTOIMPROVE_EXPERIMENT"])
rng = random.Random(number)
action = rng.choice(["improve", "improve", "worse", "noop"])
module = rng.randrange(MODULES)
intent = os.environ.get("AUTOIMPROVE_INTENT")
if intent and action != "noop":
    # A parallel run: claim a module no other worker is changing now (the board's
    # intents, read and written under its lock), as a sensible agent would.
    with open(os.environ["AUTOIMPROVE_BOARD_LOCK"]) as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        mine = Path(intent)
        taken = {p.read_text().strip() for p in mine.parent.glob("*.intent") if p != mine}
        for step in range(MODULES):
            if f"m{(module + step) % MODULES}.py" not in taken:
                module = (module + step) % MODULES
                break
        mine.write_text(f"m{module}.py\\n")
time.sleep(float(sys.argv[1]))
path = Path(f"m{module}.py")
if action != "noop":
    text = path.read_text()
    value = int(re.search(r"VALUE = (-?\\d+)", text).group(1))
    step = 1 if action == "improve" else -1
    path.write_text(text.replace(f"VALUE = {value}", f"VALUE = {value + step}"))
print(f"DESCRIPTION: {action} {path}")
""".replace("MODULES", str(MODULES))

BENCH = """\
import importlib
print("SCORE:", sum(importlib.import_module(f"m{i}").VALUE for i in range(MODULES)))
""".replace("MODULES", str(MODULES))

IMPROVE = """\
# autoimprove: bench-parallel

## Change
scope: m*.py

## Check
run: {python} bench.py
goal: higher
timeout: 60s
frozen: bench.py

## Stop
rounds: {experiments}

## Agent
provider: command
command: {python} {script} {think}
timeout: 120s
{agent}
"""


def make_project(folder: Path, experiments: int, think: float, agent: str) -> Path:
    from pytest_autoimprove import guard
    from pytest_autoimprove.config import load_config

    root = folder / "project"
    (root / "tests" / "autoimprove_guard").mkdir(parents=True)
    for i in range(MODULES):
        (root / f"m{i}.py").write_text("VALUE = 10\n")
    (root / "bench.py").write_text(BENCH)
    agent_path = folder / "agent.py"  # outside the project: the proposer is no part of it
    agent_path.write_text(AGENT)
    (root / "tests" / "test_m.py").write_text(
        "import m0\n\n\ndef test_value():\n    assert m0.VALUE > -100\n"
    )
    (root / "tests" / "autoimprove_guard" / "test_guard.py").write_text(
        "import pytest\n\nimport m1\n\n\n@pytest.mark.autoimprove_guard\n"
        "def test_guard():\n    assert m1.VALUE < 10**6\n"
    )
    (root / "pyproject.toml").write_text('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    (root / ".gitignore").write_text("__pycache__/\n")
    (root / "improve.md").write_text(
        IMPROVE.format(
            python=sys.executable,
            experiments=experiments,
            think=think,
            agent=agent,
            script=agent_path,
        )
    )
    git = ["git", "-C", str(root)]
    subprocess.run([*git, "init", "-q"], check=True)
    for key, value in (("user.email", "bench@localhost"), ("user.name", "bench")):
        subprocess.run([*git, "config", key, value], check=True)
    guard.freeze(root, load_config(root), guard_tests=1)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "bench"], check=True)
    return root


def run(folder: Path, workers: int, backend: str, experiments: int, think: float) -> dict[str, Any]:
    """One run of the loop; its experiments per hour, statuses, best and timings."""
    import io

    from pytest_autoimprove.loop.console import Console
    from pytest_autoimprove.loop.run import Loop, LoopOptions
    from pytest_autoimprove.manager import standalone_manager

    agent = f"workers: {workers}" + (f"\nbackend: {backend}" if backend != "local" else "")
    root = make_project(
        folder, experiments, think, agent if workers > 1 or backend != "local" else ""
    )
    # The whole run, as a user waits for it: the same clock for every configuration.
    cpu = _cpu()
    started, began = time.perf_counter(), time.time()
    code = Loop(
        LoopOptions(start=root), hook=standalone_manager().hook, console=Console(io.StringIO())
    ).run()
    wall = time.perf_counter() - started
    ended = time.time()
    cpu = _cpu() - cpu
    run_dir = next((root / ".autoimprove" / "runs").iterdir())
    events = [json.loads(line) for line in (run_dir / "journal.jsonl").read_text().splitlines()]
    records = [e for e in events if e["event"] == "experiment"]
    baseline = next(e for e in events if e["event"] == "baseline")["score"]
    best = baseline
    for e in records:
        if e["record"]["status"] == "kept":
            best = e["record"]["score"]
    return {
        "code": int(code),
        "experiments": len(records),
        "wall": wall,
        "per_hour": len(records) / wall * 3600,
        "statuses": Counter(e["record"]["status"] for e in records),
        "best": best,
        "events": events,
        "span": (began, ended),
        "workers": workers,
        "cpu": cpu,
    }


def _cpu() -> float:
    """CPU seconds of this process and of its children so far (every command the loop
    runs is one): unlike the wall time, barely moved by other jobs on the machine."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timings(events: list[dict[str, Any]]) -> dict[str, list[float]]:
    """Proposal (begin -> staged) and check (staged -> recorded) times of each attempt."""
    began: dict[int, float] = {}
    staged: dict[int, float] = {}
    out: dict[str, list[float]] = {"propose": [], "check": []}
    for e in events:
        if e["event"] == "begin":
            began[e["number"]] = e["time"]
        elif e["event"] == "staged":
            staged[e["number"]] = e["time"]
        elif e["event"] == "experiment":
            n = e["record"]["number"]
            if n in began and n in staged:
                out["propose"].append(staged[n] - began[n])
                out["check"].append(e["time"] - staged[n])
    return out


#: Phases an attempt spends checking (the loop's own work on it), in timeline order.
CHECK_PHASES = ("tree", "stage", "scan", "merge", "gate", "benchmark", "verify", "holdout")
#: Phases an attempt or the driver spends waiting (for a core, the lock, a lane, the driver).
WAIT_PHASES = ("wait-core", "wait-decision", "wait-lock", "wait-lane")


def where_time_goes(result: dict[str, Any], title: str) -> None:
    """Where one run's wall time went, from the phases journaled with each experiment.

    The wall splits into start-up (to the first experiment begun: the baseline, the
    workers' trees), the experiments, and the end (after the last decision). The
    experiments' part is worker time: N slots for that long, each proposing, checking,
    waiting, deciding (the driver, one at a time) or idle (nothing to do: between an
    outcome and the next task, or at the end with no experiment left to begin).
    """
    events = result["events"]
    began, ended = result["span"]
    first = min(e["time"] for e in events if e["event"] == "begin")
    last = max(e["time"] for e in events if e["event"] == "experiment")
    phases = [p for e in events if e["event"] == "experiment" for p in e.get("phases", [])]
    print(
        f"\n{title}: wall {ended - began:.1f} s = start-up {first - began:.1f} s + "
        f"experiments {last - first:.1f} s + end {ended - last:.1f} s; "
        f"CPU {result['cpu']:.1f} s ({result['cpu'] / result['experiments']:.2f} s per experiment)"
    )
    per: dict[str, list[float]] = {}
    for name, start, end in phases:
        per.setdefault(name.split("@")[0], []).append(end - start)
    count = result["experiments"]
    print(f"  {'phase':<10} {'times':>5} {'median s':>9} {'total s':>8} {'per exp s':>9}")
    order = ("propose", *CHECK_PHASES, *WAIT_PHASES, "decide", "attempt")
    for name in sorted(per, key=lambda n: order.index(n) if n in order else len(order)):
        times = per[name]
        print(
            f"  {name:<10} {len(times):>5} {statistics.median(times):>9.3f} "
            f"{sum(times):>8.1f} {sum(times) / count:>9.3f}"
        )
    # Worker time: every attempt span belongs to a slot; what is not in one is idle.
    # Spans of a worker's slot (1..N) count; replay lanes (slots after them) apart.
    workers = result["workers"]
    within = last - first
    mine: list[tuple[str, float, float]] = []
    lanes = 0.0
    for e in events:
        if e["event"] != "experiment":
            continue
        spans = e.get("phases", [])
        # An attempt's phases are listed before its `attempt@k` span; the driver's after.
        pending: list[tuple[str, float, float]] = []
        for name, start, end in spans:
            if name.startswith("attempt@"):
                if int(name.split("@")[1]) <= workers:
                    mine += pending + [("attempt", start, end)]
                else:
                    lanes += end - start
                pending = []
            else:
                pending.append((name, start, end))

    def total(*names: str) -> float:
        return sum(end - start for n, start, end in mine if n in names)

    slot_time = workers * within
    busy = total("attempt")
    parts = {
        "propose": total("propose"),
        "check": total(*CHECK_PHASES),
        "wait": total(*WAIT_PHASES),
    }
    parts["other"] = busy - sum(parts.values())
    parts["idle"] = slot_time - busy
    shares = "  ".join(f"{k} {v / slot_time:.0%}" for k, v in parts.items())
    print(f"  worker time ({workers} x {within:.1f} s): {shares}; replay lanes busy {lanes:.1f} s")


def simulate(
    workers: int,
    propose: list[float],
    check: list[float],
    decide: float,
    measure_share: float,
    hours: float = 1.0,
    seed: int = 0,
) -> float:
    """Experiments per hour of ``workers`` with a serial driver and a measurement lock.

    Each attempt proposes (in parallel), checks (the gate in parallel, the share
    ``measure_share`` of the check under the one measurement lock), then waits for
    the driver, which takes ``decide`` seconds per outcome, one at a time.
    """
    import heapq

    rng = random.Random(seed)
    horizon = hours * 3600
    lock_free = 0.0
    driver_free = 0.0
    events: list[tuple[float, int]] = [(0.0, w) for w in range(workers)]
    heapq.heapify(events)
    done = 0
    while events:
        now, worker = heapq.heappop(events)
        if now > horizon:
            break
        ready = now + rng.choice(propose)
        total = rng.choice(check)
        measured = total * measure_share
        gated = ready + (total - measured)
        start = max(gated, lock_free)
        lock_free = start + measured
        decided = max(lock_free, driver_free) + decide
        driver_free = decided
        if decided <= horizon:
            done += 1
        heapq.heappush(events, (decided, worker))
    return done / hours


def table(title: str, rows: list[tuple[int, dict[str, Any]]]) -> None:
    base = rows[0][1]["per_hour"]
    print(f"\n{title}", flush=True)
    print(f"{'workers':>8} {'wall s':>7} {'exp/hour':>9} {'ratio':>6} {'best':>5}  statuses")
    for workers, result in rows:
        counts = ", ".join(f"{n} {s}" for s, n in sorted(result["statuses"].items()))
        print(
            f"{workers:>8} {result['wall']:>7.1f} {result['per_hour']:>9.0f} "
            f"{result['per_hour'] / base:>5.2f}x {result['best']:>5.0f}  {counts} "
            f"(exit {result['code']})",
            flush=True,
        )


def spread(title: str, rounds: list[list[tuple[int, dict[str, Any]]]]) -> None:
    """Each ratio to 1 worker over the rounds: median and range."""
    print(f"\n{title}: ratio to 1 worker over {len(rounds)} rounds")
    print(f"{'workers':>8} {'median':>7} {'min':>6} {'max':>6}  each round")
    for index, (workers, _) in enumerate(rounds[0]):
        ratios = [r[index][1]["per_hour"] / r[0][1]["per_hour"] for r in rounds]
        each = " ".join(f"{x:.2f}x" for x in ratios)
        print(
            f"{workers:>8} {statistics.median(ratios):>6.2f}x {min(ratios):>5.2f}x "
            f"{max(ratios):>5.2f}x  {each}",
            flush=True,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--experiments", type=int, default=24, help="experiments per run (rounds: N)"
    )
    parser.add_argument("--think", type=float, default=5.0, help="the proposer's sleep")
    parser.add_argument(
        "--workers", default="1,2,4,8", help="worker counts, comma-separated (1 first)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds of every configuration")
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray cluster runs")
    args = parser.parse_args()
    counts = tuple(int(n) for n in args.workers.split(","))
    if counts[0] != 1:
        parser.error("--workers must start with 1 (the ratios are to 1 worker)")
    recorded: list[dict[str, Any]] = []
    rounds: list[list[tuple[int, dict[str, Any]]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(1, args.repeat + 1):
            rows = []
            for workers in counts:
                folder = Path(tmp) / f"local-{workers}-{number}"
                folder.mkdir()
                result = run(folder, workers, "local", args.experiments, args.think)
                recorded.append(result)
                rows.append((workers, result))
            rounds.append(rows)
            table(
                f"local, round {number}: {args.experiments} experiments, {args.think:g} s of "
                "thinking per proposal, whole-run wall time",
                rows,
            )
            for workers, result in rows:
                where_time_goes(result, f"where the time goes, {workers} worker(s), round {number}")
        if args.repeat > 1:
            spread("local", rounds)
        if not args.no_ray:
            ray_rows = ray_runs(Path(tmp), counts, args)
            if ray_rows:
                table("ray: a local cluster, a head and two worker nodes of 4 CPUs", ray_rows)
        shutil.rmtree(tmp, ignore_errors=True)
    sim(recorded)
    return 0


def ray_runs(tmp: Path, counts: tuple[int, ...], args: argparse.Namespace) -> list[Any]:
    try:
        import ray
        from ray.cluster_utils import Cluster
    except ImportError:
        print("\nray: not installed (pip install 'pytest-autoimprove[ray]'); skipped")
        return []
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0})
    for _ in range(2):
        cluster.add_node(num_cpus=4)
    cluster.wait_for_nodes()
    ray.init(address=cluster.address, log_to_driver=False)
    rows = []
    try:
        for workers in counts:
            folder = tmp / f"ray-{workers}"
            folder.mkdir()
            rows.append((workers, run(folder, workers, "ray", args.experiments, args.think)))
    finally:
        ray.shutdown()
        cluster.shutdown()
    return rows


def sim(recorded: list[dict[str, Any]]) -> None:
    propose: list[float] = []
    check: list[float] = []
    for result in recorded:
        times = timings(result["events"])
        propose += times["propose"]
        check += times["check"]
    decide = _decide_cost()
    print(
        f"\nsimulation: {len(propose)} recorded attempts (proposal median "
        f"{statistics.median(propose):.1f} s, checks median {statistics.median(check):.2f} s), "
        f"the driver's decision {decide * 1000:.1f} ms"
    )
    print(f"{'workers':>8} {'deterministic':>14} {'machine-bound':>14}  (experiments per hour)")
    one = simulate(1, propose, check, decide, 0.0)
    for workers in (1, 4, 16, 32, 48, 64):
        free = simulate(workers, propose, check, decide, 0.0)
        bound = simulate(workers, propose, check, decide, 0.5)
        print(f"{workers:>8} {free:>9.0f} ({free / one:4.1f}x) {bound:>9.0f} ({bound / one:4.1f}x)")
    print(
        "machine-bound: half of each check is a benchmark under the measurement lock; "
        "its ceiling is 3600 / (median check / 2) experiments per hour"
    )


def _decide_cost() -> float:
    """The driver's own time per decision: a commit with its trailer, the journal line,
    results.tsv (what happens in the main thread for each outcome), timed here."""
    from pytest_autoimprove import repo
    from pytest_autoimprove.loop.journal import ExperimentRecord, Journal

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "r"
        root.mkdir()
        (root / "f.py").write_text("x = 1\n")
        head = repo.init_repo(root, "base")
        tree = repo.tree_of(root, head)
        journal = Journal(Path(tmp) / "run", parallel=True)
        started = time.perf_counter()
        rounds = 50
        for n in range(rounds):
            commit = repo.commit_tree(root, tree, head, f"x {n}\n\nResult: {{}}\n", "refs/x/y")
            record = ExperimentRecord("r", n, "discarded", "x", commit=commit, worker=1)
            journal.append("experiment", record=record.to_json(), spent=1.0)
            journal.add_result(record)
        journal.close()
        return (time.perf_counter() - started) / rounds


if __name__ == "__main__":
    sys.exit(main())
