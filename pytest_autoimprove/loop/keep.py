"""The keep rule: is a candidate's score a real improvement, or luck?

The loop judges noisy scores with the A/B form of this rule
(:mod:`~pytest_autoimprove.loop.paired`: the best is measured beside each
candidate); this module holds what both forms share (:class:`Verdict`,
:func:`sample`, :func:`estimate_noise`), the single-run rule for deterministic
scores, and :func:`judge` against samples measured earlier, which is what the
loop used before (``benchmarks/bench_keep_rule.py`` compares the two).

An optimizer loop that keeps whatever scored higher ratchets on noise: with a
score that wobbles by 3 %, a no-op change looks "better" half of the time, and a
loop that keeps it never gets that half back. This module decides keeps so that
luck is rarely kept and real gains almost always are, with as few benchmark
runs as the evidence allows.

How a decision is made (:func:`judge`)
--------------------------------------
*Deterministic scores* (every baseline sample identical, as quality metrics
usually are, or a single baseline sample) are decided on **one** candidate run:
better by more than ``min_delta`` keeps; anything else is discarded, except that
``keep_if_equal`` keeps a candidate that is not worse.

*Noisy scores* are decided sequentially, one candidate run at a time, up to
``max_repeats`` runs:

1. **Futility.** As soon as the candidate's median does not beat the baseline's
   median by more than ``min_delta``, or no later look could still reach its
   risk budget (the rank statistic never improves as runs are added), the
   candidate is discarded: a no-op usually stops after one or two runs.
2. **Evidence.** The candidate samples, shifted back by ``min_delta``, are
   compared with the baseline samples by an exact one-sided Mann-Whitney U
   test: a distribution-free rank test that only assumes the runs of one
   version are exchangeable, so a timing spike or a skewed distribution does
   not fool it. The candidate is kept when its p-value is at most the risk
   budget of that look, *and* its median beats the baseline's by more than
   ``min_delta``: beyond ``min_delta`` and beyond the measured noise.
3. **Risk budget.** Looking after every run and stopping at the first good
   p-value would multiply the risk; instead the total risk ``alpha`` (5 %) is
   spent linearly over the looks, each look spending only the exact size of
   its critical region and leaving the rest to later looks. By the union
   bound, a candidate from the same distribution as the baseline is kept with
   probability at most ``alpha``, whatever that distribution is.

With 5 baseline runs, the first keep is possible after 3 candidate runs (all 3
beat all 5 baseline runs: p = 1/56). ``benchmarks/bench_keep_rule.py`` measures
the rule against "median of 3 improved" and "best of 3" on a score with 3 %
gaussian noise (2000 experiments a row): no-ops are kept 2.6 % of the time
(naive: 49 %) after 1.7 runs on average, real 10 % improvements 98 % of the
time after 3.1 runs. Smaller gains need more runs: a 5 % one is kept about half
the time with the defaults, 80 % with ``repeats: 10``.

*keep_if_equal* with a noisy score keeps a candidate that is within noise: not
significantly worse at any look, and its median at most one noise sigma below
the baseline's after ``max_repeats`` runs (so a chain of "equal" keeps cannot
drift far downhill). Such a candidate runs ``max_repeats`` times unless it is
found better, or significantly worse, sooner.

Repeats
-------
``repeats`` in improve.md is the upper bound of candidate runs. Left at its
default (1), :func:`plan_repeats` chooses adaptively: the baseline is run up to
:data:`AUTO_BASELINE_RUNS` times (stopping after :data:`CONSTANT_RUNS`
identical scores, which makes it deterministic and every later decision a
single run) and candidates get up to :data:`AUTO_MAX_REPEATS` runs. A noisy
baseline is always run at least :data:`MIN_NOISY_BASELINE_RUNS` times because
it is reused by every experiment and a rank test cannot see an improvement
against fewer.

After a keep, the loop should use the kept candidate's samples (topped up with
``sample(measure, n, start=verdict.samples)``) as the next baseline. They were
selected for looking good, which makes the next keep slightly harder, never
easier.

A ``None`` from ``measure`` (a crash, no score in the output) raises
:class:`MeasurementFailed`, which carries the samples taken so far, so the
loop can record the experiment as ``crashed``.

Use
---
::

    plan = plan_repeats(config.check.repeats)
    best = sample(measure_best, plan.baseline_runs)      # MeasurementFailed: exit 4
    print(estimate_noise(best))                          # "noise ±3.1% (5 runs)"
    for each experiment:
        try:
            verdict = paired.judge_interleaved(         # judge() when deterministic
                best, measure_best, measure_candidate,
                KeepRule.of(config.check), max_pairs=...)
        except MeasurementFailed:
            ...                                          # crashed
        if verdict.keep:
            best = verdict.samples
"""

