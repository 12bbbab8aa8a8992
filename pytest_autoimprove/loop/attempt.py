"""One attempt of a parallel run: a proposal in a worker's own tree, checked and measured.

A parallel run (:mod:`~pytest_autoimprove.loop.parallel`) splits an experiment in
two. The **attempt** (here) runs where the executor puts it, many at once: in a
worker's own worktree (``.autoimprove/worktrees/<run-id>-w<k>``, detached at the best
commit the attempt starts from), the proposer changes the tree; the loop's own code,
never the proposer, then sorts out ``no-op``, ``tampered`` and ``out-of-scope``
(:func:`~pytest_autoimprove.loop.experiment.classify`), stages the tree, runs the test
gate and measures the candidate against the commit it started from with the keep
rule. The **decision** (kept, replayed on a newer best, ``conflict``, ...) is the
driver's, one at a time, in :mod:`~pytest_autoimprove.loop.parallel`.

Fair measurement: tests and proposals run concurrently (test gates one at a time, up
to one per core when they queue: :mod:`~pytest_autoimprove.loop.cores`), but a
benchmark whose score depends on the machine (``kind: speed`` or ``memory``) runs only
under the run's measurement lock, so no two such benchmarks ever overlap; noisy scores
of other kinds take it too, because they are measured beside the best in the run's one
shared best worktree. Deterministic scores of other kinds (quality metrics) are
measured in parallel.

An attempt may also start from a tree instead of a proposal (:attr:`Task.apply`): a
change replayed on a newer best, or one a remote worker returned, checked again here
from scratch.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_autoimprove import repo
from pytest_autoimprove.loop import integrity, keep
from pytest_autoimprove.loop.checks import Checks, Measured
from pytest_autoimprove.loop.cores import Cores, Slot
from pytest_autoimprove.loop.experiment import classify, score_fields
from pytest_autoimprove.loop.gate import snapshot_flag
from pytest_autoimprove.loop.paired import BestMeasurementFailed, judge_interleaved
from pytest_autoimprove.loop.phases import ATTEMPT, Phases, Span
from pytest_autoimprove.loop.reference import BestTree
from pytest_autoimprove.loop.sandbox import Tampered
from pytest_autoimprove.proposers import PastExperiment, Proposal, ProposalContext, ask_proposer
from pytest_autoimprove.proposers.prompt import with_prompt

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig
    from pytest_autoimprove.loop.board import Board
    from pytest_autoimprove.loop.journal import Journal

#: Kinds whose score depends on the machine: their benchmarks never overlap.
MACHINE_BOUND_KINDS = frozenset({"speed", "memory"})


@dataclass(frozen=True)
class Task:
    """What one attempt is asked to do (plain data: it travels to remote workers).

    :param number: the experiment's number.
    :param worker: which worker runs it (1-based; its worktree is its own).
    :param part: the part of the system it works on (``part:`` lines), if any.
    :param base: the best commit the attempt starts from, and is judged against.
    :param base_samples: that best's scores (deterministic or not, first noise).
    :param apply: a commit whose tree is checked instead of asking the proposer.
    :param replayed: how many times the change was replayed on a newer best.
    :param origin: the best commit the proposal was first made on.
    :param base_holdout: the base's score on the golden holdout (quality goals).
    :param slot: the local tree it runs in when not its worker's (a replay lane's).
    :param others: the other experiments in flight when it was handed out, as the
        run's board showed them (:mod:`~pytest_autoimprove.loop.board`): its agent is
        told, so that it does not duplicate their work.
    """

    number: int
    worker: int
    part: str | None
    base: str
    base_samples: tuple[float, ...]
    best_score: float
    baseline_score: float
    history: tuple[PastExperiment, ...] = ()
    timeout: float = 1800.0
    budget_left: float | None = None
    apply: str | None = None
    description: str = ""
    replayed: int = 0
    origin: str | None = None
    base_holdout: float | None = None
    slot: int | None = None
    others: tuple[Mapping[str, Any], ...] = ()

    def on_best(self, best: Best, **changes: Any) -> Task:
        """This task moved onto ``best``: judged against it, one more replay, its
        first base kept as the origin; ``changes`` set other fields too."""
        return replace(
            self,
            base=best.commit,
            base_samples=best.samples,
            best_score=best.score,
            base_holdout=best.holdout,
            replayed=self.replayed + 1,
            origin=self.origin or self.base,
            **changes,
        )


@dataclass
class Outcome:
    """What an attempt found; the driver decides what it means for the run.

    :param status: a final status the attempt settled (``no-op``, ``tampered``,
        ``out-of-scope``, ``crashed``, ``failed``, ``discarded``), or ``None``: the
        candidate improves on :attr:`Task.base` and every check held.
    :param tree: the staged tree (``None`` when nothing was staged).
    :param fields: score, delta, samples, best_beside, guards, reason, as recorded.
    :param best_samples: the candidate's scores, the new best's should it be kept.
    :param cancelled: the run was interrupted while it ran: not an outcome at all.
    :param remote: it ran where the driver does not trust it (another machine).
    :param phases: where its time went (:mod:`~pytest_autoimprove.loop.phases`).
    """

    task: Task
    status: str | None
    description: str
    tree: str | None = None
    changed: tuple[str, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)
    best_samples: tuple[float, ...] = ()
    exhausted: bool = False
    duration: float = 0.0
    cancelled: bool = False
    remote: bool = False
    phases: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class Best:
    """The run's best as the driver last published it (:attr:`Attempts.latest`)."""

    commit: str
    samples: tuple[float, ...]
    score: float
    holdout: float | None = None


