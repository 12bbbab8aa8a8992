"""pools.py: ordinary values, edges and strategies from resolved annotations."""

from __future__ import annotations

import ast
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_autoimprove.generators.literals import EVAL_BUILTINS, to_source
from pytest_autoimprove.generators.performance.facts import read_facts
from pytest_autoimprove.generators.performance.inputs import static_spec
from pytest_autoimprove.generators.performance.pools import (
    Pool,
    pool_of,
    with_factory,
    with_format,
)
from pytest_autoimprove.generators.performance.typespec import Field, TypeSpec
from pytest_autoimprove.generators.performance.values import Kind
from pytest_autoimprove.runtime.replay import Build, Ref

INT, FLOAT, STR = TypeSpec("scalar", "int"), TypeSpec("scalar", "float"), TypeSpec("scalar", "str")
DECIMAL = TypeSpec("class", "Decimal", "decimal.Decimal", flavor="class")


def _pool(spec: TypeSpec) -> Pool:
    pool = pool_of(spec)
    assert pool is not None
    # Every value is written in the test file as source that rebuilds it.
    for value in [s.value for s in pool.samples] + [e.value for e in pool.edges]:
        assert to_source(value) is not None, value
    if pool.strategy is not None:
        ast.parse(pool.strategy, mode="eval")
    return pool


def test_a_union_is_called_with_each_of_its_types() -> None:
    pool = _pool(TypeSpec("union", args=(INT, FLOAT, DECIMAL, STR)))
    types = [type(s.value).__name__ for s in pool.samples[:4]]
    assert types == ["int", "float", "Build", "str"]
    assert pool.samples[2].value == Build("Decimal", "2.5")
    assert "one of the annotated types" in pool.samples[0].note
    risks = {e.risk for e in pool.edges}
    assert {"exact-decimals", "bool-input", "empty-input", "nan-and-infinity"} <= risks
    assert pool.kind.name == "union" and pool.kind.evidence == "annotation"
    assert pool.strategy is not None and pool.strategy.startswith("st.one_of(")


def test_numeric_edges_fast_paths_get_wrong() -> None:
    ints = [e.value for e in _pool(INT).edges]
    assert True in ints and 2**53 + 1 in ints and 10**20 in ints
    floats = [e.value for e in _pool(FLOAT).edges]
    assert any(isinstance(v, float) and math.isnan(v) for v in floats)
    assert any(v == 0.0 and math.copysign(1, v) < 0 for v in floats if isinstance(v, float))
    assert math.inf in floats and 2**53 + 1 in floats


def test_optional_literal_enum_and_containers() -> None:
    optional = _pool(TypeSpec("union", args=(INT, TypeSpec("none"))))
    assert optional.kind.optional and None in [e.value for e in optional.edges]
    literal = _pool(TypeSpec("literal", values=("'a'", "'b'", "3")))
    assert [s.value for s in literal.samples] == ["a", "b"]
    assert [e.value for e in literal.edges] == [3]
    colors = _pool(TypeSpec("enum", "Color", "m.Color", values=("RED", "GREEN", "BLUE")))
    assert colors.samples[0].value == Ref("Color.RED")
    assert (
        colors.strategy
        == "st.sampled_from([Ref('Color.RED'), Ref('Color.GREEN'), Ref('Color.BLUE')])"
    )
    it = _pool(TypeSpec("iterator", args=(STR,)))
    assert it.samples[0].value == Build("iter", ["Hello World_42", "Foo-Bar_baz 42"])
    pair = _pool(TypeSpec("tuple", args=(INT, STR)))
    assert pair.samples[0].value == (3, "Hello World_42")
    assert (
        pair.strategy
        == "st.tuples(st.integers(min_value=-1000, max_value=1000), st.text(max_size=30))"
    )


