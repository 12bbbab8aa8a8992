"""Internal parameters (``_m=CHUNK.match``, ``_len=len``): globals cached as locals for
speed, which no caller passes. The guardrails never pass them, so a rewrite that adds,
drops or renames one changes nothing they see, and their budget goes to the real ones."""

from __future__ import annotations

import importlib
import pickle
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from guarded import Guarded

from pytest_autoimprove.generators import GenerateRequest
from pytest_autoimprove.generators.discover import discover
from pytest_autoimprove.generators.performance import generate
from pytest_autoimprove.generators.performance.facts import read_facts
from pytest_autoimprove.generators.performance.tracer import Recorder

SCANNER = r'''
import re

CHUNK = re.compile(r'[a-z]*(["\\])')


def scan(s, end, _m=CHUNK.match, _len=len):
    """The text of ``s`` from ``end`` up to the closing quote, and the index after it."""
    chunk = _m(s, end)
    if chunk is None:
        raise ValueError(f"unterminated text at {end}")
    if chunk.group(1) == "\\":
        raise ValueError(f"escape at {chunk.end()}")
    if _len(s) > 100:
        raise ValueError("too long")
    return s[end : chunk.end() - 1], chunk.end()
'''


def test_a_pattern_method_cached_in_a_default_matches_its_first_argument() -> None:
    facts = read_facts(textwrap.dedent(SCANNER), "scanner")
    assert facts.matched["scan"] == ["s"]  # `end` is an index, not text of the format


def test_a_recorded_call_loses_the_internal_arguments_the_frame_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "scanner.py"
    path.write_text(textwrap.dedent(SCANNER), encoding="utf-8")
    target = next(t for t in discover(tmp_path, Path("scanner.py")).targets if t.qualname == "scan")
    assert [p.name for p in target.params if p.internal] == ["_m", "_len"]
    monkeypatch.syspath_prepend(str(tmp_path))
    recorder = Recorder(
        {str(path.resolve()): "scanner"},
        {"scanner": {"scan": "function"}},
        tmp_path / "out.pickle",
        {"scanner": {"scan": ["_m", "_len"]}},
    )
    module = importlib.import_module("scanner")
    try:
        sys.setprofile(recorder.profile)
        module.scan('ab"', 0)
        module.scan('cd"', 0, _len=len)
    finally:
        sys.setprofile(None)
        sys.modules.pop("scanner", None)
    recorder.write()
    records = pickle.loads(recorder.out.read_bytes())["scanner"]["scan"]
    # Recorded by the tracer in the project's process, never unpickled by the generator.
    assert [pickle.loads(r["payload"]) for r in records] == [
        (('ab"', 0), {}, None),
        (('cd"', 0), {}, None),
    ]


def test_the_guardrails_never_pass_an_internal_parameter(
    guarded: Callable[[str, str], Guarded],
) -> None:
    scanner = guarded("scanner", SCANNER)
    guard = scanner.guard_text()
    assert "'_m'" not in guard and "'_len'" not in guard, guard[-3000:]
    # The local caches dropped: the same behaviour.
    scanner.assert_passes(
        'def scan(s, end, _m=CHUNK.match, _len=len):\n    """',
        'def scan(s, end):\n    _m, _len = CHUNK.match, len\n    """',
    )
    # The escape check dropped: a regression the format's strings reach.
    scanner.assert_caught('    if chunk.group(1) == "\\\\":\n', "    if False:\n")


POINT = """
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
"""

SHAPES = '''
"""Lengths.

>>> from geo.point import Point
>>> norm(Point(3, 4))
5.0
"""

import math


def norm(point, _sqrt=math.sqrt):
    """The length of the vector to ``point``."""
    return _sqrt(point.x**2 + point.y**2)
'''


def test_recorded_calls_of_objects_the_generator_cannot_load_are_kept(tmp_path: Path) -> None:
    # The generator never imports the code it guards: a recorded call holding an object
    # of the project from outside the scope (pickled by reference to geo.point) is passed
    # on as the tracer pickled it, never loaded in the generator's process to be edited.
    package = tmp_path / "geo"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "point.py").write_text(textwrap.dedent(POINT), encoding="utf-8")
    (package / "shapes.py").write_text(textwrap.dedent(SHAPES), encoding="utf-8")
    (tmp_path / "tests").mkdir()
    request = GenerateRequest(root=tmp_path, modules=(Path("geo/shapes.py"),), kind="speed")
    assert "geo" not in sys.modules
    result = generate(request, trace=True, mutate=False)
    guard = next(f for f in result.files if f.path.name == "test_guard_geo_shapes.py")
    assert "recorded while the project's doctests ran" in str(guard.content)
    assert "_sqrt" not in str(guard.content)