#: What :meth:`Attempts._rebase` says of a change the best already holds.
ALREADY_IN_BEST = "already in the best"


class Cancelled(Exception):
    """The run was interrupted while an attempt ran (``description``: its proposal's
    headline, when it got that far)."""

    def __init__(self, description: str = "") -> None:
        super().__init__(description)
        self.description = description


@dataclass
class Attempts:
    """Runs attempts on this machine: the workers' trees, the shared best tree, the lock.

    :param worktree: the run's own worktree; workers' trees sit beside it.
    :param checks: the run's checks, pointed at each worker's tree in turn.
    :param best: the best's worktree, shared by every worker under :attr:`lock`.
    :param lock: the measurement lock (machine-bound and paired benchmarks).
    :param stop: set when the run is interrupted; attempts end at their next step.
    :param latest: the current best, published by the driver after each keep (one
        reference swapped whole, so a worker's thread reads a consistent one); an
        attempt whose base is older is merged onto it before its checks.
    """

    root: Path
    run_id: str
    run_dir: Path
    worktree: Path
    config: ImproveConfig
    checks: Checks
    hook: Any
    best: BestTree
    max_pairs: int
    journal: Journal | None = None
    #: The baseline's ``guard:`` metrics (bounds relative to the baseline need them).
    baseline_guards: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    latest: Best | None = None
    #: Called with (worker, what it is doing now), for the terminal.
    show: Callable[[int, str], None] = lambda worker, text: None
    #: The live board of experiments in flight, on the driver's machine (else ``None``).
    board: Board | None = None
    _trees: dict[int, repo.Worktree] = field(default_factory=dict)
    #: When a test gate may start: one at a time, up to one per core when they queue.
    gates: Cores = field(default_factory=lambda: Cores(usable_cores()))
    _adding: threading.Lock = field(default_factory=threading.Lock)
    #: Improvements handed to the driver and not yet decided (:meth:`_settle`).
    _pending: set[int] = field(default_factory=set)
    _deciding: threading.Condition = field(default_factory=threading.Condition)

    @property
    def machine_bound(self) -> bool:
        return self.config.check.kind in MACHINE_BOUND_KINDS

    def tree(self, worker: int, base: str) -> repo.Worktree:
        """Worker ``worker``'s own tree, detached at ``base``, clean."""
        tree = self._trees.get(worker)
        if tree is None:
            # One `git worktree add` at a time: several at once trip over each other's
            # bookkeeping (a replay lane's tree is made by its first attempt's thread).
            with self._adding:
                path = Path(f"{self.worktree}-w{worker}")
                tree = self._trees[worker] = repo.Worktree.detached(self.root, path, base)
        else:
            tree.reset(base, recover=True)
        return tree

    def remove_trees(self) -> None:
        for tree in self._trees.values():
            with contextlib.suppress(repo.GitError):
                tree.remove()
        self._trees.clear()

    def config_for(self, part: str | None, tree: Path) -> ImproveConfig:
        """The run's config as seen from ``tree``, scoped to ``part`` when given."""
        config = replace(self.config, path=tree / self.config.path.relative_to(self.worktree))
        if part is not None:
            config = replace(config, change=config.change.for_part(part))
        return config

    def run(self, task: Task, *, slot: int | None = None) -> Outcome:
        """The attempt, from the proposal to the keep rule's verdict against its base.

        :param slot: the local tree to use (default: the task's own slot, else its
            worker's).
        """
        started, began = time.monotonic(), time.time()
        if slot is None:
            slot = slot_of(task)
        phases = Phases()
        try:
            outcome = self._run(task, slot, phases)
        except Cancelled as exc:
            outcome = Outcome(task, None, exc.description or task.description, cancelled=True)
        if self.stop.is_set():
            # Its commands may have been killed under it: whatever it found is no verdict.
            outcome.cancelled = True
        outcome.duration = time.monotonic() - started
        phases.add(f"{ATTEMPT}{slot}", began, time.time())
        outcome.phases = phases.spans
        self.show(slot_of(task), "idle")
        return outcome

    def _check(self, description: str = "") -> None:
        if self.stop.is_set():
            raise Cancelled(description)

    def _run(self, task: Task, slot: int, phase: Phases) -> Outcome:
        number, worker = task.number, task.worker
        label = f"#{number}" + (f" [{task.part}]" if task.part else "")
        with phase("tree"):
            tree = self.tree(slot, task.base)
        config = self.config_for(task.part, tree.path)
        checks = replace(self.checks.for_tree(tree.path), config=config)
        description = task.description
        exhausted = False
        if task.apply is not None:
            self.show(slot_of(task), f"{label} replaying on {task.base[:10]}")
            with phase("tree"):
                tree.checkout_tree(task.base, repo.tree_of(self.root, task.apply))
        else:
            self.show(slot_of(task), f"{label} propose")
            proposing = time.monotonic()
            with phase("propose"):
                proposal = self._propose(task, tree.path, config)
            description = proposal.headline() or f"experiment {number}"
            self._check(description)
            exhausted = proposal.exhausted
            if proposal.failed:
                if task.budget_left is not None and (
                    time.monotonic() - proposing >= task.budget_left
                ):
                    # Stopped because the run's time was up: nothing crashed.
                    reason = "the budget ran out during the proposal"
                    return Outcome(task, "cut", description, fields={"reason": reason})
                return Outcome(task, "crashed", description, fields={"reason": proposal.failed})
        with phase("stage"):
            listing = tree.stage_changes(task.base)
            changes = [change for change in listing if change.status != "cache"]
            paths = tuple(change.path for change in changes)
            early = classify(changes, tree.path, config)
        if early is not None:
            status, reason = early
            return Outcome(
                task, status, description, changed=paths, fields={"reason": reason},
                exhausted=exhausted and not changes,
            )  # fmt: skip
        with phase("scan"):
            problem = integrity.proposal_problem(tree.path, task.base, changes, config)
        if problem:
            return Outcome(task, "tampered", description, changed=paths, fields={"reason": problem})
        with phase("stage"):
            kept_changes = [c for c in changes if c.status != "ignored"]
            staged = tree.write_staged(remove_ignored=len(listing) > len(kept_changes))
            flag = snapshot_flag(tree.staged_lines(task.base))
        if flag:
            return Outcome(
                task, "tampered", description, tree=staged, changed=paths,
                fields={"reason": f"added {flag}"},
            )  # fmt: skip
        if self.journal is not None:
            self.journal.append("staged", number=number, worker=worker, tree=staged)
        if self.board is not None and task.apply is None:
            self.board.staged(number, paths, description)
        self._check(description)
        self.show(slot_of(task), f"{label} tests")
        with self._gating(description, phase) as core:
            # Merged onto the best of the moment the gate starts, not of the moment the
            # proposal ended: a keep decided while this waited for a core is in it, and
            # the tree checked is the tree that would be kept (no replay needed).
            with phase("wait-decision"):
                self._settle(description)
            with phase("merge"):
                rebased = self._rebase(task, tree, staged, description)
            if rebased == ALREADY_IN_BEST:
                return Outcome(
                    task, "no-op", description, changed=paths,
                    fields={"reason": "its change is already in the best"},
                )  # fmt: skip
            if isinstance(rebased, tuple):
                task, staged = rebased
            outcome = Outcome(task, None, description, tree=staged, changed=paths)
            gating = time.monotonic()
            with phase("gate"):
                gate = checks.gate(number)
            core.took = time.monotonic() - gating
            self._check(description)
            if gate.tampered:
                outcome.status, outcome.fields = "tampered", {"reason": gate.tampered}
                return outcome
            if not gate.passed:
                outcome.status, outcome.fields = "failed", {"reason": gate.reason}
                return outcome
            if self._locked(task):
                # It waits for the measurement lock without keeping a core from a gate.
                core.release()
            self._measure(task, checks, outcome, label, phase)
            if outcome.status is None:
                # Announced before the core is freed: the next gate waits for this
                # decision (milliseconds) and merges onto the best it makes.
                self._hand_over(task.number)
        return outcome

    def _measure(
        self, task: Task, checks: Checks, outcome: Outcome, label: str, phase: Phases
    ) -> None:
        config = self.config
        noisy = self._noisy(task)
        measured, best_measured = Measured(), Measured()
        self.show(slot_of(task), f"{label} waiting to measure")
        with self._measuring(noisy, outcome.description, phase):
            self._check(outcome.description)
            self.show(slot_of(task), f"{label} benchmark")
            try:
                with phase("benchmark"):
                    verdict = judge_interleaved(
                        task.base_samples,
                        self.best.measure(task.base, task.number, best_measured),
                        checks.measure(task.number, measured),
                        keep.KeepRule.of(config.check),
                        max_pairs=self.max_pairs,
                        afford=_afford(task.budget_left),
                    )
            except Tampered as exc:
                outcome.status, outcome.fields = "tampered", {"reason": str(exc)}
                return
            except BestMeasurementFailed as exc:
                failure = best_measured.failure or str(exc)
                outcome.status = "crashed"
                outcome.fields = {
                    "reason": f"the best commit's benchmark failed: {failure}",
                    "samples": exc.samples,
                }
                return
            except keep.MeasurementFailed as exc:
                outcome.status = "crashed"
                outcome.fields = {"reason": measured.failure or "no score", "samples": exc.samples}
                return
            finally:
                best_problem = self.best.problem() if noisy else None
        self._check(outcome.description)
        with phase("verify"):
            problem = checks.lock_problem()
            leftover = checks.leftover_problem(task.number)
        if problem:
            outcome.status = "tampered"
            outcome.fields = {"reason": f"the tests or benchmark changed frozen files: {problem}"}
            return
        if best_problem:
            outcome.status = "tampered"
            outcome.fields = {"reason": f"the tests or benchmark {best_problem}"}
            return
        # The cross-check of a claimed speed-up is the sequential loop's: here other
        # workers' processes end while this one's benchmark runs, and their CPU time
        # would count as its own.
        if leftover:
            outcome.status, outcome.fields = "tampered", {"reason": leftover}
            return
        score = verdict.candidate
        numbers = score_fields(verdict, task.best_score)
        guards = measured.guard_medians()
        numbers["guards"] = guards
        outcome.fields = {**numbers, "reason": verdict.reason}
        outcome.best_samples = verdict.samples
        broken = checks.guard_problem(guards, self.baseline_guards)
        if not verdict.keep or broken:
            outcome.status = "discarded"
            outcome.fields["reason"] = broken or verdict.reason
            return
        # Quality goals: the visible gain must show on the holdout (memorizing pays nothing).
        with phase("holdout"):
            holdout = checks.holdout_score(task.number)
        if holdout is not None:
            outcome.fields["holdout"] = holdout
        overfit = checks.generalization((task.best_score, task.base_holdout), score, holdout)
        if overfit:
            outcome.status = "discarded"
            outcome.fields["reason"] = overfit

    def _rebase(
        self, task: Task, tree: repo.Worktree, staged: str, description: str
    ) -> tuple[Task, str] | str | None:
        """A change made on a best that has moved since, merged onto the current best
        before anything is run: checked once, on the tree it would be kept as, instead
        of on its own base first and replayed after.

        ``None``: the base is still the best, there is no best to go by (a remote
        node), or the change conflicts with the best: then it is checked on its own
        base, and the driver records a conflict only for an improvement.
        :data:`ALREADY_IN_BEST`: nothing of it is missing from the best.
        """
        latest = self.latest
        if latest is None or latest.commit == task.base:
            return None
        candidate = repo.commit_tree(self.root, staged, task.base, description)
        merged = repo.merge_onto(self.root, latest.commit, candidate)
        if merged.tree is None:
            return None
        if merged.tree == repo.tree_of(self.root, latest.commit):
            return ALREADY_IN_BEST
        tree.checkout_tree(latest.commit, merged.tree)
        rebased = task.on_best(latest)
        if self.journal is not None:
            self.journal.append(
                "replay",
                number=task.number,
                onto=latest.commit,
                tree=merged.tree,
                replayed=rebased.replayed,
                before_checks=True,
            )
        return rebased, merged.tree

    @contextlib.contextmanager
    def _gating(self, description: str, phase: Phases) -> Iterator[Slot]:
        """A test-gate slot (:mod:`~pytest_autoimprove.loop.cores`): one gate at a time,
        first come first served, a second (up to one per core) only for a gate that has
        waited as long as a gate takes. Two gates at once on one best may need a replay;
        and more than one per core only share the cores.

        The slot is held through a benchmark that takes no lock (a deterministic score
        of a kind that does not depend on the machine: milliseconds, and CPU work too),
        so that an improvement is handed to the driver before the next gate starts."""
        with phase("wait-core"):
            self.gates.acquire(lambda: self._check(description))
        held = Slot(self.gates)
        try:
            yield held
        finally:
            held.release()

    def _noisy(self, task: Task) -> bool:
        return not keep.is_constant(task.base_samples)

    def _locked(self, task: Task) -> bool:
        """Whether its benchmark runs under the measurement lock (:meth:`_measuring`)."""
        return self._noisy(task) or self.machine_bound

    def _hand_over(self, number: int) -> None:
        """An improvement is on its way to the driver: gates wait for its decision."""
        with self._deciding:
            self._pending.add(number)

    def decided(self, number: int) -> None:
        """The driver decided experiment ``number``'s outcome (and published the best)."""
        with self._deciding:
            self._pending.discard(number)
            self._deciding.notify_all()

    def _settle(self, description: str) -> None:
        """Wait until every improvement handed to the driver is decided: the driver
        takes each within milliseconds, and a gate started before would check a tree
        on a best about to move, to be replayed after."""
        with self._deciding:
            while self._pending:
                self._deciding.wait(timeout=0.2)
                self._check(description)

    @contextlib.contextmanager
    def _measuring(self, noisy: bool, description: str, phase: Phases) -> Iterator[None]:
        """The measurement lock, for scores that depend on the machine or on the shared
        best tree; deterministic scores of other kinds are measured in parallel."""
        if not (noisy or self.machine_bound):
            yield
            return
        with self._holding(self.lock, description, phase, "wait-lock"):
            yield

    @contextlib.contextmanager
    def _holding(
        self,
        lock: threading.Lock | threading.Semaphore,
        description: str,
        phase: Phases,
        waiting: str,
    ) -> Iterator[None]:
        """``lock`` held, waiting for it (timed as phase ``waiting``) in short steps
        that still see a stop."""
        with phase(waiting):
            while not lock.acquire(timeout=0.2):
                self._check(description)
        try:
            yield
        finally:
            lock.release()

    def _propose(self, task: Task, worktree: Path, config: ImproveConfig) -> Proposal:
        timeout = config.agent.timeout
        if task.budget_left is not None:
            timeout = max(1.0, min(timeout, task.budget_left))
        context = ProposalContext(
            worktree=worktree,
            config=config,
            run_dir=self.run_dir,
            experiment=task.number,
            baseline_score=task.baseline_score,
            best_score=task.best_score,
            history=task.history,
            timeout=timeout,
            extra={
                "best_commit": task.base,
                "run_id": self.run_id,
                "worker": task.worker,
                "part": task.part,
                "others": task.others,
            },
        )
        if self.board is not None:
            context.extra.update(
                board=self.board.path,
                intent=self.board.intent(task.number),
                board_lock=self.board.lock_path,
            )
        return ask_proposer(self.hook, with_prompt(context))


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def slot_of(task: Task) -> int:
    """The slot a task runs in (its local tree and its line on the terminal's board):
    its replay lane's, else its worker's."""
    return task.worker if task.slot is None else task.slot


def _afford(budget_left: float | None) -> Callable[[], bool] | None:
    if budget_left is None:
        return None
    deadline = time.monotonic() + budget_left
    return lambda: time.monotonic() < deadline
