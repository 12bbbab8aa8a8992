"""Results that share mutable objects: with the arguments, the instance or each other.

A cache that hands every caller the same list, or a result that is the argument
itself, passes every comparison of values: only identity shows it. These helpers find
what two values share, and mutate a result in place as a caller might.

Imported by the frozen tests: standard library only.
"""

from __future__ import annotations

import contextlib
import types
from collections.abc import Mapping
from typing import Any

__all__ = ["is_mutable", "scramble", "shares_mutable"]

_ATOMIC = (str, bytes, int, float, bool, complex, type(None), range, frozenset, type)
_CONTAINERS = (list, dict, set, bytearray)
#: Methods only a value a caller can change in place has: ``ip += 1`` on netaddr's
#: IPAddress (a class with ``__slots__``, no ``__dict__``) changes it for every holder.
_IN_PLACE = ("__iadd__", "__isub__", "__imul__", "__ior__", "__iand__", "__setitem__",
             "__delitem__")  # fmt: skip


def is_mutable(value: Any) -> bool:
    """Can a caller change ``value`` in place? A list, dict, set or bytearray, an
    object with a ``__dict__``, one whose class has in-place operators or item
    assignment, or a tuple holding one. A ``Fraction``, a ``datetime``, a ``Decimal``
    cannot: a cache may share them."""
    if isinstance(value, tuple):
        return any(is_mutable(item) for item in value)
    return not callable(value) and _changeable(value)


def _changeable(value: Any) -> bool:
    if isinstance(value, _CONTAINERS):
        return True
    if isinstance(value, (_ATOMIC, types.ModuleType, types.FunctionType)):
        return False
    if hasattr(value, "__dict__"):
        return True
    return not callable(value) and any(hasattr(type(value), m) for m in _IN_PLACE)


def _mutables(value: Any, seen: dict[int, Any], depth: int = 0) -> None:
    if (
        depth > 50
        or isinstance(value, _ATOMIC)
        or callable(value)
        and not hasattr(value, "__dict__")
    ):
        return
    if isinstance(value, (types.ModuleType, types.FunctionType, type)):
        return
    if id(value) in seen:
        return
    # A tuple, a Fraction or a datetime cannot change, but may hold what can.
    seen[id(value)] = value if not isinstance(value, tuple) and _changeable(value) else None
    children: list[Any] = []
    if isinstance(value, Mapping):
        children = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple, set)):
        children = list(value)
    else:
        children = list(getattr(value, "__dict__", {}).values())
    for child in children:
        _mutables(child, seen, depth + 1)


def shares_mutable(a: Any, b: Any) -> bool:
    """True when ``a`` and ``b`` reach a common mutable object."""
    left: dict[int, Any] = {}
    right: dict[int, Any] = {}
    _mutables(a, left)
    _mutables(b, right)
    return any(left[k] is not None and k in right for k in left)


def scramble(value: Any) -> None:
    """Mutate ``value`` in place (as a caller might), to expose results that are shared."""
    if isinstance(value, list):
        value.append(_Scrambled())
    elif isinstance(value, dict):
        value[_Scrambled()] = _Scrambled()
    elif isinstance(value, set):
        value.add(_Scrambled())
    elif isinstance(value, bytearray):
        value.extend(b"\x00")
    elif isinstance(value, tuple):
        for item in value:
            scramble(item)
    elif isinstance(getattr(value, "__dict__", None), dict):
        with contextlib.suppress(TypeError):
            value.__dict__["_autoimprove_scrambled"] = True


class _Scrambled:
    """A marker no real result contains."""

    def __repr__(self) -> str:
        return "<scrambled by the guard>"
