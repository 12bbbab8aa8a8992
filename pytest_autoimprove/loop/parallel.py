"""A parallel run: N attempts in flight, one driver deciding, improvements merged by git.

With ``workers: N`` (or ``--autoimprove-workers N``, or a ``backend:`` other than
``local``) the run keeps N attempts in flight (:mod:`~pytest_autoimprove.loop.attempt`:
each a proposal in a worker's own tree, its gate and its benchmark), run by an
executor (:mod:`~pytest_autoimprove.loop.executors`). This driver, in the loop's main
thread, takes their outcomes one at a time:

- an outcome that is not an improvement (``no-op``, ``tampered``, ``failed``,
  ``discarded``, ...) is committed with its ``Result:`` trailer on the commit it
  started from, kept reachable under ``refs/autoimprove/<run>/<n>``, and recorded;
- an improvement on the current best is kept: its commit goes on the run's branch;
- an improvement on an older best (another worker's keep moved the best while it
  ran) is **replayed** on the current best through git (a three-way merge,
  :func:`~pytest_autoimprove.repo.merge_onto`) and goes back to a worker as an
  attempt of its own: kept only if the combined tree passes the gate, the
  guardrails and the keep rule against the current best. A change that no longer
  merges is recorded as ``conflict``; one already in the best, as ``no-op``.

With parts (``part:`` lines in ``## Change``), each worker improves one part, in that
part's scope; a kept improvement of one part reaches the others' workers through the
best, and one made on an older best is merged and verified as a whole as above.

Every experiment is journaled before it acts (``begin`` with its worker and part) and
recorded once, when decided, with the run's wall clock. Ctrl-C (or SIGTERM) ends every
worker's commands and records each experiment in flight as ``cut``, as the sequential
loop does; a ``kill -9`` loses the attempts in flight, which ``--autoimprove-resume``
does again under their numbers.
"""

from __future__ import annotations

import collections
import contextlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pytest_autoimprove import repo
from pytest_autoimprove.loop.attempt import Attempts, Best, Outcome, Task, slot_of
from pytest_autoimprove.loop.console import Console
from pytest_autoimprove.loop.executors import Executor
from pytest_autoimprove.loop.experiment import REFS_PREFIX
from pytest_autoimprove.loop.interrupts import Interrupted, signals_deferred
from pytest_autoimprove.loop.journal import ExperimentRecord, Journal, RunState
from pytest_autoimprove.loop.phases import Phases, Span

#: How long the driver waits for an outcome before it looks at the clock again.
_TICK = 0.25


