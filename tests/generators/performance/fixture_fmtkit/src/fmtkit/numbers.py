"""Number formatting.

>>> intcomma(1000000)
'1,000,000'
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    NumberOrString = Union[int, float, Decimal, str]


def intcomma(value: NumberOrString, ndigits: int | None = None) -> str:
    """Write a number with a comma every three digits.

    >>> intcomma(1234567.25)
    '1,234,567.25'
    >>> intcomma("1234")
    '1,234'
    """
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except ArithmeticError:
            return value
    if ndigits is not None:
        text = f"{value:.{ndigits}f}"
    else:
        text = str(value)
    whole, dot, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + ",".join(groups) + dot + frac
