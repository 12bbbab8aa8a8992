"""The ``tune`` proposer: a seeded coordinate search over numeric constants, no AI.

Many optimization jobs are "find better values for these five weights": an agent
is overkill there, and a search that never repeats itself is cheaper and easier to
trust. With ``provider: tune`` each experiment changes exactly one literal:

- **What is tuned.** Module-level constants with a numeric literal (``NAME = 2.0``,
  ``NAME: float = 2``, ``NAME = -3``) in the files in scope. ``tune:`` in
  ``## Agent`` names them (``src/rank.py::BM25_K1, src/rank.py::BM25_B``, or a
  file for every constant in it); a line carrying ``# autoimprove: tune`` marks
  one. Without ``tune:``, the marked constants are tuned when there are any, else
  every ``UPPER_CASE`` numeric constant in scope. With ``tune:``, the marked ones
  are tuned along with the named ones.
- **How.** Coordinate search, coarse to fine for floats (x2 and x0.5, then x1.5 /
  x0.75, x1.25 / x0.8, x1.1 / x0.9, x1.05 / x0.95) and growing steps for ints
  (+-1, +-2, +-4, +-8, in units of 10 or 100 for large ones; a kept int step is
  followed by the next larger one). Every constant gets
  the coarse step before any gets a finer one. A step that was kept is repeated
  in the same direction; a value that scored worse or broke the tests is never
  stepped over (one peak is assumed), while one discarded without a measured
  loss (noise, a plateau) is, so a finer step still probes between. The seed
  (from the run id) orders the constants and picks each one's first direction,
  so the same run id searches the same way. Ints that start
  positive never go below 1 unless their name says 0 makes sense (``MIN_``,
  ``OFFSET``, ``RETRIES``...).
- **Memory.** Values are remembered per *line* of the search space (the constant
  and the values of all the others): a value once tried on a line is never
  proposed again on that line. ``tune_state.json`` in the run folder holds that
  memory, the seed and the step in flight, so a resumed run continues where it
  stopped; the ``NAME a -> b`` descriptions in ``context.history`` fill it in when
  the file is missing. The outcome of a step is read from the history, and from
  the tree when the history does not have it (the tree holds the best values).
- **Edits.** :mod:`~pytest_autoimprove.proposers.tunables` finds the constants
  and rewrites one literal with libcst: formatting, comments and line endings are
  kept, an int stays an int, ``1_000`` keeps its underscore, and floats stay short
  (``4.0``, never ``4.000000001``).
- **The end.** When every step down to the finest has been tried from the current
  best point, the proposal changes nothing and says ``tune: search space
  exhausted``; the loop records a ``no-op`` and its ``stale:`` count ends the run.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pytest_autoimprove.proposers import PastExperiment, Proposal, ProposalContext
from pytest_autoimprove.proposers.tunables import (
    Constant,
    apply_move,
    find_constants,
    select_constants,
)

PROVIDER = "tune"
STATE_FILE = "tune_state.json"
#: The description of a proposal that changed nothing because nothing is left to try.
EXHAUSTED = "tune: search space exhausted"
#: Multiplicative steps for floats, coarse to fine: (up, down) per level.
FLOAT_FACTORS: tuple[tuple[float, float], ...] = (
    (2.0, 0.5),
    (1.5, 0.75),
    (1.25, 0.8),
    (1.1, 0.9),
    (1.05, 0.95),
)
#: Additive steps for floats that are 0.0 (a factor cannot move them).
ZERO_FLOAT_STEPS = (1.0, 0.5, 0.25, 0.1, 0.05)
#: Additive steps for ints, in units of :func:`_int_unit`.
INT_STEPS = (1, 2, 4, 8)
#: Name parts that say an int may be 0 (``MIN_SCORE``, ``RETRIES``, ``OFFSET``...).
_ZERO_OK = re.compile(
    r"(?:^|_)(?:MIN|MINIMUM|OFFSET|SKIP|RETRY|RETRIES|DELAY|PAD|PADDING|MARGIN|EXTRA|"
    r"WARMUP|SLACK|BIAS|SHIFT|LAG|BONUS|PENALTY|SEED|START|BEGIN|LOW|FLOOR|OVERLAP|"
    r"STRIDE_EXTRA|BACKOFF|DEPTH_EXTRA|ZERO)(?:_|$)",
    re.IGNORECASE,
)
#: ``NAME 2.0 -> 4.0`` or ``src/a.py::NAME 2.0 -> 4.0``: what a tune experiment did.
_DESCRIPTION = re.compile(
    r"^(?:(?P<path>\S+)::)?(?P<name>[A-Za-z_]\w*) (?P<old>\S+) -> (?P<new>\S+)$"
)


# ---------------------------------------------------------------------------
# Steps


@dataclass(frozen=True)
class Move:
    """One step: constant ``key`` from ``old`` to ``new`` (literal texts)."""

    key: str
    level: int
    direction: int
    old: str
    new: str


def levels(constant: Constant) -> int:
    if constant.kind == "int":
        return len(INT_STEPS)
    return len(ZERO_FLOAT_STEPS) if constant.value == 0 else len(FLOAT_FACTORS)


def candidate(constant: Constant, level: int, direction: int, floor: float | None) -> str | None:
    """The literal one step away from ``constant`` (``None``: out of bounds or no change)."""
    value = constant.value
    if constant.kind == "int":
        new = value + direction * INT_STEPS[level] * _int_unit(value)
        if floor is not None and new < floor:
            return None
        text = _format_int(int(new), constant.text)
    else:
        if value == 0:
            new = direction * ZERO_FLOAT_STEPS[level]
        else:
            up, down = FLOAT_FACTORS[level]
            new = value * (up if direction > 0 else down)
        text = _format_float(new, constant.text)
        number = float(text)
        if not math.isfinite(number) or (value != 0 and number == 0):
            return None  # overflowed, or rounded to zero: the search would be stuck there
    return None if float(text.replace("_", "")) == value else text


def int_floor(constant: Constant, origin: float) -> float | None:
    """Ints that start positive stay >= 1 (>= 0 when the name allows it)."""
    if constant.kind != "int" or origin < 0:
        return None
    if origin == 0 or _ZERO_OK.search(constant.name):
        return 0
    return 1


def _int_unit(value: float) -> int:
    """Steps of 1 below 100, of 10 below 1000, of 100 below 10000..."""
    digits = len(str(int(abs(value))))
    return int(10 ** max(0, digits - 2))


def _format_int(value: int, original: str) -> str:
    return f"{value:_}" if "_" in original else str(value)


def _format_float(value: float, original: str) -> str:
    """Four significant digits, in the shortest form that reads back as that float."""
    rounded = float(f"{value:.4g}")
    if not math.isfinite(rounded):
        return repr(rounded)
    whole = rounded == int(rounded) and abs(rounded) < 1e15
    if whole and not any(char in original for char in ".eE"):
        # An int literal annotated ``float``: keep whole values as ints.
        return str(int(rounded))
    return repr(rounded)


# ---------------------------------------------------------------------------
# Memory


@dataclass
class TuneState:
    """What the search knows, saved as ``tune_state.json`` after every proposal.

    :param tried: line id -> literal -> outcome (``start``, ``kept``, ``discarded``...).
    :param origin: each constant's value when first seen (the baseline's).
    :param prefer: the direction each constant tries first (+1 or -1).
    :param pending: the move proposed last and its experiment number.
    :param momentum: the last kept move, repeated while it helps.
    """

    seed: int
    order: list[str] = field(default_factory=list)
    origin: dict[str, float] = field(default_factory=dict)
    prefer: dict[str, int] = field(default_factory=dict)
    tried: dict[str, dict[str, str]] = field(default_factory=dict)
    pending: dict[str, Any] | None = None
    momentum: dict[str, Any] | None = None
    cursor: str | None = None

    @classmethod
    def load(cls, path: Path, seed: int) -> TuneState:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(seed=seed)
        if not isinstance(data, dict) or data.get("version") != 1:
            return cls(seed=seed)
        try:
            return cls(
                seed=int(data["seed"]),
                order=[str(k) for k in data.get("order", [])],
                origin={str(k): float(v) for k, v in data.get("origin", {}).items()},
                prefer={str(k): 1 if int(v) > 0 else -1 for k, v in data.get("prefer", {}).items()},
                tried={
                    str(line): {str(v): str(o) for v, o in values.items()}
                    for line, values in data.get("tried", {}).items()
                },
                pending=data.get("pending"),
                momentum=data.get("momentum"),
                cursor=data.get("cursor"),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return cls(seed=seed)

    def save(self, path: Path) -> None:
        data = {
            "version": 1,
            "seed": self.seed,
            "order": self.order,
            "origin": self.origin,
            "prefer": self.prefer,
            "tried": self.tried,
            "pending": self.pending,
            "momentum": self.momentum,
            "cursor": self.cursor,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(".json.tmp")
        temp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        temp.replace(path)  # atomic: a kill never leaves half a state file

    def adopt(self, constants: Sequence[Constant]) -> None:
        """Learn new constants (seeded order and first direction); forget vanished ones."""
        rng = random.Random(self.seed)
        keys = [c.key for c in constants]
        fresh = [k for k in keys if k not in self.order]
        rng.shuffle(fresh)
        self.order = [k for k in self.order if k in keys] + fresh
        for constant in constants:
            self.origin.setdefault(constant.key, constant.value)
            if constant.key not in self.prefer:
                self.prefer[constant.key] = rng.choice((1, -1))

    def remember(self, line: str, value: str, outcome: str) -> None:
        values = self.tried.setdefault(line, {})
        if values.get(value) in (None, "start", "unknown"):
            values[value] = outcome


def seed_for(run_id: str) -> int:
    """The run's seed: the same run id always searches in the same order."""
    return int.from_bytes(hashlib.sha256(run_id.encode()).digest()[:4], "big")


