"""The generalization check: a visible gain must show on the holdout, within binomial noise."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_autoimprove.runtime.generalization import Split, generalization_problem, score_scale


def test_a_visible_jump_with_a_flat_holdout_is_refused() -> None:
    # A table of the visible rows' answers: every visible error fixed, no holdout error.
    problem = generalization_problem(Split(0.6, 1.0, 28), Split(0.58, 0.58, 12))
    assert problem is not None and "does not carry over" in problem


def test_an_honest_gain_on_both_splits_passes() -> None:
    assert generalization_problem(Split(0.82, 0.93, 28), Split(0.83, 0.92, 12)) is None
    # a smaller gain on the holdout, within what 12 rows can show
    assert generalization_problem(Split(0.7, 0.8, 28), Split(0.7, 0.7, 12)) is None


def test_the_noise_bound_scales_with_the_holdout_size() -> None:
    # The same shares of errors fixed: refused on a large holdout, not on a tiny one.
    assert generalization_problem(Split(0.7, 0.85, 400), Split(0.7, 0.7, 400)) is not None
    assert generalization_problem(Split(0.7, 0.85, 28), Split(0.7, 0.7, 6)) is None


def test_a_holdout_that_jumps_to_perfect_is_refused() -> None:
    problem = generalization_problem(Split(0.6, 0.64, 60), Split(0.6, 1.0, 40))
    assert problem is not None and "perfect" in problem
    # perfect on both splits is consistent: other checks (perturbations, tables) see it
    assert generalization_problem(Split(0.6, 1.0, 60), Split(0.6, 1.0, 40)) is None


@pytest.mark.parametrize(
    ("visible", "holdout"),
    [
        (Split(0.7, 0.6, 28), Split(0.7, 0.7, 12)),  # no visible gain: nothing to check
        (Split(0.7, 0.9, 28), Split(1.0, 1.0, 12)),  # the holdout had no error to fix
        (Split(12.0, 30.0, 28), Split(300.0, 300.0, 12)),  # not a fraction or percentage
    ],
)
def test_undecidable_cases_pass(visible: Split, holdout: Split) -> None:
    assert generalization_problem(visible, holdout) is None


def test_percentages_and_lower_is_better() -> None:
    assert score_scale(61.0, 100.0) == 100.0 and score_scale(0.5, 1.0) == 1.0
    assert score_scale(0.5, 130.0) is None
    assert generalization_problem(Split(60.0, 100.0, 28), Split(58.0, 58.0, 12)) is not None
    # an error rate: lower is better, 0 is perfect
    lower = generalization_problem(Split(0.4, 0.0, 28), Split(0.42, 0.42, 12), goal="lower")
    assert lower is not None


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.integers(20, 60), st.floats(0.5, 0.9), st.floats(0.1, 0.9))
def test_equal_shares_of_errors_fixed_always_pass(rows: int, before: float, share: float) -> None:
    """A change fixing the same share of errors on both splits is never refused."""
    holdout_rows = max(4, rows * 3 // 10)
    visible = Split(before, before + (1 - before) * share, rows - holdout_rows)
    holdout = Split(before, before + (1 - before) * share, holdout_rows)
    assert generalization_problem(visible, holdout) is None


def test_false_alarms_stay_rare_for_honest_churn() -> None:
    """Seeded simulation: honest changes fixing 30% of errors and breaking 5% of right rows."""
    rng = random.Random(7)
    kept = refused = 0
    for _ in range(600):
        counts = []
        for size in (28, 12):
            right = sum(rng.random() < 0.7 for _ in range(size))
            fixed = sum(rng.random() < 0.3 for _ in range(size - right))
            broken = sum(rng.random() < 0.05 for _ in range(right))
            counts.append((right / size, (right + fixed - broken) / size, size))
        if counts[0][1] <= counts[0][0]:
            continue
        kept += 1
        refused += generalization_problem(Split(*counts[0]), Split(*counts[1])) is not None
    assert kept > 300
    assert refused / kept < 0.05
