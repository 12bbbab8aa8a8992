"""The A/B keep rule: load that comes and goes cannot pass as a gain or hide one."""

from __future__ import annotations

import itertools
import math
import random
import re
from collections.abc import Callable, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_autoimprove.loop.keep import KeepRule, MeasurementFailed, judge
from pytest_autoimprove.loop.paired import (
    AUTO_MAX_PAIRS,
    FIRST_LOOK,
    MIN_PAIRS,
    BestMeasurementFailed,
    judge_interleaved,
    keep_looks,
    max_pairs_for,
    signed_rank_p,
)

NOISY_BEST = (1.0, 1.02, 0.98, 1.01, 0.99)


class Machine:
    """A benchmark's clock: the load is a function of how many runs came before."""

    def __init__(self, load: Callable[[int], float], noise: float = 0.01, seed: int = 0) -> None:
        self.load = load
        self.noise = random.Random(seed)
        self.sigma = noise
        self.runs: list[str] = []

    def bench(self, name: str, seconds: float) -> Callable[[], float]:
        def run() -> float:
            factor = self.load(len(self.runs))
            self.runs.append(name)
            return seconds * factor * (1 + self.noise.gauss(0, self.sigma))

        return run


def bursts(length: int, slowdown: float = 1.5) -> Callable[[int], float]:
    """Load that comes for ``length`` runs and goes for ``length`` runs, over and over."""
    return lambda run: slowdown if (run // length) % 2 else 1.0


def test_a_noop_under_bursts_is_discarded_where_a_baseline_once_kept_it() -> None:
    # The best was first measured under load; the candidate, the same code, later.
    load = bursts(3)
    baseline_under_load = [t * 1.5 for t in NOISY_BEST]
    machine = Machine(load)
    old = judge(baseline_under_load, machine.bench("candidate", 1.0), KeepRule("lower"))
    assert old.keep  # what this rule is for: the old rule took the burst for a gain

    machine = Machine(load, seed=1)
    verdict = judge_interleaved(
        baseline_under_load,
        machine.bench("best", 1.0),
        machine.bench("candidate", 1.0),
        KeepRule("lower"),
        rng=random.Random(1),
    )
    assert not verdict.keep
    assert verdict.status in ("worse", "equal", "noise")
    assert len(verdict.best_samples) == verdict.runs
    assert machine.runs.count("best") == machine.runs.count("candidate") == verdict.runs


def test_noops_under_bursts_are_kept_at_most_alpha_of_the_time() -> None:
    kept = 0
    trials = 300
    for seed in range(trials):
        machine = Machine(bursts(2 + seed % 5, 1.3 + (seed % 4) / 10), noise=0.03, seed=seed)
        verdict = judge_interleaved(
            NOISY_BEST,
            machine.bench("best", 1.0),
            machine.bench("candidate", 1.0),
            KeepRule("lower"),
            rng=random.Random(seed),
        )
        kept += verdict.keep
    assert kept / trials <= 0.05


def test_a_real_gain_under_drift_is_kept_where_a_baseline_once_hid_it() -> None:
    # The machine slows by 1% a run: a candidate 10% faster, measured after 30 runs.
    def drift(run: int) -> float:
        return 1.0 + 0.01 * (run + 30)

    old = judge(NOISY_BEST, Machine(drift).bench("candidate", 0.9), KeepRule("lower"))
    assert not old.keep

    machine = Machine(drift)
    verdict = judge_interleaved(
        NOISY_BEST,
        machine.bench("best", 1.0),
        machine.bench("candidate", 0.9),
        KeepRule("lower"),
        rng=random.Random(3),
    )
    assert verdict.keep
    assert verdict.status == "better"
    assert verdict.relative_delta == pytest.approx(-0.10, abs=0.02)
    assert verdict.runs >= FIRST_LOOK


def test_the_reason_says_how_sure_and_how_many_pairs() -> None:
    machine = Machine(lambda run: 1.0)
    verdict = judge_interleaved(
        NOISY_BEST,
        machine.bench("best", 1.0),
        machine.bench("candidate", 0.8),
        KeepRule("lower"),
        rng=random.Random(0),
    )
    assert verdict.keep
    assert verdict.p_value is not None and verdict.p_value <= 0.05
    assert re.fullmatch(
        rf"better by (19|20|21)\.\d% \(p={verdict.p_value:.2g}, {verdict.runs} A/B pairs, "
        r"noise ±\d\.\d%\)",
        verdict.reason,
    ), verdict.reason


def test_each_pair_is_measured_in_a_random_order() -> None:
    firsts = []
    for seed in range(4):
        machine = Machine(lambda run: 1.0)
        judge_interleaved(
            NOISY_BEST,
            machine.bench("best", 1.0),
            machine.bench("candidate", 0.9),
            KeepRule("lower"),
            rng=random.Random(seed),
        )
        pairs = [machine.runs[i : i + 2] for i in range(0, len(machine.runs), 2)]
        assert all(sorted(pair) == ["best", "candidate"] for pair in pairs)
        firsts += [pair[0] for pair in pairs]
    assert 0.25 < firsts.count("best") / len(firsts) < 0.75


def test_a_close_call_gets_more_pairs_than_a_clear_one() -> None:
    def pairs_for(seconds: float) -> list[int]:
        out = []
        for seed in range(20):
            machine = Machine(lambda run: 1.0, noise=0.03, seed=seed)
            verdict = judge_interleaved(
                NOISY_BEST,
                machine.bench("best", 1.0),
                machine.bench("candidate", seconds),
                KeepRule("lower"),
                rng=random.Random(seed),
            )
            out.append(verdict.runs)
        return out

    clear, close = pairs_for(0.8), pairs_for(0.97)
    assert max(clear) <= 8
    assert sum(close) > 1.5 * sum(clear)
    assert max(close) <= AUTO_MAX_PAIRS


def test_a_deterministic_score_keeps_the_single_run_rule() -> None:
    best_runs: list[float] = []

    def best() -> float:
        best_runs.append(1.0)
        return 1.0

    verdict = judge_interleaved([0.6, 0.6, 0.6], best, lambda: 0.61, KeepRule("higher"))
    assert verdict.keep
    assert verdict.runs == 1
    assert not best_runs
    assert verdict.reason == "better by 1.7%"


def test_min_delta_is_a_bar_the_gain_must_clear() -> None:
    machine = Machine(lambda run: 1.0)
    verdict = judge_interleaved(
        NOISY_BEST,
        machine.bench("best", 1.0),
        machine.bench("candidate", 0.97),
        KeepRule("lower", min_delta=0.05),
        rng=random.Random(2),
    )
    assert not verdict.keep
    assert verdict.status == "below-min-delta"
    assert "not beyond min_delta 5.00%" in verdict.reason


def test_scores_around_zero_are_compared_as_differences() -> None:
    rng = random.Random(4)
    verdict = judge_interleaved(
        [-0.1, 0.1, 0.0, 0.05, -0.05],
        lambda: rng.gauss(0.0, 0.05),
        lambda: rng.gauss(0.5, 0.05),
        KeepRule("higher"),
        rng=rng,
    )
    assert verdict.keep
    assert verdict.delta > 0


def test_no_score_from_either_side_is_a_failed_measurement() -> None:
    values = iter([1.0, 1.0, None])
    with pytest.raises(MeasurementFailed) as failed:
        judge_interleaved(
            NOISY_BEST, lambda: 1.0, lambda: next(values), KeepRule("lower"), rng=random.Random(0)
        )
    assert not isinstance(failed.value, BestMeasurementFailed)
    assert failed.value.samples == (1.0, 1.0)

    with pytest.raises(BestMeasurementFailed, match="the best's run 1 produced no score"):
        judge_interleaved(
            NOISY_BEST, lambda: None, lambda: 1.0, KeepRule("lower"), rng=random.Random(0)
        )


def test_an_exhausted_budget_ends_the_measuring() -> None:
    asked: list[int] = []

    def afford() -> bool:
        asked.append(1)
        return len(asked) < 3

    machine = Machine(lambda run: 1.0)
    verdict = judge_interleaved(
        NOISY_BEST,
        machine.bench("best", 1.0),
        machine.bench("candidate", 0.97),
        KeepRule("lower"),
        rng=random.Random(0),
        afford=afford,
    )
    assert verdict.runs == 3
    assert not verdict.keep
    assert verdict.status == "noise"
    assert "not beyond noise when the budget ran out (p=" in verdict.reason


def test_repeats_set_the_most_pairs() -> None:
    assert max_pairs_for(None) == max_pairs_for(1) == AUTO_MAX_PAIRS
    assert max_pairs_for(3) == MIN_PAIRS
    assert max_pairs_for(50) == 50


@pytest.mark.parametrize("max_pairs", [MIN_PAIRS, 12, AUTO_MAX_PAIRS, 100])
def test_the_looks_spend_alpha_once(max_pairs: int) -> None:
    looks = keep_looks(max_pairs)
    points = [k for k, _ in looks]
    fractions = [f for _, f in looks]
    assert points[0] == FIRST_LOOK
    assert points[-1] == max_pairs
    assert points == sorted(set(points))
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0


def _flips(gains: Sequence[float]) -> list[list[float]]:
    """The gains with every combination of signs (same sizes)."""
    return [
        [sign * abs(g) for sign, g in zip(signs, gains, strict=True)]
        for signs in itertools.product((1, -1), repeat=len(gains))
    ]


def _score_sum(gains: Sequence[float]) -> int:
    from pytest_autoimprove.loop.paired import _scores

    return sum(s for s, g in zip(_scores(gains), gains, strict=True) if g > 0)


SMALL_GAINS = st.lists(
    st.sampled_from([-3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0, 7.0]),
    min_size=1,
    max_size=10,
)


@given(SMALL_GAINS)
def test_the_signed_rank_p_value_is_exact(gains: list[float]) -> None:
    """The share of sign flips scoring at least as high, ties and zeros included."""
    observed = _score_sum(gains)
    flips = _flips(gains)
    expected = sum(_score_sum(f) >= observed for f in flips) / len(flips)
    assert math.isclose(signed_rank_p(gains)[0], expected)


@given(SMALL_GAINS, st.floats(0.0, 0.3))
def test_the_size_spent_is_the_largest_attainable_within_the_allowance(
    gains: list[float], allowed: float
) -> None:
    _, size = signed_rank_p(gains, allowed)
    attainable = {signed_rank_p(f)[0] for f in _flips(gains)}
    within = [p for p in attainable if p <= allowed + 1e-12]
    assert size == pytest.approx(max(within, default=0.0))
