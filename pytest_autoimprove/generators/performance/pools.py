"""Value pools: the ordinary values, edge values and strategy of one parameter.

A pool is what planning needs to call a target: ordinary values (the first is the one
every other parameter's edge case is built around), edge values each tagged with the
catalog risk it probes and whether it is of the parameter's declared type, and the
Hypothesis strategy (as source text) of the differential test. Pools come from a
resolved annotation (:func:`pool_of`, from a :class:`~.typespec.TypeSpec`), from a
format the module defines with a regular expression (:func:`with_format`), and from
factories in scope (:func:`with_factory`). Where no pool exists, planning falls back on
:mod:`.values` (the kind inferred from traced values, defaults, names and usage). The
keys of a table the code looks the parameter up in join any pool (:func:`with_keys`).

Values that cannot be literals are ``Build`` and ``Ref`` markers
(:mod:`pytest_autoimprove.runtime.replay`), built in the module under test at call time
and written as such in the test.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from pytest_autoimprove.generators.literals import EVAL_BUILTINS, to_source
from pytest_autoimprove.generators.performance.typespec import TypeSpec
from pytest_autoimprove.generators.performance.values import (
    Kind,
    edge_values,
    kind_of_value,
    odd_items,
    sample_values,
    strategy_source,
)
from pytest_autoimprove.runtime.replay import Build, Ref
from pytest_autoimprove.runtime.shapes import ANNOTATIONS, SHAPE_DATA

__all__ = [
    "Edge",
    "Pool",
    "Sample",
    "fits",
    "pool_of",
    "to_kind",
    "with_default",
    "with_document",
    "with_factory",
    "with_format",
    "with_keys",
]

#: Edge values kept per parameter from a pool (unions mix several types' edges).
MAX_EDGES = 18
#: Text streams a parameter is annotated with (built as ``io.StringIO``).
TEXT_STREAMS = ("typing.TextIO", "typing.IO", "io.TextIOBase", "io.StringIO", "io.TextIOWrapper")
#: Where the sample classes and annotations of a type parameter live.
SHAPES = "pytest_autoimprove.runtime.shapes"
MAX_DEPTH = 4


@dataclass(frozen=True)
class Sample:
    """An ordinary value; ``tag`` starts its case id, ``note`` says where it came from."""

    value: object
    tag: str = "sample"
    note: str = ""


@dataclass(frozen=True)
class Edge:
    """An edge value: the risk it probes; ``valid``: it is of the declared type."""

    value: object
    risk: str
    valid: bool = True
    note: str = ""


@dataclass(frozen=True)
class Pool:
    """The values of one parameter (see the module docstring).

    :param kind: for the findings rules (evidence, optional) and type-confusion checks.
    :param needs: the ``module.QualName`` of a type only a factory can build; no
        samples until one is found.
    """

    kind: Kind
    samples: tuple[Sample, ...]
    edges: tuple[Edge, ...]
    strategy: str | None
    needs: str = ""


def _kind(name: str, item: Kind | None = None, optional: bool = False) -> Kind:
    return Kind(name, item, optional=optional, confident=True, evidence="annotation")


def to_kind(spec: TypeSpec) -> Kind | None:
    """The :class:`Kind` of a spec made of builtins only (scalars and their containers)."""
    if spec.t == "scalar" and spec.name in ("int", "float", "str", "bool", "bytes"):
        return _kind(spec.name)
    if spec.t == "callable":
        return Kind("callable", confident=True, arity=spec.arity, evidence="annotation")
    if spec.t == "union":
        options = [o for o in spec.args if o.t != "none"]
        if len(options) == 1 and len(spec.args) == 2:
            inner = to_kind(options[0])
            return None if inner is None else replace(inner, optional=True)
        return None
    if spec.t in ("list", "set", "tuple", "dict") and (spec.t != "tuple" or spec.variadic):
        item_spec = spec.args[-1] if spec.args else TypeSpec("any")
        if item_spec.t == "any":
            return _kind(spec.t, Kind("str"))
        item = to_kind(item_spec)
        if item is None or item.name in ("callable",):
            return None
        if spec.t == "dict" and spec.args and spec.args[0].t not in ("scalar", "any"):
            return None
        return _kind(spec.t, item)
    return None


#: The Python types an edge value of a scalar kind must have to be of that kind.
_KIND_TYPES: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (float, int),
    "str": (str,),
    "bytes": (bytes,),
}


def fits(value: object, kind: Kind) -> bool:
    """Whether an edge value is of the parameter's kind (a fraction for an int is not)."""
    types_ = _KIND_TYPES.get(kind.name)
    return types_ is None or value is None or isinstance(value, types_)