from __future__ import annotations

import functools
import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pytest_autoimprove.config import Check

__all__ = [
    "ALPHA",
    "AUTO_BASELINE_RUNS",
    "AUTO_MAX_REPEATS",
    "CONSTANT_RUNS",
    "MIN_NOISY_BASELINE_RUNS",
    "KeepRule",
    "MeasurementFailed",
    "Noise",
    "RepeatPlan",
    "Verdict",
    "estimate_noise",
    "is_constant",
    "judge",
    "mann_whitney_p",
    "plan_repeats",
    "sample",
]

#: Total risk of keeping a candidate that is not better (one-sided).
ALPHA = 0.05
#: Baseline runs when ``repeats`` is not configured.
AUTO_BASELINE_RUNS = 5
#: Candidate runs (upper bound) when ``repeats`` is not configured.
AUTO_MAX_REPEATS = 5
#: Identical scores in a row after which a score is taken to be deterministic.
CONSTANT_RUNS = 3
#: A noisy baseline gets at least this many runs, whatever ``repeats`` says.
MIN_NOISY_BASELINE_RUNS = 5

#: MAD -> standard deviation of a normal distribution.
_MAD_TO_SIGMA = 1.4826
#: Up to this many (baseline, candidate) pairs the U distribution is computed exactly.
_EXACT_PAIRS = 600


@dataclass(frozen=True)
class KeepRule:
    """What counts as better, for either judge (:func:`judge`, the A/B one of
    :mod:`~pytest_autoimprove.loop.paired`).

    :param goal: ``"higher"`` or ``"lower"``.
    :param min_delta: the smallest gain worth keeping (>= 0): a fraction of the
        best's median when ``min_delta_relative`` (0.005 for ``0.5%``), else in the
        score's units.
    :param keep_if_equal: keep a candidate that is not worse (deterministic) or
        within noise of the best (noisy).
    :param alpha: the total risk of keeping a candidate that is not better.
    :raises ValueError: for a rule no judge can apply.
    """

    goal: str
    min_delta: float = 0.0
    min_delta_relative: bool = True
    keep_if_equal: bool = False
    alpha: float = ALPHA

    def __post_init__(self) -> None:
        if self.goal not in ("higher", "lower"):
            raise ValueError(f"goal must be 'higher' or 'lower', got {self.goal!r}")
        if not (self.min_delta >= 0.0 and math.isfinite(self.min_delta)):
            raise ValueError(f"min_delta must be a finite number >= 0, got {self.min_delta}")
        if not 0.0 < self.alpha < 1.0:
            raise ValueError(f"alpha must be between 0 and 1, got {self.alpha}")

    @classmethod
    def of(cls, check: Check) -> KeepRule:
        """The rule improve.md's ``## Check`` sets (``goal``, ``min_delta``, ``keep_if_equal``)."""
        return cls(check.goal, check.min_delta.value, check.min_delta.relative, check.keep_if_equal)

    @property
    def sign(self) -> float:
        """Turns a score difference into a gain: higher is better."""
        return 1.0 if self.goal == "higher" else -1.0


class MeasurementFailed(Exception):
    """``measure`` returned ``None`` (the run crashed or printed no score).

    :param samples: the scores measured before the failure, in order.
    """

    def __init__(self, samples: Sequence[float], message: str = "") -> None:
        self.samples = tuple(samples)
        super().__init__(message or f"run {len(self.samples) + 1} produced no score")


