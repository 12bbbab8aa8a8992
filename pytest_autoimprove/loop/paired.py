"""The interleaved keep rule: the candidate and the current best, measured in A/B pairs.

A baseline measured once, at the start of a run, is compared with candidates
measured later, under another load: a burst of background work while the
baseline ran turns every later no-op into a "gain", a burst during a candidate's
runs hides a real one, and slow drift (thermal throttling, caches warming, a
neighbour's nightly job) does both by turns. So each look measures the best
commit and the candidate one right after the other, in an order chosen by a coin
flip, and judges the pair's ratio: load that slows both runs of a pair cancels
out, whatever it does between pairs.

How a decision is made (:func:`judge_interleaved`)
-------------------------------------------------
*Deterministic scores* (the best's runs at the start of the run were all
identical) keep the single-run rule of :func:`~pytest_autoimprove.loop.keep.judge`.

*Noisy scores*: pair after pair, up to ``max_pairs``:

1. **The pair's gain.** ``log(candidate / best)`` (sign flipped when lower is
   better), less ``min_delta``; plain differences when a score is not positive.
2. **Evidence.** An exact one-sided signed-rank test of the gains: each gain
   scores its rank by size, ranks above :data:`WINSOR` of the pairs count as
   that rank (a pair that straddles the start or end of a burst is an outlier
   and must not outweigh the rest), and the p-value is the chance, over the
   ``2**n`` ways the coins could have fallen, of a score sum at least as high.
3. **Risk budget.** The test is consulted at looks after 5, 6, 8, 10, 13, ...
   pairs; look ``j`` of ``L`` may spend ``alpha * sqrt(j / L)`` less what earlier
   looks spent, and spends the exact size of its critical region. The candidate
   is kept when its p-value is within that size and its median gain is positive.
4. **Futility.** From the third pair on, the candidate is discarded once its
   estimated gain (:func:`_center`) falls significantly (z < -:data:`FUTILITY_Z`) short of
   :data:`FUTILITY_GAIN` noise sigmas: a no-op stops after a few pairs, a close
   call goes on and gets more pairs, a real gain is rarely stopped.

Why a false keep stays below ``alpha`` whatever the load does: for a candidate
that is the same code as the best, which of a pair's two runs is the candidate
is a fair coin, independent of the load, of every other coin and of the sizes of
the gains (the sizes do not depend on the labels). So, given the sizes, the
signs are fair coins, each look's p-value is exact, each look keeps with
probability at most what it spends, and the spent sizes add up to at most
``alpha`` (a union bound; stopping for futility only removes keeps). A strict
A/B/B/A alternation would cancel linear drift slightly better, but a load that
comes and goes in step with it (a periodic job, a cache one version warms for
the other) could then line up with the labels; a coin cannot be lined up with.

``benchmarks/bench_keep_rule.py`` measures this rule beside the baseline-once
rule on steady noise, bursts of load and slow drift.
"""

from __future__ import annotations

import functools
import math
import random
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pytest_autoimprove.loop.keep import (
    KeepRule,
    MeasurementFailed,
    Verdict,
    estimate_noise,
    is_constant,
    judge,
)

__all__ = [
    "AUTO_MAX_PAIRS",
    "FIRST_LOOK",
    "MIN_PAIRS",
    "BestMeasurementFailed",
    "judge_interleaved",
    "keep_looks",
    "max_pairs_for",
    "signed_rank_p",
]

#: Pairs per candidate, at most, when ``repeats`` is not configured.
AUTO_MAX_PAIRS = 30
#: A configured ``repeats`` below this still gets this many pairs: fewer cannot keep.
MIN_PAIRS = 8
#: The first look at which a keep is possible (2**-5 = 0.031 is the smallest p-value).
FIRST_LOOK = 5
#: Each keep look comes after about this many times the pairs of the previous one.
LOOK_GROWTH = 1.3
#: Ranks above this fraction of the pairs are scored as that rank.
WINSOR = 0.75
#: Futility: the gain a candidate must still be able to show, in noise sigmas...
FUTILITY_GAIN = 1.25
#: ... and how far (in standard errors) below it the estimate must fall to stop.
FUTILITY_Z = 1.75
#: Futility is judged from this many pairs on (one or two may straddle a burst).
FUTILITY_START = 3
#: Below this many pairs, futility judges the median gain, not the Hodges-Lehmann one.
MEDIAN_BELOW = 8
#: The baseline's noise estimate weighs as much as this many pairs.
PRIOR_PAIRS = 3

