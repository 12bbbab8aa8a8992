"""Planning: which calls to record for each target, before the baseline is probed.

For every target the plan lists candidate calls, each with an id saying where its
input came from (``real-N``: the project's own tests; ``sample-N`` and ``random-N``:
inferred from annotations, defaults, docstrings and names; ``<risk>-<param>-N``: an
edge value probing a catalog risk) and whether the input is *valid* for its inferred
type (a crash of the baseline on a valid edge input is a finding, not a frozen
behaviour). Values here are builtins only: user objects from the tracer stay pickled.
"""

from __future__ import annotations

import pickle
import random
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pytest_autoimprove.generators.discover import ModuleInfo, Param, Target
from pytest_autoimprove.generators.literals import EVAL_BUILTINS
from pytest_autoimprove.generators.performance.tracer import TracedCall
from pytest_autoimprove.generators.performance.values import (
    Kind,
    edge_values,
    infer_kind,
    random_value,
    sample_values,
    strategy_source,
)

__all__ = ["Candidate", "TargetCandidates", "plan_module"]

#: Recorded real calls kept per target, random calls added, edge cases per parameter.
MAX_REAL = 12
N_RANDOM = 4
MAX_EDGES_PER_PARAM = 10


@dataclass(frozen=True)
class Candidate:
    """One call to probe on the baseline."""

    id: str
    group: str  # "recorded" or "edge"
    risk: str
    payload: bytes
    valid: bool
    origin: str  # "real", "sample", "random", "edge", "discovery", "base"
    describe: str = ""
    #: The parameter an edge candidate varies (the others keep the base call's values).
    param: str = ""
    #: Type names of the values passed (and of their items), to tell a type confusion.
    types: frozenset[str] = frozenset()


@dataclass
class TargetCandidates:
    """A target, its inferred parameter kinds and its candidate calls."""

    target: Target
    kinds: dict[str, Kind]
    candidates: list[Candidate] = field(default_factory=list)
    strategies: dict[str, str] | None = None
    #: The candidate calling with every parameter at an ordinary value: edge
    #: candidates differ from it in one parameter, and a crash on an edge is a finding
    #: only when this call works.
    base_id: str | None = None


def _eval_source(text: str | None) -> tuple[bool, Any]:
    if text is None:
        return False, None
    try:
        return True, eval(text, {"__builtins__": EVAL_BUILTINS})  # noqa: S307
    except Exception:  # noqa: BLE001 - not a literal we can read
        return False, None


def _traced_values(calls: Sequence[TracedCall], name: str) -> tuple[list[object], list[str]]:
    values, sources = [], []
    for call in calls:
        source = call["sources"].get(name)
        ok, value = _eval_source(source)
        if ok and source is not None and source not in sources:
            values.append(value)
            sources.append(source)
    return values, sources


def _build_call(
    params: Sequence[Param], chosen: Mapping[str, object]
) -> tuple[tuple[object, ...], dict[str, object]] | None:
    """Positional arguments for required positional params, keywords for the others."""
    args: list[object] = []
    kwargs: dict[str, object] = {}
    for p in params:
        if p.kind in ("star", "double_star"):
            continue
        if p.name not in chosen:
            if p.default is None:
                return None
            continue
        if p.kind == "positional" and p.default is None:
            args.append(chosen[p.name])
        else:
            kwargs[p.name] = chosen[p.name]
    return tuple(args), kwargs


#: Summed left to right this gives 0.6000000000000001; in any other order, or with
#: ``math.fsum``, something else. One value an edge case can show a reordered sum with.
FLOAT_ORDER = (1e16, 1.0, -1e16, 0.1, 0.2, 0.3)


