"""What the other workers are doing: a parallel run's board, so agents do not duplicate work.

With N workers on one scope, N agents start from the same best at about the same
time, and a sensible agent that knows nothing of the others often has the same idea
as one of them: the second change is then already in the best when it is merged, a
``no-op``, and the experiment is lost. The sequential loop never has that problem,
because each agent starts from the previous one's result. So each agent is told, in
its prompt, what every other experiment in flight is doing (its worker, its part, the
best it started from, what it proposed and the files it changed once it has), and it
can follow the same live, in ``board/board.json`` in the run folder
(``AUTOIMPROVE_BOARD``), rewritten whole (write and rename) whenever an experiment
begins, is staged, is replayed or is decided.

An agent says what it is about to try, in one line, in its **intent** file,
``board/<number>.intent`` (``AUTOIMPROVE_INTENT``), before it edits; the others read
every ``*.intent`` file of the folder (and ``board.json`` carries them too). An intent
goes when its experiment is decided. Two agents that start together can claim without
a race: each holds an exclusive ``flock`` on ``board/lock`` while it reads the others'
intents and writes its own (``flock "$AUTOIMPROVE_BOARD_LOCK" sh -c '...'`` from a
shell).

The board is advice for the agents and nothing else: the loop decides from its own
state, never from the board, so an agent that writes nonsense there only misleads the
agents, never the judge.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The board's folder in the run folder, and its files.
FOLDER = "board"
BOARD_FILE = "board.json"
LOCK_FILE = "lock"
INTENT_SUFFIX = ".intent"
#: The longest intent read (one line is asked for).
INTENT_LIMIT = 300


def intent_path(folder: Path, number: int) -> Path:
    return folder / f"{number:04d}{INTENT_SUFFIX}"


def read_intent(path: Path) -> str:
    """The first non-blank line of an intent file, cut short; empty when there is none."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")[:INTENT_LIMIT]
    except OSError:
        return ""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


@dataclass
class Board:
    """The experiments in flight, as the agents are shown them.

    :param folder: ``<run>/board``; emptied when the run (or its resume) starts, so no
        intent of an experiment of an earlier session lingers.
    """

    folder: Path
    _flying: dict[int, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.glob(f"*{INTENT_SUFFIX}"):
            stale.unlink(missing_ok=True)
        (self.folder / LOCK_FILE).touch()
        self._write()

    @property
    def path(self) -> Path:
        return self.folder / BOARD_FILE

    @property
    def lock_path(self) -> Path:
        return self.folder / LOCK_FILE

    def intent(self, number: int) -> Path:
        return intent_path(self.folder, number)

    def begin(self, number: int, worker: int, part: str | None, base: str) -> None:
        """Experiment ``number`` is handed to ``worker``: its agent is about to propose."""
        self._update(
            number,
            worker=worker,
            part=part,
            base=base,
            state="proposing",
            since=round(time.time(), 3),
            changed=[],
            description="",
        )

    def staged(self, number: int, changed: tuple[str, ...], description: str) -> None:
        """Its proposal is in: what it changed, while the loop checks it."""
        self._update(number, state="checking", changed=list(changed), description=description)

    def replaying(self, number: int, slot: int, onto: str) -> None:
        """Its improvement is checked again on a newer best (in ``slot``)."""
        self._update(number, state="replaying", slot=slot, base=onto)

    def decided(self, number: int) -> None:
        """Recorded: off the board, its intent removed."""
        with self._lock:
            self._flying.pop(number, None)
            self.intent(number).unlink(missing_ok=True)
            self._write()

    def others(self, number: int) -> tuple[Mapping[str, Any], ...]:
        """Every other experiment in flight, oldest first, with its intent: what
        experiment ``number``'s agent is shown when it starts."""
        with self._lock:
            return tuple(
                {**entry, "intent": read_intent(self.intent(n))}
                for n, entry in sorted(self._flying.items())
                if n != number
            )

    def _update(self, number: int, **fields: Any) -> None:
        with self._lock:
            entry = self._flying.setdefault(number, {"experiment": number})
            entry.update(fields)
            self._write()

    def _write(self) -> None:
        """``board.json`` replaced whole: a reader sees the old board or the new one."""
        flying = [
            {**entry, "intent": read_intent(self.intent(n))}
            for n, entry in sorted(self._flying.items())
        ]
        data = {"updated": round(time.time(), 3), "in_flight": flying}
        temporary = self.folder / f".{BOARD_FILE}.{os.getpid()}.{threading.get_ident()}"
        with contextlib.suppress(OSError):  # advice only: a full disk must not end the run
            temporary.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
            os.replace(temporary, self.path)


def describe(entry: Mapping[str, Any], now: float | None = None) -> str:
    """One line of the prompt's "Other workers" list for a board entry."""
    now = time.time() if now is None else now
    part = f" [{entry['part']}]" if entry.get("part") else ""
    head = f"- worker {entry.get('worker', '?')}, experiment {entry.get('experiment', '?')}{part}"
    state = entry.get("state", "proposing")
    if state == "proposing":
        since = entry.get("since")
        text = "proposing" + (f" (for {max(0.0, now - since):.0f} s)" if since else "")
    else:
        changed = ", ".join(f"`{p}`" for p in list(entry.get("changed") or [])[:5])
        text = {"checking": "being checked", "replaying": "being replayed on a newer best"}.get(
            state, state
        )
        if entry.get("description"):
            text += f": {entry['description']}"
        if changed:
            text += f" (changed {changed})"
    intent = entry.get("intent")
    if intent:
        text += f"; intends: {intent}"
    return f"{head}: {text}"
