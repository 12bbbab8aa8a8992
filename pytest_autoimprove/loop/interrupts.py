"""Ctrl-C and SIGTERM in the loop: stop at a safe point, never mid-write.

The loop turns SIGINT/SIGTERM into :class:`Interrupted` (raised from its signal
handler, so the step in flight unwinds and its process group is killed), and
holds a signal back while a git write that must not be cut in half (the reset to
the best commit, the experiment's commit) runs: :func:`signals_deferred`. Both the
run's lifecycle (:mod:`~pytest_autoimprove.loop.run`) and each experiment
(:mod:`~pytest_autoimprove.loop.experiment`) need them, hence a module of their own.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class Interrupted(Exception):
    """Raised (instead of KeyboardInterrupt) by the loop's SIGINT/SIGTERM handler."""


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Let a git write finish before a Ctrl-C acts (a half-done reset helps nobody)."""
    pending: list[int] = []
    try:
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread
        yield
        return

    def later(signum: int, frame: FrameType | None) -> None:
        pending.append(signum)

    try:
        for sig in previous:
            signal.signal(sig, later)
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if pending:
            handler = previous[signal.Signals(pending[0])]
            if callable(handler):
                handler(pending[0], None)
