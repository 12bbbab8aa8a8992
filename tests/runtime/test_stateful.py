"""check_calls: one instance, many calls, beside the baseline's."""

from __future__ import annotations

import textwrap
import types

import pytest

from pytest_autoimprove.runtime.stateful import check_calls

LRU = """
class LRU:
    def __init__(self, size=2):
        self.size = size
        self._data = {}

    def __setitem__(self, key, value):
        self._data.pop(key, None)
        self._data[key] = value
        while len(self._data) > self.size:
            del self._data[next(iter(self._data))]

    def __getitem__(self, key):
        value = self._data.pop(key)
        self._data[key] = value  # most recently used last
        return value
"""


def _module(source: str, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(textwrap.dedent(source), name, "exec"), module.__dict__)  # noqa: S102
    return module


BASELINE = _module(LRU, "baseline")
STEPS = [("__setitem__", ("a", 1), {}), ("__setitem__", ("b", 2), {}), ("__getitem__", ("a",), {})]
EVICT = [*STEPS, ("__setitem__", ("c", 3), {}), ("__getitem__", ("b",), {})]


def test_the_same_class_passes() -> None:
    check_calls(_module(LRU, "current"), BASELINE, "LRU", ((), {}), EVICT)


def test_a_wrong_eviction_shows_only_across_calls() -> None:
    # A "faster" __getitem__ that no longer marks the key as recently used: every
    # single call still answers right; the eviction after it does not.
    fast = LRU.replace(
        "        value = self._data.pop(key)\n        self._data[key] = value",
        "        value = self._data[key]",
    )
    current = _module(fast, "current")
    check_calls(current, BASELINE, "LRU", ((), {}), STEPS)  # no eviction yet: same
    with pytest.raises(
        AssertionError, match=r"step 5 of 5, .*returned 2 where the baseline raised"
    ):
        check_calls(current, BASELINE, "LRU", ((), {}), EVICT)


def test_public_state_is_compared_at_the_end() -> None:
    current = _module(LRU.replace("self.size = size", "self.size = size + 1"), "current")
    with pytest.raises(AssertionError, match="public state differs"):
        check_calls(current, BASELINE, "LRU", ((), {}), STEPS)


CLOCKED = """
import time


class Schedule:
    def __init__(self, start=None):
        self.start = time.time() if start is None else start

    def current(self):
        return self.start
"""


def test_a_baseline_that_disagrees_with_itself_judges_nothing() -> None:
    # croniter built with no start time keeps the moment it was built: two baseline
    # instances already differ, so the example is rejected, never failed.
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    clocked = _module(CLOCKED, "clocked")
    slower = _module(CLOCKED.replace("return self.start", "return self.start + 1"), "slower")
    judged: list[bool] = []

    @settings(max_examples=5, database=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from([(), (5.0,)]))
    def play(args: tuple[float, ...]) -> None:
        check_calls(clocked, clocked, "Schedule", (args, {}), [("current", (), {})])
        judged.append(bool(args))

    play()
    assert judged and all(judged)  # only the instances built with a start were judged
    with pytest.raises(AssertionError):
        check_calls(slower, clocked, "Schedule", ((5.0,), {}), [("current", (), {})])
