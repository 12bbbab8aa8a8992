"""The text of the benchmark ``init`` writes: a plain script, readable and frozen.

The script depends on nothing but the standard library and the code it times, so a
person can read it, run it, and see what the score means. Calls whose values have
a literal form are written inline; the others are pickled in a file beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["BenchCall", "render"]


@dataclass(frozen=True)
class BenchCall:
    """One call the benchmark makes.

    :param source: ``(args, kwargs, ctor)`` as source text, or ``None`` when the call
        lives in the pickle file (``payload``).
    :param fresh: the call changes its arguments or its instance, so each call gets
        fresh copies (made outside the timed part).
    """

    module: str
    qualname: str
    kind: str
    fresh: bool
    source: tuple[str, str, str] | None = None
    payload: bytes | None = None


_HEADER = {
    "time": '''"""Speed benchmark written by `autoimprove-guard init` (frozen by the guard lock).

Times the code in scope, in this one process, on {n_calls} calls {origin}:
each round makes every call {loops} time(s); the score is the fastest round's CPU
time for one pass over the calls (the loop's own cost, shown beside it, included).
Interpreter start-up, imports and argument copies are not in it, so a change to the
code in scope moves it by its own share; and CPU time, unlike wall time, does not
count the moments other programs had the CPU, so a busy machine does not move it
(code that mostly waits, on files, the network or sleep, needs a benchmark of its
own: pass it to init with --run):

    SCORE: <milliseconds> ms

Targets: {targets}.
Calls that raised on the baseline are not timed; lazy results are consumed.
Regenerate with `autoimprove-guard init --force`, or edit CALLS and run
`autoimprove-guard freeze`.
"""''',
    "memory": '''"""Memory benchmark written by `autoimprove-guard init` (frozen by the guard lock).

Measures the code in scope, in this one process, on {n_calls} calls {origin}:
the score is the sum over the calls of each call's peak of newly allocated memory
(tracemalloc), the lowest of the rounds:

    SCORE: <KiB> KiB

Targets: {targets}.
Calls that raised on the baseline are not measured; lazy results are consumed.
Regenerate with `autoimprove-guard init --force`, or edit CALLS and run
`autoimprove-guard freeze`.
"""''',
}

_BODY = '''
import copy
import gc
import importlib
import itertools
import math
import pickle
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Where the code in scope is imported from (relative to this file): the worktree's copy.
IMPORT_ROOTS = {import_roots!r}
METRIC = {metric!r}
ROUNDS = {rounds}
LOOPS = {loops}
#: (module, qualname, kind, args, kwargs, constructor (args, kwargs), fresh copies per call)
CALLS = [
{calls}
]
#: Calls whose values have no literal form, pickled beside this file.
PICKLED = {pickled!r}


def load_calls():
    calls = list(CALLS)
    if PICKLED:
        with open(HERE / PICKLED, "rb") as handle:
            for module, qualname, kind, payload, fresh in pickle.load(handle):
                args, kwargs, ctor = pickle.loads(payload)
                calls.append((module, qualname, kind, args, kwargs, ctor, fresh))
    return calls


def bind(module, qualname, kind, ctor):
    """The callable to time (a method is bound to an instance built outside the timing)."""
    owner = importlib.import_module(module)
    if kind == "function":
        return getattr(owner, qualname)
    class_name, _, name = qualname.partition(".")
    cls = getattr(owner, class_name)
    if kind == "constructor":
        return cls
    if kind != "method":
        return getattr(cls, name)
    if ctor is not None and ctor[0] is None:
        instance = copy.deepcopy(ctor[1])
    else:
        args, kwargs = ctor if ctor is not None else ((), {{}})
        instance = cls(*copy.deepcopy(args), **copy.deepcopy(kwargs))
    return getattr(instance, name)


def prepare(calls, loops):
    """Everything one round calls, fresh copies made now (not while the clock runs)."""
    fixed = {{}}
    batch = []
    for _ in range(loops):
        for index, (module, qualname, kind, args, kwargs, ctor, fresh) in enumerate(calls):
            if fresh:
                batch.append((bind(module, qualname, kind, ctor),) + copy.deepcopy((args, kwargs)))
                continue
            if index not in fixed:
                fixed[index] = (bind(module, qualname, kind, ctor), args, kwargs)
            batch.append(fixed[index])
    return batch


def drain(value):
    """Consume a lazy result: returning a generator instead of the work is no speed-up."""
    if hasattr(value, "__next__") and not hasattr(value, "read"):
        for _ in itertools.islice(value, 10000):
            pass


def nothing(*args, **kwargs):
    return None


def timed(batch, loops):
    """CPU seconds per pass (this process's, all threads)."""
    gc.collect()
    start = time.process_time()
    for func, args, kwargs in batch:
        drain(func(*args, **kwargs))
    return (time.process_time() - start) / loops


def overhead(batch, loops):
    """The loop's own cost per pass (calling a function that does nothing); shown, not
    subtracted: for calls as cheap as the loop, a difference of two noisy times is noise."""
    empty = [(nothing, args, kwargs) for _, args, kwargs in batch]
    return min(timed(empty, loops) for _ in range(3))


def milliseconds(seconds):
    """At least four significant digits, as plain decimals (no exponent for the regex)."""
    ms = seconds * 1000
    digits = 3 if ms <= 0 else max(3, 3 - math.floor(math.log10(ms)))
    return f"{{ms:.{{digits}}f}}"


def peak_kib(batch):
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


def main():
    sys.path[:0] = [str(HERE / root) for root in IMPORT_ROOTS]
    calls = load_calls()
    if METRIC == "memory":
        score = min(peak_kib(prepare(calls, 1)) for _ in range(ROUNDS))
        print(f"calls: {{len(calls)}}, rounds: {{ROUNDS}}")
        print(f"SCORE: {{score:.3f}} KiB")
        return
    rounds = []
    cost = None
    for _ in range(ROUNDS):
        batch = prepare(calls, LOOPS)
        if cost is None:
            cost = overhead(batch, LOOPS)
        rounds.append(timed(batch, LOOPS))
        del batch
    print(f"calls: {{len(calls)}}, loops: {{LOOPS}}, rounds: {{ROUNDS}}; CPU ms per pass: "
          f"{{' '.join(milliseconds(r) for r in rounds)}}; of which the loop itself: "
          f"{{milliseconds(cost)}}")
    print(f"SCORE: {{milliseconds(min(rounds))}} ms")


if __name__ == "__main__":
    main()
'''


def render(
    calls: Sequence[BenchCall],
    *,
    metric: str,
    rounds: int,
    loops: int,
    import_roots: Sequence[str],
    pickled: str | None,
    origin: str,
    targets: Sequence[str],
) -> str:
    """The script's text (deterministic for the same calls and settings)."""
    lines = []
    for call in calls:
        if call.source is None:
            continue
        args, kwargs, ctor = call.source
        lines.append(
            f"    ({call.module!r}, {call.qualname!r}, {call.kind!r}, {args}, {kwargs}, "
            f"{ctor}, {call.fresh!r}),"
        )
    shown = ", ".join(targets[:12]) + (
        f" and {len(targets) - 12} more" if len(targets) > 12 else ""
    )
    header = _HEADER[metric].format(
        n_calls=len(calls), origin=origin, loops=loops, targets=shown or "none"
    )
    body = _BODY.format(
        import_roots=list(import_roots),
        metric=metric,
        rounds=rounds,
        loops=loops,
        calls="\n".join(lines),
        pickled=pickled,
    )
    return header + "\n" + body
