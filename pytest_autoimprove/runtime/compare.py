"""The structural comparator that generated guardrail tests use at test time.

An optimizer may overload ``__eq__`` (or return a subclass whose ``__eq__`` always
says yes), so "same behaviour" is never decided by the result's own equality.
Values are compared by structure instead:

* the type must match exactly (``1`` is not ``1.0``, ``True`` is not ``1``); a class
  loaded from the frozen baseline copy matches its original (see ``baseline_prefix``);
* floats compare exactly, NaN equals NaN, ``-0.0`` and ``0.0`` differ; an optional
  relative ``tolerance`` (set in improve.md) relaxes this for finite floats;
* lists and tuples compare element by element, in order; dicts by their keys and
  values, in order too (a changed order is a changed output); sets by content;
  ``ordered=False`` compares lists, tuples and dicts by content too (for a result
  whose order the baseline itself does not keep, see :mod:`.order`);
* dataclasses, slotted and plain objects compare by their state (``__dict__`` and
  ``__slots__``), exceptions by type and ``args``, in-memory streams by what they
  hold and their position, memory views by their bytes and layout;
* anything else (functions, classes, modules) compares by identity or by its name.

:func:`difference` says where two values first differ (``None`` when they are the
same); :func:`same` is its boolean form; :func:`assert_same` raises an
``AssertionError`` naming the path, for use in tests.
"""

from __future__ import annotations

import enum
import io
import math
import types
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import cast

from pytest_autoimprove.runtime.answers import answer

__all__ = [
    "BASELINE_PREFIX",
    "OPAQUE",
    "Named",
    "assert_same",
    "difference",
    "name_of",
    "same",
    "type_name",
]

#: The package name under which the frozen baseline copy of the code is imported.
BASELINE_PREFIX = "_autoimprove_baseline."

_ATOMS = (str, bytes, int, bool, complex, type(None), range, bytearray)
#: Values compared by identity or by their dotted name, never by state.
OPAQUE = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.ModuleType,
    type,
)


def type_name(tp: type, baseline_prefix: str = BASELINE_PREFIX) -> str:
    """``module.QualName`` of ``tp``, with the baseline copy's prefix removed."""
    module = tp.__module__ or ""
    if baseline_prefix and module.startswith(baseline_prefix):
        module = module[len(baseline_prefix) :]
    return f"{module}.{tp.__qualname__}"


def same(
    actual: object,
    expected: object,
    *,
    tolerance: float | None = None,
    baseline_prefix: str = BASELINE_PREFIX,
) -> bool:
    """True when ``actual`` and ``expected`` are structurally the same."""
    return (
        difference(actual, expected, tolerance=tolerance, baseline_prefix=baseline_prefix) is None
    )


def assert_same(
    actual: object,
    expected: object,
    *,
    tolerance: float | None = None,
    baseline_prefix: str = BASELINE_PREFIX,
    what: str = "result",
) -> None:
    """Raise ``AssertionError`` naming the first difference, if any."""
    diff = difference(actual, expected, tolerance=tolerance, baseline_prefix=baseline_prefix)
    if diff is not None:
        raise AssertionError(f"{what} differs from the baseline: {diff}")


def difference(
    actual: object,
    expected: object,
    *,
    tolerance: float | None = None,
    baseline_prefix: str = BASELINE_PREFIX,
    ordered: bool = True,
) -> str | None:
    """Where ``actual`` first differs from ``expected``, or ``None`` if nowhere.

    :param ordered: ``False`` compares lists, tuples and dicts by content, as sets are.
    """
    return _Comparison(tolerance, baseline_prefix, ordered).diff(actual, expected, "")


@dataclass(frozen=True)
class Named:
    """What a recorded result held where a function, class or module was that cannot be
    stored (a decorated function's original, a lambda): its dotted name. An expected
    ``Named`` matches an actual object of that name (the baseline copy's prefix
    removed), so such a result is still frozen, compared everywhere else by structure.

    :param answers: for a function made on the spot (a factory's closure), the
        baseline's ``(input, "returns" or "raises", result or exception name)`` for a
        few inputs (:mod:`.answers`): the actual function must answer alike.
    """

    name: str
    answers: tuple[tuple[object, str, object], ...] = ()


@dataclass(frozen=True)
class _Pair:
    """A mapping's item, matched as a whole when order does not count."""

    key: object
    value: object

    def __repr__(self) -> str:
        return f"{self.key!r}: {self.value!r}"


