"""Planning: which calls to record for each target, before the baseline is probed.

For every target the plan lists candidate calls, each with an id saying where its
input came from (``real-N``: the project's own tests; ``doctest-N``: an example in the
docs; ``sample-N`` and ``random-N``: inferred from annotations, defaults, docstrings
and names; ``regex-P-N`` and ``factory-P-N``: a valid string of a format the module
defines, an object built by a factory in scope; ``<risk>-<param>-N``: an edge value
probing a catalog risk; ``pairwise-N``: edge values of several parameters together),
whether the input is *valid* for the parameter's type, and whether that type rests on
evidence (a crash of the baseline on a valid, evidenced edge input is a finding, not a
frozen behaviour). Values are builtins, or ``Build`` markers (objects built at call
time, see :mod:`pytest_autoimprove.runtime.replay`); user objects from the tracer stay
pickled.
"""

from __future__ import annotations

import pickle
import random
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pytest_autoimprove.generators.discover import ModuleInfo, Param, Target
from pytest_autoimprove.generators.literals import EVAL_BUILTINS, to_source
from pytest_autoimprove.generators.performance.call_edges import (
    float_order_edge,
    keyword_items,
    pairwise_edges,
    slice_edges,
    star_edges,
)
from pytest_autoimprove.generators.performance.clocks import CLOCK, clock_params
from pytest_autoimprove.generators.performance.code_edges import code_edges
from pytest_autoimprove.generators.performance.doctests import DocCall
from pytest_autoimprove.generators.performance.facts import SourceFacts
from pytest_autoimprove.generators.performance.near import near_examples
from pytest_autoimprove.generators.performance.option_keys import option_edges, option_strategy
from pytest_autoimprove.generators.performance.pools import Edge, Pool, Sample, fits
from pytest_autoimprove.generators.performance.receivers import bounded_receivers
from pytest_autoimprove.generators.performance.relative_args import relative_calls
from pytest_autoimprove.generators.performance.shape_calls import shape_calls
from pytest_autoimprove.generators.performance.tracer import TracedCall
from pytest_autoimprove.generators.performance.twins import equal_others
from pytest_autoimprove.generators.performance.values import (
    EVIDENCE,
    Kind,
    edge_values,
    infer_kind,
    random_value,
    sample_values,
    strategy_source,
)

__all__ = ["Candidate", "TargetCandidates", "build_call", "plan_module"]

#: Recorded real calls kept per target, random calls added, edge cases per parameter.
MAX_REAL = 12
#: Examples that get near variants (:mod:`.near`).
MAX_NEAR_EXAMPLES = 2
N_RANDOM = 4
MAX_EDGES_PER_PARAM = 20
#: Values of a pool (annotations, formats, factories) tried per parameter.
MAX_POOL_SAMPLES = 8
MAX_POOL_EDGES = 18


@dataclass(frozen=True)
class Candidate:
    """One call to probe on the baseline."""

    id: str
    group: str  # "recorded" or "edge"
    risk: str
    payload: bytes
    valid: bool
    #: "real", "doctest", "sample", "regex", "format", "factory", "random", "edge", "pairwise",
    #: "discovery", "base"
    origin: str
    #: Where the input came from, for the comment above the frozen case.
    describe: str = ""
    #: The parameter an edge candidate varies (the others keep the base call's values).
    param: str = ""
    #: Type names of the values passed (and of their items), to tell a type confusion.
    types: frozenset[str] = frozenset()
    #: A doctest's (shown output, shown exception, wrapper): the probe checks the
    #: baseline's answer against it.
    check: tuple[str, str, str] | None = None
    #: The input is of a type the code is documented or shown to take (an annotation,
    #: real or documented values, a default...): a crash on it can be a finding.
    evidenced: bool = False


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


