"""What forking pytest runs from a server saves generate: runs and a whole generation.

Prints two figures, each against a baseline measured in the same run:

1. one pytest run of a generated guardrail file, forked from the server
   (:class:`pytest_autoimprove.generators.prefork.ForkedPytest`) against a fresh
   interpreter per run (the fallback runner), interleaved, median of ``--runs`` each;
2. a whole ``generate`` (verification and mutation testing included) of the query
   fixture of the test suite, with the server and with every run in a fresh
   interpreter, ``--generations`` times each, interleaved; the guardrails written
   and mutants killed are printed too (the same work must be done either way).

Usage: python benchmarks/bench_prefork.py [--runs 15] [--generations 2]
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pytest_autoimprove.generators import SLOWNESS_ENV, GenerateRequest, scratch_env
from pytest_autoimprove.generators import prefork as prefork_module
from pytest_autoimprove.generators.performance import pipeline

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "generators" / "performance" / "fixture_query"
MODULES = ("src/tinyquery/__init__.py", "src/tinyquery/lexer.py", "src/tinyquery/parser.py")


def _project(tmp: Path) -> Path:
    root = tmp / "query"
    shutil.copytree(FIXTURE, root)
    for argv in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "fixture"]):
        subprocess.run(["git", *argv], cwd=root, check=True, capture_output=True)
    return root


def _generate(root: Path, forked: bool) -> tuple[float, int, str]:
    """Seconds, guardrail tests written, and the mutation score of one generation."""
    shutil.rmtree(root / "tests" / "autoimprove_guard", ignore_errors=True)
    plain = pipeline.ForkedPytest
    if not forked:
        pipeline.ForkedPytest = functools.partial(plain, fork=False)  # type: ignore[misc]
    try:
        request = GenerateRequest(
            root=root, modules=tuple(Path(m) for m in MODULES), kind="speed", time_budget=180
        )
        start = time.perf_counter()
        result = pipeline.generate(request)
        seconds = time.perf_counter() - start
    finally:
        pipeline.ForkedPytest = plain  # type: ignore[misc]
    tests = sum(row.tests for row in result.strength)
    killed = sum(row.killed for row in result.strength)
    total = sum(row.total for row in result.strength)
    return seconds, tests, f"{killed}/{total}"


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--generations", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault(SLOWNESS_ENV, "20")
    with tempfile.TemporaryDirectory(prefix="bench-prefork-") as tmp:
        root = _project(Path(tmp))
        print(f"1. one pytest run of a guardrail file ({args.runs} runs each, interleaved)")
        _generate(root, forked=True)
        guard = root / "tests" / "autoimprove_guard" / "test_guard_tinyquery_parser.py"
        argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-x", str(guard)]
        env = scratch_env(PYTHONPATH=str(root / "src"))
        fresh, forked = [], []
        with prefork_module.ForkedPytest(pipeline._run) as runner:
            runner(argv, cwd=root, env=env, timeout=120)  # the server's own start
            for _ in range(args.runs):
                fresh.append(_timed(lambda: pipeline._run(argv, cwd=root, env=env, timeout=120)))
                forked.append(_timed(lambda: runner(argv, cwd=root, env=env, timeout=120)))
        a, b = statistics.median(fresh), statistics.median(forked)
        print(f"   fresh interpreter: {a * 1000:.0f} ms   forked: {b * 1000:.0f} ms", end="")
        print(f"   ratio {b / a:.2f}")
        print(f"2. a whole generate of the query fixture ({args.generations} each, interleaved)")
        rows: dict[bool, list[tuple[float, int, str]]] = {True: [], False: []}
        for _ in range(args.generations):
            for forked_runs in (False, True):
                rows[forked_runs].append(_generate(root, forked_runs))
        for forked_runs, label in ((False, "fresh interpreter"), (True, "forked")):
            seconds = statistics.median(r[0] for r in rows[forked_runs])
            outcome = ", ".join(f"{t} tests, {k} killed" for _, t, k in rows[forked_runs])
            print(f"   {label:18} {seconds:6.1f} s   ({outcome})")
        ratio = statistics.median(r[0] for r in rows[True]) / statistics.median(
            r[0] for r in rows[False]
        )
        print(f"   ratio forked / fresh: {ratio:.2f}")


if __name__ == "__main__":
    main()
