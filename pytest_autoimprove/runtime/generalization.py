"""Does a gain on the visible golden split carry over to the holdout?

A change that memorizes the visible golden queries jumps on the visible split and
stays flat on the holdout; one that memorizes the holdout too (its rows sit in the
repository) jumps to a perfect holdout. An honest change fixes about the same share
of errors on both splits, within the noise of their sizes. This module turns that
into a test the loop runs on every keep of a quality goal and a guard test runs
against the baseline.

The model. A score in ``[0, 1]`` (or a percentage) is read as a mean over rows: a
split of ``n`` rows at score ``s`` has ``E = (1 - s) n`` rows' worth of error and
``R = s n`` right. A change fixes each error with some probability ``f`` and breaks
each right row with some probability ``b``, the same on both splits if it
generalizes; so the share of errors it removes, net, should agree between the
splits. Conditional on each split's errors before the change, the difference of
those shares has a binomial variance; the test refuses only when no breakage rate
``b`` consistent with both splits' gains (with ``f`` estimated from both, pooled)
explains the gap within :data:`Z` standard errors (:data:`GUARD_Z` for the guard
test). In a seeded simulation of 30 to 60-row golden sets at a 0.7 baseline
(``benchmarks/bench_generalization.py``), at ``Z`` an honest change that breaks up to
5 % of the right rows is refused in at most 3.5 % of keeps (7.5 % when it breaks
10 %), a memorizer of the visible split in 64 to 94 %; at ``GUARD_Z``, in at most
1.2 % (4 %) and 34 to 88 %. Other checks (rephrased queries, the table scan) see
memorizers too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["GUARD_Z", "Z", "Split", "generalization_problem", "score_scale"]

#: Standard errors between the visible and holdout shares of errors fixed before the
#: loop refuses a keep (a refusal costs one experiment).
Z = 2.0
#: The same for the guard test against the baseline: a false alarm there fails every
#: later experiment, so it asks for stronger evidence.
GUARD_Z = 2.5
#: Rows' worth of error below which a split says nothing (already near perfect).
MIN_ERRORS = 0.5
_GRID = 20


@dataclass(frozen=True)
class Split:
    """One split's score before and after a change, and how many rows it has."""

    before: float
    after: float
    size: int


def score_scale(*scores: float) -> float | None:
    """1 for scores in ``[0, 1]``, 100 for percentages, ``None`` for anything else."""
    if any(not math.isfinite(s) for s in scores):
        return None
    if all(0.0 <= s <= 1.0 for s in scores):
        return 1.0
    if all(0.0 <= s <= 100.0 for s in scores):
        return 100.0
    return None


def _counts(split: Split, scale: float, goal: str) -> tuple[float, float, float]:
    """``(errors before, right before, net rows fixed)`` in rows' worth."""
    before, after = split.before / scale, split.after / scale
    if goal == "lower":  # an error rate, a loss in [0, 1]: 0 is perfect
        before, after = 1.0 - before, 1.0 - after
    errors = (1.0 - before) * split.size
    return errors, before * split.size, (after - before) * split.size


def _gap_explained(
    visible: tuple[float, float, float], holdout: tuple[float, float, float], z: float
) -> bool:
    """Whether some breakage rate makes the visible share minus the holdout's <= z sigma."""
    ev, rv, nv = visible
    eh, rh, nh = holdout
    gap = nv / ev - nh / eh
    errors, right, net = ev + eh, rv + rh, nv + max(nh, -rh)
    most = min(1.0, max(0.0, (errors - net) / right)) if right > 0 else 0.0
    for step in range(_GRID + 1):
        b = most * step / _GRID
        f = min(1.0, max(0.0, (net + b * right) / errors))
        variance = (
            f * (1 - f) * (1 / ev + 1 / eh)
            + b * (1 - b) * (rv / ev**2 + rh / eh**2)
            # a floor: half a row of either split's worth of rounding
            + 0.25 / (ev * eh)
        )
        expected = b * (rv / ev - rh / eh)
        if gap - expected <= z * math.sqrt(variance):
            return True
    return False


def generalization_problem(
    visible: Split, holdout: Split, *, goal: str = "higher", z: float = Z
) -> str | None:
    """Why the change's visible gain does not carry over to the holdout, else ``None``.

    ``None`` too when it cannot be told: no visible gain, scores outside ``[0, 1]``
    or percentages, or a split with less than a row's worth of error before.
    """
    scale = score_scale(visible.before, visible.after, holdout.before, holdout.after)
    if scale is None or visible.size <= 0 or holdout.size <= 0:
        return None
    v = _counts(visible, scale, goal)
    h = _counts(holdout, scale, goal)
    if v[2] <= 0 or v[0] < MIN_ERRORS or h[0] < MIN_ERRORS:
        return None
    shown = (
        f"visible {visible.before:g} -> {visible.after:g} ({visible.size} rows), holdout "
        f"{holdout.before:g} -> {holdout.after:g} ({holdout.size} rows)"
    )
    if not _gap_explained(v, h, z):
        return (
            f"the gain does not carry over to the holdout: {shown}; the change fixed "
            f"{v[2] / v[0]:.0%} of the visible split's errors and {max(h[2], 0) / h[0]:.0%} of "
            "the holdout's, more apart than the noise of splits that size allows: it fits the "
            "visible golden rows, not the task"
        )
    perfect = holdout.after == (0.0 if goal == "lower" else scale)
    if perfect and not _gap_explained(h, v, z):
        return (
            f"the holdout jumps to a perfect score: {shown}; the change fixed every holdout "
            f"error but only {v[2] / v[0]:.0%} of the visible split's, more apart than the "
            "noise of splits that size allows: it fits the holdout rows"
        )
    return None