def line_id(key: str, current: dict[str, Constant]) -> str:
    """The line through the current point along ``key``: the other constants' values."""
    others = sorted(f"{k}={c.text}" for k, c in current.items() if k != key)
    digest = hashlib.sha256("\n".join(others).encode()).hexdigest()[:16]
    return f"{key}@{digest}"


def settle_pending(
    state: TuneState,
    current: dict[str, Constant],
    history: Sequence[PastExperiment],
    experiment: int,
    goal: str = "higher",
) -> None:
    """Record the outcome of the move proposed last (from the history, else the tree)."""
    pending, state.pending = state.pending, None
    if not pending:
        return
    number = int(pending["experiment"])
    if number >= experiment:
        return  # the loop is doing that experiment again (a resumed run): not an outcome
    past = next((p for p in history if p.number == number), None)
    key = str(pending["key"])
    constant = current.get(key)
    if past is not None:
        outcome = classify(past, goal)
    elif constant is not None and constant.text == pending["new"]:
        outcome = "kept"
    else:
        outcome = "unknown"
    state.remember(str(pending["line"]), str(pending["new"]), outcome)
    if outcome == "kept":
        direction = int(pending["direction"])
        level = int(pending["level"])
        if constant is not None and constant.kind == "int":
            # Ints step by +-1 first; a step that helped doubles (1 -> 2 -> 4 -> 8 -> 16),
            # as repeating x2 does for floats, so BATCH_SIZE = 1 reaches 64 in a few runs.
            level = min(level + 1, len(INT_STEPS) - 1)
        state.momentum = {"key": key, "level": level, "direction": direction}
        state.prefer[key] = direction
    else:
        state.momentum = None