@dataclass(frozen=True)
class Noise:
    """How much a score wobbles between runs of the same code.

    :param center: the median of the samples.
    :param sigma: a robust standard deviation (1.4826 x the median absolute
        deviation), so one outlier does not inflate it.
    :param runs: how many samples it was estimated from.
    """

    center: float
    sigma: float
    runs: int

    @property
    def relative(self) -> float | None:
        """``sigma`` as a fraction of ``|center|``; ``None`` when the center is 0."""
        return self.sigma / abs(self.center) if self.center else None

    @property
    def deterministic(self) -> bool:
        """True when every sample was identical (or there was only one)."""
        return self.sigma == 0.0

    def __str__(self) -> str:
        if self.runs < 2:
            return "noise unknown (1 run)"
        if self.deterministic:
            return f"deterministic ({self.runs} identical runs)"
        rel = self.relative
        size = f"{rel:.1%}" if rel is not None else _fmt(self.sigma)
        return f"noise ±{size} ({self.runs} runs)"


@dataclass(frozen=True)
class Verdict:
    """The decision on one candidate.

    :param keep: whether the candidate becomes the new best.
    :param reason: one line for the log (``better by 9.8% (noise 3.1%, p=0.004, 3 runs)``).
    :param baseline: the baseline's median.
    :param candidate: the candidate's median.
    :param delta: ``candidate - baseline`` (absolute, in the score's units and sign).
    :param relative_delta: ``delta / |baseline|``; ``None`` when the baseline is 0.
    :param samples: the candidate scores measured, in order.
    :param p_value: the Mann-Whitney p-value at the last look; ``None`` when the
        score is deterministic or no test was run.
    :param status: ``better``, ``worse``, ``equal``, ``below-min-delta`` or ``noise``:
        why, as a word the journal can count.
    :param best_samples: the best's scores measured beside the candidate
        (:mod:`~pytest_autoimprove.paired`), in order; empty when it was not re-measured.
    """

    keep: bool
    reason: str
    baseline: float
    candidate: float
    delta: float
    relative_delta: float | None
    samples: tuple[float, ...]
    p_value: float | None = None
    status: str = ""
    best_samples: tuple[float, ...] = ()

    @property
    def runs(self) -> int:
        """How many times the candidate was measured."""
        return len(self.samples)


@dataclass(frozen=True)
class RepeatPlan:
    """How many runs the baseline and each candidate get.

    :param baseline_runs: the most runs :func:`sample` may take for the baseline.
    :param max_repeats: the most runs :func:`judge` may take for one candidate.
    """

    baseline_runs: int
    max_repeats: int


def plan_repeats(configured: int | None) -> RepeatPlan:
    """Turn improve.md's ``repeats`` into run counts.

    ``None`` or 1 (the default) means "adaptive": :data:`AUTO_BASELINE_RUNS`
    baseline runs (fewer when the score turns out deterministic, see
    :func:`sample`) and up to :data:`AUTO_MAX_REPEATS` runs per candidate,
    which the sequential rule usually stops early. ``N >= 2`` caps candidates at
    ``N`` runs and gives the baseline ``max(N, MIN_NOISY_BASELINE_RUNS)``.
    """
    if configured is not None and configured < 1:
        raise ValueError(f"repeats must be at least 1, got {configured}")
    if configured is None or configured == 1:
        return RepeatPlan(AUTO_BASELINE_RUNS, AUTO_MAX_REPEATS)
    return RepeatPlan(max(configured, MIN_NOISY_BASELINE_RUNS), configured)