def _from_kind(kind: Kind) -> Pool:
    samples = tuple(Sample(v) for v in sample_values(kind))
    # 2.5 for an int: an edge of another type, never a finding
    edges = tuple(Edge(v, r, fits(v, kind)) for v, r in edge_values(kind))
    return Pool(kind, samples, edges, strategy_source(kind))


def _sources(values: Sequence[object]) -> list[str]:
    return [s for s in (to_source(v) for v in values) if s is not None]


def _sampled(values: Sequence[object]) -> str | None:
    sources = _sources(values)
    return f"st.sampled_from([{', '.join(sources)}])" if sources else None


def _pair(edge: Edge) -> tuple[object, str]:
    return edge.value, edge.risk


# --- standard library types with a known way to build them ---------------------------


def _recipe(spec: TypeSpec) -> Pool | None:
    name, path = spec.type_name, spec.name
    table: dict[str, Callable[[str], tuple[list[object], list[tuple[object, str]], str | None]]]
    table = {
        "decimal.Decimal": _decimal,
        "fractions.Fraction": lambda p: (
            [Build(p, 1, 3), Build(p, 5, 2)],
            [(Build(p, 0), "negative-numbers"), (Build(p, -7, 3), "negative-numbers")],
            "st.fractions(max_denominator=1000)",
        ),
        "datetime.date": lambda p: (
            [Build(p, 2024, 2, 29), Build(p, 1999, 12, 31)],
            [
                (Build(p, 1970, 1, 1), "negative-numbers"),
                (Build(p, 9999, 12, 31), "huge-input"),
                # The century rule: 2100 is no leap year, 2000 is.
                (Build(p, 2100, 2, 28), "calendar-boundaries"),
                (Build(p, 2000, 2, 29), "calendar-boundaries"),
            ],
            "st.dates()",
        ),
        "datetime.datetime": lambda p: (
            [Build(p, 2024, 2, 29, 13, 45, 30), Build(p, 1999, 12, 31, 23, 59, 59, 999999)],
            [
                (Build(p, 1970, 1, 1, tzinfo=Ref("datetime.timezone.utc")), "changed-behaviour"),
                (Build(p, 9999, 12, 31, 23, 59, 59), "huge-input"),
                # On the stroke of midnight (a schedule's exact match), and the last
                # second of February in a century year that is no leap year.
                (Build(p, 2000, 1, 1), "calendar-boundaries"),
                (Build(p, 2100, 2, 28, 23, 59, 59), "calendar-boundaries"),
            ],
            "st.datetimes()",
        ),
        "datetime.time": lambda p: (
            [Build(p, 13, 45, 30), Build(p, 9, 5)],
            [(Build(p), "empty-input"), (Build(p, 23, 59, 59, 999999), "huge-input")],
            "st.times()",
        ),
        "datetime.timedelta": lambda p: (
            [Build(p, days=1, seconds=30), Build(p, hours=36)],
            [(Build(p), "empty-input"), (Build(p, days=-1), "negative-numbers")],
            "st.timedeltas()",
        ),
        "uuid.UUID": lambda p: (
            [Build(p, "12345678-1234-5678-1234-567812345678")],
            [(Build(p, int=0), "empty-input")],
            "st.uuids()",
        ),
        "re.Pattern": lambda p: (
            [Build("re.compile", "a+b"), Build("re.compile", r"\w+")],
            [(Build("re.compile", ""), "empty-input")],
            None,
        ),
    }
    for path_name in (
        "pathlib.Path",
        "pathlib.PurePath",
        "pathlib.PosixPath",
        "pathlib.PurePosixPath",
    ):
        table[path_name] = lambda p: (
            [Build(p, "data/report.txt"), Build(p, "notes.md")],
            [(Build(p, ""), "empty-input"), (Build(p, "ünï/çødé.txt"), "unicode-fast-path")],
            None,
        )
    for io_name in TEXT_STREAMS:
        table[io_name] = lambda p: (
            [Build("io.StringIO", "first line\nsecond line\n")],
            [
                (Build("io.StringIO", ""), "empty-input"),
                (Build("io.StringIO", "ünï\r\nçø"), "unicode-fast-path"),
            ],
            "st.builds(Build, st.just('io.StringIO'), st.text(max_size=30))",
        )
    for io_name in ("typing.BinaryIO", "io.BytesIO", "io.BufferedIOBase", "io.RawIOBase"):
        table[io_name] = lambda p: (
            [Build("io.BytesIO", b"first\nsecond\n")],
            [(Build("io.BytesIO", b""), "empty-input")],
            "st.builds(Build, st.just('io.BytesIO'), st.binary(max_size=30))",
        )
    table["builtins.bytearray"] = lambda p: (
        [Build("bytearray", b"Hello World_42")],
        [(Build("bytearray", b""), "empty-input")],
        "st.builds(Build, st.just('bytearray'), st.binary(max_size=30))",
    )
    maker = table.get(name)
    if maker is None:
        return None
    samples, edges, strategy = maker(path)
    return Pool(
        Kind("object", confident=True, evidence="annotation"),
        tuple(Sample(v) for v in samples),
        tuple(Edge(v, r) for v, r in edges),
        strategy or _sampled(samples + [v for v, _ in edges]),
    )