def _float_order_edge(
    usable: Sequence[Param],
    kinds: Mapping[str, Kind],
    base: Mapping[str, object],
    add: Callable[..., str | None],
) -> None:
    """One edge call where every numeric sequence parameter holds order-sensitive floats.

    Edge cases vary one parameter at a time, but a sum over ``zip(a, b)`` only shows
    its order when both sequences are long: here the first numeric sequence gets
    :data:`FLOAT_ORDER` and the others ones (so products keep it). Only where floats
    are known to be taken (a float sequence parameter).
    """
    numeric = [
        p
        for p in usable
        if kinds[p.name].name in ("list", "tuple")
        and kinds[p.name].item is not None
        and kinds[p.name].item.name in ("int", "float")  # type: ignore[union-attr]
    ]
    if not any(kinds[p.name].item.name == "float" for p in numeric):  # type: ignore[union-attr]
        return
    chosen = dict(base)
    for i, p in enumerate(numeric):
        values = list(FLOAT_ORDER) if i == 0 else [1.0] * len(FLOAT_ORDER)
        chosen[p.name] = tuple(values) if kinds[p.name].name == "tuple" else values
    add("changed-floats-0", "edge", "changed-floats", chosen, False, "edge")


def _types(chosen: Mapping[str, object]) -> frozenset[str]:
    names: set[str] = set()
    for value in chosen.values():
        names.add(type(value).__name__)
        if isinstance(value, (list, tuple, set, frozenset)):
            names.update(type(v).__name__ for v in list(value)[:20])
        elif isinstance(value, dict):
            names.update(type(v).__name__ for v in list(value.values())[:20])
    return frozenset(names)


def plan_module(
    info: ModuleInfo,
    traced: Mapping[str, Sequence[TracedCall]],
    *,
    forced: Mapping[str, Mapping[str, Kind]] | None = None,
) -> list[TargetCandidates]:
    """Candidate calls for every target of ``info`` (deterministic).

    :param forced: ``qualname -> param -> kind`` found by discovery (see
        :func:`discovered_kinds`), used where inference knew nothing.
    """
    plans = []
    for target in info.targets:
        calls = list(traced.get(target.qualname, ()))
        plans.append(_plan_target(info, target, calls, (forced or {}).get(target.qualname, {})))
    return plans


#: Kinds tried, in order, on parameters nothing is known about (untyped, unused by the
#: project's tests, uninformative names): the first the baseline accepts is used.
DISCOVERY_KINDS: tuple[Kind, ...] = (
    Kind("float"),
    Kind("int"),
    Kind("str"),
    Kind("list", Kind("float")),
    Kind("list", Kind("str")),
    Kind("dict", Kind("int")),
)


def _unknown(kind: Kind) -> bool:
    """Nothing is known (untyped, unused by the tests), or only that it is iterated."""
    if kind.traced:
        return False
    return kind.name == "unknown" or (
        kind.name == "list" and kind.item is not None and kind.item.name == "unknown"
    )


def _as(kind: Kind, found: Kind) -> Kind:
    """``found`` for an unknown parameter; a list of ``found``'s scalars for an iterated one."""
    if kind.name == "unknown":
        return Kind(found.name, found.item)
    return Kind("list", found.item or Kind(found.name), optional=kind.optional)


def discovered_kinds(plan: TargetCandidates, ok_ids: set[str]) -> dict[str, Kind]:
    """Kinds for the unknown parameters of ``plan``, from the discovery calls that worked."""
    for kind in DISCOVERY_KINDS:
        if f"discover-{_kind_id(kind)}" in ok_ids:
            return {name: _as(k, kind) for name, k in plan.kinds.items() if _unknown(k)}
    return {}


def _kind_id(kind: Kind) -> str:
    return kind.name if kind.item is None else f"{kind.name}-{kind.item.name}"


