"""The steps of a class's sequence test: its methods' recorded calls, and the same calls
on shared argument values.

A sequence test finds a stale cache, a lost update or a read that no longer refreshes
an entry only when its calls meet on the same value: a ``__getitem__`` of a key that no
``__setitem__`` stored only ever tests the miss path. The recorded calls of different
methods rarely share values (each method's inputs come from its own sources), so the
values of a parameter that several methods of the class take (``key``, ``name``,
``index``) are pooled, and every such method is also called with the pool's values.
The steps are plain calls beside the baseline copy: whatever the baseline answers
(a value or an exception) is what the current code must answer, so pooled calls need
no probing of their own.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

#: Recorded calls kept per method, values pooled per shared parameter, steps in all.
STEPS_PER_METHOD = 3
POOL_SIZE = 4
MAX_STEPS = 24
MAX_SCENARIOS = 6
#: Values a fixed scenario stores: more than a small bounded container holds.
SCENARIO_VALUES = 12
#: Constructor calls every fixed scenario is played on (see :func:`scenario_ctors`).
SCENARIO_CTORS = 4


@dataclass(frozen=True)
class Step:
    """One method call of a sequence: sources of its positional arguments and keywords."""

    method: str
    params: tuple[str, ...]
    args: tuple[str, ...]
    kwargs: str

    def source(self) -> str:
        """The step as the generated test writes it: ``(name, args, kwargs)``."""
        args = ", ".join(self.args) + ("," if len(self.args) == 1 else "")
        return f"({self.method!r}, ({args}), {self.kwargs})"

    def position(self, name: str) -> int | None:
        """Where the call passes parameter ``name`` positionally (``None``: it does not)."""
        index = self.params.index(name) if name in self.params else None
        return index if index is not None and index < len(self.args) else None

    def with_arg(self, index: int, value: str) -> Step:
        args = list(self.args)
        args[index] = value
        return Step(self.method, self.params, tuple(args), self.kwargs)


@dataclass
class ClassSteps:
    """The recorded calls of one class's methods, in the order they were planned."""

    by_method: dict[str, list[Step]] = field(default_factory=dict)
    #: Values of each parameter in calls the baseline answered without raising.
    answered: dict[str, list[str]] = field(default_factory=dict)

    def add(self, step: Step, *, raised: bool) -> None:
        seen = self.by_method.setdefault(step.method, [])
        if len(seen) < STEPS_PER_METHOD:
            seen.append(step)
        if raised:
            return
        # A positional argument past the named parameters fills ``*args``: not pooled.
        for name, value in zip(step.params, step.args, strict=False):
            values = self.answered.setdefault(name, [])
            if value not in values:
                values.append(value)

    def inherit(self, base: ClassSteps) -> None:
        """Take the recorded calls of ``base``'s methods this class does not define (an
        inherited ``get`` plays on a subclass's entries, which may expire)."""
        for method, steps in base.by_method.items():
            if method not in self.by_method and method != "__init__":
                self.by_method[method] = list(steps)
        for name, values in base.answered.items():
            mine = self.answered.setdefault(name, [])
            mine += [v for v in values if v not in mine]

    def pools(self) -> dict[str, list[str]]:
        """Per parameter that two or more methods take: a few values, answered ones first."""
        takers: dict[str, set[str]] = {}
        for method, steps in self.by_method.items():
            for step in steps:
                for name in step.params[: len(step.args)]:
                    takers.setdefault(name, set()).add(method)
        out: dict[str, list[str]] = {}
        for name, methods in takers.items():
            if len(methods) < 2:
                continue
            values = list(self.answered.get(name, []))
            for step in itertools.chain.from_iterable(self.by_method.values()):
                at = step.position(name)
                if at is not None and step.args[at] not in values:
                    values.append(step.args[at])
            if len(values) >= 2:
                out[name] = values[:POOL_SIZE]
        return out

    def played(self) -> list[str]:
        """The steps of the sequence test: recorded calls, then the pooled ones."""
        rows = [[s for s in row if s] for row in itertools.zip_longest(*self.by_method.values())]
        pooled: list[Step] = []
        pools = self.pools()
        for steps in self.by_method.values():
            first = steps[0]
            for index, name in enumerate(first.params[: len(first.args)]):
                for value in pools.get(name, ()):
                    step = first.with_arg(index, value)
                    if step not in steps and step not in pooled:
                        pooled.append(step)
        # Each method's first recorded call, then the pooled calls, then the other
        # recorded ones: truncation keeps every method and the shared values.
        later = [s for row in rows[1:] for s in row]
        ordered = dict.fromkeys([*rows[0], *pooled, *later]) if rows else {}
        played = [s.source() for s in ordered]
        return played[:MAX_STEPS]

    def scenarios(self) -> list[list[str]]:
        """Fixed sequences on the pooled values, run before the drawn ones: what a
        random draw from many steps almost never lines up.

        *Rounds*: every method taking the value, on each value in turn (methods that
        store first, those that remove last, each after the values are stored again, so
        reads and removals meet stored values). *Touch*:
        store the values one by one, reading the first after each, then read them all:
        a cache smaller than the pool keeps the first only if a read refreshes it.
        *Store again*: store them all, then again in reverse order (the newest, still
        held, first), then read them all: an update that evicts, or counts its size
        twice, as if the key were new.
        """
        out: list[list[str]] = []
        for name, pooled in self.pools().items():
            values = _widened(pooled)
            firsts = [steps[0] for steps in self.by_method.values()]
            takers = [(s, at) for s in firsts if (at := s.position(name)) is not None]
            takers.sort(key=lambda taker: (_removes(taker[0].method), len(taker[0].args) < 2))
            store, at = takers[0]
            rounds: list[Step] = []
            for step, i in takers:
                if _removes(step.method) and step is not store:
                    rounds += [store.with_arg(at, v) for v in pooled]  # each removes a hit
                rounds += [step.with_arg(i, v) for v in pooled]
            found = [rounds[: 2 * MAX_STEPS]]
            readers = [
                (s, i)
                for s, i in takers
                if len(s.args) == 1 and s != store and not _removes(s.method)
            ]
            for read, i in readers[:3]:
                hot = read.with_arg(i, values[0])
                touch = [store.with_arg(at, values[0])]
                for value in values[1:]:
                    touch += [store.with_arg(at, value), hot]
                touch += [read.with_arg(i, value) for value in values]
                found.append(touch)
            if len(store.args) > 1 and readers:
                read, i = readers[0]
                again = [store.with_arg(at, value) for value in [*values, *reversed(values)]]
                again += [read.with_arg(i, value) for value in values]
                found.insert(1, again)
            out += [[s.source() for s in steps] for steps in found]
        return out[:MAX_SCENARIOS]