def _decimal(path: str) -> tuple[list[object], list[tuple[object, str]], str | None]:
    samples: list[object] = [Build(path, "2.5"), Build(path, "1000000")]
    edges: list[tuple[object, str]] = [
        (Build(path, "0.1"), "exact-decimals"),
        (Build(path, "-0"), "nan-and-infinity"),
        (Build(path, "-12.345"), "negative-numbers"),
        (Build(path, "1E+3"), "exact-decimals"),
        (Build(path, "123456789012345678901.5"), "int-precision"),
        # More digits than the default context's 28: arithmetic in the context rounds them.
        (Build(path, "1234567890123456789012345678901.25"), "exact-decimals"),
        (Build(path, "NaN"), "nan-and-infinity"),
    ]
    return samples, edges, "st.decimals(allow_nan=False, allow_infinity=False, places=4)"


#: Abstract numeric types: the concrete types a caller passes for them.
_NUMBERS = {
    "numbers.Number": ("int", "float", "decimal.Decimal"),
    "numbers.Complex": ("int", "float"),
    "numbers.Real": ("int", "float", "decimal.Decimal"),
    "numbers.Rational": ("int", "fractions.Fraction"),
    "numbers.Integral": ("int",),
    "typing.SupportsFloat": ("int", "float"),
    "typing.SupportsInt": ("int", "float"),
    "typing.SupportsIndex": ("int",),
    "typing.SupportsAbs": ("int", "float"),
    "typing.SupportsRound": ("int", "float"),
}


def _number_union(spec: TypeSpec) -> TypeSpec | None:
    names = _NUMBERS.get(spec.type_name)
    if names is None:
        return None
    options = tuple(
        TypeSpec("scalar", n) if "." not in n else TypeSpec("class", n, n, flavor="class")
        for n in names
    )
    return options[0] if len(options) == 1 else TypeSpec("union", args=options)


