"""A class without a constructor of its own takes its base's parameters.

Spans' ``intrange(1, 5)`` is built by ``Range.__init__`` through a ``DiscreteRange``
that only hands ``*args, **kwargs`` on; hijri-converter's ``Gregorian(2100, 1, 1)`` is
a ``datetime.date``. Read as taking nothing (or ``*args``), such a constructor got no
edge value at all, and its methods ran on one instance only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from guarded import Guarded

from pytest_autoimprove.generators.discover import discover

RANGES = '''
import datetime


class Range:
    """Values from ``lower`` up to, not including, ``upper``; equal bounds: empty.
    Abstract: a subclass says which type the bounds are."""

    def __init__(self, lower=None, upper=None) -> None:
        lower, upper = self.type(lower or 0), self.type(upper or 0)
        if lower > upper:
            raise ValueError("lower > upper")
        self.lower, self.upper = (None, None) if lower == upper else (lower, upper)


class Discrete(Range):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


class intrange(Discrete):
    """Integers: ``intrange(1, 5)``."""

    type = int

    def __len__(self) -> int:
        return 0 if self.lower is None else self.upper - self.lower


class Day(datetime.date):
    def days_left(self) -> int:
        """Days to the end of the year."""
        return (datetime.date(self.year, 12, 31) - self).days
'''


def _constructor_params(root: Path, name: str) -> list[str]:
    info = discover(root, Path("ranges.py"))
    (target,) = [t for t in info.targets if t.qualname == name]
    return [p.name for p in target.params]


def test_the_parameters_come_from_the_nearest_base_that_takes_them(tmp_path: Path) -> None:
    (tmp_path / "ranges.py").write_text(RANGES, encoding="utf-8")
    assert _constructor_params(tmp_path, "intrange") == ["lower", "upper"]
    assert _constructor_params(tmp_path, "Discrete") == ["lower", "upper"]
    assert _constructor_params(tmp_path, "Day") == ["year", "month", "day"]


def test_a_subclass_built_at_equal_bounds_is_guarded(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("ranges", RANGES)
    assert "INTRANGE_EDGE" in project.guard_text() and "DAY_EDGE" in project.guard_text()
    project.assert_caught("(None, None) if lower == upper else (lower, upper)", "(lower, upper)")
    project.assert_passes(
        "(None, None) if lower == upper else (lower, upper)",
        "(lower, upper) if lower != upper else (None, None)",
    )
