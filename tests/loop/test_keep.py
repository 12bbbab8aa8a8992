"""The keep rule keeps real improvements and rarely keeps luck."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_autoimprove.config import parse_text
from pytest_autoimprove.loop import keep
from pytest_autoimprove.loop.keep import (
    KeepRule,
    MeasurementFailed,
    Noise,
    RepeatPlan,
    estimate_noise,
    judge,
    mann_whitney_p,
    plan_repeats,
    sample,
)


class Bench:
    """A fake benchmark: returns the given scores in order and counts the runs."""

    def __init__(self, scores: Iterable[float | None]) -> None:
        self._scores = iter(scores)
        self.runs = 0

    def __call__(self) -> float | None:
        self.runs += 1
        return next(self._scores)


def constant(value: float) -> Bench:
    return Bench(itertools.repeat(value))


NOISY_BASE = (99.0, 101.5, 100.0, 98.2, 100.9)


# --- deterministic scores ---------------------------------------------------------------


def test_deterministic_better_is_kept_after_one_run() -> None:
    bench = constant(0.61)
    verdict = judge([0.6, 0.6, 0.6], bench, KeepRule("higher"))
    assert verdict.keep
    assert bench.runs == 1
    assert verdict.samples == (0.61,)
    assert verdict.status == "better"
    assert verdict.reason == "better by 1.7%"
    assert verdict.delta == pytest.approx(0.01)
    assert verdict.relative_delta == pytest.approx(0.01 / 0.6)
    assert verdict.p_value is None


def test_deterministic_worse_is_discarded_after_one_run() -> None:
    bench = constant(0.5)
    verdict = judge([0.6], bench, KeepRule("higher"))
    assert not verdict.keep
    assert bench.runs == 1
    assert verdict.status == "worse"
    assert verdict.reason == "worse by 16.7%"


@pytest.mark.parametrize("keep_if_equal", [False, True])
def test_deterministic_equal_follows_keep_if_equal(keep_if_equal: bool) -> None:
    verdict = judge([3.0, 3.0], constant(3.0), KeepRule("lower", keep_if_equal=keep_if_equal))
    assert verdict.keep is keep_if_equal
    assert verdict.status == "equal"
    assert verdict.runs == 1
    assert verdict.reason.startswith("equal to the best so far")
    assert verdict.reason.endswith("kept (keep_if_equal)") is keep_if_equal


@pytest.mark.parametrize(
    ("candidate", "relative", "kept", "status"),
    [
        (100.4, True, False, "below-min-delta"),  # 0.4% < 0.5%
        (100.6, True, True, "better"),  # 0.6% > 0.5%
        (100.4, False, False, "below-min-delta"),  # +0.4 < 0.5
        (100.6, False, True, "better"),  # +0.6 > 0.5
        (99.0, True, False, "worse"),
    ],
)
def test_deterministic_min_delta(candidate: float, relative: bool, kept: bool, status: str) -> None:
    min_delta = 0.005 if relative else 0.5
    verdict = judge(
        [100.0],
        constant(candidate),
        KeepRule("higher", min_delta=min_delta, min_delta_relative=relative),
    )
    assert (verdict.keep, verdict.status) == (kept, status)


def test_below_min_delta_is_kept_as_equal_when_asked() -> None:
    verdict = judge(
        [100.0], constant(100.2), KeepRule("higher", min_delta=0.01, keep_if_equal=True)
    )
    assert verdict.keep
    assert verdict.status == "below-min-delta"
    assert "not beyond min_delta 1.00%" in verdict.reason


def test_relative_min_delta_of_a_zero_baseline_needs_any_gain() -> None:
    verdict = judge([0.0], constant(-0.25), KeepRule("lower", min_delta=0.05))
    assert verdict.keep
    assert verdict.relative_delta is None
    assert verdict.reason == "better by 0.25"


# --- noisy scores -----------------------------------------------------------------------


def test_noisy_clear_improvement_is_kept_after_three_runs() -> None:
    bench = Bench([110.0, 111.0, 109.5, 110.2])
    verdict = judge(NOISY_BASE, bench, KeepRule("higher"))
    assert verdict.keep
    assert verdict.status == "better"
    assert bench.runs == 3
    assert verdict.p_value == pytest.approx(1 / 56)
    assert verdict.candidate == 110.0
    assert verdict.baseline == 100.0
    assert verdict.reason.startswith("better by 10.0% (noise ")
    assert verdict.reason.endswith("p=0.0179, 3 runs)")


def test_noisy_candidate_below_the_median_stops_after_one_run() -> None:
    bench = Bench([99.5, 120.0])
    verdict = judge(NOISY_BASE, bench, KeepRule("higher"))
    assert not verdict.keep
    assert verdict.status == "worse"
    assert bench.runs == 1


def test_noisy_one_lucky_run_is_not_enough() -> None:
    # Two runs beat the baseline, the third lands in the middle of it: within noise.
    verdict = judge(NOISY_BASE, Bench([105.0, 104.0, 100.5, 101.0, 100.6]), KeepRule("higher"))
    assert not verdict.keep
    assert verdict.status == "noise"
    assert "within noise" in verdict.reason


def test_noisy_improvement_must_beat_min_delta_too() -> None:
    bench = Bench([103.0, 103.5, 103.2, 103.1, 103.4])
    assert judge(NOISY_BASE, Bench([103.0, 103.5, 103.2]), KeepRule("higher")).keep
    verdict = judge(NOISY_BASE, bench, KeepRule("higher", min_delta=0.05))
    assert not verdict.keep
    assert verdict.status == "below-min-delta"
    assert bench.runs == 1


def test_noisy_absolute_min_delta() -> None:
    kept = judge(
        NOISY_BASE, Bench([104.0] * 5), KeepRule("higher", min_delta=2.0, min_delta_relative=False)
    )
    assert kept.keep
    not_kept = judge(
        NOISY_BASE, Bench([104.0] * 5), KeepRule("higher", min_delta=5.0, min_delta_relative=False)
    )
    assert not not_kept.keep


def test_noisy_keep_if_equal_keeps_a_candidate_within_noise() -> None:
    bench = Bench([100.3, 99.6, 100.1, 99.9, 100.2])
    verdict = judge(NOISY_BASE, bench, KeepRule("higher", keep_if_equal=True))
    assert verdict.keep
    assert verdict.status == "equal"
    assert bench.runs == 5
    assert verdict.reason.endswith("kept (keep_if_equal)")


def test_noisy_keep_if_equal_discards_a_significantly_worse_candidate() -> None:
    bench = Bench([90.0, 91.0, 90.5, 90.2, 89.9])
    verdict = judge(NOISY_BASE, bench, KeepRule("higher", keep_if_equal=True))
    assert not verdict.keep
    assert verdict.status == "worse"
    assert bench.runs < 5


def test_noisy_keep_if_equal_does_not_drift_by_more_than_the_noise() -> None:
    # Not significantly worse with only two runs, but worse by far more than the noise.
    verdict = judge(
        NOISY_BASE, Bench([92.0, 99.5]), KeepRule("higher", keep_if_equal=True), max_repeats=2
    )
    assert not verdict.keep
    assert verdict.status == "worse"
    assert "more than the noise" in verdict.reason


def test_too_few_runs_to_see_past_the_noise_says_so() -> None:
    bench = Bench([150.0, 150.0])
    verdict = judge((99.0, 101.0), bench, KeepRule("higher"), max_repeats=2)
    assert not verdict.keep
    assert verdict.status == "noise"
    assert "raise repeats" in verdict.reason
    assert bench.runs == 1  # no look can keep: stop as soon as that is clear


def test_hopeless_candidates_stop_early() -> None:
    # After two runs below most of the baseline, no later look can reach its budget.
    bench = Bench([100.95, 98.0, 120.0, 120.0, 120.0])
    verdict = judge(NOISY_BASE, bench, KeepRule("higher"))
    assert not verdict.keep
    assert bench.runs == 2


# --- failures and bad input -------------------------------------------------------------


def test_a_missing_score_raises_with_the_samples_so_far() -> None:
    with pytest.raises(MeasurementFailed, match="run 2 produced no score") as info:
        judge(NOISY_BASE, Bench([104.0, None]), KeepRule("higher"))
    assert info.value.samples == (104.0,)


def test_a_non_finite_score_is_a_failure() -> None:
    with pytest.raises(MeasurementFailed, match="non-finite score nan"):
        judge([1.0], Bench([math.nan]), KeepRule("higher"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"goal": "up"}, "goal must be 'higher' or 'lower'"),
        ({"goal": "higher", "min_delta": -0.1}, "min_delta must be a finite number >= 0"),
        ({"goal": "higher", "min_delta": math.inf}, "min_delta must be a finite number >= 0"),
        ({"goal": "higher", "alpha": 1.5}, "alpha must be between 0 and 1"),
    ],
)
def test_a_rule_no_judge_can_apply_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        KeepRule(**kwargs)  # type: ignore[arg-type]


def test_the_rule_of_improve_md() -> None:
    config = parse_text("## Check\nrun: x\ngoal: lower\nmin_delta: 2\nkeep_if_equal: true\n")
    assert KeepRule.of(config.check) == KeepRule(
        "lower", min_delta=2.0, min_delta_relative=False, keep_if_equal=True
    )


def test_judge_rejects_no_repeats() -> None:
    with pytest.raises(ValueError, match="max_repeats must be at least 1"):
        judge([1.0], constant(1.0), KeepRule("higher"), max_repeats=0)


@pytest.mark.parametrize("baseline", [[], [1.0, math.nan]])
def test_judge_rejects_bad_baselines(baseline: list[float]) -> None:
    with pytest.raises(ValueError, match="baseline"):
        judge(baseline, constant(1.0), KeepRule("higher"))


# --- sample, plan_repeats, estimate_noise -----------------------------------------------


def test_sample_stops_once_the_score_is_deterministic() -> None:
    bench = constant(0.25)
    assert sample(bench, 5) == (0.25, 0.25, 0.25)
    assert bench.runs == keep.CONSTANT_RUNS


def test_sample_takes_n_runs_of_a_noisy_score() -> None:
    bench = Bench([1.0, 1.1, 0.9, 1.05, 0.95, 7.0])
    assert sample(bench, 5) == (1.0, 1.1, 0.9, 1.05, 0.95)


def test_sample_tops_up_given_samples() -> None:
    bench = Bench([3.0, 4.0])
    assert sample(bench, 4, start=[1.0, 2.0]) == (1.0, 2.0, 3.0, 4.0)
    assert bench.runs == 2


def test_sample_raises_on_a_missing_score() -> None:
    with pytest.raises(MeasurementFailed) as info:
        sample(Bench([1.0, None]), 5)
    assert info.value.samples == (1.0,)


def test_sample_rejects_zero_runs() -> None:
    with pytest.raises(ValueError, match="n must be at least 1"):
        sample(constant(1.0), 0)


@pytest.mark.parametrize(
    ("configured", "plan"),
    [
        (None, RepeatPlan(5, 5)),
        (1, RepeatPlan(5, 5)),
        (2, RepeatPlan(5, 2)),
        (5, RepeatPlan(5, 5)),
        (9, RepeatPlan(9, 9)),
    ],
)
def test_plan_repeats(configured: int | None, plan: RepeatPlan) -> None:
    assert plan_repeats(configured) == plan


def test_plan_repeats_rejects_zero() -> None:
    with pytest.raises(ValueError, match="repeats must be at least 1"):
        plan_repeats(0)


def test_estimate_noise_is_robust_to_one_outlier() -> None:
    noise = estimate_noise([100.0, 101.0, 99.0, 100.5, 500.0])
    assert noise.center == 100.5
    assert noise.sigma == pytest.approx(1.4826 * 0.5)  # the 500 does not count
    assert noise.relative == pytest.approx(0.7413 / 100.5)
    assert str(noise) == "noise ±0.7% (5 runs)"


@pytest.mark.parametrize(
    ("samples", "text", "deterministic"),
    [
        ([2.0], "noise unknown (1 run)", True),
        ([2.0, 2.0, 2.0], "deterministic (3 identical runs)", True),
        # MAD 0 but not constant: the mean absolute deviation stands in.
        ([0.0, 0.0, 0.0, 1.0], "noise ±0.3133 (4 runs)", False),
    ],
)
def test_noise_text(samples: list[float], text: str, deterministic: bool) -> None:
    noise = estimate_noise(samples)
    assert str(noise) == text
    assert noise.deterministic is deterministic


def test_estimate_noise_needs_samples() -> None:
    with pytest.raises(ValueError, match="no samples"):
        estimate_noise([])


def test_noise_relative_of_a_zero_center() -> None:
    assert Noise(center=0.0, sigma=1.0, runs=3).relative is None


# --- the statistics ---------------------------------------------------------------------


def test_mann_whitney_exact_values() -> None:
    assert mann_whitney_p([1, 2, 3, 4, 5], [6, 7, 8]) == pytest.approx(1 / 56)
    # 3.5 is below two baseline runs: U = 2, and 4 of the 56 orderings have U <= 2.
    assert mann_whitney_p([1, 2, 3, 4, 5], [3.5, 7, 8]) == pytest.approx(4 / 56)
    assert mann_whitney_p([1, 2], [0, -1]) == 1.0
    assert mann_whitney_p([1.0] * 4, [1.0] * 4) > 0.5  # ties are not evidence


def test_mann_whitney_normal_approximation_is_close(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    base = [rng.gauss(0, 1) for _ in range(20)]
    cand = [rng.gauss(0.8, 1) for _ in range(20)]
    exact = mann_whitney_p(base, cand)
    monkeypatch.setattr(keep, "_EXACT_PAIRS", 0)
    assert mann_whitney_p(base, cand) == pytest.approx(exact, abs=0.005)


def test_mann_whitney_needs_samples() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        mann_whitney_p([], [1.0])


@given(n_base=st.integers(1, 30), max_repeats=st.integers(1, 25))
def test_the_risk_budget_adds_up_to_at_most_alpha(n_base: int, max_repeats: int) -> None:
    budgets = keep._critical_values(n_base, max_repeats, keep.ALPHA)
    assert len(budgets) == max_repeats
    assert all(b >= 0 for b in budgets)
    assert sum(budgets) <= keep.ALPHA + 1e-9


# --- properties -------------------------------------------------------------------------

Draw = Callable[[random.Random], float]
DISTRIBUTIONS: dict[str, Draw] = {
    "gauss": lambda rng: rng.gauss(0.0, 1.0),
    "uniform": lambda rng: rng.uniform(-1.0, 1.0),
    "exponential": lambda rng: rng.expovariate(1.0),
    "lognormal": lambda rng: rng.lognormvariate(0.0, 1.0),
    "spiky": lambda rng: rng.gauss(0.0, 1.0) + (25.0 if rng.random() < 0.1 else 0.0),
}


def _noop_keep_rate(
    seed: int, dist: str, center: float, scale: float, goal: str, n_base: int, max_repeats: int
) -> float:
    rng = random.Random(seed)
    draw = DISTRIBUTIONS[dist]

    def score() -> float:
        return center + scale * draw(rng)

    trials = 300
    kept = 0
    for _ in range(trials):
        base = [score() for _ in range(n_base)]
        kept += judge(base, score, KeepRule(goal), max_repeats=max_repeats).keep
    return kept / trials


@settings(derandomize=True, max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    dist=st.sampled_from(sorted(DISTRIBUTIONS)),
    center=st.floats(-1e3, 1e3),
    scale=st.floats(1e-3, 1e2),
    goal=st.sampled_from(["higher", "lower"]),
    n_base=st.integers(3, 10),
    max_repeats=st.integers(1, 8),
)
def test_a_candidate_from_the_baseline_distribution_is_rarely_kept(
    seed: int, dist: str, center: float, scale: float, goal: str, n_base: int, max_repeats: int
) -> None:
    # The union bound promises at most 5% whatever the distribution; 300 seeded
    # trials leave room for sampling error without ever flaking (derandomized).
    rate = _noop_keep_rate(seed, dist, center, scale, goal, n_base, max_repeats)
    assert rate <= 0.09


noisy_baselines = st.lists(
    st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=12, unique=True
)


@given(
    base=noisy_baselines,
    margin=st.floats(1e-3, 1e3),
    goal=st.sampled_from(["higher", "lower"]),
    max_repeats=st.integers(3, 10),
)
def test_a_candidate_beating_every_baseline_run_is_kept(
    base: list[float], margin: float, goal: str, max_repeats: int
) -> None:
    base = base + [base[0] + 1.0, base[0] - 1.0, base[0] + 2.0]  # at least 5 runs
    best = max(base) if goal == "higher" else min(base)
    step = margin if goal == "higher" else -margin
    verdict = judge(base, constant(best + step), KeepRule(goal), max_repeats=max_repeats)
    assert verdict.keep
    assert verdict.status == "better"
    if len(base) == 5 and max_repeats == 5:
        assert verdict.runs == 3  # the first look whose budget a rank test can reach


@given(base=noisy_baselines, goal=st.sampled_from(["higher", "lower"]), keep_if_equal=st.booleans())
def test_a_candidate_below_every_baseline_run_is_never_kept(
    base: list[float], goal: str, keep_if_equal: bool
) -> None:
    worst = min(base) if goal == "higher" else max(base)
    step = -1.0 if goal == "higher" else 1.0
    spread = max(base) - min(base)
    verdict = judge(
        base, constant(worst + step * (spread + 1)), KeepRule(goal, keep_if_equal=keep_if_equal)
    )
    assert not verdict.keep


@given(
    base=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=8),
    candidate=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=10, max_size=10),
    min_delta=st.sampled_from([0.0, 0.01, 1.0]),
    relative=st.booleans(),
    keep_if_equal=st.booleans(),
    max_repeats=st.integers(1, 10),
)
def test_goal_lower_mirrors_goal_higher(
    base: list[float],
    candidate: list[float],
    min_delta: float,
    relative: bool,
    keep_if_equal: bool,
    max_repeats: int,
) -> None:
    def decide(sign: float, goal: str) -> keep.Verdict:
        return judge(
            [sign * x for x in base],
            Bench(sign * x for x in candidate),
            KeepRule(
                goal, min_delta=min_delta, min_delta_relative=relative, keep_if_equal=keep_if_equal
            ),
            max_repeats=max_repeats,
        )

    up, down = decide(1.0, "higher"), decide(-1.0, "lower")
    assert (up.keep, up.status, up.runs, up.p_value) == (
        down.keep,
        down.status,
        down.runs,
        down.p_value,
    )
    assert up.delta == -down.delta
