"""The probe: runs the baseline code on candidate inputs and records what it does.

Runs as ``python -m pytest_autoimprove.generators.performance.probe IN OUT`` in a subprocess of its
own (own process group, timeout, ``PYTHONHASHSEED=0``), because the generator never
imports the code it guards: that code may hang, print, or mutate global state. For
each candidate call it records the outcome (return value or exception type), the
arguments' state after the call, whether results are fresh objects, and whether a
second identical call behaves the same (a nondeterministic case is dropped, never
frozen). Values are written back as source text where they round-trip and as a
pickled :class:`~pytest_autoimprove.runtime.replay.Case` otherwise.

The probe is bounded: each case (its calls, comparisons and encoding together) has a
deadline, a case whose call alone is slow is dropped (the generated suite must run in
seconds), results too large to freeze are dropped, the address space is capped so a
huge edge input fails with ``MemoryError`` instead of swapping, and the whole run stops
at the generator's deadline, leaving the cases it did not reach unrecorded.
"""

from __future__ import annotations

import copy
import importlib
import pickle
import signal
import sys
import tempfile
import time
import traceback
import types
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from pytest_autoimprove.generators import slowness
from pytest_autoimprove.generators.literals import to_source
from pytest_autoimprove.generators.performance.readiness import Readiness
from pytest_autoimprove.process import pickled_call
from pytest_autoimprove.runtime.answers import answer, made_on_the_spot, probes_from, takes_one
from pytest_autoimprove.runtime.compare import OPAQUE, Named, difference, name_of, type_name
from pytest_autoimprove.runtime.order import set_items
from pytest_autoimprove.runtime.replay import (
    Build,
    Case,
    Outcome,
    build_values,
    call,
    public_state,
    result_of,
)
from pytest_autoimprove.runtime.sharing import is_mutable, scramble, shares_mutable
from pytest_autoimprove.runtime.surface import surface_of

#: A case whose first call takes longer than this is dropped: it would slow every run
#: of the generated suite (seconds).
SLOW_CALL = 0.25 * slowness()
#: Pickled cases larger than this are not frozen.
MAX_CASE_BYTES = 1_000_000
#: Extra address space the probe (and the verification runs) may use beyond what
#: they have at start.
MEMORY_HEADROOM = 2 * 1024**3
#: Errors that say the input was too big for this machine, not how the code behaves.
_RESOURCE_ERRORS = (MemoryError, RecursionError)
#: What a method raises when its receiver was built from values of the wrong type.
_TYPE_ERRORS = (TypeError, AttributeError)
#: Other receivers a method call is tried on after such an error.
MAX_RECEIVER_TRIES = 4
#: The set-up calls and readers of the classes met so far (this probe process).
_READINESS = Readiness()