def test_a_container_holds_one_odd_item_beside_an_ordinary_one() -> None:
    # A count of zero or a negative one among ordinary counts: kept or dropped by a
    # rewrite where the baseline does the other (all odd items together, the first
    # the code refuses hides the rest).
    counts = pool_of(TypeSpec("dict", args=(STR, INT)))
    assert counts is not None
    pairs = [list(e.value.values()) for e in counts.edges if isinstance(e.value, dict)]
    assert [3, 0] in pairs and [3, -1] in pairs
    words = _pool(TypeSpec("list", args=(STR,)))
    assert ["Hello World_42", ""] in [e.value for e in words.edges]
    # And one number past 64 bits (sqids refusing only negative numbers lets it in).
    numbers = _pool(TypeSpec("list", args=(INT,)))
    assert [3, 2**64 + 1] in [e.value for e in numbers.edges]
    # A mapping to built values (a pool of its own) holds them the same way.
    prices = _pool(TypeSpec("dict", args=(STR, DECIMAL)))
    assert any(isinstance(e.value, dict) and len(e.value) == 2 for e in prices.edges)


def test_user_classes_are_built_by_their_constructor() -> None:
    point = TypeSpec(
        "class",
        "Point",
        "m.Point",
        fields=(Field("x", INT, True), Field("y", FLOAT, False)),
        flavor="dataclass",
    )
    pool = _pool(point)
    assert pool.samples[0].value == Build("Point", x=3)
    assert "built by Point(...)" in pool.samples[0].note
    assert Build("Point", x=-1) in [e.value for e in pool.edges]
    assert pool.strategy == (
        "st.builds(Build, st.just('Point'), x=st.integers(min_value=-1000, max_value=1000))"
    )
    nested = _pool(TypeSpec("list", args=(point,)))
    assert nested.samples[0].value == [Build("Point", x=3), Build("Point", x=10)]
    movie = TypeSpec(
        "typeddict",
        "Movie",
        "m.Movie",
        fields=(Field("title", STR, True), Field("year", INT, False)),
    )
    assert _pool(movie).samples[0].value == {"title": "Hello World_42", "year": 3}
    decimal = _pool(DECIMAL)
    assert decimal.samples[0].value == Build("Decimal", "2.5")


def test_a_type_only_a_factory_makes_waits_for_one() -> None:
    conn = TypeSpec("class", "sqlite3.Connection", "sqlite3.Connection", flavor="opaque")
    pool = pool_of(conn)
    assert pool is not None and pool.samples == () and pool.needs == "sqlite3.Connection"
    maybe = pool_of(TypeSpec("union", args=(conn, TypeSpec("none"))))
    assert maybe is not None and maybe.needs == "sqlite3.Connection" and maybe.kind.optional
    built = with_factory(pool, [(Build("connect"), "db built by connect()")], optional=False)
    assert built.samples[0].value == Build("connect")
    assert built.kind.evidence == "factory"
    assert built.strategy == "st.sampled_from([Build('connect')])"


def test_a_format_leads_a_string_pool() -> None:
    base = pool_of(STR)
    pool = with_format(
        base,
        Kind("str"),
        "ISO_DATE",
        ["2024-02-29"],
        [("-2024-02-29", "a sign in front")],
        "st.from_regex(baseline.ISO_DATE, fullmatch=True)",
    )
    assert pool.samples[0].value == "2024-02-29" and pool.samples[0].tag == "regex"
    assert pool.edges[0].risk == "format-fast-path"
    assert pool.edges[0].note == "ISO_DATE string with a sign in front"
    assert pool.strategy == (
        "st.one_of(st.from_regex(baseline.ISO_DATE, fullmatch=True), st.text(max_size=30))"
    )


def test_static_resolution_through_aliases_for_type_checkers() -> None:
    facts = read_facts(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    Num = int | float\n"
        "    NumOrStr = Union[Num, 'str']\n",
        "m",
    )
    spec = static_spec("Optional[NumOrStr]", facts)
    assert spec == TypeSpec("union", args=(INT, FLOAT, STR, TypeSpec("none")))
    assert static_spec("list[Num]", facts) == TypeSpec(
        "list", args=(TypeSpec("union", args=(INT, FLOAT)),)
    )
    assert static_spec("Literal['a', 1]", facts) == TypeSpec("literal", values=("'a'", "1"))
    assert static_spec("Widget", facts) is None


