"""Which instance a method's cases run on: a constructor call that builds a filled one."""

from __future__ import annotations

import pickle
import sys
import types
from collections.abc import Callable

import pytest
from guarded import Guarded

from pytest_autoimprove.generators.performance.probe import _auto_ctor, _record_case

SOURCE = """
class Bag:
    def __init__(self, items=()):
        self.items = list(items)

    def __len__(self):
        return len(self.items)


class Broken:
    def __init__(self, n):
        raise ValueError(n)
"""


def _module() -> types.ModuleType:
    module = types.ModuleType("bags")
    exec(compile(SOURCE, "bags", "exec"), module.__dict__)  # noqa: S102
    return module


def _calls(*args_list: tuple[object, ...]) -> list[tuple[int, bytes]]:
    return [(1, pickle.dumps((args, {}, None))) for args in args_list]


def test_an_empty_container_is_the_receiver_only_when_nothing_fills_one() -> None:
    module = _module()
    # The first call in the rotation builds an empty bag: a slice of it, a miss in it,
    # answers the same whatever the method does. The next call fills one: it comes first.
    assert _auto_ctor(module, "Bag", _calls((), ([3, 1, 2],))) == (([3, 1, 2],), {})
    assert _auto_ctor(module, "Bag", _calls((), ((),))) == ((), {})
    assert _auto_ctor(module, "Bag", _calls(([5],), ([6],)), start=1) == (([6],), {})


def test_no_constructor_call_that_works_gives_none() -> None:
    assert _auto_ctor(_module(), "Broken", _calls((1,), (2,))) is None


LATER = """
class Meter:
    def __init__(self, step):
        self.step = step  # untyped, stored: only a method uses it

    def advance(self, n):
        return n + self.step
"""


def test_a_method_tripping_over_a_guessed_receiver_tries_other_ones() -> None:
    module = types.ModuleType("meters")
    exec(compile(LATER, "meters", "exec"), module.__dict__)  # noqa: S102
    # Guessed constructor calls: text first (the method raises TypeError on it), then
    # a number. The case runs on the first receiver the method does not trip over.
    ctors = {"Meter": _calls(("hello",), ("world",), (2.5,))}
    spec = {"id": "sample-0", "qualname": "Meter.advance", "kind": "method"}
    spec["payload"] = pickle.dumps(((3,), {}, "auto"))
    record = _record_case(module, spec, 5.0, ctors)
    assert record["status"] == "ok"
    assert record["sources"]["returns"] == "5.5"
    assert record["sources"]["ctor"] == "((2.5,), {})"
    # A method that raises TypeError on every receiver still records that: it is what
    # the baseline does.
    only_text = {"Meter": _calls(("hello",), ("world",))}
    assert _record_case(module, spec, 5.0, only_text)["status"] == "raised"


ORDINALS = """
class Ordinals:
    def __init__(self):
        self.words = {1: "first", 2: "second", 3: "third"}

    def ordinal(self, value):
        if value != int(value):
            raise TypeError(f"not an ordinal: {value}")
        return self.words.get(value, f"{value}th")
"""


def test_a_method_whose_parameter_is_discovered_still_has_its_instance(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # ``value`` is untyped and a float is refused: only the second probing round, with
    # the discovered kind, records calls, and they need the constructor's calls too.
    project = guarded("ordinals", ORDINALS)
    assert "def test_ordinals_ordinal_recorded" in project.guard_text()
    # guards: a special case dropped for the numbers with a word of their own
    project.assert_caught('self.words.get(value, f"{value}th")', 'f"{value}th"')


PACKETS = """
class Packet:
    def __init__(self, kind: int, body: bytes = b""):
        self.kind = kind
        self.body = body

    def size(self) -> int:
        if self.body:
            return 3 + len(self.body)
        return 3
"""


def test_a_method_without_parameters_runs_on_several_instances(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # hyperframe's Frame.serialize(): no parameter, so one call, on the one instance
    # the first constructor call built. What it does with a body went unseen.
    project = guarded("packets", PACKETS)
    text = project.guard_text()
    assert "Case('instance-1'" in text and "Case('instance-2'" in text
    # guards: the size of a packet with a body
    project.assert_caught("return 3 + len(self.body)", "return 3")


def test_the_nth_instance_is_the_nth_constructor_call_when_there_is_one() -> None:
    module = _module()
    ctors = {"Bag": _calls(([1],), ([2],))}
    spec = {"id": "instance-1", "qualname": "Bag.__len__", "kind": "method"}
    second = _record_case(module, {**spec, "payload": pickle.dumps(((), {}, "auto:1"))}, 5.0, ctors)
    assert second["sources"]["ctor"] == "(([2],), {})"
    # no third constructor call: no case, rather than the first instance again
    third = _record_case(module, {**spec, "payload": pickle.dumps(((), {}, "auto:2"))}, 5.0, ctors)
    assert third["status"] == "no-instance"


ABSTRACT = """
class Base:
    def __new__(cls, *args):
        if cls is Base:
            raise TypeError("use a subclass")
        return super().__new__(cls)

    def __init__(self, items=()):
        self.items = list(items)

    def first(self):
        return self.items[0]


class Listed(Base):
    pass
"""


def test_a_base_no_one_builds_lends_its_methods_a_subclass_instance(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = types.ModuleType("abstracts")
    exec(compile(ABSTRACT, "abstracts", "exec"), module.__dict__)  # noqa: S102
    monkeypatch.setitem(sys.modules, "abstracts", module)
    ctors = {
        "Base": _calls(
            ([1, 2],),
        ),
        "Listed": _calls(
            ([7, 8],),
        ),
    }
    spec = {"id": "sample-0", "qualname": "Base.first", "kind": "method"}
    spec["payload"] = pickle.dumps(((), {}, "auto"))
    record = _record_case(module, spec, 5.0, ctors)
    assert record["status"] == "ok"
    assert record["sources"]["returns"] == "7"
    assert record["sources"]["ctor"] == "(None, Build('abstracts.Listed', [7, 8]))"
    # No subclass builds one either: no instance.
    assert _record_case(module, spec, 5.0, {"Base": ctors["Base"]})["status"] == "no-instance"
