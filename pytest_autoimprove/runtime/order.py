"""When a result's order is no contract: a set's iteration order, or a hash seed's.

A set iterates in an order that depends on how it was built (insertion order among
colliding hashes, the size its table grew to), not on its contents; Python promises
none. A function that lists the items of its input's sets in iteration order
(``toposort_flatten(data, sort=False)``) gives another order after an honest rewrite
that builds its internal sets another way (``set().union(*values)`` for a
comprehension). Failing that rewrite would be a false alarm.

So a result that differs from the baseline's only by the order of items that came from
the input's sets (:func:`moved_within_sets`) counts as the same. Any other change of
order still fails: items the input gave in a list, keys of a dict, computed values.

Text hashes differently in every process (``PYTHONHASHSEED``), so a function that
puts strings in a set and lists them (``toposort_flatten``'s dict keys) answers in
another order from one process to the next: the baseline itself keeps no order there.
When a differential test is about to fail on a result that holds the same items in
another order, :func:`order_varies` calls the baseline again on the same input in
fresh processes under other hash seeds: if its own order moves, the order is no
contract and the results are compared as collections. A baseline whose order holds
keeps the check strict: ``list(set(names))`` for ``list(dict.fromkeys(names))``
fails. A recorded case (its result frozen in the generator's process) gets the same
judgement: the same items in another order pass where the baseline copy, called in
the test's own process, lists them in that order too, or its order moves as above.
Each probe costs a process start, only on a result about to fail, at most
:data:`MAX_PROBES` per test process; a target found to vary is remembered.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import types
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pytest_autoimprove.runtime.compare import difference

__all__ = ["moved_within_sets", "order_varies", "set_items"]

#: Hash seeds the baseline is called again under, each in a fresh process.
SEEDS = (1, 2)
#: Seconds one such call may take, its process start included.
PROBE_TIMEOUT = 30.0
#: Processes started at most per test process (a failing test's shrinking calls the
#: comparison again and again): past this, orders are compared strictly.
MAX_PROBES = 8

#: The module the probes run as (it imports the replay helpers; this module may not).
_CHILD = "pytest_autoimprove.runtime.seeded_call"

_probes_started = 0
#: Targets whose baseline was seen to order its result by hash seed, this process.
_varying: set[tuple[str, str]] = set()

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


def order_varies(
    baseline: types.ModuleType,
    qualname: str,
    kind: str,
    call: tuple[Sequence[Any], Mapping[str, Any], Any],
    result: object,
) -> bool:
    """True when the baseline, called with ``call`` (its args, kwargs and constructor)
    in fresh processes under other hash seeds, returns ``result``'s items in another
    order (see the module's docstring)."""
    global _probes_started
    key = (baseline.__name__, qualname)
    if key in _varying:
        return True
    try:
        payload = pickle.dumps((baseline.__name__, qualname, kind, call), protocol=4)
    except Exception:  # noqa: BLE001 - an input that does not pickle: stay strict
        return False
    for seed in SEEDS:
        if _probes_started >= MAX_PROBES:
            return False
        _probes_started += 1
        other = _call_elsewhere(payload, seed)
        if other is None:
            continue
        (value,) = other
        if difference(value, result) is not None and (
            difference(value, result, ordered=False) is None
        ):
            _varying.add(key)
            return True
    return False


def _call_elsewhere(payload: bytes, seed: int) -> tuple[object] | None:
    """``(result,)`` of the pickled call in a fresh process with ``PYTHONHASHSEED=seed``;
    ``None`` when it raised, timed out or its result did not pickle."""
    from pytest_autoimprove.process import python_path, run_command

    with tempfile.TemporaryDirectory(prefix="autoimprove-order-") as tmp:
        request, answer = Path(tmp) / "in.pickle", Path(tmp) / "out.pickle"
        request.write_bytes(payload)
        env = {
            "PYTHONHASHSEED": str(seed),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": python_path([p for p in sys.path if p]),
        }
        argv = [sys.executable, "-m", _CHILD, str(request), str(answer)]
        done = run_command(argv, cwd=Path(os.getcwd()), timeout=PROBE_TIMEOUT, env=env)
        if done.returncode != 0 or not answer.exists():
            return None
        try:
            found = pickle.loads(answer.read_bytes())  # noqa: S301 - our own child's answer
        except Exception:  # noqa: BLE001 - a result class that does not load here
            return None
    return found if isinstance(found, tuple) else None
