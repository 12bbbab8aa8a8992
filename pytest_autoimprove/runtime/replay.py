"""Runtime helpers the generated guardrail tests call (and the probe that records them).

A generated test file holds data (recorded cases, strategies, the surface snapshot)
and one-line test bodies that call into this module, so the checking logic is written
and tested once, here, rather than pasted into every generated file. Every comparison
goes through :mod:`pytest_autoimprove.runtime.compare`, never a result's own ``__eq__``.

"Behaves the same" means: the same return value (structurally), or an exception of the
same type; the same argument state after the call; for methods, the same public state
of the instance after the call.
"""

from __future__ import annotations

import builtins
import copy
import importlib
import inspect
import io
import pickle
import types
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pytest_autoimprove.runtime.compare import assert_same, difference, type_name
from pytest_autoimprove.runtime.order import moved_within_sets, order_varies, set_items
from pytest_autoimprove.runtime.prepared import readings
from pytest_autoimprove.runtime.results import materialize
from pytest_autoimprove.runtime.sharing import scramble, shares_mutable
from pytest_autoimprove.runtime.surface import check_surface, surface_of
from pytest_autoimprove.runtime.views import views
from pytest_autoimprove.runtime.workdir import own_directory

__all__ = [
    "Build",
    "Case",
    "Outcome",
    "Ref",
    "as_before",
    "assert_same_outcome",
    "build_values",
    "call",
    "check_differential",
    "check_sequence",
    "check_surface",
    "load_cases",
    "replay",
    "result_of",
    "shares_mutable",
    "surface_of",
]


@dataclass(frozen=True)
class Case:
    """One recorded call and what the baseline did.

    :param id: a stable id naming the input's origin and the risk it probes.
    :param args: positional arguments; ``kwargs``: keyword arguments.
    :param ctor: for methods, the constructor's ``(args, kwargs)``.
    :param returns: the baseline's return value (when ``raises`` is ``None``).
    :param raises: the baseline's exception type as ``module.QualName``.
    :param args_after: the arguments' state after the call, when the baseline mutates
        them (``None``: the arguments must come back unchanged).
    :param state: for methods, the instance's public state after the call.
    :param streams: ``(content, position)`` of each in-memory stream built for the call
        (an argument or a constructor argument ``Build('io.BytesIO')``) after it: what a
        writer wrote, how far a reader read (``None``: not recorded).
    :param fresh: the baseline returns a new object every call, sharing nothing mutable
        with the arguments or with earlier results.
    """

    id: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    ctor: tuple[tuple[Any, ...], Mapping[str, Any]] | None = None
    returns: Any = None
    raises: str | None = None
    args_after: tuple[tuple[Any, ...], Mapping[str, Any]] | None = None
    state: Mapping[str, Any] | None = None
    fresh: bool = False
    streams: tuple[tuple[Any, int], ...] | None = None


class Ref:
    """A value named in the module under test, looked up at call time: ``Ref("Color.RED")``.

    A name is resolved on the module the test calls (the current code, or the frozen
    baseline copy in a differential test), then as an absolute dotted path
    (``"decimal.Decimal"``), then among the builtins.
    """

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"Ref({self.path!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ref) and type(other) is type(self) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[Any, ...]:
        return (self.path,)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Ref, (self.path,))

    def value(self, module: types.ModuleType) -> Any:
        return _lookup(module, self.path)


class Build(Ref):
    """An argument built by a call at call time: ``Build("connect", ":memory:")``.

    Objects that cannot be written as literals (a database connection, a dataclass,
    an iterator) are rebuilt for every call by the factory that makes them in the
    module under test, so each call gets a fresh one and the test file shows how.
    """

    __slots__ = ("args", "kwargs")

    def __init__(self, path: str, /, *args: Any, **kwargs: Any) -> None:
        super().__init__(path)
        self.args = args
        self.kwargs = tuple(kwargs.items())

    def __repr__(self) -> str:
        parts = [repr(self.path), *map(repr, self.args)]
        parts += [f"{k}={v!r}" for k, v in self.kwargs]
        return f"Build({', '.join(parts)})"

    def _key(self) -> tuple[Any, ...]:
        return (self.path, self.args, self.kwargs)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_build, (self.path, self.args, self.kwargs))

    def value(self, module: types.ModuleType) -> Any:
        func = _lookup(module, self.path)
        args = build_values(module, self.args)
        kwargs = {k: build_values(module, v) for k, v in self.kwargs}
        return func(*args, **kwargs)


