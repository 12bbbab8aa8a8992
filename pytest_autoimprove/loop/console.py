"""What a person watching the loop sees: one line per experiment, a live step line.

The live line (``#12 gate 3.4s``, redrawn with ``\\r``) is drawn only when the
output is a terminal, by a daemon thread that never touches anything but the
stream; logs and CI output get the experiment lines alone.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from pytest_autoimprove.loop.journal import ExperimentRecord, RunSummary

_TICK = 0.5


class Console:
    """Writes the loop's progress to ``stream`` (``live``: default, when it is a tty)."""

    def __init__(self, stream: TextIO, *, live: bool | None = None) -> None:
        self.stream = stream
        if live is None:
            isatty = getattr(stream, "isatty", None)
            live = bool(isatty()) if callable(isatty) else False
        self.live = live
        self._lock = threading.Lock()
        self._status = ""
        self._width = 0

    def line(self, text: str = "") -> None:
        with self._lock:
            self._clear()
            self.stream.write(text + "\n")
            self.stream.flush()

    @contextlib.contextmanager
    def step(self, label: str) -> Iterator[None]:
        """Show ``label`` with its elapsed time while the block runs (tty only)."""
        if not self.live:
            yield
            return
        stop = threading.Event()
        start = time.monotonic()

        def tick() -> None:
            while not stop.wait(_TICK):
                self._draw(f"{label} {time.monotonic() - start:.0f}s")

        self._draw(f"{label} 0s")
        thread = threading.Thread(target=tick, name="autoimprove-live", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=1.0)
            with self._lock:
                self._clear()

    def experiment(self, record: ExperimentRecord) -> None:
        self.line(format_record(record))

    def summary(self, summary: RunSummary) -> None:
        self.line()
        self.line(summary.render())

    def _draw(self, text: str) -> None:
        with self._lock:
            self._clear()
            self.stream.write(text)
            self.stream.flush()
            self._width = len(text)

    def _clear(self) -> None:
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self._width = 0


def format_record(record: ExperimentRecord) -> str:
    """``#  3 kept         1.234  +0.1200 (+10.8%)  use a dict for lookups``."""
    score = "" if record.score is None else f"{record.score:.6g}"
    delta = ""
    if record.delta is not None:
        delta = f"{record.delta:+.4g}"
        if record.relative_delta is not None:
            delta += f" ({record.relative_delta:+.1%})"
    text = f"#{record.number:>3} {record.status:<12} {score:>10} {delta:<20} {record.description}"
    if record.reason and record.status != "kept":
        text += f"  [{record.reason}]"
    return text.rstrip()