# --- pools from specs ------------------------------------------------------------------


def pool_of(spec: TypeSpec, depth: int = 0) -> Pool | None:
    """The pool of a resolved annotation; ``None`` when it says nothing usable."""
    if depth > MAX_DEPTH:
        return None
    kind = to_kind(spec)
    if kind is not None:
        return _from_kind(kind)
    if spec.t == "union":
        return _union(spec, depth)
    if spec.t == "literal":
        return _literal(spec)
    if spec.t == "enum":
        refs = [Ref(f"{spec.name}.{m}") for m in spec.values]
        if not refs:
            return None
        return _closed_set("object", refs, 8)
    if spec.t in ("list", "set", "tuple", "dict", "iterator"):
        return _container(spec, depth)
    if spec.t == "typeddict":
        return _typeddict(spec, depth)
    if spec.t == "type":
        return _types()
    if spec.t == "class":
        number = _number_union(spec)
        if number is not None:
            return pool_of(number, depth)
        return _recipe(spec) or _class(spec, depth)
    return None


def _types() -> Pool:
    """A class or annotation parameter (``Type[T]``): the sample dataclasses of
    :mod:`pytest_autoimprove.runtime.shapes` (the calls that pair each with mappings
    of its fields are planned beside, see :mod:`.shape_calls`), builtins, and
    ``typing`` annotations as edge values."""
    shapes = [Ref(f"{SHAPES}.{name}") for name in SHAPE_DATA]
    annotations = [Ref(f"{SHAPES}.{name}") for name in ANNOTATIONS]
    kind = Kind("type", confident=True, evidence="annotation")
    edges = tuple(Edge(v, "changed-behaviour") for v in [int, str, list, *annotations])
    return Pool(kind, tuple(Sample(v) for v in shapes), edges, _sampled([*shapes, int, str]))


def _label(spec: TypeSpec) -> str:
    if spec.t == "scalar":
        return spec.name
    return spec.name or spec.type_name or spec.t


def _union(spec: TypeSpec, depth: int) -> Pool | None:
    optional = any(o.t == "none" for o in spec.args)
    parts = [(o, pool_of(o, depth + 1)) for o in spec.args if o.t != "none"]
    pools = [(o, p) for o, p in parts if p is not None and p.samples]
    if not pools:
        # ``Optional[Connection]``: only a factory can make one (or None).
        needs = next((p.needs for _, p in parts if p is not None and p.needs), "")
        if not needs:
            return None
        kind = Kind("object", optional=optional, confident=True, evidence="annotation")
        none = (Edge(None, "dropped-none-check"),) if optional else ()
        return Pool(kind, (), none, None, needs=needs)
    samples: list[Sample] = []
    for rank in range(2):
        for option, pool in pools:
            if rank < len(pool.samples):
                note = f"as {_label(option)}, one of the annotated types"
                samples.append(Sample(pool.samples[rank].value, "sample", note))
    edges: list[Edge] = [Edge(None, "dropped-none-check")] if optional else []
    lists = [list(p.edges) for _, p in pools]
    while any(lists) and len(edges) < MAX_EDGES:
        for edge_list in lists:
            if edge_list and len(edges) < MAX_EDGES:
                edges.append(edge_list.pop(0))
    strategies = [p.strategy or _sampled([s.value for s in p.samples]) for _, p in pools]
    if optional:
        strategies.append("st.none()")
    usable = [s for s in strategies if s]
    strategy = (
        None if not usable else usable[0] if len(usable) == 1 else f"st.one_of({', '.join(usable)})"
    )
    names = {p.kind.name for _, p in pools}
    first = pools[0][1].kind
    kind = (
        replace(first, optional=optional or first.optional)
        if len(names) == 1
        else Kind("union", confident=True, optional=optional, evidence="annotation")
    )
    return Pool(kind, tuple(samples), tuple(edges), strategy)


