"""Per-experiment overhead of ``pytest --autoimprove`` against a plain shell loop.

Both loops do the same work on the same repository in the same run: edit a file,
``git commit``, run the tests (``--work`` seconds), run the benchmark (``--work``
seconds) and reset. The shell loop is the floor (no journal, no gate report, no
lock checks, no worktree); the ratio is what the loop's safety costs. Repeated for
repositories of 1k and 20k files to show how the overhead grows with size.

An experiment of the loop is timed from the start of ``Loop._experiment`` to its
end, so the reset to the best commit and the journal writes count (the journal's
own ``duration`` stops before the reset). The loop runs in a child process of
this script that wraps the loop's steps with timers, which gives the breakdown;
the shell loop times its steps with ``$EPOCHREALTIME``. The two loops alternate
``--repeats`` times so that a busy spell of a shared machine hits both; figures
are medians over every experiment, with the spread of the per-repeat medians.
Both loops run without ``PYTHONDONTWRITEBYTECODE`` (removed from their environment
if the calling shell sets it), so both write and reuse byte code as a user's setup
does (a shell that sets it slows whichever process imports modules with no byte code
cached, which is not what either loop costs).

    python benchmarks/bench_loop_overhead.py            # 1 s test + 1 s benchmark
    python benchmarks/bench_loop_overhead.py --quick    # 0.2 s each, fewer rounds
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

AGENT = """\
import re, sys
from pathlib import Path
p = Path("mod.py")
t = p.read_text()
v = int(re.search(r"VALUE = (-?\\d+)", t).group(1))
p.write_text(t.replace(f"VALUE = {v}", f"VALUE = {v - 1}"))
print("DESCRIPTION: lower VALUE (always worse)")
"""

# Each round prints one JSON object of step durations (seconds).
SHELL_LOOP = """\
set -e
for i in $(seq 1 {rounds}); do
  t0=$EPOCHREALTIME
  {python} {agent} >/dev/null
  t1=$EPOCHREALTIME
  git add -A && git commit -qm "experiment $i"
  t2=$EPOCHREALTIME
  {python} -m pytest -q -p no:cacheprovider >/dev/null
  t3=$EPOCHREALTIME
  {python} bench.py >/dev/null
  t4=$EPOCHREALTIME
  git reset -q --hard HEAD~1
  git clean -qfdx
  t5=$EPOCHREALTIME
  echo "{{\\"propose\\": $t0, \\"commit\\": $t1, \\"tests\\": $t2, \\"benchmark\\": $t3, \\