#: Standard error of a median / that of a mean, for gaussian noise: sqrt(pi / 2).
_MEDIAN_EFFICIENCY = math.sqrt(math.pi / 2)


class BestMeasurementFailed(MeasurementFailed):
    """The current best's benchmark, run beside the candidate, gave no score."""


def max_pairs_for(configured: int | None) -> int:
    """Pairs per candidate for improve.md's ``repeats`` (``None`` or 1: adaptive)."""
    if configured is None or configured <= 1:
        return AUTO_MAX_PAIRS
    return max(configured, MIN_PAIRS)


@functools.lru_cache(maxsize=64)
def keep_looks(max_pairs: int) -> tuple[tuple[int, float], ...]:
    """``(pairs, cumulative risk fraction)`` of every look at which a keep is possible.

    Looks grow geometrically from :data:`FIRST_LOOK` and the last is ``max_pairs``;
    look ``j`` of ``L`` may have spent ``sqrt(j / L)`` of ``alpha`` in all: early
    looks get a generous share, since most decisions are made early.
    """
    if max_pairs < FIRST_LOOK:
        return ((max_pairs, 1.0),)
    points = [FIRST_LOOK]
    while True:
        following = max(points[-1] + 1, round(points[-1] * LOOK_GROWTH))
        if following * 1.1 >= max_pairs:
            break
        points.append(following)
    if points[-1] != max_pairs:
        points.append(max_pairs)
    total = len(points)
    return tuple((k, math.sqrt((j + 1) / total)) for j, k in enumerate(points))


def judge_interleaved(
    best_samples: Sequence[float],
    measure_best: Callable[[], float | None],
    measure_candidate: Callable[[], float | None],
    rule: KeepRule,
    *,
    max_pairs: int = AUTO_MAX_PAIRS,
    rng: random.Random | None = None,
    afford: Callable[[], bool] | None = None,
) -> Verdict:
    """Measure the best and the candidate in A/B pairs until the evidence decides.

    :param best_samples: the best's scores from earlier runs: they tell whether the
        score is deterministic and give a first noise estimate; the test itself
        uses only the pairs measured here.
    :param measure_best: runs the best commit's benchmark once.
    :param measure_candidate: runs the candidate's benchmark once.
    :param rule: what counts as better.
    :param max_pairs: the most pairs (see :func:`max_pairs_for`).
    :param rng: draws each pair's order (``random.SystemRandom`` by default, so the
        code under test cannot predict it).
    :param afford: asked before each pair after the first; ``False`` (the budget is
        spent) ends the measuring and decides on what was measured.
    :raises MeasurementFailed: the candidate's run gave no score (its ``samples``
        are the candidate's scores so far).
    :raises BestMeasurementFailed: the best's run gave no score.
    """
    if not best_samples:
        raise ValueError("judge_interleaved needs the best's earlier samples")
    if max_pairs < 1:
        raise ValueError(f"max_pairs must be at least 1, got {max_pairs}")
    if is_constant(best_samples):
        return judge(best_samples, measure_candidate, rule, max_repeats=1)
    reference = abs(statistics.median(best_samples))
    threshold = rule.min_delta
    if not rule.min_delta_relative:
        threshold = rule.min_delta / reference if reference else 0.0
    prior = estimate_noise(best_samples).relative
    pairs = _Pairs(rule.sign, threshold, reference, prior if prior is not None else 0.0)
    return pairs.run(
        measure_best,
        measure_candidate,
        max_pairs=max_pairs,
        alpha=rule.alpha,
        keep_if_equal=rule.keep_if_equal,
        rng=rng or random.SystemRandom(),
        afford=afford,
    )


