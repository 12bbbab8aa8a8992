"""One experiment: from a proposal to a recorded ``kept``/``discarded``/... outcome.

The proposer changes the worktree; :func:`classify` sorts out, before anything
runs, the proposals that need no run (``no-op``, ``tampered``, ``out-of-scope``);
the rest is staged, goes through the test gate and the benchmark
(:mod:`~pytest_autoimprove.loop.checks`), and the keep rule
(:mod:`~pytest_autoimprove.loop.keep`) with every ``guard:`` metric decides. The
experiment's commit is made once, when the outcome is known, so its message
carries the ``Result:`` trailer; a kept one moves the branch, any other stays
reachable under ``refs/autoimprove/<run>/<n>``. Each experiment starts from a clean
tree at the best commit (reset, every untracked and ignored file removed), so nothing
a step left behind, or wrote late, can slip into the next one.

What the run as a whole does (start, resume, baseline, stop, Ctrl-C) is
:mod:`~pytest_autoimprove.loop.run`'s; this module is the step it repeats.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_autoimprove import guard, repo
from pytest_autoimprove.loop import integrity, keep
from pytest_autoimprove.loop.checks import Checks, Measured
from pytest_autoimprove.loop.console import Console
from pytest_autoimprove.loop.gate import snapshot_flag
from pytest_autoimprove.loop.interrupts import Interrupted, signals_deferred
from pytest_autoimprove.loop.journal import ExperimentRecord, Journal, RunState
from pytest_autoimprove.loop.paired import (
    AUTO_MAX_PAIRS,
    BestMeasurementFailed,
    judge_interleaved,
)
from pytest_autoimprove.loop.phases import ATTEMPT, Phases
from pytest_autoimprove.loop.reference import BestTree
from pytest_autoimprove.loop.sandbox import Tampered
from pytest_autoimprove.proposers import Proposal, ProposalContext, ask_proposer
from pytest_autoimprove.proposers.prompt import with_prompt

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig

REFS_PREFIX = "refs/autoimprove/"


def classify(
    changes: Sequence[repo.WorktreeChange], worktree: Path, config: ImproveConfig
) -> tuple[str, str] | None:
    """``(status, reason)`` for a proposal decided without running anything, else ``None``.

    A frozen or protected path is ``tampered``, a path outside ``scope`` is
    ``out-of-scope``; nothing, or nothing but ignored files, is a ``no-op``.
    """
    if not changes:
        return "no-op", "the proposer changed nothing"
    extra = guard.locked_patterns(worktree)
    protected = [c.path for c in changes if guard.is_protected(c.path, worktree, config, extra)]
    if protected:
        return "tampered", f"touched {protected[0]}"
    kept = [c for c in changes if c.status != "ignored"]
    outside = [c.path for c in kept if not config.change.in_scope(c.path)]
    if outside:
        return "out-of-scope", f"touched {outside[0]}"
    if not kept:
        return "no-op", "only ignored files changed"
    return None


def score_fields(verdict: keep.Verdict, best_score: float) -> dict[str, Any]:
    """A measured candidate's score, delta and samples, as its record keeps them.

    The delta is against the best's recorded score, unless the keep rule measured the
    best beside the candidate: then it is the paired estimate, not two medians apart
    in time, and the best's runs are kept too (``best_beside``).
    """
    score = verdict.candidate
    numbers: dict[str, Any] = {
        "score": score,
        "delta": score - best_score,
        "relative_delta": (score - best_score) / abs(best_score) if best_score else None,
        "samples": verdict.samples,
    }
    if verdict.best_samples:
        numbers["delta"] = verdict.delta
        numbers["relative_delta"] = verdict.relative_delta
        numbers["best_beside"] = verdict.best_samples
    return numbers


@dataclass
class ExperimentRunner:
    """Runs the experiments of an open run, one per :meth:`run`, with the parts they share.

    :param best: where the best commit is measured beside a noisy candidate.
    :param max_pairs: the most A/B pairs per candidate.
    :param exhausted: set when the proposer said it has nothing left to try.
    """

    state: RunState
    journal: Journal
    tree: repo.Worktree
    config: ImproveConfig
    checks: Checks
    plan: keep.RepeatPlan
    hook: Any
    console: Console
    best: BestTree
    max_pairs: int = AUTO_MAX_PAIRS
    exhausted: str | None = None
    #: The number of the last experiment recorded (one in flight is not).
    recorded: int = 0
    #: Where the experiment in flight's time went so far (journaled with its record).
    phases: Phases = field(default_factory=Phases)

    def run(self, number: int) -> None:
        """Experiment ``number``, recorded in the journal; the tree ends at the best commit.

        Ctrl-C (or SIGTERM) in the middle records it as ``cut`` before the run ends.
        """
        started = time.monotonic()
        self.phases = Phases()
        self.journal.append("begin", number=number, best=self.state.best_commit)
        try:
            self._run(number, started)
        except (Interrupted, KeyboardInterrupt):
            if self.recorded != number:
                with signals_deferred():
                    self._record(
                        ExperimentRecord(
                            self.state.run_id,
                            number,
                            "cut",
                            f"experiment {number}",
                            reason="interrupted (Ctrl-C or SIGTERM) before it was decided",
                            duration=time.monotonic() - started,
                        ),
                        best_samples=None,
                    )
            raise

    def _run(self, number: int, started: float) -> None:
        state, tree, config = self.state, self.tree, self.config
        assert state.best_commit is not None and state.best_score is not None
        best_commit, best_score = state.best_commit, state.best_score
        phase = self.phases
        with signals_deferred(), phase("tree"):
            tree.reset(best_commit, recover=True)

        def record(status: str, description: str, **fields: Any) -> None:
            duration = time.monotonic() - started
            self._record(
                ExperimentRecord(
                    state.run_id, number, status, description, duration=duration, **fields
                ),
                best_samples=None,
            )

        with self.console.step(f"#{number} propose"), phase("propose"):
            proposal = self._propose(number)
        description = proposal.headline() or f"experiment {number}"
        if proposal.failed:
            if self._budget_spent(started):
                # The proposer was stopped because the run's time was up: nothing crashed.
                record("cut", description, reason="the budget ran out during the proposal")
            else:
                record("crashed", description, reason=proposal.failed)
            return
        with phase("stage"):
            listing = tree.stage_changes(best_commit)
            changes = [change for change in listing if change.status != "cache"]
            paths = tuple(change.path for change in changes)
            early = classify(changes, tree.path, config)
        if early is not None:
            status, reason = early
            record(status, description, reason=reason, changed=paths)
            if not changes and proposal.exhausted:
                self.exhausted = description
            return
        with phase("scan"):
            problem = integrity.proposal_problem(tree.path, best_commit, changes, config)
        if problem:
            record("tampered", description, reason=problem, changed=paths)
            return
        # Ignored files and caches are removed before anything runs; when the
        # listing shows none, there is nothing for `git clean -X` to do.
        with phase("stage"):
            kept_changes = [c for c in changes if c.status != "ignored"]
            staged = tree.write_staged(remove_ignored=len(listing) > len(kept_changes))
            flag = snapshot_flag(tree.staged_lines(best_commit))
        if flag:
            record("tampered", description, reason=f"added {flag}", changed=paths)
            return
        # Every changed path was checked against the protected list above; the
        # lock itself is re-verified once, after the tests and the benchmark ran.
        self.journal.append("staged", number=number, tree=staged)

        def finish(status: str, **fields: Any) -> None:
            ref = f"{REFS_PREFIX}{state.run_id}/{number}"
            final = self._commit(staged, description, status, number, fields, ref)
            record(status, description, commit=final, changed=paths, **fields)

        with self.console.step(f"#{number} tests"), phase("gate"):
            gate = self.checks.gate(number)
        if gate.tampered:
            finish("tampered", reason=gate.tampered)
            return
        if not gate.passed:
            finish("failed", reason=gate.reason)
            return
        measured, best_measured = Measured(), Measured()
        try:
            with self.console.step(f"#{number} benchmark"), phase("benchmark"):
                verdict = judge_interleaved(
                    state.best_samples,
                    self.best.measure(best_commit, number, best_measured),
                    self.checks.measure(number, measured),
                    keep.KeepRule.of(config.check),
                    max_pairs=self.max_pairs,
                    afford=self._afford(started),
                )
        except Tampered as exc:
            finish("tampered", reason=str(exc))
            return
        except BestMeasurementFailed as exc:
            reason = f"the best commit's benchmark failed: {best_measured.failure or exc}"
            finish("crashed", reason=reason, samples=exc.samples)
            return
        except keep.MeasurementFailed as exc:
            samples = exc.samples
            finish("crashed", reason=measured.failure or "no score", samples=samples)
            return
        with phase("verify"):
            problem = self.checks.lock_problem()
            best_problem = self.best.problem()
            leftover = self.checks.leftover_problem(number)
        if problem:
            finish("tampered", reason=f"the tests or benchmark changed frozen files: {problem}")
            return
        if best_problem:
            finish("tampered", reason=f"the tests or benchmark {best_problem}")
            return
        if leftover:
            finish("tampered", reason=leftover)
            return
        score = verdict.candidate
        numbers = score_fields(verdict, best_score)
        guards = measured.guard_medians()
        numbers["guards"] = guards
        broken = self.checks.guard_problem(guards, state.baseline_guards)
        if not verdict.keep or broken:
            finish("discarded", reason=broken or verdict.reason, **numbers)
            return
        # The claim is the score's own: the best's runs beside it when the keep rule made
        # them, else the best's score as recorded.
        claimed_from = (
            statistics.median(verdict.best_samples) if verdict.best_samples else best_score
        )
        claim = self.checks.claim_problem(claimed_from, score, measured, best_measured)
        if claim:
            finish("tampered", reason=claim, **numbers)
            return
        # Quality goals: the visible gain must show on the holdout (memorizing pays nothing).
        with phase("holdout"):
            holdout = self.checks.holdout_score(number)
        overfit = self.checks.generalization((best_score, state.best_holdout), score, holdout)
        if overfit:
            finish("discarded", reason=overfit, holdout=holdout, **numbers)
            return
        if holdout is not None:
            numbers["holdout"] = holdout
        self.checks.kept(measured)
        final = self._commit(staged, description, "kept", number, numbers, tree.branch_ref)
        best_samples = verdict.samples
        if len(best_samples) < self.plan.baseline_runs and not keep.is_constant(best_samples):
            try:
                with self.console.step(f"#{number} re-measure best"):
                    best_samples = keep.sample(
                        self.checks.measure(number, Measured()),
                        self.plan.baseline_runs,
                        start=verdict.samples,
                    )
            except keep.MeasurementFailed:
                best_samples = verdict.samples
        self._record(
            ExperimentRecord(
                run_id=state.run_id,
                number=number,
                status="kept",
                description=description,
                commit=final,
                reason=verdict.reason,
                duration=time.monotonic() - started,
                changed=paths,
                **numbers,
            ),
            best_samples=best_samples,
        )

    def _budget_spent(self, started: float) -> bool:
        budget = self.config.stop.budget
        return budget is not None and self.state.spent + time.monotonic() - started >= budget

    def _afford(self, started: float) -> Callable[[], bool] | None:
        """Whether the budget still allows another A/B pair (``None``: no budget)."""
        budget = self.config.stop.budget
        if budget is None:
            return None
        spent = self.state.spent
        return lambda: spent + (time.monotonic() - started) < budget

    def _propose(self, number: int) -> Proposal:
        state, config = self.state, self.config
        assert state.best_score is not None and state.baseline_score is not None
        history = state.history()
        timeout = config.agent.timeout
        if config.stop.budget is not None:
            timeout = max(1.0, min(timeout, config.stop.budget - state.spent))
        context = ProposalContext(
            worktree=self.tree.path,
            config=config,
            run_dir=self.journal.run_dir,
            experiment=number,
            baseline_score=state.baseline_score,
            best_score=state.best_score,
            history=history,
            timeout=timeout,
            extra={"best_commit": state.best_commit, "run_id": state.run_id},
        )
        return ask_proposer(self.hook, with_prompt(context))

    def _record(self, record: ExperimentRecord, *, best_samples: Sequence[float] | None) -> None:
        """Journal first (the moment the experiment counts), then tell people.

        The tree is reset when the next experiment starts, or when the run stops.
        """
        state, journal = self.state, self.journal
        phases = self.phases
        ends = [end for _, _, end in phases.spans]
        first = min((start for _, start, _ in phases.spans), default=time.time())
        # The decision: what came after the last step (the commit, the best re-measured).
        phases.add("decide", max(ends, default=first), time.time())
        phases.add(f"{ATTEMPT}1", first, time.time())
        extra: dict[str, Any] = {"phases": phases.to_json()}
        if record.status == "kept":
            extra["best_samples"] = list(best_samples or record.samples)
        journal.append("experiment", record=record.to_json(), **extra)
        self.recorded = record.number
        state.records.append(record)
        state.spent += record.duration
        if record.status == "kept":
            state.best_commit = record.commit
            state.best_score = record.score
            state.best_samples = tuple(best_samples or record.samples)
            state.best_holdout = record.holdout
        journal.add_result(record)
        self.console.experiment(record)
        self.hook.pytest_autoimprove_experiment(record=record)

    def _commit(
        self,
        staged: str,
        description: str,
        status: str,
        number: int,
        fields: dict[str, Any],
        ref: str,
    ) -> str:
        """The experiment's commit of its staged tree on the best commit, made once its
        outcome is known so that its message carries the ``Result:`` trailer."""
        state = self.state
        result = {
            "status": status,
            "score": fields.get("score"),
            "delta": fields.get("delta"),
            "experiment": number,
            "run": state.run_id,
        }
        if fields.get("reason") and status != "kept":
            result["reason"] = str(fields["reason"])[:200]
        message = f"{description}\n\nResult: {json.dumps(result, sort_keys=True)}\n"
        assert state.best_commit is not None
        with signals_deferred():
            return self.tree.commit(staged, state.best_commit, message, ref)