class _CallTimeout(BaseException):
    """Raised by the alarm inside a call that takes too long (not an ``Exception``)."""


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`_CallTimeout` after ``seconds``; nests (an outer deadline still holds)."""

    def alarm(signum: int, frame: types.FrameType | None) -> None:
        raise _CallTimeout

    outer, _ = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer) if outer > 0 else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer > 0:
            # The outer deadline goes on; if it has passed, it fires right away.
            left = outer - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))


def _same_outcome(a: Outcome, b: Outcome, kind: str) -> bool:
    """The same result, arguments after the call and, for a method, state of its
    instance: croniter's ``get_next`` returns the same time on two instances built
    with no start time, but each keeps the moment it was built (``time.time()``)."""
    if a.raises != b.raises:
        return False
    if a.error is None and difference(result_of(a, kind), result_of(b, kind)) is not None:
        return False
    both = a.instance is not None and b.instance is not None
    if both and difference(public_state(a.instance), public_state(b.instance)) is not None:
        return False
    return difference((a.args, a.kwargs), (b.args, b.kwargs)) is None


#: Constructor calls by how much they say about real use: a method's cases are called
#: on instances of the best rank there is (0: the project's own calls and doctests).
_CTOR_RANKS = {
    "real": 0,
    "doctest": 0,
    "sample": 1,
    "regex": 1,
    "format": 1,
    "factory": 1,
    "random": 1,
}


def _ctor_rank(spec: dict[str, Any]) -> int:
    return _CTOR_RANKS.get(str(spec.get("origin", "")), 2)


def _auto_ctor(
    module: types.ModuleType, class_name: str, candidates: list[tuple[int, bytes]], start: int = 0
) -> Any:
    """A constructor call (recorded or inferred) that builds an instance (see
    :func:`_auto_ctors`), or ``None``."""
    return next(_auto_ctors(module, class_name, candidates, start), None)


def _auto_ctors(
    module: types.ModuleType, class_name: str, candidates: list[tuple[int, bytes]], start: int = 0
) -> Iterator[Any]:
    """Constructor calls (recorded or inferred) that build an instance, best first.

    Among the calls of the best rank, the one at ``start`` first (wrapping round):
    cases that start at different places call the method on different instances, not
    all on the one the first call builds; then the others in order. An instance that
    is empty comes after the ones that are not: an empty container answers most calls
    the same whatever the method does (an empty slice, a miss).
    """
    cls = getattr(module, class_name, None)
    best = min((rank for rank, _ in candidates), default=0)
    group = [payload for rank, payload in candidates if rank == best]
    if group:
        start %= len(group)
        group = group[start:] + group[:start]
    rest = [payload for rank, payload in sorted(candidates, key=lambda c: c[0]) if rank != best]
    hollow: list[Any] = []
    for payload in group + rest:
        try:
            args, kwargs, _ = pickle.loads(payload)  # noqa: S301 - our own data
            with _deadline(2.0):
                made = cls(*build_values(module, args), **build_values(module, kwargs))  # type: ignore[misc]
                empty = _is_empty(made)
        except BaseException as error:  # noqa: BLE001 - try the next one
            if isinstance(error, KeyboardInterrupt):
                raise
            continue
        if empty:
            hollow.append((tuple(args), dict(kwargs)))
        else:
            yield (tuple(args), dict(kwargs))
    yield from hollow


def _subclass_ctors(
    module: types.ModuleType,
    class_name: str,
    ctors: dict[str, list[tuple[int, bytes]]],
    start: int,
) -> Iterator[Any]:
    """Instances of the module's subclasses of ``class_name``, as ``(None, Build(...))``
    receivers, the subclasses in the module's order."""
    base = getattr(module, class_name, None)
    if not isinstance(base, type):
        return
    for name, candidates in ctors.items():
        sub = getattr(module, name, None)
        if name == class_name or not (isinstance(sub, type) and issubclass(sub, base)):
            continue
        for args, kwargs in _auto_ctors(module, name, candidates, start):
            yield (None, Build(f"{module.__name__}.{name}", *args, **kwargs))


def _is_empty(obj: object) -> bool:
    try:
        return hasattr(obj, "__len__") and len(obj) == 0
    except Exception:  # noqa: BLE001 - a __len__ that fails says nothing
        return False


def _record_case(
    module: types.ModuleType,
    spec: dict[str, Any],
    timeout: float,
    ctors: dict[str, list[tuple[int, bytes]]],
) -> dict[str, Any]:
    """Record one case within ``timeout`` seconds, everything included."""
    try:
        with _deadline(timeout):
            return _record_case_inner(module, spec, ctors)
    except _CallTimeout:
        return {"status": "timeout"}


def _where(error: BaseException) -> list[str]:
    """``file:function`` of the traceback's frames, innermost last (findings use it)."""
    return [
        f"{frame.filename}:{frame.name}" for frame in traceback.extract_tb(error.__traceback__)
    ][-8:]