def learn_from_history(
    state: TuneState,
    current: dict[str, Constant],
    history: Sequence[PastExperiment],
    goal: str = "higher",
) -> None:
    """Fill the memory from ``NAME a -> b`` descriptions (the state file may be gone).

    Walking back from the newest experiment, a description about constant K tells
    a value tried on K's current line until a kept change of another constant
    (which moved the line) is met.
    """
    by_name: dict[str, list[str]] = {}
    for key, constant in current.items():
        by_name.setdefault(constant.name, []).append(key)
    parsed: list[tuple[PastExperiment, str | None, str, str]] = []
    for past in history:
        match = _DESCRIPTION.match(past.description.strip())
        resolved: str | None = None
        if match:
            if match["path"]:
                candidate_key = f"{match['path']}::{match['name']}"
                resolved = candidate_key if candidate_key in current else None
            elif len(by_name.get(match["name"], [])) == 1:
                resolved = by_name[match["name"]][0]
        parsed.append(
            (past, resolved, match["old"] if match else "", match["new"] if match else "")
        )
    for key in current:
        line = line_id(key, current)
        for past, resolved, old, new in reversed(parsed):
            if resolved == key:
                state.remember(line, new, classify(past, goal))
                state.remember(line, old, "start")
            elif past.status == "kept":
                break


#: Outcomes that say a value is no better than the current one on its line.
_BEATEN = frozenset({"start", "kept", "worse", "bad"})


def classify(past: PastExperiment, goal: str) -> str:
    """What an experiment says about its value: kept, worse, bad (broke), flat or unknown.

    ``flat`` (discarded without a measured loss: noise or a plateau) does not block
    the values beyond it; ``worse`` and ``bad`` do (see :func:`_try`).
    """
    if past.status == "kept":
        return "kept"
    if past.status in ("failed", "crashed", "tampered", "out-of-scope"):
        return "bad"
    if past.status == "discarded" and past.delta is not None:
        lost = past.delta < 0 if goal == "higher" else past.delta > 0
        return "worse" if lost else "flat"
    return "flat" if past.status in ("discarded", "no-op") else "unknown"