def _build(path: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]) -> Build:
    return Build(path, *args, **dict(kwargs))


_BASELINE_PACKAGE = "_autoimprove_baseline."


def _lookup(module: types.ModuleType, path: str) -> Any:
    """``path`` in ``module``'s namespace, else as an absolute dotted path, else a builtin."""
    parts = path.split(".")
    obj: Any = module
    try:
        for part in parts:
            obj = getattr(obj, part)
        return obj
    except AttributeError:
        pass
    # The frozen baseline copy imports its own copies of the modules in scope.
    prefixes = [_BASELINE_PACKAGE, ""] if module.__name__.startswith(_BASELINE_PACKAGE) else [""]
    for end in range(len(parts) - 1, 0, -1):
        for prefix in prefixes:
            try:
                obj = importlib.import_module(prefix + ".".join(parts[:end]))
            except ImportError:
                continue
            try:
                for part in parts[end:]:
                    obj = getattr(obj, part)
            except AttributeError:
                continue
            return obj
    if len(parts) == 1 and hasattr(builtins, path):
        return getattr(builtins, path)
    raise AttributeError(f"{module.__name__} has no {path!r} (a guardrail builds values with it)")


def build_values(module: types.ModuleType, value: Any) -> Any:
    """``value`` with every :class:`Ref` and :class:`Build` in it made real, for one call.

    Containers are rebuilt only where they hold one; anything else is returned as is.
    """
    if isinstance(value, Ref):
        return value.value(module)
    if type(value) in (list, tuple, set, frozenset) and any(_deferred(v) for v in value):
        return type(value)(build_values(module, v) for v in value)
    if type(value) is dict and any(_deferred(k) or _deferred(v) for k, v in value.items()):
        return {build_values(module, k): build_values(module, v) for k, v in value.items()}
    return value


def _deferred(value: Any, depth: int = 0) -> bool:
    if isinstance(value, Ref):
        return True
    if depth > 20:
        return False
    if type(value) in (list, tuple, set, frozenset):
        return any(_deferred(v, depth + 1) for v in value)
    if type(value) is dict:
        return any(_deferred(k, depth + 1) or _deferred(v, depth + 1) for k, v in value.items())
    return False


@dataclass
class Outcome:
    """What one call did (in the current process)."""

    value: Any = None
    error: BaseException | None = None
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    instance: Any = None
    #: See ``Case.streams``.
    streams: tuple[tuple[Any, int], ...] = ()

    @property
    def raises(self) -> str | None:
        return None if self.error is None else type_name(type(self.error))


def load_cases(path: Path | str) -> dict[str, Case]:
    """The cases stored in a data file beside a generated test (a pickle of ``Case``)."""
    with open(path, "rb") as handle:
        data = pickle.load(handle)  # noqa: S301 - the file is frozen by the guard lock
    if not isinstance(data, dict) or data.get("format") != 1:
        raise ValueError(f"{path}: not a guardrail data file; regenerate the guardrails")
    with warnings.catch_warnings():
        # Rebuilding a recorded value may warn (a pattern compiled with a deprecated
        # flag); under a project's ``filterwarnings = error`` that would stop the whole
        # guard file from importing, though the value is data, not code under test.
        warnings.simplefilter("ignore")
        return {key: pickle.loads(blob) for key, blob in data["cases"].items()}  # noqa: S301