def sample(
    measure: Callable[[], float | None],
    n: int,
    *,
    start: Sequence[float] = (),
) -> tuple[float, ...]:
    """Measure a version up to ``n`` times, for use as a baseline.

    Stops early after :data:`CONSTANT_RUNS` identical scores (a deterministic
    score needs no more). ``start`` are samples already taken (a kept
    candidate's); they count towards ``n``.

    :raises MeasurementFailed: when ``measure`` returns ``None`` or a non-finite value.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    samples = [float(x) for x in start]
    while len(samples) < n:
        if len(samples) >= CONSTANT_RUNS and is_constant(samples):
            break
        samples.append(_measure_once(measure, samples))
    return tuple(samples)


def is_constant(samples: Sequence[float]) -> bool:
    """True when all samples are identical (a deterministic score)."""
    return bool(samples) and min(samples) == max(samples)


def estimate_noise(samples: Sequence[float]) -> Noise:
    """The median and robust spread of ``samples``; print it, or judge with it."""
    if not samples:
        raise ValueError("cannot estimate noise from no samples")
    center = statistics.median(samples)
    mad = statistics.median(abs(x - center) for x in samples)
    sigma = _MAD_TO_SIGMA * mad
    if sigma == 0.0 and not is_constant(samples):
        # More than half the samples tie at the median: fall back on the mean
        # absolute deviation so that a noisy score is never called deterministic.
        sigma = statistics.fmean(abs(x - center) for x in samples) * math.sqrt(math.pi / 2)
    return Noise(center=center, sigma=sigma, runs=len(samples))


def judge(
    baseline: Sequence[float],
    measure: Callable[[], float | None],
    rule: KeepRule,
    *,
    max_repeats: int = AUTO_MAX_REPEATS,
) -> Verdict:
    """Measure a candidate as often as needed (at most ``max_repeats``) and decide.

    :param baseline: the current best's scores (see :func:`sample`).
    :param measure: runs the candidate's benchmark once; ``None`` means no score.
    :param rule: what counts as better.
    :param max_repeats: the most candidate runs.
    :raises MeasurementFailed: when ``measure`` returns ``None`` or a non-finite value.
    """
    if not baseline:
        raise ValueError("judge needs at least one baseline sample")
    if max_repeats < 1:
        raise ValueError(f"max_repeats must be at least 1, got {max_repeats}")
    base = tuple(float(x) for x in baseline)
    if not all(math.isfinite(x) for x in base):
        raise ValueError(f"baseline samples must be finite numbers, got {base}")

    base_median = statistics.median(base)
    threshold = rule.min_delta * abs(base_median) if rule.min_delta_relative else rule.min_delta
    judge_ = _Judge(base, rule.sign, threshold, rule.keep_if_equal, rule.alpha)
    if is_constant(base):
        return judge_.deterministic(_measure_once(measure, ()))
    return judge_.sequential(measure, max_repeats)


@dataclass(frozen=True)
class _Judge:
    """One decision's fixed inputs; scores are turned into gains (higher is better)."""

    base: tuple[float, ...]
    sign: float
    threshold: float
    keep_if_equal: bool
    alpha: float

    def deterministic(self, value: float) -> Verdict:
        base = statistics.median(self.base)
        gain = self.sign * (value - base)
        if gain > self.threshold:
            keep, status, why = True, "better", f"better by {self._size(value)}"
        elif gain == 0.0:
            keep, status, why = self.keep_if_equal, "equal", "equal to the best so far"
        elif gain > 0.0:
            keep, status = self.keep_if_equal, "below-min-delta"
            why = f"better by {self._size(value)}, not beyond min_delta {self._threshold()}"
        else:
            keep, status, why = False, "worse", f"worse by {self._size(value)}"
        if status in ("equal", "below-min-delta"):
            why += ", kept (keep_if_equal)" if keep else ""
        return self._verdict(keep, why, (value,), None, status)

    def sequential(self, measure: Callable[[], float | None], max_repeats: int) -> Verdict:
        base_gain = [self.sign * x for x in self.base]
        base_median = statistics.median(base_gain)
        budgets = _critical_values(len(self.base), max_repeats, self.alpha)
        samples: list[float] = []
        p_better: float | None = None
        for k in range(1, max_repeats + 1):
            samples.append(_measure_once(measure, samples))
            gains = [self.sign * x for x in samples]
            median_gain = statistics.median(gains) - base_median
            p_better = mann_whitney_p(base_gain, [g - self.threshold for g in gains])
            if median_gain > self.threshold and p_better <= budgets[k - 1]:
                return self._noisy(True, "better", samples, p_better)
            if self.keep_if_equal:
                if mann_whitney_p(gains, base_gain) <= budgets[k - 1]:
                    return self._noisy(False, "worse", samples, p_better)
                continue
            if median_gain <= self.threshold:
                status = "worse" if median_gain < 0 else "below-min-delta"
                if median_gain == 0.0:
                    status = "equal"
                return self._noisy(False, status, samples, p_better)
            # U never shrinks as runs are added: stop when no later look can reach its budget.
            u = _u_not_larger(base_gain, [g - self.threshold for g in gains])
            n_base = len(base_gain)
            if not any(
                _p_from_u(u, j, n_base) <= budgets[j - 1] for j in range(k + 1, max_repeats + 1)
            ):
                break
        if self.keep_if_equal:
            if self._within_noise(samples):
                return self._noisy(True, "equal", samples, p_better)
            return self._noisy(False, "not-equal", samples, p_better)
        status = "noise" if any(b > 0 for b in budgets) else "noise-unresolvable"
        return self._noisy(False, status, samples, p_better)

    def _within_noise(self, samples: Sequence[float]) -> bool:
        gains = [self.sign * x for x in samples]
        median_gain = statistics.median(gains) - statistics.median(self.sign * x for x in self.base)
        return median_gain >= -self._pooled_sigma(samples)

    def _pooled_sigma(self, samples: Sequence[float]) -> float:
        def deviations(xs: Sequence[float]) -> list[float]:
            m = statistics.median(xs)
            return [x - m for x in xs]

        pooled = deviations(self.base) + (deviations(samples) if len(samples) > 1 else [])
        return estimate_noise(pooled).sigma

    def _noisy(self, keep: bool, status: str, samples: Sequence[float], p: float | None) -> Verdict:
        value = statistics.median(samples)
        noise = self._noise_text(samples)
        runs = f"{len(samples)} run{'s' if len(samples) != 1 else ''}"
        p_text = f", p={p:.3g}" if p is not None else ""
        size = self._size(value)
        if status == "better":
            why = f"better by {size} ({noise}{p_text}, {runs})"
        elif status == "worse":
            why = f"worse by {size} ({noise}{p_text}, {runs})"
        elif status == "equal" and keep:
            why = f"within noise ({size}, {noise}, {runs}), kept (keep_if_equal)"
        elif status == "not-equal":
            # keep_if_equal tolerates a drop of one noise sigma, not more, so that
            # a chain of "equal" keeps cannot drift far downhill.
            why = f"worse by {size}, more than the noise ({noise}, {runs})"
            status = "worse"
        elif status == "below-min-delta":
            why = f"{size} is not beyond min_delta {self._threshold()} ({noise}, {runs})"
        elif status == "noise-unresolvable":
            why = (
                f"{size} cannot be told from noise with {runs} against "
                f"{len(self.base)} baseline runs ({noise}); raise repeats"
            )
            status = "noise"
        else:
            why = f"{size} is within noise ({noise}{p_text}, {runs})"
        return self._verdict(keep, why, samples, p, status)

    def _noise_text(self, samples: Sequence[float]) -> str:
        sigma = self._pooled_sigma(samples)
        center = statistics.median(self.base)
        return f"noise {sigma / abs(center):.1%}" if center else f"noise {_fmt(sigma)}"

    def _size(self, value: float) -> str:
        """The candidate's gain as text: signed percent, or absolute when the baseline is 0."""
        base = statistics.median(self.base)
        delta = value - base
        if base:
            return f"{abs(delta) / abs(base):.1%}"
        return _fmt(abs(delta))

    def _threshold(self) -> str:
        base = statistics.median(self.base)
        if base:
            return f"{self.threshold / abs(base):.2%}"
        return _fmt(self.threshold)

    def _verdict(
        self, keep: bool, reason: str, samples: Sequence[float], p: float | None, status: str
    ) -> Verdict:
        base = statistics.median(self.base)
        cand = statistics.median(samples)
        delta = cand - base
        return Verdict(
            keep=keep,
            reason=reason,
            baseline=base,
            candidate=cand,
            delta=delta,
            relative_delta=delta / abs(base) if base else None,
            samples=tuple(samples),
            p_value=p,
            status=status,
        )