def _literal(spec: TypeSpec) -> Pool | None:
    values: list[object] = []
    for text in spec.values:
        try:
            values.append(eval(text, {"__builtins__": EVAL_BUILTINS}))  # noqa: S307 - our own text
        except Exception:  # noqa: BLE001 - a literal we cannot rebuild
            continue
    if not values:
        return None
    return _closed_set("literal", values, 10)


def _closed_set(kind: str, values: Sequence[object], upto: int) -> Pool:
    """The pool of a type with a closed set of values (an enum, a ``Literal``): two
    of them as ordinary values, the next ones up to ``upto`` as edges."""
    return Pool(
        Kind(kind, confident=True, evidence="annotation"),
        tuple(Sample(v) for v in values[:2]),
        tuple(Edge(v, "changed-behaviour") for v in values[2:upto]),
        _sampled(values),
    )


def _wrap(t: str, values: list[object]) -> object:
    """``values`` in a container of type ``t``, each item its own copy (an ordinary
    list twice is two equal lists, not one held twice)."""
    values = [copy.deepcopy(v) for v in values]
    if t == "tuple":
        return tuple(values)
    if t == "iterator":
        return Build("iter", list(values))
    return list(values)


def _container(spec: TypeSpec, depth: int) -> Pool | None:
    if spec.t == "tuple" and not spec.variadic:
        return _fixed_tuple(spec, depth)
    if spec.t == "set":
        return None  # sets of built objects need hashable ones: left to inference
    if spec.t == "dict":
        key = to_kind(spec.args[0]) if spec.args else None
        value = pool_of(spec.args[1], depth + 1) if len(spec.args) > 1 else None
        if key is None or key.name not in ("str", "int") or value is None or not value.samples:
            return None
        keys = sample_values(key)
        items = [s.value for s in value.samples]
        sample = {keys[i % len(keys)] if i < len(keys) else f"k{i}": v for i, v in enumerate(items)}
        strategy = value.strategy or _sampled(items)
        # One odd value beside an ordinary one (a count of zero, a negative one): kept
        # or dropped by a rewrite where the baseline does the other.
        odd = [
            Edge({keys[0]: items[0], keys[1]: e.value}, e.risk, e.valid)
            for e in odd_items(value.edges, _pair)
            if len(keys) > 1
        ]
        return Pool(
            Kind("dict", confident=True, evidence="annotation"),
            (Sample(sample),),
            (Edge({}, "empty-input"), *odd),
            None
            if strategy is None
            else f"st.dictionaries({strategy_source(key)}, {strategy}, max_size=5)",
        )
    item_spec = spec.args[0] if spec.args else TypeSpec("any")
    inner = pool_of(item_spec, depth + 1) if item_spec.t != "any" else _from_kind(Kind("str"))
    if inner is None or not inner.samples:
        return None
    items = [s.value for s in inner.samples[:3]]
    edges = [
        Edge(_wrap(spec.t, []), "empty-input"),
        Edge(_wrap(spec.t, items[:1]), "changed-behaviour"),
    ]
    edges += [Edge(_wrap(spec.t, [e.value]), e.risk, e.valid) for e in inner.edges[:4]]
    edges += [
        Edge(_wrap(spec.t, [items[0], e.value]), e.risk, e.valid)
        for e in odd_items(inner.edges, _pair)
        if e.value != items[0]
    ]
    item_strategy = inner.strategy or _sampled(items)
    strategy = None
    if item_strategy is not None:
        strategy = f"st.lists({item_strategy}, max_size=6)"
        if spec.t == "tuple":
            strategy += ".map(tuple)"
        elif spec.t == "iterator":
            strategy = f"st.builds(Build, st.just('iter'), {strategy})"
    kind = Kind("list" if spec.t == "iterator" else spec.t, confident=True, evidence="annotation")
    return Pool(kind, (Sample(_wrap(spec.t, items)),), tuple(edges), strategy)