def resolve(
    module: types.ModuleType,
    qualname: str,
    kind: str,
    ctor: Any = None,
    built: list[Any] | None = None,
) -> tuple[Callable[..., Any], Any]:
    """The callable for a target, and the instance it is bound to (methods only).

    ``ctor`` builds the instance: ``(args, kwargs)`` for the class's constructor, or
    ``(None, instance)``, a recorded instance (built without a constructor call the
    tracer saw) that is deep-copied. A ``property`` target is read, with no arguments.
    The constructor's arguments, as built, are added to ``built``.
    """
    if kind == "function":
        return as_written(getattr(module, qualname)), None
    class_name, _, method = qualname.partition(".")
    cls = getattr(module, class_name)
    if kind == "constructor":
        return cls, None
    if kind in ("staticmethod", "classmethod"):
        return getattr(cls, method), None
    ctor_args, ctor_kwargs = ctor if ctor is not None else ((), {})
    if ctor_args is None:
        instance = build_values(module, copy.deepcopy(ctor_kwargs))
    else:
        ctor_args = build_values(module, tuple(copy.deepcopy(tuple(ctor_args))))
        ctor_kwargs = build_values(module, copy.deepcopy(dict(ctor_kwargs)))
        if built is not None:
            built += [*ctor_args, *ctor_kwargs.values()]
        instance = cls(*ctor_args, **ctor_kwargs)
    if kind == "property":
        return (lambda: getattr(instance, method)), instance
    return getattr(instance, method), instance


def as_written(func: Any) -> Any:
    """The function as its ``def`` is written, when a decorator made a factory of it:
    voluptuous' ``@message`` turns ``Boolean(v)`` into ``Boolean(msg=None, cls=None)``,
    which returns the validator, so a call with what ``v`` takes never runs the body.
    The recorded calls are the ``def``'s own. A decorator that keeps the call (a cache,
    a logger: ``*args, **kwargs`` or the same parameters) is called as it is, so what
    it adds is guarded too."""
    try:
        inner = inspect.unwrap(func)
        if inner is func or not inspect.isfunction(inner):
            return func
        outer = inspect.signature(func, follow_wrapped=False).parameters.values()
        own = inspect.signature(inner).parameters.values()
    except (TypeError, ValueError):
        return func
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    if any(p.kind in variadic for p in outer) or [p.name for p in outer] == [p.name for p in own]:
        return func
    return inner


def call(
    module: types.ModuleType,
    qualname: str,
    kind: str,
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
    ctor: Any = None,
) -> Outcome:
    """Call a target on deep copies of the arguments; never raises what the target raises.

    :class:`Build` and :class:`Ref` arguments are made real for this call only; the
    outcome keeps them as written, and the in-memory streams among them (and among the
    constructor's) as they are after the call (``Outcome.streams``). The call runs in an
    empty directory of its own (see :func:`own_directory`).
    """
    with own_directory():
        return _call(module, qualname, kind, args, kwargs, ctor)


def _call(
    module: types.ModuleType,
    qualname: str,
    kind: str,
    args: Sequence[Any],
    kwargs: Mapping[str, Any] | None,
    ctor: Any,
) -> Outcome:
    args_copy = tuple(copy.deepcopy(tuple(args)))
    kwargs_copy = copy.deepcopy(dict(kwargs or {}))
    out = Outcome(args=args_copy, kwargs=kwargs_copy)
    built: list[Any] = []
    try:
        func, out.instance = resolve(module, qualname, kind, ctor, built)
        real_args = build_values(module, args_copy)
        real_kwargs = build_values(module, kwargs_copy)
    except Exception as error:  # noqa: BLE001 - a failing constructor is an outcome too
        out.error = error
        out.streams = _streams(built)
        return out
    try:
        out.value = materialize(func(*real_args, **real_kwargs))
    except Exception as error:  # noqa: BLE001 - the exception type is what we compare
        out.error = error
    out.streams = _streams([*built, *real_args, *real_kwargs.values()])
    return out


def _streams(values: Sequence[Any]) -> tuple[tuple[Any, int], ...]:
    """``(content, position)`` of the in-memory streams among ``values``."""
    return tuple(
        (value.getvalue(), value.tell())
        for value in values
        if isinstance(value, (io.BytesIO, io.StringIO)) and not value.closed
    )


