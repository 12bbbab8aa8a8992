"""A base call that works: edges of one parameter are built around ordinary values of
the others that the baseline accepts, not around a call that raises."""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

CLAMP = """
from typing import Union


def clamp(value: Union[str, float], limit: float) -> float:
    res = float(value)
    return max(-limit, min(limit, res))
"""


def test_edges_of_a_parameter_vary_around_a_call_that_returns(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # The first ordinary value of `value` is text, which float() refuses: around that
    # call every edge of `limit` would only replay the ValueError.
    project = guarded("clamps", CLAMP)
    assert "args=(2.5, -2.75)" in project.guard_text()
    # guards: a bound dropped (only the upper limit clamps)
    project.assert_caught("return max(-limit, min(limit, res))", "return min(limit, res)")
    project.assert_passes(
        "return max(-limit, min(limit, res))",
        "low, high = -limit, limit\n    return max(low, min(high, res))",
    )
