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

from dataclasses import dataclass

__all__ = ["FixedClock"]


@dataclass(frozen=True)
class FixedClock:
    """A clock reading ``now`` (0 by default) every time it is called."""

    now: float = 0

    def __call__(self) -> float:
        return self.now
