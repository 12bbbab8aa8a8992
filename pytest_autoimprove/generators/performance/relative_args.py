"""Arguments at the instance's own values: ``Range(1, 10)(1)``, ``Length(max=3)("abc")``.

A method that compares an argument with an attribute its constructor set
(``if value < self.min``, ``value <= self.max if self.max_inclusive else ...``) has its
boundary where the argument equals that attribute, a value no literal in the code
names. An optimizer's "the bound is always inclusive" or "``<`` for ``<=``" shows only
there, and often only on an instance built with a flag the other way
(``min_inclusive=False``). For each method comparing a parameter with ``self.<attr>``,
the ordinary call also runs with that parameter at the value the receiver's
constructor call gave the attribute, one below and one above, on each receiver its
class's plan builds (the ordinary ones, those at the bounds, each flag both ways).
Edges of no declared validity: never findings.
"""

from __future__ import annotations

import ast
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pytest_autoimprove.generators.performance.plan import Candidate, TargetCandidates

__all__ = ["held_of", "relative_calls", "relative_of"]

#: Calls added per method (receivers x compared parameters x three values).
MAX_RELATIVE_CALLS = 24
#: Receivers of a method's relative calls.
MAX_RECEIVERS = 6


Function = ast.FunctionDef | ast.AsyncFunctionDef


def relative_of(node: Function, params: set[str]) -> list[tuple[str, str]]:
    """``(parameter, attribute)`` for each comparison of a parameter with ``self.<attr>``."""
    found: list[tuple[str, str]] = []
    for sub in ast.walk(node):
        if not isinstance(sub, ast.Compare):
            continue
        sides = [sub.left, *sub.comparators]
        names = [s.id for s in sides if isinstance(s, ast.Name) and s.id in params]
        attrs = [
            s.attr
            for s in sides
            if isinstance(s, ast.Attribute)
            and isinstance(s.value, ast.Name)
            and s.value.id == "self"
        ]
        for pair in ((n, a) for n in names for a in attrs):
            if pair not in found:
                found.append(pair)
    return found


def held_of(node: Function, params: set[str]) -> dict[str, str]:
    """``attribute -> constructor parameter`` for ``self.<attr> = <param>`` in ``__init__``."""
    held: dict[str, str] = {}
    for sub in ast.walk(node):
        if not isinstance(sub, ast.Assign) or not isinstance(sub.value, ast.Name):
            continue
        for target in sub.targets:
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
                and sub.value.id in params
            ):
                held.setdefault(target.attr, sub.value.id)
    return held


def _receivers(owner: TargetCandidates) -> list[Candidate]:
    """The constructor calls a method's relative calls run on: ordinary ones first, then
    those at a bound or with a flag the other way."""
    # Not the project's own calls: their values are the project's objects, which the
    # generator never loads (it does not import the code it guards).
    ordinary = [c for c in owner.candidates if c.group == "recorded" and c.origin != "real"]
    edges = [
        c
        for c in owner.candidates
        if c.group == "edge"
        and (
            c.id.startswith("bound-")
            or (c.param and (kind := owner.kinds.get(c.param)) is not None and kind.name == "bool")
        )
    ]
    return [*ordinary[:2], *edges][:MAX_RECEIVERS]


def _given(owner: TargetCandidates, payload: bytes, param: str) -> object:
    """The value a constructor call gives ``param``: passed, or its literal default."""
    args, kwargs, _ = pickle.loads(payload)  # noqa: S301 - our own data
    if param in kwargs:
        return kwargs[param]
    names = [p.name for p in owner.target.params if p.kind == "positional"]
    if param in names and names.index(param) < len(args):
        return args[names.index(param)]
    default = next((p.default for p in owner.target.params if p.name == param), None)
    try:
        return ast.literal_eval(default) if default is not None else None
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


def _near(value: object) -> list[object]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return []
    return [value, value - 1, value + 1]


def relative_calls(
    plans: Sequence[TargetCandidates],
    relative: Mapping[str, Sequence[tuple[str, str]]],
    holds: Mapping[str, Mapping[str, str]],
) -> None:
    """Each method's base call with a compared parameter at its receiver's attribute
    (and next to it), on each receiver of :func:`_receivers`.

    :param relative: ``qualname -> (parameter, attribute)`` (see :func:`relative_of`).
    :param holds: ``class -> attribute -> constructor parameter`` (see :func:`held_of`);
        an attribute named like a constructor parameter (a dataclass field) is that one.
    """
    ctors = {p.target.qualname: p for p in plans if p.target.kind == "constructor"}
    for plan in plans:
        pairs = relative.get(plan.target.qualname, ())
        cls = plan.target.qualname.partition(".")[0]
        owner = ctors.get(cls)
        base = next((c for c in plan.candidates if c.id == plan.base_id), None)
        if not pairs or owner is None or base is None or plan.target.kind != "method":
            continue
        args, kwargs, _ = pickle.loads(base.payload)  # noqa: S301 - our own data
        names = [p.name for p in plan.target.params if p.kind == "positional"]
        ctor_params = {p.name for p in owner.target.params}
        seen = {c.payload for c in plan.candidates}
        made: list[Candidate] = []
        for receiver in _receivers(owner):
            made_args, made_kwargs, _ = pickle.loads(receiver.payload)  # noqa: S301
            built = receiver.describe or "its ordinary constructor call"
            for param, attr in pairs:
                source = holds.get(cls, {}).get(attr) or (attr if attr in ctor_params else None)
                if source is None:
                    continue
                for value in _near(_given(owner, receiver.payload, source)):
                    if param in names and names.index(param) < len(args):
                        i = names.index(param)
                        call = ((*args[:i], value, *args[i + 1 :]), kwargs)
                    else:
                        call = (args, {**kwargs, param: value})
                    payload = pickle.dumps(
                        (*call, (tuple(made_args), dict(made_kwargs))), protocol=4
                    )
                    if payload in seen:
                        continue
                    seen.add(payload)
                    made.append(
                        replace(
                            base,
                            id=f"relative-{param}-{len(made)}",
                            group="edge",
                            risk="off-by-one",
                            payload=payload,
                            valid=False,
                            origin="edge",
                            param=param,
                            describe=f"{param} at the instance's {attr} ({value!r}), "
                            f"on an instance built with {built}",
                            types=frozenset(),
                            check=None,
                            evidenced=False,
                        )
                    )
        plan.candidates += made[:MAX_RELATIVE_CALLS]
