"""The run's memory: an append-only journal, ``results.tsv``, and resume.

``.autoimprove/runs/<run-id>/journal.jsonl`` gets one JSON object per line, and
each line is written and flushed *before* the step it announces acts (``begin``
before a proposer runs, ``staged`` before the gate judges it) and after each
decision (``experiment``). A ``kill -9`` at any moment therefore loses at most the
experiment in flight, which :func:`load_state` recognizes (a ``begin`` without
its ``experiment``) and the resumed run does again under the same number. The
best commit is whatever the last ``kept`` record (or the baseline) says, so a
commit made but not yet recorded is simply dropped on resume.

``results.tsv`` (experiment, commit, score, delta, status, description) is for
people and spreadsheets; it is derived from the journal and rewritten from it on
resume, so the two never disagree for long.

The ``start`` record also keeps the run's process token (every process the run starts
carries it, :mod:`~pytest_autoimprove.process`), so that a resume can end what the
killed run left running (never while the run is alive: :mod:`~pytest_autoimprove.loop.runlock`).
"""

from __future__ import annotations

import json
import math
import os
import secrets
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pytest_autoimprove.errors import UsageError
from pytest_autoimprove.names import RUNS_DIR
from pytest_autoimprove.proposers import PastExperiment

JOURNAL = "journal.jsonl"
RESULTS = "results.tsv"
RESULTS_HEADER = ("experiment", "commit", "score", "delta", "status", "description")
#: The extra columns of a parallel run's results.tsv (``workers`` > 1, or parts).
PARALLEL_COLUMNS = ("worker", "part")
#: Every status an experiment can end with, in the order the summary lists them.
STATUSES = (
    "kept",
    "discarded",
    "failed",
    "crashed",
    "tampered",
    "out-of-scope",
    "no-op",
    "conflict",
    "cut",
)


