"""How often does each keep rule keep luck, and how often a real gain?

Simulates experiments against a benchmark whose score has gaussian noise (3 % of
the score by default): no-op experiments (the candidate is the baseline) and
real improvements of 3 %, 5 % and 10 %. Each experiment draws a fresh baseline,
so the rates are per experiment, over baselines. Three rules decide:

- ``judge``: :func:`pytest_autoimprove.loop.keep.judge` with the default plan
  (5 baseline runs, up to 5 sequential candidate runs);
- ``median of 3``: keep when the median of 3 candidate runs beats the median
  of 3 baseline runs (a plain "median improved" rule);
- ``best of 3``: keep when the best of 3 candidate runs beats the best of 3
  baseline runs (how the Shopify/liquid run judged noise).

A second table runs a loop of no-op experiments where the baseline is reused
until a keep (as the real loop does): a rule that keeps luck reports a "best"
score that the code does not have.

Run: ``python benchmarks/bench_keep_rule.py`` (seeded; about a second).
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from pytest_autoimprove.loop.keep import judge, plan_repeats, sample

TRUE_BASELINE = 100.0
Measure = Callable[[], float]


@dataclass
class Tally:
    """Keeps and runs of one rule on one kind of experiment."""

    experiments: int = 0
    kept: int = 0
    candidate_runs: int = 0
    baseline_runs: int = 0

    @property
    def keep_rate(self) -> float:
        return self.kept / self.experiments

    @property
    def mean_runs(self) -> float:
        return self.candidate_runs / self.experiments


def our_rule(base: Measure, cand: Measure, tally: Tally) -> None:
    plan = plan_repeats(None)
    baseline = sample(base, plan.baseline_runs)
    verdict = judge(baseline, cand, goal="higher", max_repeats=plan.max_repeats)
    tally.experiments += 1
    tally.kept += verdict.keep
    tally.candidate_runs += verdict.runs
    tally.baseline_runs += len(baseline)


def median_of_3(base: Measure, cand: Measure, tally: Tally) -> None:
    baseline = statistics.median(base() for _ in range(3))
    candidate = statistics.median(cand() for _ in range(3))
    tally.experiments += 1
    tally.kept += candidate > baseline
    tally.candidate_runs += 3
    tally.baseline_runs += 3


def best_of_3(base: Measure, cand: Measure, tally: Tally) -> None:
    baseline = max(base() for _ in range(3))
    candidate = max(cand() for _ in range(3))
    tally.experiments += 1
    tally.kept += candidate > baseline
    tally.candidate_runs += 3
    tally.baseline_runs += 3


RULES: dict[str, Callable[[Measure, Measure, Tally], None]] = {
    "judge": our_rule,
    "median of 3": median_of_3,
    "best of 3": best_of_3,
}


def simulate(n: int, noise: float, seed: int) -> dict[tuple[str, float], Tally]:
    """Keep rates of every rule for a no-op and for 3, 5 and 10 % improvements."""
    tallies: dict[tuple[str, float], Tally] = {}
    for effect in (0.0, 0.03, 0.05, 0.10):
        for rule_name, rule in RULES.items():
            # One stream per row, so rows do not depend on each other.
            rng = random.Random(f"{seed}-{rule_name}-{effect}")
            sigma = noise * TRUE_BASELINE

            def base(rng: random.Random = rng, sigma: float = sigma) -> float:
                return rng.gauss(TRUE_BASELINE, sigma)

            def cand(rng: random.Random = rng, sigma: float = sigma, e: float = effect) -> float:
                return rng.gauss(TRUE_BASELINE * (1 + e), sigma)

            tally = tallies.setdefault((rule_name, effect), Tally())
            for _ in range(n):
                rule(base, cand, tally)
    return tallies


@dataclass
class LoopResult:
    keeps: int
    runs: int
    claimed_gain: float


def noop_loop(rule_name: str, experiments: int, noise: float, seed: int) -> LoopResult:
    """A loop of no-op experiments; the best's samples are reused until a keep."""
    rng = random.Random(f"{seed}-loop-{rule_name}")

    def bench() -> float:
        return rng.gauss(TRUE_BASELINE, noise * TRUE_BASELINE)

    keeps = runs = 0
    if rule_name == "judge":
        plan = plan_repeats(None)
        best = sample(bench, plan.baseline_runs)
        runs += len(best)
        for _ in range(experiments):
            verdict = judge(best, bench, goal="higher", max_repeats=plan.max_repeats)
            runs += verdict.runs
            if verdict.keep:
                keeps += 1
                topped = sample(bench, plan.baseline_runs, start=verdict.samples)
                runs += len(topped) - verdict.runs
                best = topped
        claimed = statistics.median(best)
    else:
        pick = statistics.median if rule_name == "median of 3" else max
        best_score = pick([bench() for _ in range(3)])
        runs += 3
        for _ in range(experiments):
            score = pick([bench() for _ in range(3)])
            runs += 3
            if score > best_score:
                keeps += 1
                best_score = score
        claimed = best_score
    return LoopResult(keeps, runs, claimed / TRUE_BASELINE - 1)


