"""Values as Python source: inline literals in generated tests, when they round-trip.

A recorded input or output is written inline when it can be rebuilt from source with
nothing but builtins, so a reader sees ``("Hello World",) -> "hello-world"`` rather than
a pickle key. The text is deterministic (sets are sorted by their elements' source) and
short (a long repeated string or list becomes ``"x" * 3000``). Anything else goes to the
data file beside the test.
"""

from __future__ import annotations

import math

from pytest_autoimprove.runtime.compare import same
from pytest_autoimprove.runtime.replay import Build, Ref

__all__ = ["CALLABLES", "EVAL_BUILTINS", "to_source"]

_MAX_LEN = 400
_IMMUTABLE = (str, bytes, int, float, bool, type(None))
#: Builtin callables written by name (the samples for callable parameters).
CALLABLES: dict[str, object] = {
    c.__name__: c
    for c in (str, bool, len, max, min, list, tuple, abs, repr, int, float, sorted, sum)
}
#: What a literal may use when it is evaluated back (``Build``/``Ref``: values the test
#: builds in the module under test, see :mod:`pytest_autoimprove.runtime.replay`).
EVAL_BUILTINS: dict[str, object] = {
    "float": float,
    "set": set,
    "frozenset": frozenset,
    "slice": slice,
    "Build": Build,
    "Ref": Ref,
    **CALLABLES,
}


def to_source(value: object) -> str | None:
    """Source text that evaluates to a value structurally equal to ``value``, or ``None``."""
    if _shares_a_container(value):
        return None
    try:
        text = _src(value, 0)
    except (_NotLiteral, RecursionError):
        return None
    if len(text) > 4 * _MAX_LEN:
        return None
    try:
        rebuilt = eval(text, {"__builtins__": EVAL_BUILTINS})  # noqa: S307
    except Exception:  # noqa: BLE001 - any failure just means "not inline"
        return None
    return text if same(rebuilt, value) else None


def _shares_a_container(value: object) -> bool:
    """``value`` holds one list, dict or set twice: source text would build two (the
    data file's pickle keeps them one, as the code under test saw them)."""
    seen: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, dict, set)):
            if id(item) in seen:
                return True
            seen.add(id(item))
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        if len(seen) > 10_000:
            return False
    return False


class _NotLiteral(Exception):
    pass


def _src(value: object, depth: int) -> str:
    if depth > 20:
        raise _NotLiteral
    tp = type(value)
    if value is None or tp is bool:
        return repr(value)
    name = getattr(value, "__name__", None)
    if isinstance(name, str) and CALLABLES.get(name) is value:
        return name
    if tp is int:
        return repr(value)
    if tp is float:
        assert isinstance(value, float)
        if math.isnan(value):
            return 'float("nan")'
        if math.isinf(value):
            return 'float("inf")' if value > 0 else '-float("inf")'
        return repr(value)
    if tp is complex:
        return repr(value) if all(math.isfinite(p) for p in (value.real, value.imag)) else _fail()  # type: ignore[attr-defined]
    if tp in (str, bytes):
        return _repeated(value) or repr(value)  # type: ignore[arg-type]
    if tp in (list, tuple):
        items = list(value)  # type: ignore[call-overload]
        rep = _repeated_list(items, depth)
        if rep:
            return rep if tp is list else f"tuple({rep})"
        inner = [_src(v, depth + 1) for v in items]
        if tp is tuple:
            return "(" + inner[0] + ",)" if len(inner) == 1 else "(" + ", ".join(inner) + ")"
        return "[" + ", ".join(inner) + "]"
    if tp is dict:
        assert isinstance(value, dict)
        pairs = [f"{_src(k, depth + 1)}: {_src(v, depth + 1)}" for k, v in value.items()]
        return "{" + ", ".join(pairs) + "}"
    if tp is Build:
        assert isinstance(value, Build)
        parts = [repr(value.path), *(_src(v, depth + 1) for v in value.args)]
        parts += [f"{k}={_src(v, depth + 1)}" for k, v in value.kwargs]
        return f"Build({', '.join(parts)})"
    if tp is Ref:
        assert isinstance(value, Ref)
        return f"Ref({value.path!r})"
    if tp is slice:
        assert isinstance(value, slice)
        parts = [_src(part, depth + 1) for part in (value.start, value.stop, value.step)]
        return f"slice({', '.join(parts)})"
    if tp in (set, frozenset):
        inner = sorted(_src(v, depth + 1) for v in value)  # type: ignore[attr-defined]
        body = ", ".join(inner)
        if tp is frozenset:
            return f"frozenset({{{body}}})" if inner else "frozenset()"
        return f"{{{body}}}" if inner else "set()"
    raise _NotLiteral


def _fail() -> str:
    raise _NotLiteral


def _repeated(text: str | bytes) -> str | None:
    if len(text) <= 60:
        return None
    for size in range(1, 9):
        unit = text[:size]
        if len(text) % size == 0 and unit * (len(text) // size) == text:
            return f"{unit!r} * {len(text) // size}"
    if len(text) > _MAX_LEN:
        raise _NotLiteral
    return None


def _repeated_list(items: list[object], depth: int) -> str | None:
    if len(items) <= 30:
        return None
    for size in range(1, 9):
        unit = items[:size]
        if not all(type(u) in _IMMUTABLE for u in unit):
            break
        if len(items) % size == 0 and all(
            type(items[i]) is type(unit[i % size]) and same(items[i], unit[i % size])
            for i in range(len(items))
        ):
            return "[" + ", ".join(_src(v, depth + 1) for v in unit) + f"] * {len(items) // size}"
    if len(items) > _MAX_LEN:
        raise _NotLiteral
    return None