def _fixed_tuple(spec: TypeSpec, depth: int) -> Pool | None:
    # An element of any type (Tuple[KT, VT] with free type variables) takes text, then
    # a number: the (key, value) pairs such tuples usually are.
    pools = [
        pool_of(a, depth + 1) if a.t != "any" else _from_kind(Kind("str" if i % 2 == 0 else "int"))
        for i, a in enumerate(spec.args)
    ]
    if not pools or any(p is None or not p.samples for p in pools):
        return None
    ready = [p for p in pools if p is not None]
    first = tuple(p.samples[0].value for p in ready)
    second = tuple(p.samples[min(1, len(p.samples) - 1)].value for p in ready)
    edges: list[Edge] = []
    for i, p in enumerate(ready):
        for edge in p.edges[:3]:
            edges.append(Edge(first[:i] + (edge.value,) + first[i + 1 :], edge.risk, edge.valid))
    strategies = [p.strategy or _sampled([s.value for s in p.samples]) for p in ready]
    strategy = f"st.tuples({', '.join(s for s in strategies if s)})" if all(strategies) else None
    samples = (Sample(first), Sample(second)) if second != first else (Sample(first),)
    return Pool(
        Kind("tuple", confident=True, evidence="annotation"),
        samples,
        tuple(edges[:MAX_EDGES]),
        strategy,
    )


def _typeddict(spec: TypeSpec, depth: int) -> Pool | None:
    pools = {f.name: (f, pool_of(f.spec, depth + 1)) for f in spec.fields}
    if any(f.required and (p is None or not p.samples) for f, p in pools.values()):
        return None
    full = {n: p.samples[0].value for n, (f, p) in pools.items() if p is not None and p.samples}
    required = {n: v for n, v in full.items() if pools[n][0].required}
    samples = [Sample(full)] + ([Sample(required)] if required != full else [])
    strategies = {n: p.strategy for n, (f, p) in pools.items() if p is not None}
    strategy = None
    if all(strategies.get(n) for n in full):
        req = ", ".join(f"{n!r}: {strategies[n]}" for n in full if pools[n][0].required)
        opt = ", ".join(f"{n!r}: {strategies[n]}" for n in full if not pools[n][0].required)
        strategy = f"st.fixed_dictionaries({{{req}}}, optional={{{opt}}})"
    edges = [Edge({}, "empty-input", valid=not required)] if full else []
    return Pool(
        Kind("dict", confident=True, evidence="annotation"), tuple(samples), tuple(edges), strategy
    )


def _build(path: str, fields: Sequence[tuple[bool, str, object]]) -> Build:
    args = [v for keyword, _, v in fields if not keyword]
    kwargs = {n: v for keyword, n, v in fields if keyword}
    return Build(path, *args, **kwargs)


def _class(spec: TypeSpec, depth: int) -> Pool:
    """A user class built by its constructor, when every required parameter has values."""
    kind = Kind("object", confident=True, evidence="annotation")
    needs = Pool(kind, (), (), None, needs=spec.type_name)
    if spec.flavor == "opaque" or not spec.name:
        return needs
    fields = [(f, pool_of(f.spec, depth + 1)) for f in spec.fields]
    required = [(f, p) for f, p in fields if f.required]
    if any(p is None or not p.samples for _, p in required):
        return needs
    ready = [(f, p) for f, p in required if p is not None]
    first = _build(spec.name, [(f.keyword, f.name, p.samples[0].value) for f, p in ready])
    second = _build(
        spec.name,
        [(f.keyword, f.name, p.samples[min(1, len(p.samples) - 1)].value) for f, p in ready],
    )
    samples = [Sample(first, "sample", f"built by {spec.name}(...)")]
    if second != first:
        samples.append(Sample(second, "sample", f"built by {spec.name}(...)"))
    edges: list[Edge] = []
    for i, (field, pool) in enumerate(ready):
        for edge in pool.edges[:2]:
            values = [(f.keyword, f.name, p.samples[0].value) for f, p in ready]
            values[i] = (field.keyword, field.name, edge.value)
            note = f"{spec.name}(...) with {field.name} at an edge"
            edges.append(Edge(_build(spec.name, values), edge.risk, edge.valid, note))
    strategies = [(f, p.strategy or _sampled([s.value for s in p.samples])) for f, p in ready]
    strategy = None
    if all(s for _, s in strategies):
        positional = [s for f, s in strategies if not f.keyword and s]
        keywords = [f"{f.name}={s}" for f, s in strategies if f.keyword]
        strategy = (
            f"st.builds(Build, st.just({spec.name!r}), {', '.join([*positional, *keywords])})"
        )
        strategy = strategy.replace(", )", ")")
    return Pool(kind, tuple(samples), tuple(edges[:6]), strategy)


