"""What ending everything a command started costs, per command.

:func:`~pytest_autoimprove.process.run_command` ends a command's leftovers with one
pass over ``/proc`` when the command's leader exits, and (where util-linux has
``setpriv``) runs the command behind ``setpriv --pdeathsig``. This script runs the same
short commands through ``run_command`` inside a run (a
:class:`~pytest_autoimprove.process.Containment`, as the loop runs them), three ways,
interleaved in one run so that a busy spell hits all three:

- group only: as before escaped processes were tracked (no ``/proc`` pass, no
  ``setpriv``): only the command's process group is ended;
- + /proc: the pass over ``/proc`` that finds escaped processes;
- + setpriv: and the parent-death signal: what the loop runs now.

It also times one ``/proc`` pass with nothing to end. Figures are medians in ms and
the cost added per command; a loop experiment runs three commands or more (proposer,
tests, benchmark).

    python benchmarks/bench_process.py              # 200 rounds
    python benchmarks/bench_process.py --rounds 50
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pytest_autoimprove import process, proctree  # noqa: E402
from pytest_autoimprove.process import Containment, new_token, run_command  # noqa: E402

COMMANDS: dict[str, list[str] | str] = {
    "true": ["true"],
    "sh -c true": ["/bin/sh", "-c", "true"],
    "python -c pass": [sys.executable, "-c", "pass"],
    "sh: python": f"{sys.executable} -c pass",  # a command line of improve.md
}
VARIANTS = ("group only", "+ /proc", "+ setpriv")


def run(argv: list[str] | str, cwd: Path, variant: str) -> float:
    """ms for one run_command of ``argv`` with the parts of ``variant`` switched on."""
    sweep = variant != "group only"
    wrapper = process._setpriv.__wrapped__() if variant == "+ setpriv" else None
    with (
        mock.patch.object(proctree, "readable", lambda: sweep),
        mock.patch.object(process, "_setpriv", lambda: wrapper),
    ):
        start = time.perf_counter()
        run_command(argv, cwd=cwd, timeout=60)
        return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    if not proctree.readable():
        print("no /proc here: run_command only ends the process group; nothing to measure")
        return 0
    print(
        f"{args.rounds} interleaved rounds per command, medians in ms; "
        f"{len(proctree.snapshot())} processes on this machine, {os.cpu_count()} CPUs; "
        f"setpriv: {process._setpriv() or 'not found'}"
    )
    print(f"{'command':<16}" + "".join(f"{v:>12}" for v in VARIANTS) + f"{'added':>10}")
    with tempfile.TemporaryDirectory() as temp, Containment(new_token()):
        for name, argv in COMMANDS.items():
            times: dict[str, list[float]] = {v: [] for v in VARIANTS}
            for _ in range(args.rounds):
                for variant in VARIANTS:
                    times[variant].append(run(argv, Path(temp), variant))
            med = {v: statistics.median(t) for v, t in times.items()}
            added = med[VARIANTS[-1]] - med[VARIANTS[0]]
            print(
                f"{name:<16}" + "".join(f"{med[v]:>12.2f}" for v in VARIANTS) + f"{added:>+10.2f}"
            )
        passes = []
        for _ in range(200):
            start = time.perf_counter()
            proctree.end(lambda procs: set(), grace=0)
            passes.append((time.perf_counter() - start) * 1000)
    print(f"one /proc pass with nothing to end: {statistics.median(passes):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
