"""Does the benchmark `init` writes move with the code it times?

The library of the first-night test (tests/test_first_night.py): a lexer and a parser,
with a pass over the input that nothing needs. The proposer's honest change removes it.
In one run, on copies of the same repository before and after that change, this
prints, each as the relative change after / before (medians of interleaved runs):

1. the change itself, timed directly: CPU time of ``tokenize`` and ``parse`` on the
   longest query the tests use (timeit-style loops in a fresh process);
2. the score of the benchmark `autoimprove-guard init` writes (``autoimprove_bench.py``);
3. the old default: the wall time of the whole test suite (``python -m pytest -q``),
   what init timed before: mostly pytest's start-up.

The second should be close to the first; the third shows why the old default was
replaced. Also prints the generated benchmark's noise (its spread over the runs).

Usage: python benchmarks/bench_generated_benchmark.py [--runs 7]
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DIRECT = """
import sys, time
sys.path.insert(0, "src")
from tinyq import parse, tokenize
query = (".store.books[0].title | upper | " * 3 + ".x") * 20
best = float("inf")
for _ in range(7):
    start = time.process_time()
    for _ in range(200):
        tokenize(query)
        parse(query)
    best = min(best, time.process_time() - start)
print(best / 200 * 1000)
"""


def load_test_module() -> object:
    path = HERE.parent / "tests" / "test_first_night.py"
    spec = importlib.util.spec_from_file_location("first_night", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sh(root: Path, *argv: str) -> str:
    done = subprocess.run(argv, cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="interleaved runs of each version")
    args = parser.parse_args()
    first_night = load_test_module()
    with tempfile.TemporaryDirectory(prefix="bench-generated-") as tmp:
        before = Path(tmp) / "before"
        for name, text in first_night.LIBRARY.items():  # type: ignore[attr-defined]
            (before / name).parent.mkdir(parents=True, exist_ok=True)
            (before / name).write_text(text)
        sh(before, "git", "init", "-q")
        started = time.perf_counter()
        sh(
            before,
            sys.executable,
            "-m",
            "pytest_autoimprove",
            "init",
            "--yes",
            "--kind",
            "speed",
            "--provider",
            "tune",
            "--no-generate",
        )
        print(f"init (benchmark written, noise measured): {time.perf_counter() - started:.1f}s")
        after = Path(tmp) / "after"
        shutil.copytree(before, after)
        lexer = after / "src" / "tinyq" / "lexer.py"
        lexer.write_text(lexer.read_text().replace("    _audit(text)\n", ""))
        figures: dict[str, dict[str, list[float]]] = {}
        for _ in range(args.runs):
            for label, root in (("before", before), ("after", after)):
                out = sh(root, sys.executable, "autoimprove_bench.py")
                score = float(re.findall(r"SCORE: ([\d.]+) ms", out)[-1])
                figures.setdefault("generated benchmark (CPU ms per pass)", {}).setdefault(
                    label, []
                ).append(score)
                direct = float(sh(root, sys.executable, "-c", DIRECT).strip())
                figures.setdefault("direct: tokenize + parse (CPU ms)", {}).setdefault(
                    label, []
                ).append(direct)
                start = time.perf_counter()
                sh(root, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider")
                figures.setdefault("old default: test suite (wall s)", {}).setdefault(
                    label, []
                ).append(time.perf_counter() - start)
    print(f"{'measure':<40} {'before':>10} {'after':>10} {'change':>8}")
    for name, values in figures.items():
        old, new = statistics.median(values["before"]), statistics.median(values["after"])
        print(f"{name:<40} {old:>10.4g} {new:>10.4g} {(new - old) / old:>+8.1%}")
    scores = figures["generated benchmark (CPU ms per pass)"]["before"]
    spread = statistics.pstdev(scores) / statistics.median(scores)
    print(f"generated benchmark noise: ±{spread:.1%} (population sd / median of {len(scores)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
