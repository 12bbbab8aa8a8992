"""Bounds: the integers the code compares with are where off-by-one rewrites show."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest
from guarded import Guarded

from pytest_autoimprove.generators.performance.facts import read_facts
from pytest_autoimprove.generators.performance.mutants import ModuleMutator

LABELS = '''
MAX_TOTAL = 253


def check_label(label):
    """Raise ValueError for a label longer than a DNS label may be."""
    if len(label) > 63:
        raise ValueError("label too long")
    return label.lower()


def check_total(size):
    if size >= MAX_TOTAL:
        raise ValueError("name too long")
    return _half(size)


def _half(size):
    return size // 2 if size < 100 else size - 50


def batches(items):
    """Lists of at most eight items."""
    if len(items) > 8:
        return [items[:8]] + batches(items[8:])
    return [items]
'''


def test_the_integers_a_function_and_its_helpers_compare_with() -> None:
    facts = read_facts(textwrap.dedent(LABELS), "labels")
    # (n, compared with a len(...)): a literal, a module constant, a helper's literal.
    assert facts.bounds["check_label"] == [(63, True)]
    assert facts.bounds["check_total"] == [(253, False), (100, False)]


def test_the_integers_a_function_divides_by_are_bounds_too() -> None:
    source = """
    THOUSAND = 1000

    def spell(n):
        if n < 20:
            return "small"
        groups, rest = divmod(n, THOUSAND)
        return f"{groups} {rest % 100} {n // 60} {n % 2}"
    """
    # Where a digit group or a unit changes (999 -> 1000): comparisons first, then
    # divisors; parity (% 2) is no boundary.
    facts = read_facts(textwrap.dedent(source), "numbers")
    assert facts.bounds["spell"] == [(20, False), (1000, False), (100, False), (60, False)]


def test_an_off_by_one_bound_is_caught_and_an_honest_rewrite_passes(
    guarded: Callable[[str, str], Guarded],
) -> None:
    labels = guarded("labels", LABELS)
    guard = labels.guard_text()
    assert "# text of length next to the code's bound 63; guards off-by-one" in guard
    assert "# next to the code's bound 253; guards off-by-one" in guard
    assert "# list of length next to the code's bound 8; guards off-by-one" in guard
    for old, new in (("> 63", ">= 63"), (">= MAX_TOTAL", "> MAX_TOTAL"), ("> 8:", ">= 8:")):
        proc = labels.run_with(old, new)
        assert proc.returncode == 1, (old, proc.stdout[-2000:])
        assert "bound" in proc.stdout, proc.stdout[-2000:]
    proc = labels.run_with("if len(label) > 63:", "if len(label) >= 64:")  # the same bound
    assert proc.returncode == 0, proc.stdout[-2000:]


FRAMES = """
from dataclasses import dataclass


@dataclass
class Close:
    code: int
    reason: str

    def describe(self) -> str:
        if 3000 <= self.code < 4000:
            kind = "registered"
        elif 4000 <= self.code < 5000:
            kind = "private"
        else:
            kind = "other"
        return f"{self.code} ({kind}) {self.reason}"


@dataclass
class Frame:
    data: bytes
    fin: bool = True

    def check(self) -> None:
        if not self.fin:
            raise ValueError("fragmented control frame")

    def header(self) -> bytes:
        length = len(self.data)
        if length < 126:
            return bytes([length])
        return bytes([126]) + length.to_bytes(2, "big")
"""


def test_a_constructor_argument_meets_the_bounds_its_methods_compare_the_attribute_with() -> None:
    # websockets' Close(code).__str__ and Frame(data).serialize: the comparison is in a
    # method, on `self.code` or on a local `length = len(self.data)`; the dataclass has
    # no __init__ of its own to read bounds from.
    facts = read_facts(textwrap.dedent(FRAMES), "frames")
    assert {(3000, False), (4000, False), (5000, False)} <= set(facts.bounds["Close.__init__"])
    assert (126, True) in facts.bounds["Frame.__init__"]
    assert (126, True) in facts.bounds["Frame.header"]  # a local holding a len() too


WEEKS = """
from collections import namedtuple