def public_state(obj: Any) -> dict[str, Any]:
    """An object's public attributes (``__dict__`` and ``__slots__``), for state checks,
    what it shows through the protocols its own class defines (:func:`views`), and what
    its reading methods answer, for a receiver built with them (:func:`readings`).

    Private attributes are left out on purpose: an optimizer may add a private cache or
    slot without changing behaviour. So are functions and methods stored on the instance
    (``self.encrypt = self.encode``): behaviour, not state, and not comparable between
    the code and its baseline copy.
    """
    names: set[str] = set()
    instance_dict = getattr(obj, "__dict__", None)
    if isinstance(instance_dict, dict):
        names.update(k for k in instance_dict if isinstance(k, str))
    for klass in type(obj).__mro__:
        slots = klass.__dict__.get("__slots__", ())
        names.update((slots,) if isinstance(slots, str) else slots)
    state = {}
    for name in sorted(names):
        if name.startswith("_"):
            continue
        try:
            value = getattr(obj, name)
        except AttributeError:
            continue
        if not inspect.isroutine(value):
            state[name] = value
    state.update(views(obj))
    state.update(readings(obj))
    return state


def result_of(outcome: Outcome, kind: str, before: Any = None) -> Any:
    """What a call gives, to compare: an instance's public state for a constructor,
    as :func:`as_before` ``before`` when the baseline's state is known."""
    if kind != "constructor":
        return outcome.value
    state = public_state(outcome.value)
    return as_before(state, before) if isinstance(before, Mapping) else state


def as_before(state: Mapping[str, Any], before: Mapping[str, Any]) -> dict[str, Any]:
    """``state`` without the attributes ``before`` (the baseline's) does not have.

    An optimizer may add an attribute, public or private (``self.length =
    len(self.text)``, a cache): that is no change of behaviour. An attribute the
    baseline had that is missing or different still is.
    """
    return {key: value for key, value in state.items() if key in before}


def replay(
    module: types.ModuleType,
    qualname: str,
    kind: str,
    case: Case,
    *,
    tolerance: float | None = None,
) -> None:
    """Call the target with a recorded case and compare with what the baseline did.

    A result with the recorded items in another order passes where the baseline's own
    order moves with the hash seed (``AnyOf.__iter__`` over a frozenset of clauses:
    recorded under one seed, replayed under another), as in :func:`check_differential`.
    """
    out = call(module, qualname, kind, case.args, case.kwargs, case.ctor)
    _check_replayed(module, qualname, kind, case, out, tolerance)


def _check_replayed(
    module: types.ModuleType,
    qualname: str,
    kind: str,
    case: Case,
    out: Outcome,
    tolerance: float | None,
) -> None:
    """:func:`_check_outcome`, where an order the hash seed moves is no contract."""
    try:
        _check_outcome(out, case, kind, tolerance)
        return
    except AssertionError as error:
        failure = error
    if _order_moves(module, qualname, kind, case, out):
        # The order is no contract; the rest of the outcome still is.
        case = replace(case, returns=result_of(out, kind, case.returns))
        try:
            _check_outcome(out, case, kind, tolerance)
            return
        except AssertionError as error:
            failure = error
    if not _as_the_baseline_here(module, qualname, kind, case, out, tolerance):
        raise failure


def _as_the_baseline_here(
    module: types.ModuleType,
    qualname: str,
    kind: str,
    case: Case,
    out: Outcome,
    tolerance: float | None,
) -> bool:
    """The call answered as recorded, and left its instance and arguments as the
    baseline copy, called in this process, leaves them.

    Then the recorded state is what another process saw (another hash seed: the order
    of a set's items in an instance's text), not what the code does: the copy does not
    reproduce it either. The answer itself stays a contract, and a change of the code
    still leaves another state than the copy here.
    """
    try:
        baseline = importlib.import_module(_BASELINE_PACKAGE + module.__name__)
    except ImportError:
        return False
    here = call(baseline, qualname, kind, case.args, case.kwargs, case.ctor)
    if here.raises != case.raises:
        return False
    state = None if case.state is None or here.instance is None else public_state(here.instance)
    seen = replace(case, state=state, args_after=(tuple(here.args), dict(here.kwargs)))
    try:
        _check_outcome(out, seen, kind, tolerance)
    except AssertionError:
        return False
    return True


