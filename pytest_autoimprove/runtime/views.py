"""Views: what an instance shows through the protocols its own class defines.

A state check compares an instance's public attributes, but some behaviour lives in no
attribute a rewrite keeps: heapdict's ``__iter__`` rewritten to yield the keys in heap
order, fqdn's constructor no longer lower-casing what ``__str__`` shows, a range that
keeps its bounds in a private slot and shows them through properties, ``repr()`` and
``bool()``. :func:`views` adds ``str()``, ``repr()``, ``len()``, ``bool()``, the public
properties and the first items of the iteration to the state, and for a subclass of a
builtin value (a list, a tuple, a float) the value it holds.

Imported by the frozen tests: standard library only.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import sys
import types
from collections.abc import Iterator, Sequence
from typing import Any

__all__ = ["MAX_PROPERTIES", "MAX_VIEW_ITEMS", "views"]

#: Items of an instance's iteration compared, at most.
MAX_VIEW_ITEMS = 100
#: Public properties read, at most (the first by name).
MAX_PROPERTIES = 12
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def views(obj: Any) -> dict[str, Any]:
    """What ``obj`` shows through ``__str__``, ``__len__`` and ``__iter__`` where its own
    class (not the standard library) defines them: ``"<str>"``, ``"<len>"`` and
    ``"<iter>"`` (the first items, in order). A priority dict's keys in heap order, a
    name lower-cased by its constructor, live there and in no attribute a rewrite
    keeps. Left out: an iterator (iterating would consume it), an object holding a set
    (its text and order move with the hash seed), and a view that raises."""
    cls = type(obj)
    if isinstance(obj, (type, types.ModuleType)):
        return {}
    out: dict[str, Any] = {}
    holds_set = _holds_set(_attributes(obj), depth=3)
    if _defines(cls, "__str__") and not holds_set:
        with _quiet():
            text = str(obj)
            out["<str>"] = _ADDRESS.sub("", text) if isinstance(text, str) else text
    if _defines(cls, "__repr__") and not holds_set:
        with _quiet():
            text = repr(obj)
            out["<repr>"] = _ADDRESS.sub("", text) if isinstance(text, str) else text
    if _defines(cls, "__len__"):
        with _quiet():
            out["<len>"] = len(obj)
    if _defines(cls, "__bool__"):
        with _quiet():
            out["<bool>"] = bool(obj)
    for name in _properties(cls):
        with _quiet():
            value = getattr(obj, name)
            if _plain_reading(value, obj):
                out[f"<.{name}>"] = value
    if _defines(cls, "__iter__") and not hasattr(cls, "__next__") and not holds_set:
        with _quiet():
            out["<iter>"] = list(itertools.islice(iter(obj), MAX_VIEW_ITEMS))
    elif isinstance(obj, _HOLDERS) and cls not in _HOLDERS and not holds_set:
        # A subclass of a builtin value (``class Tokens(list)``, a namedtuple, a float
        # with units): what it holds is its state, kept in no attribute.
        with _quiet():
            out["<value>"] = _held(obj)
    return out


def _held(obj: Any) -> Any:
    """The builtin value ``obj`` holds: its items in order, or the plain value."""
    if isinstance(obj, dict):
        return list(itertools.islice(obj.items(), MAX_VIEW_ITEMS))
    if isinstance(obj, (list, tuple)):
        return list(itertools.islice(obj, MAX_VIEW_ITEMS))
    base = next(b for b in _HOLDERS if isinstance(obj, b))
    return base(obj)


def _properties(cls: type) -> list[str]:
    """The public properties of ``cls``'s own code (not the standard library's), the
    first :data:`MAX_PROPERTIES` by name. A ``cached_property`` is left out: reading it
    stores it on the instance."""
    names: set[str] = set()
    for klass in cls.__mro__:
        top = (klass.__module__ or "").partition(".")[0]
        if top in sys.stdlib_module_names or top == "builtins":
            continue
        names.update(
            name
            for name, attr in vars(klass).items()
            if isinstance(attr, property) and not name.startswith("_")
        )
    return sorted(names)[:MAX_PROPERTIES]


def _plain_reading(value: Any, obj: Any) -> bool:
    """A property's value is compared unless it is behaviour (a bound method), the
    instance itself, or an iterator (reading it would consume it)."""
    return not (
        value is obj
        or callable(value)
        or hasattr(value, "__next__")
        or isinstance(value, (type, types.ModuleType))
    )


#: Builtin types whose subclasses hold their state in the value itself.
_HOLDERS: tuple[type, ...] = (list, tuple, dict, str, bytes, int, float)


def _defines(cls: type, *names: str) -> bool:
    """Does a class of ``cls``'s own code (not the standard library's) define one of ``names``?"""
    for klass in cls.__mro__:
        if any(name in vars(klass) for name in names):
            top = (klass.__module__ or "").partition(".")[0]
            return top not in sys.stdlib_module_names
    return False


def _attributes(obj: Any) -> list[Any]:
    values = list(getattr(obj, "__dict__", {}).values())
    for klass in type(obj).__mro__:
        slots = klass.__dict__.get("__slots__", ())
        for name in (slots,) if isinstance(slots, str) else slots:
            with contextlib.suppress(Exception):
                values.append(getattr(obj, name))
    return values


def _holds_set(values: Sequence[Any], depth: int) -> bool:
    """Is there a set among ``values`` or the items of their containers (a few levels
    down, the first items of each)?"""
    for value in values:
        if isinstance(value, (set, frozenset)):
            return True
        if depth > 1 and isinstance(value, (list, tuple, dict)):
            items = value.values() if isinstance(value, dict) else value
            if _holds_set(list(itertools.islice(items, 50)), depth - 1):
                return True
    return False


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """A view that raises is left out (a half-built instance, a ``__len__`` of None)."""
    with contextlib.suppress(Exception):
        yield