class _Comparison:
    """One comparison: the options and the pairs already being compared (cycles)."""

    def __init__(self, tolerance: float | None, baseline_prefix: str, ordered: bool) -> None:
        self.tolerance = tolerance
        self.prefix = baseline_prefix
        self.ordered = ordered
        self.active: set[tuple[int, int]] = set()

    def diff(self, a: object, b: object, path: str) -> str | None:
        where = path or "<top>"
        if isinstance(b, Named) and not isinstance(a, Named):
            found = name_of(a, self.prefix) if isinstance(a, OPAQUE) else None
            same_function = found is not None and _same_function(found, b.name)
            if not same_function:
                return f"{where}: {_short(a)} is not {b.name}"
            return self._answers(a, b.answers, path) if b.answers else None
        ta, tb = type(a), type(b)
        if ta is not tb and type_name(ta, self.prefix) != type_name(tb, self.prefix):
            return f"{where}: type {type_name(ta, self.prefix)} != {type_name(tb, self.prefix)}"
        if isinstance(a, float):
            return self._float(a, b, where)  # type: ignore[arg-type]
        if isinstance(a, (*_ATOMS, enum.Enum)):
            # Builtin types compare by the builtin equality, never a subclass's override.
            base = next((t for t in ta.__mro__ if t in _ATOMS), None)
            if isinstance(a, enum.Enum) and isinstance(b, enum.Enum):
                equal = a.name == b.name
            elif base is not None:
                builtin_eq = cast("Callable[[object, object], object]", base.__eq__)
                equal = builtin_eq(a, b) is True
            else:  # pragma: no cover - every atom has a builtin base
                equal = a is b
            return None if equal else f"{where}: {_short(a)} != {_short(b)}"
        if isinstance(a, OPAQUE):
            return (
                None
                if a is b or _same_function(name_of(a, self.prefix), name_of(b, self.prefix))
                else (f"{where}: {_short(a)} != {_short(b)}")
            )
        key = (id(a), id(b))
        if key in self.active:
            return None
        self.active.add(key)
        try:
            return self._container(a, b, path, where)
        finally:
            self.active.discard(key)

    def _answers(
        self, func: object, answers: tuple[tuple[object, str, object], ...], path: str
    ) -> str | None:
        """Where the function ``func`` answers an input unlike the baseline's did."""
        for value, how, want in answers:
            got_how, got = answer(func, value)
            called = f"{path or '<top>'}({_short(value)})"
            if got_how == "raises":
                got = type_name(got, self.prefix)
            if got_how != how:
                return f"{called}: {got_how} {_short(got)}, the baseline {how} {_short(want)}"
            if how == "raises" and got != want:
                return f"{called}: raises {got}, the baseline {want}"
            found = self.diff(got, want, called) if how == "returns" else None
            if found:
                return found
        return None

    def _float(self, a: float, b: float, where: str) -> str | None:
        if math.isnan(a) or math.isnan(b):
            return None if math.isnan(a) and math.isnan(b) else f"{where}: {a!r} != {b!r}"
        if float.__eq__(a, b) and math.copysign(1.0, a) == math.copysign(1.0, b):
            return None
        tol = self.tolerance
        finite = math.isfinite(a) and math.isfinite(b)
        if tol is not None and finite and abs(a - b) <= tol * max(abs(a), abs(b), 1e-300):
            return None
        return f"{where}: {a!r} != {b!r}"

    def _container(self, a: object, b: object, path: str, where: str) -> str | None:
        if isinstance(a, (list, tuple)):
            assert isinstance(b, (list, tuple))
            if len(a) != len(b):
                return f"{where}: length {len(a)} != {len(b)}"
            if not self.ordered:
                return self._unordered(a, b, where) or self._state(a, b, path, where, builtin=True)
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                found = self.diff(x, y, f"{path}[{i}]")
                if found:
                    return found
            return self._state(a, b, path, where, builtin=True)
        if isinstance(a, Mapping):
            assert isinstance(b, Mapping)
            return self._mapping(a, b, path, where)
        if isinstance(a, (set, frozenset)):
            assert isinstance(b, (set, frozenset))
            return self._set(a, b, where)
        if isinstance(a, BaseException):
            assert isinstance(b, BaseException)
            return self.diff(a.args, b.args, f"{path}.args")
        if isinstance(a, _MEMORY_STREAMS):
            assert isinstance(b, _MEMORY_STREAMS)
            return self.diff(_stream_state(a), _stream_state(b), f"{path}<stream>")
        if isinstance(a, memoryview):
            assert isinstance(b, memoryview)
            return self.diff(_view_state(a), _view_state(b), f"{path}<memoryview>")
        return self._state(a, b, path, where, builtin=False)

    def _mapping(
        self, a: Mapping[object, object], b: Mapping[object, object], path: str, where: str
    ) -> str | None:
        if len(a) != len(b):
            return f"{where}: {len(a)} keys != {len(b)} keys"
        if not self.ordered:
            # Key-value pairs as pairs: a key never matches a value.
            return self._unordered(
                [_Pair(*item) for item in a.items()], [_Pair(*item) for item in b.items()], where
            )
        for i, ((ka, va), (kb, vb)) in enumerate(zip(a.items(), b.items(), strict=True)):
            found = self.diff(ka, kb, f"{path}<key {i}>")
            if found:
                return found
            found = self.diff(va, vb, f"{path}[{ka!r}]")
            if found:
                return found
        return None

    def _set(
        self, a: frozenset[object] | set[object], b: frozenset[object] | set[object], where: str
    ) -> str | None:
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)} items"
        return self._unordered(a, b, where)

    def _unordered(self, a: Collection[object], b: Collection[object], where: str) -> str | None:
        """Every item of ``a`` matches a distinct item of ``b`` (equal lengths)."""
        unmatched = list(b)
        for x in a:
            for j, y in enumerate(unmatched):
                if self._item_diff(x, y) is None:
                    del unmatched[j]
                    break
            else:
                return f"{where}: {_short(x)} is not in the expected items"
        return None

    def _item_diff(self, x: object, y: object) -> str | None:
        if isinstance(x, _Pair) and isinstance(y, _Pair):
            return self.diff(x.key, y.key, "") or self.diff(x.value, y.value, "")
        return self.diff(x, y, "")

    def _state(self, a: object, b: object, path: str, where: str, *, builtin: bool) -> str | None:
        sa, sb = _object_state(a), _object_state(b)
        if builtin and not sa and not sb:
            return None
        if sa is None or sb is None:
            # No inspectable state (a C object): fall back to identity or builtin repr.
            return None if a is b or repr(a) == repr(b) else f"{where}: {_short(a)} != {_short(b)}"
        if sorted(sa) != sorted(sb):
            return f"{where}: attributes {sorted(sa)} != {sorted(sb)}"
        for name in sorted(sa):
            found = self.diff(sa[name], sb[name], f"{path}.{name}")
            if found:
                return found
        return None