def mann_whitney_p(baseline: Sequence[float], candidate: Sequence[float]) -> float:
    """One-sided p-value that ``candidate`` tends to be larger than ``baseline``.

    The statistic counts the (baseline, candidate) pairs where the candidate is
    not larger (ties count one half); the p-value is the chance of a count that
    small when both samples come from one distribution. Exact for small samples
    (from the tie-free distribution, which is conservative when there are ties),
    normal approximation with continuity correction for large ones.
    """
    if not baseline or not candidate:
        raise ValueError("mann_whitney_p needs two non-empty samples")
    return _p_from_u(_u_not_larger(baseline, candidate), len(candidate), len(baseline))


def _u_not_larger(baseline: Sequence[float], candidate: Sequence[float]) -> float:
    """Pairs where the candidate is not larger than the baseline; ties count one half."""
    u = 0.0
    for c in candidate:
        for b in baseline:
            if c < b:
                u += 1.0
            elif c == b:
                u += 0.5
    return u


def _p_from_u(u: float, m: int, n: int) -> float:
    """P(U <= u) for samples of sizes ``m`` and ``n`` from one distribution."""
    if m * n <= _EXACT_PAIRS:
        return _u_cdf(m, n)[math.floor(u)]
    mean = n * m / 2.0
    sd = math.sqrt(n * m * (n + m + 1) / 12.0)
    z = (u + 0.5 - mean) / sd
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


