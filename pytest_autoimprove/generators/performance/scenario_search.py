"""Sequences of method calls that tell a mutant of a class from the baseline.

A mutant of a stateful class's method often answers every single call on a fresh
instance exactly as the baseline does: ``get`` that no longer looks at what was
stored answers the default on an empty cache either way, an update counted as a new
entry only shows once the container is full. Single inputs (:mod:`.search`) cannot
tell those apart; a short sequence on one instance can: a store then the mutated
read, a read between two stores. This module tries such sequences, built from the
steps of the class's own sequence test (its methods' ordinary calls, on shared
values) and the target's planned calls, with
:func:`~pytest_autoimprove.runtime.stateful.check_calls`, the check the frozen
sequence test runs. A sequence counts only when the baseline plays it the same way
twice and a freshly loaded mutant fails it again; it is then frozen as one more fixed
scenario of the class's sequence test.
"""

from __future__ import annotations

import itertools
import pickle
import random
import time
import types
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pytest_autoimprove.generators.literals import EVAL_BUILTINS, to_source
from pytest_autoimprove.generators.performance.probe import _CallTimeout, _deadline
from pytest_autoimprove.generators.performance.sequences import SCENARIO_CTORS
from pytest_autoimprove.runtime.stateful import check_calls

__all__ = ["find_scenario"]

#: Sequences tried per constructor call, and random three-step ones among them.
MAX_SEQUENCES = 300
RANDOM_TRIPLES = 100
#: Steps of the class's test a search draws from, at most.
MAX_STEPS = 60
#: Seconds one step may take.
STEP_TIMEOUT = 1.5

Step = tuple[str, tuple[Any, ...], dict[str, Any]]


def find_scenario(
    spec: dict[str, Any],
    baseline: types.ModuleType,
    load_mutant: Callable[[], types.ModuleType],
    stop_at: float,
) -> dict[str, Any] | None:
    """A sequence of calls on one instance that the mutant plays differently, as the
    sources the generated test writes: ``{"ctor": index, "steps": [source, ...]}``.

    ``spec["calls"]`` holds the class's sequence test (``cls``, ``ctors``, ``steps``:
    sources); ``spec["payloads"]`` the target's planned calls. ``None``: nothing found
    before ``stop_at``.
    """
    calls = spec.get("calls")
    if not calls:
        return None
    cls: str = calls["cls"]
    ctors = [c for c in (_evaluate(s) for s in calls["ctors"][:SCENARIO_CTORS]) if c is not None]
    steps = _steps(calls["steps"], spec)
    method = spec["qualname"].rpartition(".")[2]
    hits = steps if spec.get("kind") == "constructor" else [s for s in steps if s[1][0] == method]
    if not ctors or not hits:
        return None
    hits = _on_shared_values(hits, steps)
    mutant = load_mutant()
    rng = random.Random(f"{spec['qualname']}:{spec.get('id')}")
    for index, ctor in enumerate(ctors):
        for sequence in itertools.islice(_sequences(steps, hits, rng), MAX_SEQUENCES):
            if time.monotonic() > stop_at:
                return None
            played = [step for _, step in sequence]
            if not _differs(mutant, baseline, cls, ctor, played):
                continue
            # Deterministic on the baseline, and failing again on a fresh mutant.
            if _differs(baseline, baseline, cls, ctor, played) or _differs(
                baseline, baseline, cls, ctor, played
            ):
                continue
            if _differs(load_mutant(), baseline, cls, ctor, played):
                return {"ctor": index, "steps": [source for source, _ in sequence]}
    return None


def _evaluate(source: str) -> Any:
    try:
        return eval(source, {"__builtins__": EVAL_BUILTINS})  # noqa: S307 - our own text
    except Exception:  # noqa: BLE001 - a source that does not evaluate here is skipped
        return None


def _steps(sources: Sequence[str], spec: dict[str, Any]) -> list[tuple[str, Step]]:
    """The class test's steps, then the target's own planned calls as steps."""
    out: list[tuple[str, Step]] = []
    for source in dict.fromkeys(sources):
        step = _evaluate(source)
        if isinstance(step, tuple) and len(step) == 3:
            out.append((source, (step[0], tuple(step[1]), dict(step[2]))))
    method = spec["qualname"].rpartition(".")[2]
    if spec.get("kind") == "method":
        seen = {source for source, _ in out}
        for _, payload in spec.get("payloads", ()):
            try:
                args, kwargs, _ctor = pickle.loads(payload)  # noqa: S301 - our own data
            except Exception:  # noqa: BLE001, S112 - a value that no longer loads
                continue
            step = _step(method, tuple(args), dict(kwargs))
            if step is not None and step[0] not in seen:
                seen.add(step[0])
                out.append(step)
    return out[:MAX_STEPS]


def _step(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[str, Step] | None:
    """A call as a step and its source, as the sequence test writes it (``None``: its
    arguments cannot be written as source)."""
    args_source, kwargs_source = to_source(args), to_source(kwargs)
    if args_source is None or kwargs_source is None:
        return None
    return f"({name!r}, {args_source}, {kwargs_source})", (name, args, kwargs)


def _on_shared_values(
    hits: Sequence[tuple[str, Step]], steps: Sequence[tuple[str, Step]]
) -> list[tuple[str, Step]]:
    """The target's calls, and the same calls with their first argument replaced by the
    first argument of each other step (a ``get`` of the key a ``put`` stored)."""
    out = list(hits)
    seen = {source for source, _ in hits}
    values = [step[1][0] for _, step in steps if step[1]]
    for _, (name, args, kwargs) in hits:
        for value in values if args else ():
            step = _step(name, (value, *args[1:]), dict(kwargs))
            if step is not None and step[0] not in seen:
                seen.add(step[0])
                out.append(step)
    return out


def _sequences(
    steps: Sequence[tuple[str, Step]], hits: Sequence[tuple[str, Step]], rng: random.Random
) -> Iterator[list[tuple[str, Step]]]:
    """Short sequences around a call of the target, cheapest first: a step then the
    target; the target, a step, the target again; every step, the target, every step
    again (a full container, then a read of all); then random ones of three and four."""
    for hit in hits:
        for step in steps:
            yield [step, hit]
    for hit in hits:
        for step in steps:
            if step is not hit:
                yield [hit, step, hit]
    for hit in hits:
        yield [*steps, hit, *steps]
    for _ in range(RANDOM_TRIPLES):
        yield [rng.choice(steps), rng.choice(steps), rng.choice(hits)]
        yield [rng.choice(steps), rng.choice(hits), rng.choice(hits), rng.choice(steps)]


def _differs(
    current: types.ModuleType,
    baseline: types.ModuleType,
    cls: str,
    ctor: Any,
    steps: Sequence[Step],
) -> bool:
    """Whether the sequence test fails on ``current`` (a step that hangs counts as no)."""
    try:
        with _deadline(STEP_TIMEOUT * (len(steps) + 1)):
            check_calls(current, baseline, cls, ctor, steps)
    except AssertionError:
        return True
    except (_CallTimeout, Exception):  # noqa: BLE001 - the check itself broke: no evidence
        return False
    return False