class Week(namedtuple("Week", ("year", "week"))):
    def __new__(cls, year, week):
        if week < 1 or week > 52:
            return cls(year, 1) + (week - 1)
        return super().__new__(cls, year, week)

    def __add__(self, other):
        return Week(self.year + (self.week + other - 1) // 52, (self.week + other - 1) % 52 + 1)
"""


def test_a_class_built_in_new_has_its_constructor_read_there() -> None:
    # A tuple subclass takes its arguments in __new__: its bounds are the constructor's,
    # and its mutants edit __new__.
    source = textwrap.dedent(WEEKS)
    assert (52, False) in read_facts(source, "weeks").bounds["Week.__init__"]
    lines = source.splitlines()
    start = lines.index("    def __new__(cls, year, week):") + 1
    end = lines.index("    def __add__(self, other):")
    mutants = ModuleMutator(source).mutants("Week")
    assert mutants
    assert all(start <= m.line <= end for m in mutants), [(m.line, m.description) for m in mutants]


@pytest.mark.slow(seconds=26)
def test_an_off_by_one_bound_on_an_attribute_is_caught(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("frames", FRAMES)
    project.assert_caught("if 3000 <= self.code < 4000:", "if 3000 <= self.code <= 4000:")
    project.assert_caught("if length < 126:", "if length <= 126:")
    # and a flag of the constructor both ways: Frame(fin=False).check() raises
    flagged = "ctor=((b'Hello World_42',), {'fin': False}), raises='builtins.ValueError'"
    assert f"Case('receiver-sample-fin-1', args=(), {flagged}" in project.guard_text()
    project.assert_caught('raise ValueError("fragmented control frame")', "pass")
    project.assert_passes(
        "if 3000 <= self.code < 4000:", "if self.code >= 3000 and self.code < 4000:"
    )


MASKED = """
import os
from dataclasses import dataclass


@dataclass
class Frame:
    data: bytes

    def serialize(self, *, mask: bool) -> bytes:
        length = len(self.data)
        head = bytes([length]) if length < 126 else b"\\x7e" + length.to_bytes(2, "big")
        return head + (os.urandom(4) if mask else b"") + self.data
"""


def test_instances_at_a_bound_also_take_the_second_ordinary_call(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # websockets' serialize(mask=True) draws a random mask: the base call is dropped as
    # nondeterministic, and every instance built at the bound went with it.
    project = guarded("masked", MASKED)
    project.assert_caught("if length < 126 else", "if length <= 126 else")


NOTATION = """
def fmt_auto(value: float) -> str:
    \"\"\"Fixed notation for ordinary magnitudes, exponent notation past 1e8.\"\"\"
    f = float(value)
    if abs(f) > 1e8:
        return "%.3e" % f
    return "%.3f" % f


def fmt_count(n: int) -> str:
    return f"{n:,}" if n > 1_000_000_000_000 else str(n)
"""


def test_a_large_or_whole_float_bound_is_a_bound(guarded: Callable[[str, str], Guarded]) -> None:
    # texttable's `abs(f) > 1e8`: a whole float and a number past the length limit are
    # where a number's notation changes; `>= 1e8` prints 100000000 as 1.000e+08.
    facts = read_facts(textwrap.dedent(NOTATION), "notation")
    assert facts.bounds["fmt_auto"] == [(100_000_000, False)]
    assert facts.bounds["fmt_count"] == [(1_000_000_000_000, False)]
    project = guarded("notation", NOTATION)
    project.assert_caught("if abs(f) > 1e8:", "if abs(f) >= 1e8:")
    project.assert_caught("if n > 1_000_000_000_000", "if n >= 1_000_000_000_000")
    project.assert_passes("if abs(f) > 1e8:", "if f > 1e8 or f < -1e8:")
