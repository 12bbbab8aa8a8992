"""Calibration: which recorded calls the benchmark can time, and how long each takes.

Runs as ``python -m pytest_autoimprove.bench.calibrate IN OUT`` in a subprocess of its
own (own process group, timeout), because ``init`` never imports the code it
measures. ``IN`` is a pickle of ``{"sys_path": [...], "calls": [...], "ctors": {...},
"budget": seconds}``; each call is ``{"module", "qualname", "kind", "payload",
"origin"}`` with ``payload`` a pickle of ``(args, kwargs, ctor)`` as the generators'
tracer and planner write them (``ctor`` for methods: ``(args, kwargs)`` of the
constructor, ``(None, instance)``, or ``"auto"``: the first constructor call of
``ctors[module][class]`` that works).

For each call it answers, in ``OUT`` (a pickle of builtins only): whether the
baseline returns (a call that raises is never timed: an optimized version that
raised early would look fast), how much CPU time one call takes (as the benchmark
measures it), whether it changes its
arguments or its instance (then the benchmark gives it fresh copies every time),
and the call as source text where its values round-trip, else as a pickle with
the constructor resolved.
"""

from __future__ import annotations

import copy
import importlib
import itertools
import pickle
import signal
import sys
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pytest_autoimprove.process import pickled_call

#: A call slower than this is not timed: the benchmark repeats every call many times.
SLOW_CALL = 0.5
#: Seconds one call may take before it is abandoned.
CALL_TIMEOUT = 5.0
#: Items of a lazy result consumed (the benchmark consumes as many).
MAX_ITEMS = 10_000


class _Timeout(BaseException):
    """Raised by the alarm inside a call that takes too long (not an ``Exception``)."""


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    def alarm(signum: int, frame: types.FrameType | None) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def drain(value: Any) -> None:
    """Consume a lazy result, as the benchmark does (a lazy result is no speed-up)."""
    if hasattr(value, "__next__") and not hasattr(value, "read"):
        for _ in itertools.islice(value, MAX_ITEMS):
            pass


def _target(module: types.ModuleType, qualname: str, kind: str) -> Any:
    if kind == "function":
        return getattr(module, qualname)
    class_name, _, name = qualname.partition(".")
    cls = getattr(module, class_name)
    if kind == "constructor":
        return cls
    return getattr(cls, name)


def _instance(cls: type, ctor: Any) -> Any:
    if isinstance(ctor, tuple) and len(ctor) == 2 and ctor[0] is None:
        return copy.deepcopy(ctor[1])  # the recorded instance itself
    args, kwargs = ctor if ctor is not None else ((), {})
    return cls(*copy.deepcopy(tuple(args)), **copy.deepcopy(dict(kwargs)))


def _snapshot(value: Any) -> bytes | None:
    try:
        return pickle.dumps(value, protocol=4)
    except Exception:  # noqa: BLE001 - unpicklable: treated as changed
        return None


def measure_call(
    module: types.ModuleType,
    spec: dict[str, Any],
    ctors: dict[str, list[bytes]],
) -> dict[str, Any]:
    """What one call does on the baseline (see the module docstring)."""
    from pytest_autoimprove.generators.literals import to_source

    args, kwargs, ctor = pickle.loads(spec["payload"])  # noqa: S301 - the tracer's pickles
    args, kwargs, ctor = _real(module, args, kwargs, ctor)
    kind, qualname = spec["kind"], spec["qualname"]
    target = _target(module, qualname, kind)
    if kind == "method" and ctor == "auto":
        ctor = _auto_ctor(module, qualname.partition(".")[0], ctors)
        if ctor is None:
            return {"status": "no-instance"}
    fresh_args = copy.deepcopy((tuple(args), dict(kwargs)))
    before = _snapshot(fresh_args)
    instance = (
        _instance(getattr(module, qualname.partition(".")[0]), ctor) if kind == "method" else None
    )
    state = _snapshot(instance) if instance is not None else None
    func = getattr(instance, qualname.partition(".")[2]) if instance is not None else target
    with _deadline(CALL_TIMEOUT):
        start = time.process_time()
        try:
            drain(func(*fresh_args[0], **fresh_args[1]))
        except Exception as error:  # noqa: BLE001 - a call that raises is not timed
            return {"status": "raised", "message": f"{type(error).__name__}: {error}"[:200]}
        first = time.process_time() - start
    if first > SLOW_CALL:
        return {"status": "slow", "seconds": first}
    changes = before is None or _snapshot(fresh_args) != before
    if instance is not None:
        changes = changes or state is None or _snapshot(instance) != state
    seconds = _time(func, fresh_args, first) if not changes else first
    if changes:
        seconds = _time_fresh(module, spec, args, kwargs, ctor, first)
    out: dict[str, Any] = {"status": "ok", "seconds": seconds, "fresh": changes}
    sources = (to_source(tuple(args)), to_source(dict(kwargs)), _ctor_source(ctor, to_source))
    if all(text is not None for text in sources):
        out["source"] = sources
    else:
        try:
            out["payload"] = pickle.dumps((tuple(args), dict(kwargs), ctor), protocol=4)
        except Exception:  # noqa: BLE001 - cannot be stored: not timed
            return {"status": "unpicklable"}
    return out


