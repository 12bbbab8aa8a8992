"""A result whose order follows a set's iteration order: that order is no contract.

A set iterates in an order that depends on how it was built (insertion order among
colliding hashes, the size its table grew to), not on its contents; Python promises
none. A function that lists the items of its input's sets in iteration order
(``toposort_flatten(data, sort=False)``) gives another order after an honest rewrite
that builds its internal sets another way (``set().union(*values)`` for a
comprehension). Failing that rewrite would be a false alarm.

So a result that differs from the baseline's only by the order of items that came from
the input's sets (:func:`moved_within_sets`) counts as the same. Any other change of
order still fails: items the input gave in a list, keys of a dict, computed values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pytest_autoimprove.runtime.compare import difference

__all__ = ["moved_within_sets", "set_items"]

#: Containers deeper than this are not searched for sets.
_MAX_DEPTH = 8
#: Items collected at most (a larger input is not worth the quadratic matching).
_MAX_ITEMS = 2_000


def set_items(value: Any) -> list[Any]:
    """The items of the sets and frozensets in ``value`` (in builtin tuples, lists and
    dicts, to a small depth)."""
    found: list[Any] = []
    _collect(value, found, 0)
    return found


def _collect(value: Any, found: list[Any], depth: int) -> None:
    if depth > _MAX_DEPTH or len(found) > _MAX_ITEMS:
        return
    kind = type(value)
    if kind in (set, frozenset):
        found.extend(value)
        for item in value:
            _collect(item, found, depth + 1)
    elif kind in (tuple, list):
        for item in value:
            _collect(item, found, depth + 1)
    elif kind is dict:
        for item in value.values():
            _collect(item, found, depth + 1)


def moved_within_sets(
    actual: object, expected: object, items: Sequence[Any], tolerance: float | None = None
) -> bool:
    """True when ``actual`` and ``expected`` are lists (or tuples) of one type holding
    the same items, and every position where they differ holds, on both sides, an item
    of the input's sets (``items``, from :func:`set_items`)."""
    if not items or type(actual) is not type(expected):
        return False
    if not isinstance(actual, (list, tuple)) or not isinstance(expected, (list, tuple)):
        return False
    if difference(actual, expected, tolerance=tolerance, ordered=False) is not None:
        return False
    for got, want in zip(actual, expected, strict=True):
        if difference(got, want, tolerance=tolerance) is None:
            continue
        if not (_is_set_item(got, items) and _is_set_item(want, items)):
            return False
    return True


def _is_set_item(value: Any, items: Sequence[Any]) -> bool:
    return any(difference(value, item) is None for item in items)