def new_run_id(now: float | None = None) -> str:
    """A sortable, unique run id: ``20261127-214501-ab12``."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))
    return f"{stamp}-{secrets.token_hex(2)}"


def runs_root(root: Path) -> Path:
    return root / RUNS_DIR


def find_run(root: Path, name: str | None) -> Path:
    """The folder of run ``name`` (``None`` or ``"last"``: the most recent run)."""
    base = runs_root(root)
    runs = sorted(p for p in base.glob("*") if (p / JOURNAL).is_file()) if base.is_dir() else []
    if name in (None, "last"):
        if not runs:
            raise UsageError(f"{RUNS_DIR}: no run to resume; start one with `pytest --autoimprove`")
        return runs[-1]
    assert name is not None
    folder = base / name
    if not (folder / JOURNAL).is_file():
        known = ", ".join(p.name for p in runs[-5:]) or "none yet"
        raise UsageError(
            f"{RUNS_DIR}/{name}: no such run; name one of: {known} (or omit RUN for the last)"
        )
    return folder


@dataclass(frozen=True)
class ExperimentRecord:
    """One decided experiment, as the journal, results.tsv and listeners see it.

    :param number: 1-based, continuous across resumes.
    :param status: one of :data:`STATUSES`.
    :param commit: the experiment's commit (kept: on the branch; otherwise kept
        reachable under ``refs/autoimprove/<run-id>/<number>``); ``None`` when
        nothing was committed.
    :param score: the candidate's score (median of its runs) when measured.
    :param delta: ``score - best`` before this experiment, in the score's units.
    :param reason: why, in one line (the failing test, the touched path, the verdict).
    :param samples: the candidate's scores, in order.
    :param best_beside: the best commit's scores measured beside the candidate (A/B
        pairs: ``samples[i]`` and ``best_beside[i]`` were run one after the other).
    :param worker: which worker ran it (parallel runs; ``None`` in a sequential one).
    :param part: the part of the system it improved (``part:`` lines), if any.
    :param base: the best commit it started from, when that was not the best it was
        judged against (it was replayed on a newer best: ``replayed`` times).
    :param holdout: the score on the golden holdout (quality goals, keep decisions only).
    """

    run_id: str
    number: int
    status: str
    description: str
    commit: str | None = None
    score: float | None = None
    delta: float | None = None
    relative_delta: float | None = None
    reason: str = ""
    duration: float = 0.0
    samples: tuple[float, ...] = ()
    best_beside: tuple[float, ...] = ()
    guards: Mapping[str, float] = field(default_factory=dict)
    changed: tuple[str, ...] = ()
    worker: int | None = None
    part: str | None = None
    base: str | None = None
    replayed: int = 0
    holdout: float | None = None

    def to_json(self) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if self.worker is not None:
            extra["worker"] = self.worker
        if self.part is not None:
            extra["part"] = self.part
        if self.base is not None:
            extra["base"] = self.base
        if self.replayed:
            extra["replayed"] = self.replayed
        if self.holdout is not None:
            extra["holdout"] = self.holdout
        return {
            **extra,
            "run_id": self.run_id,
            "number": self.number,
            "status": self.status,
            "description": self.description,
            "commit": self.commit,
            "score": self.score,
            "delta": self.delta,
            "relative_delta": self.relative_delta,
            "reason": self.reason,
            "duration": round(self.duration, 3),
            "samples": list(self.samples),
            "best_beside": list(self.best_beside),
            "guards": dict(self.guards),
            "changed": list(self.changed),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ExperimentRecord:
        return cls(
            run_id=str(data.get("run_id", "")),
            number=int(data["number"]),
            status=str(data["status"]),
            description=str(data.get("description", "")),
            commit=data.get("commit"),
            score=_opt_float(data.get("score")),
            delta=_opt_float(data.get("delta")),
            relative_delta=_opt_float(data.get("relative_delta")),
            reason=str(data.get("reason", "")),
            duration=float(data.get("duration", 0.0)),
            samples=tuple(float(x) for x in data.get("samples", ())),
            best_beside=tuple(float(x) for x in data.get("best_beside", ())),
            guards={str(k): float(v) for k, v in dict(data.get("guards", {})).items()},
            changed=tuple(str(x) for x in data.get("changed", ())),
            worker=None if data.get("worker") is None else int(data["worker"]),
            part=None if data.get("part") is None else str(data["part"]),
            base=None if data.get("base") is None else str(data["base"]),
            replayed=int(data.get("replayed", 0)),
            holdout=_opt_float(data.get("holdout")),
        )

    def tsv_row(self, parallel: bool = False) -> str:
        cells: tuple[str, ...] = (
            str(self.number),
            (self.commit or "")[:12],
            "" if self.score is None else f"{self.score:.6g}",
            "" if self.delta is None else f"{self.delta:+.6g}",
            self.status,
            self.description,
        )
        if parallel:
            cells += ("" if self.worker is None else str(self.worker), self.part or "")
        return "\t".join(_tsv_cell(c) for c in cells)


@dataclass(frozen=True)
class RunSummary:
    """How a run ended: what :func:`pytest_autoimprove_run_finished` listeners get."""

    run_id: str
    branch: str
    run_dir: Path
    worktree: Path
    goal: str
    baseline: float | None
    best: float | None
    best_commit: str | None
    counts: Mapping[str, int]
    experiments: int
    stop_reason: str
    exit_code: int = 0
    #: The kept experiments' changes as measured beside the best (A/B pairs),
    #: compounded; ``None`` when no keep was measured that way.
    measured_change: float | None = None

    @property
    def change(self) -> float | None:
        """Best over baseline as a signed fraction (``0.12``: 12 % higher).

        When keeps were measured beside the best, their compounded changes: the two
        medians may have been measured under different loads.
        """
        if self.measured_change is not None:
            return self.measured_change
        if self.baseline in (None, 0) or self.best is None:
            return None
        assert self.baseline is not None
        return (self.best - self.baseline) / abs(self.baseline)

    @property
    def improved(self) -> bool:
        return self.counts.get("kept", 0) > 0

    def render(self) -> str:
        lines = [f"autoimprove run {self.run_id}: stopped ({self.stop_reason})"]
        if self.baseline is not None and self.best is not None:
            change = self.change
            how = " measured beside the best" if self.measured_change is not None else ""
            pct = "" if change is None else f" ({change:+.2%}{how}, goal: {self.goal})"
            lines.append(f"  score: baseline {self.baseline:.6g} -> best {self.best:.6g}{pct}")
        counts = ", ".join(f"{self.counts.get(s, 0)} {s}" for s in STATUSES if self.counts.get(s))
        lines.append(f"  experiments: {self.experiments}" + (f" ({counts})" if counts else ""))
        lines.append(f"  journal: {self.run_dir}")
        if self.improved:
            lines.append(f"  branch: {self.branch} (best commit {(self.best_commit or '')[:12]})")
            lines.append(f"  to merge it: git merge {self.branch}")
        else:
            lines.append(f"  branch: {self.branch} (no improvement kept; nothing to merge)")
        return "\n".join(lines)


class Journal:
    """An append-only JSON-lines file; every line is flushed before the call returns."""

    def __init__(self, run_dir: Path, *, parallel: bool = False) -> None:
        self.run_dir = run_dir
        self.path = run_dir / JOURNAL
        self.results_path = run_dir / RESULTS
        #: results.tsv gets the ``worker`` and ``part`` columns.
        self.parallel = parallel
        self._handle: TextIO | None = None
        # Workers of a parallel run write from their own threads: one line at a time.
        self._write = threading.Lock()

    def append(self, event: str, **fields: Any) -> None:
        with self._write:
            self._append(event, fields)

    def _append(self, event: str, fields: dict[str, Any]) -> None:
        if self._handle is None:
            self.run_dir.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("a", encoding="utf-8")
            self._repair()
        line = json.dumps({"event": event, "time": time.time(), **fields}, default=_jsonable)
        self._handle.write(line + "\n")
        self._handle.flush()

    def _repair(self) -> None:
        # A kill in the middle of a write leaves a torn last line: end it, so the
        # next record starts on a line of its own (the torn one is skipped on read).
        assert self._handle is not None
        if self.path.stat().st_size:
            with self.path.open("rb") as handle:
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    self._handle.write("\n")
                    self._handle.flush()

    def events(self) -> list[dict[str, Any]]:
        """Every complete record, in order (a torn last line is skipped)."""
        if not self.path.is_file():
            return []
        out: list[dict[str, Any]] = []
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(data, dict) and "event" in data:
                out.append(data)
        return out

    @property
    def header(self) -> tuple[str, ...]:
        return (*RESULTS_HEADER, *PARALLEL_COLUMNS) if self.parallel else RESULTS_HEADER

    def add_result(self, record: ExperimentRecord) -> None:
        """Append one row to results.tsv (header first when the file is new)."""
        with self._write:
            new = not self.results_path.is_file()
            with self.results_path.open("a", encoding="utf-8") as handle:
                if new:
                    handle.write("\t".join(self.header) + "\n")
                handle.write(record.tsv_row(self.parallel) + "\n")

    def rewrite_results(self, records: Iterable[ExperimentRecord]) -> None:
        """results.tsv from the journal's records (on resume), replaced atomically."""
        temp = self.results_path.with_suffix(".tsv.tmp")
        rows = ["\t".join(self.header), *(r.tsv_row(self.parallel) for r in records)]
        temp.write_text("\n".join(rows) + "\n", encoding="utf-8")
        temp.replace(self.results_path)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


