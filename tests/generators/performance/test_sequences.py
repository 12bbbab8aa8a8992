"""The steps of a class's sequence test: recorded calls, and the same calls on pooled values."""

from __future__ import annotations

import ast
from pathlib import Path

from pytest_autoimprove.generators.performance.facts import read_facts
from pytest_autoimprove.generators.performance.render import ModulePlan, TargetPlan, render_module
from pytest_autoimprove.generators.performance.sequences import (
    MAX_STEPS,
    SCENARIO_VALUES,
    ClassSteps,
    base_chains,
    scenario_ctors,
    step_of,
)


def _cache_steps() -> ClassSteps:
    steps = ClassSteps()
    # What each method was recorded with: no two methods share a key.
    steps.add(step_of("__setitem__", ["key", "value"], ["'a'", "1"], "{}"), raised=False)
    steps.add(step_of("__setitem__", ["key", "value"], ["'b'", "2"], "{}"), raised=False)
    steps.add(step_of("__getitem__", ["key"], ["'zz'"], "{}"), raised=True)
    steps.add(step_of("__delitem__", ["key"], ["3"], "{}"), raised=True)
    steps.add(step_of("clear", [], [], "{}"), raised=False)
    return steps


def test_a_parameter_several_methods_take_is_pooled_answered_values_first() -> None:
    pools = _cache_steps().pools()
    # 'a' and 'b' were stored without an error: a read of them reaches the hit path.
    assert pools == {"key": ["'a'", "'b'", "'zz'", "3"]}


def test_each_method_is_also_called_with_the_pooled_values() -> None:
    played = _cache_steps().played()
    # Reads and deletes of the stored keys; a store of the key a read missed.
    for step in (
        "('__getitem__', ('a',), {})",
        "('__getitem__', ('b',), {})",
        "('__delitem__', ('a',), {})",
        "('__setitem__', ('zz', 1), {})",
    ):
        assert step in played
    # Recorded calls are kept, each once; a step without arguments is not varied.
    assert "('__getitem__', ('zz',), {})" in played
    assert "('__delitem__', (3,), {})" in played
    assert played.count("('clear', (), {})") == 1
    assert len(played) == len(set(played)) <= MAX_STEPS


def test_every_method_comes_before_the_truncation() -> None:
    steps = ClassSteps()
    for method in ("get", "pop", "peek", "touch", "drop"):
        for i in range(3):
            steps.add(step_of(method, ["key"], [repr(f"{method}{i}")], "{}"), raised=False)
    played = steps.played()
    assert len(played) == MAX_STEPS
    firsts = {p.split(",")[0] for p in played[:5]}
    assert firsts == {"('get'", "('pop'", "('peek'", "('touch'", "('drop'"}
    assert "('drop', ('get0',), {})" in played  # the pooled calls before the later rows
    assert "('drop', ('drop2',), {})" not in played


def test_a_parameter_of_one_method_only_is_not_pooled() -> None:
    steps = ClassSteps()
    steps.add(step_of("push", ["item"], ["1"], "{}"), raised=False)
    steps.add(step_of("push", ["item"], ["2"], "{}"), raised=False)
    steps.add(step_of("pop", [], [], "{}"), raised=False)
    assert steps.pools() == {}
    assert steps.played() == ["('push', (1,), {})", "('pop', (), {})", "('push', (2,), {})"]


def test_fixed_scenarios_store_read_and_store_again() -> None:
    rounds, again, *touches = _cache_steps().scenarios()
    # Rounds: the storing method (it takes more than the key) on every value first,
    # the removing one last, so that reads meet stored values.
    assert rounds[:4] == [
        "('__setitem__', ('a', 1), {})",
        "('__setitem__', ('b', 1), {})",
        "('__setitem__', ('zz', 1), {})",
        "('__setitem__', (3, 1), {})",
    ]
    keys = ("'a'", "'b'", "'zz'", "3")
    assert rounds[4:8] == [f"('__getitem__', ({key},), {{}})" for key in keys]
    # The removing method after the values are stored again: it removes what is there.
    assert rounds[8:12] == rounds[:4]
    assert rounds[12:] == [f"('__delitem__', ({key},), {{}})" for key in keys]
    # Touch: the values stored one by one, the first read after each store (a cache
    # smaller than the pool keeps it only if reads refresh it), then every value read.
    # The pool is widened with values like its first, past a capacity of ten.
    touch = touches[0]
    stored = [step for step in touch if step.startswith("('__setitem__'")]
    assert len(stored) == SCENARIO_VALUES
    assert stored[4] == "('__setitem__', ('a-1', 1), {})"
    assert touch[:5] == [
        "('__setitem__', ('a', 1), {})",
        "('__setitem__', ('b', 1), {})",
        "('__getitem__', ('a',), {})",
        "('__setitem__', ('zz', 1), {})",
        "('__getitem__', ('a',), {})",
    ]
    reads = [step.replace("__setitem__", "__getitem__").replace(", 1)", ",)") for step in stored]
    assert touch[-SCENARIO_VALUES:] == reads
    # A removing method is no reader: deleting the first value after each store would
    # only ever test the miss path.
    assert len(touches) == 1
    # Store again: every value stored, then stored again newest first (held when the
    # container is full: an update that evicts as if the key were new shows), then read.
    assert again[:SCENARIO_VALUES] == stored
    assert again[SCENARIO_VALUES : 2 * SCENARIO_VALUES] == stored[::-1]
    assert again[2 * SCENARIO_VALUES :] == reads


