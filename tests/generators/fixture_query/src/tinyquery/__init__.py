"""A tiny query language over nested dicts: ``a.b[0].c``; the fixture for indirect calls."""

from __future__ import annotations

from .parser import Parser

__all__ = ["search"]


def search(expression, data):
    """The value at ``expression`` in ``data`` (None where a field is missing)."""
    node = Parser().parse(expression)
    for kind, value in node:
        if data is None:
            return None
        if kind == "field":
            data = data.get(value) if isinstance(data, dict) else None
        else:
            data = data[value] if isinstance(data, list) and -len(data) <= value < len(data) else None
    return data