#: Method names (without underscores) that start like these take an entry out.
_REMOVING = ("del", "pop", "remove", "discard", "evict", "invalidate", "clear", "drop", "purge")


def _removes(method: str) -> bool:
    """Whether ``method`` reads like one that takes an entry out (``__delitem__``, ``pop``)."""
    return method.strip("_").lower().startswith(_REMOVING)


def _widened(values: list[str]) -> list[str]:
    """The pool grown to :data:`SCENARIO_VALUES` with values like its first one, so that
    a touch sequence overflows a bounded container built with a capacity of ten."""
    try:
        first = ast.literal_eval(values[0])
    except (ValueError, SyntaxError):
        return values
    if isinstance(first, bool) or not isinstance(first, (str, int)):
        return values
    out = list(values)
    for i in itertools.count(1):
        if len(out) >= SCENARIO_VALUES:
            break
        made = repr(f"{first}-{i}") if isinstance(first, str) else repr(first + i)
        if made not in out:
            out.append(made)
    return out


def scenario_ctors(ordinary: Sequence[str], edges: Sequence[tuple[str, str]]) -> list[str]:
    """A sequence test's constructor calls: two ordinary ones, then two with an edge
    value of different parameters (a capacity of 0, a lifetime of 0: where eviction
    and expiry meet their boundary), then a third ordinary one; the first
    :data:`SCENARIO_CTORS` play every fixed scenario. ``edges``: (parameter, call)."""
    first = list(ordinary[:2])
    edge: list[str] = []
    varied: set[str] = set()
    for param, call in edges:
        if param not in varied and call not in first and call not in edge and len(edge) < 2:
            varied.add(param)
            edge.append(call)
    return first + edge + [o for o in ordinary[2:3] if o not in first + edge]


def base_chains(direct: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Each class's bases defined beside it, nearest first, from its direct bases
    (``{"TTLCache": ["Cache"]}``): a base's methods are the subclass's too."""
    out: dict[str, list[str]] = {}
    for name in direct:
        chain: list[str] = []
        todo = list(direct[name])
        while todo:
            base = todo.pop(0)
            if base in direct and base not in chain and base != name:
                chain.append(base)
                todo += direct[base]
        out[name] = chain
    return out


def step_of(method: str, params: Sequence[str], args: Sequence[str], kwargs: str) -> Step:
    """A step from a recorded call's argument sources."""
    return Step(method, tuple(params), tuple(args), kwargs)