def _plan_target(
    info: ModuleInfo, target: Target, calls: list[TracedCall], forced: Mapping[str, Kind]
) -> TargetCandidates:
    kinds: dict[str, Kind] = {}
    traced_sources: dict[str, list[str]] = {}
    for p in target.params:
        values, sources = _traced_values(calls, p.name)
        kinds[p.name] = forced.get(p.name) or infer_kind(p, target.docstring, values)
        traced_sources[p.name] = sources
    plan = TargetCandidates(target, kinds)
    # Methods are called on an instance built by a recorded or inferred constructor call;
    # the probe picks the first constructor call that works ("auto").
    ctor: object = "auto" if target.kind in ("method", "property") else None

    for i, call in enumerate(calls[:MAX_REAL]):
        payload = call["payload"]
        plan.candidates.append(
            Candidate(f"real-{i}", "recorded", "changed-behaviour", payload, True, "real")
        )

    usable = [p for p in target.params if p.kind not in ("star", "double_star")]
    base: dict[str, object] = {}
    for p in usable:
        if p.default is not None:
            continue
        samples = sample_values(kinds[p.name])
        base[p.name] = samples[0] if samples else None
    seen_payloads = {c.payload: c.id for c in plan.candidates}

    def add(
        cid: str,
        group: str,
        risk_id: str,
        chosen: Mapping[str, object],
        valid: bool,
        origin: str,
        param: str = "",
    ) -> str | None:
        """Add a candidate; its id, or the id of an earlier one with the same call."""
        built = _build_call(target.params, chosen)
        if built is None:
            return None
        try:
            payload = pickle.dumps((built[0], built[1], ctor), protocol=4)
        except Exception:  # noqa: BLE001 - cannot happen for builtins; stay safe
            return None
        if payload in seen_payloads:
            return seen_payloads[payload]
        seen_payloads[payload] = cid
        plan.candidates.append(
            Candidate(cid, group, risk_id, payload, valid, origin, "", param, _types(chosen))
        )
        return cid

    confident = all(kinds[p.name].confident for p in usable)
    unknown = [p.name for p in usable if _unknown(kinds[p.name])]
    if unknown:
        # Discovery calls: not frozen, they only tell which kinds the baseline accepts.
        for kind in DISCOVERY_KINDS:
            chosen = dict(base)
            for name in unknown:
                chosen[name] = sample_values(_as(kinds[name], kind))[0]
            add(
                f"discover-{_kind_id(kind)}",
                "discovery",
                "changed-behaviour",
                chosen,
                False,
                "discovery",
            )
    if not calls or not usable:
        plan.base_id = add("sample-0", "recorded", "changed-behaviour", base, confident, "sample")
    # A second ordinary input, so sequence tests have an "a, b, a" to play.
    second = dict(base)
    for p in usable:
        samples = sample_values(kinds[p.name])
        if p.name in second and len(samples) > 1:
            second[p.name] = samples[1]
    add("sample-1", "recorded", "changed-behaviour", second, confident, "sample")

    for p in usable:
        kind = kinds[p.name]
        for j, (value, risk_id) in enumerate(edge_values(kind)[:MAX_EDGES_PER_PARAM]):
            chosen = dict(base)
            chosen[p.name] = value
            valid = kind.confident or (value is None and kind.optional)
            add(f"{risk_id}-{p.name}-{j}", "edge", risk_id, chosen, valid, "edge", p.name)
    _float_order_edge(usable, kinds, base, add)

    seed = zlib.crc32(f"{info.name}:{target.qualname}".encode())
    rng = random.Random(seed)
    for i in range(N_RANDOM if usable else 0):
        chosen = dict(base)
        for p in usable:
            if p.default is None or rng.random() < 0.3:
                chosen[p.name] = random_value(kinds[p.name], rng)
        add(f"random-{i}", "recorded", "changed-behaviour", chosen, confident, "random")

    if plan.base_id is None:
        # Not frozen (real inputs cover ordinary behaviour): only judges edge crashes.
        # Added last, so a frozen candidate making the same call stands for it.
        plan.base_id = add("base", "base", "changed-behaviour", base, False, "base")

    strategies: dict[str, str] | None = {}
    for p in usable:
        source = strategy_source(kinds[p.name], traced_sources[p.name][:20])
        if source is None:
            if p.default is None:
                strategies = None
                break
            continue
        assert strategies is not None
        strategies[p.name] = source
    plan.strategies = strategies
    return plan
