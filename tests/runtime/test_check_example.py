"""check_example: the project's own examples, statement by statement, beside the baseline."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pytest_autoimprove.runtime.examples import Example, check_example

CORE = '''
from dataclasses import fields


class Missing(KeyError):
    """A field without a default is absent."""


def build(cls, data):
    """An instance of the dataclass ``cls`` from the mapping ``data``.

    >>> total([1, 2])
    3
    """
    values = {}
    for field in fields(cls):
        if field.name in data:
            values[field.name] = data[field.name]
    return cls(**values)


def total(items):
    return sum(items)
'''

Make = Callable[[str], str]


@pytest.fixture
def make(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, baseline_copy: Path) -> Iterator[Make]:
    """``make(current_source)``: package ``shop_<n>`` with module ``core`` as given, and
    its baseline copy (``CORE``) under ``_autoimprove_baseline``; returns the package."""
    made: list[str] = []
    monkeypatch.syspath_prepend(str(tmp_path / "current"))

    def _make(source: str) -> str:
        package = f"shop_{len(made)}_{tmp_path.name[-8:].replace('-', '_')}"
        for base, text in (
            (tmp_path / "current", source),
            (baseline_copy, CORE),
        ):
            (base / package).mkdir(parents=True)
            (base / package / "__init__.py").write_text("from .core import build, total\n")
            (base / package / "core.py").write_text(textwrap.dedent(text))
        made.append(package)
        return package

    yield _make
    for name in list(sys.modules):
        if any(package in name for package in made):
            del sys.modules[name]


def _example(package: str, body: str) -> Example:
    return Example("README.md:3", textwrap.dedent(body).replace("shop", package))


DATACLASS = """
from dataclasses import dataclass
from shop.core import build


@dataclass
class User:
    name: str
    age: int = 0


user = build(User, {"name": "Ann", "age": 3})
print(user)
user.age
"""


def test_an_example_passes_on_the_same_code(make: Make) -> None:
    package = make(CORE)
    check_example(_example(package, DATACLASS), [f"{package}.core"])


def test_a_regression_is_named_by_its_statement(make: Make) -> None:
    # A "fast path" that drops the data: the dataclass defined in the example is
    # built on both sides and compared by its fields.
    package = make(CORE.replace("values[field.name] = data[field.name]", "pass"))
    with pytest.raises(AssertionError, match=r"README.md:3, line 11 `user = build\(User"):
        check_example(_example(package, DATACLASS), [f"{package}.core"])


def test_printed_text_is_compared(make: Make) -> None:
    package = make(CORE.replace("return sum(items)", "return float(sum(items))"))
    body = "from shop import total\nprint(total([1, 2]))\n"
    with pytest.raises(AssertionError, match=r"printed '3.0\\n' where the baseline printed '3\\n'"):
        check_example(_example(package, body), [f"{package}.core"])


def test_names_of_a_package_in_scope_are_the_baselines(make: Make) -> None:
    # ``import shop`` binds a package out of scope whose names come from a module in
    # scope: the baseline run sees the baseline's ``total`` through it.
    package = make(CORE.replace("return sum(items)", "return sum(items) + 1"))
    with pytest.raises(AssertionError, match="line 2 `shop"):
        check_example(_example(package, "import shop\nshop.total([1])\n"), [f"{package}.core"])


def test_the_same_exception_passes_and_another_fails(make: Make) -> None:
    body = "from shop import total\ntotal(None)\n"
    check_example(_example(make(CORE), body), [])
    package = make(CORE.replace("return sum(items)", "return sum(items or ())"))
    with pytest.raises(AssertionError, match="returned 0 where the baseline raised"):
        check_example(_example(package, body), [f"{package}.core"])


@pytest.mark.parametrize(
    "body",
    [
        "from shop_missing import total\n",
        "from shop import total\nundefined_name([1])\n",
        "class Broken(NotAName):\n    pass\n",
    ],
)
def test_an_example_that_cannot_run_says_so(make: Make, body: str) -> None:
    # Dropped by generate: both sides failing the same way would prove nothing.
    package = make(CORE)
    with pytest.raises(AssertionError, match="the example cannot run here"):
        check_example(_example(package, body), [f"{package}.core"])


def test_a_docstring_session_sees_its_module(make: Make) -> None:
    package = make(CORE.replace("return sum(items)", "return sum(items[1:])"))
    example = Example("shop/core.py:9", "total([1, 2])\n", f"{package}.core")
    with pytest.raises(AssertionError, match="result differs"):
        check_example(example, [f"{package}.core"])
