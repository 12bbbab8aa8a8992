"""A function taking a class and the data to build it from gets sample classes and
mappings of their fields (``runtime/shapes.py``), paired."""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

from pytest_autoimprove.generators.performance.pools import pool_of
from pytest_autoimprove.generators.performance.typespec import TypeSpec

BUILD = '''
import dataclasses
import typing
from typing import Any, Mapping, Type, TypeVar

T = TypeVar("T")


def build(data_class: Type[T], data: Mapping[str, Any]) -> T:
    """An instance of ``data_class`` from ``data``, nested dataclasses included."""
    hints = typing.get_type_hints(data_class)
    values = {}
    for field in dataclasses.fields(data_class):
        if field.name not in data:
            if not field.init:
                continue
            missing = dataclasses.MISSING
            if field.default is missing and field.default_factory is missing:
                raise KeyError(field.name)
            continue
        values[field.name] = _value(hints[field.name], data[field.name])
    return data_class(**values)


def _value(tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp) and isinstance(value, Mapping):
        return build(tp, value)
    if origin in (list, set, frozenset, tuple) and isinstance(value, (list, set, frozenset, tuple)):
        (item, *_) = typing.get_args(tp) or (Any,)
        return origin(_value(item, v) for v in value)
    return value
'''


def test_a_type_annotation_is_a_pool_of_sample_classes() -> None:
    pool = pool_of(TypeSpec("type"))
    assert pool is not None and pool.kind.name == "type"
    assert "Ref('pytest_autoimprove.runtime.shapes.Nested')" in (pool.strategy or "")


def test_regressions_in_building_fields_are_caught(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("builder", BUILD)
    text = project.guard_text()
    assert "Ref('pytest_autoimprove.runtime.shapes.Nested')" in text
    assert project.run_with("T = TypeVar", "T = TypeVar").returncode == 0
    regressions = {
        # A set field built as a list: one comprehension for every collection.
        "list for every collection": (
            "        return origin(_value(item, v) for v in value)\n",
            "        return [_value(item, v) for v in value]\n",
        ),
        # An init=False field without a default now counted as missing.
        "init=False required": ("            if not field.init:\n                continue\n", ""),
        # A nested instance already built is rebuilt from a mapping (and fails).
        "nested instance": (
            "    if dataclasses.is_dataclass(tp) and isinstance(value, Mapping):\n",
            "    if dataclasses.is_dataclass(tp):\n",
        ),
    }
    for name, (old, new) in regressions.items():
        proc = project.run_with(old, new)
        assert proc.returncode == 1, (name, proc.stdout[-1500:])


def test_an_honest_rewrite_of_the_builder_passes(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("builder", BUILD)
    # A list comprehension handed to the collection type instead of a generator.
    project.assert_passes(
        "        return origin(_value(item, v) for v in value)\n",
        "        return origin([_value(item, v) for v in value])\n",
    )
