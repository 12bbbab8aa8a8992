"""Sample classes and type annotations, for code that takes a type as its input.

A function that builds, checks or converts values by a class it is given
(``from_dict(data_class, data)``, ``validate(schema, value)``, ``is_optional(tp)``)
only reaches its code with real types: a dataclass with nested, optional, collection,
union, defaulted and ``init=False`` fields, and annotations such as ``Optional[int]``.
A module rarely defines those itself, so the generated calls take them from here, by
name (``Ref('pytest_autoimprove.runtime.shapes.Nested')``), with mappings that fit
them (:data:`SHAPE_DATA`): the frozen tests import this module to build them.
"""

# Written as most code that defines dataclasses writes them, which is what a library
# under test is built for: no ``from __future__ import annotations`` (``field.type`` is
# a type, not text) and ``typing``'s generics (``Optional[int]``, ``List[Point]``).
# ruff: noqa: I002, UP006, UP007, UP035, UP045
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Set, Tuple, Union

from pytest_autoimprove.runtime.replay import Build

__all__ = ["ANNOTATIONS", "SHAPE_DATA", "Derived", "Nested", "Point", "Record", "Tagged"]


@dataclass
class Point:
    x: int
    y: int = 0


@dataclass
class Tagged:
    name: str
    tags: Set[str] = field(default_factory=set)
    aliases: Tuple[str, ...] = ()
    score: Optional[float] = None
    marks: FrozenSet[int] = frozenset()


@dataclass
class Nested:
    point: Point
    points: List[Point]
    counts: Dict[str, int] = field(default_factory=dict)
    choice: Union[int, str] = 0
    maybe: Optional[Point] = None


@dataclass
class Derived:
    base: int
    total: int = field(init=False)

    def __post_init__(self) -> None:
        self.total = self.base * 2


@dataclass(frozen=True)
class Record:
    key: str
    value: float


#: Annotations a type-taking function meets besides classes (edge values).
OPTIONAL_INT = Optional[int]
LIST_INT = List[int]
DICT_STR_INT = Dict[str, int]
TUPLE_INTS = Tuple[int, ...]
SET_STR = Set[str]
UNION_INT_STR = Union[int, str]
LIST_POINTS = List[Point]
ANNOTATIONS = (
    "OPTIONAL_INT",
    "LIST_INT",
    "DICT_STR_INT",
    "TUPLE_INTS",
    "SET_STR",
    "UNION_INT_STR",
    "LIST_POINTS",
)

_POINT = "pytest_autoimprove.runtime.shapes.Point"

#: Per class: mappings of its fields as a caller passes them (all fields; defaults
#: left out; collections in another form; a nested instance already built; a wrong type).
SHAPE_DATA: dict[str, tuple[dict[str, object], ...]] = {
    "Point": ({"x": 1, "y": 2}, {"x": 3}, {"x": "1", "y": 2}, {"x": 1, "y": 2, "z": 3}, {}),
    "Tagged": (
        {"name": "a", "tags": {"x", "y"}, "aliases": ("b", "c"), "score": 1.5, "marks": {1}},
        {"name": "a", "tags": ["x", "x"], "aliases": ["b"]},
        {"name": "a", "score": None, "marks": [2, 1]},
        {"name": "a", "score": 2},
    ),
    "Nested": (
        {"point": {"x": 1, "y": 2}, "points": [{"x": 3}, {"x": 4, "y": 5}], "counts": {"a": 1}},
        {"point": Build(_POINT, 1, 2), "points": [Build(_POINT, 3)], "maybe": {"x": 6}},
        {"point": {"x": 1}, "points": [], "choice": "s", "maybe": None},
        {"point": {"x": 1}, "points": ({"x": 2},), "choice": 2.5},
    ),
    "Derived": ({"base": 2}, {"base": 2, "total": 9}),
    "Record": ({"key": "k", "value": 1.5}, {"key": "k", "value": 1}),
}
