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
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pytest_autoimprove.generators.discover import ModuleInfo, Param, Target
from pytest_autoimprove.generators.literals import EVAL_BUILTINS, to_source
from pytest_autoimprove.generators.performance.call_edges import (
    encoded_edges,
    float_order_edge,
    keyword_items,
    pairwise_edges,
    slice_edges,
    star_edges,
)
from pytest_autoimprove.generators.performance.clocks import CLOCK, clock_params
from pytest_autoimprove.generators.performance.code_edges import code_edges
from pytest_autoimprove.generators.performance.discovery import discovery_calls
from pytest_autoimprove.generators.performance.doctests import DocCall
from pytest_autoimprove.generators.performance.facts import SourceFacts
from pytest_autoimprove.generators.performance.layouts import layout_edges
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
    named_edges,
    random_value,
    sample_values,
    strategy_source,
    text_variants,
)
from pytest_autoimprove.generators.performance.variety import diverse

__all__ = ["Candidate", "TargetCandidates", "build_call", "plan_module"]

#: Recorded real calls kept per target (per target improve.md names: real inputs of
#: the code the night is about are the best guardrails there are), random calls added,
#: edge cases per parameter.
MAX_REAL = 12
MAX_REAL_NAMED = 40
#: Examples that get near variants (:mod:`.near`).
MAX_NEAR_EXAMPLES = 2
N_RANDOM = 4
#: Other instances a method's ordinary call is also made on (``"auto:N"``, see the
#: probe): a method without parameters would otherwise run on one instance only.
N_INSTANCES = 3
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
    named: Collection[str] = (),
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
    :param named: the qualnames improve.md names: they keep :data:`MAX_REAL_NAMED`
        recorded calls.
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
                MAX_REAL_NAMED if q in named else MAX_REAL,
            )
        )
    bounded_receivers(plans)
    if facts is not None:
        relative_calls(plans, facts.relative, facts.holds)
    equal_others(plans)
    return plans


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
    most_real: int = MAX_REAL,
) -> TargetCandidates:
    shown = [_doc_traced(d, target) for d in documented]
    values = _ParamValues.infer(target, [*calls, *shown], forced, pools)
    plan = TargetCandidates(target, values.kinds)
    # Methods are called on an instance built by a recorded or inferred constructor call;
    # the probe picks the first constructor call that works ("auto").
    ctor: object = "auto" if target.kind in ("method", "property") else None
    _example_calls(plan, calls, documented, ctor, most_real)

    usable = [p for p in target.params if p.kind not in ("star", "double_star") and not p.internal]
    star = _star(target)
    base, notes = _base_call(usable, star, values, working or {})
    windows = facts.windows.get(own, {}) if facts is not None else {}
    windows = {at: text for at, text in windows.items() if at in {p.name for p in usable}}
    for position, text in windows.items():
        within = base.get(text)
        if type(base.get(position)) is int and isinstance(within, (str, bytes, list, tuple)):
            base[position] = min(max(0, base[position]), len(within))  # type: ignore[call-overload]
    add = _Adder(plan, ctor, dict.fromkeys(clock_params(target.params), CLOCK), windows)
    kinds = values.kinds
    confident = all(kinds[p.name].confident for p in usable)
    discovery_calls(usable, star, kinds, values.pooled, base, add)
    _ordinary_calls(plan, usable, values, base, notes, bool(calls), confident, add)
    if ctor == "auto":
        for k in range(1, N_INSTANCES + 1):
            note = "the same call on another instance"
            args = ("recorded", "changed-behaviour", base, confident, "sample", "", note)
            add(f"instance-{k}", *args, ctor=f"auto:{k}")
    shape_calls(usable, values.pooled, kinds, base, add)
    keyword_items(target, kinds, base, confident, add)
    _window_calls(windows, base, add)

    doubles = [p for p in target.params if p.kind == "double_star"]
    double_names = {p.name for p in doubles}
    options = {
        name: keys
        for name, keys in (facts.options.get(own, {}) if facts else {}).items()
        if kinds[name].name in _MAPPING_KINDS or name in double_names
    }
    for p in usable:
        for j, edge in enumerate(values.edges(p)):
            chosen = dict(base)
            chosen[p.name] = edge.value
            proven = edge.valid and values.evidenced(p.name)
            cid = f"{edge.risk}-{p.name}-{j}"
            add(cid, "edge", edge.risk, chosen, edge.valid, "edge", p.name, edge.note, proven)
    code_edges(usable, kinds, facts or SourceFacts(), own, base, add)
    layout_edges(usable, kinds, (facts or SourceFacts()).layouts.get(own, []), base, add)
    option_edges([*usable, *doubles], options, base, add)
    if star is not None:
        star_edges(star, base, values.edges(star), values.evidenced(star.name), add)
    float_order_edge(usable, kinds, base, add)
    pairwise_edges(usable, base, values.edges, values.evidenced, add)
    slice_edges(target, usable, kinds, base, add)
    encoded_edges(usable, lambda p: [s.value for s in values.samples(p)], base, add)
    _random_calls(f"{info.name}:{target.qualname}", usable, star, values, base, confident, add)

    if plan.base_id is None:
        # Not frozen (real inputs cover ordinary behaviour): only judges edge crashes.
        # Added last, so a frozen candidate making the same call stands for it.
        plan.base_id = add("base", "base", "changed-behaviour", base, False, "base")
    plan.strategies = _strategies(usable, values, options)
    if plan.strategies is not None:
        # A position drawn apart from its text falls outside it: the text varies, the
        # position stays at its start.
        plan.strategies.update(dict.fromkeys(windows, "st.just(0)"))
    return plan


