"""The tracer records what the code in scope really sees, however it is reached."""

from __future__ import annotations

import importlib
import pickle
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pytest_autoimprove.generators.performance.tracer import MAX_PER_TARGET, Recorder
from pytest_autoimprove.generators.performance.variety import call_features, diverse

BASE = """
class Base:
    def __init__(self, size):
        self.size = size
"""

SCOPED = """
import re

from tracedbase import Base

TOKEN = re.compile(r"(\\w)(\\w*)")


class Parser:
    def __init__(self, options):
        self.options = options

    def parse(self, text):
        return [t for t in self.tokens(text)]

    def tokens(self, text):
        for word in text.split():
            yield word


class Sized(Base):
    def grow(self, by):
        return self.size + by


class StrictParser(Parser):
    pass


class Plain:
    def hello(self, name):
        return "hi " + name


class Loaded:
    def peek(self):
        return self.value


def search(text, options):
    return Parser(options).parse(text)


def first_word(parser, text):
    return parser.parse(text)[:1]


class Scanner:
    def scan(self, text):
        return TOKEN.sub(self.token, text)

    def token(self, m):
        return m.group(1).upper() + m.group(2)


def make_loaded():
    obj = Loaded.__new__(Loaded)
    obj.value = 42
    return obj
"""


@pytest.fixture
def traced(tmp_path: Path) -> Iterator[tuple[Any, Recorder]]:
    (tmp_path / "tracedbase.py").write_text(textwrap.dedent(BASE), encoding="utf-8")
    path = tmp_path / "tracedmod.py"
    path.write_text(textwrap.dedent(SCOPED), encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    targets = {
        "tracedmod": {
            "search": "function",
            "first_word": "function",
            "Parser": "constructor",
            "Parser.parse": "method",
            "Parser.tokens": "method",
            "Sized": "constructor",
            "Sized.grow": "method",
            "StrictParser": "constructor",
            "Plain": "constructor",
            "Plain.hello": "method",
            "Loaded": "constructor",
            "Loaded.peek": "method",
            "Scanner": "constructor",
            "Scanner.token": "method",
        }
    }
    recorder = Recorder({str(path.resolve()): "tracedmod"}, targets, tmp_path / "out.pickle")
    try:
        module = importlib.import_module("tracedmod")
        yield module, recorder
    finally:
        sys.setprofile(None)
        sys.path.remove(str(tmp_path))
        sys.modules.pop("tracedmod", None)
        sys.modules.pop("tracedbase", None)


def _calls(recorder: Recorder, qualname: str) -> list[tuple[Any, ...]]:
    recorder.write()
    records = pickle.loads(recorder.out.read_bytes())
    return [pickle.loads(c["payload"]) for c in records["tracedmod"].get(qualname, [])]


def test_methods_reached_through_a_public_function_are_recorded(
    traced: tuple[Any, Recorder],
) -> None:
    module, recorder = traced
    options = {"strict": True}
    sys.setprofile(recorder.profile)
    module.search("a b c", options)
    sys.setprofile(None)
    assert _calls(recorder, "search") == [(("a b c", {"strict": True}), {}, None)]
    # The receiver: the constructor call that built it.
    assert _calls(recorder, "Parser.parse") == [(("a b c",), {}, (({"strict": True},), {}))]
    # A generator method is one call, however many times it resumes.
    assert _calls(recorder, "Parser.tokens") == [(("a b c",), {}, (({"strict": True},), {}))]


def test_constructor_arguments_are_taken_when_the_instance_is_built(
    traced: tuple[Any, Recorder],
) -> None:
    module, recorder = traced
    options = {"strict": True}
    sys.setprofile(recorder.profile)
    parser = module.Parser(options)
    options["strict"] = False  # changed after construction: not what built it
    parser.parse("x")
    sys.setprofile(None)
    assert _calls(recorder, "Parser.parse") == [(("x",), {}, (({"strict": True},), {}))]


def test_receivers_built_outside_the_scope_are_rebuilt(traced: tuple[Any, Recorder]) -> None:
    module, recorder = traced
    sys.setprofile(recorder.profile)
    module.Sized(3).grow(2)  # __init__ inherited from a base class out of scope
    module.Plain().hello("bo")  # object.__init__: no arguments, no state
    module.make_loaded().peek()  # built without a constructor: not recorded
    sys.setprofile(None)
    assert _calls(recorder, "Sized.grow") == [((2,), {}, ((3,), {}))]
    assert _calls(recorder, "Plain.hello") == [(("bo",), {}, ((), {}))]
    # Its attributes, pickled, would load into the optimized class with the old layout:
    # an honest rewrite adding an attribute in __init__ would fail the case.
    assert _calls(recorder, "Loaded.peek") == []


def test_a_method_inherited_by_a_subclass_is_recorded_on_the_subclass(
    traced: tuple[Any, Recorder],
) -> None:
    module, recorder = traced
    sys.setprofile(recorder.profile)
    module.StrictParser({"strict": True}).parse("x")
    sys.setprofile(None)
    # Parser's own constructor may refuse (an abstract base): the case builds the
    # instance the call really had.
    [(args, kwargs, (nothing, receiver))] = _calls(recorder, "Parser.parse")
    assert (args, kwargs, nothing) == (("x",), {}, None)
    assert repr(receiver) == "Build('tracedmod.StrictParser', {'strict': True})"


def test_an_argument_of_a_class_in_scope_is_recorded_as_the_call_that_builds_it(
    traced: tuple[Any, Recorder],
) -> None:
    module, recorder = traced
    sys.setprofile(recorder.profile)
    module.first_word(module.Parser({"strict": True}), "a b")
    with pytest.raises(AttributeError):  # no constructor call seen: left out
        module.first_word(module.make_loaded(), "c d")
    sys.setprofile(None)
    [(args, kwargs, ctor)] = _calls(recorder, "first_word")
    assert repr(args) == "(Build('tracedmod.Parser', {'strict': True}), 'a b')"
    assert (kwargs, ctor) == ({}, None)
    assert args[0].value(module).options == {"strict": True}  # a fresh Parser each call


def test_a_match_handed_to_a_handler_is_recorded_as_the_search_that_finds_it(
    traced: tuple[Any, Recorder],
) -> None:
    module, recorder = traced
    sys.setprofile(recorder.profile)
    assert module.Scanner().scan("ab cd") == "Ab Cd"
    sys.setprofile(None)
    calls = _calls(recorder, "Scanner.token")
    assert [repr(args) for args, _, _ in calls] == [
        "(Build('pytest_autoimprove.runtime.matches.rematch', '(\\\\w)(\\\\w*)', 32, 'ab cd', "
        "'search', 0, 5),)",
        "(Build('pytest_autoimprove.runtime.matches.rematch', '(\\\\w)(\\\\w*)', 32, 'ab cd', "
        "'match', 3, 5),)",
    ]
    # Built again at call time: the same groups, handled the same way.
    assert [module.Scanner().token(args[0].value(module)) for args, _, _ in calls] == ["Ab", "Cd"]


def test_the_same_call_is_kept_once_per_target(traced: tuple[Any, Recorder]) -> None:
    module, recorder = traced
    sys.setprofile(recorder.profile)
    for _ in range(3):
        module.search("a", {})
    sys.setprofile(None)
    assert len(_calls(recorder, "search")) == 1
    # The same arguments at another target are that target's own record.
    assert len(_calls(recorder, "Parser.parse")) == 1


def test_a_full_target_still_takes_calls_of_new_shapes(traced: tuple[Any, Recorder]) -> None:
    # A validator's tests: the first test file checks one rule many times, the later
    # ones each check another. First come, first kept, the later rules were never seen.
    module, recorder = traced
    sys.setprofile(recorder.profile)
    for n in range(MAX_PER_TARGET + 10):
        module.search(f"word{n}", {"rule": "required"})
    for rule in ("min", "allowed", "regex"):
        module.search("x", {"rule": rule, rule: 1})
    sys.setprofile(None)
    calls = _calls(recorder, "search")
    assert len(calls) == MAX_PER_TARGET
    kept = [options for (_, options), _, _ in calls]
    assert {"rule": "min", "min": 1} in kept and {"rule": "regex", "regex": 1} in kept
    assert sum(options == {"rule": "required"} for options in kept) == MAX_PER_TARGET - 3


def test_the_planner_keeps_calls_of_the_most_shapes_first() -> None:
    shapes = [({"rule": "required"},)] * 5 + [({"rule": "min", "min": 1},), ("text",)]
    records = [{"id": i, "features": sorted(call_features(a, {}))} for i, a in enumerate(shapes)]
    assert [r["id"] for r in diverse(records, 3)] == [0, 5, 6]  # in recorded order
    assert [r["id"] for r in diverse(records, 4)] == [0, 1, 5, 6]  # then the first others
    assert diverse(records[:2], 3) == records[:2]
    # Records of an older trace, without features, keep their order.
    assert [r["id"] for r in diverse([{"id": i} for i in range(5)], 2)] == [0, 1]
    # Keys, short texts, types and container sizes are what a shape is made of.
    assert call_features(({"a": [1, 2]},), {"flag": True}) == {
        "0:dict/1", "key:'a'", "list/2", "int", "kw:flag", "flag:bool"
    }  # fmt: skip
