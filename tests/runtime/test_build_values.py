"""Build and Ref: values a guardrail builds in the module under test, for every call."""

from __future__ import annotations

import copy
import importlib
import pickle
import sys
import textwrap
import types
from pathlib import Path

import pytest

from pytest_autoimprove.generators.literals import to_source
from pytest_autoimprove.runtime.replay import Build, Case, Ref, build_values, call, replay


def _module(tmp_path: Path, name: str, source: str) -> types.ModuleType:
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        __import__(name)
    finally:
        sys.path.remove(str(tmp_path))
    return sys.modules[name]


STORE = """
import sqlite3
from enum import Enum


class Color(Enum):
    RED = "r"


MADE = []


def connect(path=":memory:"):
    db = sqlite3.connect(path)
    db.execute("create table t (x integer)")
    MADE.append(db)
    return db


def insert_and_count(db, n):
    db.executemany("insert into t values (?)", [(i,) for i in range(n)])
    return db.execute("select count(*) from t").fetchone()[0]


def name_of(color):
    return color.name
"""


def test_a_built_argument_is_fresh_for_every_call(tmp_path: Path) -> None:
    mod = _module(tmp_path, "bv_store", STORE)
    case = Case("factory-0", args=(Build("connect"), 3), returns=3)
    # The connection accumulates rows: a shared one would count 3, then 6.
    replay(mod, "insert_and_count", "function", case)
    replay(mod, "insert_and_count", "function", case)
    assert len(mod.MADE) == 2


def test_references_resolve_in_the_module_then_by_import_then_builtins(tmp_path: Path) -> None:
    mod = _module(tmp_path, "bv_refs", STORE)
    assert build_values(mod, Ref("Color.RED")) is mod.Color.RED
    assert build_values(mod, Build("decimal.Decimal", "0.1")) == __import__("decimal").Decimal(
        "0.1"
    )
    assert list(build_values(mod, Build("iter", [1, 2]))) == [1, 2]
    out = call(mod, "name_of", "function", (Ref("Color.RED"),))
    assert out.value == "RED"
    with pytest.raises(AttributeError, match="no 'Nope'"):
        build_values(mod, Ref("Nope"))


def test_containers_are_rebuilt_only_where_they_hold_a_built_value(tmp_path: Path) -> None:
    mod = _module(tmp_path, "bv_containers", STORE)
    plain = [1, (2, 3), {"a": [4]}]
    assert build_values(mod, plain) is plain
    mixed = build_values(mod, {"k": [Ref("Color.RED"), 1]})
    assert mixed == {"k": [mod.Color.RED, 1]}


def test_a_baseline_copy_builds_with_its_own_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, baseline_copy: Path
) -> None:
    pkg = baseline_copy / "bvpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "models.py").write_text("class Point:\n    def __init__(self, x):\n        self.x = x\n")
    (pkg / "core.py").write_text("def x_of(p):\n    return p.x\n")
    real = tmp_path / "bvpkg"
    real.mkdir()
    (real / "__init__.py").write_text("")
    (real / "models.py").write_text(
        "class Point:\n    def __init__(self, x):\n        self.x = -x\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    core = importlib.import_module("_autoimprove_baseline.bvpkg.core")
    built = build_values(core, Build("bvpkg.models.Point", 2))
    assert type(built).__module__ == "_autoimprove_baseline.bvpkg.models"
    assert built.x == 2


def test_build_and_ref_pickle_copy_and_render_as_source() -> None:
    value = [Build("connect", ":memory:", timeout=2.5), Ref("Color.RED"), Build("Point", 1, path=3)]
    assert pickle.loads(pickle.dumps(value)) == value
    assert copy.deepcopy(value) == value
    assert hash(Build("a", 1)) == hash(Build("a", 1))
    assert Build("a", 1) != Build("a", 2) and Build("a") != Ref("a")
    source = to_source(value)
    assert source == (
        "[Build('connect', ':memory:', timeout=2.5), Ref('Color.RED'), Build('Point', 1, path=3)]"
    )
    assert repr(value[0]) == "Build('connect', ':memory:', timeout=2.5)"