# --- overlays --------------------------------------------------------------------------


def with_format(
    pool: Pool | None,
    kind: Kind,
    name: str,
    valid: Sequence[object],
    near: Sequence[tuple[object, str]],
    strategy: str,
) -> Pool:
    """``pool`` (or the str pool of ``kind``) led by strings of a format the module defines.

    :param valid: strings the format's expression matches (or lists of lines holding
        them, for a lines-of-text parameter); ``near``: (near miss, how).
    """
    base = pool if pool is not None else _from_kind(Kind("str", optional=kind.optional))
    label = name or "the module's regex"
    samples = [Sample(v, "regex", f"valid {label} string (st.from_regex)") for v in valid]
    edges = [Edge(v, "format-fast-path", True, f"{label} string with {how}") for v, how in near]
    evidence = base.kind.evidence if base.kind.confident else "format"
    return _led_by(base, samples, edges, strategy, evidence)


def _led_by(
    base: Pool, samples: Sequence[Sample], edges: Sequence[Edge], strategy: str, evidence: str
) -> Pool:
    """``base`` with ``samples`` and ``edges`` first, drawn from ``strategy`` too."""
    strategies = [strategy] + ([base.strategy] if base.strategy else [])
    return Pool(
        replace(base.kind, confident=True, evidence=evidence),
        tuple(samples) + base.samples,
        tuple(edges) + base.edges,
        f"st.one_of({', '.join(strategies)})" if len(strategies) > 1 else strategy,
    )


def with_quoted(
    pool: Pool | None, kind: Kind, quoted: Sequence[str], near: Sequence[tuple[str, str]]
) -> Pool:
    """``pool`` (or the str pool of ``kind``) led by the strings the function's docstring
    quotes (see :mod:`.quoted`), with near misses of them as edge values."""
    base = pool if pool is not None else _from_kind(Kind("str", optional=kind.optional))
    samples = [Sample(v, "quoted", "a string the docstring quotes") for v in quoted]
    edges = [Edge(v, "format-fast-path", True, f"a quoted example with {how}") for v, how in near]
    strategy = f"st.sampled_from({list(quoted)!r})"
    return _led_by(base, samples, edges, strategy, base.kind.evidence or "docstring")


def with_shown(pool: Pool | None, kind: Kind, documents: Sequence[object]) -> Pool:
    """``pool`` (or the str pool of ``kind``) with the documents the project's README
    and docs show (see :mod:`.shown`) right after its first sample, and each with CRLF
    line ends as an edge value: the same input as a Windows file gives it."""
    base = pool if pool is not None else _from_kind(Kind("str", optional=kind.optional))
    shown = tuple(Sample(d, "shown", "a document the project's docs show") for d in documents)
    crlf = [_crlf(d) for d in documents]
    edges = tuple(
        Edge(v, "format-fast-path", True, "a document the docs show, with CRLF line ends")
        for v in crlf
        if v is not None
    )
    return replace(
        base, samples=(*base.samples[:1], *shown, *base.samples[1:]), edges=edges + base.edges
    )