@dataclass
class _Pairs:
    """The pairs of one decision; gains are relative and higher is better."""

    sign: float
    threshold: float
    reference: float
    prior_sigma: float

    def __post_init__(self) -> None:
        self.best: list[float] = []
        self.candidate: list[float] = []

    def run(
        self,
        measure_best: Callable[[], float | None],
        measure_candidate: Callable[[], float | None],
        *,
        max_pairs: int,
        alpha: float,
        keep_if_equal: bool,
        rng: random.Random,
        afford: Callable[[], bool] | None,
    ) -> Verdict:
        looks = dict(keep_looks(max_pairs))
        spent = spent_worse = 0.0
        ended = "cap"
        for k in range(1, max_pairs + 1):
            if k > 1 and afford is not None and not afford():
                ended = "budget"
                break
            self._measure_pair(measure_best, measure_candidate, rng.random() < 0.5)
            gains = self.gains()
            if k in looks:
                allowed = alpha * looks[k] - spent
                p_value, size = signed_rank_p(gains, allowed)
                spent += size
                if size > 0.0 and p_value <= size and statistics.median(gains) > 0.0:
                    return self._verdict(True, "better", p_value)
                if keep_if_equal:
                    worse_p, worse_size = signed_rank_p(
                        [-g for g in self.raw_gains()], alpha * looks[k] - spent_worse
                    )
                    spent_worse += worse_size
                    if worse_size > 0.0 and worse_p <= worse_size:
                        return self._verdict(False, "worse", p_value)
            if k >= FUTILITY_START and self._futile(gains):
                ended = "futile"
                break
        p_value, _ = signed_rank_p(self.gains())
        if keep_if_equal:
            if _center(self.raw_gains()) >= -self.sigma():
                return self._verdict(True, "equal", p_value)
            return self._verdict(False, "not-equal", p_value)
        return self._verdict(False, ended, p_value)

    def _measure_pair(
        self,
        measure_best: Callable[[], float | None],
        measure_candidate: Callable[[], float | None],
        candidate_first: bool,
    ) -> None:
        order = ("candidate", "best") if candidate_first else ("best", "candidate")
        values: dict[str, float] = {}
        for which in order:
            measure = measure_candidate if which == "candidate" else measure_best
            value = measure()
            if value is None or not math.isfinite(float(value)):
                what = "no score" if value is None else f"a non-finite score {value}"
                if which == "best":
                    raise BestMeasurementFailed(
                        self.candidate + ([values["candidate"]] if "candidate" in values else []),
                        f"the best's run {len(self.best) + 1} produced {what}",
                    )
                raise MeasurementFailed(
                    self.candidate, f"run {len(self.candidate) + 1} produced {what}"
                )
            values[which] = float(value)
        self.best.append(values["best"])
        self.candidate.append(values["candidate"])

    def _pairs(self) -> list[tuple[float, float]]:
        return list(zip(self.best, self.candidate, strict=True))

    def _ratios(self) -> bool:
        """Gains are log-ratios while every score is positive, else plain differences."""
        return all(b > 0 and c > 0 for b, c in self._pairs())

    def raw_gains(self) -> list[float]:
        """Each pair's relative gain of the candidate over the best (higher is better)."""
        if self._ratios():
            return [self.sign * math.log(c / b) for b, c in self._pairs()]
        scale = self.reference or 1.0
        return [self.sign * (c - b) / scale for b, c in self._pairs()]

    def gains(self) -> list[float]:
        """The gains less ``min_delta`` (in the same units as :meth:`raw_gains`)."""
        shift = self._shift()
        return [g - shift for g in self.raw_gains()]

    def _shift(self) -> float:
        if not self.threshold:
            return 0.0
        if not self._ratios():
            return self.threshold
        # "Better by min_delta": c > b * (1 + d) when higher is better, c < b * (1 - d) when lower.
        if self.sign > 0:
            return math.log1p(self.threshold)
        return -math.log1p(-min(self.threshold, 0.99))

    def sigma(self) -> float:
        """Per-run relative noise: the pairs' spread, steadied by the earlier estimate."""
        gains = self.raw_gains()
        k = len(gains)
        if k < 2:
            return self.prior_sigma
        center = statistics.median(gains)
        spread = 1.4826 * statistics.median(abs(g - center) for g in gains) / math.sqrt(2)
        if not self.prior_sigma:
            return spread
        return (spread * k + self.prior_sigma * PRIOR_PAIRS) / (k + PRIOR_PAIRS)

    def _futile(self, gains: Sequence[float]) -> bool:
        sigma = self.sigma()
        estimate = _center(gains)
        if sigma == 0.0:
            return estimate <= 0.0
        standard_error = sigma * math.sqrt(2.0 / len(gains))
        if len(gains) < MEDIAN_BELOW:
            standard_error *= _MEDIAN_EFFICIENCY
        return (estimate - FUTILITY_GAIN * sigma) / standard_error < -FUTILITY_Z

    def _verdict(self, keep: bool, status: str, p_value: float | None) -> Verdict:
        raw = self.raw_gains()
        estimate = _center(raw)
        # The relative change of the score itself (negative: lower), from the gain.
        relative = math.expm1(self.sign * estimate) if self._ratios() else self.sign * estimate
        base = statistics.median(self.best)
        size = f"{abs(relative):.1%}"
        n = len(raw)
        evidence = f"p={p_value:.2g}" if p_value is not None else "no test"
        detail = f"{evidence}, {n} A/B pair{'s' if n != 1 else ''}, noise ±{self.sigma():.1%}"
        signed = f"{'+' if estimate >= 0 else '-'}{size}"
        if status == "better":
            reason = f"better by {size} ({detail})"
        elif status == "equal":
            reason = f"within noise ({signed}, {detail}), kept (keep_if_equal)"
        elif status in ("worse", "not-equal") or estimate < -2 * self.sigma() * math.sqrt(2.0 / n):
            reason = f"worse by {size} ({detail})"
            status = "worse"
        elif estimate <= 0.0:
            reason = f"not better: {signed} is within noise ({detail})"
            status = "worse" if estimate < 0.0 else "equal"
        elif self.threshold and estimate - self._shift() <= 0.0:
            reason = f"{signed} is not beyond min_delta {self.threshold:.2%} ({detail})"
            status = "below-min-delta"
        elif status == "futile":
            reason = f"{signed} is within noise ({detail})"
            status = "noise"
        elif status == "budget":
            reason = f"{signed} is not beyond noise when the budget ran out ({detail})"
            status = "noise"
        else:
            reason = (
                f"{signed} cannot be told from noise in {n} A/B pairs ({detail}); "
                "raise repeats or quiet the machine"
            )
            status = "noise"
        return Verdict(
            keep=keep,
            reason=reason,
            baseline=base,
            candidate=statistics.median(self.candidate),
            delta=relative * abs(base),
            relative_delta=relative,
            samples=tuple(self.candidate),
            p_value=p_value,
            status=status,
            best_samples=tuple(self.best),
        )


