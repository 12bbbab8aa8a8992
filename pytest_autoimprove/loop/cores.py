"""When a parallel run's test gate may start: one at a time, more only when they queue.

Two gates that run at once on the same best cost more than their CPU: the first to be
kept moves the best under the second, and if the second improves too it must be merged
and gated again (a replay). A gate that waits for the one before it starts on the best
that one made (the merge is made when the gate starts), and needs no replay. So gates
run **one at a time**, first come first served, and a second (up to one per core) starts
only for a gate that has waited as long as a gate takes (the median of the run's gates
so far): the gates are queueing, and waiting longer would cost the workers more than a
replay costs the cores. When gates are rare next to proposals (agents think for
minutes) they never overlap; when they are not, every core works.
"""

from __future__ import annotations

import collections
import statistics
import threading
import time
from collections.abc import Callable

#: The share of a gate's usual time the first in the queue waits for a running gate
#: before it runs beside it (half as long gave the same throughput, with more replays).
PATIENCE = 1.0


class Cores:
    """Test-gate slots: :meth:`acquire` one (waiting as above), :meth:`release` it.

    :param cores: the most gates at once (one per usable core).
    :param usual: how long a gate took before the first here (the baseline's), if known.
    """

    def __init__(self, cores: int, usual: float | None = None) -> None:
        self.cores = max(1, cores)
        self._busy = 0
        self._cond = threading.Condition()
        self._queue: collections.deque[object] = collections.deque()
        self._took: collections.deque[float] = collections.deque(maxlen=20)
        if usual is not None:
            self.learn(usual)

    def learn(self, took: float) -> None:
        """A gate took ``took`` seconds (the baseline's, before any of the run's)."""
        with self._cond:
            self._took.append(took)

    def patience(self) -> float | None:
        """How long the first in the queue waits before a gate runs beside another: a
        share (:data:`PATIENCE`) of the median gate so far (``None``: none timed yet,
        wait for a free run)."""
        with self._cond:
            return self._patience()

    def _patience(self) -> float | None:
        return PATIENCE * statistics.median(self._took) if self._took else None

    def acquire(self, check: Callable[[], None]) -> None:
        """A slot, first come first served; ``check`` is called while waiting (it raises
        to give up: the run was interrupted)."""
        ticket = object()
        arrived = time.monotonic()
        with self._cond:
            self._queue.append(ticket)
            try:
                while not self._may_start(ticket, time.monotonic() - arrived):
                    self._cond.wait(timeout=0.05 if self._busy < self.cores else 0.2)
                    check()
            except BaseException:
                self._queue.remove(ticket)
                self._cond.notify_all()
                raise
            self._queue.popleft()
            self._busy += 1
            self._cond.notify_all()

    def _may_start(self, ticket: object, waited: float) -> bool:
        if self._queue[0] is not ticket or self._busy >= self.cores:
            return False
        if self._busy == 0:
            return True
        patience = self._patience()
        return patience is not None and waited >= patience

    def release(self, took: float | None = None) -> None:
        """Free a slot; ``took``: how long its gate ran (what the patience learns from)."""
        with self._cond:
            self._busy -= 1
            if took is not None:
                self._took.append(took)
            self._cond.notify_all()


class Slot:
    """A slot taken from :class:`Cores`, released once (early, or at the end)."""

    def __init__(self, cores: Cores) -> None:
        self._cores: Cores | None = cores
        #: How long the gate it was taken for ran (what the patience learns from).
        self.took: float | None = None

    def release(self) -> None:
        if self._cores is not None:
            self._cores.release(self.took)
            self._cores = None