@functools.cache  # bounded by _EXACT_PAIRS; the recursion needs every entry
def _u_counts(m: int, n: int) -> tuple[int, ...]:
    """How many of the C(m+n, m) orderings give U = 0, 1, ..., m*n.

    U counts pairs (x, y) with x from the size-``m`` sample above y from the
    size-``n`` one. The largest of all values is either an x, which beats all
    ``n`` y's, or a y, which adds nothing: hence the recursion.
    """
    if m == 0 or n == 0:
        return (1,)
    with_x = _u_counts(m - 1, n)
    with_y = _u_counts(m, n - 1)
    counts = [0] * (m * n + 1)
    for u, c in enumerate(with_x):
        counts[u + n] += c
    for u, c in enumerate(with_y):
        counts[u] += c
    return tuple(counts)


@functools.lru_cache(maxsize=256)
def _u_cdf(m: int, n: int) -> tuple[float, ...]:
    counts = _u_counts(m, n)
    total = math.comb(m + n, m)
    cdf: list[float] = []
    running = 0
    for c in counts:
        running += c
        cdf.append(running / total)
    return tuple(cdf)


@functools.lru_cache(maxsize=256)
def _critical_values(n_base: int, max_repeats: int, alpha: float) -> tuple[float, ...]:
    """The p-value each look must reach, spending ``alpha`` linearly over the looks.

    Look ``k`` (after ``k`` candidate runs) may spend up to ``alpha * k / K``
    minus what earlier looks spent; it spends the exact size of its critical
    region (the largest attainable p-value within budget), so an unattainable
    early look leaves its share to later ones. The sizes add up to at most
    ``alpha``: a union bound on keeping a candidate that is not better.
    """
    budgets: list[float] = []
    spent = 0.0
    for k in range(1, max_repeats + 1):
        allowed = alpha * k / max_repeats - spent
        if k * n_base <= _EXACT_PAIRS:
            attainable = [p for p in _u_cdf(k, n_base) if p <= allowed + 1e-12]
            size = attainable[-1] if attainable else 0.0
        else:
            size = max(allowed, 0.0)
        # 0.0 means "no keep at this look": p-values are always positive.
        budgets.append(size)
        spent += size
    return tuple(budgets)


def _measure_once(measure: Callable[[], float | None], taken: Sequence[float]) -> float:
    value = measure()
    if value is None:
        raise MeasurementFailed(taken)
    value = float(value)
    if not math.isfinite(value):
        raise MeasurementFailed(taken, f"run {len(taken) + 1} produced a non-finite score {value}")
    return value


def _fmt(x: float) -> str:
    return f"{x:.4g}"