def signed_rank_p(gains: Sequence[float], allowed: float = 0.0) -> tuple[float, float]:
    """``(p, size)``: the exact one-sided p-value that ``gains`` lean positive, and
    the largest p-value the test can attain at most ``allowed`` (0.0 when none).

    Each gain scores its rank by absolute size (ties share the mean rank, zeros
    score nothing); ranks above :data:`WINSOR` of the count score as that rank.
    The null distribution is that of the score sum when every sign is a fair coin,
    computed exactly for these scores (ties and caps included).
    """
    scores = _scores(gains)
    observed = sum(s for s, g in zip(scores, gains, strict=True) if g > 0)
    tail = _upper_tail(tuple(sorted(scores)))
    p_value = next(p for total, p in tail if total <= observed)
    size = 0.0
    for _, p in tail:
        if p > allowed + 1e-12:
            break
        size = p
    return p_value, size


def _scores(gains: Sequence[float]) -> list[int]:
    """Doubled mid-ranks of ``|gains|`` (integers), winsorized; 0 for a zero gain."""
    n = len(gains)
    sizes = [abs(g) for g in gains]
    order = sorted(range(n), key=sizes.__getitem__)
    scores = [0] * n
    start = 0
    while start < n:
        end = start
        while end + 1 < n and sizes[order[end + 1]] == sizes[order[start]]:
            end += 1
        doubled = start + end + 2
        for position in range(start, end + 1):
            scores[order[position]] = doubled if sizes[order[position]] else 0
        start = end + 1
    cap = max(2, round(2 * WINSOR * n))
    return [min(s, cap) for s in scores]


@functools.lru_cache(maxsize=1024)
def _upper_tail(scores: tuple[int, ...]) -> tuple[tuple[int, float], ...]:
    """``(t, P(sum >= t))`` for every attainable sum ``t``, highest first, when each
    score counts with probability 1/2."""
    total = sum(scores)
    counts = [0] * (total + 1)
    counts[0] = 1
    reached = 0
    for score in scores:
        if not score:
            continue
        reached += score
        for t in range(reached, score - 1, -1):
            counts[t] += counts[t - score]
    ways = 2 ** sum(1 for s in scores if s)
    tail: list[tuple[int, float]] = []
    running = 0
    for t in range(total, -1, -1):
        if counts[t]:
            running += counts[t]
            tail.append((t, running / ways))
    return tuple(tail)


def _center(values: Sequence[float]) -> float:
    """The typical gain: the median of a handful (two outliers in five must not move
    it), the Hodges-Lehmann estimate (the median of all pairwise means: nearly as
    efficient as the mean, robust to 29% outliers) from :data:`MEDIAN_BELOW` on."""
    n = len(values)
    if n < MEDIAN_BELOW:
        return statistics.median(values) if values else 0.0
    return statistics.median((values[i] + values[j]) / 2 for i in range(n) for j in range(i, n))
