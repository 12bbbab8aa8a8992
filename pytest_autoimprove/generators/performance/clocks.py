"""Parameters that hand the code its clock, and the fixed clock every planned call passes.

A parameter whose default is a clock function (``timer=time.monotonic``,
``clock=time.time``, ``now=default_timer``) is how the code reads the time; planned
calls pass it a :class:`~pytest_autoimprove.runtime.clock.FixedClock` (see there why):
outcomes become deterministic, and expiry boundaries are met exactly when a lifetime
parameter takes its edge value 0.
"""

from __future__ import annotations

from collections.abc import Sequence

from pytest_autoimprove.generators.discover import Param
from pytest_autoimprove.runtime.replay import Build

__all__ = ["CLOCK", "clock_params"]

#: What a generated call passes: a fresh clock standing at 0, built at call time.
CLOCK = Build("pytest_autoimprove.runtime.clock.FixedClock")

#: Defaults that name a clock function (as written: ``time.monotonic`` or, imported
#: from ``time``, ``monotonic``).
_CLOCKS = frozenset(
    {
        f"{module}{name}"
        for module in ("", "time.", "_time.")
        for name in (
            "time",
            "monotonic",
            "perf_counter",
            "time_ns",
            "monotonic_ns",
            "perf_counter_ns",
        )
    }
    | {"default_timer", "timeit.default_timer"}
)


def clock_params(params: Sequence[Param]) -> list[str]:
    """Names of the parameters whose default is a clock function."""
    return [p.name for p in params if p.default is not None and p.default.strip() in _CLOCKS]
