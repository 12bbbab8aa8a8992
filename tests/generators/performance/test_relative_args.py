"""Arguments at the instance's own values: a range check is tried at its bounds, on
instances built with each flag both ways."""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Callable

from guarded import Guarded

from pytest_autoimprove.generators.performance.relative_args import held_of, relative_of

RANGE = '''
class Range:
    """Accept numbers between ``low`` and ``high``."""

    def __init__(self, low=0, high=10, low_inclusive=True):
        self.low = low
        self.high = high
        self.low_inclusive = low_inclusive

    def __call__(self, value):
        too_low = value < self.low if self.low_inclusive else value <= self.low
        if too_low or value > self.high:
            raise ValueError(f"{value} is out of range")
        return value
'''


def test_the_attributes_a_method_compares_its_parameters_with() -> None:
    tree = ast.parse(textwrap.dedent(RANGE))
    cls = tree.body[0]
    assert isinstance(cls, ast.ClassDef)
    init, call = (n for n in cls.body if isinstance(n, ast.FunctionDef))
    assert relative_of(call, {"value"}) == [("value", "low"), ("value", "high")]
    assert held_of(init, {"low", "high", "low_inclusive"}) == {
        "low": "low",
        "high": "high",
        "low_inclusive": "low_inclusive",
    }


def test_a_bound_made_inclusive_is_caught_on_the_instance_that_excludes_it(
    guarded: Callable[[str, str], Guarded],
) -> None:
    ranges = guarded("ranges", RANGE)
    assert "value at the instance's low (0)" in ranges.guard_text()
    # The lower bound always inclusive: Range(low_inclusive=False)(0) is accepted.
    ranges.assert_caught(
        "value < self.low if self.low_inclusive else value <= self.low", "value < self.low"
    )
    # The upper bound exclusive: Range()(10) is rejected.
    ranges.assert_caught("or value > self.high", "or value >= self.high")
    # The same test, spelled another way: the same behaviour.
    ranges.assert_passes(
        "value < self.low if self.low_inclusive else value <= self.low",
        "not (value >= self.low if self.low_inclusive else value > self.low)",
    )