def build_call(
    params: Sequence[Param], chosen: Mapping[str, object]
) -> tuple[tuple[object, ...], dict[str, object]] | None:
    """Positional arguments for required positional params, keywords for the others.

    A ``*args`` parameter's chosen tuple goes after the positional ones; then every
    positional parameter before it is passed by position (its default, when not chosen,
    if that default is a literal; else the extra arguments are left out).
    """
    extra = next((chosen[p.name] for p in params if p.kind == "star" and p.name in chosen), ())
    if not isinstance(extra, tuple):
        extra = (extra,)  # one argument (a discovery call's)
    spread = bool(extra) and all(
        p.name in chosen or p.default is None or _eval_source(p.default)[0]
        for p in params
        if p.kind == "positional"
    )
    args: list[object] = []
    kwargs: dict[str, object] = {}
    for p in params:
        items = chosen.get(p.name)
        if p.kind == "double_star" and isinstance(items, dict):
            kwargs.update(items)
        if p.kind in ("star", "double_star"):
            continue
        if p.name not in chosen:
            if p.default is None:
                return None
            if spread and p.kind == "positional":
                args.append(_eval_source(p.default)[1])
            continue
        if p.kind == "positional" and (p.default is None or spread):
            args.append(chosen[p.name])
        else:
            kwargs[p.name] = chosen[p.name]
    if spread:
        args.extend(extra)
    return tuple(args), kwargs


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
    pools: Mapping[str, Mapping[str, Pool]] | None = None,
    documented: Mapping[str, Sequence[DocCall]] | None = None,
    facts: SourceFacts | None = None,
    bases: Mapping[str, Mapping[str, object]] | None = None,
) -> list[TargetCandidates]:
    """Candidate calls for every target of ``info`` (deterministic).

    :param forced: ``qualname -> param -> kind`` found by discovery (see
        :func:`discovered_kinds`), used where inference knew nothing.
    :param pools: ``qualname -> param -> pool`` from the module's own annotations,
        formats and factories (:mod:`.performance.inputs`): they replace the inferred
        kind's values.
    :param documented: ``qualname -> doctest calls``, recorded like real inputs.
    :param facts: what the module's source says of its functions' inputs (literals,
        bounds, number readers, input forms: :mod:`.code_edges`).
    :param bases: ``qualname -> param -> value`` of an ordinary call that works, for
        targets whose planned base call raised (:mod:`.working_base`).
    """
    plans = []
    for target in info.targets:
        q = target.qualname
        own = f"{q}.__init__" if target.kind == "constructor" else q
        calls = list(traced.get(q, ()))
        plans.append(
            _plan_target(
                info,
                target,
                calls,
                (forced or {}).get(q, {}),
                (pools or {}).get(q, {}),
                (documented or {}).get(q, ()),
                facts,
                own,
                (bases or {}).get(q, {}),
            )
        )
    bounded_receivers(plans)
    if facts is not None:
        relative_calls(plans, facts.relative, facts.holds)
    equal_others(plans)
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


def _guessed(kind: Kind) -> bool:
    """Typed from the parameter's name alone, which can mislead (``base``: a number base
    in one module, a mapping in another)."""
    return not kind.traced and kind.evidence == "name"


def _as(kind: Kind, found: Kind) -> Kind:
    """``found`` for an unknown parameter; a list of ``found``'s scalars for an iterated one."""
    if kind.name == "unknown" or _guessed(kind):
        return Kind(found.name, found.item, evidence="discovery")
    return Kind(
        "list", found.item or Kind(found.name), optional=kind.optional, evidence="discovery"
    )


def discovered_kinds(plan: TargetCandidates, ok_ids: set[str]) -> dict[str, Kind]:
    """Kinds for the unknown parameters of ``plan``, from the discovery calls that worked.

    ``ok_ids``: the ids of the plan's candidates the baseline answered. When the
    ordinary call failed, parameters typed by their names alone are rediscovered too.
    """
    for kind in DISCOVERY_KINDS:
        if f"discover-{_kind_id(kind)}" in ok_ids:
            return {name: _as(k, kind) for name, k in plan.kinds.items() if _unknown(k)}
    if plan.base_id in ok_ids:
        return {}
    for kind in DISCOVERY_KINDS:
        if f"rediscover-{_kind_id(kind)}" in ok_ids:
            return {
                name: _as(k, kind) for name, k in plan.kinds.items() if _unknown(k) or _guessed(k)
            }
    return {}


def _kind_id(kind: Kind) -> str:
    return kind.name if kind.item is None else f"{kind.name}-{kind.item.name}"


def _doc_traced(doc: DocCall, target: Target) -> TracedCall:
    """A doctest call in the tracer's shape, so its values inform the kinds like real ones."""
    positional = [p.name for p in target.params if p.kind == "positional"]
    sources = {n: to_source(v) for n, v in zip(positional, doc.args, strict=False)}
    star = _star(target)
    if star is not None and len(doc.args) > len(positional):
        sources[star.name] = to_source(tuple(doc.args[len(positional) :]))
    sources.update({n: to_source(v) for n, v in doc.kwargs.items()})
    return {"payload": b"", "sources": sources}