def _ci(tally: Tally) -> float:
    """Half-width of a normal 95 % interval on a keep rate."""
    p = tally.keep_rate
    return 1.96 * math.sqrt(p * (1 - p) / tally.experiments)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="experiments per row (default 2000)")
    parser.add_argument("--noise", type=float, default=0.03, help="score noise (default 0.03)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--loop", type=int, default=200, help="no-op experiments in the loop")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    tallies = simulate(args.n, args.noise, args.seed)
    print(
        f"keep rules on a score with {args.noise:.0%} gaussian noise, "
        f"{args.n} experiments per row, seed {args.seed}\n"
    )
    header = f"{'experiment':<18} {'rule':<12} {'kept':>7} {'runs/exp':>9} {'baseline runs':>14}"
    print(header)
    print("-" * len(header))
    for effect in (0.0, 0.03, 0.05, 0.10):
        label = "no-op" if effect == 0 else f"+{effect:.0%} improvement"
        for rule_name in RULES:
            t = tallies[(rule_name, effect)]
            print(
                f"{label:<18} {rule_name:<12} {t.keep_rate:>7.1%} {t.mean_runs:>9.2f} "
                f"{t.baseline_runs / t.experiments:>14.1f}"
            )
        print()

    ours_noop = tallies[("judge", 0.0)]
    naive_noop = tallies[("median of 3", 0.0)]
    ours_real = tallies[("judge", 0.10)]
    naive_real = tallies[("median of 3", 0.10)]
    fewer = naive_noop.keep_rate / ours_noop.keep_rate if ours_noop.kept else float("inf")
    print("against the naive 'median of 3 improved' rule (± is a 95% interval):")
    print(
        f"  no-ops wrongly kept: {ours_noop.keep_rate:.1%} ±{_ci(ours_noop):.1%} vs "
        f"{naive_noop.keep_rate:.1%} ({fewer:.1f}x fewer; target < 5%)"
    )
    print(
        f"  +10% improvements kept: {ours_real.keep_rate:.1%} ±{_ci(ours_real):.1%} vs "
        f"{naive_real.keep_rate:.1%} (target > 95%)"
    )
    print(
        f"  candidate runs per experiment: {ours_noop.mean_runs:.2f} (no-op), "
        f"{ours_real.mean_runs:.2f} (+10%) vs 3.00 "
        f"({ours_noop.mean_runs / naive_noop.mean_runs:.2f}x, "
        f"{ours_real.mean_runs / naive_real.mean_runs:.2f}x)"
    )

    print(f"\na loop of {args.loop} no-op experiments, the best reused until a keep:")
    header = f"{'rule':<12} {'keeps':>6} {'runs':>6} {'claimed gain':>13}"
    print(header)
    print("-" * len(header))
    for rule_name in RULES:
        loop = noop_loop(rule_name, args.loop, args.noise, args.seed)
        print(f"{rule_name:<12} {loop.keeps:>6} {loop.runs:>6} {loop.claimed_gain:>+13.1%}")
    print("(the code never changed: every keep and every % of claimed gain is luck)")
    print(f"\n{time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
