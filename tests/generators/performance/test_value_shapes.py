"""Ordinary values shaped so that common regressions show: text a normalisation
changes, integers where a number's digits change shape."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from guarded import Guarded

from pytest_autoimprove.generators.performance.plan import MAX_EDGES_PER_PARAM
from pytest_autoimprove.generators.performance.values import Kind, edge_values, sample_values

NAMES = '''
def normalize_name(name: str, kind: str) -> str:
    """The canonical spelling of a package name of a kind of registry."""
    name = name.strip().strip("/")
    if kind in ("pypi", "github"):
        name = name.lower()
    if kind == "pypi":
        name = name.replace("_", "-")
    return name
'''


@pytest.mark.parametrize("kind", ["str", "bytes"])
def test_the_ordinary_text_is_one_a_normalisation_changes(kind: str) -> None:
    text = sample_values(Kind(kind))[0]
    assert isinstance(text, (str, bytes))
    underscore, hyphen, space = ("_", "-", " ") if kind == "str" else (b"_", b"-", b" ")
    assert text.lower() != text
    assert text.replace(underscore, hyphen) != text  # type: ignore[arg-type]
    assert space in text  # type: ignore[operator]


def test_a_dropped_replace_shows_on_the_ordinary_text(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("names", NAMES)
    # guards: a normalisation dropped for one kind (the kind is a literal the code compares)
    project.assert_caught('    if kind == "pypi":\n        name = name.replace("_", "-")\n', "")
    project.assert_caught("name = name.lower()", "name = name")
    project.assert_passes('name.strip().strip("/")', 'name.strip().strip("/") if name else ""')


ORDINALS = '''
def ordinal_num(value: int) -> str:
    """``11th``, ``21st``, ``112th``."""
    if value % 100 in (11, 12, 13):
        return f"{value}th"
    return f"{value}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(value % 10, 'th')}"
'''


def test_integers_where_digits_change_shape_are_edges() -> None:
    values = {v for v, risk in edge_values(Kind("int")) if risk == "digit-boundaries"}
    assert {11, 12, 13, 100, 101, 111, 1000, 1010} <= values


def test_a_suffix_from_the_last_digit_alone_is_caught(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("ordinals", ORDINALS)
    # guards: a fast path right for most numbers, wrong for the teens
    project.assert_caught('    if value % 100 in (11, 12, 13):\n        return f"{value}th"\n', "")


def test_every_integer_edge_is_planned() -> None:
    assert len(edge_values(Kind("int"))) <= MAX_EDGES_PER_PARAM
