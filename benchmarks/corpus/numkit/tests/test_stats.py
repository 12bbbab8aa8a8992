from __future__ import annotations

import pytest
from numkit.stats import clamp, format_price, mean, moving_average, normalize, percentile


def test_mean():
    assert mean([1.0, 2.0, 3.0]) == 2.0
    with pytest.raises(ValueError):
        mean([])


def test_normalize():
    assert normalize([1.0, 3.0]) == [0.25, 0.75]


def test_clamp():
    assert clamp(5.0, 0.0, 1.0) == 1.0


def test_percentile():
    assert percentile([5.0, 1.0, 3.0], 50) == 3.0


def test_moving():
    assert moving_average([1.0, 2.0, 3.0], 2) == [1.5, 2.5]


def test_price():
    assert format_price(123) == "$1.23"
