"""Edge cases made of a call's shape rather than of one value in it.

Most edge cases vary one parameter's value around the base call (:mod:`.plan`). These
vary what the call is: ``*args`` empty, alone or last; two ``**kwargs`` items; a slice
where an index goes; every float sequence summed in an order-sensitive way; edge
values of two parameters together (a covering array, :mod:`.pairwise`); a text given
as bytes in the encoding an ``encoding`` parameter names. Each function
adds candidates through the plan's ``add(id, group, risk, chosen, valid, origin,
param, describe, proven)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from pytest_autoimprove.generators.discover import Param, Target
from pytest_autoimprove.generators.performance.code_edges import Add
from pytest_autoimprove.generators.performance.pairwise import covering_rows, pick_edges
from pytest_autoimprove.generators.performance.pools import Edge
from pytest_autoimprove.generators.performance.values import Kind, sample_values

__all__ = [
    "ENCODINGS",
    "FLOAT_ORDER",
    "MAX_PAIRWISE_PARAMS",
    "encoded_edges",
    "float_order_edge",
    "keyword_items",
    "pairwise_edges",
    "slice_edges",
    "star_edges",
]

#: Parameters combined pairwise (the first ones: the rest keep ordinary values).
MAX_PAIRWISE_PARAMS = 4

#: Encodings a text is given in beside the name of it: two bytes a character with a
#: byte order mark, and one byte a character past ASCII.
ENCODINGS = ("utf-16", "latin-1")
_ENCODING_NAMES = frozenset({"encoding", "charset", "codec"})

#: Summed left to right this gives 0.6000000000000001; in any other order, or with
#: ``math.fsum``, something else. One value an edge case can show a reordered sum with.
FLOAT_ORDER = (1e16, 1.0, -1e16, 0.1, 0.2, 0.3)


def float_order_edge(
    usable: Sequence[Param],
    kinds: Mapping[str, Kind],
    base: Mapping[str, object],
    add: Add,
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
    describe = "floats whose sum depends on the order of summation"
    add("changed-floats-0", "edge", "changed-floats", chosen, False, "edge", "", describe)


def star_edges(
    star: Param,
    base: Mapping[str, object],
    edges: Sequence[Edge],
    evidenced: bool,
    add: Add,
) -> None:
    """``*args`` at its edges: no argument at all, each edge value alone, and each after
    the ordinary arguments (a fast path for one argument, or for the last, shows)."""
    given = base.get(star.name, ())
    ordinary: tuple[object, ...] = given if isinstance(given, tuple) else ()
    chosen = {**base, star.name: ()}
    describe = "no arguments at all"
    add(
        f"empty-input-{star.name}", "edge", "empty-input", chosen, True, "edge", star.name, describe
    )
    for j, edge in enumerate(edges):
        proven = edge.valid and evidenced
        alone, last = (edge.value,), (*ordinary, edge.value)
        for k, extra in enumerate([alone, last] if ordinary else [alone]):
            chosen = {**base, star.name: extra}
            cid = f"{edge.risk}-{star.name}-{j}" + ("-last" if k else "")
            add(cid, "edge", edge.risk, chosen, edge.valid, "edge", star.name, edge.note, proven)


def keyword_items(
    target: Target,
    kinds: Mapping[str, Kind],
    base: Mapping[str, object],
    valid: bool,
    add: Add,
) -> None:
    """A ``**kwargs`` parameter given two items (``update(other, **kw)``): planned
    calls never pass it anything, and a fast path that forgets it goes unseen."""
    double = next((p for p in target.params if p.kind == "double_star"), None)
    if double is None:
        return
    kind = kinds.get(double.name)
    values: list[object] = []
    if kind is not None and kind.name not in ("unknown", "list"):
        values = [v for v in sample_values(kind) if v is not None]
    # Of an unknown kind: the ordinary text and number.
    values = (values + sample_values(Kind("str"))[:1] + sample_values(Kind("int"))[:1])[:2]
    items = {"alpha": values[0], "beta": values[1]}
    add("keywords-0", "recorded", "changed-behaviour", {**base, double.name: items}, valid,
        "sample", double.name, f"two keyword items for **{double.name}")  # fmt: skip


#: Slices an indexable class must answer as a list does: a fresh copy, a tail, the
#: reverse, an empty one, one past the end.
_SLICES = (slice(None), slice(1, None), slice(None, None, -1), slice(2, 1), slice(-2, 10**6))


def slice_edges(
    target: Target,
    usable: Sequence[Param],
    kinds: Mapping[str, Kind],
    base: Mapping[str, object],
    add: Add,
) -> None:
    """``obj[i]`` with an integer index also takes slices (a sequence's ``__getitem__``,
    ``__delitem__``): a copy that aliases the container, or a fast path that assumes an
    int, shows only there."""
    if target.qualname.rpartition(".")[2] not in ("__getitem__", "__delitem__") or not usable:
        return
    index = usable[0]
    kind = kinds[index.name]
    # An index the tests pass as an int and as a list (ordered-set's `s[[0, 2]]`) is
    # of no single kind, and still takes slices.
    if kind.name != "int" and not any(type(v) is int for v in kind.traced):
        return
    for j, value in enumerate(_SLICES):
        chosen = dict(base)
        chosen[index.name] = value
        add(
            f"slice-{index.name}-{j}",
            "edge",
            "aliased-internal-state",
            chosen,
            False,
            "edge",
            index.name,
            "a slice instead of an index",
        )


def pairwise_edges(
    usable: Sequence[Param],
    base: Mapping[str, object],
    edges_of: Callable[[Param], list[Edge]],
    evidenced: Callable[[str], bool],
    add: Add,
) -> None:
    """Edge values of two parameters together, every pair covered (see :mod:`.pairwise`)."""
    params = [p for p in usable if p.name in base or p.default is not None][:MAX_PAIRWISE_PARAMS]
    if len(params) < 2:
        return
    picks: list[list[Edge]] = []
    for p in params:
        edges = edges_of(p)
        picks.append([edges[i] for i in pick_edges([(e.value, e.risk) for e in edges])])
    for r, row in enumerate(covering_rows([len(v) for v in picks])):
        chosen = dict(base)
        names: list[str] = []
        valid = proven = True
        for p, values, index in zip(params, picks, row, strict=True):
            if index < 0:
                continue
            edge = values[index]
            chosen[p.name] = edge.value
            names.append(p.name)
            valid = valid and edge.valid
            proven = proven and edge.valid and evidenced(p.name)
        describe = f"pairwise edge values of {', '.join(names)}"
        add(
            f"pairwise-{r}",
            "edge",
            "combined-edges",
            chosen,
            valid,
            "pairwise",
            "",
            describe,
            proven,
        )


def encoded_edges(
    usable: Sequence[Param],
    values_of: Callable[[Param], Sequence[object]],
    base: Mapping[str, object],
    add: Add,
) -> None:
    """The ordinary text as bytes in another encoding, with ``encoding`` naming it.

    A loader that takes ``str`` or ``bytes`` and an ``encoding`` (``loads(s,
    encoding=None)``) reads UTF-8 when none is given; edge values vary one parameter
    at a time, so the bytes are never in the encoding named beside them, and a rewrite
    that always decodes UTF-8 passes. Never findings.

    :param values_of: a parameter's ordinary values (the text comes from the first
        that is one).
    """
    names = [p for p in usable if p.name.lower() in _ENCODING_NAMES]
    if len(names) != 1:
        return
    encoding = names[0]
    for p in usable:
        values = [base.get(p.name), *values_of(p)]
        takes_bytes = "bytes" in (p.annotation or "") or any(isinstance(v, bytes) for v in values)
        texts = [v for v in values if isinstance(v, (str, bytes))]
        if p is encoding or not takes_bytes or not texts:
            continue
        first = texts[0]
        text = first.decode("utf-8", "replace") if isinstance(first, bytes) else first
        for k, name in enumerate(ENCODINGS):
            written = text + "\u00e9" if name == "latin-1" else text
            chosen = {**base, p.name: written.encode(name, "replace"), encoding.name: name}
            describe = f"{p.name} as bytes in {name}, which {encoding.name} names"
            add(f"encoded-{p.name}-{k}", "edge", "unicode-fast-path", chosen, False, "edge",
                p.name, describe)  # fmt: skip
        return