@dataclass
class ParallelRunner:
    """Runs the experiments of an open run N at a time; :meth:`run` until a stop."""

    state: RunState
    journal: Journal
    tree: repo.Worktree
    attempts: Attempts
    executor: Executor
    console: Console
    hook: Any
    parts: tuple[str, ...] = ()
    exhausted: str | None = None
    #: Improvements on an older best waiting for a replay lane, merged when one frees.
    _replays: collections.deque[Outcome] = field(default_factory=collections.deque)
    #: What each slot runs: workers 1..N propose, slots after them replay.
    _flying: dict[int, Task] = field(default_factory=dict)
    #: When each experiment in flight was first handed to a worker.
    _since: dict[int, float] = field(default_factory=dict)
    #: Where each undecided experiment's time went so far (every attempt of it).
    _spans: dict[int, list[Span]] = field(default_factory=dict)
    #: When the driver took the outcome it is deciding.
    _deciding: float = 0.0
    #: When each improvement waiting for a replay lane began to wait.
    _queued: dict[int, float] = field(default_factory=dict)
    _ended: bool = False
    _clock: tuple[float, float] | None = None

    @property
    def best(self) -> Any:
        return self.attempts.best

    @property
    def workers(self) -> int:
        return self.executor.slots

    @property
    def lanes(self) -> int:
        """Replay lanes beside the workers: a replay runs no proposer, so it need not
        keep a worker from proposing (one lane per four workers)."""
        return -(-self.workers // 4)

    # -- the run ---------------------------------------------------------------

    def run(self, stop_reason: Callable[[], str | None]) -> None:
        """Attempts until ``stop_reason`` says stop and nothing is in flight."""
        state = self.state
        assert state.best_commit is not None
        # Every worker's tree made now, one at a time: `git worktree add` run by
        # several threads at once trips over each other's bookkeeping.
        for worker in range(1, self.workers + 1):
            self.attempts.tree(worker, state.best_commit)
        if state.baseline_gate is not None:
            # How long a gate takes here, before any attempt's: the gate slots' patience.
            self.attempts.gates.learn(state.baseline_gate)
        self._publish()
        self.executor.start(self.attempts)
        self._clock = (state.spent, time.monotonic())
        redo = collections.deque(state.pending)
        state.pending = []
        state.unfinished = None
        try:
            while True:
                self._tick()
                stopping = stop_reason() is not None
                # Journaled as begun and known to be in flight in one step: a Ctrl-C
                # in between would leave an experiment nobody records as cut.
                with signals_deferred():
                    self._dispatch(redo, stopping)
                if not self._flying:
                    return
                outcome = self.executor.next(_TICK)
                if outcome is None:
                    continue
                # A decision is a few git and journal writes: never cut in half.
                with signals_deferred():
                    self._deciding = time.time()
                    self._spans.setdefault(outcome.task.number, []).extend(outcome.phases)
                    self._flying.pop(slot_of(outcome.task), None)
                    self._tick()
                    try:
                        if not outcome.cancelled:
                            self._decide(outcome)
                    finally:
                        self.attempts.decided(outcome.task.number)
        except (Interrupted, KeyboardInterrupt):
            # Every worker's commands end first (nothing writes to a tree any more),
            # then each experiment in flight is recorded as cut, as the sequential
            # loop does: resume then goes on after them instead of doing them again.
            with signals_deferred():
                self._end_workers()
                self._cut_in_flight()
            raise
        finally:
            self._end_workers()

    def _end_workers(self) -> None:
        """Cancel what is in flight (every worker's process group ends) and close the
        executor; once."""
        if self._ended:
            return
        self._ended = True
        if self._flying:
            self.executor.cancel()
        self.executor.close()

    def _cut_in_flight(self) -> None:
        """Record every experiment begun and not decided as ``cut``, in number order."""
        descriptions: dict[int, str] = {}
        with contextlib.suppress(Exception):  # what the cancelled attempts handed back
            while (outcome := self.executor.next(0)) is not None:
                descriptions[outcome.task.number] = outcome.description
        waiting = [outcome.task for outcome in self._replays]
        descriptions.update({o.task.number: o.description for o in self._replays})
        cut = {task.number: task for task in (*waiting, *self._flying.values())}
        self._replays.clear()
        self._flying.clear()
        self._tick()
        now = time.monotonic()
        self._deciding = time.time()
        for number in sorted(cut):
            task = cut[number]
            description = descriptions.get(number) or task.description or f"experiment {number}"
            reason = "interrupted (Ctrl-C or SIGTERM) before it was decided"
            if task.replayed:
                reason = "interrupted (Ctrl-C or SIGTERM) while it was replayed on the new best"
            outcome = Outcome(
                task,
                "cut",
                description,
                fields={"reason": reason},
                duration=now - self._since.get(number, now),
            )
            self._record(outcome, "cut", None)

    def _publish(self) -> None:
        """Tell the workers where the best is now (attempts merge onto it before their
        checks)."""
        self.attempts.latest = self._best()

    def _best(self) -> Best:
        state = self.state
        assert state.best_commit is not None and state.best_score is not None
        return Best(state.best_commit, state.best_samples, state.best_score, state.best_holdout)

    def _tick(self) -> None:
        """The run's budget clock: wall time, not the sum of overlapping experiments."""
        assert self._clock is not None
        spent, since = self._clock
        self.state.spent = spent + (time.monotonic() - since)
        stop = self.attempts.config.stop
        self.console.progress(self.state, stop.budget, stop.rounds)

    def _dispatch(self, redo: collections.deque[int], stopping: bool) -> None:
        """Hand work to every free slot: replays to the replay lanes, new proposals to
        the workers (and replays too, once there is nothing new to propose)."""
        lanes = range(self.workers + 1, self.workers + self.lanes + 1)
        for slot in [s for s in lanes if s not in self._flying]:
            task = self._next_replay(slot)
            if task is None:
                break
            self._start(slot, task)
        for slot in [w for w in range(1, self.workers + 1) if w not in self._flying]:
            task = self._next_task(slot, redo, stopping) or self._next_replay(slot)
            if task is None:
                break
            self._start(slot, task)

    def _start(self, slot: int, task: Task) -> None:
        self._flying[slot] = task
        self._since.setdefault(task.number, time.monotonic())
        self.executor.submit(task)

    def _in_flight(self) -> int:
        """Experiments begun and not yet recorded (a replay is one of them)."""
        flying = {t.number for t in self._flying.values()}
        return len(flying | {o.task.number for o in self._replays})

    def _next_task(self, worker: int, redo: collections.deque[int], stopping: bool) -> Task | None:
        state = self.state
        if stopping or self.exhausted:
            return None
        rounds = self.attempts.config.stop.rounds
        if rounds is not None and len(state.records) + self._in_flight() >= rounds:
            return None
        number = redo.popleft() if redo else state.next_number
        state.highest = max(state.highest, number)
        part = self._part_for(worker)
        task = self._task(number, worker, part)
        self.journal.append("begin", number=number, best=task.base, worker=worker, part=part)
        board = self.attempts.board
        if board is not None:
            board.begin(number, worker, part, task.base)
        self.console.worker(worker, f"#{number} starting" + (f" [{part}]" if part else ""))
        return task

    def _part_for(self, worker: int) -> str | None:
        """Worker k improves part k (round robin); with fewer workers than parts, the
        part with the fewest experiments so far."""
        if not self.parts:
            return None
        if self.workers >= len(self.parts):
            return self.parts[(worker - 1) % len(self.parts)]
        busy = collections.Counter(t.part for t in self._flying.values())
        done = collections.Counter(r.part for r in self.state.records)
        return min(self.parts, key=lambda p: (busy[p], done[p], self.parts.index(p)))

    def _task(self, number: int, worker: int, part: str | None) -> Task:
        state, config = self.state, self.attempts.config
        assert state.best_commit is not None and state.best_score is not None
        assert state.baseline_score is not None
        budget = config.stop.budget
        return Task(
            number=number,
            worker=worker,
            part=part,
            base=state.best_commit,
            base_samples=state.best_samples,
            best_score=state.best_score,
            baseline_score=state.baseline_score,
            base_holdout=state.best_holdout,
            history=state.history(),
            timeout=config.agent.timeout,
            budget_left=None if budget is None else max(1.0, budget - state.spent),
            others=() if self.attempts.board is None else self.attempts.board.others(number),
        )

    # -- decisions ---------------------------------------------------------------

    def _decide(self, outcome: Outcome) -> None:
        state, task = self.state, outcome.task
        assert state.best_commit is not None
        if outcome.status is not None:
            commit = None
            if outcome.tree is not None:
                commit = self._commit(outcome, outcome.tree, task.base, outcome.status)
            self._record(outcome, outcome.status, commit)
            if outcome.exhausted:
                self.exhausted = outcome.description
            return
        assert outcome.tree is not None
        if task.base == state.best_commit:
            final = self._commit(outcome, outcome.tree, task.base, "kept", self.tree.branch_ref)
            self._record(outcome, "kept", final)
            return
        # Merged onto the best only when a lane takes it: the best may move again
        # while it waits, and a merge onto a best already gone is a replay wasted.
        self._spans.setdefault(task.number, []).append(("decide", self._deciding, time.time()))
        self._queued[task.number] = time.time()
        self._replays.append(outcome)

    def _next_replay(self, slot: int) -> Task | None:
        """The next waiting improvement merged onto the current best, as an attempt for
        ``slot``; those that cannot be replayed are recorded on the way."""
        while self._replays:
            outcome = self._replays.popleft()
            number = outcome.task.number
            self._deciding = time.time()
            spans = self._spans.setdefault(number, [])
            spans.append(("wait-lane", self._queued.pop(number, self._deciding), self._deciding))
            task = self._replay(outcome, slot)
            if task is not None:
                spans.append(("merge", self._deciding, time.time()))
                return task
        return None

    def _replay(self, outcome: Outcome, slot: int) -> Task | None:
        """An improvement on an older best: merge it onto the current best and verify the
        combined tree as a new attempt; or record why it cannot be (``None``)."""
        state, task, root = self.state, outcome.task, self.attempts.root
        assert state.best_commit is not None and outcome.tree is not None
        budget = self.attempts.config.stop.budget
        if budget is not None and state.spent >= budget:
            outcome.fields["reason"] = (
                "the budget ran out before it could be replayed on the new best "
                f"({outcome.fields.get('reason', '')})"
            )
            commit = self._commit(outcome, outcome.tree, task.base, "discarded")
            self._record(outcome, "discarded", commit)
            return None
        candidate = repo.commit_tree(root, outcome.tree, task.base, outcome.description)
        merged = repo.merge_onto(root, state.best_commit, candidate)
        if merged.tree is None:
            where = ", ".join(merged.conflicts[:3]) or "its files"
            outcome.fields["reason"] = (
                f"improved on {task.base[:10]} ({outcome.fields.get('reason', '')}) but "
                f"conflicts with the best {state.best_commit[:10]} in {where}"
            )
            commit = self._commit(outcome, outcome.tree, task.base, "conflict")
            self._record(outcome, "conflict", commit)
            return None
        if merged.tree == repo.tree_of(root, state.best_commit):
            outcome.fields = {"reason": "its change is already in the best"}
            self._record(outcome, "no-op", None)
            return None
        apply = repo.commit_tree(root, merged.tree, state.best_commit, outcome.description)
        replay = task.on_best(
            self._best(),
            apply=apply,
            description=outcome.description,
            slot=None if slot == task.worker else slot,
        )
        self.journal.append(
            "replay",
            number=task.number,
            onto=state.best_commit,
            tree=merged.tree,
            replayed=replay.replayed,
        )
        if self.attempts.board is not None:
            self.attempts.board.replaying(task.number, slot, state.best_commit)
        return replay

    def _commit(
        self, outcome: Outcome, tree: str, parent: str, status: str, ref: str | None = None
    ) -> str:
        """The experiment's commit, with its ``Result:`` trailer."""
        task, fields = outcome.task, outcome.fields
        result: dict[str, Any] = {
            "status": status,
            "score": fields.get("score"),
            "delta": fields.get("delta"),
            "experiment": task.number,
            "run": self.state.run_id,
            "worker": task.worker,
        }
        if task.part:
            result["part"] = task.part
        if fields.get("reason") and status != "kept":
            result["reason"] = str(fields["reason"])[:200]
        message = f"{outcome.description}\n\nResult: {json.dumps(result, sort_keys=True)}\n"
        ref = ref or f"{REFS_PREFIX}{self.state.run_id}/{task.number}"
        with signals_deferred():
            return repo.commit_tree(self.attempts.root, tree, parent, message, ref)

    def _record(self, outcome: Outcome, status: str, commit: str | None) -> None:
        """Journal first (the moment the experiment counts), then the state, then people."""
        state, task = self.state, outcome.task
        fields = {k: v for k, v in outcome.fields.items() if k in _RECORD_FIELDS}
        for key in ("samples", "best_beside"):
            if key in fields:
                fields[key] = tuple(fields[key])
        origin = task.origin or task.base
        record = ExperimentRecord(
            run_id=state.run_id,
            number=task.number,
            status=status,
            description=outcome.description,
            commit=commit,
            duration=outcome.duration,
            changed=outcome.changed,
            worker=task.worker,
            part=task.part,
            base=origin if task.replayed else None,
            replayed=task.replayed,
            **fields,
        )
        spans = Phases(self._spans.pop(task.number, []))
        spans.add("decide", self._deciding or time.time(), time.time())
        extra: dict[str, Any] = {"spent": round(state.spent, 3), "phases": spans.to_json()}
        if status == "kept":
            extra["best_samples"] = list(outcome.best_samples or record.samples)
        self.journal.append("experiment", record=record.to_json(), **extra)
        state.records.append(record)
        self._since.pop(task.number, None)
        self._queued.pop(task.number, None)
        if self.attempts.board is not None:
            self.attempts.board.decided(task.number)
        if status == "kept":
            state.best_commit = commit
            state.best_score = record.score
            state.best_samples = tuple(outcome.best_samples or record.samples)
            state.best_holdout = record.holdout
            self._publish()
        self.journal.add_result(record)
        self.console.experiment(record)
        self.hook.pytest_autoimprove_experiment(record=record)


_RECORD_FIELDS = frozenset(
    {"score", "delta", "relative_delta", "reason", "samples", "best_beside", "guards", "holdout"}
)


def part_names(parts: Sequence[Any]) -> tuple[str, ...]:
    return tuple(part.name for part in parts)