def test_a_pool_of_values_that_cannot_be_widened_is_used_as_it_is() -> None:
    for first in ("None", "2.5", "b'x'", "True", "Build('Point', 1)"):
        steps = ClassSteps()
        steps.add(step_of("put", ["key", "value"], [first, "1"], "{}"), raised=False)
        steps.add(step_of("get", ["key"], ["'other'"], "{}"), raised=False)
        rounds, _again, touch = steps.scenarios()
        assert len(rounds) == 4, first  # two values, two methods
        assert touch == [
            f"('put', ({first}, 1), {{}})",
            "('put', ('other', 1), {})",
            f"('get', ({first},), {{}})",
            f"('get', ({first},), {{}})",
            "('get', ('other',), {})",
        ]


def test_every_removing_method_meets_stored_values() -> None:
    steps = ClassSteps()
    steps.add(step_of("pop", ["key"], ["'p'"], "{}"), raised=True)
    steps.add(step_of("__delitem__", ["key"], ["'d'"], "{}"), raised=True)
    steps.add(step_of("__setitem__", ["key", "value"], ["'s'", "1"], "{}"), raised=False)
    steps.add(step_of("get", ["key"], ["'g'"], "{}"), raised=False)
    rounds = steps.scenarios()[0]
    # Store, read, then (store again, remove) per removing method: a second remover
    # after the first would only ever meet missing keys, its hit path untested.
    methods = [step.split(",")[0].strip("('") for step in rounds]
    assert (
        methods
        == ["__setitem__"] * 4
        + ["get"] * 4
        + ["__setitem__"] * 4
        + ["pop"] * 4
        + ["__setitem__"] * 4
        + ["__delitem__"] * 4
    )


def test_edge_constructors_vary_different_parameters() -> None:
    ordinary = ["((10, 2.5), {})", "((3, 1.0), {})", "((7, 9.0), {})"]
    edges = [
        ("maxsize", "((0, 2.5), {})"),
        ("maxsize", "((-1, 2.5), {})"),
        ("ttl", "((10, 0.0), {})"),
        ("ttl", "((10, -0.0), {})"),
    ]
    # A capacity of 0 and a lifetime of 0, not two capacities: each edge constructor
    # meets another boundary (eviction, expiry).
    assert scenario_ctors(ordinary, edges) == [
        "((10, 2.5), {})",
        "((3, 1.0), {})",
        "((0, 2.5), {})",
        "((10, 0.0), {})",
        "((7, 9.0), {})",
    ]


def test_a_subclass_plays_the_methods_it_inherits_from_a_class_beside_it() -> None:
    source = """
class Cache:
    def get(self, key): ...
class TTLCache(Cache):
    def expire(self): ...
class Timed(TTLCache, dict):
    pass
"""
    direct = read_facts(source, "caches").bases
    assert direct == {"Cache": [], "TTLCache": ["Cache"], "Timed": ["TTLCache", "dict"]}
    assert base_chains(direct) == {
        "Cache": [],
        "TTLCache": ["Cache"],
        "Timed": ["TTLCache", "Cache"],
    }
    base = ClassSteps()
    base.add(step_of("get", ["key"], ["'a'"], "{}"), raised=False)
    base.add(step_of("__init__", ["maxsize"], ["3"], "{}"), raised=False)
    sub = ClassSteps()
    sub.add(step_of("expire", [], [], "{}"), raised=False)
    sub.inherit(base)
    # An inherited ``get`` plays on the subclass's entries (which may have expired).
    assert set(sub.by_method) == {"expire", "get"}
    assert sub.answered["key"] == ["'a'"]


def test_a_value_built_at_call_time_in_a_sequence_test_is_imported(tmp_path: Path) -> None:
    # A sequence test's calls may be all that builds a value at call time (a focus file
    # of one class during mutation testing): its import must be there all the same.
    target = TargetPlan(
        "Bag",
        "constructor",
        1,
        calls=(["((), {})"], ["('add', (Build('decimal.Decimal', '1.5'),), {})"]),
        scenarios=[["('add', (Build('decimal.Decimal', '1.5'),), {})"]],
    )
    plan = ModulePlan(
        path=Path("bag.py"),
        name="bag",
        import_root=Path("."),
        output_dir=Path("tests/autoimprove_guard"),
        goal="speed",
        targets=[target],
        surface={},
        expected_exceptions=[],
        max_examples=10,
        tolerance=None,
        drop_surface=True,
    )
    tree = ast.parse(render_module(plan))
    imported = {
        a.name for node in tree.body if isinstance(node, ast.ImportFrom) for a in node.names
    }
    assert "Build" in imported
