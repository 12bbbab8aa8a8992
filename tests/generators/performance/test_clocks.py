"""A clock passed as a parameter stands still in generated calls.

Code that reads the time through a parameter (``timer=time.monotonic``) expires
entries, refills limits, by what it reads. Under the real clock a guardrail never
meets the instant an entry expires; with a fixed clock and a lifetime of 0 (an edge
value of the constructor) it does, exactly and every time.
"""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

from pytest_autoimprove.generators.discover import Param
from pytest_autoimprove.generators.performance.clocks import clock_params
from pytest_autoimprove.runtime.clock import FixedClock

EXPIRING = '''
import time


class Expiring:
    """Entries that live ``ttl`` seconds by ``timer``."""

    def __init__(self, ttl, timer=time.monotonic):
        self.ttl = ttl
        self._timer = timer
        self._data = {}

    def put(self, key, value):
        self._data[key] = (value, self._timer() + self.ttl)

    def get(self, key, default=None):
        item = self._data.get(key)
        if item is None:
            return default
        value, expires = item
        if self._timer() < expires:
            return value
        return default

    def __contains__(self, key):
        item = self._data.get(key)
        return item is not None and self._timer() < item[1]
'''


def _param(name: str, default: str | None) -> Param:
    return Param(name, "positional", None, default, False)


def test_parameters_defaulting_to_a_clock_function() -> None:
    params = [
        _param("ttl", None),
        _param("timer", "time.monotonic"),
        _param("clock", "perf_counter"),
        _param("now", "timeit.default_timer"),
        _param("key", "str"),
        _param("sleep", "time.sleep"),
    ]
    assert clock_params(params) == ["timer", "clock", "now"]


def test_the_fixed_clock_reads_the_same_time_and_round_trips() -> None:
    import pickle

    clock = FixedClock()
    assert clock() == clock() == 0
    assert pickle.loads(pickle.dumps(clock)) == clock
    assert repr(FixedClock(2.5)) == "FixedClock(now=2.5)"


def test_an_entry_alive_at_the_instant_it_expires_is_caught(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("expiring", EXPIRING)
    text = project.guard_text()
    assert "Build('pytest_autoimprove.runtime.clock.FixedClock')" in text
    # Replays are deterministic: the untouched code passes.
    assert project.run_with("self._data = {}", "self._data = {}").returncode == 0
    # Alive at the expiry instant: shows only where the clock reads exactly ``expires``.
    project.assert_caught(
        "        if self._timer() < expires:\n",
        "        if self._timer() <= expires:\n",
    )
    # A stale read: the entry is returned without asking whether it expired.
    project.assert_caught(
        "        if self._timer() < expires:\n            return value\n",
        "        return value\n",
    )


def test_reading_the_clock_once_is_no_false_alarm(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("expiring", EXPIRING)
    project.assert_passes(
        "    def put(self, key, value):\n"
        "        self._data[key] = (value, self._timer() + self.ttl)\n",
        "    def put(self, key, value):\n"
        "        now = self._timer()\n"
        "        self._data[key] = (value, now + self.ttl)\n",
    )
