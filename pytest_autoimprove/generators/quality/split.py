"""The seeded, stratified holdout split of a golden set.

An agent that sees its score on every query of the golden set learns the set, not
the task; so ``generate`` splits it once into the *visible* part the loop scores and
a *holdout* only the guard scores (see :mod:`pytest_autoimprove.runtime.golden` for
the formats).
"""

from __future__ import annotations

import random

from pytest_autoimprove.runtime.golden import (
    HOLDOUT_FRACTION,
    MIN_RECORDS_FOR_HOLDOUT,
    SEED,
    GoldenRecord,
    GoldenSet,
    normalize_query,
)

__all__ = ["split_golden"]


def split_golden(
    golden: GoldenSet, *, fraction: float = HOLDOUT_FRACTION, seed: str = SEED
) -> tuple[list[GoldenRecord], list[GoldenRecord]]:
    """``(visible, holdout)``: seeded, stratified by label, records of one query kept together.

    Each part keeps the original order. Fewer than :data:`MIN_RECORDS_FOR_HOLDOUT`
    distinct queries give an empty holdout.
    """
    groups: dict[str, list[int]] = {}
    for index, record in enumerate(golden.records):
        key = normalize_query(record.query) if record.query else f"#{index}"
        groups.setdefault(key, []).append(index)
    if len(groups) < MIN_RECORDS_FOR_HOLDOUT:
        return list(golden.records), []
    strata: dict[str, list[str]] = {}
    for key, indexes in groups.items():
        label = golden.records[indexes[0]].label
        strata.setdefault(label if label is not None else "", []).append(key)
    rng = random.Random(seed)
    total_target = max(1, round(len(groups) * fraction))
    held: set[str] = set()
    leftovers: list[str] = []
    for label in sorted(strata):
        keys = sorted(strata[label])
        rng.shuffle(keys)
        take = int(len(keys) * fraction)
        held.update(keys[:take])
        leftovers.extend(keys[take:])
    # Rounding down per stratum leaves the holdout short: fill it from the leftovers.
    rng.shuffle(leftovers)
    for key in leftovers:
        if len(held) >= total_target:
            break
        held.add(key)
    holdout_idx = {i for key in held for i in groups[key]}
    visible = [r for i, r in enumerate(golden.records) if i not in holdout_idx]
    holdout = [r for i, r in enumerate(golden.records) if i in holdout_idx]
    return visible, holdout
