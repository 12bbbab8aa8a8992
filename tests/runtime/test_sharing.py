"""What a caller can change in place, and so what a cache must not share.

A list is changed by ``append``; netaddr's IPAddress, a class with ``__slots__`` and
no ``__dict__``, by ``ip += 1``; a Fraction or a datetime by nothing: a cache that
hands every caller the same one is an honest speed-up.
"""

from __future__ import annotations

import datetime
from fractions import Fraction

from pytest_autoimprove.runtime.sharing import is_mutable, shares_mutable


class Address:
    """An address stepped in place, as netaddr's IPAddress is."""

    __slots__ = ("value",)

    def __init__(self, value: int) -> None:
        self.value = value

    def __iadd__(self, step: int) -> Address:
        self.value += step
        return self


def test_what_a_caller_can_change_in_place() -> None:
    assert is_mutable([1]) and is_mutable({}) and is_mutable(Address(1))
    assert is_mutable((1, Address(1)))  # a tuple holding one
    for value in (Fraction(1, 2), datetime.date(2024, 1, 1), (1, "a"), frozenset({1}), len):
        assert not is_mutable(value), value


def test_sharing_counts_only_what_can_change() -> None:
    address, half = Address(1), Fraction(1, 2)
    assert shares_mutable((address, 2), [address])  # a cache handing out one address
    assert not shares_mutable([half], [half])  # the same Fraction: nothing to change
    assert shares_mutable([[half]], {"k": [half]}) is False
    inner = [half]
    assert shares_mutable([inner], {"k": inner})
