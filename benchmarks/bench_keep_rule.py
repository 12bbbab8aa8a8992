"""How often does each keep rule keep luck, and how often a real gain, as the load changes?

Simulates a timed benchmark (lower is better) on a machine in three scenarios:

- ``steady``: 3 % gaussian noise per run, nothing else;
- ``bursts``: the same, plus load that comes and goes: a burst starts after 12
  runs on average, lasts 6 on average, and slows every run in it by 30-60 %
  (one factor per burst); a third of all runs are slowed;
- ``drift``: the same noise, plus a slow swing of ±10 % over 600 runs (thermal
  throttling, caches, a neighbour's nightly job).

Each experiment takes place at a random point of a run, up to 400 benchmark runs
after the run's start, where the best was first measured. Rows: no-op
experiments (the candidate is the best) and candidates 3 %, 5 % and 10 % faster.
Two rules judge the same experiments (same seeds, same machine timeline):

- ``baseline once``: :func:`pytest_autoimprove.loop.keep.judge`, the candidate's runs
  against 5 runs of the best measured at the start of the run (how the loop
  judged before the A/B rule);
- ``A/B pairs``: :func:`pytest_autoimprove.loop.paired.judge_interleaved`, the best and
  the candidate measured in pairs, in random order, at the experiment's time.

``runs`` is the benchmark runs one experiment costs: the candidate's for the
baseline-once rule (its 5 baseline runs are paid once per run), the candidate's
and the best's for the A/B rule.

Run: ``python benchmarks/bench_keep_rule.py`` (seeded; half a minute).
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from pytest_autoimprove.loop.keep import KeepRule, judge, plan_repeats, sample
from pytest_autoimprove.loop.paired import AUTO_MAX_PAIRS, judge_interleaved

TRUE_TIME = 1.0
SCENARIOS = ("steady", "bursts", "drift")
EFFECTS = (0.0, 0.03, 0.05, 0.10)
#: How far into a run (in benchmark runs) an experiment takes place, at most.
SPREAD = 400
BURST_START = 1 / 12
BURST_END = 1 / 6
BURST_SLOWDOWN = (1.3, 1.6)
DRIFT_SWING = 0.10
DRIFT_PERIOD = 600


class Machine:
    """The load a benchmark sees, run after run: one timeline per seed."""

    def __init__(self, scenario: str, seed: str, noise: float) -> None:
        self.scenario = scenario
        self.noise = noise
        self.load = random.Random(f"load-{seed}")
        self.jitter = random.Random(f"noise-{seed}")
        self.clock = 0
        self.phase = self.load.uniform(0, 2 * math.pi)
        # Start in the stationary state: a third of the time under load.
        self.slowdown = self.load.uniform(*BURST_SLOWDOWN) if self.load.random() < 1 / 3 else 1.0

    def _tick(self) -> float:
        factor = 1.0
        if self.scenario == "bursts":
            if self.slowdown > 1.0:
                if self.load.random() < BURST_END:
                    self.slowdown = 1.0
            elif self.load.random() < BURST_START:
                self.slowdown = self.load.uniform(*BURST_SLOWDOWN)
            factor = self.slowdown
        elif self.scenario == "drift":
            angle = 2 * math.pi * self.clock / DRIFT_PERIOD + self.phase
            factor = 1 + DRIFT_SWING * math.sin(angle)
        self.clock += 1
        return factor

    def run(self, true_time: float) -> float:
        """One benchmark run of code whose unloaded time is ``true_time``."""
        return true_time * self._tick() * (1 + self.jitter.gauss(0, self.noise))

    def wait(self, runs: int) -> None:
        """Other experiments run meanwhile."""
        for _ in range(runs):
            self._tick()


@dataclass
class Tally:
    """Keeps and runs of one rule on one kind of experiment."""

    experiments: int = 0
    kept: int = 0
    runs: int = 0

    @property
    def keep_rate(self) -> float:
        return self.kept / self.experiments

    @property
    def mean_runs(self) -> float:
        return self.runs / self.experiments

    def ci(self) -> float:
        """Half-width of a normal 95 % interval on the keep rate."""
        p = self.keep_rate
        return 1.96 * math.sqrt(p * (1 - p) / self.experiments)


Rule = Callable[[Machine, random.Random, float, int], tuple[bool, int]]


def baseline_once(
    machine: Machine, rng: random.Random, effect: float, wait: int
) -> tuple[bool, int]:
    plan = plan_repeats(None)
    best = sample(lambda: machine.run(TRUE_TIME), plan.baseline_runs)
    machine.wait(wait)
    verdict = judge(
        best,
        lambda: machine.run(TRUE_TIME / (1 + effect)),
        KeepRule("lower"),
        max_repeats=plan.max_repeats,
    )
    return verdict.keep, verdict.runs


def ab_pairs(machine: Machine, rng: random.Random, effect: float, wait: int) -> tuple[bool, int]:
    plan = plan_repeats(None)
    # The loop's first measurement of the best: it only says the score is noisy.
    best = sample(lambda: machine.run(TRUE_TIME), plan.baseline_runs)
    machine.wait(wait)
    verdict = judge_interleaved(
        best,
        lambda: machine.run(TRUE_TIME),
        lambda: machine.run(TRUE_TIME / (1 + effect)),
        KeepRule("lower"),
        max_pairs=AUTO_MAX_PAIRS,
        rng=rng,
    )
    return verdict.keep, verdict.runs + len(verdict.best_samples)


RULES: dict[str, Rule] = {"baseline once": baseline_once, "A/B pairs": ab_pairs}


def simulate(n: int, noise: float, seed: int) -> dict[tuple[str, float, str], Tally]:
    """Keep rates of both rules, per scenario and effect, on the same timelines."""
    tallies: dict[tuple[str, float, str], Tally] = {}
    for scenario in SCENARIOS:
        for effect in EFFECTS:
            for index in range(n):
                key = f"{seed}-{scenario}-{effect}-{index}"
                wait = random.Random(f"wait-{key}").randrange(SPREAD)
                for name, rule in RULES.items():
                    machine = Machine(scenario, key, noise)
                    kept, runs = rule(machine, random.Random(f"order-{key}"), effect, wait)
                    tally = tallies.setdefault((scenario, effect, name), Tally())
                    tally.experiments += 1
                    tally.kept += kept
                    tally.runs += runs
    return tallies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="experiments per row (default 2000)")
    parser.add_argument("--noise", type=float, default=0.03, help="run noise (default 0.03)")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    tallies = simulate(args.n, args.noise, args.seed)
    print(
        f"keep rules on a timed benchmark with {args.noise:.0%} noise per run, "
        f"{args.n} experiments per row, seed {args.seed}\n"
    )
    names = list(RULES)
    header = f"{'scenario':<8} {'experiment':<12}" + "".join(
        f" {name + ' kept':>20} {'runs':>6}" for name in names
    )
    print(header)
    print("-" * len(header))
    for scenario in SCENARIOS:
        for effect in EFFECTS:
            label = "no-op" if effect == 0 else f"{effect:.0%} faster"
            cells = ""
            for name in names:
                t = tallies[(scenario, effect, name)]
                cells += f" {t.keep_rate:>20.1%} {t.mean_runs:>6.1f}"
            print(f"{scenario:<8} {label:<12}{cells}")
        print()

    def tally(scenario: str, effect: float, name: str = "A/B pairs") -> Tally:
        return tallies[(scenario, effect, name)]

    worst_noop = max((tally(s, 0.0) for s in SCENARIOS), key=lambda t: t.keep_rate)
    worst_old = max(tally(s, 0.0, "baseline once").keep_rate for s in SCENARIOS)
    print("A/B pairs against the targets (± is a 95% interval):")
    print(
        f"  no-ops kept, worst scenario: {worst_noop.keep_rate:.1%} ±{worst_noop.ci():.1%} "
        f"(target <= 5%; baseline once: {worst_old:.1%})"
    )
    bursts10 = tally("bursts", 0.10)
    print(
        f"  10% faster kept with bursts: {bursts10.keep_rate:.1%} ±{bursts10.ci():.1%} "
        f"(target >= 95%; baseline once: {tally('bursts', 0.10, 'baseline once').keep_rate:.1%})"
    )
    steady5 = tally("steady", 0.05)
    print(
        f"  5% faster kept at steady 3% noise: {steady5.keep_rate:.1%} ±{steady5.ci():.1%} "
        f"(target >= 90%; baseline once: {tally('steady', 0.05, 'baseline once').keep_rate:.1%})"
    )
    noop_runs = statistics.fmean(tally(s, 0.0).mean_runs for s in SCENARIOS)
    old_noop_runs = statistics.fmean(tally(s, 0.0, "baseline once").mean_runs for s in SCENARIOS)
    print(
        f"  runs per no-op experiment: {noop_runs:.1f} vs {old_noop_runs:.1f} "
        f"({noop_runs / old_noop_runs:.1f}x); per 5% gain: {steady5.mean_runs:.1f} vs "
        f"{tally('steady', 0.05, 'baseline once').mean_runs:.1f} (steady)"
    )

    print(f"\n{time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