# ---------------------------------------------------------------------------
# The search


def next_move(state: TuneState, current: dict[str, Constant]) -> Move | None:
    """The next untried step from the current point, or ``None`` when none is left."""
    momentum, state.momentum = state.momentum, None
    if momentum and momentum.get("key") in current:
        key = str(momentum["key"])
        move = _try(state, current, key, int(momentum["level"]), int(momentum["direction"]))
        if move is not None:
            return move
    order = [k for k in state.order if k in current]
    if state.cursor in order:
        start = order.index(state.cursor)
        order = order[start:] + order[:start]
    deepest = max((levels(c) for c in current.values()), default=0)
    for level in range(deepest):
        for key in order:
            if level >= levels(current[key]):
                continue
            first = state.prefer.get(key, 1)
            for direction in (first, -first):
                move = _try(state, current, key, level, direction)
                if move is not None:
                    return move
    return None


def _try(
    state: TuneState, current: dict[str, Constant], key: str, level: int, direction: int
) -> Move | None:
    constant = current[key]
    if level >= levels(constant):
        return None
    floor = int_floor(constant, state.origin.get(key, constant.value))
    new = candidate(constant, level, direction, floor)
    if new is None:
        return None
    tried = state.tried.get(line_id(key, current), {})
    if new in tried or new == constant.text:
        return None
    # Everything tried on this line lost to the current value. A value that lost
    # (or broke the tests) on the way to ``new`` brackets the optimum, assuming one
    # peak: the search does not step over it. A ``flat`` one (a plateau) it does.
    here, there = constant.value, float(new.replace("_", ""))
    low, high = min(here, there), max(here, there)
    for text, outcome in tried.items():
        if outcome in _BEATEN and text != constant.text:
            value = float(text.replace("_", ""))
            if low <= value <= high and value != here:
                return None
    return Move(key, level, direction, constant.text, new)


def describe(move: Move, current: dict[str, Constant]) -> str:
    """``NAME 2.0 -> 4.0`` (with ``path::`` when two files define NAME)."""
    constant = current[move.key]
    same_name = [c for c in current.values() if c.name == constant.name]
    label = constant.key if len(same_name) > 1 else constant.name
    return f"{label} {move.old} -> {move.new}"


def propose(context: ProposalContext) -> Proposal:
    """Change one constant in ``context.worktree`` (or nothing, when exhausted)."""
    config = context.config
    constants = select_constants(context.worktree, config)
    if not constants:
        raise config.error(
            "agent.tune" if config.agent.tune else "agent.provider",
            "provider: tune found no numeric module-level constant to tune in scope",
            "name them with `tune: path/to/file.py::NAME` in ## Agent, or mark their lines "
            "with `# autoimprove: tune`",
        )
    current = {c.key: c for c in constants}
    state_path = context.run_dir / STATE_FILE
    state = TuneState.load(state_path, seed_for(context.run_dir.name))
    state.adopt(constants)
    goal = config.check.goal
    settle_pending(state, current, context.history, context.experiment, goal)
    learn_from_history(state, current, context.history, goal)
    for key, constant in current.items():
        state.remember(line_id(key, current), constant.text, "start")
    move = next_move(state, current)
    if move is None:
        state.save(state_path)
        count = len(constants)
        return Proposal(
            description=f"{EXHAUSTED} (no untried step left for {count} "
            f"constant{'s' if count != 1 else ''})",
            log=_summary(current),
            exhausted=True,
        )
    apply_move(context.worktree, current[move.key], move.new)
    state.cursor = move.key
    state.pending = {
        "experiment": context.experiment,
        "key": move.key,
        "level": move.level,
        "direction": move.direction,
        "old": move.old,
        "new": move.new,
        "line": line_id(move.key, current),
    }
    state.save(state_path)
    return Proposal(description=describe(move, current), log=_summary(current))


def _summary(current: dict[str, Constant]) -> str:
    return "\n".join(f"{key} = {c.text}" for key, c in current.items())


@pytest.hookimpl
def pytest_autoimprove_propose(context: ProposalContext) -> Proposal | None:
    """The built-in ``tune`` proposer (``provider: tune``)."""
    if context.config.agent.provider != PROVIDER:
        return None
    return propose(context)


__all__ = [
    "EXHAUSTED",
    "STATE_FILE",
    "Constant",
    "apply_move",
    "find_constants",
    "propose",
    "select_constants",
]
