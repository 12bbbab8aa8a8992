"""What ``.ci/caches`` buys the test suite where PYTHONDONTWRITEBYTECODE is set.

With that variable set no process writes bytecode, so each of the suite's pytest
subprocesses (the loop's test gates, the generators' verification runs) rewrites the
asserts of every Hypothesis module again (pytest rewrites its plugins' packages) and
compiles the package again. ``.ci/caches`` writes both caches once. Prints, alternating
without and with the caches in one run (the caches are dropped and written again
between rounds; they are caches only, and the script leaves them written):

1. the CPU of a pytest session of one trivial test (median of ``--repeats``);
2. the wall time and CPU of a slice of the suite (``--tests``), per round,

and the ratios. Then a third cache, Hypothesis' storage (its Unicode tables, the
constants it reads from the code), which the generators' scratch runs and the suite
share (``generators.scratch_env``): the CPU of a session of one test drawing text, each
in a fresh folder as a scratch verification run is, with the storage in that folder
(Hypothesis' default) and in one shared folder. Run it from the venv the suite runs in:
``python benchmarks/bench_suite_caches.py [--rounds 2] [--repeats 5] [--tests PATH ...]``
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pytest_autoimprove"
SITE = Path(sysconfig.get_paths()["purelib"])
SLICE = ["tests/loop/test_statuses.py", "tests/generators/performance/test_bounds.py"]
ENV = {
    **os.environ,
    "PYTHONDONTWRITEBYTECODE": "1",
    "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
}


def drop_caches() -> None:
    for pyc in SITE.rglob("*-pytest-*.pyc"):
        pyc.unlink()
    for folder in list(PACKAGE.rglob("__pycache__")):
        shutil.rmtree(folder)


def fill_caches() -> None:
    subprocess.run(["bash", str(ROOT / ".ci" / "caches")], check=True, env=ENV)


def timed(argv: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and everything it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=ENV, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def one_test_cpu(folder: Path, repeats: int) -> float:
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_one.py"]
    return statistics.median(timed(argv, folder)[1] for _ in range(repeats))


TEXT_TEST = """from hypothesis import given, settings, strategies as st


@settings(max_examples=50, database=None)
@given(st.text())
def test_text(value):
    assert isinstance(value, str)
"""


def fresh_folder_cpu(storage: Path | None, repeats: int) -> float:
    """Median CPU of a text-drawing session in a fresh folder each time; ``storage``:
    Hypothesis' shared storage folder, or None for its default (``.hypothesis`` there)."""
    env = dict(ENV)
    env.pop("HYPOTHESIS_STORAGE_DIRECTORY", None)
    if storage is not None:
        env["HYPOTHESIS_STORAGE_DIRECTORY"] = str(storage)
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_text.py"]
    samples = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "test_text.py").write_text(TEXT_TEST)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(argv, cwd=tmp, env=env, check=True, capture_output=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(samples)


def hypothesis_storage(repeats: int) -> None:
    with tempfile.TemporaryDirectory() as shared:
        fresh_folder_cpu(Path(shared), 1)  # filled once, as the first scratch run does
        rows = [
            (name, fresh_folder_cpu(storage, repeats))
            for name, storage in (("in each folder", None), ("shared", Path(shared)))
        ]
    print("one text-drawing session in a fresh folder, Hypothesis' storage:")
    for name, cpu in rows:
        print(f"  {name:15} {cpu:6.2f}s CPU")
    print(f"  in each folder / shared: {rows[0][1] / rows[1][1]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--tests", nargs="+", default=SLICE)
    args = parser.parse_args()
    suite = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args.tests]
    rows: list[tuple[str, float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "test_one.py").write_text("def test_one():\n    assert 1\n")
        for number in range(1, args.rounds + 1):
            for caches in (False, True):
                drop_caches()
                if caches:
                    fill_caches()
                session = one_test_cpu(folder, args.repeats)
                wall, cpu = timed(suite, ROOT)
                rows.append(
                    (f"round {number} {'with' if caches else 'without'}", session, wall, cpu)
                )
    fill_caches()
    print(f"slice: {' '.join(args.tests)}")
    print(f"{'':20} {'one-test session CPU':>21} {'slice wall':>11} {'slice CPU':>10}")
    for name, session, wall, cpu in rows:
        print(f"{name:20} {session:20.2f}s {wall:10.1f}s {cpu:9.1f}s")
    for number in range(args.rounds):
        (_, s0, w0, c0), (_, s1, w1, c1) = rows[2 * number : 2 * number + 2]
        print(
            f"round {number + 1}: without / with caches: session CPU {s0 / s1:.2f}x, "
            f"slice wall {w0 / w1:.2f}x, slice CPU {c0 / c1:.2f}x"
        )
    hypothesis_storage(args.repeats)


if __name__ == "__main__":
    main()
