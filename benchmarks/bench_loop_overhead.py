"""Per-experiment overhead of ``pytest --autoimprove`` against a plain shell loop.

Both loops do the same work on the same repository in the same run: edit a file,
``git commit``, run the tests (``--work`` seconds), run the benchmark (``--work``
seconds) and reset. The shell loop is the floor (no journal, no gate report, no
lock checks, no worktree); the ratio is what the loop's safety costs. Repeated for
repositories of 1k and 20k files to show how the overhead grows with size.

    python benchmarks/bench_loop_overhead.py            # 1 s test + 1 s benchmark
    python benchmarks/bench_loop_overhead.py --quick    # 0.2 s each, fewer rounds
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AGENT = """\
import re, sys
from pathlib import Path
p = Path("mod.py")
t = p.read_text()
v = int(re.search(r"VALUE = (-?\\d+)", t).group(1))
p.write_text(t.replace(f"VALUE = {v}", f"VALUE = {v - 1}"))
print("DESCRIPTION: lower VALUE (always worse)")
"""

SHELL_LOOP = """\
set -e
for i in $(seq 1 {rounds}); do
  start=$(python3 -c 'import time; print(time.perf_counter())')
  {python} {agent} >/dev/null
  git add -A && git commit -qm "experiment $i"
  {python} -m pytest -q -p no:cacheprovider >/dev/null
  {python} bench.py >/dev/null
  git reset -q --hard HEAD~1
  git clean -qfdx
  {python} -c "import time; print(time.perf_counter() - $start)"
done
"""


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


def shell_loop(root: Path, rounds: int) -> list[float]:
    script = SHELL_LOOP.format(rounds=rounds, python=sys.executable, agent=root / "agent.py")
    done = subprocess.run(
        ["bash", "-c", script], cwd=root, capture_output=True, text=True, check=True
    )
    return [float(line) for line in done.stdout.split()]


def our_loop(root: Path, rounds: int) -> list[float]:
    subprocess.run(
        [sys.executable, "-m", "pytest", "--autoimprove", "-p", "no:cacheprovider"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    run = sorted((root / ".autoimprove" / "runs").iterdir())[-1]
    durations = []
    for line in (run / "journal.jsonl").read_text().splitlines():
        event = json.loads(line)
        if event["event"] == "experiment":
            durations.append(float(event["record"]["duration"]))
    return durations


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="0.2 s work, 3 rounds")
    parser.add_argument("--sizes", default="1000,20000")
    args = parser.parse_args()
    work, rounds = (0.2, 3) if args.quick else (1.0, 5)
    print(f"per-experiment wall time, {work:g} s test + {work:g} s benchmark, {rounds} rounds")
    print(f"{'files':>7} {'shell loop':>11} {'autoimprove':>12} {'ratio':>7} {'overhead':>9}")
    with tempfile.TemporaryDirectory() as temp:
        for size in (int(s) for s in args.sizes.split(",")):
            root = make_repo(Path(temp), size, work, rounds)
            start = time.perf_counter()
            shell = statistics.median(shell_loop(root, rounds))
            ours = statistics.median(our_loop(root, rounds))
            del start
            print(
                f"{size:>7} {shell:>10.3f}s {ours:>11.3f}s {ours / shell:>6.2f}x "
                f"{ours - shell:>+8.3f}s"
            )
    print("aim: ratio <= 1.10 for 1 s + 1 s experiments")
    return 0


if __name__ == "__main__":
    sys.exit(main())