def _deliberate(error: BaseException) -> bool:
    """Raised by a ``raise`` or ``assert`` statement of the project's own code (a file
    under the working directory, outside any installed package): its contract, whatever
    the exception's type, not a guessed input of the wrong type tripping an operation."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return False
    last = frames[-1]
    path = Path(last.filename)
    if not path.is_absolute() or "site-packages" in path.parts:
        return False
    if not path.is_relative_to(Path.cwd()):
        return False
    return (last.line or "").lstrip().startswith(("raise", "assert"))


def _record_case_inner(
    module: types.ModuleType,
    spec: dict[str, Any],
    ctors: dict[str, list[tuple[int, bytes]]],
) -> dict[str, Any]:
    qualname, kind = spec["qualname"], spec["kind"]
    try:
        args, kwargs, ctor = pickle.loads(spec["payload"])  # noqa: S301 - our own data
    except Exception as error:  # noqa: BLE001 - a recorded value that no longer loads
        return {"status": "unloadable", "message": str(error)}
    receivers: Iterator[Any] = iter(())  # other instances to call a method on
    if isinstance(ctor, str) and ctor.partition(":")[0] == "auto":
        class_name = qualname.partition(".")[0]
        candidates = ctors.get(class_name, [])
        # Where to start is fixed by the case's id: the same receiver at every generate;
        # ``auto:N`` starts at the Nth constructor call of the best rank, when there is one.
        nth = ctor.partition(":")[2]
        start = int(nth) if nth.isdigit() else zlib.crc32(spec["id"].encode())
        best = min((rank for rank, _ in candidates), default=0)
        if nth.isdigit() and start >= sum(rank == best for rank, _ in candidates):
            return {"status": "no-instance"}
        receivers = _auto_ctors(module, class_name, candidates, start)
        ctor = next(receivers, None)
        if ctor is None:
            # A base class no one builds (abstract, or refusing in ``__new__``): its
            # methods run on instances of its subclasses in the module.
            receivers = _subclass_ctors(module, class_name, ctors, start)
            ctor = next(receivers, None)
        if ctor is None:
            return {"status": "no-instance"}
    result: dict[str, Any] = {"status": "ok"}
    started = time.monotonic()
    first = call(module, qualname, kind, args, kwargs, ctor)
    # An instance built from guessed values may hold one of the wrong type (an untyped
    # ``ttl`` given text) that only a method trips over: try a few other receivers.
    for _ in range(MAX_RECEIVER_TRIES):
        other = next(receivers, None) if isinstance(first.error, _TYPE_ERRORS) else None
        if other is None:
            break
        ctor, started = other, time.monotonic()
        first = call(module, qualname, kind, args, kwargs, ctor)
    if kind == "method" and not isinstance(first.error, _RESOURCE_ERRORS):
        # A set-up call the class wants first, methods that read what the call did; the
        # trying is not the call's own time: the call on the prepared receiver is timed.
        _READINESS.note(module, qualname, args, kwargs, first)
        ready, _ = _READINESS.improve(module, qualname, args, kwargs, ctor, first)
        if ready is not ctor:
            ctor, started = ready, time.monotonic()
            first = call(module, qualname, kind, args, kwargs, ctor)
    if time.monotonic() - started > SLOW_CALL:
        return {"status": "slow"}
    if isinstance(first.error, _RESOURCE_ERRORS):
        return {"status": "too-large"}
    second = call(module, qualname, kind, args, kwargs, ctor)
    # What the call returned, even when the case is not kept (an object with no state to
    # compare): factories are found by the types their calls return, every time.
    made = None
    if first.error is None and second.error is None and type(first.value) is type(second.value):
        made = [type_name(k) for k in type(first.value).__mro__]
    if not _same_outcome(first, second, kind):
        return {"status": "nondeterministic", "returns_mro": made}
    mutated = difference((first.args, first.kwargs), (tuple(args), dict(kwargs))) is not None
    fresh = False
    if first.error is None:
        value = first.value
        fresh = is_mutable(value) and not shares_mutable(value, (first.args, first.kwargs))
        if fresh and first.instance is not None:
            fresh = not shares_mutable(value, first.instance)
        if fresh:
            fresh = not shares_mutable(value, second.value)
        if fresh:
            scramble(first.value)
            scramble(second.value)
            third = call(module, qualname, kind, args, kwargs, ctor)
            first = call(module, qualname, kind, args, kwargs, ctor)
            # A result that changed after earlier results were scrambled is shared state.
            fresh = _same_outcome(third, first, kind)
    case = Case(
        id=spec["id"],
        args=tuple(args),
        kwargs=dict(kwargs),
        ctor=ctor,
        returns=None if first.error is not None else result_of(first, kind),
        raises=first.raises,
        args_after=(first.args, first.kwargs) if mutated else None,
        state=public_state(first.instance) if first.instance is not None else None,
        fresh=fresh,
        streams=first.streams or None,
    )
    if spec.get("check") is not None:
        # A doctest: does the baseline answer as the example shows (the harvest was right)?
        from pytest_autoimprove.generators.performance.doctests import output_matches

        want, raises, wrapper = spec["check"]
        result["want_ok"] = output_matches(first.value, first.error, want, raises, wrapper)
    result["returns_mro"] = made
    if first.error is not None:
        result["raises_mro"] = [k.__name__ for k in type(first.error).__mro__]
        result["message"] = f"{type_name(type(first.error))}: {first.error}"[:300]
        result["where"] = _where(first.error)
        result["deliberate"] = _deliberate(first.error)
        result["status"] = "raised"
    result["pickle"] = _pickled(case)
    if result["pickle"] is None:
        # A result holding a function that cannot be stored (a decorated function's
        # original, a lambda): frozen with its name in its place (runtime Named).
        result["pickle"] = _pickled(
            replace(
                case,
                returns=portable(case.returns, probes=probes_from(case.args, case.kwargs)),
                args_after=portable(case.args_after),
                state=portable(case.state),
            )
        )
    if result["pickle"] is not None and len(result["pickle"]) > MAX_CASE_BYTES:
        return {"status": "too-large"}
    sources = {
        "args": to_source(case.args),
        "kwargs": to_source(dict(case.kwargs)),
        "ctor": to_source(case.ctor) if case.ctor is not None else "None",
        "returns": to_source(case.returns),
        "args_after": to_source(case.args_after) if case.args_after is not None else "None",
        "state": to_source(dict(case.state)) if case.state is not None else "None",
        "streams": to_source(case.streams) if case.streams is not None else "None",
    }
    result["sources"] = sources if all(v is not None for v in sources.values()) else None
    items = [to_source(arg) for arg in case.args]
    if result["sources"] is not None and all(item is not None for item in items):
        result["sources"]["items"] = items  # one per positional argument, for sequences
    if result["pickle"] is None and result["sources"] is None:
        return {"status": "unpicklable", "returns_mro": made}
    result["fresh"] = fresh
    result["mutated"] = mutated
    return result


def _pickled(case: Case) -> bytes | None:
    """``case`` pickled, if it pickles and loads back (what the frozen test will do)."""
    try:
        data = pickle.dumps(case, protocol=4)
        pickle.loads(data)  # noqa: S301 - must load back at test time
    except Exception:  # noqa: BLE001 - unpicklable values cannot be frozen
        return None
    return data


def portable(value: Any, depth: int = 0, probes: Sequence[object] = ()) -> Any:
    """``value`` with each function, class or module in it that does not pickle replaced
    by its :class:`~pytest_autoimprove.runtime.compare.Named` (containers and plain
    objects rebuilt around them, the rest as it is). A function made on the spot that
    takes one argument keeps its answers to ``probes`` (:mod:`runtime.answers`)."""
    if depth > 20:
        return value
    if isinstance(value, OPAQUE):  # compared by name anyway (runtime.compare)
        try:
            pickle.dumps(value, protocol=4)
        except Exception:  # noqa: BLE001 - any failure: stored by name
            return Named(name_of(value), _answers(value, probes, depth))
        return value

    def inner(v: Any) -> Any:
        return portable(v, depth + 1, probes)

    if type(value) in (list, tuple, set, frozenset):
        return type(value)(inner(v) for v in value)
    if type(value) is dict:
        return {inner(k): inner(v) for k, v in value.items()}
    state = getattr(value, "__dict__", None)
    if (isinstance(state, dict) and state) or isinstance(value, BaseException):
        try:
            clone = copy.copy(value)
            clone.__dict__.update({k: inner(v) for k, v in (state or {}).items()})
            if isinstance(value, BaseException):  # pickled by its args, not its __dict__
                clone.args = tuple(inner(a) for a in value.args)
        except Exception:  # noqa: BLE001 - an object that cannot be copied stays as it is
            return value
        return clone
    return value


def _answers(
    func: Any, probes: Sequence[object], depth: int
) -> tuple[tuple[object, str, object], ...]:
    """The answers of a function made on the spot to ``probes``, each stored as it will
    be compared (a result made portable, an exception by its name); none when one does
    not pickle."""
    if not (probes and made_on_the_spot(func) and takes_one(func)):
        return ()
    out: list[tuple[object, str, object]] = []
    for value in probes:
        how, got = answer(func, value)
        got = type_name(got) if how == "raises" else portable(got, depth + 1)
        out.append((value, how, got))
    try:
        pickle.dumps(out, protocol=4)
    except Exception:  # noqa: BLE001 - answers that cannot be stored: the name alone
        return ()
    return tuple(out)


def limit_memory() -> None:
    """Cap the address space, so a huge edge input raises MemoryError instead of swapping."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
        limit = pages * resource.getpagesize() + MEMORY_HEADROOM
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):  # not Linux: no cap
        return


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Record every case of every module in ``request``; see :mod:`.speed` for the shape.

    Cases run in the order of their ``tier`` (0 first), then target by target in
    turn, across all modules, so a run cut short by ``request["budget"]`` (seconds,
    optional) still has the most useful cases of every target; cases not reached are
    left out, and a target slow :data:`MAX_SLOW_CALLS` times has no other call tried.
    """
    budget = request.get("budget")
    stop_at = time.monotonic() + (1e9 if budget is None else float(budget))
    timeout = float(request.get("call_timeout", 1.5))
    for entry in reversed(request["sys_path"]):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    out: dict[str, Any] = {"modules": {}}
    queue: list[_Queued] = []
    for mod in request["modules"]:
        record: dict[str, Any] = {"cases": [], "surface": {}, "error": None}
        out["modules"][mod["name"]] = record
        try:
            module = importlib.import_module(mod["name"])
        except BaseException as error:  # noqa: BLE001 - reported as a note
            record["error"] = f"{type(error).__name__}: {error}"
            continue
        record["surface"] = surface_of(module, mod["surface_names"])
        ctors: dict[str, list[tuple[int, bytes]]] = {}
        for spec in mod["cases"]:
            if spec["kind"] == "constructor":
                ctors.setdefault(spec["qualname"], []).append((_ctor_rank(spec), spec["payload"]))
        queue.extend(
            (int(spec.get("tier", 0)), mod["name"], module, spec, ctors) for spec in mod["cases"]
        )
    queue = _taking_turns(queue)
    entries: list[tuple[str, str, str, dict[str, Any]]] = []
    slow: Counter[tuple[str, str]] = Counter()
    for _tier, name, module, spec, ctors in queue:
        if time.monotonic() > stop_at:
            out["stopped"] = True
            break
        target = (name, spec["qualname"])
        try:
            if slow[target] >= MAX_SLOW_CALLS:
                recorded = {"status": "skipped-slow"}
            else:
                recorded = _record_case(module, spec, timeout, ctors)
                if recorded.get("status") in ("slow", "timeout"):
                    slow[target] += 1
        except BaseException as error:  # noqa: BLE001 - a probe must survive its inputs
            if isinstance(error, KeyboardInterrupt):
                raise
            recorded = {"status": "probe-error", "message": repr(error)[:300]}
        recorded["id"] = spec["id"]
        recorded["qualname"] = spec["qualname"]
        out["modules"][name]["cases"].append(recorded)
        entries.append((name, spec["qualname"], spec["kind"], recorded))
    if request.get("seed_check", True):
        left = min(SEED_CHECK_SECONDS, stop_at - time.monotonic())
        moved = seed_moved(entries, request["sys_path"], max(1.0, left))
        for index in moved:
            record = entries[index][3]
            kept = {"status": "seed-dependent", "id": record["id"], "qualname": record["qualname"]}
            record.clear()
            record.update(kept)
    return out


#: Slow calls (or calls past their time limit) of one target after which its other
#: calls are not tried: a constructor that expands every input for seconds would
#: spend the probe's budget alone, and its calls are dropped as too slow anyway.
MAX_SLOW_CALLS = 3

_Queued = tuple[int, str, types.ModuleType, dict[str, Any], dict[str, list[tuple[int, bytes]]]]


def _taking_turns(queue: list[_Queued]) -> list[_Queued]:
    """``queue`` by tier, and within a tier target by target in turn: every target's
    first call, then every target's second... so that no target's many calls (a
    constructor's dozens) keep the others from being probed at all."""
    turns: Counter[tuple[int, str, str]] = Counter()
    keyed = []
    for index, item in enumerate(queue):
        tier, name, _, spec, _ = item
        key = (tier, name, spec["qualname"])
        keyed.append(((tier, turns[key], index), item))
        turns[key] += 1
    return [item for _, item in sorted(keyed, key=lambda pair: pair[0])]


_MODULE = "pytest_autoimprove.generators.performance.probe"
#: The most the seed check takes (its calls were recorded once already).
SEED_CHECK_SECONDS = 30.0
#: The hash seed the seed check records under (the probe's own is 0).
OTHER_SEED = "1"
#: Recorded fields that must not move with the hash seed.
_RECORDED = ("returns", "raises", "args_after", "state", "streams")


def _seed_dependent(record: dict[str, Any]) -> Case | None:
    """The recorded case, when its input holds text or bytes in a set: their iteration
    order moves with the hash seed, and so may what the call returns or leaves behind."""
    if record.get("status") not in ("ok", "raised") or record.get("pickle") is None:
        return None
    case: Case = pickle.loads(record["pickle"])  # noqa: S301 - our own record
    items = set_items((case.args, dict(case.kwargs), case.ctor))
    return case if any(isinstance(item, (str, bytes)) for item in items) else None


def seed_moved(
    entries: Sequence[tuple[str, str, str, dict[str, Any]]],
    sys_path: Sequence[str],
    timeout: float,
) -> set[int]:
    """Indexes of the ``(module, qualname, kind, record)`` entries whose call, recorded again in a
    process under another hash seed, returns or leaves something else (or could not be
    recorded again): frozen, such a call fails in every other process, on the baseline
    itself. Only calls whose input holds text in a set are recorded again."""
    from pytest_autoimprove.process import python_path, run_command

    suspects = {i: case for i, entry in enumerate(entries) if (case := _seed_dependent(entry[3]))}
    if not suspects:
        return set()
    modules: dict[str, list[dict[str, Any]]] = {}
    for i, case in suspects.items():
        name, qualname, kind, _ = entries[i]
        payload = pickle.dumps((case.args, dict(case.kwargs), case.ctor), protocol=4)
        spec = {"id": str(i), "qualname": qualname, "kind": kind, "payload": payload}
        modules.setdefault(name, []).append(spec)
    request = {
        "sys_path": list(sys_path),
        "seed_check": False,
        "budget": timeout,
        "modules": [{"name": n, "surface_names": [], "cases": c} for n, c in modules.items()],
    }
    with tempfile.TemporaryDirectory(prefix="autoimprove-seed-") as tmp:
        inp, answer = Path(tmp) / "in.pickle", Path(tmp) / "out.pickle"
        inp.write_bytes(pickle.dumps(request, protocol=4))
        env = {"PYTHONHASHSEED": OTHER_SEED, "PYTHONPATH": python_path(sys.path)}
        argv = [sys.executable, "-m", _MODULE, str(inp), str(answer)]
        run_command(argv, cwd=Path.cwd(), timeout=timeout + 5.0, env=env)
        other = pickle.loads(answer.read_bytes()) if answer.exists() else {}  # noqa: S301
    again = {
        int(record["id"]): record
        for module in other.get("modules", {}).values()
        for record in module.get("cases", [])
    }
    return {
        i
        for i, case in suspects.items()
        if again.get(i, {}).get("pickle") is None or _moved(case, again[i])
    }


def _moved(ours: Case, twin: dict[str, Any]) -> bool:
    theirs = pickle.loads(twin["pickle"])  # noqa: S301 - our own child's record
    return any(
        difference(getattr(theirs, name), getattr(ours, name)) is not None for name in _RECORDED
    )


def serve(entry: Callable[[dict[str, Any]], dict[str, Any]], argv: list[str]) -> int:
    """A generation subprocess's life: its memory capped, then ``entry`` called on the
    pickled request named in ``argv``, its result pickled back."""
    limit_memory()
    return pickled_call(entry, argv)


if __name__ == "__main__":
    sys.exit(serve(run, sys.argv[1:]))
