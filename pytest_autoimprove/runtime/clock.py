"""A clock that stands still, for code that takes its clock as a parameter.

Code that reads the time through a parameter (``timer=time.monotonic``,
``clock=time.time``) behaves by the time it reads: an entry expires, a limit refills.
Under the real clock a guardrail sees whatever the moment gives, never the exact
instant an entry expires, and its replay is not deterministic. The generated calls
pass such a parameter a :class:`FixedClock` instead (``Build(...FixedClock)``, a fresh
one per call): time stands at 0, so every outcome is deterministic, and a lifetime of
zero (an edge value) meets the boundary exactly (is an entry alive at the instant it
expires?). It never moves, so code that reads the clock fewer times to be faster reads
the same time: no false alarm.
"""

from __future__ import annotations

__all__ = ["FixedClock"]


class FixedClock:
    """A clock reading ``now`` (0 by default) every time it is called."""

    __slots__ = ("now",)

    def __init__(self, now: float = 0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def __repr__(self) -> str:
        return f"FixedClock({self.now!r})"

    def __eq__(self, other: object) -> bool:
        return type(other) is FixedClock and other.now == self.now

    def __hash__(self) -> int:
        return hash((FixedClock, self.now))

    def __reduce__(self) -> tuple[type[FixedClock], tuple[float]]:
        return (FixedClock, (self.now,))