def _crlf(document: object) -> object:
    """``document`` (a text, or a list of lines) with CRLF line ends."""
    if isinstance(document, str):
        return document.replace("\n", "\r\n")
    if isinstance(document, list) and all(isinstance(line, str) for line in document):
        return [f"{line}\r\n" for line in document]
    return None


def with_document(pool: Pool | None, kind: Kind, value: object, lines: int) -> Pool:
    """``pool`` (or the str pool of ``kind``) with ``value`` (a text of ``lines`` lines,
    or a stream of it) made of the patterns of the module's format (see
    ``inputs._with_document``) as its second sample: ordinary values come first, the
    document right after."""
    base = pool if pool is not None else _from_kind(Kind("str", optional=kind.optional))
    sample = Sample(value, "regex", f"a text of {lines} lines, one per pattern of the format")
    samples = (*base.samples[:1], sample, *base.samples[1:])
    return replace(base, samples=samples)


def with_default(pool: Pool | None, name: str, value: object) -> Pool:
    """``pool`` (or one of the value's kind) led by the module constant ``name`` that is
    the parameter's default (``alphabet=ALPHABET``), and near variants of it: the
    values the author meant the parameter to take, which random ones seldom are."""
    base = pool if pool is not None else _from_kind(kind_of_value(value))
    note = f"the default, {name}"
    variants: list[tuple[object, str]] = []
    if isinstance(value, (str, bytes, list, tuple)) and len(value) > 1:
        variants = [
            (value[::-1], f"{name} reversed"),
            (value[: len(value) // 2], f"half of {name}"),
        ]
    edges = tuple(Edge(v, "changed-behaviour", False, how) for v, how in variants)
    return Pool(
        replace(base.kind, confident=True, evidence=base.kind.evidence or "default"),
        (Sample(value, "default", note), *base.samples),
        edges + base.edges,
        base.strategy,
    )


def with_keys(
    pool: Pool | None, found: Sequence[tuple[str, object]], optional: bool, required: bool
) -> Pool:
    """``pool`` (or one of the keys' kind) with the keys of the tables the code looks
    the parameter up in (``CONVERTERS[lang]``, ``fmt in FORMATS``): ``(table, key)``
    pairs. Each key is a code path of its own that random values seldom reach: every
    one is a case, joins the combinations of edge values (as an edge too: a converter
    of one key wrong on negative numbers), and the strategy draws them first. The
    ordinary value (the first sample) stays the pool's; a ``required`` parameter
    without a pool is led by a key."""
    base = (
        pool
        if pool is not None
        else _from_kind(replace(kind_of_value(found[0][1]), optional=optional))
    )
    keys = [Sample(key, "key", f"a key of {table}") for table, key in found]
    lead = base.samples[:1] if pool is not None or not required else ()
    strategies = [s for s in (_sampled([key for _, key in found]), base.strategy) if s]
    # The first key is often the default: combinations take the others first.
    edges = [Edge(k.value, "changed-behaviour", True, k.note) for k in keys[1:] + keys[:1]]
    return Pool(
        replace(base.kind, evidence=base.kind.evidence or "table"),
        (*lead, *keys, *base.samples[len(lead) :]),
        (*edges, *base.edges),
        f"st.one_of({', '.join(strategies)})"
        if len(strategies) > 1
        else next(iter(strategies), None),
        base.needs,
    )


def with_factory(pool: Pool | None, builds: Sequence[tuple[Build, str]], optional: bool) -> Pool:
    """A pool of objects built by factories in scope: ``(Build, note)`` pairs."""
    samples = tuple(Sample(b, "factory", note) for b, note in builds)
    edges = (Edge(None, "dropped-none-check"),) if optional else ()
    strategy = _sampled([b for b, _ in builds])
    if strategy and optional:
        strategy = f"st.one_of({strategy}, st.none())"
    kind = Kind("object", optional=optional, confident=True, evidence="factory")
    return Pool(kind, samples, edges, strategy)
