"""resolve.py and typespec.py: annotations evaluated in the module's own namespace."""

from __future__ import annotations

import abc
import collections.abc
import textwrap
import typing
from pathlib import Path

import pytest

from pytest_autoimprove.generators.discover import discover
from pytest_autoimprove.generators.performance.facts import read_facts
from pytest_autoimprove.generators.performance.resolve import resolve_all
from pytest_autoimprove.generators.performance.typespec import TypeSpec, from_type

MODULE = """
from __future__ import annotations

import enum
import re
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterator, Literal, NamedTuple, Optional, TypedDict

if TYPE_CHECKING:
    from collections.abc import Sequence
    from decimal import Decimal
    from _typeshed import SupportsRead
    NumberOrString = Union[int, float, Decimal, str]

WORD = re.compile("[a-z]+" + "s?", re.I)


class Color(enum.Enum):
    RED = "r"
    GREEN = "g"


@dataclass
class Point:
    x: int
    y: float = 0.0
    tags: list[str] = field(default_factory=list)


class Pair(NamedTuple):
    a: int
    b: str = "x"


class Movie(TypedDict, total=False):
    title: str
    year: int


class Box:
    def __init__(self, p: Point, color: Color = Color.RED) -> None:
        self.p = p


def fmt(value: NumberOrString, n: Optional[int] = None, mode: Literal["a", "b"] = "a") -> str:
    return str(value)


def use(
    db: sqlite3.Connection,
    f: Callable[[int, int], int],
    it: Iterator[str],
    src: SupportsRead[str] | None,
    points: Sequence[Point],
    movie: Movie,
    pair: Pair,
    box: Box,
    color: "Color",
    counts: dict[str, int],
) -> None:
    return None


def connect(path: str = ":memory:") -> sqlite3.Connection:
    return sqlite3.connect(path)
"""


