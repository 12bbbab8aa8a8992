"""explore.py: text inside arguments replaced by the code's own words, guided by coverage."""

from __future__ import annotations

import pickle
import sys
import textwrap
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from guarded import Guarded

from pytest_autoimprove.generators import GenerateRequest
from pytest_autoimprove.generators.performance import generate
from pytest_autoimprove.generators.performance.explore import (
    Explorer,
    code_texts,
    leaves,
    replaced,
)
from pytest_autoimprove.generators.performance.mutants import mutants_for
from pytest_autoimprove.generators.performance.search import run
from pytest_autoimprove.runtime.replay import Build, Case

# The shape of h11's header validation: nothing inferred gets past the first check.
SOURCE = '''
import re

_NAME = re.compile(rb"[a-z-]+")
_DIGITS = re.compile(rb"[0-9]+")


class BadHeader(ValueError):
    pass


def normalize(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Lower-case names, stripped lengths; refuses what is no header."""
    out = []
    for name, value in headers:
        if not _NAME.fullmatch(name):
            raise BadHeader("Illegal header name {!r}".format(name))
        if name == b"content-length":
            value = value.strip()
            if not _DIGITS.fullmatch(value):
                raise BadHeader("bad Content-Length")
        out.append((name, value))
    return out
'''


@pytest.fixture
def module(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "headers.py").write_text(textwrap.dedent(SOURCE), encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        yield str(tmp_path)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("headers", None)


def test_a_valid_structure_is_reached_one_leaf_at_a_time(module: str) -> None:
    # Dropping `.strip()` shows only on a content-length header whose value is digits
    # with blanks around: three leaves away from any planned call, which all fail at
    # the first name. The search finds it and freezes a call the baseline accepts.
    mutant = next(
        m
        for m in mutants_for(textwrap.dedent(SOURCE), "normalize")
        if m.operator == "skip-normalisation"
    )
    planned = [
        ([(b"Hello World_42", b"Hello World_42"), (b"Foo-Bar_baz 42", b"Foo-Bar_baz 42")],),
        ([(b"", b"")],),
    ]
    job = {
        "id": "normalize:strip",
        "module": "headers",
        "qualname": "normalize",
        "kind": "function",
        "operator": mutant.operator,
        "source": mutant.source,
        "payloads": [
            (f"p{i}", pickle.dumps((args, {}, None), protocol=4)) for i, args in enumerate(planned)
        ],
        "params": [{"name": "headers", "kind": "positional", "default": False}],
        "strategies": None,
        "expected": ["BadHeader"],
        "tolerance": None,
        "case_ids": ["mutant-0", "mutant-1"],
    }
    result = run({"sys_path": [module], "jobs": [job], "budget": 20})
    [record] = result["jobs"][job["id"]]["records"]
    case: Case = pickle.loads(record["pickle"])
    assert record["status"] == "ok"
    names = [name for name, _ in case.args[0]]
    assert b"content-length" in names


def test_the_words_of_the_code_come_first_and_templates_never() -> None:
    mod = types.ModuleType("headers")
    exec(compile(textwrap.dedent(SOURCE), "headers.py", "exec"), mod.__dict__)
    texts = code_texts(mod, "normalize")
    assert texts[0] == b"content-length"  # the target's own literal, shortest first
    assert b"a" in texts and b"1" in texts  # the full strings of the module's patterns
    assert not any("{" in t for t in texts if isinstance(t, str))
    assert "bad Content-Length" in texts  # a message too: words are cheap to try


def test_leaves_and_replacements_keep_the_shape() -> None:
    value = ([(b"n", b"v")], {"key": "x"}, Build("make", "a", size="b"))
    paths = {leaf: path for path, leaf in leaves(value)}
    assert set(paths) == {b"n", b"v", "key", "x", "a", "b"}
    again = replaced(value, paths[b"v"], b"1")
    assert again[0] == [(b"n", b"1")] and value[0] == [(b"n", b"v")]
    assert replaced(value, paths["key"], "tz")[1] == {"tz": "x"}
    built = replaced(value, paths["b"], "c")[2]
    assert isinstance(built, Build) and built.kwargs == (("size", "c"),)
    assert built.args == ("a",)


def test_what_the_exploration_reaches_is_frozen(tmp_path: Path) -> None:
    # Beyond telling our own mutants apart: a whole valid structure the exploration
    # reached is frozen, so a regression no mutant foresaw (headers gathered in a dict,
    # a repeated name lost) fails a guard too.
    (tmp_path / "headers.py").write_text(textwrap.dedent(SOURCE), encoding="utf-8")
    request = GenerateRequest(
        root=tmp_path, modules=(Path("headers.py"),), kind="speed", time_budget=40
    )
    for file in generate(request, trace=False).files:
        file.write(tmp_path)
    project = Guarded(tmp_path, "headers", textwrap.dedent(SOURCE))
    assert "explored-0" in project.guard_text()
    project.assert_caught("    return out\n", "    return list(dict(out).items())\n")


def test_variants_put_one_text_in_capitals_or_between_blanks() -> None:
    # Frozen beside the first working explored call where the baseline still works:
    # a dropped .lower() or .strip() shows there.
    explorer = Explorer([], [], "headers.py", lambda value: [])
    got = list(explorer.variants((([(b"n", b"v")],), {"k": "x"}, None)))
    assert (([(b"N", b"v")],), {"k": "x"}, None) in got
    assert (([(b"n", b" v ")],), {"k": "x"}, None) in got
    assert (([(b"n", b"v")],), {"k": " x "}, None) in got


def test_a_target_no_mutant_is_searched_for_is_explored_on_its_own(module: str) -> None:
    # All its mutants were killed (or none applies): no search ever runs for it, yet
    # what its planned calls could not reach is what an unforeseen regression changes.
    job = {
        "id": "explore:headers:normalize",
        "module": "headers",
        "qualname": "normalize",
        "kind": "function",
        "explore_only": True,
        "payloads": [("p0", pickle.dumps((([(b"Hello World_42", b"x")],), {}, None), protocol=4))],
        "params": [{"name": "headers", "kind": "positional", "default": False}],
        "strategies": None,
        "expected": ["BadHeader"],
        "tolerance": None,
    }
    result = run({"sys_path": [module], "jobs": [job], "budget": 20})
    assert result["jobs"][job["id"]]["records"] == []  # nothing to tell apart
    explored = result["explored"]["headers:normalize"]
    cases = [pickle.loads(r["pickle"]) for r in explored]
    assert [c.id for c in cases] == [f"explored-{i}" for i in range(len(cases))]
    working = [c for c in cases if c.raises is None]
    assert any(name == b"content-length" for c in working for name, _ in c.args[0])