@dataclass
class RunState:
    """What a run knows between experiments; rebuilt from the journal on resume."""

    run_id: str
    branch: str
    worktree: Path
    base_commit: str
    #: Carried by every process of the run; ``None`` in journals of 0.2 and before.
    token: str | None = None
    baseline_score: float | None = None
    baseline_samples: tuple[float, ...] = ()
    baseline_guards: dict[str, float] = field(default_factory=dict)
    #: How long the baseline's test gate took (``None`` in journals of 0.2 and before).
    baseline_gate: float | None = None
    best_commit: str | None = None
    best_score: float | None = None
    best_samples: tuple[float, ...] = ()
    #: The best commit's score on the golden holdout (quality goals with a holdout).
    best_holdout: float | None = None
    records: list[ExperimentRecord] = field(default_factory=list)
    #: Seconds spent in experiments (the budget clock starts at the first one).
    spent: float = 0.0
    #: The experiment that was in flight when the run died (done again on resume).
    unfinished: int | None = None
    #: Every experiment in flight when the run died (a parallel run has several).
    pending: list[int] = field(default_factory=list)
    #: The highest experiment number begun so far.
    highest: int = 0
    stop_reason: str | None = None

    @property
    def next_number(self) -> int:
        # A parallel run records experiments as they end, not in number order.
        done = max((r.number for r in self.records), default=0)
        return max(done, self.highest) + 1

    @property
    def stale(self) -> int:
        """Experiments since the last keep (or since the start)."""
        count = 0
        for record in reversed(self.records):
            if record.status == "kept":
                break
            count += 1
        return count

    def counts(self) -> Counter[str]:
        return Counter(record.status for record in self.records)

    def history(self) -> tuple[PastExperiment, ...]:
        """The experiments so far as a proposer sees them (to learn from what failed)."""
        return tuple(
            PastExperiment(r.number, r.status, r.description, r.score, r.delta)
            for r in self.records
        )


