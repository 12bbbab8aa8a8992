"""The generator's parts: catalog, literals, discovery, inference, baseline copy, replay."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_autoimprove.generators import catalog, scratch_env
from pytest_autoimprove.generators.baseline_copy import baseline_files, rewrite_imports
from pytest_autoimprove.generators.discover import discover, module_name
from pytest_autoimprove.generators.literals import to_source
from pytest_autoimprove.generators.performance.values import (
    edge_values,
    infer_kind,
    parse_annotation,
)
from pytest_autoimprove.runtime.compare import same
from pytest_autoimprove.runtime.replay import Case, check_sequence, replay, shares_mutable


def test_scratch_runs_share_hypothesis_caches_unless_the_user_chose_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HYPOTHESIS_STORAGE_DIRECTORY", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    env = scratch_env(PYTHONHASHSEED="0")
    assert env["HYPOTHESIS_STORAGE_DIRECTORY"] == str(
        tmp_path / "cache" / "pytest-autoimprove" / "hypothesis"
    )
    assert env["PYTHONDONTWRITEBYTECODE"] == "1" and env["PYTHONHASHSEED"] == "0"
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(tmp_path / "mine"))
    assert scratch_env()["HYPOTHESIS_STORAGE_DIRECTORY"] == str(tmp_path / "mine")


def test_catalog_is_consistent() -> None:
    for family, ids in catalog.FAMILIES.items():
        assert ids, family
        for risk_id in ids:
            assert catalog.risk(risk_id).description
    for risk in catalog.RISKS:
        assert set(risk.test_kinds) <= set(catalog.TEST_KINDS), risk.id
    assert catalog.risks_for("speed")
    assert {r.id for r in catalog.risks_for("quality")} >= {"holdout-overfit", "golden-read"}
    assert catalog.risks_for("latency") == ()


literal_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.binary(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner)
        | st.frozensets(st.integers() | st.text(max_size=3), max_size=3)
        | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(literal_values)
def test_literals_round_trip(value: Any) -> None:
    source = to_source(value)
    assert source is not None
    rebuilt = eval(source, {"__builtins__": {"float": float, "set": set, "frozenset": frozenset}})
    assert same(rebuilt, value)


def test_literals_are_short_and_deterministic() -> None:
    assert to_source("x" * 3000) == "'x' * 3000"
    assert to_source([1, 2] * 500) == "[1, 2] * 500"
    assert to_source({"b", "a"}) == "{'a', 'b'}"
    assert to_source(object()) is None
    fresh = [[] for _ in range(40)]
    assert to_source(fresh) is not None  # mutable units are never multiplied
    assert "* 40" not in (to_source(fresh) or "")
    # One list held twice stays one in the data file: source text would build two.
    shared: list[object] = []
    assert to_source([shared, shared]) is None and to_source({"a": [shared, shared]}) is None
    assert to_source([[], []]) == "[[], []]"


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return Path(rel)


def test_discover_lists_public_targets(tmp_path: Path) -> None:
    write(tmp_path, "src/pkg/__init__.py", "")
    rel = write(
        tmp_path,
        "src/pkg/mod.py",
        '''
        def public(text, limit=3):
            """Raises:
                KeyError: when missing."""
            if text is None:
                raise ValueError("no text")
            return text[:limit]

        def _private(x):
            return x

        async def fetch(x):
            return x

        def gen(n):
            yield n

        class Thing:
            def __init__(self, size: int):
                self.size = size

            def grow(self, by):
                return self.size + by

            @property
            def double(self):
                return 2 * self.size

        class Oops(Exception):
            pass
        ''',
    )
    info = discover(tmp_path, rel)
    assert info.name == "pkg.mod"
    assert info.import_root == Path("src")
    assert [t.qualname for t in info.targets] == ["public", "Thing", "Thing.grow"]
    public = info.targets[0]
    assert [p.name for p in public.params] == ["text", "limit"]
    assert public.params[0].none_checked
    assert public.params[1].default == "3"
    assert {"ValueError", "KeyError"} <= info.expected_exceptions
    assert [p.name for p in info.targets[1].params] == ["size"]


def test_a_constructor_without_init_takes_what_new_or_the_tuple_base_takes(
    tmp_path: Path,
) -> None:
    rel = write(
        tmp_path,
        "shapes.py",
        """
        from collections import namedtuple
        from typing import NamedTuple

        class Week(namedtuple("Week", ("year", "week"))):
            def __new__(cls, year, week):
                return super().__new__(cls, year, week % 53)

        class Point(namedtuple("Point", "x, y")):
            def norm(self):
                return abs(self.x) + abs(self.y)

        class Pair(NamedTuple):
            left: int
            right: str = "r"
        """,
    )
    ctors = {
        t.qualname: t.params for t in discover(tmp_path, rel).targets if t.kind == "constructor"
    }
    assert {name: [p.name for p in params] for name, params in ctors.items()} == {
        "Week": ["year", "week"],
        "Point": ["x", "y"],
        "Pair": ["left", "right"],
    }
    assert [p.annotation for p in ctors["Pair"]] == ["int", "str"]


def test_module_name_flat_layout(tmp_path: Path) -> None:
    write(tmp_path, "tools.py", "")
    assert module_name(tmp_path, Path("tools.py")) == ("tools", Path("."))


@pytest.mark.parametrize(
    ("annotation", "name", "optional"),
    [
        ("str", "str", False),
        ("Optional[int]", "int", True),
        ("list[str] | None", "list", True),
        ("typing.Sequence[float]", "list", False),
        ("Dict[str, int]", "dict", False),
        ("SomeClass", "unknown", False),
    ],
)
def test_parse_annotation(annotation: str, name: str, optional: bool) -> None:
    kind = parse_annotation(annotation)
    assert (kind.name, kind.optional) == (name, optional)


def test_inference_prefers_real_values(tmp_path: Path) -> None:
    rel = write(tmp_path, "m.py", "def f(query, items, n=3, flag=None):\n    return query\n")
    params = {p.name: p for p in discover(tmp_path, rel).targets[0].params}
    assert infer_kind(params["query"], "", []).name == "str"
    assert infer_kind(params["query"], "", [4, 5]).name == "int"
    assert infer_kind(params["query"], "", [4, 5]).confident
    assert not infer_kind(params["query"], "", []).confident
    assert infer_kind(params["n"], "", []).name == "int"
    assert infer_kind(params["flag"], "", []).optional
    # Text is iterated too: ``len(isostring)`` does not make a list of it.
    rel = write(tmp_path, "w.py", "def g(isostring, week):\n    return len(isostring) + week\n")
    weeks = {p.name: p for p in discover(tmp_path, rel).targets[0].params}
    assert weeks["isostring"].usage == "iterable"
    assert infer_kind(weeks["isostring"], "", []).name == "str"
    assert infer_kind(weeks["week"], "", []).name == "int"
    risks = {risk for _, risk in edge_values(infer_kind(params["query"], "", ["a"]))}
    assert {"empty-input", "unicode-fast-path", "special-characters"} <= risks


def test_a_parameter_passed_on_takes_what_its_callee_makes_of_it(tmp_path: Path) -> None:
    # parse_media_range(range) only hands range on; three calls down, ';' + line says text.
    rel = write(
        tmp_path,
        "m.py",
        """
        def _header(line):
            return (';' + line).split(';')

        def parse_mime(mime):
            return _header(mime)

        def parse_range(range, *, count=1):
            return parse_mime(range), Counter(limit=count)

        def loops(a, b):
            return loops(b, a)

        class Counter:
            def __init__(self, limit: int):
                self.limit = limit

            def feed(self, data):
                return self._scan(data, at=0)

            def _scan(self, text, at):
                return text.lower()[at:]
        """,
    )
    targets = discover(tmp_path, rel).targets
    found = {t.qualname: {p.name: p.usage for p in t.params} for t in targets}
    assert found["parse_mime"] == {"mime": "str"}
    assert found["parse_range"] == {"range": "str", "count": "int"}  # Counter(limit: int)
    assert found["loops"] == {"a": None, "b": None}  # a cycle ends; nothing is made up
    assert found["Counter.feed"] == {"data": "str"}  # self._scan(data) in its class


def test_a_flag_takes_both_values_whatever_its_default(tmp_path: Path) -> None:
    # A flag turns a code path on: ``ordinal=False`` left at its default never runs it.
    rel = write(tmp_path, "m.py", "def f(n, ordinal=False, strict=True):\n    return n\n")
    params = {p.name: p for p in discover(tmp_path, rel).targets[0].params}
    for name in ("ordinal", "strict"):
        values = [v for v, _ in edge_values(infer_kind(params[name], "", []))]
        assert True in values and False in values, name


def test_rewrite_imports_points_at_the_copy() -> None:
    source = textwrap.dedent(
        """
        import os
        import pkg.units as units
        from . import units as u2
        from .units import to_cents
        from .other import helper
        from pkg import units as u3
        """
    )
    scope = frozenset({"pkg.core", "pkg.units"})
    out = rewrite_imports(source, "pkg.core", False, scope)
    assert "import os\n" in out
    assert "import _autoimprove_baseline.pkg.units as units" in out
    assert "from _autoimprove_baseline.pkg import units as u2" in out
    assert "from _autoimprove_baseline.pkg.units import to_cents" in out
    assert "from pkg.other import helper" in out
    assert "from _autoimprove_baseline.pkg import units as u3" in out


def test_the_copy_does_not_register_again_what_the_original_registered() -> None:
    # pathspec registers its pattern class with a registry out of scope at import: the
    # copy making that call again raised AlreadyRegisteredError, and no guard imported.
    source = textwrap.dedent(
        """
        import codecs
        from .. import util
        from .units import to_cents


        class Pattern:
            pass


        util.register_pattern("glob", Pattern)
        codecs.register(lambda name: None)
        to_cents(1)
        print("loaded")
        """
    )
    out = rewrite_imports(
        source, "pkg.sub.core", False, frozenset({"pkg.sub.core", "pkg.sub.units"})
    )
    assert 'util.register_pattern("glob", Pattern)' not in out
    assert "codecs.register" not in out
    assert out.count("# autoimprove: made by the original module, not by its copy\npass\n") == 2
    # Calls into the code in scope and builtins stay: the copy's own state needs them.
    assert "to_cents(1)\n" in out
    assert 'print("loaded")' in out


def test_baseline_files_mirror_packages(tmp_path: Path) -> None:
    write(tmp_path, "src/pkg/__init__.py", "")
    rel = write(tmp_path, "src/pkg/core.py", "X = 1\n")
    files = baseline_files(tmp_path, Path("guard"), [(rel, "pkg.core")])
    paths = [f.path.as_posix() for f in files]
    assert paths == [
        "guard/_baseline/_autoimprove_baseline/__init__.py",
        "guard/_baseline/_autoimprove_baseline/pkg/__init__.py",
        "guard/_baseline/_autoimprove_baseline/pkg/core.py",
    ]


def test_a_package_in_scope_imports_its_other_submodules_from_itself(tmp_path: Path) -> None:
    # cachetools/__init__.py in scope, keys.py beside it out of scope: keys is not
    # copied, so the copy must import it from the package, not from the copy.
    write(tmp_path, "pkg/keys.py", "def hashkey(*a):\n    return a\n")
    rel = write(tmp_path, "pkg/__init__.py", "from . import keys\nfrom .keys import hashkey\n")
    files = baseline_files(tmp_path, Path("guard"), [(rel, "pkg")])
    copy = next(f.content for f in files if f.path.as_posix().endswith("pkg/__init__.py"))
    assert "from pkg import keys" in str(copy)
    assert "from pkg.keys import hashkey" in str(copy)


class _Module:
    """A stand-in module for replay tests."""

    cache: dict[str, list[int]] = {}

    @staticmethod
    def fresh(n: int) -> list[int]:
        return list(range(n))

    @staticmethod
    def cached(n: int) -> list[int]:
        key = str(n)
        if key not in _Module.cache:
            _Module.cache[key] = list(range(n))
        return _Module.cache[key]

    @staticmethod
    def sorts_in_place(values: list[int]) -> list[int]:
        values.sort()
        return values


def test_replay_and_sequence_catch_shared_results() -> None:
    mod: Any = _Module
    cases = [
        Case("a", args=(3,), returns=[0, 1, 2], fresh=True),
        Case("b", args=(2,), returns=[0, 1], fresh=True),
    ]
    check_sequence(mod, "fresh", "function", cases)
    replay(mod, "cached", "function", cases[0])
    with pytest.raises(AssertionError, match="shared"):
        check_sequence(mod, "cached", "function", cases)


def test_replay_catches_argument_mutation_and_exceptions() -> None:
    mod: Any = _Module
    with pytest.raises(AssertionError, match="arguments after the call"):
        replay(mod, "sorts_in_place", "function", Case("m", args=([2, 1],), returns=[1, 2]))
    with pytest.raises(AssertionError, match="expected builtins.ValueError"):
        replay(mod, "fresh", "function", Case("e", args=(1,), raises="builtins.ValueError"))


def test_shares_mutable() -> None:
    inner = [1]
    assert shares_mutable([inner], {"k": inner})
    assert not shares_mutable([1, "a"], [1, "a"])
    assert not shares_mutable((1, 2), (1, 2))
