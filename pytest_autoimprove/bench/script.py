"""The body of the benchmark ``init`` writes (see :mod:`.template`): copied, not imported.

It depends on nothing but the standard library and the code it times, so the copy runs
wherever the project's code runs, and a person can read what the score means. The
settings block between the two markers is replaced by the project's own settings.
"""

from __future__ import annotations

import copy
import functools
import gc
import importlib
import itertools
import math
import pickle
import sys
import time
import tracemalloc
import types
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# --- settings (written by init) ---
#: Where the code in scope is imported from (relative to this file): the worktree's copy.
IMPORT_ROOTS: list[str] = []
#: The modules in scope: what they keep between calls is reset before every pass.
MODULES: list[str] = []
METRIC = "time"
ROUNDS = 7
#: CPU seconds one round should take (passes per round follow from a first pass).
ROUND_SECONDS = 0.05
#: (module, qualname, kind, args, kwargs, constructor (args, kwargs), fresh copies per call)
CALLS: list[tuple[Any, ...]] = []
#: Calls whose values have no literal form, pickled beside this file.
PICKLED: str | None = None
# --- end of settings ---

Call = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]


def load_calls() -> list[tuple[Any, ...]]:
    calls = list(CALLS)
    if PICKLED:
        with open(HERE / PICKLED, "rb") as handle:
            for module, qualname, kind, payload, fresh in pickle.load(handle):
                args, kwargs, ctor = pickle.loads(payload)
                calls.append((module, qualname, kind, args, kwargs, ctor, fresh))
    return calls


def bind(module: str, qualname: str, kind: str, ctor: Any) -> Callable[..., Any]:
    """The callable to time; a method is bound to a new instance (built before the clock)."""
    owner = importlib.import_module(module)
    if kind == "function":
        return getattr(owner, qualname)  # type: ignore[no-any-return]
    class_name, _, name = qualname.partition(".")
    cls = getattr(owner, class_name)
    if kind == "constructor":
        return cls  # type: ignore[no-any-return]
    if kind != "method":
        return getattr(cls, name)  # type: ignore[no-any-return]
    if ctor is not None and ctor[0] is None:
        instance = copy.deepcopy(ctor[1])  # the recorded instance itself
    else:
        args, kwargs = ctor if ctor is not None else ((), {})
        instance = cls(*copy.deepcopy(args), **copy.deepcopy(kwargs))
    return getattr(instance, name)  # type: ignore[no-any-return]


def prepare(calls: Iterable[tuple[Any, ...]]) -> list[Call]:
    """One pass's calls: new instances, fresh argument copies where a call changes them."""
    batch: list[Call] = []
    for module, qualname, kind, args, kwargs, ctor, fresh in calls:
        if fresh:
            args, kwargs = copy.deepcopy((args, kwargs))
        batch.append((bind(module, qualname, kind, ctor), tuple(args), dict(kwargs)))
    return batch


class State:
    """What the code in scope keeps between calls, as it was right after import.

    A cache filled by one pass would make every later pass time lookups instead of the
    work (and an agent could win the score by adding one): dicts, lists and sets held by
    the modules in scope, their classes, and their functions' defaults and closures are
    put back as they were after import, and functools caches are cleared, before every
    pass.
    """

    def __init__(self, names: list[str]) -> None:
        self.names = set(names)  # modules in scope (imported here, after the path is set)
        self.containers: list[tuple[Any, Any]] = []
        self.caches: list[Any] = []
        self._seen: set[int] = set()
        for name in names:
            module = importlib.import_module(name)
            for name, value in list(vars(module).items()):
                if name.startswith("__"):
                    continue
                self._add(value)
                if isinstance(value, type) and value.__module__ in self.names:
                    for attr, inner in list(vars(value).items()):
                        if not attr.startswith("__"):
                            self._add(getattr(inner, "__func__", inner))

    def _add(self, value: Any) -> None:
        if id(value) in self._seen:
            return
        self._seen.add(id(value))
        if isinstance(value, functools._lru_cache_wrapper):
            self.caches.append(value)
            value = value.__wrapped__
        if isinstance(value, (dict, list, set)):
            self.containers.append((value, copy.copy(value)))
        elif isinstance(value, types.FunctionType) and value.__module__ in self.names:
            inner = [*(value.__defaults__ or ()), *(value.__kwdefaults__ or {}).values()]
            for cell in value.__closure__ or ():
                try:
                    inner.append(cell.cell_contents)
                except ValueError:  # an empty cell
                    continue
            for item in inner:
                self._add(item)

    def reset(self) -> None:
        for container, kept in self.containers:
            try:
                same = len(container) == len(kept) and (len(kept) > 256 or container == kept)
            except Exception:  # noqa: BLE001 - values that cannot be compared: put back
                same = False
            if same:
                continue
            if isinstance(container, list):
                container[:] = kept
            else:
                container.clear()
                container.update(kept)
        for cache in self.caches:
            cache.cache_clear()


def drain(value: Any) -> None:
    """Consume a lazy result: returning a generator instead of the work is no speed-up."""
    if hasattr(value, "__next__") and not hasattr(value, "read"):
        for _ in itertools.islice(value, 10_000):
            pass


def one_pass(calls: list[tuple[Any, ...]], state: State) -> float:
    """CPU seconds (this process's) of one pass over the calls, from the state after import."""
    batch = prepare(calls)
    state.reset()
    start = time.process_time()
    for func, args, kwargs in batch:
        drain(func(*args, **kwargs))
    return time.process_time() - start


def peak_kib(calls: list[tuple[Any, ...]], state: State) -> float:
    """The sum over the calls of each call's peak of newly allocated memory, in KiB."""
    batch = prepare(calls)
    state.reset()
    gc.collect()
    tracemalloc.start()
    total = 0
    try:
        for func, args, kwargs in batch:
            before = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            result = func(*args, **kwargs)
            drain(result)
            total += max(0, tracemalloc.get_traced_memory()[1] - before)
            del result
    finally:
        tracemalloc.stop()
    return total / 1024


def milliseconds(seconds: float) -> str:
    """At least four significant digits, as plain decimals (no exponent for the regex)."""
    ms = seconds * 1000
    digits = 3 if ms <= 0 else max(3, 3 - math.floor(math.log10(ms)))
    return f"{ms:.{digits}f}"


def main() -> None:
    sys.path[:0] = [str(HERE / root) for root in IMPORT_ROOTS]
    calls = load_calls()
    state = State(MODULES)
    if METRIC == "memory":
        score = min(peak_kib(calls, state) for _ in range(ROUNDS))
        print(f"calls: {len(calls)}, rounds: {ROUNDS}")
        print(f"SCORE: {score:.3f} KiB")
        return
    first = min(one_pass(calls, state) for _ in range(3))
    passes = max(1, min(100_000, round(ROUND_SECONDS / max(first, 1e-7))))
    rounds = []
    for _ in range(ROUNDS):
        gc.collect()
        rounds.append(sum(one_pass(calls, state) for _ in range(passes)) / passes)
    print(
        f"calls: {len(calls)}, passes per round: {passes}, rounds: {ROUNDS}, put back before "
        f"each pass: {len(state.containers)} containers, {len(state.caches)} caches; "
        f"CPU ms per pass: {' '.join(milliseconds(r) for r in rounds)}"
    )
    print(f"SCORE: {milliseconds(min(rounds))} ms")


if __name__ == "__main__":
    main()