def load_state(events: Sequence[Mapping[str, Any]]) -> RunState:
    """Replay a journal into the state the run had at its last recorded step."""
    start = next((e for e in events if e["event"] == "start"), None)
    if start is None:
        raise UsageError("journal.jsonl has no start record; this run cannot be resumed")
    state = RunState(
        run_id=str(start["run_id"]),
        branch=str(start["branch"]),
        worktree=Path(str(start["worktree"])),
        base_commit=str(start["base_commit"]),
        token=start.get("token"),
    )
    open_number: int | None = None
    clock: float | None = None
    #: Experiments begun and not yet recorded, with when they began.
    begun: dict[int, float] = {}
    #: A parallel run's clock: (seconds spent, at what time) of its last record.
    mark: tuple[float, float] | None = None
    for event in events:
        kind = event["event"]
        if kind == "baseline":
            state.baseline_score = float(event["score"])
            state.baseline_samples = tuple(float(x) for x in event["samples"])
            state.baseline_guards = {str(k): float(v) for k, v in event.get("guards", {}).items()}
            state.baseline_gate = _opt_float(event.get("gate_seconds"))
            state.best_commit = str(event["commit"])
            state.best_score = state.baseline_score
            state.best_samples = state.baseline_samples
            state.best_holdout = _opt_float(event.get("holdout"))
        elif kind == "begin":
            open_number = int(event["number"])
            clock = float(event["time"])
            begun.setdefault(open_number, clock)
            state.highest = max(state.highest, open_number)
        elif kind == "experiment":
            record = ExperimentRecord.from_json(event["record"])
            begun.pop(record.number, None)
            if any(r.number == record.number for r in state.records):
                continue  # never count an experiment twice
            if "spent" in event:
                # A parallel run's clock is the wall clock of the run, not a sum of
                # experiments that overlapped: each record carries it.
                mark = (float(event["spent"]), float(event["time"]))
                state.records.append(record)
                _keep(state, record, event)
                continue
            state.records.append(record)
            state.spent += record.duration
            _keep(state, record, event)
            open_number = None
            clock = None
        elif kind == "stop":
            state.stop_reason = str(event.get("reason", ""))
        elif kind == "resume":
            state.stop_reason = None
            state.token = event.get("token") or state.token
            if mark is not None and "spent" in event:
                mark = (float(event["spent"]), float(event["time"]))
    state.pending = sorted(begun)
    if mark is not None:
        state.spent = mark[0] + max(0.0, float(events[-1]["time"]) - mark[1])
        state.unfinished = state.pending[0] if state.pending else None
        return state
    if open_number is not None:
        state.unfinished = open_number
        # The time the unfinished experiment ran still counts against the budget.
        last = float(events[-1]["time"])
        if clock is not None and last > clock:
            state.spent += last - clock
    return state


def _keep(state: RunState, record: ExperimentRecord, event: Mapping[str, Any]) -> None:
    if record.status == "kept":
        state.best_commit = record.commit
        state.best_score = record.score
        state.best_samples = tuple(float(x) for x in event.get("best_samples", ()))
        state.best_samples = state.best_samples or record.samples
        state.best_holdout = record.holdout


def _opt_float(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _tsv_cell(text: str) -> str:
    return " ".join(text.replace("\t", " ").splitlines()).strip()


def _jsonable(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} to the journal")