def _order_moves(
    module: types.ModuleType, qualname: str, kind: str, case: Case, out: Outcome
) -> bool:
    """The result holds the recorded items in another order, and the baseline copy
    gives that order too in this process, or its own order moves with the hash seed
    (:func:`~.order.order_varies`)."""
    if case.raises is not None or out.error is not None:
        return False
    got = result_of(out, kind, case.returns)
    if difference(got, case.returns, ordered=False) is not None:
        return False
    try:
        baseline = importlib.import_module(_BASELINE_PACKAGE + module.__name__)
    except ImportError:
        return False
    here = call(baseline, qualname, kind, case.args, case.kwargs, case.ctor)
    if here.error is None and difference(result_of(here, kind, got), got) is None:
        return True
    call_ = (case.args, dict(case.kwargs or {}), case.ctor)
    return order_varies(baseline, qualname, kind, call_, case.returns)


def _check_outcome(out: Outcome, case: Case, kind: str, tolerance: float | None) -> None:
    if case.raises is not None:
        if out.error is None:
            raise AssertionError(
                f"expected {case.raises} as the baseline raised, got {out.value!r:.200}"
            )
        if out.raises != case.raises:
            raise AssertionError(
                f"raised {out.raises} ({out.error}) where the baseline raised {case.raises}"
            )
    else:
        if out.error is not None:
            raise AssertionError(
                f"raised {out.raises}: {out.error} "
                f"where the baseline returned {case.returns!r:.200}"
            ) from out.error
        inputs = (case.args, case.kwargs, case.ctor)
        _assert_result(result_of(out, kind, case.returns), case.returns, inputs, tolerance)
        if case.fresh:
            _check_fresh(out, case)
    expected_args = case.args_after if case.args_after is not None else (case.args, case.kwargs)
    state = None if case.state is None else dict(case.state)
    _check_after(out, (expected_args[0], dict(expected_args[1])), state, tolerance)
    if case.streams is not None:
        assert_same(out.streams, case.streams, what="streams written or read by the call")


def _check_after(
    out: Outcome,
    args: tuple[Sequence[Any], Mapping[str, Any]],
    state: Mapping[str, Any] | None,
    tolerance: float | None,
) -> None:
    """The call must leave its arguments, and its instance's public state (when both
    sides have one), as the baseline's call left them."""
    assert_same((out.args, out.kwargs), args, tolerance=tolerance, what="arguments after the call")
    if state is not None and out.instance is not None:
        assert_same(
            as_before(public_state(out.instance), state),
            state,
            tolerance=tolerance,
            what="instance state after the call",
        )


def _check_fresh(out: Outcome, case: Case) -> None:
    """A result the baseline built fresh must not alias the arguments or the instance."""
    if shares_mutable(out.value, (out.args, out.kwargs)):
        raise AssertionError(
            f"{case.id}: the result aliases an argument (the baseline returned a fresh object)"
        )
    if out.instance is not None and shares_mutable(out.value, out.instance):
        raise AssertionError(
            f"{case.id}: the result aliases the instance's state "
            "(the baseline returned a fresh object)"
        )


def check_sequence(
    module: types.ModuleType,
    qualname: str,
    kind: str,
    cases: Sequence[Case],
    *,
    tolerance: float | None = None,
) -> None:
    """Calls in sequence must behave as fresh calls did in the baseline.

    Calls ``a, b, a`` (a cache keyed wrongly or a global left dirty shows), repeats each
    call after scrambling the previous result in place (a cached, shared result shows),
    and checks that fresh-in-the-baseline results share nothing mutable with the
    arguments or with each other (aliasing shows).
    """
    if not cases:
        return
    order = [*cases, cases[0]] if len(cases) > 1 else [cases[0], cases[0]]
    for case in order:
        out = call(module, qualname, kind, case.args, case.kwargs, case.ctor)
        _check_replayed(module, qualname, kind, case, out, tolerance)
    for case in cases:
        if not case.fresh:
            continue
        first = call(module, qualname, kind, case.args, case.kwargs, case.ctor)
        _check_fresh(first, case)
        second = call(module, qualname, kind, case.args, case.kwargs, case.ctor)
        if shares_mutable(first.value, second.value):
            raise AssertionError(
                f"{case.id}: two calls return shared mutable objects (the baseline did not)"
            )
        scramble(first.value)
        scramble(second.value)
        third = call(module, qualname, kind, case.args, case.kwargs, case.ctor)
        _check_replayed(module, qualname, kind, case, third, tolerance)