@settings(max_examples=40, deadline=None)
@given(
    st.recursive(
        st.sampled_from([INT, FLOAT, STR, TypeSpec("none"), DECIMAL, TypeSpec("any")]),
        lambda inner: st.one_of(
            st.builds(lambda a: TypeSpec("list", args=(a,)), inner),
            st.builds(lambda a, b: TypeSpec("union", args=(a, b)), inner, inner),
            st.builds(lambda a, b: TypeSpec("tuple", args=(a, b)), inner, inner),
        ),
        max_leaves=6,
    )
)
def test_every_pool_value_renders_and_every_strategy_parses(spec: TypeSpec) -> None:
    pool = pool_of(spec)
    if pool is None:
        return
    # One list held twice goes to the data file: source text would build two.
    edges = [e.value for e in pool.edges if e.risk != "repeated-object"]
    for value in [s.value for s in pool.samples] + edges:
        source = to_source(value)
        assert source is not None
        eval(source, {"__builtins__": EVAL_BUILTINS})
    if pool.strategy is not None:
        ast.parse(pool.strategy, mode="eval")


def test_factories_are_the_calls_in_scope_that_returned_the_type(tmp_path) -> None:
    import textwrap
    from pathlib import Path

    from pytest_autoimprove.generators.discover import discover
    from pytest_autoimprove.generators.performance.inputs import Knowledge, factory_pools
    from pytest_autoimprove.generators.performance.plan import plan_module

    (tmp_path / "shop.py").write_text(
        textwrap.dedent(
            """
            import sqlite3

            def connect(path=":memory:") -> sqlite3.Connection:
                return sqlite3.connect(path)

            def open_named(name):
                return sqlite3.connect(name)

            def count(db: sqlite3.Connection) -> int:
                return 0
            """
        )
    )
    info = discover(tmp_path, Path("shop.py"))
    conn = TypeSpec("class", "sqlite3.Connection", "sqlite3.Connection", flavor="opaque")
    needs = pool_of(conn)
    assert needs is not None
    knowledge = Knowledge(
        pools={"shop": {"count": {"db": needs}}},
        returns={"shop": {"connect": conn}},
    )
    planned = {"shop": plan_module(info, {})}
    made = ["sqlite3.Connection", "builtins.object"]
    cases = [
        {"qualname": tc.target.qualname, "id": c.id, "returns_mro": made}
        for tc in planned["shop"]
        if tc.target.qualname in ("connect", "open_named")
        for c in tc.candidates
        if c.group == "recorded" and c.origin != "random"
    ]
    changed = factory_pools(knowledge, [info], planned, {"modules": {"shop": {"cases": cases}}})
    assert changed == {"shop": {"count"}}
    pool = knowledge.pools["shop"]["count"]["db"]
    # The factory annotated with the type, with the fewest arguments (no guessed file
    # names: open_named("Hello World_42") would leave a file behind at every run).
    assert [s.value for s in pool.samples] == [Build("connect")]
    assert pool.samples[0].note == "db built by connect(), a factory in scope"
    # A call that did not return the type is no factory.
    knowledge.pools["shop"]["count"]["db"] = needs
    cases = [dict(c, returns_mro=["builtins.int", "builtins.object"]) for c in cases]
    assert factory_pools(knowledge, [info], planned, {"modules": {"shop": {"cases": cases}}}) == {}


def test_pairs_of_free_type_variables_are_key_value_pairs() -> None:
    # Iterable[Tuple[KT, VT]] (bidict's MapOrItems): the items had no value at all, and
    # the target that takes them got no call.
    pairs = TypeSpec("list", args=(TypeSpec("tuple", args=(TypeSpec("any"), TypeSpec("any"))),))
    assert _pool(pairs).samples[0].value == [("Hello World_42", 3), ("Foo-Bar_baz 42", 10)]