def _star(target: Target) -> Param | None:
    """The target's ``*args`` parameter, if it has one."""
    return next((p for p in target.params if p.kind == "star"), None)


def _near_examples(i: int, doc: DocCall, target: Target, ctor: object) -> list[Candidate]:
    """The example's near variants (:mod:`.near`) as edge candidates: never findings."""
    names = [p.name for p in target.params if p.kind == "positional"]
    out: list[Candidate] = []
    for near in near_examples(doc.args, doc.kwargs):
        payload = pickle.dumps((near.args, near.kwargs, doc.ctor or ctor), protocol=4)
        index = near.index
        param = names[index] if index is not None and index < len(names) else ""
        out.append(
            Candidate(
                f"example-near-{i}-{near.key}",
                "edge",
                near.risk,
                payload,
                False,
                "edge",
                f"example at {doc.where} with {near.how}",
                param,
                near.types,
            )
        )
    return out


#: Special methods whose first parameter is a key of the container.
_KEYED = {"__getitem__", "__setitem__", "__delitem__", "__contains__"}


def _mapping_key(target: Target, p: Param) -> bool:
    """``p`` is the key of a container's ``obj[key]`` (or ``key in obj``)."""
    if target.qualname.rpartition(".")[2] not in _KEYED:
        return False
    first = next((q for q in target.params if q.kind == "positional"), None)
    return first is not None and first.name == p.name


def _singular(name: str) -> str:
    """``numbers`` -> ``number``: what one of the ``*numbers`` is called."""
    return name[:-1] if name.endswith("s") and not name.endswith("ss") and len(name) > 2 else name


def _elements(values: Sequence[object]) -> list[object]:
    """The arguments recorded for a ``*args`` parameter, one by one."""
    return [item for value in values if isinstance(value, tuple) for item in value]


