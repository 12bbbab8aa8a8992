"""Statistics on lists of floats (typed)."""

from __future__ import annotations

import math


def mean(values: list[float]) -> float:
    if not values:
        raise ValueError("mean of an empty list")
    return sum(values) / len(values)


def normalize(values: list[float]) -> list[float]:
    """Scale values so they sum to 1; an all-zero list is returned as zeros."""
    total = sum(values)
    out = []
    for v in values:
        out.append(v / total if total else 0.0)
    return out


def clamp(x: float, lo: float, hi: float) -> float:
    return max(lo, min(x, hi))


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0..100) by nearest rank.

    Raises:
        ValueError: when values is empty or p is outside 0..100.
    """
    if not values or not 0 <= p <= 100:
        raise ValueError("need values and 0 <= p <= 100")
    ordered = sorted(values)
    rank = max(math.ceil(p / 100 * len(ordered)) - 1, 0)
    return ordered[rank]


def moving_average(values: list[float], window: int) -> list[float]:
    if window <= 0:
        raise ValueError("window must be positive")
    out = []
    for i in range(len(values) - window + 1):
        chunk = values[i : i + window]
        out.append(sum(chunk) / window)
    return out


def format_price(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}${whole}.{rest:02d}"