def _real(module: types.ModuleType, args: Any, kwargs: Any, ctor: Any) -> tuple[Any, Any, Any]:
    """The values themselves where the planner wrote how to build them (``Build``, ``Ref``):
    the benchmark stores values, not recipes, and needs none of our runtime."""
    from pytest_autoimprove.runtime.replay import build_values

    args = build_values(module, tuple(args))
    kwargs = build_values(module, dict(kwargs))
    if isinstance(ctor, tuple) and len(ctor) == 2 and ctor[0] is not None:
        ctor = (build_values(module, tuple(ctor[0])), build_values(module, dict(ctor[1])))
    return args, kwargs, ctor


def _ctor_source(ctor: Any, to_source: Any) -> str | None:
    if ctor is None:
        return "None"
    if isinstance(ctor, tuple) and len(ctor) == 2 and ctor[0] is None:
        return None  # an instance has no literal form
    return to_source((tuple(ctor[0]), dict(ctor[1])))  # type: ignore[no-any-return]


def _time(func: Any, fresh_args: tuple[tuple[Any, ...], dict[str, Any]], first: float) -> float:
    """Seconds per call, from repeated calls on the same arguments (about 50 ms' worth)."""
    loops = max(1, min(10_000, int(0.05 / max(first, 1e-7))))
    args, kwargs = fresh_args
    with _deadline(CALL_TIMEOUT):
        start = time.process_time()
        for _ in range(loops):
            drain(func(*args, **kwargs))
        return (time.process_time() - start) / loops


def _time_fresh(
    module: types.ModuleType,
    spec: dict[str, Any],
    args: Any,
    kwargs: Any,
    ctor: Any,
    first: float,
) -> float:
    """Seconds per call when every call gets fresh copies (arguments or instance change)."""
    loops = max(1, min(1_000, int(0.05 / max(first, 1e-6))))
    qualname, kind = spec["qualname"], spec["kind"]
    total = 0.0
    with _deadline(CALL_TIMEOUT):
        for _ in range(loops):
            call_args = copy.deepcopy((tuple(args), dict(kwargs)))
            if kind == "method":
                instance = _instance(getattr(module, qualname.partition(".")[0]), ctor)
                func = getattr(instance, qualname.partition(".")[2])
            else:
                func = _target(module, qualname, kind)
            start = time.process_time()
            drain(func(*call_args[0], **call_args[1]))
            total += time.process_time() - start
    return total / loops


def _auto_ctor(module: types.ModuleType, class_name: str, ctors: dict[str, list[bytes]]) -> Any:
    cls = getattr(module, class_name)
    for payload in ctors.get(class_name, []):
        try:
            args, kwargs, _ = pickle.loads(payload)  # noqa: S301 - our planner's pickles
            args, kwargs, _ = _real(module, args, kwargs, None)
            with _deadline(CALL_TIMEOUT):
                cls(*copy.deepcopy(tuple(args)), **copy.deepcopy(dict(kwargs)))
        except Exception:  # noqa: BLE001 - try the next constructor call
            continue
        return (tuple(args), dict(kwargs))
    return None


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Measure every call of ``request`` until its budget is spent."""
    stop_at = time.monotonic() + float(request.get("budget", 60.0))
    for entry in reversed(request["sys_path"]):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    modules: dict[str, Any] = {}
    results: list[dict[str, Any]] = []
    for spec in request["calls"]:
        if time.monotonic() > stop_at:
            results.append({"status": "not reached"})
            continue
        name = spec["module"]
        if name not in modules:
            try:
                modules[name] = importlib.import_module(name)
            except BaseException as error:  # noqa: BLE001 - reported, never fatal
                modules[name] = f"{type(error).__name__}: {error}"
        module = modules[name]
        if isinstance(module, str):
            results.append({"status": "unloadable", "message": module})
            continue
        try:
            result = measure_call(module, spec, request.get("ctors", {}).get(name, {}))
        except _Timeout:
            result = {"status": "timeout"}
        except BaseException as error:  # noqa: BLE001 - calibration must survive its inputs
            if isinstance(error, KeyboardInterrupt):
                raise
            result = {"status": "error", "message": repr(error)[:200]}
        results.append(result)
    return {"results": results}


def main(argv: list[str]) -> int:
    return pickled_call(run, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
