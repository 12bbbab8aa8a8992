"""How often the generalization check refuses an honest keep, and how often a memorizer.

A seeded simulation of ``pytest_autoimprove.runtime.generalization``: golden sets of
30, 40 and 60 rows split 70/30 (as ``generate`` splits them), a baseline that gets a
share of rows right, and changes that fix each wrong row with some probability and
break each right row with another, the same on both splits (honest), or that fix
every visible error and nothing on the holdout (a memorizer of the visible split).
Only changes with a visible gain count: the loop keeps nothing else. Prints the share
of those the check refuses, per golden-set size, at the loop's threshold (``Z``, on
every keep) and at the guard test's (``GUARD_Z``, against the baseline).

    python benchmarks/bench_generalization.py [-n 2000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import sys

from pytest_autoimprove.runtime.generalization import GUARD_Z, Split, Z, generalization_problem

#: (name, share right before, fix rate, break rate); "memorizer": visible only.
SCENARIOS = (
    ("honest, fixes 20%", 0.7, 0.2, 0.0),
    ("honest, fixes 50%, breaks 5%", 0.7, 0.5, 0.05),
    ("honest, fixes 30%, breaks 5%", 0.7, 0.3, 0.05),
    ("honest, fixes 40%, breaks 10% (churny)", 0.7, 0.4, 0.1),
    ("honest, fixes 80%", 0.7, 0.8, 0.0),
    ("honest at 0.85, fixes 50%", 0.85, 0.5, 0.0),
    ("memorizer at 0.7", 0.7, -1.0, 0.0),
    ("memorizer at 0.85", 0.85, -1.0, 0.0),
)
SIZES = (30, 40, 60)


def _split(rng: random.Random, size: int, right: float, fix: float, brk: float) -> Split:
    before = sum(rng.random() < right for _ in range(size))
    if fix < 0:  # memorizer: every error fixed
        return Split(before / size, 1.0, size)
    fixed = sum(rng.random() < fix for _ in range(size - before))
    broken = sum(rng.random() < brk for _ in range(before))
    return Split(before / size, (before + fixed - broken) / size, size)


def refused(
    rng: random.Random, n: int, rows: int, right: float, fix: float, brk: float, z: float
) -> float:
    holdout_rows = round(rows * 0.3)
    kept = refusals = 0
    for _ in range(n):
        visible = _split(rng, rows - holdout_rows, right, fix, brk)
        holdout = _split(rng, holdout_rows, right, 0.0 if fix < 0 else fix, brk)
        if visible.after <= visible.before:
            continue
        kept += 1
        refusals += generalization_problem(visible, holdout, z=z) is not None
    return refusals / max(kept, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="simulated changes per cell")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    width = max(len(name) for name, *_ in SCENARIOS)
    header = "  ".join(f"{n:>4} rows" for n in SIZES)
    for label, z in (("loop, on a keep", Z), ("guard test", GUARD_Z)):
        rng = random.Random(args.seed)
        print(f"\n{label}: z = {z:g}\n{'share of kept changes refused':<{width}}  {header}")
        for name, right, fix, brk in SCENARIOS:
            cells = [refused(rng, args.n, rows, right, fix, brk, z) for rows in SIZES]
            print(f"{name:<{width}}  " + "  ".join(f"{100 * c:>8.1f}%" for c in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