@dataclass
class _ParamValues:
    """What each parameter of a target takes: its kind, the pool that replaces the
    kind's values (annotations, formats, factories), and the recorded values' sources."""

    kinds: dict[str, Kind]
    pooled: dict[str, Pool]
    traced: dict[str, list[str]]

    @classmethod
    def infer(
        cls,
        target: Target,
        calls: Sequence[TracedCall],
        forced: Mapping[str, Kind],
        pools: Mapping[str, Pool],
    ) -> _ParamValues:
        values = cls({}, {}, {})
        for p in target.params:
            found, sources = _traced_values(calls, p.name)
            inferred = p
            if p.kind == "star":
                # Its kind is its arguments' kind: what the body does with the tuple says
                # nothing of them, and its name is a plural (``*numbers``: numbers).
                found = _elements(found)
                sources = [source for source in map(to_source, found) if source is not None]
                inferred = replace(p, usage=None, name=_singular(p.name))
            pool = None if p.name in forced else pools.get(p.name)
            if found and pool is not None:
                # Real values lead; a pool of plain typical values adds nothing to them.
                pool = None if _plain(pool) else _led_by(pool, found)
            if pool is not None:
                values.pooled[p.name] = pool
            if p.name in forced:
                values.kinds[p.name] = forced[p.name]
            elif pool is not None and not found:
                values.kinds[p.name] = pool.kind
            else:
                kind = infer_kind(inferred, target.docstring, found)
                if _mapping_key(target, p) and kind.evidence == "name":
                    # obj[key]: a key of the mapping, not a key function as the name says.
                    kind = Kind("str", evidence="name")
                values.kinds[p.name] = kind
            values.traced[p.name] = sources
        return values

    def samples(self, p: Param) -> list[Sample]:
        pool = self.pooled.get(p.name)
        if pool is not None:
            return list(pool.samples[:MAX_POOL_SAMPLES])
        return [Sample(v) for v in sample_values(self.kinds[p.name])]

    def edges(self, p: Param) -> list[Edge]:
        pool = self.pooled.get(p.name)
        kind = self.kinds[p.name]
        variants = self._text_variants(p) if kind.name == "str" else []
        if pool is not None:
            named = [Edge(v, r, fits(v, kind)) for v, r in named_edges(p.name, kind)]
            return [*pool.edges[:MAX_POOL_EDGES], *named, *variants]
        # Of the parameter's type when that type is known: confidently inferred, or
        # resting on evidence (string methods called on it say it is a string).
        typed = kind.confident or kind.evidence in EVIDENCE
        edges = edge_values(kind)
        # The name's own edges after the first few (-1 leads: it is the one combined
        # with other parameters' edges), so the cap keeps them.
        edges[3:3] = named_edges(p.name, kind)
        return [
            Edge(v, r, (typed and fits(v, kind)) or (v is None and kind.optional))
            for v, r in edges[:MAX_EDGES_PER_PARAM]
        ] + variants

    def _text_variants(self, p: Param) -> list[Edge]:
        """Near variants of an ordinary text (see :func:`.values.text_variants`); never
        findings: the code may refuse them."""
        texts = [sample.value for sample in self.samples(p)]
        return [Edge(v, "skipped-normalisation", False, how) for v, how in text_variants(texts)]

    def evidenced(self, name: str) -> bool:
        return self.kinds[name].evidence in EVIDENCE or self.kinds[name].evidence == "format"


