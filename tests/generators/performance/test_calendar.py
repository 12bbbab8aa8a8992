"""Calendar edges: the century years a leap-year rule gets wrong, and midnight.

A fast path for modern years (``if year > 1000: return year % 4 == 0``) is right on
every year but the centuries that are not leap years; no number edge (0, 100, 1001,
10**20) is one of them, so only a year edge shows it.
"""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

from pytest_autoimprove.generators.performance.pools import pool_of
from pytest_autoimprove.generators.performance.typespec import TypeSpec
from pytest_autoimprove.generators.performance.values import Kind, named_edges
from pytest_autoimprove.runtime.replay import Build

LEAP = '''
def is_leap(year: int) -> bool:
    """Whether ``year`` has a 29 February."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
'''


def test_a_year_takes_the_century_years(guarded: Callable[[str, str], Guarded]) -> None:
    years = [v for v, _ in named_edges("year", Kind("int"))]
    assert {1900, 2000, 2100} <= set(years)
    assert named_edges("start_year", Kind("int")) and not named_edges("yearly", Kind("int"))
    assert not named_edges("year", Kind("str"))
    project = guarded("leap", LEAP)
    assert "# edge value of year; guards calendar-boundaries" in project.guard_text()
    project.assert_caught(
        "    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n",
        "    if year > 1000:\n        return year % 4 == 0\n"
        "    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n",
    )


def test_dates_take_the_century_rule_and_midnight() -> None:
    dates = pool_of(TypeSpec("class", "date", "datetime.date", flavor="class"))
    times = pool_of(TypeSpec("class", "datetime", "datetime.datetime", flavor="class"))
    assert dates is not None and times is not None
    assert Build("date", 2000, 2, 29) in [e.value for e in dates.edges]
    assert Build("datetime", 2000, 1, 1) in [e.value for e in times.edges]