def _plan_target(
    info: ModuleInfo,
    target: Target,
    calls: list[TracedCall],
    forced: Mapping[str, Kind],
    pools: Mapping[str, Pool],
    documented: Sequence[DocCall],
    facts: SourceFacts | None = None,
    own: str = "",
    working: Mapping[str, object] | None = None,
) -> TargetCandidates:
    kinds: dict[str, Kind] = {}
    traced_sources: dict[str, list[str]] = {}
    shown = [_doc_traced(d, target) for d in documented]
    pooled: dict[str, Pool] = {}
    for p in target.params:
        values, sources = _traced_values([*calls, *shown], p.name)
        inferred = p
        if p.kind == "star":
            # Its kind is its arguments' kind: what the body does with the tuple says
            # nothing of them, and its name is a plural (``*numbers``: numbers).
            values = _elements(values)
            sources = [source for source in map(to_source, values) if source is not None]
            inferred = replace(p, usage=None, name=_singular(p.name))
        pool = None if p.name in forced else pools.get(p.name)
        if values and pool is not None:
            # Real values lead; a pool of plain typical values adds nothing to them.
            pool = None if _plain(pool) else _led_by(pool, values)
        if pool is not None:
            pooled[p.name] = pool
        if p.name in forced:
            kinds[p.name] = forced[p.name]
        elif pool is not None and not values:
            kinds[p.name] = pool.kind
        else:
            kinds[p.name] = infer_kind(inferred, target.docstring, values)
            if _mapping_key(target, p) and kinds[p.name].evidence == "name":
                # obj[key]: a key of the mapping, not a key function as the name suggests.
                kinds[p.name] = Kind("str", evidence="name")
        traced_sources[p.name] = sources
    plan = TargetCandidates(target, kinds)
    # Methods are called on an instance built by a recorded or inferred constructor call;
    # the probe picks the first constructor call that works ("auto").
    ctor: object = "auto" if target.kind in ("method", "property") else None

    for i, call in enumerate(calls[:MAX_REAL]):
        payload = call["payload"]
        via = "recorded while the project's doctests ran" if call.get("via") else ""
        plan.candidates.append(
            Candidate(f"real-{i}", "recorded", "changed-behaviour", payload, True, "real", via)
        )
    for i, doc in enumerate(documented):
        payload = pickle.dumps((doc.args, doc.kwargs, doc.ctor or ctor), protocol=4)
        plan.candidates.append(
            Candidate(
                f"doctest-{i}",
                "recorded",
                "changed-behaviour",
                payload,
                True,
                "doctest",
                f"doctest at {doc.where}" if doc.shown else f"example at {doc.where}",
                # A code block shows no output to confirm the harvest: no check, and
                # no evidence for a finding.
                check=(doc.want, doc.raises, doc.wrapper) if doc.shown else None,
                evidenced=doc.shown,
            )
        )

    for i, doc in enumerate(documented[:MAX_NEAR_EXAMPLES]):
        for cand in _near_examples(i, doc, target, ctor):
            plan.candidates.append(cand)

    usable = [p for p in target.params if p.kind not in ("star", "double_star") and not p.internal]

    def samples_of(p: Param) -> list[Sample]:
        pool = pooled.get(p.name)
        if pool is not None:
            return list(pool.samples[:MAX_POOL_SAMPLES])
        return [Sample(v) for v in sample_values(kinds[p.name])]

    def edges_of(p: Param) -> list[Edge]:
        pool = pooled.get(p.name)
        if pool is not None:
            return list(pool.edges[:MAX_POOL_EDGES])
        kind = kinds[p.name]
        # Of the parameter's type when that type is known: confidently inferred, or
        # resting on evidence (string methods called on it say it is a string).
        typed = kind.confident or kind.evidence in EVIDENCE
        return [
            Edge(v, r, (typed and fits(v, kind)) or (v is None and kind.optional))
            for v, r in edge_values(kind)[:MAX_EDGES_PER_PARAM]
        ]

    def evidenced(name: str) -> bool:
        return kinds[name].evidence in EVIDENCE or kinds[name].evidence == "format"

    base: dict[str, object] = {}
    notes: dict[str, str] = {}
    for p in usable:
        if p.default is not None:
            continue
        samples = samples_of(p)
        if samples:  # none: a type only a factory builds, not found yet
            base[p.name] = samples[0].value
            if samples[0].note:
                notes[p.name] = samples[0].note
        if working and p.name in working:  # the planned one raised, this one works
            base[p.name] = working[p.name]
            notes.pop(p.name, None)
    star = _star(target)
    if star is not None and samples_of(star):
        base[star.name] = tuple(sample.value for sample in samples_of(star)[:3])
    seen_payloads = {c.payload: c.id for c in plan.candidates}
    clocks: dict[str, object] = dict.fromkeys(clock_params(target.params), CLOCK)

    def add(
        cid: str,
        group: str,
        risk_id: str,
        chosen: Mapping[str, object],
        valid: bool,
        origin: str,
        param: str = "",
        describe: str = "",
        proven: bool = False,
    ) -> str | None:
        """Add a candidate; its id, or the id of an earlier one with the same call."""
        if clocks:  # the code's clock stands still (see .clocks), whatever else varies
            chosen = {**chosen, **clocks}
        built = build_call(target.params, chosen)
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
            Candidate(
                cid,
                group,
                risk_id,
                payload,
                valid,
                origin,
                describe,
                param,
                _types(chosen),
                evidenced=proven,
            )
        )
        return cid

    confident = all(kinds[p.name].confident for p in usable)
    unknown = [p.name for p in [*usable, *([star] if star else [])] if _unknown(kinds[p.name])]
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
    guessed = [p.name for p in usable if _guessed(kinds[p.name]) and p.name not in pooled]
    if guessed:
        # Used only if the ordinary call fails: then the names misled, and these tell
        # which kinds the baseline takes for every parameter nothing else typed.
        for kind in DISCOVERY_KINDS:
            chosen = dict(base)
            for name in [*unknown, *guessed]:
                chosen[name] = sample_values(_as(kinds[name], kind))[0]
            add(
                f"rediscover-{_kind_id(kind)}",
                "discovery",
                "changed-behaviour",
                chosen,
                False,
                "discovery",
            )
    base_note = "; ".join(notes[n] for n in sorted(notes))
    if not calls or not usable:
        plan.base_id = add(
            "sample-0", "recorded", "changed-behaviour", base, confident, "sample", "", base_note
        )
    # A second ordinary input, so sequence tests have an "a, b, a" to play.
    second = dict(base)
    second_notes: dict[str, str] = {}
    for p in usable:
        samples = samples_of(p)
        if p.name in second and len(samples) > 1:
            second[p.name] = samples[1].value
            if samples[1].note:
                second_notes[p.name] = samples[1].note
    second_note = "; ".join(second_notes[n] for n in sorted(second_notes))
    add("sample-1", "recorded", "changed-behaviour", second, confident, "sample", "", second_note)
    # Every value of a pool on its own: each type of a union, each valid string of a
    # format, each factory call.
    for p in usable:
        if p.name not in pooled:
            continue
        for i, sample in enumerate(samples_of(p)[1:], start=1):
            chosen = dict(base)
            chosen[p.name] = sample.value
            origin = "sample" if sample.tag == "sample" else sample.tag
            add(
                f"{sample.tag}-{p.name}-{i}",
                "recorded",
                "changed-behaviour",
                chosen,
                True,
                origin,
                p.name,
                sample.note,
            )

    shape_calls(usable, pooled, kinds, base, add)
    keyword_items(target, kinds, base, confident, add)

    for p in usable:
        for j, edge in enumerate(edges_of(p)):
            chosen = dict(base)
            chosen[p.name] = edge.value
            cid = f"{edge.risk}-{p.name}-{j}"
            proven = edge.valid and evidenced(p.name)
            add(cid, "edge", edge.risk, chosen, edge.valid, "edge", p.name, edge.note, proven)
    code_edges(usable, kinds, facts or SourceFacts(), own, base, add)
    doubles = [p for p in target.params if p.kind == "double_star"]
    double_names = {p.name for p in doubles}
    options = {
        name: keys
        for name, keys in (facts.options.get(own, {}) if facts else {}).items()
        if kinds[name].name in _MAPPING_KINDS or name in double_names
    }
    option_edges([*usable, *doubles], options, base, add)
    if star is not None:
        star_edges(star, base, edges_of(star), evidenced(star.name), add)
    float_order_edge(usable, kinds, base, add)
    pairwise_edges(usable, base, edges_of, evidenced, add)
    slice_edges(target, usable, kinds, base, add)

    seed = zlib.crc32(f"{info.name}:{target.qualname}".encode())
    rng = random.Random(seed)
    for i in range(N_RANDOM if usable or star else 0):
        chosen = dict(base)
        if star is not None:
            count = rng.randrange(4)
            chosen[star.name] = tuple(random_value(kinds[star.name], rng) for _ in range(count))
        for p in usable:
            if p.default is None or rng.random() < 0.3:
                pool = pooled.get(p.name)
                if pool is None or _plain(pool):
                    chosen[p.name] = random_value(kinds[p.name], rng)
                elif pool.samples:
                    chosen[p.name] = rng.choice(pool.samples).value
        add(f"random-{i}", "recorded", "changed-behaviour", chosen, confident, "random")

    if plan.base_id is None:
        # Not frozen (real inputs cover ordinary behaviour): only judges edge crashes.
        # Added last, so a frozen candidate making the same call stands for it.
        plan.base_id = add("base", "base", "changed-behaviour", base, False, "base")

    strategies: dict[str, str] | None = {}
    for p in usable:
        pool = pooled.get(p.name)
        if pool is not None:
            source = pool.strategy
            traced_part = traced_sources[p.name][:20]
            if source is not None and traced_part:
                source = f"st.one_of(st.sampled_from([{', '.join(traced_part)}]), {source})"
        else:
            source = strategy_source(kinds[p.name], traced_sources[p.name][:20])
        if p.name in options:
            source = option_strategy(options[p.name])
        if source is None:
            if p.default is None:
                strategies = None
                break
            continue
        assert strategies is not None
        strategies[p.name] = source
    plan.strategies = strategies
    return plan


def _led_by(pool: Pool, values: Sequence[object]) -> Pool:
    """``pool`` with recorded values first (the base call uses real values)."""
    led = tuple(Sample(v) for v in values[:3])
    return replace(pool, samples=led + pool.samples)


def _plain(pool: Pool) -> bool:
    """A pool of a builtin kind with nothing but typical values: random ones add variety."""
    return pool.kind.name in _RANDOM_KINDS and all(
        s.tag == "sample" and not s.note for s in pool.samples
    )


#: Kinds of a parameter read by literal keys that may be an options mapping (an
#: untyped one too; a class with a ``get`` method of its own is not).
_MAPPING_KINDS = {"dict", "unknown"}

_RANDOM_KINDS = {"str", "int", "float", "bool", "bytes", "list", "tuple", "set", "dict", "callable"}