#: In-memory streams: their state is what was written and where they stand, which
#: ``__dict__`` does not hold (an encoder writing other bytes has the same ``__dict__``).
_MEMORY_STREAMS = (io.BytesIO, io.StringIO)


def _stream_state(stream: io.BytesIO | io.StringIO) -> tuple[object, ...]:
    if stream.closed:
        return ("closed",)
    return (stream.getvalue(), stream.tell())


def _view_state(view: memoryview) -> tuple[object, ...]:
    """A memory view's bytes and layout (its ``repr`` is only its address)."""
    try:
        return (view.tobytes(), view.format, view.shape, view.readonly)
    except ValueError:  # released
        return ("released",)


def _object_state(obj: object) -> dict[str, object] | None:
    """The attributes that make up ``obj``'s state, or ``None`` when it has none to read."""
    state: dict[str, object] = {}
    has_any = False
    instance_dict = getattr(obj, "__dict__", None)
    if isinstance(instance_dict, dict):
        has_any = True
        state.update((str(k), v) for k, v in instance_dict.items())
    for klass in type(obj).__mro__:
        slots = klass.__dict__.get("__slots__", ())
        if isinstance(slots, str):
            slots = (slots,)
        for slot in slots:
            if slot in ("__dict__", "__weakref__"):
                continue
            has_any = True
            name = f"_{klass.__name__.lstrip('_')}{slot}" if slot.startswith("__") else slot
            if hasattr(obj, name):
                state[slot] = getattr(obj, name)
    return state if has_any else None


def name_of(obj: object, prefix: str = BASELINE_PREFIX) -> str:
    """``module.QualName`` of a function, class or module (the baseline copy's prefix
    removed): what it is compared by."""
    if isinstance(obj, type):
        return type_name(obj, prefix)
    module = getattr(obj, "__module__", None) or ""
    if prefix and module.startswith(prefix):
        module = module[len(prefix) :]
    return f"{module}.{getattr(obj, '__qualname__', getattr(obj, '__name__', '?'))}"


#: What the dotted name of a function made on the spot holds.
_ANONYMOUS = ("<lambda>", "<locals>")


def _same_function(actual: str, expected: str) -> bool:
    """Two dotted names of functions, classes or modules name the same one.

    A function made on the spot (a lambda, a closure: ``<lambda>`` or ``<locals>`` in its
    name) has no name to keep: replacing it by a named function of the same package
    (``lambda x: x`` by ``_identity``) is a refactoring, not a change of behaviour.
    """
    if actual == expected:
        return True
    anonymous = any(mark in name for name in (actual, expected) for mark in _ANONYMOUS)
    return anonymous and actual.split(".")[0] == expected.split(".")[0]


def _short(value: object) -> str:
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a broken __repr__ must not hide the difference
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= 80 else text[:77] + "..."