@pytest.fixture
def resolved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, TypeSpec]]:
    (tmp_path / "rt_types.py").write_text(textwrap.dedent(MODULE), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    info = discover(tmp_path, Path("rt_types.py"))
    facts = read_facts((tmp_path / "rt_types.py").read_text(), "rt_types")
    request = {
        "sys_path": [str(tmp_path)],
        "modules": [
            {
                "name": "rt_types",
                "aliases": facts.aliases,
                "checking": facts.checking,
                "targets": [
                    {
                        "qualname": t.qualname,
                        "params": [(p.name, p.annotation) for p in t.params if p.annotation],
                        "returns": facts.returns.get(t.qualname),
                    }
                    for t in info.targets
                ],
                "pattern_names": sorted(facts.patterns),
            }
        ],
    }
    out = resolve_all(request)["modules"]["rt_types"]
    assert out["error"] is None
    out["params"]["@returns"] = out["returns"]
    out["params"]["@patterns"] = out["patterns"]
    return out["params"]  # type: ignore[no-any-return]


def _names(spec: TypeSpec) -> list[str]:
    return [o.name or o.t for o in spec.args]


def test_an_alias_for_type_checkers_only_is_resolved(resolved: dict) -> None:
    value = resolved["fmt"]["value"]
    assert value.t == "union"
    assert _names(value) == ["int", "float", "decimal.Decimal", "str"]
    assert value.args[2].type_name == "decimal.Decimal"
    # Decimal exists only under TYPE_CHECKING: built by its absolute path.
    assert value.args[2].name == "decimal.Decimal"
    assert _names(resolved["fmt"]["n"]) == ["int", "none"]
    assert resolved["fmt"]["mode"] == TypeSpec("literal", values=("'a'", "'b'"))


def test_classes_are_described_by_their_constructors(resolved: dict) -> None:
    use = resolved["use"]
    assert use["db"].t == "class" and use["db"].flavor == "opaque"
    assert use["db"].type_name == "sqlite3.Connection"
    assert use["f"] == TypeSpec("callable", arity=2)
    assert use["it"].t == "iterator" and use["it"].args[0] == TypeSpec("scalar", "str")
    points = use["points"]
    assert points.t == "list" and points.args[0].flavor == "dataclass"
    assert [(f.name, f.required) for f in points.args[0].fields] == [
        ("x", True),
        ("y", False),
        ("tags", False),
    ]
    assert [(f.name, f.required) for f in use["movie"].fields] == [
        ("title", False),
        ("year", False),
    ]
    assert use["pair"].flavor == "namedtuple"
    box = use["box"]
    assert box.flavor == "class" and box.fields[0].spec.name == "Point"
    assert box.fields[1].spec == TypeSpec(
        "enum", name="Color", type_name="rt_types.Color", values=("RED", "GREEN")
    )
    assert use["color"].t == "enum"
    assert use["counts"].t == "dict" and use["counts"].args[1] == TypeSpec("scalar", "int")


def test_a_stub_only_name_is_unknown_and_the_rest_still_resolves(resolved: dict) -> None:
    src = resolved["use"]["src"]
    assert src.t == "union"
    assert src.args[0] == TypeSpec("unknown", name="SupportsRead")
    assert src.args[1] == TypeSpec("none")


def test_return_annotations_and_patterns(resolved: dict) -> None:
    assert resolved["@returns"]["connect"].type_name == "sqlite3.Connection"
    assert resolved["@patterns"]["WORD"] == ("[a-z]+s?", 2 | 32)


def test_an_import_error_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "rt_broken.py").write_text("import not_a_module_anywhere\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    out = resolve_all({"sys_path": [str(tmp_path)], "modules": [{"name": "rt_broken"}]})
    assert out["modules"]["rt_broken"]["error"].startswith("ModuleNotFoundError")


def test_a_container_of_patterns_gives_its_members() -> None:
    import re
    import types

    from pytest_autoimprove.generators.performance.resolve import _patterns

    module = types.ModuleType("m")
    module.PATTERNS = [re.compile("a+"), re.compile("b+", re.I)]  # type: ignore[attr-defined]
    module.BY_NAME = {"x": re.compile("x+"), "n": 3}  # type: ignore[attr-defined]
    assert _patterns(module, ["PATTERNS", "BY_NAME"]) == {
        "PATTERNS[0]": ("a+", re.compile("a+").flags),
        "PATTERNS[1]": ("b+", re.compile("b+", re.I).flags),
        "BY_NAME['x']": ("x+", re.compile("x+").flags),
    }


def test_a_protocol_stands_for_the_builtin_that_has_its_members() -> None:
    kt, vt = typing.TypeVar("kt"), typing.TypeVar("vt")

    class Maplike(typing.Protocol[kt, vt]):
        def keys(self) -> typing.Iterable[kt]: ...

        def __getitem__(self, key: kt) -> vt: ...

    class Sized(typing.Protocol):
        def __len__(self) -> int: ...

    class Flies(typing.Protocol):
        def fly(self) -> None: ...

    def spec(tp: object) -> TypeSpec:
        return from_type(tp, None, lambda text, module: None)

    # no one constructs a protocol; a dict is what callers pass for keys and [key]
    assert spec(Maplike[str, int]).t == "dict"
    assert spec(Sized).t == "dict"  # the first builtin with __len__
    assert spec(Flies).flavor == "opaque"  # nothing builtin flies: left to factories


class Storage(abc.ABC):
    @abc.abstractmethod
    def read(self) -> dict: ...


class FileStorage(Storage):
    def __init__(self, path: str) -> None:  # would create a file: never built
        self.path = path

    def read(self) -> dict:
        return {}


class MemoryStorage(Storage):
    def __init__(self) -> None:
        self.data: dict = {}

    def read(self) -> dict:
        return self.data


class Backend(abc.ABC):
    @abc.abstractmethod
    def run(self) -> None: ...


def test_an_abstract_type_stands_for_a_subclass_built_without_arguments() -> None:
    spec = from_type(Storage, None, lambda text, module: None)
    # no one constructs the base; a caller passes a concrete storage
    assert spec.t == "class" and spec.name.endswith("MemoryStorage")
    assert from_type(Backend, None, lambda text, module: None).flavor == "opaque"


def test_a_stream_of_bytes_is_a_binary_stream() -> None:
    def spec(tp: object) -> TypeSpec:
        return from_type(tp, None, lambda text, module: None)

    # cbor2's CBOREncoder(fp: IO[bytes]): built on a StringIO, every write raised.
    assert spec(typing.IO[bytes]).type_name == "typing.BinaryIO"
    assert spec(typing.IO[str]).type_name == "typing.IO"


def test_views_and_buffers_are_built_from_bytes() -> None:
    # hyperframe's parse_body(self, data: memoryview): an opaque builtin, so no call
    # was planned and the named targets got no test at all.
    for tp in (memoryview, bytearray):
        spec = from_type(tp, None, lambda text, module: None)
        assert spec.t == "class" and spec.name == tp.__name__ and spec.flavor == "class"
        [field] = spec.fields
        assert field.spec == TypeSpec("scalar", "bytes") and not field.keyword


def test_a_hashable_bound_stands_for_text_and_numbers() -> None:
    element = typing.TypeVar("element", bound=collections.abc.Hashable)
    spec = from_type(element, None, lambda text, module: None)
    assert (spec.t, [(a.t, a.name) for a in spec.args]) == (
        "union",
        [("scalar", "str"), ("scalar", "int")],
    )
