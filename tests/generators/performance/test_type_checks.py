"""A dropped type check: a fraction where an integer goes.

Validations are what an optimizer removes first (``isinstance(n, int)`` costs a call
per input). An integer parameter, typed or seen holding integers, also gets 2.5 as an
edge value: the check's exception is frozen, and its removal shows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from guarded import Guarded

from pytest_autoimprove.generators.performance.values import Kind, edge_values

NUMERALS = '''
class NotIntegerError(ValueError):
    pass


PAIRS = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def numeral(n: int) -> str:
    """The numeral of ``n`` (1 to 39)."""
    if not isinstance(n, int):
        raise NotIntegerError("decimals can not be converted")
    if not 0 < n < 40:
        raise ValueError("out of range")
    out = []
    for value, letters in PAIRS:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)
'''


def test_an_integer_parameter_gets_a_fraction_of_another_type() -> None:
    assert (2.5, "changed-exceptions") in edge_values(Kind("int", confident=True))


def test_a_dropped_integer_check_is_caught_and_an_equivalent_one_passes(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("numerals", NUMERALS)
    assert "args=(2.5,), raises='numerals.NotIntegerError'" in project.guard_text()
    project.assert_caught(
        "    if not isinstance(n, int):\n"
        '        raise NotIntegerError("decimals can not be converted")\n',
        "",
    )
    # The same check written as a test of the exact class (ints and bools): honest.
    project.assert_passes("if not isinstance(n, int):", "if n.__class__ not in (int, bool):")


CHECKS = """
def verify_ordinal(value):
    if value != int(value):
        raise TypeError(f"Cannot treat float {value} as ordinal.")
    if value < 0:
        raise TypeError(f"Cannot treat negative num {value} as ordinal.")
"""

ORDINALS = """
from ordinal_checks import verify_ordinal


def ordinal_num(value):
    verify_ordinal(value)
    return f"{value}th"
"""


def test_a_check_raised_by_the_projects_code_out_of_scope_is_frozen(
    tmp_path: Path, guarded: Callable[[str, str], Guarded]
) -> None:
    # `value` is untyped: a TypeError could be a guess of the wrong type, and such
    # cases are dropped. This one comes from a `raise` of the project's own code (in a
    # module out of scope): it is the contract, frozen like any other exception.
    (tmp_path / "ordinal_checks.py").write_text(CHECKS, encoding="utf-8")
    project = guarded("ordinals", ORDINALS)
    assert "raises='builtins.TypeError'" in project.guard_text()
    # guards: a validation dropped from a hot path
    project.assert_caught("    verify_ordinal(value)\n", "")
    project.assert_passes('return f"{value}th"', 'return "{}th".format(value)')