def check_differential(
    current: types.ModuleType,
    baseline: types.ModuleType,
    qualname: str,
    kind: str,
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
    ctor: Any = None,
    *,
    expected_exceptions: Sequence[str] = (),
    tolerance: float | None = None,
) -> None:
    """The current code must do what the frozen baseline copy does on the same input.

    When the baseline raises an exception it does not raise on purpose (not in
    ``expected_exceptions``), the input is outside the function's domain and is rejected
    (``hypothesis.reject``), not judged. A result with the baseline's items in another
    order passes where the baseline's own order moves with the hash seed
    (:func:`~pytest_autoimprove.runtime.order.order_varies`).
    """
    from hypothesis import reject

    want = call(baseline, qualname, kind, args, kwargs, ctor)
    if want.error is not None and not _is_expected(want.error, expected_exceptions):
        reject()
    got = call(current, qualname, kind, args, kwargs, ctor)
    try:
        assert_same_outcome(got, want, kind, tolerance=tolerance, inputs=(args, kwargs, ctor))
    except AssertionError:
        # The same items in another order, where the baseline's own order moves with
        # the hash seed: no contract (see runtime.order).
        if got.error is not None or want.error is not None:
            raise
        wanted = result_of(want, kind)
        if difference(result_of(got, kind, wanted), wanted, ordered=False) is not None:
            raise
        if not order_varies(baseline, qualname, kind, (args, dict(kwargs or {}), ctor), wanted):
            raise
    both = got.instance is not None and want.instance is not None
    state = public_state(want.instance) if both else None
    _check_after(got, (want.args, want.kwargs), state, tolerance)
    assert_same(got.streams, want.streams, what="streams written or read by the call")


def assert_same_outcome(
    got: Outcome,
    want: Outcome,
    kind: str,
    *,
    where: str = "",
    tolerance: float | None = None,
    inputs: Any = None,
) -> None:
    """``got`` did what the baseline's ``want`` did: raised the same exception type, or
    gave the same result (a constructor's: the attributes the baseline's instance had).

    :param where: which call this was, to start the message with.
    :param inputs: the call's arguments: items of their sets may come back in another
        order (:mod:`.order`).
    """
    at = f"{where}: " if where else ""
    if want.error is not None:
        if got.error is None:
            raise AssertionError(
                f"{at}returned {got.value!r:.200} where the baseline raised {want.raises}"
            )
        if got.raises != want.raises:
            raise AssertionError(f"{at}raised {got.raises} where the baseline raised {want.raises}")
        return
    if got.error is not None:
        raise AssertionError(
            f"{at}raised {got.raises}: {got.error} where the baseline returned {want.value!r:.200}"
        ) from got.error
    wanted = result_of(want, kind)
    try:
        _assert_result(result_of(got, kind, wanted), wanted, inputs, tolerance)
    except AssertionError as error:
        if not at:
            raise
        raise AssertionError(f"{at}{error}") from None


def _assert_result(actual: Any, expected: Any, inputs: Any, tolerance: float | None) -> None:
    """The same result, or the same items where only those of the input's sets moved."""
    try:
        assert_same(actual, expected, tolerance=tolerance)
    except AssertionError:
        if not moved_within_sets(actual, expected, set_items(inputs), tolerance):
            raise


def _is_expected(error: BaseException, names: Sequence[str]) -> bool:
    wanted = set(names)
    return any(klass.__name__ in wanted for klass in type(error).__mro__)