\\"reset\\": $t4, \\"end\\": $t5}}"
done
"""

#: Steps of the loop, in the order they happen, as the breakdown lists them.
STEPS = (
    "propose",
    "classify",
    "commit",
    "tests",
    "benchmark",
    "lock check",
    "journal",
    "reset",
    "other",
)
SHELL_STEPS = ("propose", "commit", "tests", "benchmark", "reset")
TIMINGS_ENV = "BENCH_LOOP_TIMINGS"
#: Set (by this script, for its child only) to measure the loop with its integrity checks off.
NO_INTEGRITY_ENV = "BENCH_LOOP_NO_INTEGRITY"


def measured_env() -> dict[str, str]:
    """The environment of both loops: this one without ``PYTHONDONTWRITEBYTECODE``.

    With it set, every test and benchmark process compiles (and pytest rewrites) its
    modules again, which is a property of the shell that runs the script, not of
    either loop; both arms get byte code written and reused, as a user's setup has.
    """
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def make_repo(base: Path, files: int, work: float, rounds: int) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from pytest_autoimprove import guard
    from pytest_autoimprove.config import load_config

    root = base / f"repo{files}"
    (root / "tests").mkdir(parents=True)
    (root / "data").mkdir()
    for index in range(files):
        folder = root / "data" / f"d{index // 500}"
        folder.mkdir(exist_ok=True)
        (folder / f"f{index}.txt").write_text(f"{index}\n")
    (root / "agent.py").write_text(AGENT)
    (root / "mod.py").write_text("VALUE = 1000\n")
    (root / "bench.py").write_text(
        f"import time, mod\ntime.sleep({work})\nprint(f'SCORE: {{mod.VALUE}}')\n"
    )
    (root / "tests" / "test_mod.py").write_text(
        f"import time, mod\n\ndef test_mod():\n    time.sleep({work})\n    assert mod.VALUE\n"
    )
    (root / "pyproject.toml").write_text('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    (root / "improve.md").write_text(
        "# autoimprove: overhead\n\n## Change\nscope: mod.py\n\n## Check\n"
        f"run: {sys.executable} bench.py\ngoal: higher\nfrozen: bench.py\n\n"
        f"## Stop\nrounds: {rounds}\n\n## Agent\nprovider: command\n"
        f"command: {sys.executable} {root / 'agent.py'}\n"
    )
    (root / ".gitignore").write_text("__pycache__/\n")
    git(root, "init", "-q", "-b", "main")
    guard.freeze(root, load_config(root), guard_tests=0)
    git(root, "add", "-A")
    git(root, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "init")
    git(root, "config", "user.name", "b")
    git(root, "config", "user.email", "b@b")
    return root


def shell_loop(root: Path, rounds: int) -> list[dict[str, float]]:
    """One shell run of ``rounds`` experiments: per experiment, seconds per step."""
    script = SHELL_LOOP.format(rounds=rounds, python=sys.executable, agent=root / "agent.py")
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env=measured_env(),
    )
    out = []
    for line in done.stdout.splitlines():
        marks = json.loads(line)
        names = [*SHELL_STEPS, "end"]
        steps = {a: marks[b] - marks[a] for a, b in zip(names, names[1:], strict=False)}
        steps["total"] = marks["end"] - marks["propose"]
        out.append(steps)
    return out


def our_loop(
    root: Path, rounds: int, temp: Path, *, integrity: bool = True
) -> list[dict[str, float]]:
    """One ``pytest --autoimprove`` run: per experiment, seconds per step.

    :param integrity: ``False``: the loop's integrity checks off (docs/guard.md), to
        measure what they cost in the same run.
    """
    timings = temp / "timings.json"
    env = {**measured_env(), TIMINGS_ENV: str(timings)}
    if not integrity:
        env[NO_INTEGRITY_ENV] = "1"
    subprocess.run(
        [sys.executable, __file__, "--child", "--autoimprove", "-p", "no:cacheprovider"],
        cwd=root,
        check=True,
        capture_output=True,
        env=env,
    )
    found: list[dict[str, float]] = json.loads(timings.read_text())
    timings.unlink()
    if len(found) != rounds:
        raise SystemExit(f"the loop ran {len(found)} experiments, not {rounds}")
    return found


# ---------------------------------------------------------------------------
# The child: runs the loop in this process with timers around its steps.


def child(args: list[str]) -> int:
    import importlib

    import pytest

    from pytest_autoimprove import guard, process, repo
    from pytest_autoimprove.loop import gate, journal
    from pytest_autoimprove.loop import run as loop

    experiments: list[dict[str, float]] = []
    current: dict[str, float] | None = None
    active: list[str] = []

    def timed(owner: Any, name: str, label: str | Callable[..., str]) -> None:
        original = getattr(owner, name, None)
        if original is None:  # a method of another version of the loop
            return

        @functools.wraps(original)
        def wrapper(*a: Any, **k: Any) -> Any:
            # Only the outermost timed call counts (run_gate calls run_command).
            if current is None or active:
                return original(*a, **k)
            step = label if isinstance(label, str) else label(*a, **k)
            active.append(step)
            start = time.perf_counter()
            try:
                return original(*a, **k)
            finally:
                active.pop()
                current[step] = current.get(step, 0.0) + time.perf_counter() - start

        setattr(owner, name, wrapper)

    def command_label(command: Any, **kwargs: Any) -> str:
        text = command if isinstance(command, str) else " ".join(command)
        return "benchmark" if "bench.py" in text else "propose"

    # Where the experiment lives depends on the version measured (loop.py was split).
    try:
        experiment_module: Any = importlib.import_module("pytest_autoimprove.loop.experiment")
        checks: Any = importlib.import_module("pytest_autoimprove.loop.checks")
        owner, method = experiment_module.ExperimentRunner, "run"
    except ImportError:
        experiment_module = checks = None
        owner, method = loop.Loop, "_experiment"
    timed(owner, "_propose", "propose")
    timed(process, "run_command", command_label)
    for module in (loop, gate, checks):
        if module is not None:
            timed(module, "run_gate", "tests")
    timed(guard, "verify", "lock check")
    timed(journal.Journal, "append", "journal")
    timed(journal.Journal, "add_result", "journal")
    # Listing and scanning what the proposal changed (since the listing stages the tree,
    # `stage_changes`, staging counts here); then every git write that makes the
    # experiment's commit (staging, its tree, the commit, its Result: trailer, its ref).
    for name in ("changes", "stage_changes", "added_lines", "staged_lines"):
        timed(repo.Worktree, name, "classify")
    for name in (
        "remove_ignored",
        "commit_all",
        "stage",
        "write_staged",
        "rewrite_message",
        "commit",
        "keep_ref",
    ):
        timed(repo.Worktree, name, "commit")
    timed(repo.Worktree, "reset", "reset")
    original = getattr(owner, method)

    def experiment(self: Any, number: int) -> None:
        nonlocal current
        current = {}
        start = time.perf_counter()
        try:
            original(self, number)
        finally:
            total = time.perf_counter() - start
            current["other"] = total - sum(current.values())
            current["total"] = total
            experiments.append(current)
            current = None

    setattr(owner, method, experiment)
    if os.environ.get(NO_INTEGRITY_ENV):
        with contextlib.suppress(ImportError):
            from pytest_autoimprove.loop import integrity

            integrity.ENABLED = False
    code = pytest.main(args)
    Path(os.environ[TIMINGS_ENV]).write_text(json.dumps(experiments))
    return int(code)


# ---------------------------------------------------------------------------
# Reporting


def medians(runs: Iterable[list[dict[str, float]]], steps: Iterable[str]) -> dict[str, float]:
    every = [experiment for run in runs for experiment in run]
    return {step: statistics.median(e.get(step, 0.0) for e in every) for step in steps}


def spread(runs: list[list[dict[str, float]]]) -> str:
    per_run = [statistics.median(e["total"] for e in run) for run in runs]
    return f"{min(per_run):.3f}-{max(per_run):.3f}s"


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        return child(sys.argv[2:])
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="0.2 s work, 3 rounds, 2 repeats")
    parser.add_argument("--sizes", default="1000,20000")
    parser.add_argument("--repeats", type=int, default=None, help="loop runs per size (4)")
    parser.add_argument(
        "--integrity-off",
        action="store_true",
        help="also run the loop with its integrity checks off (what they cost, same run)",
    )
    args = parser.parse_args()
    work, rounds, repeats = (0.2, 3, 2) if args.quick else (1.0, 5, 4)
    repeats = args.repeats or repeats
    print(
        f"per-experiment wall time, {work:g} s test + {work:g} s benchmark, "
        f"{repeats} x {rounds} experiments per loop and size, medians"
    )
    results = []
    unchecked: list[tuple[int, list[list[dict[str, float]]]]] = []
    with tempfile.TemporaryDirectory() as temp:
        for size in (int(s) for s in args.sizes.split(",")):
            root = make_repo(Path(temp), size, work, rounds)
            shell_runs, our_runs, off_runs = [], [], []
            for repeat in range(repeats):
                shell_runs.append(shell_loop(root, rounds))
                # With and without the integrity checks in turn (ABBA), so that a trend in
                # the machine's load hits both alike.
                first_off = args.integrity_off and repeat % 2 == 1
                if first_off:
                    off_runs.append(our_loop(root, rounds, Path(temp), integrity=False))
                our_runs.append(our_loop(root, rounds, Path(temp)))
                if args.integrity_off and not first_off:
                    off_runs.append(our_loop(root, rounds, Path(temp), integrity=False))
            results.append((size, shell_runs, our_runs))
            if off_runs:
                unchecked.append((size, off_runs))
    print(
        f"{'files':>7} {'shell loop':>11} {'autoimprove':>12} {'ratio':>7} {'overhead':>9}"
        f"   {'spread of run medians (shell; autoimprove)'}"
    )
    for size, shell_runs, our_runs in results:
        shell = statistics.median(e["total"] for run in shell_runs for e in run)
        ours = statistics.median(e["total"] for run in our_runs for e in run)
        print(
            f"{size:>7} {shell:>10.3f}s {ours:>11.3f}s {ours / shell:>6.2f}x "
            f"{ours - shell:>+8.3f}s   {spread(shell_runs)}; {spread(our_runs)}"
        )
    print("aim: ratio <= 1.10 for 1 s + 1 s experiments")
    for size, off_runs in unchecked:
        ours = next(r for s_, _, r in results if s_ == size)
        on = statistics.median(e["total"] for run in ours for e in run)
        off = statistics.median(e["total"] for run in off_runs for e in run)
        print(
            f"{size:>7} files: integrity checks on {on:.3f}s, off {off:.3f}s per experiment: "
            f"{on / off:.2f}x ({(on - off) * 1000:+.0f} ms); spread of run medians: on "
            f"{spread(ours)}, off {spread(off_runs)}"
        )
    for size, shell_runs, our_runs in results:
        print(f"\nbreakdown at {size} files (median seconds per experiment):")
        shell_steps = medians(shell_runs, SHELL_STEPS)
        our_steps = medians(our_runs, STEPS)
        print(f"  {'step':<12} {'shell':>7} {'autoimprove':>12}")
        for step in STEPS:
            shell_text = f"{shell_steps[step]:.3f}" if step in shell_steps else ""
            print(f"  {step:<12} {shell_text:>7} {our_steps[step]:>12.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