class _Adder:
    """Adds a candidate call to a plan, once per distinct call: the ``add`` every
    source of edge cases is given (see :data:`.code_edges.Add`)."""

    def __init__(
        self,
        plan: TargetCandidates,
        ctor: object,
        clocks: dict[str, object],
        windows: Mapping[str, str] | None = None,
    ) -> None:
        self.plan = plan
        self.ctor = ctor
        self.clocks = clocks
        #: Position parameter -> the text it is a position in (see ``windows_of``).
        self.windows = dict(windows or {})
        self.seen = {c.payload: c.id for c in plan.candidates}

    def __call__(
        self,
        cid: str,
        group: str,
        risk_id: str,
        chosen: Mapping[str, object],
        valid: bool,
        origin: str,
        param: str = "",
        describe: str = "",
        proven: bool = False,
        ctor: object = None,
    ) -> str | None:
        """Add a candidate; its id, or the id of an earlier one with the same call
        (``ctor``: another instance than the plan's, for a method)."""
        if self.clocks:  # the code's clock stands still (see .clocks), whatever else varies
            chosen = {**chosen, **self.clocks}
        if not _within(chosen, self.windows):
            return None
        built = build_call(self.plan.target.params, chosen)
        if built is None:
            return None
        try:
            payload = pickle.dumps((built[0], built[1], ctor or self.ctor), protocol=4)
        except Exception:  # noqa: BLE001 - cannot happen for builtins; stay safe
            return None
        if payload in self.seen:
            return self.seen[payload]
        self.seen[payload] = cid
        self.plan.candidates.append(
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


def _within(chosen: Mapping[str, object], windows: Mapping[str, str]) -> bool:
    """Is every position of ``chosen`` inside the text it is a position in? A scanner's
    ``getEol(s, end)`` called with ``end`` past the text answers what no caller asks,
    and an honest ``str.find`` rewrite answers it otherwise."""
    for position, text in windows.items():
        at, within = chosen.get(position), chosen.get(text)
        if isinstance(at, bool):  # True for a position: no caller's
            return False
        sized = isinstance(within, (str, bytes, list, tuple))
        if type(at) is int and sized and not 0 <= at <= len(within):  # type: ignore[arg-type]
            return False
    return True


def _window_calls(windows: Mapping[str, str], base: Mapping[str, object], add: _Adder) -> None:
    """A position parameter at the start, one in, the last item and the end of its
    text (the ordinary one): where a scanner's end-of-text checks are."""
    for position, text in windows.items():
        within = base.get(text)
        if not isinstance(within, (str, bytes, list, tuple)):
            continue
        for j, at in enumerate(sorted({0, 1, len(within) - 1, len(within)} - {-1})):
            describe = f"{position} at {at} of {text}'s {len(within)}"
            add(f"window-{position}-{j}", "edge", "off-by-one", {**base, position: at}, False,
                "edge", position, describe)  # fmt: skip


#: Where a traced call was recorded, when not while the project's tests ran.
_VIA = {
    "doctests": "recorded while the project's doctests ran",
    "examples": "recorded while the code blocks of the project's README and docs ran",
    "reached": "recorded while other targets' working calls ran",
}


def _example_calls(
    plan: TargetCandidates,
    calls: Sequence[TracedCall],
    documented: Sequence[DocCall],
    ctor: object,
    most_real: int,
) -> None:
    """The calls the project's tests made, its documented examples and their near
    variants: first, so a generated call that repeats one stands aside."""
    for i, call in enumerate(diverse(calls, most_real)):
        payload = call["payload"]
        via = _VIA.get(str(call.get("via")), "")
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
        plan.candidates.extend(_near_examples(i, doc, plan.target, ctor))


def _base_call(
    usable: Sequence[Param],
    star: Param | None,
    values: _ParamValues,
    working: Mapping[str, object],
) -> tuple[dict[str, object], dict[str, str]]:
    """The ordinary call every edge case varies, and where its values came from."""
    base: dict[str, object] = {}
    notes: dict[str, str] = {}
    for p in usable:
        if p.default is not None:
            continue
        samples = values.samples(p)
        if samples:  # none: a type only a factory builds, not found yet
            base[p.name] = samples[0].value
            if samples[0].note:
                notes[p.name] = samples[0].note
        if p.name in working:  # the planned one raised, this one works
            base[p.name] = working[p.name]
            notes.pop(p.name, None)
    if star is not None and values.samples(star):
        base[star.name] = tuple(sample.value for sample in values.samples(star)[:3])
    return base, notes


def _ordinary_calls(
    plan: TargetCandidates,
    usable: Sequence[Param],
    values: _ParamValues,
    base: Mapping[str, object],
    notes: Mapping[str, str],
    recorded: bool,
    confident: bool,
    add: _Adder,
) -> None:
    """The base call (frozen when nothing real was recorded), a second ordinary call
    (so sequence tests have an "a, b, a" to play), and every value of a pool on its
    own: each type of a union, each valid string of a format, each factory call."""
    base_note = "; ".join(notes[n] for n in sorted(notes))
    if not recorded or not usable:
        # On the ordinary instance (the constructor's first call of the best kind: its
        # defaults, when nothing real was recorded), not one picked by the case's id: a
        # writer's ordinary output is what its reader is offered (see .echo).
        first = "auto:0" if add.ctor == "auto" else None
        plan.base_id = add(
            "sample-0", "recorded", "changed-behaviour", base, confident, "sample", "", base_note,
            ctor=first,
        )  # fmt: skip
    second = dict(base)
    second_notes: dict[str, str] = {}
    for p in usable:
        samples = values.samples(p)
        if p.name in second and len(samples) > 1:
            second[p.name] = samples[1].value
            if samples[1].note:
                second_notes[p.name] = samples[1].note
    second_note = "; ".join(second_notes[n] for n in sorted(second_notes))
    add("sample-1", "recorded", "changed-behaviour", second, confident, "sample", "", second_note)
    for p in usable:
        if p.name not in values.pooled:
            continue
        for i, sample in enumerate(values.samples(p)[1:], start=1):
            chosen = dict(base)
            chosen[p.name] = sample.value
            origin = "sample" if sample.tag == "sample" else sample.tag
            cid = f"{sample.tag}-{p.name}-{i}"
            add(cid, "recorded", "changed-behaviour", chosen, True, origin, p.name, sample.note)


def _random_calls(
    seed_text: str,
    usable: Sequence[Param],
    star: Param | None,
    values: _ParamValues,
    base: Mapping[str, object],
    confident: bool,
    add: _Adder,
) -> None:
    """A few random calls of the parameters' kinds, seeded by the target's name."""
    rng = random.Random(zlib.crc32(seed_text.encode()))
    for i in range(N_RANDOM if usable or star else 0):
        chosen = dict(base)
        if star is not None:
            count = rng.randrange(4)
            chosen[star.name] = tuple(
                random_value(values.kinds[star.name], rng) for _ in range(count)
            )
        for p in usable:
            if p.default is None or rng.random() < 0.3:
                pool = values.pooled.get(p.name)
                if pool is None or _plain(pool):
                    chosen[p.name] = random_value(values.kinds[p.name], rng)
                elif pool.samples:
                    chosen[p.name] = rng.choice(pool.samples).value
        add(f"random-{i}", "recorded", "changed-behaviour", chosen, confident, "random")


def _strategies(
    usable: Sequence[Param], values: _ParamValues, options: Mapping[str, Any]
) -> dict[str, str] | None:
    """Hypothesis strategy source per parameter for the differential test (recorded
    values first); ``None`` when a required parameter has none."""
    strategies: dict[str, str] = {}
    for p in usable:
        pool = values.pooled.get(p.name)
        traced = values.traced[p.name][:20]
        if pool is not None:
            source = pool.strategy
            if source is not None and traced:
                source = f"st.one_of(st.sampled_from([{', '.join(traced)}]), {source})"
        else:
            source = strategy_source(values.kinds[p.name], traced)
        if p.name in options:
            source = option_strategy(options[p.name])
        if source is None:
            if p.default is None:
                return None
            continue
        strategies[p.name] = source
    return strategies


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
