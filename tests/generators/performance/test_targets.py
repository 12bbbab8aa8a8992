"""Generators, ``async def`` functions and methods, and properties are guarded like functions."""

from __future__ import annotations

import asyncio
import re
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from pytest_autoimprove.generators import GenerateRequest
from pytest_autoimprove.generators.discover import discover, is_generator
from pytest_autoimprove.generators.performance import generate
from pytest_autoimprove.runtime.replay import call
from pytest_autoimprove.runtime.results import materialize

SOURCE = '''
def countdown(n: int):
    """Yield n, n-1, ..., 1."""
    while n > 0:
        yield n
        n -= 1


async def double(x: int) -> int:
    await asyncio.sleep(0)
    return 2 * x


class Account:
    def __init__(self, owner: str, cents: int = 0):
        self.owner = owner
        self.cents = cents

    @property
    def label(self) -> str:
        return f"{self.owner}: {self.cents / 100:.2f}"

    async def deposit(self, cents: int) -> int:
        self.cents += cents
        return self.cents
'''


def _write(root: Path) -> Path:
    path = root / "bank.py"
    path.write_text("import asyncio\n" + textwrap.dedent(SOURCE), encoding="utf-8")
    return Path("bank.py")


def test_discovery_lists_every_kind(tmp_path: Path) -> None:
    info = discover(tmp_path, _write(tmp_path), all_kinds=True)
    kinds = {t.qualname: t.kind for t in info.targets}
    assert kinds == {
        "countdown": "function",
        "double": "function",
        "Account": "constructor",
        "Account.label": "property",
        "Account.deposit": "method",
    }
    # Without all_kinds (the quality generator's view), only plain callables.
    plain = {t.qualname for t in discover(tmp_path, Path("bank.py")).targets}
    assert plain == {"Account"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f(n):\n    while n:\n        yield n\n", True),
        ("def f(xs):\n    x = yield from xs\n", True),
        ("def f(): yield 1\n", True),
        ("def f(xs):\n    def inner():\n        yield 1\n    return inner\n", False),
        ("def f(xs):\n    return (x for x in xs)\n", False),
        ("def f(xs):\n    return lambda: (yield)\n", False),
    ],
)
def test_a_generator_is_told_by_its_own_yields(source: str, expected: bool) -> None:
    [function] = cst.parse_module(source).body
    assert isinstance(function, cst.FunctionDef)
    assert is_generator(function) is expected


def test_replay_awaits_consumes_and_reads() -> None:
    async def twice() -> int:
        return 2

    assert materialize(twice()) == 2
    assert materialize(iter(range(3))) == [0, 1, 2]

    async def agen():  # type: ignore[no-untyped-def]
        for i in range(2):
            yield i

    assert materialize(agen()) == [0, 1]
    asyncio.set_event_loop(None)
    # A mapping's view is read as the call left the mapping, in order.
    counts = {"b": 2, "a": 1}
    keys, items = materialize(counts.keys()), materialize(counts.items())
    counts.clear()
    assert (keys, items) == (["b", "a"], [("b", 2), ("a", 1)])


def test_each_kind_gets_recorded_cases(tmp_path: Path) -> None:
    _write(tmp_path)
    request = GenerateRequest(root=tmp_path, modules=(Path("bank.py"),), kind="speed")
    result = generate(request, trace=False, mutate=False)
    text = next(f.content for f in result.files if f.path.name == "test_guard_bank.py")
    assert isinstance(text, str)
    for header in ("countdown", "double", "Account.label", "Account.deposit"):
        assert f"# --- {header} (bank.py:" in text, header
    # A generator consumed into its items, a coroutine awaited, a property read.
    assert "Case('sample-0', args=(3,), returns=[3, 2, 1], fresh=True)" in text
    assert "Case('sample-0', args=(3,), returns=6)" in text
    assert 'replay(current, "Account.label", "property", case' in text
    # Read on instances from the constructor's cases (which one depends on the case).
    assert re.search(r"ctor=\(\(.*?\), \{.*?\}\), returns=['\"].*: -?\d+\.\d\d['\"]", text)
    # The state after the call is checked: the balance it returns is the one it keeps.
    assert re.search(r"args=\(3,\), ctor=.*?, returns=(-?\d+), state=\{'cents': \1,", text)


def test_a_property_is_read_on_a_rebuilt_instance(tmp_path: Path) -> None:
    _write(tmp_path)
    import importlib
    import sys

    sys.path.insert(0, str(tmp_path))
    try:
        bank = importlib.import_module("bank")
        out = call(bank, "Account.label", "property", (), {}, (("ann", 250), {}))
        assert out.value == "ann: 2.50"
        out = call(bank, "Account.deposit", "method", (5,), {}, (("ann", 250), {}))
        assert out.value == 255 and out.instance.cents == 255
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("bank", None)


def test_a_function_of_nothing_has_no_differential_test(tmp_path: Path) -> None:
    # croniter's is_32bit(): a differential test with nothing to draw was rendered as
    # `@given()`, an error on the baseline; the recorded call is its whole test.
    (tmp_path / "flags.py").write_text(
        "import sys\n\n\ndef is_64bit():\n    return sys.maxsize > 2**32\n", encoding="utf-8"
    )
    request = GenerateRequest(root=tmp_path, modules=(Path("flags.py"),), kind="speed")
    # As rendered, before verification would drop a test that cannot run.
    result = generate(request, trace=False, verify=False)
    text = next(f.content for f in result.files if f.path.name == "test_guard_flags.py")
    assert isinstance(text, str)
    assert "test_is_64bit_recorded" in text and "@given(\n)" not in text
