"""The structural comparator: type-strict, NaN-aware, blind to overloaded ``__eq__``."""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pytest_autoimprove.runtime.compare import (
    Named,
    assert_same,
    difference,
    name_of,
    same,
    type_name,
)

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.binary(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(values)
@example(float("nan"))
@example([float("nan"), {"a": -0.0}])
def test_a_value_is_the_same_as_itself(value: Any) -> None:
    assert same(value, value)


@given(values, values)
def test_same_is_symmetric(a: Any, b: Any) -> None:
    assert same(a, b) == same(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (1, 1.0),
        (True, 1),
        (0.0, -0.0),
        ([1, 2], (1, 2)),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
        ("a", b"a"),
        (0.1 + 0.2, 0.3),
        (float("nan"), 1.0),
        ([1, 2], [1, 2, 3]),
        ({1, 2}, {1, 3}),
    ],
)
def test_different_values_differ(a: Any, b: Any) -> None:
    assert difference(a, b) is not None
    assert not same(a, b)


def test_nan_equals_nan_and_sets_ignore_order() -> None:
    assert same(math.nan, float("nan"))
    assert same({"x", "y", "z"}, {"z", "y", "x"})
    assert same(frozenset({(1, 2)}), frozenset({(1, 2)}))


def test_tolerance_is_relative_and_opt_in() -> None:
    assert not same(1.0, 1.0 + 1e-12)
    assert same(1.0, 1.0 + 1e-12, tolerance=1e-9)
    assert not same(1.0, 1.1, tolerance=1e-9)
    assert not same(math.inf, 1e308, tolerance=1.0)


class Liar(str):
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = str.__hash__


class AlwaysEqual:
    def __init__(self, value: int) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


def test_overloaded_eq_is_never_trusted() -> None:
    assert not same(Liar("a"), Liar("b"))
    assert not same(AlwaysEqual(1), AlwaysEqual(2))
    assert same(AlwaysEqual(1), AlwaysEqual(1))


@dataclass
class Point:
    x: float
    y: float


class Slotted:
    __slots__ = ("a", "__b")

    def __init__(self, a: int, b: int) -> None:
        self.a = a
        self.__b = b


def test_objects_compare_by_state() -> None:
    assert same(Point(1.0, 2.0), Point(1.0, 2.0))
    assert "y" in str(difference(Point(1.0, 2.0), Point(1.0, 3.0)))
    assert same(Slotted(1, 2), Slotted(1, 2))
    assert not same(Slotted(1, 2), Slotted(1, 3))
    assert same(ValueError("x"), ValueError("x"))
    assert not same(ValueError("x"), ValueError("y"))


def test_cycles_terminate() -> None:
    a: list[Any] = [1]
    a.append(a)
    b: list[Any] = [1]
    b.append(b)
    assert same(a, b)


def test_mapping_order_and_subclass_type() -> None:
    assert not same(OrderedDict(a=1), {"a": 1})
    assert same(OrderedDict(a=1), OrderedDict(a=1))


def test_baseline_copy_classes_match_their_originals() -> None:
    original = type("Point", (), {"__module__": "shop.geo"})
    copy = type("Point", (), {"__module__": "_autoimprove_baseline.shop.geo"})
    assert type_name(copy) == "shop.geo.Point"
    assert same(original(), copy())


def test_assert_same_names_the_path() -> None:
    with pytest.raises(AssertionError, match=r"\[1\]\['k'\]"):
        assert_same([0, {"k": 1}], [0, {"k": 2}])


def _quoter(encode: bool) -> Any:
    return (lambda s: s.upper()) if encode else (lambda s: s)


def _identity(s: str) -> str:
    return s


def test_a_function_made_on_the_spot_matches_a_named_one_of_the_same_package() -> None:
    # lambda s: s rewritten as a named _identity: a refactoring, not a new behaviour.
    assert same(_identity, _quoter(False))
    assert same(_quoter(False), _identity)
    assert same(_identity, Named(name_of(_quoter(False))))
    # Named functions keep their names: another one is another function.
    assert not same(_identity, _quoter)
    assert not same(_identity, Named("tests.runtime.test_compare._quoter"))
    # ...and a lambda of another package is not this one.
    assert not same(_quoter(False), Named("json.<lambda>"))


def unordered(a: object, b: object) -> bool:
    return difference(a, b, ordered=False) is None


def test_unordered_compares_sequences_and_mappings_by_content() -> None:
    assert unordered([1, "a", 2], [2, 1, "a"])
    assert not unordered([1, 1, 2], [1, 2, 2])  # a multiset, not a set
    assert unordered({"a": 1, "b": 2}, {"b": 2, "a": 1})
    # A key never matches a value: items are matched as pairs.
    assert not unordered({"a": 1, 1: "a"}, {"a": "a", 1: 1})
    assert not unordered((1, 2), [2, 1])  # types still count


def test_in_memory_streams_compare_by_what_they_hold() -> None:
    import io

    written = io.BytesIO()
    written.write(b"\x18\x18")
    other = io.BytesIO()
    other.write(b"\x38")
    assert not same(written, other)  # the same (empty) __dict__, other bytes
    assert same(io.BytesIO(b"ab"), io.BytesIO(b"ab"))
    moved = io.StringIO("ab")
    moved.read(1)
    assert not same(moved, io.StringIO("ab"))  # the position counts
    closed = io.StringIO("x")
    closed.close()
    assert not same(closed, io.StringIO("x"))


def test_memory_views_compare_by_their_bytes() -> None:
    # A frame parser returning a slice of its input: the repr is only an address, so
    # two runs of the same call looked different and the target got no recorded case.
    data = b"\x00\x03\x01abc"
    assert same(memoryview(data)[3:], memoryview(bytes(data))[3:])
    assert not same(memoryview(data)[3:], memoryview(data)[4:])
    assert not same(memoryview(data), memoryview(bytearray(data)))  # writable now
    assert not same(memoryview(data), data)  # a view is not bytes
    released = memoryview(data)
    released.release()
    assert not same(released, memoryview(data))
