"""The scenario search: call sequences on one instance that tell a class's mutant apart."""

from __future__ import annotations

import importlib
import pickle
import sys
import textwrap
import time
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from pytest_autoimprove.generators.performance.scenario_search import find_scenario
from pytest_autoimprove.generators.performance.search import load_mutant
from pytest_autoimprove.runtime.stateful import check_calls

STORE = textwrap.dedent(
    """
    class Store:
        def __init__(self, capacity):
            self.capacity = capacity
            self._data = {}

        def put(self, key, value):
            if key not in self._data and len(self._data) >= self.capacity:
                self._data.pop(next(iter(self._data)))
            self._data[key] = value

        def get(self, key, default=None):
            if key in self._data:
                return self._data[key]
            return default

        def size(self):
            return len(self._data)
    """
)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[types.ModuleType]:
    name = f"store_{tmp_path.name}"
    (tmp_path / f"{name}.py").write_text(STORE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module(name)
    sys.modules.pop(name, None)


def _spec(qualname: str, source: str, steps: list[str], **extra: object) -> dict[str, object]:
    return {
        "id": f"{qualname}:0",
        "qualname": qualname,
        "kind": "method",
        "source": source,
        "payloads": [("real-0", pickle.dumps((("k",), {}, ((2,), {})), protocol=4))],
        "calls": {"cls": "Store", "ctors": ["((2,), {})"], "steps": steps},
        **extra,
    }


STEPS = [
    "('put', ('a', 1), {})",
    "('put', ('b', 2), {})",
    "('get', ('zz',), {})",
    "('size', (), {})",
]


def test_a_read_that_ignores_what_was_stored_is_told_apart(store: types.ModuleType) -> None:
    # Always the default: the same answer as the baseline on every fresh instance.
    source = STORE.replace("if key in self._data:", "if False:")
    spec = _spec("Store.get", source, STEPS)
    found = find_scenario(spec, store, lambda: load_mutant(store, source), time.monotonic() + 20)
    assert found is not None
    assert found["ctor"] == 0
    # A store of a key, then the mutated read of that same key (a shared value).
    assert found["steps"][-1] == "('get', ('a',), {})" or "('get', ('b',), {})" in found["steps"]
    steps = [eval(s) for s in found["steps"]]  # noqa: S307 - the test's own sources
    with pytest.raises(AssertionError):
        check_calls(load_mutant(store, source), store, "Store", ((2,), {}), steps)
    check_calls(store, store, "Store", ((2,), {}), steps)  # the baseline plays it alike


def test_an_update_that_evicts_as_if_new_needs_a_full_store(store: types.ModuleType) -> None:
    # Evicts even when the key is already held: shows only on a full store's update.
    source = STORE.replace("if key not in self._data and len", "if len")
    spec = _spec("Store.put", source, STEPS)
    spec["payloads"] = []
    found = find_scenario(spec, store, lambda: load_mutant(store, source), time.monotonic() + 20)
    assert found is not None
    assert sum("'put'" in step for step in found["steps"]) >= 2
    steps = [eval(s) for s in found["steps"]]  # noqa: S307 - the test's own sources
    with pytest.raises(AssertionError):
        check_calls(load_mutant(store, source), store, "Store", ((2,), {}), steps)


def test_an_equivalent_mutant_yields_nothing(store: types.ModuleType) -> None:
    source = STORE.replace("return len(self._data)", "return len(self._data.keys())")
    spec = _spec("Store.size", source, STEPS)
    found = find_scenario(spec, store, lambda: load_mutant(store, source), time.monotonic() + 20)
    assert found is None


def test_nothing_to_draw_from_and_no_time_yield_nothing(store: types.ModuleType) -> None:
    source = STORE.replace("if key in self._data:", "if False:")
    no_calls = _spec("Store.get", source, STEPS, calls=None)
    assert (
        find_scenario(no_calls, store, lambda: load_mutant(store, source), time.monotonic() + 5)
        is None
    )
    late = _spec("Store.get", source, STEPS)
    assert (
        find_scenario(late, store, lambda: load_mutant(store, source), time.monotonic() - 1) is None
    )
