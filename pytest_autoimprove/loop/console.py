"""What a person watching the loop sees: one line per experiment, a live step line.

The live line (``#12 gate 3.4s``, redrawn with ``\\r``) is drawn only when the
output is a terminal, by a daemon thread that never touches anything but the
stream; logs and CI output get the experiment lines alone. A parallel run shows a
board instead: one line per worker (what it is doing) and a progress bar for the
run's budget (or rounds), redrawn in place under the experiment lines.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from pytest_autoimprove.loop.journal import ExperimentRecord, RunState, RunSummary

_TICK = 0.5
_BAR = 30


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
        #: A parallel run's board: each worker's state, and the progress bar.
        self._board: dict[int, str] = {}
        #: How many of the board's slots are workers (those after them replay).
        self.workers = 0
        self._bar = ""
        self._lines = 0
        self._drawn = 0.0

    def line(self, text: str = "") -> None:
        with self._lock:
            self._clear()
            self.stream.write(text + "\n")
            self._render_board()
            self.stream.flush()

    def worker(self, worker: int, text: str) -> None:
        """What worker ``worker`` is doing now (shown on the board, tty only)."""
        if not self.live:
            return
        with self._lock:
            self._board[worker] = text
            self._clear()
            self._render_board()
            self.stream.flush()

    def progress(self, state: RunState, budget: float | None, rounds: int | None) -> None:
        """The progress bar: budget spent (or rounds done), experiments, best score."""
        if not self.live or time.monotonic() - self._drawn < _TICK / 2:
            return
        fraction, what = progress_fraction(state, budget, rounds)
        filled = int(round(fraction * _BAR))
        best = "" if state.best_score is None else f", best {state.best_score:.6g}"
        bar = "#" * filled + "-" * (_BAR - filled)
        with self._lock:
            self._bar = f"[{bar}] {fraction:4.0%} {what}, {len(state.records)} done{best}"
            self._clear()
            self._render_board()
            self.stream.flush()

    def _slot_name(self, slot: int) -> str:
        """``w3`` for worker 3; ``r1`` for the first replay lane after the workers."""
        if self.workers and slot > self.workers:
            return f"r{slot - self.workers}"
        return f"w{slot}"

    def _render_board(self) -> None:
        if not self._board and not self._bar:
            return
        lines = [f"  {self._slot_name(w)}: {text}" for w, text in sorted(self._board.items())]
        if self._bar:
            lines.append(self._bar)
        self.stream.write("\n".join(lines))
        self._lines = len(lines)
        self._drawn = time.monotonic()

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
        if self._lines:
            self.stream.write("\r\x1b[2K" + "\x1b[1A\x1b[2K" * (self._lines - 1) + "\r")
            self._lines = 0
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self._width = 0


def progress_fraction(
    state: RunState, budget: float | None, rounds: int | None
) -> tuple[float, str]:
    """How far the run is towards its budget (or its rounds), and that in words."""
    if budget:
        fraction = min(1.0, state.spent / budget)
        return fraction, f"{state.spent / 60:.1f} of {budget / 60:.1f} min"
    if rounds:
        done = len(state.records)
        return min(1.0, done / rounds), f"{done} of {rounds} rounds"
    return 0.0, f"{state.spent / 60:.1f} min"


def format_record(record: ExperimentRecord) -> str:
    """``#  3 kept         1.234  +0.1200 (+10.8%)  use a dict for lookups``."""
    score = "" if record.score is None else f"{record.score:.6g}"
    delta = ""
    if record.delta is not None:
        delta = f"{record.delta:+.4g}"
        if record.relative_delta is not None:
            delta += f" ({record.relative_delta:+.1%})"
    who = ""
    if record.worker is not None:
        who = f"w{record.worker} " + (f"[{record.part}] " if record.part else "")
    text = (
        f"#{record.number:>3} {who}{record.status:<12} {score:>10} {delta:<20} {record.description}"
    )
    if record.reason and record.status != "kept":
        text += f"  [{record.reason}]"
    return text.rstrip()
