"""One instance, many calls: what a class does over a sequence, beside its baseline.

A cache, a container or a parser object shows most of its behaviour only across calls:
which entry an LRU cache evicts, whether a sorted list stays sorted after ``add``,
whether ``get`` sees what ``__setitem__`` stored. A single call on a fresh instance
sees none of that. :func:`check_calls` builds one instance from the code under test
and one from the frozen baseline copy with the same constructor call, plays the same
calls on both in order, and requires the same result (or exception type) at every
step and the same public state at the end.
"""

from __future__ import annotations

import copy
import types
from collections.abc import Mapping, Sequence
from typing import Any

from pytest_autoimprove.runtime.compare import assert_same
from pytest_autoimprove.runtime.replay import (
    Outcome,
    as_before,
    assert_same_outcome,
    build_values,
    public_state,
)
from pytest_autoimprove.runtime.results import materialize

__all__ = ["Step", "check_calls"]

#: ``(method name, args, kwargs)``: one call on the instance.
Step = tuple[str, Sequence[Any], Mapping[str, Any]]


def check_calls(
    current: types.ModuleType,
    baseline: types.ModuleType,
    class_name: str,
    ctor: tuple[Sequence[Any], Mapping[str, Any]],
    steps: Sequence[Step],
    *,
    tolerance: float | None = None,
) -> None:
    """The same calls on an instance of the current code and of the baseline copy must
    give the same results, step by step, and leave the same public state.

    A baseline that cannot build the instance, or that raises at a step, is followed
    exactly: the current code must raise the same exception type there. A second
    baseline instance plays the same calls: where the two disagree (an instance that
    keeps the moment it was built, ``time.time()``), the baseline is no oracle and the
    example is rejected, not judged.
    """
    from hypothesis import reject

    theirs = _build(baseline, class_name, ctor)
    twin = _build(baseline, class_name, ctor)
    ours = _build(current, class_name, ctor)
    if theirs.error is not None or ours.error is not None:
        # Built on both sides, the instances are compared by what the calls see.
        assert_same_outcome(ours, theirs, "constructor", where="the constructor call")
        return
    for number, (name, args, kwargs) in enumerate(steps, 1):
        where = f"step {number} of {len(steps)}, .{name}(...)"
        want = _invoke(baseline, theirs.value, name, args, kwargs)
        if not _agree(_invoke(baseline, twin.value, name, args, kwargs), want):
            reject()
        got = _invoke(current, ours.value, name, args, kwargs)
        assert_same_outcome(got, want, "method", where=where, tolerance=tolerance)
    if not _agree(
        Outcome(value=public_state(twin.value)), Outcome(value=public_state(theirs.value))
    ):
        reject()
    try:
        before = public_state(theirs.value)
        assert_same(as_before(public_state(ours.value), before), before, tolerance=tolerance)
    except AssertionError as error:
        raise AssertionError(
            f"after {len(steps)} calls the public state differs: {error}"
        ) from None


def _agree(one: Outcome, other: Outcome) -> bool:
    """Did two runs of the baseline do the same thing?"""
    try:
        assert_same_outcome(one, other, "method")
    except AssertionError:
        return False
    return True


def _build(module: types.ModuleType, class_name: str, ctor: Any) -> Outcome:
    args, kwargs = ctor
    out = Outcome()
    try:
        cls = getattr(module, class_name)
        real_args = build_values(module, tuple(copy.deepcopy(tuple(args))))
        out.value = cls(*real_args, **build_values(module, copy.deepcopy(dict(kwargs))))
    except Exception as error:  # noqa: BLE001 - a failing constructor is an outcome too
        out.error = error
    return out


def _invoke(
    module: types.ModuleType,
    instance: Any,
    name: str,
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
) -> Outcome:
    out = Outcome()
    try:
        real_args = build_values(module, tuple(copy.deepcopy(tuple(args))))
        real_kwargs = build_values(module, copy.deepcopy(dict(kwargs)))
        out.value = materialize(getattr(instance, name)(*real_args, **real_kwargs))
    except Exception as error:  # noqa: BLE001 - the exception type is what we compare
        out.error = error
    return out
