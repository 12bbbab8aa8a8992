"""Where an experiment's time goes: its phases, each with when it started and ended.

An experiment's ``duration`` says how long it took, not why; with several workers
the run's wall time is not even the sum of its experiments'. Each step of an
experiment (the worker's tree made ready, the proposal, the checks before the gate,
the gate and the wait for a free core, the benchmark and the wait for the
measurement lock, the driver's decision, ...) is timed as a span, and the spans go to
the journal with the experiment's record (``phases``: ``[name, start, end]``, wall
clock seconds as in every journal line's ``time``). ``benchmarks/bench_parallel.py``
reads them to print where a run's wall time goes. Timing a span costs two clock
reads; nothing here decides anything.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

#: A span: ``(phase, start, end)``, wall-clock seconds.
Span = tuple[str, float, float]

#: The span of a whole attempt is named this plus its slot (``attempt@3``: worker 3's
#: tree, or a replay lane's), so a run's timeline shows what each slot did when.
ATTEMPT = "attempt@"


class Phases:
    """The spans of one experiment (or of one attempt of it), in the order they ended."""

    def __init__(self, spans: list[Span] | None = None) -> None:
        self.spans: list[Span] = list(spans or [])
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        """Time the block as phase ``name`` (recorded however the block ends)."""
        start = time.time()
        try:
            yield
        finally:
            self.add(name, start, time.time())

    def add(self, name: str, start: float, end: float) -> None:
        with self._lock:
            self.spans.append((name, start, end))

    def extend(self, spans: list[Span]) -> None:
        with self._lock:
            self.spans.extend(spans)

    def to_json(self) -> list[list[object]]:
        """For the journal: milliseconds are plenty."""
        return [[name, round(start, 3), round(end, 3)] for name, start, end in self.spans]
