"""How much the guard lock costs: verify throughput, --autoimprove-verify start-up, import.

Prints three figures, each against a baseline measured in the same run:

1. verifying a lock over 2,000 files / 200 MB, as a ratio to plain hashlib reading and
   hashing the same bytes (aim: within 1.3x);
2. what ``--autoimprove-verify`` adds to a pytest session on a typical small repo
   (aim: under 10 ms, issue 11), measured as the in-process cost of the check and as the
   difference between two pytest start-ups;
3. what merely having the plugin installed adds to a pytest run that uses none of its
   options (aim: under 10 ms): importing the plugin module and registering its hooks.

Usage: python benchmarks/bench_verify.py [--files 2000] [--megabytes 200] [--repeats 5]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def median_time(action: Callable[[], object], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def make_big_repo(root: Path, files: int, megabytes: int) -> list[Path]:
    size = megabytes * 1024 * 1024 // files
    block = os.urandom(size)
    data_dir = root / "data"
    data_dir.mkdir(parents=True)
    paths = []
    for index in range(files):
        path = data_dir / f"part-{index:05d}.bin"
        # Vary the first bytes so files differ while staying cheap to write.
        path.write_bytes(index.to_bytes(8, "little") + block[8:])
        paths.append(path)
    (root / "improve.md").write_text("## Check\nrun: python bench.py\ngoal: lower\nfrozen: data\n")
    git(root, "init", "-q")
    return paths


def plain_hashlib(paths: list[Path]) -> None:
    for path in paths:
        hashlib.sha256(path.read_bytes()).hexdigest()


def bench_throughput(files: int, megabytes: int, repeats: int) -> tuple[float, float]:
    from pytest_autoimprove import guard
    from pytest_autoimprove.config import load_config

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = make_big_repo(root, files, megabytes)
        config = load_config(root)
        guard.freeze(root, config, guard_tests=0)
        plain_hashlib(paths)  # warm the page cache for both contenders
        ours = median_time(lambda: guard.verify(root, config), repeats)
        base = median_time(lambda: plain_hashlib(paths), repeats)
    return ours, base


TYPICAL_TEST = "def test_{n}():\n    assert {n} == {n}\n"


def make_typical_repo(root: Path) -> None:
    (root / "src").mkdir()
    (root / "tests" / "autoimprove_guard").mkdir(parents=True)
    for n in range(40):
        (root / "src" / f"mod{n}.py").write_text(f"def f{n}(x):\n    return x + {n}\n")
        (root / "tests" / f"test_{n}.py").write_text(TYPICAL_TEST.format(n=n))
    (root / "tests" / "conftest.py").write_text("")
    (root / "tests" / "autoimprove_guard" / "test_guard.py").write_text(
        "import pytest\n\n@pytest.mark.autoimprove_guard\ndef test_g():\n    pass\n"
    )
    (root / "bench.py").write_text("print('SCORE: 1')\n")
    (root / "pyproject.toml").write_text('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    (root / "improve.md").write_text(
        "## Change\nscope: src/*.py\n"
        "## Check\nrun: python bench.py\ngoal: lower\nfrozen: bench.py\n"
    )
    git(root, "init", "-q")
    subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", "freeze"],
        cwd=root,
        check=True,
        capture_output=True,
    )


#: What the plugin's session start runs: the quick check, the full one only when it cannot
#: prove the lock holds (a lock frozen by another version, a changed ``## Check``...).
IN_PROCESS = """
import sys, time
from pathlib import Path
import pytest
start = time.perf_counter()
from pytest_autoimprove.lockcheck import lock_holds
if not lock_holds(Path("."), None):
    from pytest_autoimprove.guard import verify_for_pytest
    problem = verify_for_pytest(Path("."), None)
    assert problem is None, problem
print(time.perf_counter() - start)
"""

IMPORT_ONLY = """
import time
import pytest
start = time.perf_counter()
import pytest_autoimprove.plugin
import pytest_autoimprove.loop.options
from pytest_autoimprove import hookspec
pm = pytest.PytestPluginManager()
pm.add_hookspecs(hookspec)
print(time.perf_counter() - start)
"""


#: Users' interpreters cache byte code; a CI box with PYTHONDONTWRITEBYTECODE would
#: recompile every module on every start and measure the compiler instead of us.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def subprocess_seconds(code: str, cwd: Path, repeats: int) -> float:
    samples = []
    for _ in range(repeats + 1):  # the first run writes the byte-code caches
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=cwd,
            check=True,
            capture_output=True,
            text=True,
            env=ENV,
        ).stdout
        samples.append(float(out.strip().splitlines()[-1]))
    return statistics.median(samples[1:])


def pytest_startup(cwd: Path, extra: list[str], repeats: int) -> float:
    def run() -> None:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "--collect-only",
                "-q",
                "-p",
                "no:cacheprovider",
                *extra,
            ],
            cwd=cwd,
            check=True,
            capture_output=True,
            env=ENV,
        )

    run()
    return median_time(run, repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    ours, base = bench_throughput(args.files, args.megabytes, args.repeats)
    print(f"verify over {args.files} files / {args.megabytes} MB (median of {args.repeats})")
    print(f"  plain hashlib          {base * 1000:8.1f} ms")
    print(
        f"  autoimprove verify     {ours * 1000:8.1f} ms   ratio {ours / base:.2f}x (aim <= 1.30x)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_typical_repo(root)
        check = subprocess_seconds(IN_PROCESS, root, args.repeats * 3)
        runs = args.repeats * 3
        plain = pytest_startup(root, [], runs)
        verified = pytest_startup(root, ["--autoimprove-verify"], runs)
        print("\n--autoimprove-verify on a typical repo (40 modules, 41 test files)")
        print(
            f"  the check itself, in process (imports + hashing)  {check * 1000:6.1f} ms "
            "(aim < 10 ms)"
        )
        print(f"  pytest --collect-only                             {plain * 1000:6.1f} ms")
        print(
            f"  pytest --collect-only --autoimprove-verify        {verified * 1000:6.1f} ms "
            f"(+{(verified - plain) * 1000:.1f} ms, noisy)"
        )

        installed = subprocess_seconds(IMPORT_ONLY, root, args.repeats * 3)
        without = pytest_startup(root, ["-p", "no:autoimprove", "-p", "no:autoimprove_loop"], runs)
        print("\nplugin installed, no option used")
        print(
            f"  import plugin + register hook specs               {installed * 1000:6.1f} ms "
            "(aim < 10 ms)"
        )
        print(f"  pytest --collect-only -p no:autoimprove[_loop]     {without * 1000:6.1f} ms")
        print(
            f"  pytest --collect-only                             {plain * 1000:6.1f} ms "
            f"(+{(plain - without) * 1000:.1f} ms, noisy)"
        )


if __name__ == "__main__":
    main()
