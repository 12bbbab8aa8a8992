"""Instances at the constructor's edges: a method's range check shows only on an
instance outside the range.

hijri-converter's ``Gregorian(2100, 1, 1).to_hijri()`` raises OverflowError: the date
is past the table. A rewrite that skips the check reads past the table instead. The
method's own calls take no year; only an instance built at the constructor's year
edges reaches the check.
"""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

TABLE = '''
#: Days before each year of the table, from 2000 (one entry per year, to 2009).
_STARTS = [0, 366, 731, 1096, 1461, 1827, 2192, 2557, 2922, 3288]


class Day:
    """A day of a year from 2000 to 2009, the years the table covers."""

    def __init__(self, year: int, day: int = 1) -> None:
        self.year = year
        self.day = day

    def ordinal(self) -> int:
        """Days since 1 January 2000; OverflowError outside the table."""
        index = self.year - 2000
        if not 0 <= index < len(_STARTS):
            raise OverflowError("the table covers 2000 to 2009")
        return _STARTS[index] + self.day - 1
'''


def test_a_method_skipping_its_range_check_is_caught_on_an_instance_outside_it(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("table", TABLE)
    assert "on an instance built with" in project.guard_text()
    check = "        if not 0 <= index < len(_STARTS):\n            raise OverflowError("
    project.assert_caught(check, "        if False:\n            raise OverflowError(")
    project.assert_passes("index = self.year - 2000\n", "index = self.year + -2000\n")
