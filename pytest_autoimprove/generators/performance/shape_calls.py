"""Calls of a function that takes a class and the data to build one from.

``from_dict(data_class, data)``, ``structure(data, cls)``, ``validate(schema, value)``:
a class parameter (``Type[T]``, ``type``) takes the sample classes of
:mod:`pytest_autoimprove.runtime.shapes`, and a data parameter beside it the mappings
of each one's fields. Only such a matching pair reaches the code that builds, checks
or converts fields, where a dropped ``init=False`` check, a set built as a list, or a
nested instance no longer passed through show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from pytest_autoimprove.generators.discover import Param
from pytest_autoimprove.generators.performance.pools import SHAPES, Pool
from pytest_autoimprove.generators.performance.values import Kind
from pytest_autoimprove.runtime.replay import Ref
from pytest_autoimprove.runtime.shapes import SHAPE_DATA

__all__ = ["shape_calls"]

#: Kinds of a parameter that can take the mapping a type parameter's class is built from.
_DATA_KINDS = ("dict", "object", "unknown", "any")


def shape_calls(
    usable: Sequence[Param],
    pooled: Mapping[str, Pool],
    kinds: Mapping[str, Kind],
    base: Mapping[str, object],
    add: Callable[..., str | None],
) -> None:
    """A class parameter (``Type[T]``) beside a data one (``from_dict(data_class,
    data)``): each sample class of :mod:`pytest_autoimprove.runtime.shapes` with
    mappings of its fields, all of them, defaults left out, collections in another
    form, a nested instance already built, a wrong type. Only a matching pair reaches
    the code that builds, checks or converts fields; ordinary calls (frozen, whatever
    the baseline answers), never findings."""
    classes = [p for p in usable if (pool := pooled.get(p.name)) and pool.kind.name == "type"]
    data = [p for p in usable if p not in classes and kinds[p.name].name in _DATA_KINDS]
    if not classes or not data:
        return
    cls, mapping = classes[0], data[0]
    for name, variants in SHAPE_DATA.items():
        for j, fields in enumerate(variants):
            chosen = {**base, cls.name: Ref(f"{SHAPES}.{name}"), mapping.name: fields}
            add(f"shape-{name.lower()}-{j}", "recorded", "changed-behaviour", chosen, True,
                "sample", mapping.name, f"a mapping of {name}'s fields")  # fmt: skip
