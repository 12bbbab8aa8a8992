"""Records from plain mappings: a dataclass built from a dict, nested ones included.

The only examples of how ``from_mapping`` is called are in the README, and they define
the dataclasses they pass: no generator can guess such an input from the signature.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any


class MissingField(KeyError):
    """A field without a default is absent from the mapping."""


def from_mapping(cls: type, data: Mapping[str, Any]) -> Any:
    """An instance of the dataclass ``cls`` from ``data``, nested dataclasses included."""
    hints = typing.get_type_hints(cls)
    values = {}
    for field in dataclasses.fields(cls):
        if field.name not in data:
            if field.default is dataclasses.MISSING:
                raise MissingField(field.name)
            continue
        value = data[field.name]
        kind = hints[field.name]
        if dataclasses.is_dataclass(kind) and isinstance(value, Mapping):
            value = from_mapping(kind, value)
        values[field.name] = value
    return cls(**values)
