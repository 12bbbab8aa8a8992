"""Money helpers (typed)."""

from __future__ import annotations


def to_cents(amount: float) -> int:
    """Round an amount of money to whole cents.

    Raises:
        ValueError: when the amount is not finite.
    """
    if amount != amount or amount in (float("inf"), float("-inf")):
        raise ValueError("amount must be finite")
    return int(round(amount * 100))


def average(values: list[float]) -> float:
    # Latent bug: an empty list divides by zero.
    return sum(values) / len(values)
