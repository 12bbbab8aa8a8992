"""A tiny query language over nested dicts: ``a.b[0].c``; the fixture for indirect calls.

The project's tests call only :func:`search`; the generator must still reach
``steps`` (a generator function), ``Parser.parse`` and ``Lexer.tokenize`` (a generator
method) through it.
"""

from __future__ import annotations

from .parser import Parser

__all__ = ["search", "steps"]


def steps(expression):
    """Yield the steps of ``expression`` one at a time: ``("field", name)``, ``("index", i)``."""
    yield from Parser().parse(expression)


def search(expression, data):
    """The value at ``expression`` in ``data`` (None where a field is missing)."""
    for kind, value in steps(expression):
        if data is None:
            return None
        if kind == "field":
            data = data.get(value) if isinstance(data, dict) else None
        else:
            inside = isinstance(data, list) and -len(data) <= value < len(data)
            data = data[value] if inside else None
    return data
